import Engine
import Experiments
import Foundation
import Hummingbird
import NIOCore

/// `/dashboard`: the server-rendered experiments page (no external assets): every experiment
/// with status, its results table (lifts, intervals, SRM warnings) and daily CTR/revenue charts.
struct DashboardRoutes: Sendable {
    let services: ServiceBundle

    func register(on router: Router<APIRequestContext>) {
        router.get("/dashboard") { _, _ in
            let experiments = try await services.experiments.list()
            var sections: [DashboardPage.Section] = []
            for experiment in experiments {
                let results = experiment.status == .draft ? nil : try? await services.experiments.results.results(for: experiment)
                let daily = (try? await services.experiments.results.dailySeries(for: experiment)) ?? []
                sections.append(DashboardPage.Section(experiment: experiment, results: results, daily: daily))
            }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: DashboardPage.render(sections: sections))))
        }
    }
}
