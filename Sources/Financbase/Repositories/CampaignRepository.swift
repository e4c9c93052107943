public import FoundationEssentials
public import PGWire
import PGClient

/// The marketing campaigns of the current organization.
public struct CampaignRepository: Sendable {
    let session: TenantSession

    /// Creates a campaign, recorded as created by the context's user.
    ///
    /// - Throws: `PGError` for an empty name, a negative budget, a malformed currency or an end
    ///   before the start (`23514`), or a role that may not write campaigns (`42501`).
    public func create(
        name: String, channel: CampaignChannel, budget: PGNumeric, currency: String = "USD",
        startDate: PGDate, endDate: PGDate? = nil, status: CampaignStatus = .draft, description: String? = nil
    ) async throws -> Campaign {
        let context = session.context
        return try await session.record(
            Campaign.self, "campaigns.create", entity: "campaigns", id: context.organizationID,
            """
            INSERT INTO financbase.campaigns
                (organization_id, user_id, name, channel, budget, currency, start_date, end_date, status, description)
            VALUES (\(context.organizationID), \(context.userID), \(name), \(channel), \(budget), \(currency),
                    \(startDate), \(endDate), \(status), \(description))
            RETURNING \(columnsOf: Campaign.self)
            """)
    }

    /// The campaign with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Campaign {
        try await session.fetch(Campaign.self, "campaigns.get", id: id)
    }

    /// Saves the changeable fields of `campaign`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for a campaign the tenant cannot see or
    ///   write; `PGError` for a value a CHECK constraint refuses.
    public func update(_ campaign: Campaign) async throws -> Campaign {
        try await session.record(
            Campaign.self, "campaigns.update", entity: "campaigns", id: campaign.id,
            """
            UPDATE financbase.campaigns
            SET name = \(campaign.name), channel = \(campaign.channel), budget = \(campaign.budget),
                currency = \(campaign.currency), start_date = \(campaign.startDate), end_date = \(campaign.endDate),
                status = \(campaign.status), description = \(campaign.description)
            WHERE id = \(campaign.id) RETURNING \(columnsOf: Campaign.self)
            """)
    }

    /// Deletes the campaign with `id`, with its ad groups and ads.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` `23503` when its ads have
    ///   metrics (reported spend is kept: set the campaign `completed` instead) or leads name it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("campaigns.delete", table: "campaigns", id: id)
    }

    /// A page of campaigns in the order they were created.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Campaign> {
        try await session.page(Campaign.self, "campaigns.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The marketing campaigns of the current organization.
    public var campaigns: CampaignRepository { CampaignRepository(session: session) }
}
