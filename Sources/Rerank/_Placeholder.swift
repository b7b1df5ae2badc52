// Rerank — see the module's files.
