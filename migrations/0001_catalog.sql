-- Catalog: products, their embeddings, users, and the model versions that produced embeddings.

CREATE TABLE products (
    id              text PRIMARY KEY,
    name            text NOT NULL,
    description     text NOT NULL DEFAULT '',
    -- Empty when the catalog has no categories (Online Retail II).
    category        text NOT NULL DEFAULT '',
    price           double precision NOT NULL DEFAULT 0 CHECK (price >= 0),
    currency        text NOT NULL DEFAULT 'GBP',
    -- NULL when the shop does not track quantities; then in_stock alone decides.
    stock_quantity  integer,
    in_stock        boolean NOT NULL DEFAULT true,
    promoted        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz
);

-- Category pages and category-diverse candidate lists read live products by category.
CREATE INDEX products_category_live_idx ON products (category) WHERE deleted_at IS NULL;
-- Incremental catalog reloads read what changed since the last reload.
CREATE INDEX products_updated_at_idx ON products (updated_at);

CREATE TABLE model_versions (
    name        text NOT NULL,
    version     text NOT NULL,
    -- e.g. 'bi-encoder', 'cross-encoder', 'item-knn', 'popularity'
    kind        text NOT NULL,
    path        text NOT NULL DEFAULT '',
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

CREATE TABLE product_embeddings (
    product_id     text NOT NULL,
    -- Which encoder produced the vector, so a model upgrade can re-embed side by side.
    model_version  text NOT NULL,
    vector         real[] NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, model_version)
);
CREATE INDEX product_embeddings_model_idx ON product_embeddings (model_version);

CREATE TABLE users (
    id          text PRIMARY KEY,
    country     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
