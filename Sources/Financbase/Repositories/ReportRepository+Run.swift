public import FoundationEssentials
import PGClient
import PGWire

extension ReportRepository {
    /// Runs the saved report `id` now, by the context's user, and records the run: its timings,
    /// its row count and its rows (stored as a JSON array), or why it failed. A report that
    /// fails — parameters missing or malformed, a statement the server refuses — is recorded as
    /// `failed` with the reason, and the unit goes on: its statement ran in a savepoint.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for an unknown report; `PGError`
    ///   `insufficient_privilege` (42501) for a viewer, who may not record a run, and for a
    ///   broken connection.
    public func run(_ id: UUID) async throws -> ReportRun {
        let definition = try await get(id)
        let context = session.context
        let started = try await session.record(
            ReportRun.self, "reports.runStart", entity: "report_definitions", id: id,
            """
            INSERT INTO financbase.report_runs (organization_id, report_id, user_id, status)
            VALUES (\(context.organizationID), \(id), \(context.userID), 'running')
            RETURNING \(columnsOf: ReportRun.self)
            """)
        let outcome: Result<(PGJSON, Int32), any Error>
        do {
            let query = try Self.query(for: definition)
            let wrapped = PGQuery(
                unsafeSQL: "SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb), count(*)::int4 FROM (\(query.sql)) r",
                bindings: query.bindings)
            let row = try await session.connection.withSavepoint { _ in
                try await session.rows("reports.runQuery", wrapped)
            }
            outcome = .success(try row[0].decode((PGJSON, Int32).self))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as PGError where error.kind != .server {
            // The connection, not the report, failed: nothing more can be recorded on it.
            throw error
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let (rows, count)):
            return try await session.record(
                ReportRun.self, "reports.runSucceeded", entity: "report_runs", id: started.id,
                """
                UPDATE financbase.report_runs
                SET status = 'succeeded', finished_at = clock_timestamp(), row_count = \(count), result = \(rows)
                WHERE id = \(started.id)
                RETURNING \(columnsOf: ReportRun.self)
                """)
        case .failure(let error):
            let reason = (error as? PGError)?.message ?? "\(error)"
            return try await session.record(
                ReportRun.self, "reports.runFailed", entity: "report_runs", id: started.id,
                """
                UPDATE financbase.report_runs
                SET status = 'failed', finished_at = clock_timestamp(), error = \(reason)
                WHERE id = \(started.id)
                RETURNING \(columnsOf: ReportRun.self)
                """)
        }
    }

    /// The statement that computes `definition`, with its parameters.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for parameters missing or
    ///   malformed, or a kind whose area cannot compute it.
    static func query(for definition: ReportDefinition) throws(RepositoryError) -> PGQuery {
        let parameters = try ReportParameters(definition.parameters)
        switch definition.kind {
        case .cashFlow:
            let (from, to) = try parameters.period()
            return cashFlowQuery(from: from, to: to)
        case .profitAndLoss:
            let (from, to) = try parameters.period()
            return profitAndLossQuery(from: from, to: to)
        case .receivablesAging:
            return receivablesAgingQuery(asOf: try parameters.date("as_of"))
        case .campaignReturn:
            let (from, to) = try parameters.period()
            return MarketingMetricRepository.campaignReturnsQuery(from: from, to: to)
        case .leadFunnel:
            let (from, to) = try parameters.period()
            return LeadRepository.funnelQuery(from: from, to: to)
        case .rentRoll:
            return LeaseRepository.rentRollQuery(asOf: try parameters.date("as_of"))
        }
    }
}

/// A saved report's parameters: a JSON object of strings, dates as `YYYY-MM-DD`.
struct ReportParameters {
    let values: [String: String]

    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `json` is not an object of
    ///   strings.
    init(_ json: PGJSON) throws(RepositoryError) {
        guard let values = try? JSONDecoder().decode([String: String].self, from: Data(json.text.utf8)) else {
            throw .invalidArgument(reason: "report parameters must be a JSON object of strings, not \(json.text)")
        }
        self.values = values
    }

    /// The date `name`.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when it is missing or not a
    ///   `YYYY-MM-DD` date.
    func date(_ name: String) throws(RepositoryError) -> PGDate {
        guard let text = values[name] else {
            throw .invalidArgument(reason: "the report needs the parameter \"\(name)\" (YYYY-MM-DD)")
        }
        guard text.count == 10, let date = PGDate(text: text) else {
            throw .invalidArgument(reason: "the parameter \"\(name)\" is \"\(text)\", not a YYYY-MM-DD date")
        }
        return date
    }

    /// The days `from` and `to` of a report over `from <= day < to`.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when either is missing or
    ///   malformed, or `to` is not after `from`.
    func period() throws(RepositoryError) -> (from: PGDate, to: PGDate) {
        let (from, to) = (try date("from"), try date("to"))
        try RepositoryError.checkPeriod(from: from, to: to)
        return (from, to)
    }
}
