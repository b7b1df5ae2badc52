import Candidates
import Domain

/// A toy item2vec corpus and a training configuration small enough for a unit test.
public enum Item2VecFixture {
    /// Two groups of six products; every basket holds three products of one group. Products of
    /// one group are bought together, never with the other group's.
    public static func twoGroupCorpus(baskets: Int = 300, seed: UInt64 = 7) -> [Item2VecTrainer.Sequence] {
        let groups = [(0..<6).map { "A\($0)" }, (0..<6).map { "B\($0)" }]
        var random = SplitMix64(seed: seed)
        return (0..<baskets).map { index in
            let group = groups[index % 2]
            var picked = Set<String>()
            while picked.count < 3 { picked.insert(group[Int(random.next() % 6)]) }
            return Item2VecTrainer.Sequence(items: picked.sorted(), isUnordered: true)
        }
    }

    public static let toyConfiguration = Item2VecTrainer.Configuration(
        dimensions: 16, window: 3, negatives: 4, epochs: 10, learningRate: 0.05, minCount: 1, subsampling: 0, seed: 1)
}
