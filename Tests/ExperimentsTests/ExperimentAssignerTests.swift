import Domain
import Testing
@testable import Experiments

struct ExperimentAssignerTests {
    static func experiment(weights: [Double], coverage: Double = 1, namespace: NamespaceRange? = nil) -> Experiment {
        Experiment(
            key: "homepage-weights", widgets: [.homepage], status: .running, coverage: coverage, namespace: namespace,
            variants: weights.enumerated().map { ExperimentVariant(key: "v\($0.offset)", weight: $0.element) })
    }

    @Test(arguments: [1, 2])
    func hundredThousandIDsDistributeWithinOnePercentOfTheWeights(version: Int) {
        var experiment = Self.experiment(weights: [0.2, 0.3, 0.5])
        experiment.hashVersion = version
        let configuration = ExperimentAssigner.Configuration(experiment)
        let ranges = configuration.ranges
        var counts = [0, 0, 0]
        let total = 100_000
        for i in 0..<total {
            let a = ExperimentAssigner.assign(unitID: "user-\(i)", configuration: configuration, ranges: ranges)
            #expect(a.inExperiment)
            counts[a.variation] += 1
        }
        for (count, weight) in zip(counts, experiment.weights) {
            #expect(abs(Double(count) / Double(total) - weight) < 0.01, "v\(version): \(counts)")
        }
    }

    @Test func reducedCoverageExcludesTheRestAndKeepsProportions() {
        let experiment = Self.experiment(weights: [0.5, 0.5], coverage: 0.4)
        var inCount = [0, 0]
        var out = 0
        for i in 0..<100_000 {
            let a = ExperimentAssigner.assign(unitID: "u\(i)", experiment: experiment)
            if a.inExperiment { inCount[a.variation] += 1 } else {
                out += 1
                #expect(a.variation == -1)
            }
        }
        #expect(abs(Double(out) / 100_000 - 0.6) < 0.01)
        #expect(abs(Double(inCount[0]) / 100_000 - 0.2) < 0.01)
    }

    @Test func theSameIDAlwaysGetsTheSameVariant() {
        let experiment = Self.experiment(weights: [0.5, 0.5])
        for i in 0..<1_000 {
            let id = "sticky-\(i)"
            let first = ExperimentAssigner.assign(unitID: id, experiment: experiment)
            // A fresh copy of the configuration stands in for another replica or a restart.
            let decoded = Self.experiment(weights: [0.5, 0.5])
            let again = ExperimentAssigner.assign(unitID: id, experiment: decoded)
            #expect(first == again)
        }
    }

    @Test func aKnownIDLandsInItsGrowthBookBucket() {
        // hash("seed", "a", 2) = 0.0505 (GrowthBook vector) → first half of a 50/50 split.
        let configuration = ExperimentAssigner.Configuration(seed: "seed", hashVersion: 2, numVariations: 2)
        let a = ExperimentAssigner.assign(unitID: "a", configuration: configuration)
        #expect(a.variation == 0)
        #expect(a.bucket.map { abs($0 - 0.0505) < 1e-9 } == true)
    }

    @Test func seedDefaultsToTheKey() {
        var experiment = Self.experiment(weights: [0.5, 0.5])
        #expect(experiment.effectiveSeed == "homepage-weights")
        experiment.hashSeed = "other"
        #expect(experiment.effectiveSeed == "other")
    }

    @Test func unitsOutsideTheNamespaceAreExcluded() {
        let namespace = NamespaceRange(name: "namespace1", start: 0, end: 0.4)
        let experiment = Self.experiment(weights: [0.5, 0.5], namespace: namespace)
        // GrowthBook vector: user "1" is not in namespace1 [0, 0.4).
        let a = ExperimentAssigner.assign(unitID: "1", experiment: experiment)
        #expect(!a.inNamespace && !a.inExperiment && a.variation == -1)
        var inside = 0
        for i in 0..<10_000 where ExperimentAssigner.assign(unitID: "n\(i)", experiment: experiment).inNamespace {
            inside += 1
        }
        #expect(abs(Double(inside) / 10_000 - 0.4) < 0.02)
    }

    @Test func unsupportedHashVersionExcludes() {
        let configuration = ExperimentAssigner.Configuration(seed: "abc", hashVersion: 99, numVariations: 2)
        let a = ExperimentAssigner.assign(unitID: "def", configuration: configuration)
        #expect(a.variation == -1 && !a.inExperiment && a.bucket == nil)
    }
}
