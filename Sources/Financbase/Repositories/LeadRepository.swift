public import FoundationEssentials
public import PGWire
import PGClient

/// The leads of the current organization: the sales pipeline.
public struct LeadRepository: Sendable {
    let session: TenantSession

    /// Records a lead, owned by `ownerID` (the context's user when `nil`), captured on
    /// `capturedOn` (today when `nil`).
    ///
    /// - Throws: `PGError` `42501` when a user (not an admin) gives the lead to someone else or
    ///   its role writes nothing; `23514` for an empty name, a malformed e-mail or currency, a
    ///   negative value, a campaign on a lead whose source is not `campaign`, or a converted
    ///   client on a lead not won; `23503` for a campaign, client or owner of another
    ///   organization.
    public func create(
        name: String, source: LeadSource, email: String? = nil, company: String? = nil, campaignID: UUID? = nil,
        stage: LeadStage = .new, capturedOn: PGDate? = nil, estimatedValue: PGNumeric = 0, currency: String = "USD",
        convertedClientID: UUID? = nil, notes: String? = nil, ownerID: UUID? = nil
    ) async throws -> Lead {
        let context = session.context
        return try await session.record(
            Lead.self, "leads.create", entity: "leads", id: context.organizationID,
            """
            INSERT INTO financbase.leads
                (organization_id, user_id, name, email, company, source, campaign_id, stage, captured_on,
                 estimated_value, currency, converted_client_id, notes)
            VALUES (\(context.organizationID), \(ownerID ?? context.userID), \(name), \(email), \(company), \(source),
                    \(campaignID), \(stage), coalesce(\(capturedOn), current_date), \(estimatedValue), \(currency),
                    \(convertedClientID), \(notes))
            RETURNING \(columnsOf: Lead.self)
            """)
    }

    /// The lead with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Lead {
        try await session.fetch(Lead.self, "leads.get", id: id)
    }

    /// Saves the changeable fields of `lead`, its owner included (a reassignment, which only an
    /// admin may make).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for a lead the tenant cannot see, or
    ///   that the context's user may not write (a colleague's); `PGError` `42501` when a user
    ///   gives its lead to someone else, `23514` for a value a CHECK refuses (a converted client
    ///   on a lead not won).
    public func update(_ lead: Lead) async throws -> Lead {
        try await session.record(
            Lead.self, "leads.update", entity: "leads", id: lead.id,
            """
            UPDATE financbase.leads
            SET user_id = \(lead.userID), name = \(lead.name), email = \(lead.email), company = \(lead.company),
                source = \(lead.source), campaign_id = \(lead.campaignID), stage = \(lead.stage),
                captured_on = \(lead.capturedOn), estimated_value = \(lead.estimatedValue), currency = \(lead.currency),
                converted_client_id = \(lead.convertedClientID), notes = \(lead.notes)
            WHERE id = \(lead.id) RETURNING \(columnsOf: Lead.self)
            """)
    }

    /// Deletes the lead with `id`, with its activities and tasks.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for a colleague's lead, which a
    ///   user may not delete).
    public func delete(_ id: UUID) async throws {
        try await session.delete("leads.delete", table: "leads", id: id)
    }

    /// A page of leads in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Lead> {
        try await session.page(Lead.self, "leads.list", after: cursor, limit: limit)
    }

    /// The funnel of the leads captured on `from <= day < to`: how many are at each stage and
    /// what they are worth, per currency, in the pipeline's order (new … won, lost). Stages
    /// without leads are left out.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `to` is not after `from`.
    public func funnel(from: PGDate, to: PGDate) async throws -> [LeadFunnelStage] {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(LeadFunnelStage.self, "leads.funnel", Self.funnelQuery(from: from, to: to))
    }

    /// The statement of ``funnel(from:to:)``, as sent; the plan tests explain it.
    static func funnelQuery(from: PGDate, to: PGDate) -> PGQuery {
        """
        SELECT stage, currency, count(*) AS count, sum(estimated_value) AS value
        FROM financbase.leads
        WHERE captured_on >= \(from) AND captured_on < \(to)
        GROUP BY stage, currency
        ORDER BY array_position(ARRAY['new', 'contacted', 'qualified', 'proposal', 'won', 'lost'], stage), currency
        """
    }

    /// How the leads captured on `from <= day < to` converted, per source: how many, how many
    /// won and lost, and the share won; the best-converting source first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `to` is not after `from`.
    public func conversionBySource(from: PGDate, to: PGDate) async throws -> [LeadSourceConversion] {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(
            LeadSourceConversion.self, "leads.conversionBySource", Self.conversionBySourceQuery(from: from, to: to))
    }

    /// The statement of ``conversionBySource(from:to:)``, as sent; the plan tests explain it.
    static func conversionBySourceQuery(from: PGDate, to: PGDate) -> PGQuery {
        """
        SELECT source, count(*) AS leads, count(*) FILTER (WHERE stage = 'won') AS won,
               count(*) FILTER (WHERE stage = 'lost') AS lost,
               round(count(*) FILTER (WHERE stage = 'won') / count(*)::numeric, 4) AS rate
        FROM financbase.leads
        WHERE captured_on >= \(from) AND captured_on < \(to)
        GROUP BY source
        ORDER BY rate DESC, leads DESC, source
        """
    }
}

extension TenantRepositories {
    /// The leads of the current organization: the sales pipeline.
    public var leads: LeadRepository { LeadRepository(session: session) }
}
