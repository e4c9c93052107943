import Financbase

/// The seeded template databases of the shared test cluster, one per set of organizations, each
/// made once by the first test that asks for it (the others wait for it).
actor SeededTemplates {
    private var made: [[SeedOrganization]: Task<APITestDatabase, any Error>] = [:]

    /// The template holding `organizations`, made with `make` when there is none yet. A failed
    /// attempt is not kept: the next caller tries again.
    func template(
        of organizations: [SeedOrganization], make: @escaping @Sendable () async throws -> APITestDatabase
    ) async throws -> APITestDatabase {
        let task = made[organizations] ?? Task { try await make() }
        made[organizations] = task
        do {
            return try await task.value
        } catch {
            if made[organizations] == task { made[organizations] = nil }
            throw error
        }
    }
}
