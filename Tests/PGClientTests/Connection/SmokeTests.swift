import Logging
import NIOPosix
import PGWire
import Testing

@testable import PGClient

@Suite struct SmokeTests {
    @Test func connectAndQuery() async throws {
        let settings = ConnectionSettings(user: "postgres", database: "postgres", password: "devpass", tls: .disable)
        let connection = try await PGConnection.connect(
            to: .tcp(host: "127.0.0.1", port: 54329), settings: settings, tls: nil, timeout: .seconds(5),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let rows = try await connection.query("SELECT \(Int32(41)) + 1, 'hi'::text")
        var values: [(Int32, String)] = []
        for try await row in rows { values.append(try row.decode((Int32, String).self)) }
        #expect(values.count == 1)
        #expect(values.first?.0 == 42)
        #expect(rows.commandTag == "SELECT 1")
        let results = try await connection.simpleQuery("SELECT 1; SELECT 2")
        #expect(results.count == 2)
        await connection.close()
        #expect(connection.isClosed)
    }
}

extension SmokeTests {
    struct Item: Decodable, Equatable {
        let id: Int32
        let displayName: String
        let note: String?
    }

    @Test func decodableAndTransaction() async throws {
        let settings = ConnectionSettings(user: "postgres", database: "postgres", password: "devpass", tls: .disable)
        let connection = try await PGConnection.connect(
            to: .tcp(host: "127.0.0.1", port: 54329), settings: settings, tls: nil, timeout: .seconds(5),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let items = try await connection.query("SELECT 1::int4 AS id, 'a' AS display_name, NULL::text AS note")
            .collect().map { try $0.decode(as: Item.self) }
        #expect(items == [Item(id: 1, displayName: "a", note: nil)])
        await #expect(throws: PGError.self) {
            try await connection.withTransaction { conn in
                try await conn.execute("SELECT 1/0")
            }
        }
        #expect(connection.transactionStatus == .idle)
        await connection.close()
    }
}
