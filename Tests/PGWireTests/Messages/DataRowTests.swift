import NIOCore
import PGWire
import Testing

@Suite("DataRow")
struct DataRowTests {
    /// `D`, length, Int16 column count, then per column an Int32 length (-1 for NULL) and the bytes.
    static let rowBytes: [UInt8] = [
        0x44, 0, 0, 0, 25,
        0, 4,
        0, 0, 0, 2, 0x34, 0x32,  // "42"
        0xFF, 0xFF, 0xFF, 0xFF,  // NULL
        0, 0, 0, 0,  // empty string
        0, 0, 0, 1, 0x78,  // "x"
    ]

    static let row = BackendMessage.DataRow(columns: [
        ByteBuffer(string: "42"), nil, ByteBuffer(), ByteBuffer(string: "x"),
    ])

    @Test func encodesAndDecodesNullsAndEmptyValues() throws {
        try expectBackendMessage(.dataRow(Self.row), encodesTo: Self.rowBytes)
    }

    @Test func columnsAreReadInPlace() throws {
        guard case .dataRow(let row) = try decodeBackend(Self.rowBytes) else {
            Issue.record("not a DataRow")
            return
        }
        #expect(row.count == 4)
        #expect(row.columnCount == 4)
        #expect(
            Array(row) == [ByteBuffer(string: "42"), nil, ByteBuffer(), ByteBuffer(string: "x")])
        #expect(row.column(at: 0) == ByteBuffer(string: "42"))
        #expect(row.column(at: 1) == nil)
        #expect(row.column(at: 2) == ByteBuffer())
        #expect(row.column(at: 2) != nil)  // empty is not NULL
        #expect(row.column(at: 3) == ByteBuffer(string: "x"))
        #expect(row.column(at: 4) == nil)
        #expect(row.column(at: -1) == nil)
    }

    @Test func walkingByValueAndIndexMatchesEveryPosition() throws {
        guard case .dataRow(let row) = try decodeBackend(Self.rowBytes) else {
            Issue.record("not a DataRow")
            return
        }
        var index = row.startIndex
        var walked: [ByteBuffer?] = []
        while index < row.endIndex {
            let (value, next) = row.valueAndNextIndex(at: index)
            #expect(next == row.index(after: index))
            #expect(value == row[index])
            walked.append(value)
            index = next
        }
        #expect(index == row.endIndex)
        #expect(walked == (0..<row.count).map { row.column(at: $0) })
        #expect(walked.map { $0 == nil } == [false, true, false, false])
    }

    @Test func emptyRow() throws {
        let row = BackendMessage.DataRow(columns: [])
        try expectBackendMessage(.dataRow(row), encodesTo: [0x44, 0, 0, 0, 6, 0, 0])
        #expect(row.isEmpty)
        #expect(Array(row).isEmpty)
    }

    @Test func columnLengthBeyondTheEndOverruns() throws {
        let error = try #require(
            backendDecodingError([0x44, 0, 0, 0, 12, 0, 1, 0, 0, 0, 5, 0x61, 0x62]))
        #expect(error == PGWireError(.fieldOverrun, message: "DataRow", field: "column 0"))
    }

    @Test func negativeColumnLengthOtherThanNullIsInvalid() throws {
        let error = try #require(
            backendDecodingError([0x44, 0, 0, 0, 10, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE]))
        #expect(
            error == PGWireError(.invalidValue("length -2"), message: "DataRow", field: "column 0"))
    }

    @Test func bytesAfterTheLastColumnAreTrailing() throws {
        let error = try #require(
            backendDecodingError([0x44, 0, 0, 0, 12, 0, 1, 0, 0, 0, 0, 0x61, 0x62]))
        #expect(error == PGWireError(.trailingBytes(2), message: "DataRow"))
    }

    @Test func negativeColumnCountIsInvalid() throws {
        let error = try #require(backendDecodingError([0x44, 0, 0, 0, 6, 0xFF, 0xFF]))
        #expect(
            error
                == PGWireError(
                    .invalidValue("negative count -1"), message: "DataRow", field: "columnCount"))
    }
}
