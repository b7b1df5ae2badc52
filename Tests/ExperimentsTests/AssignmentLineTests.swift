import Domain
import Foundation
import Testing
@testable import Experiments

struct AssignmentLineTests {
    @Test func aGrowthBookVectorRoundTripsThroughTheLineFormat() {
        // hash("seed", "a", 2) = 0.0505.
        let out = AssignmentLine.process(#"{"id":"a","seed":"seed","hashVersion":2,"numVariations":2}"#)
        #expect(out == #"{"variation":0,"inExperiment":true,"inNamespace":true,"bucket":0.0505}"#)
    }

    @Test func coverageWeightsAndNamespaceAreHonoured() {
        // hash("", "a", 1) = 0.22 → outside [0, 0.1) with coverage 0.2 of a 50/50 split.
        let out = AssignmentLine.process(#"{"id":"a","seed":"","hashVersion":1,"numVariations":2,"coverage":0.2}"#)
        #expect(out == #"{"variation":-1,"inExperiment":false,"inNamespace":true,"bucket":0.22}"#)
        let weighted = AssignmentLine.process(#"{"id":"a","seed":"","numVariations":2,"weights":[0.1,0.9]}"#)
        #expect(weighted.hasPrefix(#"{"variation":1,"#))
        let outside = AssignmentLine.process(
            #"{"id":"1","seed":"s","hashVersion":2,"numVariations":2,"namespace":["namespace1",0,0.4]}"#)
        #expect(outside == #"{"variation":-1,"inExperiment":false,"inNamespace":false,"bucket":null}"#)
    }

    @Test func invalidLinesAnswerAnErrorObject() {
        #expect(AssignmentLine.process("not json") == #"{"error":"invalid input line"}"#)
        #expect(AssignmentLine.process(#"{"id":"a"}"#) == #"{"error":"invalid input line"}"#)
    }

    @Test func outputIsValidJSON() throws {
        let out = AssignmentLine.process(#"{"id":"u-17","seed":"exp","hashVersion":2,"numVariations":3}"#)
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        #expect(object?["variation"] as? Int != nil)
        #expect(object?["inExperiment"] as? Bool == true)
    }
}

/// An in-memory `ExperimentStore` for the applier.
actor MemoryExperimentStore: ExperimentStore {
    var experiments: [String: Experiment] = [:]
    var saves = 0

    func loadExperiments() async throws -> [Experiment] { Array(experiments.values) }

    func save(_ batch: [Experiment]) async throws {
        saves += 1
        for experiment in batch { experiments[experiment.key] = experiment }
    }
}

struct ExperimentApplierTests {
    @Test func applyCreatesThenReportsUnchangedThenRejectsInvalidFiles() async throws {
        let store = MemoryExperimentStore()
        let file = try ExperimentDefinitionFile.parse(ExperimentDefinitionFileTests.yaml, format: .yaml)
        let first = try await ExperimentApplier().apply(file, to: store)
        #expect(first.created.sorted() == ["cart-rerank", "homepage-alpha"])
        let second = try await ExperimentApplier().apply(file, to: store)
        #expect(second.unchanged.count == 2 && second.created.isEmpty)
        #expect(await store.saves == 1)

        var bad = file
        bad.experiments[1].variants[1].weight = 0.9
        await #expect(throws: ExperimentValidationError.self) {
            _ = try await ExperimentApplier().apply(bad, to: store)
        }
        #expect(await store.experiments["cart-rerank"]?.variants[1].weight == 0.66)
    }

    /// A file that starts or stops an experiment gives it the times the API's start and stop give,
    /// and applying it again keeps them.
    @Test func applyStampsTheStartAndStopTimesTheResultsRead() async throws {
        let store = MemoryExperimentStore()
        var file = try ExperimentDefinitionFile.parse(ExperimentDefinitionFileTests.yaml, format: .yaml)
        file.experiments[1].status = .running
        let monday = Date(timeIntervalSince1970: 1_764_547_200), tuesday = monday.addingTimeInterval(86_400)
        _ = try await ExperimentApplier().apply(file, to: store, now: monday)
        #expect(await store.experiments["cart-rerank"]?.startsAt == monday)
        #expect(await store.experiments["homepage-alpha"]?.startsAt == Date(timeIntervalSince1970: 1_793_491_200), "a given start stays")
        #expect(try await ExperimentApplier().apply(file, to: store, now: tuesday).unchanged.count == 2, "the same file again changes nothing")

        file.experiments[1].status = .stopped
        let report = try await ExperimentApplier().apply(file, to: store, now: tuesday)
        #expect(report.updated == ["cart-rerank"])
        #expect(await store.experiments["cart-rerank"]?.startsAt == monday)
        #expect(await store.experiments["cart-rerank"]?.endsAt == tuesday)
        let draft = Experiment(key: "d", widgets: [.homepage], variants: [ExperimentVariant(key: "control", weight: 1)])
        #expect(draft.withLifecycleTimes(previous: nil, now: monday).startsAt == nil, "a draft has not started")

        // One started before starts were stamped keeps none, so the same file applies unchanged.
        let legacy = MemoryExperimentStore()
        var running = file.experiments[0]
        running.startsAt = nil
        try await legacy.save([running])
        var same = file
        same.experiments = [running]
        #expect(try await ExperimentApplier().apply(same, to: legacy, now: tuesday).unchanged == ["homepage-alpha"])
    }

    @Test func dryRunWritesNothing() async throws {
        let store = MemoryExperimentStore()
        let file = try ExperimentDefinitionFile.parse(ExperimentDefinitionFileTests.yaml, format: .yaml)
        let report = try await ExperimentApplier().apply(file, to: store, dryRun: true)
        #expect(report.created.count == 2)
        #expect(await store.experiments.isEmpty)
    }

    @Test func userLinesAreAssignedAsTheServiceAssignsThem() {
        let experiment = Experiment(
            key: "homepage-alpha", widgets: [.homepage], status: .running,
            variants: [ExperimentVariant(key: "control", weight: 0.5), ExperimentVariant(key: "content-heavy", weight: 0.5)])
        var seen: Set<String> = []
        for user in (0..<50).map({ "user-\($0)" }) {
            let expected = ExperimentAssigner.assign(unitID: user, experiment: experiment)
            let key = experiment.variants[expected.variation].key
            let plain = AssignmentLine.process(userLine: user, experiment: experiment)
            #expect(plain == #"{"id":"\#(user)","variant":"\#(key)","variation":\#(expected.variation),"inExperiment":true}"#)
            #expect(AssignmentLine.process(userLine: #"{"id":"\#(user)"}"#, experiment: experiment) == plain)
            seen.insert(key)
        }
        #expect(seen == ["control", "content-heavy"])
        #expect(AssignmentLine.process(userLine: "{oops", experiment: experiment).hasPrefix(#"{"error""#))
    }
}
