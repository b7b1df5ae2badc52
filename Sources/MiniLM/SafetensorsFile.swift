import Foundation
import Support

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw tensor bytes.
///
/// The file is memory-mapped, so reading it costs no copy of the whole file: floating-point tensors
/// (F32, F16, BF16) are converted one at a time into `[Float]` by `floats(_:)`. Integer tensors such as
/// `embeddings.position_ids` are listed but never converted.
struct SafetensorsFile {
    enum DType: String {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

        var byteWidth: Int {
            switch self {
            case .f64, .i64: 8
            case .f32, .i32: 4
            case .f16, .bf16, .i16: 2
            case .i8, .u8, .bool: 1
            }
        }
    }

    struct TensorInfo {
        var dtype: DType
        var shape: [Int]
        var byteRange: Range<Int>
        var elementCount: Int { shape.reduce(1, *) }
    }

    let fileName: String
    private let data: Data
    private let dataStart: Int
    private(set) var tensors: [String: TensorInfo]

    init(url: URL) throws {
        fileName = url.lastPathComponent
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw MiniLMError(.fileUnreadable, file: url.lastPathComponent)
        }
        let invalid = MiniLMError(.invalidSafetensors, file: url.lastPathComponent)
        guard data.count >= 8 else { throw invalid }
        let headerLength = data.withUnsafeBytes { raw in
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        }
        guard headerLength <= UInt64(data.count - 8) else { throw invalid }
        dataStart = 8 + Int(headerLength)
        let header = data.subdata(in: 8..<dataStart)
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else { throw invalid }
        var tensors: [String: TensorInfo] = [:]
        let payload = data.count - dataStart
        for (name, value) in object where name != "__metadata__" {
            guard let entry = value as? [String: Any],
                let dtypeName = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int],
                let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= payload
            else { throw invalid }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw MiniLMError(.unsupportedDType, file: name)
            }
            let info = TensorInfo(dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
            guard info.elementCount * dtype.byteWidth == info.byteRange.count else { throw invalid }
            tensors[name] = info
        }
        self.tensors = tensors
    }

    /// Whether a tensor of that name exists.
    func contains(_ name: String) -> Bool { tensors[name] != nil }

    /// The tensor's shape, or an error naming the tensor when it is absent.
    func shape(_ name: String) throws -> [Int] {
        guard let info = tensors[name] else { throw MiniLMError(.missingTensor, file: name) }
        return info.shape
    }

    /// Converts a floating-point tensor to `Float`, row-major as stored, and appends it to `output`.
    ///
    /// - Parameter expectedShape: checked exactly, so a model of another size fails loudly here.
    /// - Complexity: O(elements).
    func appendFloats(_ name: String, expectedShape: [Int], to output: inout [Float]) throws {
        guard let info = tensors[name] else { throw MiniLMError(.missingTensor, file: name) }
        guard info.shape == expectedShape else { throw MiniLMError(.unexpectedShape, file: name) }
        let start = output.count
        let count = info.elementCount
        output.append(contentsOf: repeatElement(0, count: count))
        let base = dataStart + info.byteRange.lowerBound
        try output.withUnsafeMutableBufferPointer { outBuffer in
            let out = outBuffer.baseAddress! + start
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let bytes = raw.baseAddress! + base
                switch info.dtype {
                case .f32:
                    for i in 0..<count {
                        out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                case .f16:
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = Self.floatFromHalf(bits)
                    }
                case .bf16:
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                case .f64:
                    for i in 0..<count {
                        out[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    }
                default:
                    throw MiniLMError(.unsupportedDType, file: name)
                }
            }
        }
    }

    /// A whole tensor as `[Float]`.
    func floats(_ name: String, expectedShape: [Int]) throws -> [Float] {
        var output: [Float] = []
        output.reserveCapacity(expectedShape.reduce(1, *))
        try appendFloats(name, expectedShape: expectedShape, to: &output)
        return output
    }

    /// IEEE 754 binary16 to binary32, exact for every value (subnormals, infinities, NaN), with no
    /// dependency on the platform's `Float16` support.
    @inline(__always)
    static func floatFromHalf(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// SHA-256 of the whole file, hex-encoded: the identity of the weights in a model version.
    func sha256Hex() -> String {
        data.withUnsafeBytes { SHA256.hex(of: $0) }
    }
}
