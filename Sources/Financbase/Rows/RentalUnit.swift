public import FoundationEssentials
public import PGWire

/// Whether a unit is let, free to let, or out of use.
public enum RentalUnitStatus: String, StoredEnum {
    /// Each status, as stored.
    case vacant, occupied, maintenance
}

/// A lettable unit of a property: an apartment, an office suite, a shop.
public struct RentalUnit: Sendable, Hashable, Decodable {
    /// The unit's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The property it is part of.
    public var propertyID: UUID
    /// Its label, unique in its property (`Apt 2B`, `Suite 101`).
    public var label: String
    /// How many bedrooms (0 for a studio or a commercial unit).
    public var bedrooms: Int32
    /// Its floor area in square metres.
    public var areaM2: PGNumeric
    /// The rent it would let for today, per month.
    public var marketRent: PGNumeric
    /// In which currency (ISO 4217).
    public var currency: String
    /// Whether it is let, free or out of use, as last recorded.
    public var status: RentalUnitStatus
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension RentalUnit: StoredRecord {
    static let relation = "units"
    static let columns = """
        id, organization_id, property_id, label, bedrooms, area_m2, market_rent, currency, status,
        created_at, updated_at
        """
}
