public import NIOCore
public import PGWire

/// The parameter values of a statement, encoded once when they are bound.
///
/// Values are written straight into one buffer in the wire format Bind needs (an Int32 length,
/// -1 for NULL, then the bytes), so sending them is a single copy.
///
/// ```swift
/// var bindings = PGBindings()
/// try bindings.append(42)
/// try bindings.append(Optional<String>.none)   // NULL
/// ```
public struct PGBindings: Sendable, Hashable {
    /// The parameters' types, the first few stored inline: a query allocates no array for them.
    private(set) var types = PGParameterTypes()
    /// The format every parameter has, while they all have the same one (almost always): Bind
    /// then sends that one code for all, and no list of formats is kept.
    private var commonFormat: PGFormat = .binary
    /// Every parameter's format, once two differ; empty until then.
    private var mixedFormats: [PGFormat] = []
    /// The encoded values, each with its length prefix.
    public private(set) var bytes = ByteBuffer()

    /// Creates an empty list.
    public init() {}

    /// The number of parameters.
    public var count: Int { types.count }

    /// The parameters' types, `$1` first, as sent in Parse.
    public var dataTypes: [PGDataType] { Array(types) }

    /// The parameters' formats, as sent in Bind.
    public var formats: [PGFormat] {
        mixedFormats.isEmpty ? Array(repeating: commonFormat, count: count) : mixedFormats
    }

    /// The format codes Bind sends: none without parameters, one when all parameters share it
    /// (the protocol applies a single code to every parameter), else one per parameter.
    var wireFormats: [PGFormat] {
        if count == 0 { return [] }
        if !mixedFormats.isEmpty { return mixedFormats }
        return commonFormat == .binary ? Self.binaryOnly : Self.textOnly
    }

    private static let binaryOnly: [PGFormat] = [.binary]
    private static let textOnly: [PGFormat] = [.text]

    /// Appends a value (a `nil` optional becomes NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when the value cannot be encoded.
    public mutating func append<Value: PGEncodable>(_ value: Value) throws(PGError) {
        // One allocation that fits a few typical values, rather than growing from nothing
        // through several reallocations while the first values are written.
        if bytes.capacity == 0 { bytes.reserveCapacity(64) }
        do {
            try value.encodeWithLength(into: &bytes)
        } catch {
            throw PGError(.encoding, message: "parameter $\(count + 1): \(error)", requestWasSent: false)
        }
        appendFormat(Value.pgFormat)
        types.append(Value.pgDataType)
    }

    private mutating func appendFormat(_ format: PGFormat) {
        if count == 0 {
            commonFormat = format
        } else if !mixedFormats.isEmpty {
            mixedFormats.append(format)
        } else if format != commonFormat {
            mixedFormats = Array(repeating: commonFormat, count: count)
            mixedFormats.append(format)
        }
    }
}
