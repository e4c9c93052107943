import Foundation
import PGClient

/// Tenant tables made the way a migration makes them, through `app.make_tenant_table`, with
/// rows for every person of every organization, to bring a seeded database up to a given
/// number of tenant tables. They cycle through five shapes: organization-scoped with writers
/// `member`, `owner` (a `user_id`) and `admin`; user-scoped (`owner`); and a child whose
/// writers are its parent's (`parent`, under the `owner` table before it).
enum GeneratedTenantTables {
    /// Adds `count` tables `financbase.gen_0000`… to `database`, each with rows.
    static func add(_ count: Int, to database: FinancbaseTestDatabase) async throws {
        guard count > 0 else { return }
        try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                BEGIN;
                SET LOCAL ROLE financbase_owner;
                DO $$
                DECLARE
                    k int;
                    t text;
                BEGIN
                    FOR k IN 0..\(count - 1) LOOP
                        t := format('financbase.gen_%s', lpad(k::text, 4, '0'));
                        CASE k % 5
                        WHEN 0, 2 THEN
                            EXECUTE format('CREATE TABLE %s (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                                organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
                                label text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                                updated_at timestamptz NOT NULL DEFAULT now(), UNIQUE (organization_id, id))', t);
                            PERFORM app.make_tenant_table(t::regclass, 'organization', CASE k % 5 WHEN 0 THEN 'member' ELSE 'admin' END);
                        WHEN 1, 3 THEN
                            EXECUTE format('CREATE TABLE %s (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                                organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
                                user_id uuid NOT NULL, label text NOT NULL,
                                created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
                                UNIQUE (organization_id, id),
                                FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id))', t);
                            EXECUTE format('CREATE INDEX ON %s (organization_id, user_id)', t);
                            PERFORM app.make_tenant_table(t::regclass, CASE k % 5 WHEN 1 THEN 'organization' ELSE 'user' END, 'owner');
                        ELSE
                            EXECUTE format('CREATE TABLE %s (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                                organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
                                parent_id uuid NOT NULL, label text NOT NULL,
                                created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
                                UNIQUE (organization_id, id),
                                FOREIGN KEY (organization_id, parent_id)
                                    REFERENCES financbase.gen_%s (organization_id, id) ON DELETE CASCADE)',
                                t, lpad((k - 3)::text, 4, '0'));
                            EXECUTE format('CREATE INDEX ON %s (organization_id, parent_id)', t);
                            PERFORM app.make_tenant_table(t::regclass, 'organization', 'parent',
                                format('financbase.gen_%s', lpad((k - 3)::text, 4, '0'))::regclass, 'parent_id');
                        END CASE;
                    END LOOP;
                END
                $$;
                RESET ROLE;
                DO $$
                DECLARE
                    k int;
                    t text;
                BEGIN
                    FOR k IN 0..\(count - 1) LOOP
                        t := format('financbase.gen_%s', lpad(k::text, 4, '0'));
                        CASE k % 5
                        WHEN 0, 2 THEN
                            EXECUTE format('INSERT INTO %s (organization_id, label)
                                SELECT o.id, ''Row '' || n FROM financbase.organizations o, generate_series(1, 2) AS n', t);
                        WHEN 1, 3 THEN
                            EXECUTE format('INSERT INTO %s (organization_id, user_id, label)
                                SELECT u.organization_id, u.id, ''Row of '' || u.email FROM financbase.users u', t);
                        ELSE
                            EXECUTE format('INSERT INTO %s (organization_id, parent_id, label)
                                SELECT p.organization_id, p.id, ''Child of '' || p.label FROM financbase.gen_%s p',
                                t, lpad((k - 3)::text, 4, '0'));
                        END CASE;
                    END LOOP;
                END
                $$;
                COMMIT;
                ANALYZE;
                """)
        }
    }

    /// Breaks the tenant table `table`'s SELECT policy the way a careless migration could: it
    /// lets every organization's rows through.
    static func misconfigure(_ table: String, in database: FinancbaseTestDatabase) async throws {
        try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                BEGIN;
                SET LOCAL ROLE financbase_owner;
                DROP POLICY tenant_select ON \(table);
                CREATE POLICY tenant_select ON \(table) FOR SELECT TO financbase_app USING (true);
                COMMIT;
                """)
        }
    }
}
