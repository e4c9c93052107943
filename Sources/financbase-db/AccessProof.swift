import Financbase
import Foundation
import PGClient

/// Shows the access rules in one organization: each seeded person signs in by Clerk id, says
/// what the server made of it (role, rows seen) and tries to add a client; the expected answer
/// is printed beside what happened.
struct AccessProof {
    let store: FinancbaseStore
    let tenant: SeededOrganization

    /// A person of the organization and what the rules let it do.
    private struct Person {
        var label: String
        var id: UUID
        /// `nil`: refused at sign-in.
        var role: UserRole?
        var addsClient: Bool
    }

    /// What one person's sign-in showed.
    private struct Seen {
        var role: UserRole?
        var counts: [Int]
    }

    /// Thrown to roll a trial write back after it succeeded.
    private struct TrialOver: Error {}

    /// Prints the table; returns `false` when any answer differed from the rules.
    func run() async throws -> Bool {
        let people = tenant.people
        let persons = [
            Person(label: "admin", id: people.admin, role: .admin, addsClient: true),
            Person(label: "user", id: people.users[0], role: .user, addsClient: true),
            Person(label: "viewer", id: people.viewer, role: .viewer, addsClient: false),
            Person(label: "contractor", id: people.contractor, role: .contractor, addsClient: false),
            Person(label: "deactivated", id: people.inactive, role: nil, addsClient: false),
        ]
        let clerkIDs = try await store.withTenant(tenant.admin) { repos in
            var ids: [UUID: String] = [:]
            for person in persons { ids[person.id] = try await repos.users.get(person.id).clerkID }
            return ids
        }
        Output.section(
            "Each person of \(tenant.name) signs in by Clerk id; the server reads the role from financbase.users")
        var table = TextTable(
            [("person", .left), ("role (server)", .left), ("invoices", .right), ("tasks", .right),
             ("time entries", .right), ("users", .right), ("adds a client", .left)])
        var ok = true
        for person in persons {
            let clerkID = clerkIDs[person.id] ?? ""
            let seen = try await signIn(clerkID)
            let adds = seen == nil ? nil : try await addsClient(clerkID)
            let expected = person.role == nil ? seen == nil : seen?.role == person.role && adds == person.addsClient
            ok = ok && expected
            table.add(
                [person.label, seen.map { $0.role?.rawValue ?? "none" } ?? "refused at sign-in"]
                    + (seen?.counts.map(String.init) ?? ["-", "-", "-", "-"])
                    + [(adds.map { $0 ? "yes" : "refused (42501)" } ?? "-") + (expected ? "  ✔" : "  ✘")])
        }
        Output.line(table.render())
        Output.line(
            ok
                ? "  ✔ admins and users write the shared books, viewers and contractors do not, a deactivated user cannot sign in"
                : "  ✘ an answer differed from the access rules")
        return ok
    }

    /// What the person sees, or `nil` when sign-in is refused.
    private func signIn(_ clerkID: String) async throws -> Seen? {
        do {
            return try await store.withTenant(clerkID: clerkID) { repos in
                Seen(
                    role: repos.role,
                    counts: [
                        try await repos.invoices.list(limit: 1_000).rows.count,
                        try await repos.tasks.list(limit: 1_000).rows.count,
                        try await repos.timeEntries.list(limit: 1_000).rows.count,
                        try await repos.users.list(limit: 1_000).rows.count,
                    ])
            }
        } catch FinancbaseError.signInRefused {
            return nil
        }
    }

    /// Whether the server lets the person add a client (rolled back either way).
    private func addsClient(_ clerkID: String) async throws -> Bool {
        do {
            try await store.withTenant(clerkID: clerkID) { repos in
                _ = try await repos.clients.create(name: "Trial client", email: "trial@example.test")
                throw TrialOver()
            }
        } catch is TrialOver {
            return true
        } catch let error as PGError where error.sqlState?.rawValue == "42501" {
            return false
        }
        return false
    }
}
