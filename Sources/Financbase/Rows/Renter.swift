public import FoundationEssentials

/// A person or company that rents, or rented, a unit.
public struct Renter: Sendable, Hashable, Decodable {
    /// The renter's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// Their name.
    public var name: String
    /// Their e-mail address, unique in the organization (case-insensitively).
    public var email: String?
    /// Their phone number.
    public var phone: String?
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Renter: StoredRecord {
    static let relation = "renters"
    static let columns = "id, organization_id, name, email, phone, notes, created_at, updated_at"
}
