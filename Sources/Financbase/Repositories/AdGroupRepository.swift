public import FoundationEssentials
public import PGWire
import PGClient

/// The ad groups of the current organization's campaigns.
public struct AdGroupRepository: Sendable {
    let session: TenantSession

    /// Creates an ad group in `campaignID`.
    ///
    /// - Throws: `PGError` `42501` when the context may not write the campaign (a viewer's, or a
    ///   campaign of another organization or none at all: the policy refuses the row before
    ///   its foreign key is checked); `23514` for an empty name or a bid that is not positive.
    public func create(
        campaignID: UUID, name: String, status: AdGroupStatus = .active, bid: PGNumeric? = nil
    ) async throws -> AdGroup {
        let context = session.context
        return try await session.record(
            AdGroup.self, "adGroups.create", entity: "campaigns", id: campaignID,
            """
            INSERT INTO financbase.ad_groups (organization_id, campaign_id, name, status, bid)
            VALUES (\(context.organizationID), \(campaignID), \(name), \(status), \(bid))
            RETURNING \(columnsOf: AdGroup.self)
            """)
    }

    /// The ad group with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> AdGroup {
        try await session.fetch(AdGroup.self, "adGroups.get", id: id)
    }

    /// The ad groups of the campaign with `campaignID`, oldest first.
    public func forCampaign(_ campaignID: UUID) async throws -> [AdGroup] {
        try await session.records(
            AdGroup.self, "adGroups.forCampaign",
            """
            SELECT \(columnsOf: AdGroup.self) FROM financbase.ad_groups
            WHERE campaign_id = \(campaignID) ORDER BY created_at, id
            """)
    }

    /// Saves the changeable fields of `adGroup` (it may move to another campaign).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a value a constraint
    ///   refuses.
    public func update(_ adGroup: AdGroup) async throws -> AdGroup {
        try await session.record(
            AdGroup.self, "adGroups.update", entity: "ad_groups", id: adGroup.id,
            """
            UPDATE financbase.ad_groups
            SET campaign_id = \(adGroup.campaignID), name = \(adGroup.name), status = \(adGroup.status),
                bid = \(adGroup.bid)
            WHERE id = \(adGroup.id) RETURNING \(columnsOf: AdGroup.self)
            """)
    }

    /// Deletes the ad group with `id`, with its ads.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` `23503` when its ads have
    ///   metrics.
    public func delete(_ id: UUID) async throws {
        try await session.delete("adGroups.delete", table: "ad_groups", id: id)
    }

    /// A page of ad groups in the order they were created.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<AdGroup> {
        try await session.page(AdGroup.self, "adGroups.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The ad groups of the current organization's campaigns.
    public var adGroups: AdGroupRepository { AdGroupRepository(session: session) }
}
