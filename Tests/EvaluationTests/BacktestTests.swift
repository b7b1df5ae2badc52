import Domain
@testable import Evaluation
import Foundation
import Testing
import TestSupport

@Suite struct BacktestTests {
    @Test func percentileInterpolatesLinearlyAsNumpyDoes() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) = [1.075, 2.5, 3.925]
        #expect(abs(PairedBootstrap.percentile([1, 2, 3, 4], 2.5) - 1.075) < 1e-12)
        #expect(abs(PairedBootstrap.percentile([1, 2, 3, 4], 50) - 2.5) < 1e-12)
        #expect(abs(PairedBootstrap.percentile([1, 2, 3, 4], 97.5) - 3.925) < 1e-12)
        #expect(PairedBootstrap.percentile([7], 2.5) == 7)
        #expect(PairedBootstrap.percentile([], 50).isNaN)
    }

    @Test func identicalRunsHaveRatioOneAndDeltaZeroWithoutWidth() {
        let values: [Double] = [0, 1, 0, 0.5, 1, 0.25]
        let bootstrap = PairedBootstrap(strata: [[values, values]], replicates: 200, seed: 3)
        let ratio = bootstrap.ratio(run: 1, base: 0, stratum: 0)
        let delta = bootstrap.delta(run: 1, base: 0)
        #expect(ratio == .init(estimate: 1, low: 1, high: 1))
        #expect(delta == .init(estimate: 0, low: 0, high: 0))
    }

    @Test func aRunShiftedOnEveryKeyHasThatDeltaInEveryReplicate() {
        let base: [Double] = [0.1, 0.4, 0.2, 0.9, 0.0]
        let run = base.map { $0 + 0.1 }
        let delta = PairedBootstrap(strata: [[run, base]], replicates: 100).delta(run: 0, base: 1)
        #expect(abs(delta.estimate - 0.1) < 1e-12)
        #expect(abs(delta.low - 0.1) < 1e-12 && abs(delta.high - 0.1) < 1e-12)
    }

    @Test func theMeanOverWindowsAveragesWindowMeansNotKeys() {
        // Window 1: run 1.0 vs base 0.5 on two keys; window 2: run 0 vs base 0.5 on one key.
        let bootstrap = PairedBootstrap(strata: [[[1, 1], [0.5, 0.5]], [[0], [0.5]]], replicates: 50)
        #expect(bootstrap.mean(series: 0).estimate == 0.5)  // (1 + 0) / 2, not the pooled 2/3
        #expect(bootstrap.ratio(run: 0, base: 1).estimate == 1)
        #expect(bootstrap.ratio(run: 0, base: 1, stratum: 0).estimate == 2)
        #expect(bootstrap.delta(run: 0, base: 1, stratum: 1).estimate == -0.5)
        // Constant within each window: every replicate is the estimate.
        #expect(bootstrap.ratio(run: 0, base: 1) == .init(estimate: 1, low: 1, high: 1))
    }

    @Test func aSeedGivesTheSameIntervalAndItBracketsTheEstimate() {
        let base: [Double] = (0..<200).map { Double($0 % 3 == 0 ? 1 : 0) }
        let run: [Double] = (0..<200).map { Double($0 % 2 == 0 ? 1 : 0) }
        let first = PairedBootstrap(strata: [[run, base]], replicates: 500, seed: 9).ratio(run: 0, base: 1)
        let again = PairedBootstrap(strata: [[run, base]], replicates: 500, seed: 9).ratio(run: 0, base: 1)
        let other = PairedBootstrap(strata: [[run, base]], replicates: 500, seed: 10).ratio(run: 0, base: 1)
        #expect(first == again)
        #expect(first != other)
        #expect(first.low < first.estimate && first.estimate < first.high)
        #expect(abs(first.estimate - 100.0 / 67.0) < 1e-12)
    }

    @Test func keyScoresAverageToTheProtocolMetricsOverTheSameKeys() {
        let lists = ["u1": ["a", "b", "c", "b"], "u2": ["z", "y"], "u4": ["q"]]
        let truth: [String: Set<ProductID>] = ["u1": ["b", "c", "d"], "u2": ["y"], "u3": ["a"]]
        let keys = ["u1", "u2", "u3"]
        let scores = RankingMetrics.keyScores(lists: lists, truth: truth, keys: keys)
        let m = RankingMetrics.score(lists: lists, truth: truth, catalogSize: 10)
        #expect(abs(scores.map(\.ndcg).reduce(0, +) / 3 - m.ndcg) < 1e-12)
        #expect(abs(scores.map(\.recall).reduce(0, +) / 3 - m.recall) < 1e-12)
        #expect(abs(scores.map(\.hit).reduce(0, +) / 3 - m.hitRate) < 1e-12)
        #expect(abs(scores.map(\.reciprocalRank).reduce(0, +) / 3 - m.mrr) < 1e-12)
        // u1: hits at ranks 2 and 3 of 3 relevant; u2: hit at rank 2; u3 has no list.
        #expect(scores[0].recall == 2.0 / 3.0)
        #expect(scores[1].reciprocalRank == 0.5)
        #expect(scores[2] == RankingMetrics.KeyScore())
    }

    @Test func reportTablesRatiosAgainstTheBaseRunPerWindowAndOnTheMean() throws {
        func cell(_ hits: [Double]) -> BacktestReport.Cell {
            BacktestReport.Cell(keyScores: hits.map { .init(recall: $0, ndcg: $0, hit: $0, reciprocalRank: $0 / 2) }, coverage: 0.5)
        }
        var report = BacktestReport(runs: ["pipeline", "popular"], base: "popular", replicates: 100)
        let samples = [BacktestReport.WindowSample(name: "w1", scored: 2, available: 2), .init(name: "w2", scored: 4, available: 10)]
        // w1: pipeline 1.0 vs 0.5; w2: 0.75 vs 0.75 → mean 0.875 vs 0.625 = 1.4×. No base
        // replicate can average 0, so every ratio is defined.
        let cells = [[cell([1, 1]), cell([0.5, 0.5])], [cell([1, 0.5, 1, 0.5]), cell([1, 0.5, 1, 0.5])]]
        report.add(task: .homepage, samples: samples, cells: cells)
        report.add(task: .cart, samples: samples, cells: cells)
        #expect(report.value(task: "A", metric: "NDCG@10", run: "pipeline") == 0.875)
        #expect(abs(report.ratio(task: "A", metric: "NDCG@10", run: "pipeline").estimate - 1.4) < 1e-12)
        #expect(report.ratio(task: "C", metric: "MRR@10", run: "pipeline", window: 1) == .init(estimate: 1, low: 1, high: 1))
        #expect(report.delta(task: "C", metric: "HitRate@10", run: "pipeline", window: 0).estimate == 0.5)
        let markdown = report.markdown
        #expect(markdown.contains("### Task A — homepage discovery (users: w1 2, w2 4 of 10)"))
        #expect(markdown.contains("| w2 | pipeline | 0.7500 | 0.7500 | 0.7500 | 0.500 | 1.000× [1.000, 1.000] |"))
        #expect(markdown.contains("| **mean** | popular | 0.6250 | 0.6250 | 0.6250 | 0.500 | — | — | — |"))
        let json = try JSONSerialization.jsonObject(with: report.json(extra: ["command": "test"])) as! [String: Any]
        let rows = json["rows"] as! [[String: Any]]
        #expect(rows.count == 2 * 3 * 2)  // tasks × (windows + mean) × runs
        let meanA = rows.first { $0["task"] as? String == "A" && $0["window"] as? String == "mean" && $0["run"] as? String == "pipeline" }!
        let ratio = ((meanA["versusBase"] as! [String: Any])["NDCG@10"] as! [String: Any])["ratio"] as! [String: Double]
        #expect(abs(ratio["estimate"]! - 1.4) < 1e-12)
    }

    @Test func windowFilesLoadWithTheirTruthAndSampleTheSameKeysForASeed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hybridrank-backtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "users_taskA.csv": "user_id\nu1\nu2\nu3\n",
            "truth_taskA.csv": "user_id,product_id\nu1,a\nu1,b\nu2,c\nu3,a\n",
            "taskC_queries.csv": "basket_id,customer_id,timestamp,cart\nb1,u1,2011-06-01T07:37:00,a b\nb2,u2,2011-06-02T07:37:00,c\n",
            "truth_taskC.csv": "basket_id,product_id\nb1,c\nb2,a\n",
        ]
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let queries = try BacktestQueries.load(folder: folder)
        #expect(queries.users == ["u1", "u2", "u3"])
        #expect(queries.truthA["u1"] == ["a", "b"])
        #expect(queries.carts.map(\.cart) == [["a", "b"], ["c"]])
        #expect(queries.carts.map(\.hidden) == ["c", "a"])
        let sample = queries.sampled(limit: 2, seed: 4)
        #expect(sample.users.count == 2 && sample.carts.count == 2 && sample.allUsers == 3)
        #expect(sample.users == queries.sampled(limit: 2, seed: 4).users)
        #expect(Set(sample.users).isSubset(of: queries.users) && sample.users == sample.users.sorted())
        #expect(BacktestWindow.named("bt-2010-autumn")?.start == RetailTimestamp.parse("2010-09-01"))
    }

    @Test func userKNNAndTheBlendRecommendWhatTheNearestShopperBought() {
        let history = [
            TestFixtures.purchase("u1", "a", basket: "1", day: 0), TestFixtures.purchase("u1", "b", basket: "1", day: 0),
            TestFixtures.purchase("u2", "a", basket: "2", day: 1), TestFixtures.purchase("u2", "b", basket: "2", day: 1),
            TestFixtures.purchase("u2", "c", basket: "2", day: 1),
            TestFixtures.purchase("u3", "d", basket: "3", day: 2), TestFixtures.purchase("u4", "d", basket: "4", day: 2),
        ]
        let baselines = Baselines(history: history, now: TestFixtures.day(3))
        // u1's only neighbour is u2 (shares a and b), who also bought c; d is merely popular.
        #expect(baselines.users(["u1"], kind: .userKNN, k: 2, excludePurchased: true)["u1"] == ["c", "d"])
        #expect(baselines.users(["u1"], kind: .knnBlend, k: 1, excludePurchased: true)["u1"] == ["c"])
    }

    @Test func choleskySolvesASymmetricPositiveDefiniteSystem() {
        // A = [[4, 2], [2, 3]] (upper triangle given), b = [2, 5] → x = [-0.5, 2].
        let x = ImplicitALS.choleskySolve(upper: [4, 2, 0, 3], [2, 5], size: 2)
        #expect(abs(x[0] + 0.5) < 1e-6 && abs(x[1] - 2) < 1e-6)
    }

    @Test func implicitALSRanksTheCoBoughtProductOverAnUnrelatedOne() {
        // Two groups of shoppers: {a, b, c} and {x, y, z}; u0 bought a and b only.
        var history: [Interaction] = []
        for n in 1...6 {
            for p in ["a", "b", "c"] { history.append(TestFixtures.purchase("g\(n)", p, basket: "g\(n)", day: 0)) }
            for p in ["x", "y", "z"] { history.append(TestFixtures.purchase("h\(n)", p, basket: "h\(n)", day: 0)) }
        }
        history += [TestFixtures.purchase("u0", "a", basket: "u0", day: 1), TestFixtures.purchase("u0", "b", basket: "u0", day: 1)]
        let als = ImplicitALS(history: history, configuration: .init(factors: 4, regularization: 0.1, iterations: 10))
        let user = als.scores(user: "u0")
        #expect(user["c"]! > user["x"]! && user["c"]! > user["z"]!)
        let cart = als.scores(cart: ["x", "y"])
        #expect(cart["z"]! > cart["a"]!)
        #expect(als.scores(user: "nobody").isEmpty && als.scores(cart: ["unknown"]).isEmpty)
    }
}
