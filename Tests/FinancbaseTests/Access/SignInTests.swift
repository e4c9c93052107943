import Foundation
import PGClient
import Synchronization
import Testing

@testable import Financbase

@Suite("Signing in by Clerk id")
struct SignInTests {
    @Test("a Clerk id resolves user, organization and role on the server, inside the unit")
    func resolvesIdentity() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[1]
        let people = acme.people
        let expected: [(UUID, UserRole)] = [
            (people.admin, .admin), (people.users[0], .user), (people.viewer, .viewer),
            (people.contractor, .contractor),
        ]
        try await seeded.database.withStore { store in
            for (user, role) in expected {
                let (context, seenRole, organization) = try await store.withTenant(
                    clerkID: AccessFixture.clerkID(user)
                ) { repos in
                    (repos.context, repos.role, try await repos.probe.setting("app.current_org_id"))
                }
                #expect(context == acme.context(user))
                #expect(seenRole == role)
                #expect(organization == acme.admin.organizationID.uuidString.lowercased())
            }
        }
    }

    @Test("an unknown or deactivated Clerk id is a typed error: no context, the body never runs")
    func refusesUnknownAndInactive() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        let ran = Atomic<Int>(0)
        try await seeded.database.withPoolAndStore(maxConnections: 1) { pool, store in
            for clerkID in ["user_nobody", AccessFixture.clerkID(acme.people.inactive), "", "%"] {
                let error = await #expect(throws: FinancbaseError.self) {
                    try await store.withTenant(clerkID: clerkID) { _ in
                        ran.add(1, ordering: .relaxed)
                    }
                }
                #expect(error == .signInRefused(clerkID: clerkID))
                // The pool's one connection comes back without any context.
                let left = try await pool.query(
                    """
                    SELECT coalesce(current_setting('app.current_org_id', true), ''),
                           coalesce(current_setting('app.current_user_id', true), '')
                    """)
                #expect(try left[0].decode((String, String).self) == ("", ""))
            }
        }
        #expect(ran.load(ordering: .relaxed) == 0)
    }

    @Test("the lookup is narrow: one active user's identity by exact Clerk id, nothing else")
    func lookupIsNarrow() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        try await seeded.database.withAppConnection { connection in
            let columns = try await connection.query(
                "SELECT * FROM app.identity_for_clerk(\(AccessFixture.clerkID(acme.people.admin)))"
            ).collect()
            #expect(columns.count == 1 && columns.first?.count == 4)
            for pattern in ["%", "user_%", ""] {
                let rows = try await connection.query(
                    "SELECT count(*) FROM app.identity_for_clerk(\(pattern))"
                ).collect()
                #expect(try rows[0].decode(Int64.self, at: 0) == 0, "\(pattern)")
            }
            // Without a context the application still sees no user, and has no role.
            let users = try await connection.query(
                "SELECT count(*), app.current_user_role() FROM financbase.users"
            ).collect()
            let (count, role) = try users[0].decode((Int64, String?).self)
            #expect(count == 0 && role == nil)
        }
    }

    @Test("the application can neither replace the lookups nor take their owner's rights")
    func lookupsAreOutOfReach() async throws {
        let seeded = try await AccessFixture.shared
        let attempts = [
            "CREATE OR REPLACE FUNCTION app.current_user_role() RETURNS text LANGUAGE sql STABLE RETURN 'admin'",
            "ALTER FUNCTION app.current_user_role() OWNER TO financbase_app",
            "SET ROLE financbase_lookup",
            "DROP POLICY lookup_read ON financbase.users",
        ]
        try await seeded.database.withAppConnection { connection in
            for attempt in attempts {
                let error = await #expect(throws: PGError.self, "\(attempt)") {
                    try await connection.simpleQuery(attempt)
                }
                #expect(error?.sqlState == .insufficientPrivilege, "\(attempt): \(String(describing: error))")
            }
        }
    }
}
