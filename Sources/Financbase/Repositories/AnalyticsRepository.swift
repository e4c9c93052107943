public import FoundationEssentials
public import PGWire
import PGClient

/// Product events and daily metric snapshots of the current organization.
public struct AnalyticsRepository: Sendable {
    let session: TenantSession

    /// Records that `name` happened (now, unless `occurredAt` says when), for `userID` if any.
    ///
    /// - Throws: `PGError` `check_violation` for a malformed name, `foreign_key_violation` for
    ///   a user of another organization, `insufficient_privilege` (42501) for a viewer.
    public func track(
        _ name: String, userID: UUID? = nil, properties: PGJSON = PGJSON("{}"), occurredAt: Date? = nil
    ) async throws -> AnalyticsEvent {
        let context = session.context
        return try await session.record(
            AnalyticsEvent.self, "analytics.track", entity: "analytics_events", id: context.organizationID,
            """
            INSERT INTO financbase.analytics_events (organization_id, user_id, name, properties, occurred_at)
            VALUES (\(context.organizationID), \(userID), \(name), \(properties), coalesce(\(occurredAt), clock_timestamp()))
            RETURNING \(columnsOf: AnalyticsEvent.self)
            """)
    }

    /// The event with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func event(_ id: UUID) async throws -> AnalyticsEvent {
        try await session.fetch(AnalyticsEvent.self, "analytics.event", id: id)
    }

    /// A page of events in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<AnalyticsEvent> {
        try await session.page(AnalyticsEvent.self, "analytics.list", after: cursor, limit: limit)
    }

    /// Deletes the event with `id` (a member's correction of a wrongly tracked event).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func deleteEvent(_ id: UUID) async throws {
        try await session.delete("analytics.deleteEvent", table: "analytics_events", id: id)
    }

    /// Events with `from <= occurred_at < to`, counted per day (UTC) and name.
    public func eventsPerDay(from: Date, to: Date) async throws -> [EventDayCount] {
        try await session.records(EventDayCount.self, "analytics.eventsPerDay", Self.eventsPerDayQuery(from: from, to: to))
    }

    /// The statement of ``eventsPerDay(from:to:)``, as sent; the plan tests explain it.
    static func eventsPerDayQuery(from: Date, to: Date) -> PGQuery {
        """
        SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, name, count(*) AS count, count(DISTINCT user_id) AS users
        FROM financbase.analytics_events
        WHERE occurred_at >= \(from) AND occurred_at < \(to)
        GROUP BY 1, 2
        ORDER BY 1, 2
        """
    }

    /// Sets `metric` on `day` to `value`, adding or replacing the snapshot.
    ///
    /// - Throws: `PGError` `check_violation` for a malformed metric name or currency,
    ///   `insufficient_privilege` (42501) for a viewer.
    public func recordSnapshot(_ metric: String, on day: PGDate, value: PGNumeric, currency: String? = nil)
        async throws -> MetricSnapshot
    {
        let context = session.context
        return try await session.record(
            MetricSnapshot.self, "analytics.recordSnapshot", entity: "metric_snapshots", id: context.organizationID,
            """
            INSERT INTO financbase.metric_snapshots (organization_id, day, metric, value, currency)
            VALUES (\(context.organizationID), \(day), \(metric), \(value), \(currency))
            ON CONFLICT (organization_id, metric, day) DO UPDATE SET value = excluded.value, currency = excluded.currency
            RETURNING \(columnsOf: MetricSnapshot.self)
            """)
    }

    /// The snapshots of `metric` with `from <= day < to`, by day.
    public func snapshots(of metric: String, from: PGDate, to: PGDate) async throws -> [MetricSnapshot] {
        try await session.records(
            MetricSnapshot.self, "analytics.snapshots",
            """
            SELECT \(columnsOf: MetricSnapshot.self) FROM financbase.metric_snapshots
            WHERE metric = \(metric) AND day >= \(from) AND day < \(to)
            ORDER BY day
            """)
    }
}

extension TenantRepositories {
    /// The organization's product events and metric snapshots.
    public var analytics: AnalyticsRepository { AnalyticsRepository(session: session) }
}
