import Foundation
import Testing
@testable import Experiments

/// A misspelt key must be refused, named and explained — on every surface that reads
/// definitions (JSON over the API, YAML and JSON files for `experiments apply` and `replay`) —
/// while documents the service stored itself stay readable by an older replica.
struct StrictKeysTests {
    static let typoJSON = #"""
        {"key": "typo", "widgets": ["homepage"], "variants": [
          {"key": "control", "weight": 0.5},
          {"key": "treatment", "weight": 0.5, "parameters": {"alfa": 0.3}}]}
        """#

    @Test func anUnknownVariantParameterIsAFieldErrorWithTheNearestKey() throws {
        let error = try #require(throws: FieldError.self) {
            try ExperimentCoding.makeDecoder().decode(Experiment.self, from: Data(Self.typoJSON.utf8))
        }
        #expect(error.field == "variants[1].parameters.alfa")
        #expect(error.message.contains("'alpha'"))
    }

    @Test func unknownKeysAreRefusedAtEveryLevelOfAnExperiment() {
        let documents: [(String, String)] = [
            (#"{"key": "k", "widgets": ["homepage"], "varients": []}"#, "varients"),
            (#"{"key": "k", "widgets": ["homepage"], "variants": [{"key": "a", "weight": 1, "wieght": 1}]}"#, "variants[0].wieght"),
        ]
        for (json, field) in documents {
            let error = try? #require(throws: FieldError.self) {
                try ExperimentCoding.makeDecoder().decode(Experiment.self, from: Data(json.utf8))
            }
            #expect(error?.field == field)
        }
    }

    @Test func aDefinitionFileNamesTheTypoInYAMLAndJSON() {
        let yaml = """
            experiments:
              - key: typo
                widgets: [homepage]
                variants:
                  - {key: control, weight: 0.5}
                  - key: treatment
                    weight: 0.5
                    parameters: {rerank_windw: 10}
            """
        for (text, format, field) in [
            (yaml, ExperimentDefinitionFile.Format.yaml, "experiments[0].variants[1].parameters.rerank_windw"),
            (Self.typoJSON, .json, "variants[1].parameters.alfa"),
        ] {
            do {
                _ = try ExperimentDefinitionFile.parse(text, format: format)
                Issue.record("\(format) with a typo was accepted")
            } catch {
                let detail = (error as? ExperimentDefinitionFile.ParseError)?.detail ?? ""
                #expect(detail.contains(field), "\(format): \(detail)")
            }
        }
    }

    @Test func storedDefinitionsAreReadLeniently() throws {
        let stored = #"{"key": "k", "widgets": ["homepage"], "added_by_a_newer_version": 1, "variants": [{"key": "a", "weight": 1}]}"#
        let experiment = try ExperimentSQL.decodeDefinition(stored)
        #expect(experiment.key == "k")
        #expect(experiment.variants.count == 1)
    }

    @Test func theKeyMayComeFromThePathInstead() throws {
        let experiment = try ExperimentCoding.makeDecoder().decode(
            Experiment.self, from: Data(#"{"widgets": ["homepage"], "variants": [{"key": "a", "weight": 1}]}"#.utf8))
        #expect(experiment.key == "")
        #expect(ExperimentValidator().validate(experiment).contains { $0.field == "key" })
    }

    @Test func theHintIsOnlyGivenForNearMisses() {
        let known = VariantParameters.CodingKeys.allCases.map(\.stringValue)
        #expect(StrictKeys.nearest(to: "alfa", in: known) == "alpha")
        #expect(StrictKeys.nearest(to: "Gamma", in: known) == "gamma")
        #expect(StrictKeys.nearest(to: "rerank_windows", in: known) == "rerank_window")
        #expect(StrictKeys.nearest(to: "colour", in: known) == nil)
    }
}
