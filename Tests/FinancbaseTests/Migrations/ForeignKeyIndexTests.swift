import PGClient
import Testing

/// Every foreign key of the schema has an index its checks can use: one whose leading columns
/// are exactly the key's, one led by a referencing column other than the tenant's (the check
/// names both, and that column finds the few rows), or a unique one on some of them (which
/// finds at most one row).
@Suite("Foreign-key indexes")
struct ForeignKeyIndexTests {
    /// The foreign keys of `financbase` without such an index, as `table (columns)`.
    static func unindexedForeignKeys(on connection: PGConnection) async throws -> [String] {
        try await connection.query(
            """
            SELECT format('%s (%s)', c.conrelid::regclass,
                (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum))
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'financbase'::regnamespace
              AND NOT EXISTS (
                  SELECT FROM pg_index i
                  WHERE i.indrelid = c.conrelid AND (
                      ((i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                          AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
                      OR (i.indkey[0] = ANY(c.conkey) AND i.indkey[0] <> (SELECT attnum FROM pg_attribute
                          WHERE attrelid = c.conrelid AND attname = 'organization_id'))
                      OR (i.indisunique AND i.indnkeyatts <= cardinality(c.conkey)
                          AND (i.indkey::int2[])[0:i.indnkeyatts - 1] <@ c.conkey)))
            ORDER BY 1
            """
        ).collect().map { try $0.decode(String.self, at: 0) }
    }

    @Test("every foreign key of the migrated schema has an index")
    func everyForeignKeyIsIndexed() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let missing = try await database.withAdminConnection { try await Self.unindexedForeignKeys(on: $0) }
        #expect(missing.isEmpty, "foreign keys without an index: \(missing)")
    }

    @Test("the check finds a foreign key without an index")
    func checkCanFail() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let missing = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                CREATE TABLE financbase.fk_probe (
                    id uuid PRIMARY KEY, organization_id uuid NOT NULL, client_id uuid,
                    FOREIGN KEY (organization_id, client_id) REFERENCES financbase.clients (organization_id, id))
                """)
            return try await Self.unindexedForeignKeys(on: connection)
        }
        #expect(missing == ["financbase.fk_probe (organization_id, client_id)"])
    }
}
