public import FoundationEssentials
public import PGWire

/// A position in a list ordered by creation time, then id: the last row of the page before.
///
/// Exact to the microsecond (a `Date` is not), so a page never repeats or skips a row.
public struct Cursor: Sendable, Hashable {
    /// The `created_at` of the last row seen.
    public let createdAt: PGTimestamp
    /// The `id` of the last row seen.
    public let id: UUID

    /// Creates a cursor after the row with `createdAt` and `id`.
    public init(createdAt: PGTimestamp, id: UUID) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// One page of a keyset-paginated list.
///
/// ```swift
/// var page = try await repos.clients.list(limit: 50)
/// while let next = page.next {
///     page = try await repos.clients.list(after: next, limit: 50)
/// }
/// ```
public struct Page<Row: Sendable>: Sendable {
    /// The rows of this page, oldest first.
    public let rows: [Row]
    /// Where the next page starts; `nil` on the last page.
    public let next: Cursor?

    /// Creates a page.
    public init(rows: [Row], next: Cursor?) {
        self.rows = rows
        self.next = next
    }
}
