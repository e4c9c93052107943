public import FoundationEssentials

/// Whether a client is being worked with.
public enum ClientStatus: String, StoredEnum {
    /// Each value, as stored.
    case active, inactive, suspended
}

/// A customer the organization invoices.
public struct Client: Sendable, Hashable, Decodable {
    /// The client's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who added it.
    public let userID: UUID
    /// The client's name.
    public var name: String
    /// Where invoices are sent.
    public var email: String
    /// A phone number.
    public var phone: String?
    /// The client's company.
    public var company: String?
    /// The postal address.
    public var address: String?
    /// The city.
    public var city: String?
    /// The country (ISO 3166 code).
    public var country: String
    /// The client's tax number.
    public var taxID: String?
    /// The currency the client is invoiced in (ISO 4217).
    public var currency: String
    /// Days between an invoice's issue and due dates.
    public var paymentTermsDays: Int32
    /// Whether the client is being worked with.
    public var status: ClientStatus
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Client: StoredRecord {
    static let relation = "clients"
    static let columns = """
        id, organization_id, user_id, name, email, phone, company, address, city, country,
        tax_id, currency, payment_terms_days, status, notes, created_at, updated_at
        """
}
