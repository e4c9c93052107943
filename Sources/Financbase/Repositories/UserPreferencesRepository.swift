import FoundationEssentials
import PGClient

/// The context user's own preferences. Row-level security scopes this table to the user as well
/// as the organization: no unit of work sees or changes another user's preferences.
public struct UserPreferencesRepository: Sendable {
    let session: TenantSession

    /// Creates the context user's preferences.
    ///
    /// ```swift
    /// let preferences = try await repos.userPreferences.create(theme: .dark, timezone: "Europe/Paris", currency: "EUR")
    /// ```
    ///
    /// - Throws: `PGError`: a unique violation when the user has preferences already, a check
    ///   violation for a malformed currency.
    public func create(
        theme: Theme = .system, locale: String = "en-US", timezone: String = "UTC",
        currency: String = "USD",
        emailNotifications: Bool = true, pushNotifications: Bool = false, weeklyDigest: Bool = true
    ) async throws -> UserPreferences {
        let context = session.context
        return try await session.record(
            UserPreferences.self, "userPreferences.create", entity: "users", id: context.userID,
            """
            INSERT INTO financbase.user_preferences
                (organization_id, user_id, theme, locale, timezone, currency, email_notifications,
                 push_notifications, weekly_digest)
            VALUES (\(context.organizationID), \(context.userID), \(theme), \(locale), \(timezone), \(currency),
                    \(emailNotifications), \(pushNotifications), \(weeklyDigest))
            RETURNING \(columnsOf: UserPreferences.self)
            """)
    }

    /// The context user's preferences.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (with the user's id) before
    ///   ``create(theme:locale:timezone:currency:emailNotifications:pushNotifications:weeklyDigest:)``.
    public func current() async throws -> UserPreferences {
        let userID = session.context.userID
        return try await session.record(
            UserPreferences.self, "userPreferences.get", entity: "user_preferences", id: userID,
            "SELECT \(columnsOf: UserPreferences.self) FROM financbase.user_preferences WHERE user_id = \(userID)")
    }

    /// Saves `preferences`, which must be the context user's.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for another user's preferences (the
    ///   policy hides them); `PGError` for a violated constraint.
    public func update(_ preferences: UserPreferences) async throws -> UserPreferences {
        try await session.record(
            UserPreferences.self, "userPreferences.update", entity: "user_preferences",
            id: preferences.userID,
            """
            UPDATE financbase.user_preferences
            SET theme = \(preferences.theme), locale = \(preferences.locale), timezone = \(preferences.timezone),
                currency = \(preferences.currency), email_notifications = \(preferences.emailNotifications),
                push_notifications = \(preferences.pushNotifications), weekly_digest = \(preferences.weeklyDigest)
            WHERE user_id = \(preferences.userID) RETURNING \(columnsOf: UserPreferences.self)
            """)
    }
}

extension TenantRepositories {
    /// The context user's own preferences.
    public var userPreferences: UserPreferencesRepository {
        UserPreferencesRepository(session: session)
    }
}
