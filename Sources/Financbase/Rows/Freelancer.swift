public import FoundationEssentials
public import PGWire

/// Whether a freelancer takes work.
public enum FreelancerStatus: String, StoredEnum {
    /// Each status, as stored.
    case available, busy, unavailable, inactive
}

/// A user's freelancer profile.
public struct Freelancer: Sendable, Hashable, Decodable {
    /// The profile's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user it describes.
    public let userID: UUID
    /// The name shown.
    public var displayName: String
    /// The professional title.
    public var title: String
    /// A short biography.
    public var bio: String?
    /// Specialties (`web_development`, `consulting`, …).
    public var specialties: [String]
    /// Skills.
    public var skills: [String]
    /// The hourly rate.
    public var hourlyRate: PGNumeric?
    /// The rate's currency (ISO 4217).
    public var currency: String
    /// Whether they take work.
    public var status: FreelancerStatus
    /// An IANA time zone.
    public var timezone: String
    /// Whether the profile was verified.
    public var isVerified: Bool
    /// The average rating, 0 to 5.
    public var rating: PGNumeric
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Freelancer: StoredRecord {
    static let relation = "freelancers"
    static let columns = """
        id, organization_id, user_id, display_name, title, bio, specialties, skills,
        hourly_rate, currency, status, timezone, is_verified, rating, created_at, updated_at
        """
}
