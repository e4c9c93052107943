import NIOCore
import PGWire

extension PGRequest {
    /// Completes a simple query or a batch with its statements' results.
    func complete(with results: consuming [StatementResult]) {
        switch kind {
        case .simple(let result):
            var sets: [PGResultSet] = []
            sets.reserveCapacity(results.count)
            Self.takeEach(of: results) { _, statement in
                guard case .rows(let columns, let rows, let tag) = consume statement else { return }
                sets.append(PGResultSet(columns: columns, rows: Self.rows(rows, columns), commandTag: tag))
            }
            result.succeed(sets)
        case .batch(let statements, let result):
            var outcomes: [Result<PGResultSet, PGError>] = []
            outcomes.reserveCapacity(results.count)
            Self.takeEach(of: results) { index, statement in
                switch consume statement {
                case .rows(let columns, let rows, let tag):
                    outcomes.append(.success(PGResultSet(columns: columns, rows: Self.rows(rows, columns), commandTag: tag)))
                case .failed(let response):
                    outcomes.append(.failure(PGError.server(response.fields, query: statements.sql(at: index))))
                case .skipped(let failed):
                    outcomes.append(.failure(PGError(
                        .skipped, message: "not run: statement \(failed + 1) of the batch (counting from 1) failed before it",
                        requestWasSent: true, query: statements.sql(at: index))))
                }
            }
            result.succeed(outcomes)
        default:
            break
        }
    }

    /// Hands `body` each result with its index, in order, moved out of the array: a copy (or a
    /// closure over the elements, as `map` takes) retained its columns, rows and tag, which the
    /// array's end then released.
    private static func takeEach(
        of results: consuming [StatementResult], _ body: (Int, consuming StatementResult) -> Void
    ) {
        var results = results
        for index in results.indices {
            var statement = StatementResult.skipped(failedStatement: 0)
            swap(&statement, &results[index])
            body(index, statement)
        }
    }

    private static func rows(_ rows: PGElementQueue<BackendMessage.DataRow>, _ columns: PGColumns?) -> [PGRow] {
        rows.rows(columns: columns ?? PGColumns.none)
    }

    /// The error the request fails with; `cancelTimeout` is the bound a cancelled statement was
    /// given to end.
    func error(_ failure: RequestFailure, cancelTimeout: TimeAmount) -> PGError {
        switch failure {
        case .server(let response):
            return PGError.server(response.fields, query: sql)
        case .connection(let failure, let wasSent):
            return PGError(failure, requestWasSent: wasSent, query: sql)
        case .invalid(let error):
            return PGError(.encoding, message: "\(error)", requestWasSent: false, query: sql)
        case .noResult:
            return PGError(.protocolViolation, message: "the statement ended without a result", requestWasSent: true, query: sql)
        case .noCopyData:
            return PGError(.protocolViolation, message: "COPY ended without data", requestWasSent: true, query: sql)
        case .cancelled(let wasSent):
            return PGError(
                .cancelled,
                message: wasSent
                    ? "the task was cancelled before the statement ended, so whether it took effect is not known; the connection goes on cancelling it, and closes if it does not end within \(cancelTimeout)"
                    : "the task was cancelled before the request was sent",
                requestWasSent: wasSent, query: sql)
        case .cancelNotConfirmed:
            return PGError(
                .cancelled,
                message: "the task was cancelled, and the server did not end the statement within \(cancelTimeout); the connection was closed, so the statement's outcome is not known",
                requestWasSent: true, query: sql)
        }
    }
}
