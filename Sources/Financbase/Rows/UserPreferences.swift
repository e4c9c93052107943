public import FoundationEssentials

/// The colour scheme a user chose.
public enum Theme: String, StoredEnum {
    /// Light.
    case light
    /// Dark.
    case dark
    /// Follow the system.
    case system
}

/// One user's display and notification settings; visible to that user only.
public struct UserPreferences: Sendable, Hashable, Decodable {
    /// The user these belong to.
    public let userID: UUID
    /// The colour scheme.
    public var theme: Theme
    /// A BCP 47 locale, such as `en-US`.
    public var locale: String
    /// An IANA time zone, such as `Europe/Paris`.
    public var timezone: String
    /// The currency amounts are shown in (ISO 4217).
    public var currency: String
    /// Whether e-mail notifications are sent.
    public var emailNotifications: Bool
    /// Whether push notifications are sent.
    public var pushNotifications: Bool
    /// Whether the weekly digest is sent.
    public var weeklyDigest: Bool
}

extension UserPreferences: StoredRecord {
    static let relation = "user_preferences"
    static let columns = """
        user_id, theme, locale, timezone, currency, email_notifications, push_notifications,
        weekly_digest
        """
}
