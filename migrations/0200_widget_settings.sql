-- The Server target owns 0200-0299 (settings of the service itself).
-- Standing per-widget settings (issue #5: every stage-3/4 option configurable per widget, not
-- only per experiment variant). One row per widget that has any: the same ranking parameters a
-- variant may set (`VariantParameters`), plus the widget's block list and pinned products, as
-- one JSON document. They are laid over the built-in widget defaults; a running experiment's
-- variant is laid over them. Every replica re-reads the table with the experiments.
CREATE TABLE widget_settings (
    widget      text PRIMARY KEY
                CHECK (widget IN ('homepage', 'product', 'cart', 'frequently_bought_together', 'search')),
    -- {"parameters": {...}, "block_list": [...], "pinned": [{"position", "product_id"}]}
    settings    jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
