public import FoundationEssentials
public import PGWire

/// Something that happened in the product (`invoice.viewed`, `dashboard.opened`), with its
/// properties.
public struct AnalyticsEvent: Sendable, Hashable, Decodable {
    /// The event's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user it happened to or for, if any.
    public let userID: UUID?
    /// What happened (lowercase, dotted).
    public let name: String
    /// Its properties, as a JSON object.
    public let properties: PGJSON
    /// When it happened.
    public let occurredAt: Date
    /// When it was recorded.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// One metric's value on one day (`revenue.daily`, `invoices.open`).
public struct MetricSnapshot: Sendable, Hashable, Decodable {
    /// The snapshot's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The day it describes.
    public let day: PGDate
    /// The metric's name (lowercase, dotted).
    public let metric: String
    /// Its value.
    public var value: PGNumeric
    /// The currency of a money metric.
    public var currency: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// How many times an event happened on one day.
public struct EventDayCount: Sendable, Hashable, Decodable {
    /// The day (UTC).
    public let day: PGDate
    /// The event's name.
    public let name: String
    /// How many times.
    public let count: Int64
    /// For how many different users.
    public let users: Int64
}

extension AnalyticsEvent: StoredRecord {
    static let relation = "analytics_events"
    static let columns = "id, organization_id, user_id, name, properties, occurred_at, created_at, updated_at"
}

extension MetricSnapshot: StoredRecord {
    static let relation = "metric_snapshots"
    static let columns = "id, organization_id, day, metric, value, currency, created_at, updated_at"
}
