import NIOCore
import Testing

@testable import PGWire

@Suite("Type registry, records and unknown types")
struct TypeRegistryTests {
    static let mood = PGTypeInfo(
        dataType: PGDataType(16_402), name: "mood", schema: "public", arrayType: PGDataType(16_401),
        kind: .enumeration(labels: ["happy", "sad"]))
    static let moods = PGTypeInfo(
        dataType: PGDataType(16_401), name: "_mood", schema: "public", arrayType: nil,
        kind: .array(element: PGDataType(16_402)))
    static let address = PGTypeInfo(
        dataType: PGDataType(16_410), name: "address", schema: "billing", arrayType: PGDataType(16_409),
        kind: .composite(fields: [.init(name: "street", dataType: .text), .init(name: "zip", dataType: .int4)]))
    static let addresses = PGTypeInfo(
        dataType: PGDataType(16_409), name: "_address", schema: "billing", arrayType: nil,
        kind: .array(element: PGDataType(16_410)))
    static let positive = PGTypeInfo(
        dataType: PGDataType(16_420), name: "positive", schema: "public", arrayType: PGDataType(16_419),
        kind: .domain(base: .int4))
    static let positives = PGTypeInfo(
        dataType: PGDataType(16_419), name: "_positive", schema: "public", arrayType: nil,
        kind: .array(element: PGDataType(16_420)))

    static var registry: PGTypeRegistry {
        var registry = PGTypeRegistry()
        for info in [mood, moods, address, addresses, positive, positives] { registry.register(info) }
        return registry
    }

    @Test func lookupsAndWireTypes() {
        let registry = Self.registry
        #expect(registry["mood"] == Self.mood)
        #expect(registry["billing.address"] == Self.address)
        #expect(registry[PGDataType(16_420)] == Self.positive)
        #expect(registry["nothing"] == nil)
        #expect(registry.wireType(of: PGDataType(16_402)) == .text)
        #expect(registry.wireType(of: PGDataType(16_401)) == .textArray)
        #expect(registry.wireType(of: PGDataType(16_410)) == .record)
        #expect(registry.wireType(of: PGDataType(16_409)) == .recordArray)
        #expect(registry.wireType(of: PGDataType(16_419)) == .int4Array)
        #expect(registry.wireType(of: PGDataType(16_500)) == PGDataType(16_500))
        #expect(registry.wireType(of: .int4) == .int4)
    }

    @Test func columnsDecodeThroughTheRegistry() throws {
        let description = BackendMessage.RowDescription(columns: [
            .init(name: "m", tableOID: 0, columnAttributeNumber: 0, dataType: PGDataType(16_402), dataTypeSize: 4, typeModifier: -1, format: .binary)
        ])
        #expect(PGColumns(description).valueTypes[0].dataType == PGDataType(16_402))
        let columns = PGColumns(description, types: Self.registry)
        #expect(columns.valueTypes[0].dataType == .text)
        #expect(columns.descriptions[0].dataType == PGDataType(16_402))
    }

    @Test func aBinaryValueOfAnUnknownTypeIsATypedError() throws {
        let unknown = PGDataType(16_500)
        #expect(decodingErrorKind { _ = try decoded(String.self, ByteBuffer(string: "happy"), unknown, .binary) } == .unknownType(unknown))
        #expect(decodingErrorKind { _ = try decoded(String?.self, ByteBuffer(string: "happy"), unknown, .binary) } == .unknownType(unknown))
        // In text, every type is what the server printed.
        #expect(try decoded(String.self, text: "happy", unknown) == "happy")
        let error = PGDecodingError(.unknownType(unknown), dataType: unknown, format: .binary, swiftType: "String", columnName: "m")
        #expect(error.description.contains("oid 16500 is unknown to this connection"))
    }

    @Test func arraysOfEnumsAndDomainsDecodeOnceMapped() throws {
        // array_send of ARRAY['happy','sad']::mood[]: the header names the enum's OID.
        var enumArray = ByteBuffer()
        enumArray.writeMultipleIntegers(Int32(1), Int32(0), UInt32(16_402), Int32(2), Int32(1))
        for label in ["happy", "sad"] {
            enumArray.writeInteger(Int32(label.utf8.count))
            enumArray.writeString(label)
        }
        #expect(try decoded([String].self, enumArray, .textArray, .binary) == ["happy", "sad"])
        #expect(decodingErrorKind { _ = try decoded([String].self, enumArray, PGDataType(16_401), .binary) } == .unknownType(PGDataType(16_402)))
        // A built-in element type that does not match is still refused.
        var wrong = ByteBuffer()
        wrong.writeMultipleIntegers(Int32(1), Int32(0), PGDataType.int8.rawValue, Int32(0), Int32(1))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded([Int32].self, wrong, .int4Array, .binary) }))
    }

    @Test func records() throws {
        // record_send of ROW(1::int4, 'ab'::text, NULL::int4) from PostgreSQL 15.
        let server = bytes(hex: "000000030000001700000004000000010000001900000002616200000017ffffffff")
        let record = try decoded(PGRecord.self, server, .record, .binary)
        #expect(record.count == 3)
        #expect(record.fields.map(\.dataType) == [.int4, .text, .int4])
        let (number, text, missing) = try record.decode((Int32, String, Int32?).self)
        #expect(number == 1 && text == "ab" && missing == nil)
        #expect(decodingErrorKind { _ = try record.decode(Int32.self, at: 2) } == .unexpectedNull)
        #expect(isInvalidValue(decodingErrorKind { _ = try record.decode(Int32.self, at: 3) }))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(PGRecord.self, bytes(hex: "7fffffff"), .record, .binary) }))
        #expect(isInvalidLength(decodingErrorKind { _ = try decoded(PGRecord.self, bytes(hex: "000000010000001700000004"), .record, .binary) }))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(PGRecord.self, text: "(1,ab,)", .record) }))
    }
}
