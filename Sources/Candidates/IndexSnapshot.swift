import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a saved vector index was built from: the bi-encoder version its vectors come from and the
/// catalog watermark it reflects. A replica loads a snapshot only for the model it serves, then
/// applies the catalog changes made after `catalogWatermark` instead of rebuilding.
public struct IndexSnapshotMetadata: Sendable, Hashable {
    public var modelVersion: String
    /// The catalog's change watermark (PostgreSQL's clock) the index is current to.
    public var catalogWatermark: Date

    public init(modelVersion: String, catalogWatermark: Date) {
        self.modelVersion = modelVersion
        self.catalogWatermark = catalogWatermark
    }
}

/// Why a snapshot could not be written or read. A struct over a private code, so new cases do not
/// break callers; the description names the file, never its contents.
public struct IndexSnapshotError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable { case io, format, kind, dimension }
    public let code: Code
    public let path: String

    public var description: String {
        switch code {
        case .io: return "vector index snapshot \(path): read or write failed"
        case .format: return "vector index snapshot \(path): not a snapshot of this format version"
        case .kind: return "vector index snapshot \(path): holds the other kind of index"
        case .dimension: return "vector index snapshot \(path): dimension differs"
        }
    }
}

/// The snapshot file: a header both index kinds share (magic, format version, kind, dimension,
/// metadata, attribute codes), then each kind's own sections. Written to a temporary file and
/// renamed, so a crash mid-write leaves the previous snapshot in place.
struct SnapshotFile {
    static let magic: UInt32 = 0x4852_5649  // "HRVI"
    /// 2: `RowAttributes` 16 bytes (fields reordered), the HNSW node lock in the block header.
    static let formatVersion: UInt32 = 2
    enum Kind: UInt8 { case exact = 0, hnsw = 1 }

    let file: UnsafeMutablePointer<FILE>
    let path: String

    /// Opens `path` for writing (through a temporary file), runs `body`, renames into place.
    static func write(to url: URL, _ body: (SnapshotFile) throws -> Void) throws {
        let temporary = url.path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else { throw IndexSnapshotError(code: .io, path: url.path) }
        let snapshot = SnapshotFile(file: file, path: url.path)
        do {
            try body(snapshot)
            guard fflush(file) == 0 else { throw IndexSnapshotError(code: .io, path: url.path) }
            fclose(file)
        } catch {
            fclose(file)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, url.path) == 0 else {
            unlink(temporary)
            throw IndexSnapshotError(code: .io, path: url.path)
        }
    }

    static func read<T>(from url: URL, _ body: (SnapshotFile) throws -> T) throws -> T {
        guard let file = fopen(url.path, "rb") else { throw IndexSnapshotError(code: .io, path: url.path) }
        defer { fclose(file) }
        return try body(SnapshotFile(file: file, path: url.path))
    }

    func failure(_ code: IndexSnapshotError.Code = .io) -> IndexSnapshotError { IndexSnapshotError(code: code, path: path) }

    // MARK: - Header

    func writeHeader(kind: Kind, dimension: Int, metadata: IndexSnapshotMetadata, codes: AttributeCodes) throws {
        try write(Self.magic)
        try write(Self.formatVersion)
        try write(kind.rawValue)
        try write(UInt32(dimension))
        try write(metadata.modelVersion)
        try write(metadata.catalogWatermark.timeIntervalSince1970)
        let tables = codes.tables
        try write(UInt32(tables.categories.count))
        for (name, code) in tables.categories.sorted(by: { $0.value < $1.value }) {
            try write(name)
            try write(code)
        }
        try write(UInt32(tables.currencies.count))
        for (name, code) in tables.currencies.sorted(by: { $0.value < $1.value }) {
            try write(name)
            try write(code)
        }
    }

    func readHeader(kind: Kind) throws -> (dimension: Int, metadata: IndexSnapshotMetadata, codes: AttributeCodes) {
        guard try read(UInt32.self) == Self.magic, try read(UInt32.self) == Self.formatVersion else { throw failure(.format) }
        guard try read(UInt8.self) == kind.rawValue else { throw failure(.kind) }
        let dimension = Int(try read(UInt32.self))
        let model = try readString()
        let watermark = Date(timeIntervalSince1970: try read(Double.self))
        var categories: [String: Int32] = [:], currencies: [String: Int16] = [:]
        for _ in 0..<Int(try read(UInt32.self)) {
            let name = try readString()
            categories[name] = try read(Int32.self)
        }
        for _ in 0..<Int(try read(UInt32.self)) {
            let name = try readString()
            currencies[name] = try read(Int16.self)
        }
        return (dimension, IndexSnapshotMetadata(modelVersion: model, catalogWatermark: watermark),
                AttributeCodes(categories: categories, currencies: currencies))
    }

    // MARK: - Values

    func write<T: BitwiseCopyable>(_ value: T) throws {
        var copy = value
        guard fwrite(&copy, MemoryLayout<T>.size, 1, file) == 1 else { throw failure() }
    }

    func read<T: BitwiseCopyable>(_: T.Type) throws -> T {
        try withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buffer in
            guard fread(buffer.baseAddress!, MemoryLayout<T>.size, 1, file) == 1 else { throw failure() }
            return buffer[0]
        }
    }

    func write(_ string: String) throws {
        var bytes = Array(string.utf8)
        try write(UInt32(bytes.count))
        guard bytes.isEmpty || fwrite(&bytes, 1, bytes.count, file) == bytes.count else { throw failure() }
    }

    func readString() throws -> String {
        let count = Int(try read(UInt32.self))
        guard count > 0 else { return "" }
        guard count <= 1 << 20 else { throw failure(.format) }
        return try String(unsafeUninitializedCapacity: count) { buffer in
            guard fread(buffer.baseAddress!, 1, count, file) == count else { throw failure() }
            return count
        }
    }

    /// An array of plain values, count first.
    func write<T: BitwiseCopyable>(array: [T]) throws {
        try write(UInt64(array.count))
        try array.withUnsafeBufferPointer { buffer in
            guard buffer.isEmpty || fwrite(buffer.baseAddress!, MemoryLayout<T>.stride, buffer.count, file) == buffer.count else { throw failure() }
        }
    }

    func readArray<T: BitwiseCopyable>(of _: T.Type) throws -> [T] {
        let count = Int(try read(UInt64.self))
        guard count >= 0, count < 1 << 36 else { throw failure(.format) }
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard count == 0 || fread(buffer.baseAddress!, MemoryLayout<T>.stride, count, file) == count else { throw failure() }
            initialized = count
        }
    }
}
