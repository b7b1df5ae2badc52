import Domain
import Foundation
import Testing
@testable import Experiments

struct ExperimentDefinitionFileTests {
    static let yaml = """
        experiments:
          - key: homepage-alpha
            description: More content weight on the homepage
            widgets: [homepage]
            status: running
            coverage: 0.5
            namespace: {name: ranking, start: 0, end: 0.5}
            starts_at: 2026-11-01T00:00:00Z
            variants:
              - key: control
                weight: 0.5
              - key: content-heavy
                weight: 0.5
                parameters:
                  alpha: 0.6
                  beta: 0.3
                  gamma: 0.1
                  rerank_window: 0
                  disabled_rules: [diversity]
          - key: cart-rerank
            widgets: [cart]
            hash_version: 1
            variants:
              - {key: control, weight: 0.34}
              - {key: rrf, weight: 0.66, parameters: {rerank_combination: rrf}}
        """

    @Test func yamlDefinitionsDecodeWithDefaultsAndParameters() throws {
        let file = try ExperimentDefinitionFile.parse(Self.yaml, format: .yaml)
        #expect(file.experiments.count == 2)
        let first = file.experiments[0]
        #expect(first.key == "homepage-alpha")
        #expect(first.status == .running)
        #expect(first.coverage == 0.5)
        #expect(first.namespace == NamespaceRange(name: "ranking", start: 0, end: 0.5))
        #expect(first.startsAt == Date(timeIntervalSince1970: 1_793_491_200))
        #expect(first.variants[1].parameters.alpha == 0.6)
        #expect(first.variants[1].parameters.rerankWindow == 0)
        #expect(first.variants[1].parameters.disabledRules == ["diversity"])
        #expect(first.variants[0].parameters.isEmpty)
        let second = file.experiments[1]
        #expect(second.status == .draft && second.hashVersion == 1 && second.coverage == 1)
        #expect(second.variants[1].parameters.rerankCombination == "rrf")
        #expect(file.validate().isEmpty)
    }

    @Test func jsonSingleObjectListAndWrapperAllParse() throws {
        let one = #"{"key":"x","widgets":["product"],"variants":[{"key":"a","weight":0.5},{"key":"b","weight":0.5}]}"#
        #expect(try ExperimentDefinitionFile.parse(one, format: .json).experiments.map(\.key) == ["x"])
        #expect(try ExperimentDefinitionFile.parse("[\(one),\(one)]", format: .json).experiments.count == 2)
        #expect(try ExperimentDefinitionFile.parse(#"{"experiments":[\#(one)]}"#, format: .json).experiments.count == 1)
        #expect(ExperimentDefinitionFile.Format.detect(path: "defs.txt", text: "  {") == .json)
        #expect(ExperimentDefinitionFile.Format.detect(path: "defs.yml", text: "{") == .yaml)
    }

    @Test func fileValidationPrefixesFieldsAndFindsDuplicates() throws {
        var file = try ExperimentDefinitionFile.parse(Self.yaml, format: .yaml)
        file.experiments[1].key = "homepage-alpha"
        file.experiments[1].variants[0].weight = 0.1
        let fields = Set(file.validate().map(\.field))
        #expect(fields.contains("experiments[1].key"))
        #expect(fields.contains("experiments[1].variants"))
    }

    @Test func applyingOverAStoppedExperimentIsRejected() throws {
        let file = try ExperimentDefinitionFile.parse(Self.yaml, format: .yaml)
        var stored = file.experiments[0]
        stored.status = .stopped
        let fields = Set(file.validate(stored: [stored]).map(\.field))
        #expect(fields == ["experiments[0].status"])
    }

    @Test func malformedFilesThrowWithoutEchoingContent() {
        #expect(throws: ExperimentDefinitionFile.ParseError.self) {
            try ExperimentDefinitionFile.parse("key: [unclosed secret-token", format: .yaml)
        }
        do {
            _ = try ExperimentDefinitionFile.parse(#"{"secret-token": 1}"#, format: .json)
        } catch {
            #expect(!String(describing: error).contains("secret-token"))
        }
    }

    @Test func experimentsRoundTripThroughTheSharedJSONCoding() throws {
        let file = try ExperimentDefinitionFile.parse(Self.yaml, format: .yaml)
        let data = try ExperimentCoding.makeEncoder().encode(file.experiments)
        let back = try ExperimentCoding.makeDecoder().decode([Experiment].self, from: data)
        #expect(back == file.experiments)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"rerank_window\":0") && text.contains("\"starts_at\":\"2026-11-01T00:00:00Z\""))
    }
}
