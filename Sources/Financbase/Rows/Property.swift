public import FoundationEssentials
public import PGWire

/// What a property is let for.
public enum PropertyKind: String, StoredEnum {
    /// Each kind, as stored.
    case residential, commercial, mixed
}

/// A building the organization owns and lets, unit by unit.
public struct Property: Sendable, Hashable, Decodable {
    /// The property's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// Its name, unique in the organization (`Harbor View Apartments`).
    public var name: String
    /// Its street address.
    public var address: String
    /// Its city.
    public var city: String
    /// Its country (ISO 3166-1 alpha-2).
    public var country: String
    /// What it is let for.
    public var kind: PropertyKind
    /// What it was bought for.
    public var purchasePrice: PGNumeric
    /// In which currency (ISO 4217).
    public var currency: String
    /// The day it was bought.
    public var purchasedOn: PGDate
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Property: StoredRecord {
    static let relation = "properties"
    static let columns = """
        id, organization_id, name, address, city, country, kind, purchase_price, currency, purchased_on,
        notes, created_at, updated_at
        """
}
