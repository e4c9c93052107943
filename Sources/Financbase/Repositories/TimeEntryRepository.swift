public import FoundationEssentials
import PGClient
public import PGWire

/// The time logged on the current organization's projects.
public struct TimeEntryRepository: Sendable {
    let session: TenantSession

    /// Logs time on `projectID` by the context's user.
    ///
    /// ```swift
    /// let entry = try await repos.timeEntries.create(
    ///     projectID: project.id, description: "Wireframes", startedAt: start, endedAt: end,
    ///     durationHours: 2, status: .completed, hourlyRate: 95, amount: 190)
    /// ```
    ///
    /// - Throws: `PGError` for a project of another organization (foreign key violation), an end
    ///   before the start, or a negative duration or rate.
    public func create(
        projectID: UUID, description: String, startedAt: Date, endedAt: Date? = nil,
        durationHours: PGNumeric? = nil, status: TimeEntryStatus = .draft, isBillable: Bool = true,
        hourlyRate: PGNumeric? = nil, amount: PGNumeric? = nil, currency: String = "USD"
    ) async throws -> TimeEntry {
        let context = session.context
        return try await session.record(
            TimeEntry.self, "timeEntries.create", entity: "projects", id: projectID,
            """
            INSERT INTO financbase.time_entries
                (organization_id, user_id, project_id, description, started_at, ended_at, duration_hours,
                 status, is_billable, hourly_rate, amount, currency)
            VALUES (\(context.organizationID), \(context.userID), \(projectID), \(description), \(startedAt),
                    \(endedAt), \(durationHours), \(status), \(isBillable), \(hourlyRate), \(amount), \(currency))
            RETURNING \(columnsOf: TimeEntry.self)
            """)
    }

    /// The time entry with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> TimeEntry {
        try await session.fetch(TimeEntry.self, "timeEntries.get", id: id)
    }

    /// The time entries of the project with `projectID`, by start time.
    public func forProject(_ projectID: UUID) async throws -> [TimeEntry] {
        try await session.records(
            TimeEntry.self, "timeEntries.forProject",
            "SELECT \(columnsOf: TimeEntry.self) FROM financbase.time_entries WHERE project_id = \(projectID) ORDER BY started_at, id"
        )
    }

    /// Saves the changeable fields of `entry`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ entry: TimeEntry) async throws -> TimeEntry {
        try await session.record(
            TimeEntry.self, "timeEntries.update", entity: "time_entries", id: entry.id,
            """
            UPDATE financbase.time_entries
            SET project_id = \(entry.projectID), description = \(entry.description), started_at = \(entry.startedAt),
                ended_at = \(entry.endedAt), duration_hours = \(entry.durationHours), status = \(entry.status),
                is_billable = \(entry.isBillable), hourly_rate = \(entry.hourlyRate), amount = \(entry.amount),
                currency = \(entry.currency), invoice_id = \(entry.invoiceID)
            WHERE id = \(entry.id) RETURNING \(columnsOf: TimeEntry.self)
            """)
    }

    /// Deletes the time entry with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("timeEntries.delete", table: "time_entries", id: id)
    }

    /// A page of time entries in the order they were logged.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<TimeEntry> {
        try await session.page(
            TimeEntry.self, "timeEntries.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The time logged on the current organization's projects.
    public var timeEntries: TimeEntryRepository { TimeEntryRepository(session: session) }
}
