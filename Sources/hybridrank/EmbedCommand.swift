import ArgumentParser
import Domain
import Engine
import Foundation
import MiniLM
import Server
import ShopData
import Storage

/// `hybridrank embed`: embeds every product that has no current embedding for the bi-encoder's
/// model version and stores the vectors in PostgreSQL. Resumable: it only ever picks products
/// whose embedding is missing or older than the product, so an interrupted run continues.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed", abstract: "Embed the catalog into PostgreSQL with the bi-encoder (resumable).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Bi-encoder model directory.") var model: String = ".models/all-MiniLM-L6-v2"
    @Option(help: "Products per batch.") var batchSize: Int = 256
    @Option(help: "BLAS threads.") var threads: Int = 2

    func run() async throws {
        let encoder = try BiEncoder(modelDirectory: URL(fileURLWithPath: model), threads: threads)
        let done = try await database.withClient(poolSize: 2) { postgres in
            let repository = ProductRepository(postgres: postgres)
            let total = try await repository.countNeedingEmbedding(modelVersion: encoder.modelVersion)
            var done = 0
            let progress = ProgressLine(label: "embed", total: total)
            while true {
                let batch = try await repository.productsNeedingEmbedding(modelVersion: encoder.modelVersion, limit: batchSize)
                if batch.isEmpty { break }
                let vectors = encoder.embed(batch.map(\.embeddingText))
                try await repository.storeEmbeddings(Array(zip(batch.map(\.id), vectors)), modelVersion: encoder.modelVersion)
                done += batch.count
                progress.update(done)
            }
            progress.finish(done)
            _ = try await postgres.execute(
                """
                INSERT INTO model_versions (name, version, kind, path) VALUES ('bi-encoder', $1, 'bi-encoder', $2)
                ON CONFLICT (name, version) DO NOTHING
                """, [encoder.modelVersion, model])
            return done
        }
        print("embedded \(done) products with \(encoder.modelVersion)")
    }
}

/// A one-line progress bar on stderr (rows done, rate), redrawn in place.
struct ProgressLine {
    let label: String
    let total: Int
    let started = Date()

    func update(_ done: Int) {
        let elapsed = max(Date().timeIntervalSince(started), 1e-3)
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = Int((Double(done) / elapsed).rounded())
        let line = "\r\(label) [\(bar)] \(done)/\(total) \(rate)/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish(_ done: Int) {
        update(done)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
