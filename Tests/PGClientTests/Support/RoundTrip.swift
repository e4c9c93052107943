import PGClient
import PGWire
import Testing

/// Sends each value to the server as a binary parameter, reads it back in binary, then reads the
/// server's text for it back through the simple protocol (text format), and checks that all three
/// agree. Also checks the result column's type and that NULL comes back as `nil`.
///
/// - Parameters:
///   - values: the values to send.
///   - sqlType: the SQL type the parameter is cast to (a no-op when it is already that type).
///   - dataType: the type the result column must have.
///   - bind: how a value becomes a parameter (itself, or a ``TypedParameter``).
///   - same: equality for the type (NaN-aware for floats).
func expectRoundTrips<Value: PGDecodable, Parameter: PGEncodable>(
    _ values: [Value], as sqlType: String, dataType: PGDataType,
    bind: (Value) -> Parameter, same: (Value, Value) -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await TestDatabase.withConnection { connection in
        // UTC and full float precision make the server's text exact and zone-independent.
        try await connection.simpleQuery("SET TimeZone = 'UTC'; SET extra_float_digits = 1; SET IntervalStyle = 'postgres'")
        for value in values {
            let parameter = bind(value)
            let rows = try await connection.query(
                "SELECT \(parameter)::\(unescaped: sqlType), (\(parameter)::\(unescaped: sqlType))::text"
            ).collect()
            let row = try #require(rows.first, sourceLocation: sourceLocation)
            let column = row.columns.descriptions[0]
            #expect(column.dataType == dataType, "\(sqlType): column type", sourceLocation: sourceLocation)
            #expect(column.format == .binary, sourceLocation: sourceLocation)
            let binary = try row.decode(Value.self, at: 0)
            #expect(same(binary, value), "\(sqlType): sent \(value), received \(binary) in binary", sourceLocation: sourceLocation)

            let text = try row.decode(String.self, at: 1)
            let literal = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            let results = try await connection.simpleQuery("SELECT \(literal)::\(sqlType)")
            let textRow = try #require(results.first?.rows.first, sourceLocation: sourceLocation)
            #expect(textRow.columns.descriptions[0].format == .text, sourceLocation: sourceLocation)
            let fromText = try textRow.decode(Value.self, at: 0)
            #expect(same(fromText, value), "\(sqlType): text \(text) decoded as \(fromText), not \(value)", sourceLocation: sourceLocation)
        }
        let nullRows = try await connection.query("SELECT NULL::\(unescaped: sqlType)").collect()
        let null = try #require(nullRows.first, sourceLocation: sourceLocation)
        #expect(try null.decode(Value?.self, at: 0) == nil, sourceLocation: sourceLocation)
        #expect(throws: PGError.self, sourceLocation: sourceLocation) { try null.decode(Value.self, at: 0) }
    }
}

/// ``expectRoundTrips(_:as:dataType:bind:same:sourceLocation:)`` binding each value as itself.
func expectRoundTrips<Value: PGCodable & Equatable>(
    _ values: [Value], as sqlType: String, dataType: PGDataType,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await expectRoundTrips(
        values, as: sqlType, dataType: dataType, bind: { $0 }, same: ==, sourceLocation: sourceLocation)
}

/// ``expectRoundTrips(_:as:dataType:bind:same:sourceLocation:)`` binding each value with the
/// OID of `Type`.
func expectRoundTrips<Value: PGCodable & Equatable, Type: ParameterType>(
    _ values: [Value], as sqlType: String, dataType: PGDataType, boundAs: Type.Type,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await expectRoundTrips(
        values, as: sqlType, dataType: dataType, bind: { TypedParameter<Type, Value>($0) }, same: ==,
        sourceLocation: sourceLocation)
}
