// swift-tools-version:6.1
import PackageDescription

/// HybridRank: a four-stage hybrid recommendation service (candidates → scoring → rerank → rules)
/// with an A/B framework, on PostgreSQL (libpq), Redis (hiredis) and BLAS.
///
/// Targets, one job each (docs/ARCHITECTURE.md has the map and one request's path):
/// - `Support`: what several modules need written once (SHA-256, ISO-8601 times, CSV, JSON bytes,
///   durations).
/// - `Domain`: value types every stage shares (products, interactions, candidates, weights).
/// - `Storage`: PostgreSQL through libpq and Redis through hiredis, migrations.
/// - `MiniLM`: the BERT tokenizer and encoder on `cblas_sgemm` (bi-encoder and cross-encoder);
///   `CEncoderKernels`: its element-wise steps and attention in C (AVX2 when present).
/// - `Candidates`, `Scoring`, `Rerank`, `Rules`: the four ranking stages (`CVectorKernels`: the
///   distance kernels, the int8 scan behind exact search and the HNSW graph core, in C).
/// - `Ranking`: the pipeline over the stages, its options and each widget's policy (`WidgetProfile`).
/// - `Experiments`: assignment, exposures, statistics.
/// - `Evaluation`: offline protocol (splits, metrics, backtests, batch recommendation from files).
/// - `Engine`: the application layer without HTTP (request services, live state, Redis adapters,
///   background services); `ShopData`: import, demo shop, shopper simulation.
/// - `Server`: HTTP only (route collections, DTOs, middleware, errors → responses) and the
///   composition root; `hybridrank`: the command line.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "HybridRank",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hybridrank", targets: ["hybridrank"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        // C module maps for the system libraries (Debian: libpq-dev, libhiredis-dev, libblas-dev).
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),

        // The vector kernels (fp32 dot products with AVX-512 / AVX2 + FMA / portable paths chosen
        // at run time, the int8 row scan behind exact search) and the HNSW graph core.
        .target(name: "CVectorKernels"),

        .target(name: "Domain", swiftSettings: swiftSettings),
        .target(
            name: "Storage",
            dependencies: [
                "Support", "CLibPQ", "CHiredis",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The encoder's element-wise steps and attention (AVX2 + FMA when present).
        .target(name: "CEncoderKernels"),
        .target(name: "MiniLM", dependencies: ["CBLAS", "CEncoderKernels", "Support"], swiftSettings: swiftSettings),
        .target(
            name: "Candidates",
            dependencies: ["Domain", "Support", "CBLAS", "CVectorKernels", .product(name: "Collections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Scoring", dependencies: ["Domain"], swiftSettings: swiftSettings),
        .target(name: "Rerank", dependencies: ["Domain", "MiniLM", "Support"], swiftSettings: swiftSettings),
        .target(name: "Rules", dependencies: ["Domain"], swiftSettings: swiftSettings),
        .target(
            name: "Experiments",
            dependencies: ["Domain", "Support", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Evaluation",
            dependencies: ["Domain", "Candidates", "Scoring", "Rerank", "Rules", "MiniLM", "Ranking", "Experiments", "Support", "CBLAS"],
            swiftSettings: swiftSettings
        ),
        // Shared helpers written once: hashing, timestamps, CSV, JSON text, durations.
        .target(name: "Support", dependencies: [.product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        // The ranking pipeline over the four stages, its options and each widget's policy. No I/O.
        .target(
            name: "Ranking",
            dependencies: ["Domain", "Candidates", "Scoring", "Rerank", "Rules", "Experiments", "Support"],
            swiftSettings: swiftSettings
        ),
        // The application layer: request services, live state, Redis adapters, background services.
        // No HTTP: it throws `ServiceError`, which the server maps to responses.
        .target(
            name: "Engine",
            dependencies: [
                "Domain", "Storage", "MiniLM", "Candidates", "Rerank", "Rules", "Experiments", "Ranking", "Support",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Catalog and event import, the demo shop generator and the shopper simulator (the CLI's).
        .target(
            name: "ShopData", dependencies: ["Domain", "Storage", "Support", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings),
        // HTTP only: route collections, DTOs, middleware, errors mapped to responses, and the
        // composition root that builds the application.
        .target(
            name: "Server",
            dependencies: [
                "Domain", "Storage", "Candidates", "Rerank", "Scoring", "Experiments", "Ranking", "Engine", "Support",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hybridrank",
            dependencies: [
                "Server", "Engine", "ShopData", "Support", "Domain", "Storage", "MiniLM", "Candidates", "CVectorKernels",
                "Scoring", "Rerank", "Experiments", "Evaluation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            // jemalloc replaces glibc's malloc in the service process (libjemalloc-dev, installed
            // by scripts/services.sh): a request allocates and frees hundreds of short-lived
            // arrays and strings; jemalloc's thread caches serve them without glibc's bin
            // consolidation (docs/benchmarks/service.md). Serving builds also pass
            // `--static-swift-stdlib` (scripts/demo.sh, README).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),

        // Tests mirror the modules; the pure-logic ones link no server library.
        // Hand-made fixtures several test targets share, and where `../shared` is.
        .target(name: "TestSupport", dependencies: ["Domain", "Rules", "Candidates"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "SupportTests", dependencies: ["Support", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        .testTarget(name: "MiniLMTests", dependencies: ["MiniLM", "CEncoderKernels", "Domain", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CandidatesTests", dependencies: ["Candidates", "CVectorKernels", "Domain", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Domain"], swiftSettings: swiftSettings),
        .testTarget(name: "RerankTests", dependencies: ["Rerank", "Rules", "Domain"], swiftSettings: swiftSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Domain", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RankingTests",
            dependencies: ["Ranking", "Candidates", "Scoring", "Rules", "Rerank", "Experiments", "Domain", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "Candidates", "Scoring", "Rerank", "Experiments", "Domain", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ExperimentsTests", dependencies: ["Experiments", "Domain", "Storage", "Support", "TestSupport"],
            // Reference values from scipy/statsmodels and the script that made them (read by path).
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ShopDataTests", dependencies: ["ShopData", "Domain", "Support"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "Ranking", "Candidates", "Rerank", "Scoring", "Rules", "Experiments", "Domain", "Support",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Engine", "Ranking", "Candidates", "Rerank", "Rules", "Experiments", "Storage", "MiniLM", "Domain",
                "Support",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        // Against the real PostgreSQL and Redis started by scripts/test.sh (POSTGRES_URL / REDIS_URL).
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Storage", "Server", "Domain", "Candidates", "Engine", "Ranking", "ShopData", "Experiments", "Support", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
