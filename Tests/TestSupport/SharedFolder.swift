import Foundation

/// The evaluation data, fixtures and test vectors kept beside the repository (`../shared`), or
/// where `HYBRIDRANK_SHARED_DIR` points: a clone made elsewhere (a temporary directory) has no
/// `../shared`, and `scripts/test.sh` then sets it from the checkout the clone came from. Found
/// from this file's location, so tests run from any working directory.
public enum SharedFolder {
    /// The repository root (this file is `Tests/TestSupport/SharedFolder.swift`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public static var url: URL {
        ProcessInfo.processInfo.environment["HYBRIDRANK_SHARED_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }
}
