import NIOCore
import Testing

@testable import PGWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Fixtures are (text output, `*send` bytes) captured from PostgreSQL 15.
@Suite("scalar codecs")
struct ScalarCodecTests {
    @Test(arguments: [
        ("0", "0000"), ("1", "0001"), ("-1", "ffff"), ("32767", "7fff"), ("-32768", "8000"),
    ])
    func int2(text: String, binary: String) throws {
        try expectServerFixture(Int16.self, .int2, text: text, binary: binary)
        #expect(try decoded(Int64.self, bytes(hex: binary), .int2, .binary) == Int64(text))
        #expect(try decoded(Int32.self, bytes(hex: binary), .int2, .binary) == Int32(text))
    }

    @Test(arguments: [("42", "0000002a"), ("-2147483648", "80000000"), ("2147483647", "7fffffff")])
    func int4(text: String, binary: String) throws {
        try expectServerFixture(Int32.self, .int4, text: text, binary: binary)
        #expect(try decoded(Int.self, bytes(hex: binary), .int4, .binary) == Int(text))
    }

    @Test(arguments: [
        ("9223372036854775807", "7fffffffffffffff"), ("-9223372036854775808", "8000000000000000"),
        ("1", "0000000000000001"),
    ])
    func int8(text: String, binary: String) throws {
        try expectServerFixture(Int64.self, .int8, text: text, binary: binary)
        try expectServerFixture(Int.self, .int8, text: text, binary: binary)
    }

    @Test func oid() throws {
        try expectServerFixture(UInt32.self, .oid, text: "4294967295", binary: "ffffffff")
        #expect(try decoded(Int64.self, bytes(hex: "ffffffff"), .oid, .binary) == 4_294_967_295)
    }

    @Test("integers refuse wrong sizes, overflow, bad text and other types")
    func integerErrors() {
        #expect(
            decodingErrorKind { _ = try decoded(Int32.self, bytes(hex: "000000"), .int4, .binary) }
                == .invalidLength(expected: 4, actual: 3))
        #expect(
            decodingErrorKind {
                _ = try decoded(Int16.self, bytes(hex: "0000000000"), .int2, .binary)
            }
                == .invalidLength(expected: 2, actual: 5))
        #expect(
            decodingErrorKind { _ = try decoded(Int32.self, bytes(hex: "00"), .int8, .binary) }
                == .typeMismatch(expected: [.int4, .int2], actual: .int8))
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(Int16.self, text: "40000", .int2) }))
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(Int32.self, text: "12a", .int4) }))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(Int32.self, text: "", .int4) }))
        #expect(
            decodingErrorKind { _ = try Int32.decode(from: nil, type: .int4, format: .binary) }
                == .unexpectedNull)
    }

    @Test(arguments: [
        ("1.5", "3fc00000"), ("NaN", "7fc00000"), ("Infinity", "7f800000"),
        ("-Infinity", "ff800000"),
        ("3.4028235e+38", "7f7fffff"), ("1e-45", "00000001"), ("0.1", "3dcccccd"),
    ])
    func float4(text: String, binary: String) throws {
        try expectServerFixture(Float.self, .float4, text: text, binary: binary)
    }

    @Test func negativeZero() throws {
        try expectServerFixture(
            Float.self, .float4, text: "-0", binary: "80000000", textIsCanonical: false)
        #expect(try decoded(Float.self, text: "-0", .float4).sign == .minus)
    }

    @Test(arguments: [
        ("0.1", "3fb999999999999a"), ("-2.5", "c004000000000000"), ("1e+300", "7e37e43c8800759c"),
        ("NaN", "7ff8000000000000"), ("-Infinity", "fff0000000000000"),
        ("5e-324", "0000000000000001"),
        ("123456789.123", "419d6f34547df3b6"), ("1e+20", "4415af1d78b58c40"),
        ("1e-05", "3ee4f8b588e368f1"),
    ])
    func float8(text: String, binary: String) throws {
        try expectServerFixture(Double.self, .float8, text: text, binary: binary)
    }

    @Test func float4IntoDouble() throws {
        #expect(try decoded(Double.self, bytes(hex: "3fc00000"), .float4, .binary) == 1.5)
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(Double.self, text: "inf", .float8) })
        )
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(Double.self, text: "nan", .float8) })
        )
    }

    @Test func bool() throws {
        try expectServerFixture(Bool.self, .bool, text: "t", binary: "01")
        try expectServerFixture(Bool.self, .bool, text: "f", binary: "00")
        #expect(
            isInvalidValue(
                decodingErrorKind { _ = try decoded(Bool.self, bytes(hex: "02"), .bool, .binary) }))
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(Bool.self, text: "yes?", .bool) }))
        #expect(
            isInvalidLength(
                decodingErrorKind { _ = try decoded(Bool.self, bytes(hex: ""), .bool, .binary) }))
    }

    @Test func uuid() throws {
        try expectServerFixture(
            UUID.self, .uuid, text: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            binary: "a0eebc999c0b4ef8bb6d6bb9bd380a11")
        #expect(
            isInvalidLength(
                decodingErrorKind { _ = try decoded(UUID.self, bytes(hex: "a0ee"), .uuid, .binary) }
            ))
        #expect(
            isInvalidValue(
                decodingErrorKind { _ = try decoded(UUID.self, text: "not-a-uuid", .uuid) }))
    }

    @Test func text() throws {
        try expectServerFixture(String.self, .text, text: "héllo", binary: "68c3a96c6c6f")
        for type in [PGDataType.varchar, .bpchar, .name, .json, .unknown] {
            #expect(try decoded(String.self, bytes(hex: "6869"), type, .binary) == "hi")
        }
        // A user-defined type's binary form is never taken for text.
        #expect(
            decodingErrorKind { _ = try decoded(String.self, bytes(hex: "6869"), PGDataType(16_500), .binary) }
                == .unknownType(PGDataType(16_500)))
        // Text format: any type reads as the server's text.
        #expect(try decoded(String.self, text: "2024-01-02", .date) == "2024-01-02")
        #expect(try decoded(String.self, bytes(hex: "017b7d"), .jsonb, .binary) == "{}")
        #expect(
            decodingErrorKind {
                _ = try decoded(String.self, bytes(hex: "00000001"), .int4, .binary)
            }
                == .typeMismatch(expected: String.binaryTextTypes, actual: .int4))
        #expect(
            isInvalidValue(
                decodingErrorKind { _ = try decoded(String.self, bytes(hex: "ff"), .text, .binary) }
            ))
        #expect(throws: PGEncodingError.self) { _ = try encoded("a\u{0}b", .binary) }
    }

    /// Found by the `copy` fuzz entry (`Fixtures/fuzz/copy/text-nul.bin`): text holding NUL was
    /// read, although no PostgreSQL text can hold it and such a string cannot be sent back.
    @Test(arguments: ["610062", "00", "c3a900", "00c3a9"])
    func textHoldingNulIsRefused(hex: String) {
        for format in [PGFormat.binary, .text] {
            let kind = decodingErrorKind { _ = try decoded(String.self, bytes(hex: hex), .text, format) }
            #expect(kind == .invalidValue(reason: "the text contains the NUL character, which no PostgreSQL text can"))
        }
    }

    @Test func bytea() throws {
        try expectServerFixture(ByteBuffer.self, .bytea, text: "\\x00ff10", binary: "00ff10")
        try expectServerFixture(ByteBuffer.self, .bytea, text: "\\x", binary: "")
        // bytea_output = escape
        #expect(hex(try decoded(ByteBuffer.self, text: "a\\000\\\\\\377", .bytea)) == "61005cff")
        #expect(hex(try decoded(ByteBuffer.self, text: "\\x0A ff", .bytea)) == "0aff")
        for bad in ["\\x0", "\\xzz", "\\400", "\\12", "a\\"] {
            #expect(
                isInvalidValue(
                    decodingErrorKind { _ = try decoded(ByteBuffer.self, text: bad, .bytea) }),
                "\(bad)")
        }
    }

    @Test func char() throws {
        try expectServerFixture(PGChar.self, .char, text: "r", binary: "72")
        try expectServerFixture(PGChar.self, .char, text: "\\303", binary: "c3")
        #expect(try decoded(PGChar.self, text: "", .char) == PGChar(rawValue: 0))
        #expect(PGChar("r").description == "r")
        #expect(
            isInvalidLength(
                decodingErrorKind {
                    _ = try decoded(PGChar.self, bytes(hex: "7272"), .char, .binary)
                }))
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(PGChar.self, text: "\\999", .char) })
        )
    }

    @Test func json() throws {
        try expectServerFixture(
            PGJSON.self, .jsonb, text: #"{"a": [1, 2], "b": 1}"#,
            binary: "017b2261223a205b312c20325d2c202262223a20317d")
        let json = try decoded(
            PGJSON.self, bytes(hex: "7b2262223a20312c20202261223a20327d"), .json, .binary)
        #expect(json.text == #"{"b": 1,  "a": 2}"#)
        #expect(
            isInvalidValue(
                decodingErrorKind {
                    _ = try decoded(PGJSON.self, bytes(hex: "027b7d"), .jsonb, .binary)
                }))
        #expect(
            isInvalidLength(
                decodingErrorKind { _ = try decoded(PGJSON.self, bytes(hex: ""), .jsonb, .binary) })
        )
    }

    @Test("Optional encodes nil as the NULL length and decodes NULL as nil")
    func optional() throws {
        var buffer = ByteBuffer()
        try Int32?.none.encodeWithLength(into: &buffer)
        try Int32?.some(7).encodeWithLength(into: &buffer)
        #expect(hex(buffer) == "ffffffff0000000400000007")
        #expect(try Int32?.decode(from: nil, type: .int4, format: .binary) == nil)
        #expect(try Int32?.decode(from: bytes(hex: "00000007"), type: .int4, format: .binary) == 7)
        #expect(throws: PGEncodingError.self) { _ = try encoded(Int32?.none, .binary) }
    }

    @Test("a failed encodeWithLength leaves nothing behind")
    func failedEncodeRollsBack() {
        var buffer = ByteBuffer(string: "x")
        #expect(throws: PGEncodingError.self) { try "a\u{0}".encodeWithLength(into: &buffer) }
        #expect(String(buffer: buffer) == "x")
    }

    @Test("errors name the column, type and format")
    func errorDescription() {
        do {
            _ = try Int32.decode(
                from: bytes(hex: "01"), type: .int4, format: .binary, columnName: "qty",
                columnIndex: 4)
            Issue.record("decoded a 1-byte int4")
        } catch {
            #expect(error.columnName == "qty" && error.columnIndex == 4 && error.dataType == .int4)
            #expect(
                error.description
                    == "cannot decode column \"qty\" (#4, int4, binary) as Int32: expected 4 bytes, got 1"
            )
        }
    }
}
