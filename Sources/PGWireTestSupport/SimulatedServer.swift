package import NIOCore
package import PGWire

/// A PostgreSQL server as far as the request pipeline can tell: it answers what the pipeline
/// writes as PostgreSQL 15 does — named statements that exist or not, an extended request
/// skipped to its Sync after an error, transactions that fail and stay failed, COPY — with its
/// choices (rows, errors, stale plans) drawn from an event source, and it records what it did
/// for each request: the truth the callers are checked against.
package struct SimulatedServer {
    /// What one statement did on the server.
    package enum Outcome: Equatable, Sendable {
        /// It returned this many rows (or COPY chunks).
        case rows(Int)
        /// It failed with this SQLSTATE.
        case failed(String)
        /// It was skipped after an earlier error in the same request.
        case skipped
    }

    /// The bytes the server sent and the client has not read yet.
    package var toClient = ByteBuffer()
    /// What the server did for each request, statement by statement, in its last run.
    package private(set) var truth: [RequestID: [Outcome]] = [:]
    /// Rules the client broke: a statement parsed twice under one name, a request written during
    /// COPY FROM STDIN.
    package private(set) var violations: [String] = []
    /// The named statements that exist.
    package private(set) var statements: Set<String> = []
    private var transaction = BackendMessage.TransactionStatus.idle
    /// The COPY FROM STDIN waiting for the client's data.
    package private(set) var copyInProgress: RequestID?
    /// Whether an error in the current extended request makes the server skip to its Sync.
    private var skipping = false

    package init() {}

    /// The columns every simulated statement returns.
    package static let columns = BackendMessage.RowDescription(columns: [
        .init(name: "n", dataType: .int4, dataTypeSize: 4, format: .binary)
    ])

    // MARK: Requests

    /// Reads what the pipeline wrote for request `id`: for a batch, its statements up to (not
    /// including) `upTo`, and the Sync once all are written.
    package mutating func receive(
        _ write: RequestWrite, of id: RequestID, request: PipelineRequest?, upTo: Int? = nil,
        choices: inout some ScenarioEventSource
    ) {
        if let copy = copyInProgress {
            violations.append("\(id) was written during the COPY FROM STDIN of \(copy)")
        }
        switch write {
        case .statement(let statement):
            begin(id)
            execute(statement, of: id, choices: &choices)
            sync()
        case .batch(let writes, let from):
            if from == 0 { begin(id) }
            let end = min(upTo ?? writes.count, writes.count)
            for index in from..<max(from, end) { execute(writes[index], of: id, choices: &choices) }
            if end == writes.count { sync() }
        case .query:
            begin(id)
            switch request {
            case .simple(let sql): simpleQuery(sql, of: id, choices: &choices)
            case .copyIn: startCopyIn(id)
            case .copyOut: copyOut(id, choices: &choices)
            default: violations.append("\(id): a Query for a request that is not one")
            }
        case .prepare:
            begin(id)
            guard case .prepare(let name, _, _) = request else {
                violations.append("\(id): a Prepare for a request that is not one")
                return
            }
            prepare(name, of: id)
            sync()
        case .closeStatement(let name):
            // Allowed in a failed transaction; closing a statement that does not exist is not
            // an error.
            statements.remove(name)
            send(.closeComplete)
            send(.readyForQuery(.init(transactionStatus: transaction)))
        }
    }

    /// The client's CopyDone (or CopyFail) for the COPY FROM STDIN in progress.
    package mutating func copyInputEnded(failed: Bool) {
        guard let id = copyInProgress else { return }
        copyInProgress = nil
        if failed {
            fail(id, "57014")
        } else {
            record(id, .rows(0))
            send(.commandComplete(.init(tag: "COPY 0")))
        }
        send(.readyForQuery(.init(transactionStatus: transaction)))
        skipping = false
    }

    // MARK: Extended protocol

    private mutating func begin(_ id: RequestID) {
        truth[id] = []
        skipping = false
    }

    private mutating func execute(_ statement: StatementWrite, of id: RequestID, choices: inout some ScenarioEventSource) {
        guard !skipping else {
            record(id, .skipped)
            return
        }
        guard transaction != .failedTransaction else {
            fail(id, "25P02")
            return
        }
        if statement.parses {
            if !statement.name.isEmpty, statements.contains(statement.name) {
                violations.append("\(id): Parse of \(statement.name), which exists")
                fail(id, "42P05")
                return
            }
            if !statement.name.isEmpty { statements.insert(statement.name) }
            send(.parseComplete)
        }
        if !statement.name.isEmpty, !statements.contains(statement.name) {
            // Pipelining makes this possible (a statement bound behind the request that was to
            // parse it, when that Parse failed; or behind a DISCARD ALL); the client must
            // recover, which the model checks.
            fail(id, "26000")
            return
        }
        if !statement.parses, !statement.name.isEmpty, choices.below(12) == 0 {
            // The table changed under a cached statement.
            fail(id, "0A000", routine: "RevalidateCachedQuery")
            return
        }
        send(.bindComplete)
        if statement.describes { send(.rowDescription(Self.columns)) }
        if choices.below(8) == 0 {
            fail(id, "22012")
            return
        }
        let rows = choices.below(4)
        for value in 0..<rows { send(.dataRow(.init(columns: [ByteBuffer(integer: Int32(value))]))) }
        send(.commandComplete(.init(tag: "SELECT \(rows)")))
        record(id, .rows(rows))
        if let evicted = statement.evicted {
            statements.remove(evicted)
            send(.closeComplete)
        }
    }

    private mutating func prepare(_ name: String, of id: RequestID) {
        guard transaction != .failedTransaction else {
            fail(id, "25P02")
            return
        }
        guard !statements.contains(name) else {
            fail(id, "42P05")
            return
        }
        statements.insert(name)
        send(.parseComplete)
        send(.parameterDescription(.init(dataTypes: [.int4])))
        send(.rowDescription(Self.columns))
        record(id, .rows(0))
    }

    private mutating func sync() {
        skipping = false
        send(.readyForQuery(.init(transactionStatus: transaction)))
    }

    // MARK: Simple protocol

    private mutating func simpleQuery(_ sql: String, of id: RequestID, choices: inout some ScenarioEventSource) {
        defer { send(.readyForQuery(.init(transactionStatus: transaction))) }
        switch sql {
        case "COMMIT", "ROLLBACK":
            let tag = transaction == .failedTransaction ? "ROLLBACK" : sql
            transaction = .idle
            complete(id, tag: tag)
            return
        default:
            break
        }
        guard transaction != .failedTransaction else {
            fail(id, "25P02")
            return
        }
        switch sql {
        case "BEGIN":
            transaction = .inTransaction
            complete(id, tag: "BEGIN")
        case "DISCARD ALL":
            guard transaction == .idle else {
                fail(id, "25001")
                return
            }
            statements.removeAll()
            complete(id, tag: "DISCARD ALL")
        default:
            send(.rowDescription(Self.columns))
            if choices.below(6) == 0 {
                fail(id, "22012")
                return
            }
            let rows = choices.below(3)
            for value in 0..<rows { send(.dataRow(.init(columns: [ByteBuffer(string: "\(value)")]))) }
            send(.commandComplete(.init(tag: "SELECT \(rows)")))
            record(id, .rows(rows))
        }
    }

    private mutating func complete(_ id: RequestID, tag: String) {
        send(.commandComplete(.init(tag: tag)))
        record(id, .rows(0))
    }

    private mutating func startCopyIn(_ id: RequestID) {
        guard transaction != .failedTransaction else {
            fail(id, "25P02")
            send(.readyForQuery(.init(transactionStatus: transaction)))
            return
        }
        copyInProgress = id
        send(.copyInResponse(.init(format: .text, columnFormats: [.text])))
    }

    private mutating func copyOut(_ id: RequestID, choices: inout some ScenarioEventSource) {
        defer { send(.readyForQuery(.init(transactionStatus: transaction))) }
        guard transaction != .failedTransaction else {
            fail(id, "25P02")
            return
        }
        send(.copyOutResponse(.init(format: .text, columnFormats: [.text])))
        let chunks = choices.below(4)
        for value in 0..<chunks { send(.copyData(.init(data: ByteBuffer(string: "\(value)\n")))) }
        if choices.below(6) == 0 {
            fail(id, "22012")
            return
        }
        send(.copyDone)
        send(.commandComplete(.init(tag: "COPY \(chunks)")))
        record(id, .rows(chunks))
    }

    // MARK: Output

    private mutating func fail(_ id: RequestID, _ sqlState: String, routine: String? = nil) {
        var fields: [ResponseField: String] = [
            .localizedSeverity: "ERROR", .severity: "ERROR", .sqlState: sqlState, .message: "simulated \(sqlState)",
        ]
        if let routine { fields[.routine] = routine }
        send(.errorResponse(.init(fields: fields)))
        record(id, .failed(sqlState))
        skipping = true
        if transaction == .inTransaction { transaction = .failedTransaction }
    }

    private mutating func record(_ id: RequestID, _ outcome: Outcome) {
        truth[id, default: []].append(outcome)
    }

    private mutating func send(_ message: BackendMessage) {
        message.encode(into: &toClient)
    }
}
