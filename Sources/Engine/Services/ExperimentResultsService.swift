import Experiments
import Foundation
import Storage
import Support

/// Computes `GET /v1/experiments/{key}/results` and the dashboard's daily series from the
/// exposures and the interactions attributed to them (SQL in `Experiments.ResultsSQL` /
/// `RollupSQL`, statistics in `ExperimentResultsCalculator`).
public final class ExperimentResultsService: Sendable {
    let postgres: PostgresClient
    let attributionWindow: String
    let calculator = ExperimentResultsCalculator()

    package init(postgres: PostgresClient, attributionWindowSeconds: TimeInterval) {
        self.postgres = postgres
        self.attributionWindow = "\(Int(attributionWindowSeconds)) seconds"
    }

    public func results(for experiment: Experiment) async throws -> ExperimentResults {
        let from = experiment.startsAt ?? Date(timeIntervalSince1970: 0)
        let until = min(experiment.endsAt ?? .distantFuture, Date().addingTimeInterval(1))
        return try await ServiceError.postgresGuarded {
            let rows = try await self.postgres.query(
                ResultsSQL.userRows, [experiment.key, from, until, self.attributionWindow, ResultsSQL.defaultPrePeriod])
            let outcomes = try rows.map { row in
                UserOutcome(
                    userID: try row.string("user_id"), variantKey: try row.string("variant_key"),
                    exposures: try row.int("exposures"), itemsShown: try row.int("items_shown"),
                    clicks: try row.int("clicks"), addToCarts: try row.int("add_to_carts"),
                    purchases: try row.int("purchases"), revenue: try row.double("revenue"),
                    preRevenue: try row.double("pre_revenue"))
            }
            var latency: [String: Double] = [:]
            for row in try await self.postgres.query(ResultsSQL.latencyByVariant, [experiment.key, from, until]) {
                latency[try row.string("variant_key")] = try row.optionalDouble("p95_ms")
            }
            return self.calculator.compute(experiment: experiment, rows: outcomes, latencyP95: latency)
        }
    }

    public func dailySeries(for experiment: Experiment) async throws -> [DailyVariantPerformance] {
        try await postgres.query(RollupSQL.dailySeries, [experiment.key]).map { row in
            DailyVariantPerformance(
                date: try row.string("date"), variantKey: try row.string("variant_key"),
                usersExposed: try row.int("users_exposed"), exposures: try row.int("exposures"),
                itemsShown: try row.int("items_shown"), clicks: try row.int("clicks"),
                addToCarts: try row.int("add_to_carts"), purchases: try row.int("purchases"),
                revenue: try row.double("revenue"))
        }
    }

    /// Re-runs the daily rollup for the days the attribution window can still change (idempotent).
    public func rollUpRecentDays(now: Date = Date(), windowSeconds: TimeInterval) async throws {
        let days = Int((windowSeconds / 86_400).rounded(.up)) + 1
        for back in 0...days {
            let day = ISO8601Text.day(now.addingTimeInterval(-Double(back) * 86_400))
            _ = try await postgres.execute(RollupSQL.daily, [day, attributionWindow])
        }
    }
}
