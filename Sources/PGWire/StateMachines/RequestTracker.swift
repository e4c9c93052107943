/// Matches the server's responses to one request, statement by statement.
///
/// A request's responses must arrive in the order its messages were sent (see
/// ``ExtendedSteps``); anything else is a protocol violation. After an ErrorResponse the server
/// skips the rest of the request, so only ReadyForQuery may follow.
struct RequestTracker: Sendable {
    enum Phase: Sendable {
        /// Waiting for the response to the next step (extended), or for a result to start (simple).
        case steps
        /// ParameterDescription came; RowDescription or NoData comes next.
        case describingStatementColumns
        /// Rows are arriving.
        case rows
        /// The server waits for COPY data from the client.
        case copyIn
        /// The server sends COPY data.
        case copyOut
        /// CopyDone came; CommandComplete comes next.
        case copyOutDone
        /// Everything was answered or the request failed; only ReadyForQuery may follow.
        case awaitingReady
    }

    /// What one response meant for the request.
    enum Outcome: Hashable, Sendable {
        case action(ConnectionAction)
        case completed(BackendMessage.TransactionStatus)
        case violation(PGWireError)
    }

    let id: RequestID
    let request: QueryRequest
    private(set) var statement = 0
    private var remaining: ExtendedSteps
    private var phase: Phase
    /// Whether an ErrorResponse ended the request; the server sends at most one per request.
    private var failed = false

    init(id: RequestID, request: QueryRequest) {
        self.id = id
        self.request = request
        switch request {
        case .simple:
            remaining = []
            phase = .steps
        case .extended, .batch:
            remaining = request.steps(ofStatement: 0) ?? []
            phase = .steps
            skipEmptyStatements()
        }
    }

    mutating func receive(_ message: BackendMessage) -> Outcome {
        if case .errorResponse(let error) = message, !failed {
            failed = true
            // After every statement was answered, the error comes from the Sync that commits the
            // implicit transaction (a deferred constraint, a serialization failure): it undoes the
            // last statement too, so that is the one it fails.
            let failing = isAwaitingReady ? max(statement - 1, 0) : statement
            phase = .awaitingReady
            return .action(.statementFailed(id, statement: failing, error))
        }
        if case .readyForQuery(let ready) = message, isAwaitingReady || isSimpleBetweenResults {
            return .completed(ready.transactionStatus)
        }
        switch request {
        case .simple: return receiveSimple(message)
        case .extended, .batch: return receiveExtended(message)
        }
    }

    /// The statement whose rows may come next: they are arriving (a DataRow changes nothing
    /// here), or its Execute is the next step (the first DataRow starts them, ``rowsStarted()``).
    var rowsExpectation: RowsExpectation? {
        switch phase {
        case .rows:
            return RowsExpectation(statement: statement, isFirstRow: false)
        case .steps where remaining.first == .execute:
            return RowsExpectation(statement: statement, isFirstRow: true)
        default:
            return nil
        }
    }

    /// A DataRow answered the Execute that ``rowsExpectation`` said is next.
    mutating func rowsStarted() {
        if case .steps = phase, remaining.first == .execute { phase = .rows }
    }

    private var isAwaitingReady: Bool {
        if case .awaitingReady = phase { return true }
        return false
    }

    private var isSimpleBetweenResults: Bool {
        if case .simple = request, case .steps = phase { return true }
        return false
    }

    // MARK: Simple query

    private mutating func receiveSimple(_ message: BackendMessage) -> Outcome {
        switch (phase, message) {
        case (.steps, .rowDescription(let description)):
            phase = .rows
            return .action(.rowDescription(id, statement: statement, description))
        case (.rows, .dataRow(let row)):
            return .action(.dataRow(id, statement: statement, row))
        case (.steps, .commandComplete(let done)), (.rows, .commandComplete(let done)):
            return finishSimpleStatement(.commandComplete(id, statement: statement, done))
        case (_, .commandComplete(let done)) where copyCanComplete:
            return finishSimpleStatement(.commandComplete(id, statement: statement, done))
        case (.steps, .emptyQueryResponse):
            return finishSimpleStatement(.emptyQuery(id, statement: statement))
        default:
            return receiveCopy(message)
        }
    }

    private mutating func finishSimpleStatement(_ action: ConnectionAction) -> Outcome {
        statement += 1
        phase = .steps
        return .action(action)
    }

    // MARK: Extended query

    private mutating func receiveExtended(_ message: BackendMessage) -> Outcome {
        switch phase {
        case .describingStatementColumns:
            switch message {
            case .rowDescription(let description):
                return finishStep(.describeStatement, .rowDescription(id, statement: statement, description))
            case .noData:
                return finishStep(.describeStatement, .noData(id, statement: statement))
            default:
                return unexpected(message)
            }
        case .rows:
            switch message {
            case .dataRow(let row): return .action(.dataRow(id, statement: statement, row))
            case .commandComplete(let done): return finishStep(.execute, .commandComplete(id, statement: statement, done))
            case .portalSuspended: return finishStep(.execute, .portalSuspended(id, statement: statement))
            default: return unexpected(message)
            }
        case .copyIn, .copyOut, .copyOutDone:
            if case .commandComplete(let done) = message, copyCanComplete {
                return finishStep(.execute, .commandComplete(id, statement: statement, done))
            }
            return receiveCopy(message)
        case .awaitingReady:
            return unexpected(message)
        case .steps:
            break
        }
        guard let step = remaining.first else { return unexpected(message) }
        switch (step, message) {
        case (.parse, .parseComplete):
            return finishStep(.parse, .parseComplete(id, statement: statement))
        case (.describeStatement, .parameterDescription(let description)):
            phase = .describingStatementColumns
            return .action(.parameterDescription(id, statement: statement, description))
        case (.bind, .bindComplete):
            return finishStep(.bind, .none)
        case (.describePortal, .rowDescription(let description)):
            return finishStep(.describePortal, .rowDescription(id, statement: statement, description))
        case (.describePortal, .noData):
            return finishStep(.describePortal, .noData(id, statement: statement))
        case (.execute, .dataRow(let row)):
            phase = .rows
            return .action(.dataRow(id, statement: statement, row))
        case (.execute, .commandComplete(let done)):
            return finishStep(.execute, .commandComplete(id, statement: statement, done))
        case (.execute, .emptyQueryResponse):
            return finishStep(.execute, .emptyQuery(id, statement: statement))
        case (.execute, .portalSuspended):
            return finishStep(.execute, .portalSuspended(id, statement: statement))
        case (.execute, .copyInResponse), (.execute, .copyOutResponse):
            return receiveCopy(message)
        case (.close, .closeComplete):
            return finishStep(.close, .none)
        default:
            return unexpected(message)
        }
    }

    /// Marks a step answered; when the statement has no steps left, moves to the next one.
    private mutating func finishStep(_ step: ExtendedSteps, _ action: ConnectionAction) -> Outcome {
        remaining.remove(step)
        phase = .steps
        if remaining.isEmpty {
            statement += 1
            remaining = request.steps(ofStatement: statement) ?? []
            skipEmptyStatements()
        }
        return .action(action)
    }

    /// Moves past statements that sent nothing; after the last statement only ReadyForQuery is due.
    private mutating func skipEmptyStatements() {
        while remaining.isEmpty {
            guard let count = request.statementCount, statement < count else {
                phase = .awaitingReady
                return
            }
            statement += 1
            remaining = request.steps(ofStatement: statement) ?? []
        }
    }

    // MARK: COPY (both query kinds)

    private mutating func receiveCopy(_ message: BackendMessage) -> Outcome {
        switch (phase, message) {
        case (.steps, .copyInResponse(let response)):
            phase = .copyIn
            return .action(.copyInStarted(id, statement: statement, response))
        case (.steps, .copyOutResponse(let response)):
            phase = .copyOut
            return .action(.copyOutStarted(id, statement: statement, response))
        case (.copyOut, .copyData(let data)):
            return .action(.copyData(id, statement: statement, data.data))
        case (.copyOut, .copyDone):
            phase = .copyOutDone
            return .action(.none)
        default:
            return unexpected(message)
        }
    }

    /// CommandComplete ends a COPY once the client's data is in (the server's answer to CopyDone)
    /// or the server's data is out.
    private var copyCanComplete: Bool {
        switch phase {
        case .copyIn, .copyOutDone: true
        default: false
        }
    }

    private func unexpected(_ message: BackendMessage) -> Outcome {
        .violation(PGWireError(.unexpectedMessage, message: message.name, field: nil))
    }
}
