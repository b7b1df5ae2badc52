-- Interactions (user events) and orders (purchases grouped by basket).

CREATE TABLE interactions (
    id           bigserial PRIMARY KEY,
    -- Idempotency key: imports derive it from the event's content, the API from the client's
    -- key; a second copy of the same event is ignored (ON CONFLICT DO NOTHING). NULL = none.
    event_key    text UNIQUE,
    user_id      text NOT NULL,
    product_id   text NOT NULL,
    type         text NOT NULL CHECK (type IN
                   ('view', 'cart_add', 'cart_remove', 'wishlist_add', 'purchase', 'recommendation_click')),
    quantity     integer NOT NULL DEFAULT 1,
    value        double precision NOT NULL DEFAULT 0,
    -- The recommendation response the event came from (attribution).
    request_id   text,
    -- Groups the lines of one order (invoice number in Online Retail II).
    basket_id    text,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- A user's history, newest first (preference vectors, "recently viewed").
CREATE INDEX interactions_user_time_idx ON interactions (user_id, occurred_at DESC);
-- Item-to-item statistics and per-product counts.
CREATE INDEX interactions_product_idx ON interactions (product_id);
-- Co-purchase (basket completion) joins.
CREATE INDEX interactions_basket_idx ON interactions (basket_id) WHERE basket_id IS NOT NULL;
-- Attribution of clicks and purchases to recommendation responses.
CREATE INDEX interactions_request_idx ON interactions (request_id) WHERE request_id IS NOT NULL;
-- Time-window scans (recent popularity, train/test splits); BRIN suits append-mostly time data.
CREATE INDEX interactions_occurred_at_brin ON interactions USING brin (occurred_at);

CREATE TABLE orders (
    -- The basket id of the purchases.
    id           text PRIMARY KEY,
    user_id      text NOT NULL,
    placed_at    timestamptz NOT NULL,
    item_count   integer NOT NULL,
    total_value  double precision NOT NULL
);
CREATE INDEX orders_user_time_idx ON orders (user_id, placed_at DESC);
