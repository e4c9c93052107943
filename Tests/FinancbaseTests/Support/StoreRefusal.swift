import Financbase
import PGClient

extension FinancbaseStore {
    /// The SQLSTATE with which `body` fails when run as `context` in a unit of work of its own
    /// (a refused statement ends its transaction, so each attempt needs one); `nil` when it
    /// succeeds or fails with something other than a server error.
    func refusal(
        isolation: isolated (any Actor)? = #isolation,
        as context: TenantContext, _ body: (TenantRepositories) async throws -> Void
    ) async -> SQLState? {
        do {
            try await withTenant(context, body)
            return nil
        } catch let error as PGError {
            return error.sqlState
        } catch {
            return nil
        }
    }
}
