import FoundationEssentials
import PGClient
import PGWire

/// The reading and paging every repository shares: rows become records by column name
/// (`PGRow.decode(as:)`), and lists page by (created_at, id).
extension TenantSession {
    /// The most rows a page may ask for.
    static let maximumPageSize = 1_000

    /// Runs `query` and decodes every row as `Record`.
    func records<Record: Decodable>(
        _ type: Record.Type, _ name: StaticString, _ query: PGQuery
    ) async throws -> [Record] {
        try await rows(name, query).map { row throws(PGError) in try row.decode(as: Record.self) }
    }

    /// Runs `query` and decodes its one row, or throws ``RepositoryError/notFound(entity:id:)``
    /// for `entity` `id` when there is none.
    func record<Record: Decodable>(
        _ type: Record.Type, _ name: StaticString, entity: String, id: UUID, _ query: PGQuery
    ) async throws -> Record {
        guard let row = try await rows(name, query).first else {
            throw RepositoryError.notFound(entity: entity, id: id)
        }
        return try row.decode(as: Record.self)
    }

    /// The row of `Record`'s table with `id`.
    func fetch<Record: StoredRecord>(
        _ type: Record.Type, _ name: StaticString, id: UUID
    ) async throws -> Record {
        try await record(
            Record.self, name, entity: Record.relation, id: id,
            "SELECT \(columnsOf: Record.self) FROM financbase.\(identifier: Record.relation) WHERE id = \(id)")
    }

    /// Deletes the row of `table` with `id`, or throws ``RepositoryError/notFound(entity:id:)``.
    func delete(_ name: StaticString, table: String, id: UUID) async throws {
        let result = try await execute(name, "DELETE FROM financbase.\(identifier: table) WHERE id = \(id)")
        guard result.rowCount == 1 else { throw RepositoryError.notFound(entity: table, id: id) }
    }

    /// One page of `Record`'s table in (created_at, id) order, after `cursor`; the tenant's index
    /// (organization_id, created_at, id) serves it, whatever the page's depth.
    func page<Record: StoredRecord>(
        _ type: Record.Type, _ name: StaticString, after cursor: Cursor?, limit: Int
    ) async throws -> Page<Record> {
        try RepositoryError.checkLimit(limit)
        // One more row than asked says whether another page follows.
        let query: PGQuery =
            if let cursor {
                """
                SELECT \(columnsOf: Record.self), created_at AS cursor_created_at, id AS cursor_id
                FROM financbase.\(identifier: Record.relation)
                WHERE (created_at, id) > (\(cursor.createdAt), \(cursor.id))
                ORDER BY created_at, id LIMIT \(limit + 1)
                """
            } else {
                """
                SELECT \(columnsOf: Record.self), created_at AS cursor_created_at, id AS cursor_id
                FROM financbase.\(identifier: Record.relation) ORDER BY created_at, id LIMIT \(limit + 1)
                """
            }
        let rows = try await rows(name, query)
        let shown = rows.prefix(limit)
        var next: Cursor?
        if rows.count > limit, let last = shown.last {
            next = Cursor(
                createdAt: try last.decode(PGTimestamp.self, column: "cursor_created_at"),
                id: try last.decode(UUID.self, column: "cursor_id"))
        }
        return Page(rows: try shown.map { row throws(PGError) in try row.decode(as: Record.self) }, next: next)
    }
}
