/// An error loading a model directory. The description names the failing file (inside the model
/// directory) and the kind of failure, never text the encoder was asked to process.
public struct MiniLMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; a struct over a private enum so new cases do not break callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Kind: Sendable, Hashable {
            case fileUnreadable, invalidConfiguration, unsupportedActivation, invalidSafetensors
            case missingTensor, unexpectedShape, unsupportedDType, invalidVocabulary
        }
        let kind: Kind
        public static let fileUnreadable = Code(kind: .fileUnreadable)
        public static let invalidConfiguration = Code(kind: .invalidConfiguration)
        public static let unsupportedActivation = Code(kind: .unsupportedActivation)
        public static let invalidSafetensors = Code(kind: .invalidSafetensors)
        public static let missingTensor = Code(kind: .missingTensor)
        public static let unexpectedShape = Code(kind: .unexpectedShape)
        public static let unsupportedDType = Code(kind: .unsupportedDType)
        public static let invalidVocabulary = Code(kind: .invalidVocabulary)

        public var description: String {
            switch kind {
            case .fileUnreadable: "file unreadable"
            case .invalidConfiguration: "invalid BERT configuration"
            case .unsupportedActivation: "unsupported activation (only exact gelu)"
            case .invalidSafetensors: "invalid safetensors file"
            case .missingTensor: "missing tensor"
            case .unexpectedShape: "tensor has an unexpected shape"
            case .unsupportedDType: "unsupported tensor dtype"
            case .invalidVocabulary: "invalid vocabulary"
            }
        }
    }

    public let code: Code
    /// The file inside the model directory, or the tensor name, the error is about.
    public let file: String

    public init(_ code: Code, file: String) {
        self.code = code
        self.file = file
    }

    public var description: String { "MiniLMError(\(code), \(file))" }
}
