-- Embeddings changed since a watermark, by model (issue #23): every replica's catalog reconciler
-- asks `model_version = $1 AND updated_at > $2` every catalogSyncInterval. With only the
-- model_version index that read scanned every embedding of the model (the whole table), per
-- replica per round; at a million products that is 2 GB of heap twice a second. The composite
-- index answers it with a range scan, and serves the full read by model (its prefix) as well.
CREATE INDEX product_embeddings_model_updated_idx ON product_embeddings (model_version, updated_at);
DROP INDEX product_embeddings_model_idx;
