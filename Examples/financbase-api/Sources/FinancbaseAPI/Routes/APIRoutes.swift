import Financbase
import FoundationEssentials
import Hummingbird

/// The routes under `/api`, each running its work through the ``TenantGate``.
struct APIRoutes<Context: RequestContext>: Sendable {
    let gate: TenantGate

    /// Adds every `/api` route to `router`.
    func add(to router: Router<Context>) {
        let api = router.group("api")
        addDashboardRoute(to: api)
        addClientRoutes(to: api)
        addInvoiceRoutes(to: api)
        addExpenseRoutes(to: api)
        addTransactionRoutes(to: api)
        addPaymentRoutes(to: api)
    }
}

extension Parameters {
    /// The path parameter `name` as a UUID.
    ///
    /// - Throws: ``APIProblem`` 404 `not_found` when it is not one (no row can have that id).
    func uuid(_ name: String) throws(APIProblem) -> UUID {
        guard let text = self.get(name), let id = UUID(uuidString: text) else {
            throw APIProblem(status: .notFound, code: "not_found", detail: "no such row")
        }
        return id
    }
}
