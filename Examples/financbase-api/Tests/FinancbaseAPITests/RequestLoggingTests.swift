import FinancbaseAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// The driver's lines for a request carry its request id.
@Suite struct RequestLoggingTests {
    /// Keeps every line, with its metadata.
    final class Recorder: Sendable {
        struct Line: Sendable {
            var message: String
            var metadata: [String: String]
        }
        let lines = Mutex<[Line]>([])
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            for (key, value) in event.metadata ?? [:] { merged[key] = value }
            let line = Recorder.Line(message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
            recorder.lines.withLock { $0.append(line) }
        }
    }

    @Test func theDriversLinesCarryTheRequestID() async throws {
        let database = try await APITestServer.seededDatabase()
        let recorder = Recorder()
        let logger = Logger(label: "financbase-api-logging-test") { _ in RecordingHandler(recorder: recorder) }
        let built = try await buildApplication(database.settings(), logger: logger)
        try await built.app.test(.live) { client in
            let token = try await built.tokens.token(clerkUserID: database.clerkID(0))
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            let response = try await client.execute(uri: "/api/dashboard", method: .get, headers: headers)
            #expect(response.status == .ok)
        }
        let lines = recorder.lines.withLock { $0 }
        let driver = lines.filter { $0.message == "PostgreSQL operation finished" && $0.metadata["pg.connection.id"] != nil }
        // The unit's BEGIN batch, the dashboard's four statements, COMMIT.
        #expect(driver.count >= 6)
        let ids = Set(driver.compactMap { $0.metadata["hb.request.id"] })
        #expect(driver.allSatisfy { $0.metadata["hb.request.id"] != nil })
        #expect(ids.count == 1)
    }
}
