public import NIOCore
public import PGWire

/// The parameter values of a statement, encoded once when they are bound.
///
/// Values are written in the wire format Bind needs (an Int32 length, -1 for NULL, then the
/// bytes), so sending them is a single copy. A statement's few small values (integers, UUIDs,
/// timestamps, short text, NULL) are kept inline (`PGSmallValues`); the first that does not
/// fit moves them all into a buffer.
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
    /// The encoded values while they fit inline; empty once they moved to `buffer`.
    private var small = PGSmallValues()
    /// The encoded values once one did not fit inline (allocated then); empty until then.
    private var buffer = ByteBuffer()

    /// Whether the values are still kept in `small` (no buffer was allocated).
    private var isInline: Bool { buffer.capacity == 0 }

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

    /// The encoded values, each with its length prefix (a copy, when they are kept inline).
    public var bytes: ByteBuffer {
        guard isInline else { return buffer }
        var bytes = ByteBuffer()
        small.withBytes { bytes.writeBytes($0) }
        return bytes
    }

    /// The size of the encoded values, length prefixes included.
    var encodedByteCount: Int {
        isInline ? small.count : buffer.readableBytes
    }

    /// The encoded values where they are kept, for Bind.
    var encodedValues: PGEncodedValues {
        isInline ? .inline(small) : .buffer(buffer)
    }

    /// Appends a value (a `nil` optional becomes NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when the value cannot be encoded.
    public mutating func append<Value: PGEncodable>(_ value: Value) throws(PGError) {
        if isInline, Value.pgFormat == .binary, value.encodeInline(into: &small) {
            parameterFormats.append(.binary, after: count)
            types.append(Value.pgDataType)
            return
        }
        if isInline { moveToBuffer() }
        do {
            try value.encodeWithLength(into: &buffer)
        } catch {
            throw PGError(.encoding, message: "parameter $\(count + 1): \(error)", requestWasSent: false)
        }
        parameterFormats.append(Value.pgFormat, after: count)
        types.append(Value.pgDataType)
    }

    /// Moves the inline values into a buffer, which takes the values from now on.
    private mutating func moveToBuffer() {
        // One allocation that fits a typical row of values, rather than growing from nothing
        // through several reallocations while the first values are written. Allocated
        // directly: reserving capacity in the empty buffer goes through its copy-and-rebase
        // path, which costs twice as much.
        buffer = Self.allocator.buffer(capacity: 256)
        small.withBytes { inline in
            buffer.writeReserved(inline.count) { bytes in
                bytes.copyMemory(from: inline)
                return inline.count
            }
        }
        small = PGSmallValues()
    }

    /// Whether the two lists hold the same values, of the same types, in the same formats
    /// (wherever each keeps its bytes).
    public static func == (lhs: PGBindings, rhs: PGBindings) -> Bool {
        lhs.types == rhs.types && lhs.parameterFormats == rhs.parameterFormats && lhs.bytes == rhs.bytes
    }

    /// Hashes the types, formats and encoded values (wherever the bytes are kept).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(types)
        hasher.combine(parameterFormats)
        hasher.combine(bytes)
    }
}
