/// The daily performance rollup (migrations/0100_experiments.sql, `experiment_daily_performance`).
public enum RollupSQL {
    /// Rebuilds one UTC day (by exposure date) in one statement, so it is atomic and idempotent:
    /// re-running a day upserts the same rows and deletes rows of variants no longer present.
    /// Attribution follows `attributed_interactions` (request id, or same-user purchases of an
    /// exposed item within the window). `viewed_exposures` counts the responses with at least one
    /// `recommendation_impression` (their strip was on screen), by request id.
    ///
    /// Parameters: `$1` the day (`date`, e.g. `2026-11-21`), `$2` the attribution window
    /// (`interval` text, e.g. `24 hours`). Returns the number of rows upserted.
    ///
    /// Re-run the last `ceil(window)+1` days each time (late events inside the window change them).
    public static let daily = """
        WITH bounds AS (
            SELECT ($1::date)::timestamp AT TIME ZONE 'UTC' AS day_start,
                   ($1::date + 1)::timestamp AT TIME ZONE 'UTC' AS day_end
        ),
        exposed AS (
            SELECT e.experiment_key, e.variant_key, e.widget,
                   count(DISTINCT e.user_id) AS users_exposed,
                   count(*) AS exposures,
                   coalesce(sum(cardinality(e.items)), 0) AS items_shown
            FROM exposures e, bounds b
            WHERE e.experiment_key IS NOT NULL
              AND e.created_at >= b.day_start AND e.created_at < b.day_end
            GROUP BY e.experiment_key, e.variant_key, e.widget
        ),
        events AS (
            SELECT a.experiment_key, a.variant_key, a.widget,
                   count(*) FILTER (WHERE a.type = 'recommendation_click') AS clicks,
                   count(*) FILTER (WHERE a.type = 'cart_add') AS add_to_carts,
                   count(*) FILTER (WHERE a.type = 'purchase') AS purchases,
                   coalesce(sum(a.value) FILTER (WHERE a.type = 'purchase'), 0) AS revenue,
                   count(DISTINCT a.request_id) FILTER (WHERE a.type = 'recommendation_impression') AS viewed_exposures
            FROM bounds b, attributed_interactions(b.day_start, b.day_end, $2::interval) a
            WHERE a.experiment_key IS NOT NULL
            GROUP BY a.experiment_key, a.variant_key, a.widget
        ),
        fresh AS (
            SELECT x.experiment_key, x.variant_key, x.widget, x.users_exposed, x.exposures, x.items_shown,
                   coalesce(v.clicks, 0) AS clicks, coalesce(v.add_to_carts, 0) AS add_to_carts,
                   coalesce(v.purchases, 0) AS purchases, coalesce(v.revenue, 0) AS revenue,
                   coalesce(v.viewed_exposures, 0) AS viewed_exposures
            FROM exposed x
            LEFT JOIN events v
              ON v.experiment_key = x.experiment_key AND v.variant_key = x.variant_key AND v.widget = x.widget
        ),
        removed AS (
            DELETE FROM experiment_daily_performance d
            WHERE d.date = $1::date
              AND NOT EXISTS (
                  SELECT 1 FROM fresh f
                  WHERE f.experiment_key = d.experiment_key AND f.variant_key = d.variant_key AND f.widget = d.widget)
        )
        INSERT INTO experiment_daily_performance
            (date, experiment_key, variant_key, widget, users_exposed, exposures, items_shown,
             clicks, add_to_carts, purchases, revenue, viewed_exposures, updated_at)
        SELECT $1::date, f.experiment_key, f.variant_key, f.widget, f.users_exposed, f.exposures, f.items_shown,
               f.clicks, f.add_to_carts, f.purchases, f.revenue, f.viewed_exposures, now()
        FROM fresh f
        ON CONFLICT (date, experiment_key, variant_key, widget) DO UPDATE SET
            users_exposed = EXCLUDED.users_exposed, exposures = EXCLUDED.exposures,
            items_shown = EXCLUDED.items_shown, clicks = EXCLUDED.clicks,
            add_to_carts = EXCLUDED.add_to_carts, purchases = EXCLUDED.purchases,
            revenue = EXCLUDED.revenue, viewed_exposures = EXCLUDED.viewed_exposures, updated_at = now()
        """

    /// Daily series of one experiment for the dashboard, summed over widgets.
    /// `$1` experiment key. Columns: `date` (text, `YYYY-MM-DD`), `variant_key`, `users_exposed`,
    /// `exposures`, `items_shown`, `clicks`, `add_to_carts`, `purchases`, `revenue`, `viewed_exposures`.
    public static let dailySeries = """
        SELECT to_char(date, 'YYYY-MM-DD') AS date, variant_key,
               sum(users_exposed)::bigint AS users_exposed, sum(exposures)::bigint AS exposures,
               sum(items_shown)::bigint AS items_shown, sum(clicks)::bigint AS clicks,
               sum(add_to_carts)::bigint AS add_to_carts, sum(purchases)::bigint AS purchases,
               sum(revenue) AS revenue, sum(viewed_exposures)::bigint AS viewed_exposures
        FROM experiment_daily_performance
        WHERE experiment_key = $1
        GROUP BY date, variant_key
        ORDER BY date, variant_key
        """
}
