-- Viewed exposures (issue #22): responses whose strip a shopper actually saw (at least one
-- `recommendation_impression` with its request_id, reported by widget.js). CTR per exposure counts
-- strips rendered below the fold or never rendered; viewed_ctr = clicks per viewed exposure does
-- not. Exposures from callers that do not report impressions have viewed_exposures = 0 (and a
-- NULL viewed_ctr), never a made-up rate.
ALTER TABLE experiment_daily_performance ADD COLUMN viewed_exposures bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE VIEW experiment_performance AS
SELECT p.date, p.experiment_key, x.status, p.variant_key, p.widget,
       p.users_exposed, p.exposures, p.items_shown, p.clicks, p.add_to_carts, p.purchases, p.revenue,
       p.clicks::double precision / NULLIF(p.exposures, 0)        AS ctr,
       p.clicks::double precision / NULLIF(p.items_shown, 0)      AS item_ctr,
       p.add_to_carts::double precision / NULLIF(p.exposures, 0)  AS add_to_cart_rate,
       p.purchases::double precision / NULLIF(p.exposures, 0)     AS purchases_per_exposure,
       p.revenue / NULLIF(p.users_exposed, 0)                     AS revenue_per_user,
       p.viewed_exposures,
       p.clicks::double precision / NULLIF(p.viewed_exposures, 0) AS viewed_ctr
FROM experiment_daily_performance p
LEFT JOIN experiments x ON x.key = p.experiment_key;
