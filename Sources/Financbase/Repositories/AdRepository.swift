public import FoundationEssentials
import PGWire
import PGClient

/// The ads of the current organization's ad groups.
public struct AdRepository: Sendable {
    let session: TenantSession

    /// Creates an ad in `adGroupID` with its creative.
    ///
    /// - Throws: `PGError` `42501` when the context may not write the ad group (a viewer's, or a
    ///   group of another organization or none at all); `23514` for an empty name or headline,
    ///   a headline over 300 characters or a URL that is not `http(s)://…`.
    public func create(
        adGroupID: UUID, name: String, headline: String, body: String? = nil, url: String,
        imageURL: String? = nil, status: AdStatus = .draft
    ) async throws -> Ad {
        let context = session.context
        return try await session.record(
            Ad.self, "ads.create", entity: "ad_groups", id: adGroupID,
            """
            INSERT INTO financbase.ads (organization_id, ad_group_id, name, headline, body, url, image_url, status)
            VALUES (\(context.organizationID), \(adGroupID), \(name), \(headline), \(body), \(url), \(imageURL),
                    \(status))
            RETURNING \(columnsOf: Ad.self)
            """)
    }

    /// The ad with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Ad {
        try await session.fetch(Ad.self, "ads.get", id: id)
    }

    /// The ads of the ad group with `adGroupID`, oldest first.
    public func forAdGroup(_ adGroupID: UUID) async throws -> [Ad] {
        try await session.records(
            Ad.self, "ads.forAdGroup",
            "SELECT \(columnsOf: Ad.self) FROM financbase.ads WHERE ad_group_id = \(adGroupID) ORDER BY created_at, id")
    }

    /// Saves the changeable fields of `ad`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a value a constraint
    ///   refuses.
    public func update(_ ad: Ad) async throws -> Ad {
        try await session.record(
            Ad.self, "ads.update", entity: "ads", id: ad.id,
            """
            UPDATE financbase.ads
            SET ad_group_id = \(ad.adGroupID), name = \(ad.name), headline = \(ad.headline), body = \(ad.body),
                url = \(ad.url), image_url = \(ad.imageURL), status = \(ad.status)
            WHERE id = \(ad.id) RETURNING \(columnsOf: Ad.self)
            """)
    }

    /// Deletes the ad with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` `23503` when it has metrics.
    public func delete(_ id: UUID) async throws {
        try await session.delete("ads.delete", table: "ads", id: id)
    }

    /// A page of ads in the order they were created.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Ad> {
        try await session.page(Ad.self, "ads.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The ads of the current organization's ad groups.
    public var ads: AdRepository { AdRepository(session: session) }
}
