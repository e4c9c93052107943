import NIOCore
import Testing

@testable import PGWire

/// Fixtures are `array_send` bytes and `array_out` text from PostgreSQL 15.
@Suite("array codecs")
struct ArrayCodecTests {
    @Test func oneDimensional() throws {
        try expectServerFixture(
            [Int32].self, .int4Array, text: "{1,2,3}",
            binary:
                "0000000100000000000000170000000300000001000000040000000100000004000000020000000400000003"
        )
        try expectServerFixture(
            [Int32].self, .int4Array, text: "{}", binary: "000000000000000000000017")
        #expect([Int32].pgDataType == .int4Array)
        #expect([Int64?].pgDataType == .int8Array)
    }

    @Test func twoDimensionalWithNull() throws {
        let binary =
            "000000020000000100000017000000020000000100000002000000010000000400000001ffffffff00000004000000030000000400000004"
        try expectServerFixture(
            PGArray<Int32>.self, .int4Array, text: "{{1,NULL},{3,4}}", binary: binary)
        let grid = try decoded(PGArray<Int32>.self, bytes(hex: binary), .int4Array, .binary)
        #expect(grid.dimensions == [2, 2] && grid.lowerBounds == [1, 1])
        #expect(grid.elements == [1, nil, 3, 4])
        #expect(grid[1, 2] == .some(nil) && grid[2, 1] == .some(3) && grid[3, 1] == nil)
        let kind = decodingErrorKind {
            _ = try decoded([Int32?].self, bytes(hex: binary), .int4Array, .binary)
        }
        #expect(isInvalidValue(kind))
    }

    @Test func lowerBounds() throws {
        try expectServerFixture(
            PGArray<String>.self, .textArray, text: "[0:1]={a,b}",
            binary: "000000010000000000000019000000020000000000000001610000000162")
        let shifted = try decoded(PGArray<Int32>.self, text: "[2:3][1:2]={{1,2},{3,4}}", .int4Array)
        #expect(shifted.lowerBounds == [2, 1] && shifted.dimensions == [2, 2])
        #expect(try encodedText(shifted) == "[2:3][1:2]={{1,2},{3,4}}")
        #expect(try decoded([String].self, text: "[0:1]={a,b}", .textArray) == ["a", "b"])
    }

    @Test("text quoting and escaping match array_out")
    func quoting() throws {
        let server = #"{"a b","","NULL",NULL,"q\"x","b\\s","{}",",","x y"}"#
        let values = try decoded([String?].self, text: server, .textArray)
        #expect(values == ["a b", "", "NULL", nil, "q\"x", "b\\s", "{}", ",", "x y"])
        #expect(try encodedText(values) == server)
        let loose = try decoded([String?].self, text: #" { a\,b ,  null , "x" } "#, .textArray)
        #expect(loose == ["a,b", nil, "x"])
    }

    @Test("NULL into a non-optional element is unexpectedNull")
    func nullElement() throws {
        let kind = decodingErrorKind { _ = try decoded([Int32].self, text: "{1,NULL}", .int4Array) }
        #expect(kind == .unexpectedNull)
    }

    @Test("elements of every kind round-trip through arrays")
    func elementKinds() throws {
        try roundTrip([PGNumeric("12.30"), nil, .nan, PGNumeric("-1e-20")], .numericArray)
        try roundTrip([PGTimestamp(microsecondsSince2000: 0), .infinity], .timestamptzArray)
        try roundTrip(["with space", "", "NULL", "é\"\\"], .textArray)
        try roundTrip([true, false], .boolArray)
        try roundTrip([PGInterval(months: 1, days: -2, microseconds: 3)], .intervalArray)
        try roundTrip([ByteBuffer(bytes: [0, 1]), ByteBuffer()], .byteaArray)
        try roundTrip([1.5, -.infinity], .float8Array)
    }

    private func roundTrip<Element: PGCodable & Equatable>(_ values: [Element?], _ type: PGDataType)
        throws
    {
        #expect([Element?].pgDataType == type)
        for format in PGFormat.allCases {
            let back = try decoded([Element?].self, try encoded(values, format), type, format)
            #expect(back == values, "\(format)")
        }
        let matrix = try #require(
            PGArray(dimensions: [1, values.count], lowerBounds: [-3, 7], elements: values))
        for format in PGFormat.allCases {
            #expect(
                try decoded(PGArray<Element>.self, try encoded(matrix, format), type, format)
                    == matrix)
        }
    }

    @Test(
        "hostile binary headers are refused before anything is reserved",
        arguments: [
            ("00000007 00000000 00000017", "ndim 7"),
            ("ffffffff 00000000 00000017", "negative ndim"),
            ("00000001 00000002 00000017 00000001 00000001 00000004 00000001", "bad flags"),
            ("00000001 00000000 00000017 ffffffff 00000001", "negative dimension"),
            ("00000001 00000000 00000017 7fffffff 00000001", "count beyond the bytes"),
            (
                "00000002 00000000 00000017 7fffffff 00000001 7fffffff 00000001",
                "product far beyond the bytes"
            ),
            (
                "00000006 00000000 00000017 7fffffff 00000001 7fffffff 00000001 7fffffff 00000001 7fffffff 00000001 7fffffff 00000001 7fffffff 00000001",
                "overflowing product"
            ),
            (
                "00000001 00000000 00000017 00000002 7fffffff 00000004 00000001 00000004 00000002",
                "upper bound overflow"
            ),
            ("00000001 00000000 00000017 00000001 00000001 fffffffe", "negative element length"),
            ("00000001 00000000 00000017 00000001 00000001 00000008 00000001", "truncated element"),
            ("00000001 00000000 00000017 00000001 00000001 00000004 00000001 00", "trailing byte"),
            ("00000001 00000000 00000017 00000002 00000001 00000004 00000001", "missing element"),
            (
                "00000001 00000000 00000014 00000001 00000001 00000004 00000001",
                "wrong element type"
            ),
            ("00000001 00000000", "short header"),
            ("00000003 00000000 00000017 00000001 00000001", "missing dimensions"),
        ])
    func hostileBinary(binary: String, label: String) {
        let kind = decodingErrorKind {
            _ = try decoded(PGArray<Int32>.self, bytes(hex: binary), .int4Array, .binary)
        }
        #expect(kind != nil && kind != .unexpectedNull, "\(label)")
    }

    @Test(
        "malformed array text is refused",
        arguments: [
            "", "{", "}", "{1,2", "{1,,2}", "{{1,2},{3}}", "{{1,2},3}", "{1,{2}}", "{{}}", "{1}x",
            "[1:2]={1}",
            "[1:2={1,2}", "{\"a}", "{a\"b}", "{{{{{{{1}}}}}}}",
            "[1:1][1:1][1:1][1:1][1:1][1:1][1:1]={1}",
            "{1\\}", "[99999999999:1]={}",
        ])
    func malformedText(text: String) {
        let kind = decodingErrorKind {
            _ = try decoded(PGArray<Int32>.self, text: text, .int4Array)
        }
        #expect(isInvalidValue(kind), "\(text)")
    }

    @Test("an array is read only from an array type")
    func typeChecks() throws {
        let kind = decodingErrorKind { _ = try decoded([Int32].self, text: "{1}", .int4) }
        #expect(kind == .typeMismatch(expected: [], actual: .int4))
        // A user-defined array type (an enum's) reads as text.
        #expect(
            try decoded([String].self, text: "{happy,sad}", PGDataType(16_999)) == ["happy", "sad"])
        #expect(PGArray<Int32>(dimensions: [2], elements: [1]) == nil)
        #expect(PGArray<Int32>(dimensions: [1, 1, 1, 1, 1, 1, 1], elements: [1]) == nil)
        #expect(PGArray<Int32>(dimensions: [0, 3], elements: [])?.dimensions == [])
    }
}
