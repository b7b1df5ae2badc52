-- A/B experiments (issue #4): definitions, exposures, attribution, daily performance.
-- The Experiments target owns 0100-0199; Storage owns 0001-0099.

-- Experiment definitions. The whole definition is jsonb (ExperimentCoding's JSON, snake_case
-- keys); status is copied out for filtering and kept in step by the service.
CREATE TABLE experiments (
    key         text PRIMARY KEY,
    definition  jsonb NOT NULL,
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experiments_running_idx ON experiments (key) WHERE status = 'running';

-- One row per recommendation response: who saw which items under which experiment variant.
-- experiment_key/variant_key are NULL for traffic outside every experiment (defaults).
CREATE TABLE exposures (
    request_id      text PRIMARY KEY,
    -- NULL for anonymous requests (never assigned to an experiment).
    user_id         text,
    widget          text NOT NULL,
    experiment_key  text,
    variant_key     text,
    -- Product ids in the order shown; position p (0-based) is items[p + 1].
    items           text[] NOT NULL DEFAULT '{}',
    -- The service's own end-to-end latency for the response (latency guardrail).
    latency_ms      double precision,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((experiment_key IS NULL) = (variant_key IS NULL))
);
-- Results and rollups read one experiment's exposures over a time range.
CREATE INDEX exposures_experiment_time_idx ON exposures (experiment_key, created_at) WHERE experiment_key IS NOT NULL;
-- Window attribution finds a user's recent exposures.
CREATE INDEX exposures_user_time_idx ON exposures (user_id, created_at) WHERE user_id IS NOT NULL;
-- Daily rollups scan one day of exposures.
CREATE INDEX exposures_created_at_brin ON exposures USING brin (created_at);

-- Exposed items one per row, for analysts who prefer joins to arrays.
CREATE VIEW exposure_items AS
SELECT e.request_id, e.user_id, e.widget, e.experiment_key, e.variant_key,
       item.product_id, (item.ordinality - 1)::integer AS position, e.created_at
FROM exposures e
CROSS JOIN LATERAL unnest(e.items) WITH ORDINALITY AS item(product_id, ordinality);

-- Interactions attributed to the exposures created in [exposed_from, exposed_until):
--  * 'request_id': the event carries the response's request_id (clicks, add-to-carts, purchases),
--    within attribution_window of the exposure;
--  * 'window': a purchase without such a request_id, of an item the same user was shown, within
--    attribution_window after the exposure; it goes to the most recent qualifying exposure (even
--    one outside the range, so a purchase is never counted for two exposures or two days).
-- Revenue is the purchase's value.
CREATE FUNCTION attributed_interactions(
    exposed_from timestamptz,
    exposed_until timestamptz,
    attribution_window interval DEFAULT interval '24 hours'
)
RETURNS TABLE (
    interaction_id  bigint,
    request_id      text,
    user_id         text,
    widget          text,
    experiment_key  text,
    variant_key     text,
    type            text,
    product_id      text,
    quantity        integer,
    value           double precision,
    occurred_at     timestamptz,
    exposed_at      timestamptz,
    attributed_by   text
)
LANGUAGE sql STABLE AS $$
    SELECT i.id, e.request_id, e.user_id, e.widget, e.experiment_key, e.variant_key,
           i.type, i.product_id, i.quantity, i.value, i.occurred_at, e.created_at, 'request_id'
    FROM exposures e
    JOIN interactions i ON i.request_id = e.request_id
    WHERE e.created_at >= exposed_from AND e.created_at < exposed_until
      AND i.occurred_at < e.created_at + attribution_window
    UNION ALL
    SELECT w.*
    FROM (
        SELECT DISTINCT ON (i.id)
               i.id, e.request_id, e.user_id, e.widget, e.experiment_key, e.variant_key,
               i.type, i.product_id, i.quantity, i.value, i.occurred_at, e.created_at, 'window'
        FROM interactions i
        JOIN exposures e
          ON e.user_id = i.user_id
         AND i.product_id = ANY (e.items)
         AND e.created_at <= i.occurred_at
         AND i.occurred_at < e.created_at + attribution_window
        WHERE i.type = 'purchase'
          AND i.occurred_at >= exposed_from
          AND i.occurred_at < exposed_until + attribution_window
          AND (i.request_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM exposures d WHERE d.request_id = i.request_id))
        ORDER BY i.id, e.created_at DESC, e.request_id DESC
    ) AS w(id, request_id, user_id, widget, experiment_key, variant_key,
           type, product_id, quantity, value, occurred_at, created_at, attributed_by)
    WHERE w.created_at >= exposed_from AND w.created_at < exposed_until
$$;

-- Daily performance per (date, experiment, variant, widget), by exposure date (UTC). Rebuilt
-- idempotently by RollupSQL.daily; re-running a day replaces its rows with the same values
-- (until late events inside the attribution window change them).
CREATE TABLE experiment_daily_performance (
    date            date NOT NULL,
    experiment_key  text NOT NULL,
    variant_key     text NOT NULL,
    widget          text NOT NULL,
    -- Distinct identified users exposed that day (days do not add up to experiment totals).
    users_exposed   bigint NOT NULL DEFAULT 0,
    exposures       bigint NOT NULL DEFAULT 0,
    items_shown     bigint NOT NULL DEFAULT 0,
    clicks          bigint NOT NULL DEFAULT 0,
    add_to_carts    bigint NOT NULL DEFAULT 0,
    purchases       bigint NOT NULL DEFAULT 0,
    revenue         double precision NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (date, experiment_key, variant_key, widget)
);
CREATE INDEX experiment_daily_performance_key_idx ON experiment_daily_performance (experiment_key, date);

-- The daily rows with the experiment's status and the usual rates, for analysts.
-- ctr = clicks per exposure (response); item_ctr = clicks per item shown.
CREATE VIEW experiment_performance AS
SELECT p.date, p.experiment_key, x.status, p.variant_key, p.widget,
       p.users_exposed, p.exposures, p.items_shown, p.clicks, p.add_to_carts, p.purchases, p.revenue,
       p.clicks::double precision / NULLIF(p.exposures, 0)        AS ctr,
       p.clicks::double precision / NULLIF(p.items_shown, 0)      AS item_ctr,
       p.add_to_carts::double precision / NULLIF(p.exposures, 0)  AS add_to_cart_rate,
       p.purchases::double precision / NULLIF(p.exposures, 0)     AS purchases_per_exposure,
       p.revenue / NULLIF(p.users_exposed, 0)                     AS revenue_per_user
FROM experiment_daily_performance p
LEFT JOIN experiments x ON x.key = p.experiment_key;
