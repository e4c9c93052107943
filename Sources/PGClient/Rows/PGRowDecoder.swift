import PGWire

extension PGRow {
    /// Decodes the row into a `Decodable` type, matching properties to columns by name: a
    /// property `createdAt` reads the column `createdAt`, or else `created_at`.
    ///
    /// ```swift
    /// struct Invoice: Decodable { let id: UUID; let totalAmount: PGNumeric; let paidAt: Date? }
    /// let invoices = try await connection.query("SELECT id, total_amount, paid_at FROM invoices")
    ///     .collect().map { try $0.decode(as: Invoice.self) }
    /// ```
    ///
    /// Properties must be types with a PostgreSQL codec (or optionals of them); a missing column
    /// for an optional property decodes as `nil`.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/decoding`` naming the property and column.
    public func decode<Record: Decodable>(as type: Record.Type) throws(PGError) -> Record {
        do {
            return try Record(from: PGRowDecoder(row: self))
        } catch let error as PGError {
            throw error
        } catch {
            throw PGError(.decoding, message: "\(Record.self): \(error)", requestWasSent: true)
        }
    }

    /// The position of the column for a property name: the exact name, else its snake_case form.
    func position(forProperty name: String) -> Int? {
        columns.propertyPositions.position(of: name, in: columns)
    }

}

/// A `Decoder` over one row: a keyed container whose keys are column names.
struct PGRowDecoder: Decoder {
    let row: PGRow
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [], debugDescription: "a row decodes as a keyed record, not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "a row decodes as a keyed record, not a single value"))
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PGRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columns.names.compactMap(Key.init(stringValue:)) }

        func contains(_ key: Key) -> Bool { row.position(forProperty: key.stringValue) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let position = row.position(forProperty: key.stringValue) else { return true }
            return row.dataRow.column(at: position) == nil
        }

        func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
            guard let codable = Value.self as? any PGDecodable.Type else {
                throw DecodingError.typeMismatch(
                    Value.self,
                    .init(codingPath: [key], debugDescription: "\(Value.self) has no PostgreSQL codec; nested records are not supported"))
            }
            guard let position = row.position(forProperty: key.stringValue) else {
                throw DecodingError.keyNotFound(
                    key, .init(codingPath: [key], debugDescription: "no column \"\(key.stringValue)\" or \"\(PGPropertyPositions.snakeCase(key.stringValue))\""))
            }
            guard let value = try row.decode(codable, at: position) as? Value else {
                throw DecodingError.typeMismatch(Value.self, .init(codingPath: [key], debugDescription: "decoded value is not a \(Value.self)"))
            }
            return value
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(
                [String: Any].self, .init(codingPath: [key], debugDescription: "nested records are not supported"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: [key], debugDescription: "decode arrays as PostgreSQL arrays ([T])"))
        }

        func superDecoder() throws -> any Decoder { PGRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { PGRowDecoder(row: row) }
    }
}
