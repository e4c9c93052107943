public import FoundationEssentials

/// Where an ad is in its life.
public enum AdStatus: String, StoredEnum {
    /// Each status, as stored.
    case draft, active, paused, rejected, archived
}

/// One ad of an ad group, with its creative: headline, body, landing page and image.
public struct Ad: Sendable, Hashable, Decodable {
    /// The ad's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The ad group it belongs to.
    public var adGroupID: UUID
    /// Its name, as the team knows it.
    public var name: String
    /// The headline shown (1 to 300 characters).
    public var headline: String
    /// The text under the headline.
    public var body: String?
    /// The landing page a click opens (`http` or `https`).
    public var url: String
    /// The image shown (`http` or `https`).
    public var imageURL: String?
    /// Where it is in its life.
    public var status: AdStatus
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Ad: StoredRecord {
    static let relation = "ads"
    static let columns = """
        id, organization_id, ad_group_id, name, headline, body, url, image_url, status,
        created_at, updated_at
        """
}
