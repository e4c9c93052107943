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
    /// The parameters' types, `$1` first, as sent in Parse.
    public private(set) var dataTypes: [PGDataType] = []
    /// The parameters' formats, as sent in Bind.
    public private(set) var formats: [PGFormat] = []
    /// The encoded values, each with its length prefix.
    public private(set) var bytes = ByteBuffer()

    /// Creates an empty list.
    public init() {}

    /// The number of parameters.
    public var count: Int { dataTypes.count }

    /// Appends a value (a `nil` optional becomes NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when the value cannot be encoded.
    public mutating func append<Value: PGEncodable>(_ value: Value) throws(PGError) {
        do {
            try value.encodeWithLength(into: &bytes)
        } catch {
            throw PGError(.encoding, message: "parameter $\(count + 1): \(error)", requestWasSent: false)
        }
        dataTypes.append(Value.pgDataType)
        formats.append(Value.pgFormat)
    }
}
