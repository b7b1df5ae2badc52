import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Precedence made visible: a running experiment that overrides a widget's settings is named
/// where the settings are read (`GET /v1/widgets…`) and in explain, with the keys it overrides.
struct SettingsPrecedenceTests {
    static let experiment = #"""
        {"key": "homepage-gamma", "widgets": ["homepage"], "variants": [
          {"key": "control", "weight": 0.5},
          {"key": "popular", "weight": 0.5, "parameters": {"gamma": 1, "alpha": 0}}]}
        """#

    @Test func settingsAndExplainNameTheExperimentThatOverridesThem() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json(
                "/v1/products:batch", method: .post, body: ExperimentEndToEndTests.catalogBatch)
            #expect(status == 200)
            (status, json) = try await client.json(
                "/v1/widgets/homepage/settings", method: .put, body: #"{"parameters": {"alpha": 0, "beta": 0, "gamma": 1}}"#)
            #expect(status == 200)
            #expect((json["overridden_by"] as? [Any])?.isEmpty == true, "no experiment yet")

            (status, _) = try await client.json("/v1/experiments", method: .post, body: Self.experiment)
            #expect(status == 201)
            (status, _) = try await client.json("/v1/experiments/homepage-gamma/start", method: .post)
            #expect(status == 200)

            (status, json) = try await client.json("/v1/widgets/homepage/settings")
            #expect(status == 200)
            let overrides = try #require(json["overridden_by"] as? [[String: Any]])
            #expect(overrides.count == 1)
            #expect(overrides.first?["experiment"] as? String == "homepage-gamma")
            #expect(overrides.first?["keys"] as? [String] == ["alpha", "gamma"])
            #expect((overrides.first?["applies_to"] as? String)?.contains("user_id") == true)

            (status, json) = try await client.json("/v1/widgets")
            let widgets = try #require(json["widgets"] as? [[String: Any]])
            let product = widgets.first { $0["widget"] as? String == "product" }
            let homepage = widgets.first { $0["widget"] as? String == "homepage" }
            #expect((product?["overridden_by"] as? [Any])?.isEmpty == true)
            #expect((homepage?["overridden_by"] as? [Any])?.count == 1)

            // Explain names each layer; the anonymous request has no experiment layer.
            var sawExperimentLayer = false
            for user in (0..<12).map({ "shopper-\($0)" }) {
                (status, json) = try await client.json("/v1/recommendations/homepage?user_id=\(user)&explain=true")
                #expect(status == 200)
                let first = (json["notes"] as? [String])?.first ?? ""
                #expect(first.hasPrefix("options: homepage defaults ← widget settings (alpha, beta, gamma)"), "\(first)")
                if first.contains("← experiment homepage-gamma/popular (alpha, gamma)") { sawExperimentLayer = true }
                #expect(first.contains("← experiment homepage-gamma/"), "\(first)")
            }
            #expect(sawExperimentLayer)
            (status, json) = try await client.json("/v1/recommendations/homepage?explain=true")
            let anonymous = (json["notes"] as? [String])?.first ?? ""
            #expect(!anonymous.contains("experiment"), "\(anonymous)")
        }
    }
}
