import FoundationEssentials
import Logging
import PGClient

extension FinancbaseStore {
    /// One unit of work on a leased connection: begin with the context, the body, commit; roll
    /// back on any failure.
    func runUnit<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ source: TenantSource, readOnly: Bool = false, on connection: PGConnection, logger: Logger? = nil,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws -> Result {
        let unit = TenantUnit()
        let result: Result
        let transactionID: PGTransactionID?
        do {
            let (context, role, id) = try await begin(source, readOnly: readOnly, on: connection, logger: logger)
            transactionID = id
            let session = TenantSession(
                context: context, role: role, connection: connection, monitor: monitor, unit: unit,
                logger: logger)
            result = try await body(TenantRepositories(session: session))
            unit.end()
            // A task cancelled while its body ran does not commit what the body did.
            try Task.checkCancellation()
        } catch {
            unit.end()
            await rollBack(connection, after: error, logger: logger)
            throw error
        }
        do {
            try await monitor.measure("tenant.commit") { try await connection.commit(logger: logger) }
        } catch var error as PGError where error.kind == .commitStateUnknown {
            error.transactionID = transactionID
            throw error
        }
        return result
    }

    /// Sends BEGIN (`BEGIN READ ONLY` for a read-only unit), the transaction id read when
    /// ``Options/resolvableCommits`` asks, the context (given, or looked up by Clerk id on the server) and the check in
    /// one pipeline (one write, one round trip), and checks what the server reports back: the
    /// values `set_config` returned, what the policies' helpers read, and the role the server
    /// reads from `users` for that context.
    func begin(
        _ source: TenantSource, readOnly: Bool = false, on connection: PGConnection, logger: Logger? = nil
    ) async throws -> (
        TenantContext, UserRole?, PGTransactionID?
    ) {
        let resolvable = options.resolvableCommits && !readOnly
        var statements: [PGQuery] = [
            readOnly ? "BEGIN READ ONLY" : "BEGIN", source.setContextQuery,
            "SELECT app.current_org_id()::text, app.current_user_id()::text, app.current_user_role()",
        ]
        if resolvable { statements.append("SELECT pg_catalog.pg_current_xact_id()::text") }
        let results = try await monitor.measure("tenant.begin") {
            try await connection.pipeline(statements, sync: .once, logger: logger)
        }
        guard results.count == statements.count else {
            throw FinancbaseError.unexpectedResponse("\(results.count) results for \(statements.count) statements")
        }
        var transactionID: PGTransactionID?
        if resolvable {
            let text = try results[3].get().rows.first?.decode(String?.self, at: 0)
            guard let text, let id = PGTransactionID(text) else {
                throw FinancbaseError.unexpectedResponse("no transaction id")
            }
            transactionID = id
        }
        _ = try results[0].get()
        let set = try results[1].get().rows
        if case .clerk(let clerkID) = source, set.isEmpty {
            throw FinancbaseError.signInRefused(clerkID: clerkID)
        }
        guard let setRow = set.first, set.count == 1, setRow.count == 2 else {
            throw FinancbaseError.unexpectedResponse(
                "\(set.count) rows where one row of two columns was due")
        }
        let (organization, user) = try setRow.decode((String?, String?).self)
        let context: TenantContext
        switch source {
        case .context(let given):
            context = given
        case .clerk:
            guard let organization, let organizationID = UUID(uuidString: organization),
                let user, let userID = UUID(uuidString: user)
            else {
                throw FinancbaseError.unexpectedResponse("the sign-in lookup returned no ids")
            }
            context = TenantContext(userID: userID, organizationID: organizationID)
        }
        let expected = (
            context.organizationID.uuidString.lowercased(), context.userID.uuidString.lowercased()
        )
        let checks = try results[2].get().rows
        guard let check = checks.first, checks.count == 1, check.count == 3 else {
            throw FinancbaseError.unexpectedResponse(
                "\(checks.count) rows where one row of three columns was due")
        }
        let (reportedOrganization, reportedUser, role) = try check.decode(
            (String?, String?, String?).self)
        // What set_config returned, then what the policies' helpers read.
        for reported in [(organization, user), (reportedOrganization, reportedUser)]
        where reported.0 != expected.0 || reported.1 != expected.1 {
            throw FinancbaseError.contextNotApplied(
                expected: context, organization: reported.0, user: reported.1)
        }
        return (context, role.flatMap(UserRole.init(rawValue:)), transactionID)
    }

    /// Rolls back an open transaction after `error`. The rollback runs in a task of its own, so
    /// a cancelled caller does not cancel it too. If it fails, the connection is closed rather
    /// than handed to the next unit in an unknown state, and the failure is logged next to the
    /// error the caller gets.
    func rollBack(_ connection: PGConnection, after error: any Error, logger: Logger? = nil) async {
        guard !connection.isClosed, connection.transactionStatus != .idle else { return }
        let rollback = Task { try await connection.simpleQuery("ROLLBACK", logger: logger) }
        do {
            _ = try await rollback.value
        } catch let rollbackError {
            (logger ?? options.logger).error(
                "ROLLBACK of a tenant unit failed; closing its connection",
                metadata: ["error": "\(rollbackError)", "cause": "\(error)"])
            await connection.close()
        }
    }
}

