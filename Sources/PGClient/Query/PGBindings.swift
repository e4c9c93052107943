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
    /// The parameters' formats.
    private var parameterFormats = PGParameterFormats()
    /// The encoded values, each with its length prefix.
    public private(set) var bytes = ByteBuffer()

    /// Creates an empty list.
    public init() {}

    private static let allocator = ByteBufferAllocator()

    /// The number of parameters.
    public var count: Int { types.count }

    /// The parameters' types, `$1` first, as sent in Parse.
    public var dataTypes: [PGDataType] { Array(types) }

    /// The parameters' formats, as sent in Bind.
    public var formats: [PGFormat] { parameterFormats.all(count: count) }

    /// The format codes Bind sends (see ``PGParameterFormats/wire(count:)``).
    var wireFormats: [PGFormat] { parameterFormats.wire(count: count) }

    /// Appends a value (a `nil` optional becomes NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when the value cannot be encoded.
    public mutating func append<Value: PGEncodable>(_ value: Value) throws(PGError) {
        // One allocation that fits a few typical values, rather than growing from nothing
        // through several reallocations while the first values are written.
        // Allocated directly: reserving capacity in the empty buffer goes through its
        // copy-and-rebase path, which costs twice as much.
        if bytes.capacity == 0 { bytes = Self.allocator.buffer(capacity: 64) }
        do {
            try value.encodeWithLength(into: &bytes)
        } catch {
            throw PGError(.encoding, message: "parameter $\(count + 1): \(error)", requestWasSent: false)
        }
        parameterFormats.append(Value.pgFormat, after: count)
        types.append(Value.pgDataType)
    }
}
