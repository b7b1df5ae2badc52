"""HybridRank's reranker trainer: see README.md."""
