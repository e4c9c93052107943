import Logging
import PGClient

extension FinancbaseStore {
    /// One unit of work on a leased connection: begin with the context, the body, commit; roll
    /// back on any failure.
    func runUnit<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ context: TenantContext, on connection: PGConnection,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws -> Result {
        let unit = TenantUnit()
        let result: Result
        do {
            try await begin(context, on: connection)
            let session = TenantSession(
                context: context, connection: connection, monitor: monitor, unit: unit)
            result = try await body(TenantRepositories(session: session))
            unit.end()
            // A task cancelled while its body ran does not commit what the body did.
            try Task.checkCancellation()
        } catch {
            unit.end()
            await rollBack(connection, after: error)
            throw error
        }
        try await monitor.measure("tenant.commit") { try await connection.commit() }
        return result
    }

    /// Sends BEGIN and the context in one pipeline (one write, one round trip) and checks what
    /// the server reports back: the values `set_config` returned, and what the policies' helpers
    /// read.
    func begin(_ context: TenantContext, on connection: PGConnection) async throws {
        let organization = context.organizationID.uuidString.lowercased()
        let user = context.userID.uuidString.lowercased()
        let results = try await monitor.measure("tenant.begin") {
            try await connection.pipeline(
                [
                    "BEGIN",
                    """
                    SELECT set_config('app.current_org_id', \(organization), true), \
                    set_config('app.current_user_id', \(user), true)
                    """,
                    "SELECT app.current_org_id()::text, app.current_user_id()::text",
                ], sync: .once)
        }
        guard results.count == 3 else {
            throw FinancbaseError.unexpectedResponse("\(results.count) results for 3 statements")
        }
        _ = try results[0].get()
        for result in results.dropFirst() {
            let rows = try result.get().rows
            guard let row = rows.first, rows.count == 1, row.count == 2 else {
                throw FinancbaseError.unexpectedResponse(
                    "\(rows.count) rows where one row of two columns was due")
            }
            let (reportedOrganization, reportedUser) = try row.decode((String?, String?).self)
            guard reportedOrganization == organization, reportedUser == user else {
                throw FinancbaseError.contextNotApplied(
                    expected: context, organization: reportedOrganization, user: reportedUser)
            }
        }
    }

    /// Rolls back an open transaction after `error`. The rollback runs in a task of its own, so
    /// a cancelled caller does not cancel it too. If it fails, the connection is closed rather
    /// than handed to the next unit in an unknown state, and the failure is logged next to the
    /// error the caller gets.
    func rollBack(_ connection: PGConnection, after error: any Error) async {
        guard !connection.isClosed, connection.transactionStatus != .idle else { return }
        let rollback = Task { try await connection.simpleQuery("ROLLBACK") }
        do {
            _ = try await rollback.value
        } catch let rollbackError {
            options.logger.error(
                "ROLLBACK of a tenant unit failed; closing its connection",
                metadata: ["error": "\(rollbackError)", "cause": "\(error)"])
            await connection.close()
        }
    }
}
