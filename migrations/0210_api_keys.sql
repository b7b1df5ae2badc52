-- API keys (issue #21). The Server target owns 0200-0299.
-- Only the SHA-256 of each key is stored (why a fast hash is enough: APIKeyToken.swift); the key
-- itself is printed once by `hybridrank keys create`. Every replica re-reads this table every
-- few seconds (AccessConfiguration.keyRefreshInterval), so a revoked key stops working
-- everywhere within that interval.
-- While the table has never held a row the service is open (development mode). Revoking keeps
-- the row (revoked_at), so revoking the last key never reopens the service.
CREATE TABLE api_keys (
    id             text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
    name           text NOT NULL DEFAULT '',
    scope          text NOT NULL CHECK (scope IN ('read', 'ingest', 'admin')),
    secret_sha256  text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz
);
