public import NIOCore
public import PGWire

/// One statement to run many times with different parameters, pipelined: the statement is
/// prepared once (or taken from the statement cache) and each parameter set is a Bind and an
/// Execute, all in one write with one Sync — what asyncpg's `executemany` and JDBC's batches do.
///
/// ```swift
/// var batch = PGBatch("INSERT INTO ledger (account, amount) VALUES ($1, $2)")
/// for entry in entries {
///     try batch.append(entry.account, entry.amount)
/// }
/// let results = try await connection.pipeline(batch)   // one result per parameter set
/// ```
///
/// Values are encoded as they are appended, all into one buffer; a set costs no allocation of
/// its own. Every set must have the types of the first.
public struct PGBatch: Sendable {
    /// The SQL text, with `$1`, `$2`, … for the parameters.
    public let sql: String
    // Usable from inlinable code so that `append` specializes in the caller's module for the
    // caller's parameter types: unspecialized, every set instantiated the parameter pack's
    // metadata and called each codec through its witness table.
    /// The parameters' types, from the first set.
    @usableFromInline var types = PGParameterTypes()
    /// The parameters' formats, from the first set.
    @usableFromInline var formats = PGParameterFormats()
    /// Every set's encoded values, one after the other, each value with its length prefix.
    @usableFromInline var values = ByteBuffer()
    /// Where each set's values end in ``values``.
    @usableFromInline var ends: [Int] = []

    /// Creates an empty batch of `sql`, whose parameters are written `$1`, `$2`, ….
    ///
    /// The text is sent as it is: put values in parameter sets, never into the text.
    public init(_ sql: String) {
        self.sql = sql
    }

    /// The number of parameter sets.
    public var count: Int { ends.count }

    /// Whether no set was appended.
    public var isEmpty: Bool { ends.isEmpty }

    /// Appends one parameter set, its values in order for `$1`, `$2`, … (a `nil` optional
    /// becomes NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when a value cannot be encoded,
    ///   or of kind ``PGError/Kind/invalidUsage`` when the set's types or count differ from the
    ///   first set's; the batch is then unchanged.
    @inlinable
    public mutating func append<each Value: PGEncodable>(_ value: repeat each Value) throws(PGError) {
        let start = values.writerIndex
        if values.capacity == 0 { values.reserveCapacity(1024) }
        var types = PGParameterTypes()
        var formats = PGParameterFormats()
        do throws(PGEncodingError) {
            for value in repeat each value {
                try Self.append(value, to: &values, types: &types, formats: &formats)
            }
        } catch {
            values.moveWriterIndex(to: start)
            throw encodingFailure(error, types: types)
        }
        try endSet(startingAt: start, types: types, formats: formats)
    }

    /// Encodes one value and notes its type and format: from its static type, which a generic
    /// function has at hand, rather than `type(of:)`, a runtime call for each value in a pack.
    @inlinable
    static func append<Value: PGEncodable>(
        _ value: Value, to values: inout ByteBuffer, types: inout PGParameterTypes, formats: inout PGParameterFormats
    ) throws(PGEncodingError) {
        try value.encodeWithLength(into: &values, format: Value.pgFormat)
        formats.append(Value.pgFormat, after: types.count)
        types.append(Value.pgDataType)
    }

    /// Ends the set that starts at `start` in ``values``: the first set's types and formats
    /// become the batch's, a later set's must be the same.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/invalidUsage`` when they differ; the set's
    ///   values are then taken back out.
    @usableFromInline
    mutating func endSet(startingAt start: Int, types: PGParameterTypes, formats: PGParameterFormats) throws(PGError) {
        if ends.isEmpty {
            self.types = types
            self.formats = formats
        } else if types != self.types || formats != self.formats {
            values.moveWriterIndex(to: start)
            throw PGError(
                .invalidUsage,
                message: "parameter set \(count + 1) has types (\(Self.describe(types))), the first set (\(Self.describe(self.types))): every set of a batch must have the same",
                requestWasSent: false)
        }
        ends.append(values.writerIndex)
    }

    /// The error for a value of the next set that could not be encoded, after `types`.
    @usableFromInline
    func encodingFailure(_ error: PGEncodingError, types: PGParameterTypes) -> PGError {
        PGError(.encoding, message: "parameter set \(count + 1), $\(types.count + 1): \(error)", requestWasSent: false)
    }

    /// The size of set `index`'s encoded values.
    func valueByteCount(ofSet index: Int) -> Int {
        ends[index] - (index == 0 ? values.readerIndex : ends[index - 1])
    }

    /// The size of the largest set's encoded values.
    var largestSetByteCount: Int {
        var largest = 0
        var start = values.readerIndex
        for end in ends {
            largest = max(largest, end - start)
            start = end
        }
        return largest
    }

    /// The statement as the request pipeline plans it, with the first set's values' size.
    var statementSpec: StatementSpec {
        StatementSpec(
            sql: sql, parameterTypes: types, parameterFormats: formats.wire(count: types.count),
            parameterCount: types.count, parameterBytes: isEmpty ? 0 : valueByteCount(ofSet: 0))
    }

    /// The encoded values of set `index`.
    func values(ofSet index: Int) -> ByteBuffer {
        let range = valueOffsets(ofSet: index)
        return values.getSlice(at: values.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
    }

    /// Where set `index`'s encoded values are in ``values``' readable bytes.
    func valueOffsets(ofSet index: Int) -> Range<Int> {
        let start = index == 0 ? values.readerIndex : ends[index - 1]
        return (start - values.readerIndex)..<(ends[index] - values.readerIndex)
    }

    private static func describe(_ types: PGParameterTypes) -> String {
        types.map { "\($0)" }.joined(separator: ", ")
    }
}
