import NIOCore
import PGWire
import Testing

/// The small messages that report session state: ParameterStatus, ReadyForQuery,
/// NotificationResponse and NegotiateProtocolVersion.
@Suite("Session status messages")
struct SessionStatusMessageTests {
    @Test func parameterStatus() throws {
        // `S`, length, name and value NUL-terminated.
        try expectBackendMessage(
            .parameterStatus(.init(name: "TimeZone", value: "UTC")),
            encodesTo: [0x53, 0, 0, 0, 17] + Wire.cstring("TimeZone") + Wire.cstring("UTC"))
        try expectBackendMessage(
            .parameterStatus(.init(name: "application_name", value: "")),
            encodesTo: [0x53, 0, 0, 0, 22] + Wire.cstring("application_name") + [0])
    }

    @Test func parameterStatusWithoutValue() throws {
        let error = try #require(backendDecodingError(Wire.message("S", Wire.cstring("TimeZone"))))
        #expect(
            error == PGWireError(.missingTerminator, message: "ParameterStatus", field: "value"))
    }

    @Test(arguments: [
        (BackendMessage.TransactionStatus.idle, UInt8(ascii: "I")),
        (.inTransaction, UInt8(ascii: "T")),
        (.failedTransaction, UInt8(ascii: "E")),
    ])
    func readyForQuery(status: BackendMessage.TransactionStatus, byte: UInt8) throws {
        try expectBackendMessage(
            .readyForQuery(.init(transactionStatus: status)), encodesTo: [0x5A, 0, 0, 0, 5, byte])
    }

    @Test func readyForQueryWithUnknownStatus() throws {
        let error = try #require(backendDecodingError([0x5A, 0, 0, 0, 5, 0x58]))
        #expect(
            error
                == PGWireError(
                    .invalidValue("'X' (0x58)"), message: "ReadyForQuery",
                    field: "transactionStatus"))
        #expect(
            error.description
                == "protocol violation in ReadyForQuery.transactionStatus: invalid value 'X' (0x58)"
        )
    }

    @Test func readyForQueryWithoutStatus() throws {
        let error = try #require(backendDecodingError([0x5A, 0, 0, 0, 4]))
        #expect(
            error
                == PGWireError(.fieldOverrun, message: "ReadyForQuery", field: "transactionStatus"))
    }

    @Test func notificationResponse() throws {
        // `A`, length, Int32 process ID, channel and payload NUL-terminated.
        try expectBackendMessage(
            .notificationResponse(.init(processID: 4321, channel: "jobs", payload: "{\"id\":7}")),
            encodesTo: [0x41, 0, 0, 0, 22, 0, 0, 0x10, 0xE1] + Wire.cstring("jobs")
                + Wire.cstring("{\"id\":7}"))
        try expectBackendMessage(
            .notificationResponse(.init(processID: 1, channel: "c", payload: "")),
            encodesTo: [0x41, 0, 0, 0, 11, 0, 0, 0, 1, 0x63, 0, 0])
    }

    @Test func negotiateProtocolVersion() throws {
        // `v`, length, Int32 newest minor version, Int32 option count, the options NUL-terminated.
        try expectBackendMessage(
            .negotiateProtocolVersion(
                .init(newestVersion: ProtocolVersion(code: 0), unrecognizedOptions: ["_pq_.fancy", "_pq_.x"])),
            encodesTo: [0x76, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0, 2] + Wire.cstring("_pq_.fancy")
                + Wire.cstring("_pq_.x"))
        // PostgreSQL 15 sends the whole version 3.0 (196608) in the first field.
        try expectBackendMessage(
            .negotiateProtocolVersion(.init(newestVersion: .v3_0, unrecognizedOptions: [])),
            encodesTo: [0x76, 0, 0, 0, 12, 0, 3, 0, 0, 0, 0, 0, 0])
    }

    @Test func negotiateProtocolVersionWithHugeOptionCount() throws {
        let error = try #require(
            backendDecodingError([0x76, 0, 0, 0, 14, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0x61, 0]))
        #expect(
            error
                == PGWireError(.fieldOverrun, message: "NegotiateProtocolVersion", field: "options")
        )
    }

    @Test func negotiateProtocolVersionWithNegativeOptionCount() throws {
        let error = try #require(
            backendDecodingError([0x76, 0, 0, 0, 12, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]))
        #expect(error.kind == .invalidValue("negative count -1"))
        #expect(error.field == "optionCount")
    }
}
