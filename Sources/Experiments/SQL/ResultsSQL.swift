/// Queries behind `GET /v1/experiments/{key}/results` (see `ExperimentResultsCalculator`).
public enum ResultsSQL {
    /// One row per (identified user, variant) exposed to the experiment in `[$2, $3)`:
    /// exposures, items shown, attributed clicks / add-to-carts / purchases / revenue (window
    /// `$4`), and the user's purchase revenue in the pre-period `[$2 − $5, $2)` (CUPED covariate).
    ///
    /// Parameters: `$1` experiment key, `$2` from (`timestamptz`), `$3` until (`timestamptz`),
    /// `$4` attribution window (`interval` text), `$5` pre-period length (`interval` text, e.g. `28 days`).
    /// Columns: `user_id`, `variant_key`, `exposures`, `items_shown`, `clicks`, `add_to_carts`,
    /// `purchases`, `revenue`, `pre_revenue`.
    public static let userRows = """
        WITH exposed AS (
            SELECT e.user_id, e.variant_key, count(*) AS exposures,
                   coalesce(sum(cardinality(e.items)), 0) AS items_shown
            FROM exposures e
            WHERE e.experiment_key = $1 AND e.user_id IS NOT NULL
              AND e.created_at >= $2::timestamptz AND e.created_at < $3::timestamptz
            GROUP BY e.user_id, e.variant_key
        ),
        events AS (
            SELECT a.user_id, a.variant_key,
                   count(*) FILTER (WHERE a.type = 'recommendation_click') AS clicks,
                   count(*) FILTER (WHERE a.type = 'cart_add') AS add_to_carts,
                   count(*) FILTER (WHERE a.type = 'purchase') AS purchases,
                   coalesce(sum(a.value) FILTER (WHERE a.type = 'purchase'), 0) AS revenue
            FROM attributed_interactions($2::timestamptz, $3::timestamptz, $4::interval) a
            WHERE a.experiment_key = $1 AND a.user_id IS NOT NULL
            GROUP BY a.user_id, a.variant_key
        ),
        pre AS (
            SELECT i.user_id, sum(i.value) AS pre_revenue
            FROM interactions i
            WHERE i.type = 'purchase'
              AND i.occurred_at >= $2::timestamptz - $5::interval AND i.occurred_at < $2::timestamptz
              AND i.user_id IN (SELECT user_id FROM exposed)
            GROUP BY i.user_id
        )
        SELECT x.user_id, x.variant_key, x.exposures, x.items_shown,
               coalesce(v.clicks, 0) AS clicks, coalesce(v.add_to_carts, 0) AS add_to_carts,
               coalesce(v.purchases, 0) AS purchases, coalesce(v.revenue, 0) AS revenue,
               coalesce(p.pre_revenue, 0) AS pre_revenue
        FROM exposed x
        LEFT JOIN events v ON v.user_id = x.user_id AND v.variant_key = x.variant_key
        LEFT JOIN pre p ON p.user_id = x.user_id
        ORDER BY x.variant_key, x.user_id
        """

    /// The latency guardrail: p95 of the service's own timings per variant in `[$2, $3)`.
    /// Parameters: `$1` key, `$2` from, `$3` until. Columns: `variant_key`, `p95_ms`, `responses`.
    public static let latencyByVariant = """
        SELECT variant_key,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95_ms,
               count(*) AS responses
        FROM exposures
        WHERE experiment_key = $1 AND latency_ms IS NOT NULL
          AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
        GROUP BY variant_key
        ORDER BY variant_key
        """

    /// The default pre-period for CUPED, as `interval` text for `$5`.
    public static let defaultPrePeriod = "28 days"
}
