public import FoundationEssentials
public import PGWire
import PGClient

/// The maintenance requests of the current organization's units: a queue every member works.
public struct MaintenanceRequestRepository: Sendable {
    let session: TenantSession

    /// Records a request for the unit `unitID`, reported by the context's user.
    ///
    /// - Throws: `PGError` with SQLSTATE 23503 for a unit of another organization (or none);
    ///   23514 for an empty title, a negative cost, a close time before the opening, or a
    ///   status and close time that do not fit (closed exactly when `done` or `cancelled`);
    ///   42501 for a viewer.
    public func create(
        unitID: UUID, title: String, description: String? = nil,
        priority: MaintenancePriority = .normal,
        status: MaintenanceStatus = .open, cost: PGNumeric? = nil, currency: String = "USD",
        openedAt: Date = Date(), closedAt: Date? = nil
    ) async throws -> MaintenanceRequest {
        let context = session.context
        return try await session.record(
            MaintenanceRequest.self, "maintenanceRequests.create", entity: "units", id: unitID,
            """
            INSERT INTO financbase.maintenance_requests
                (organization_id, unit_id, reported_by, title, description, priority, status, cost, currency,
                 opened_at, closed_at)
            VALUES (\(context.organizationID), \(unitID), \(context.userID), \(title), \(description), \(priority),
                    \(status), \(cost), \(currency), \(openedAt), \(closedAt))
            RETURNING \(columnsOf: MaintenanceRequest.self)
            """)
    }

    /// The request with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> MaintenanceRequest {
        try await session.fetch(MaintenanceRequest.self, "maintenanceRequests.get", id: id)
    }

    /// The requests of the unit `unitID`, oldest first (none for an unknown unit).
    public func forUnit(_ unitID: UUID) async throws -> [MaintenanceRequest] {
        try await session.records(
            MaintenanceRequest.self, "maintenanceRequests.forUnit",
            """
            SELECT \(columnsOf: MaintenanceRequest.self) FROM financbase.maintenance_requests
            WHERE unit_id = \(unitID) ORDER BY opened_at, id
            """)
    }

    /// Saves every changeable field of `request` (its reporter stays).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ request: MaintenanceRequest) async throws -> MaintenanceRequest {
        try await session.record(
            MaintenanceRequest.self, "maintenanceRequests.update", entity: "maintenance_requests",
            id: request.id,
            """
            UPDATE financbase.maintenance_requests
            SET unit_id = \(request.unitID), title = \(request.title), description = \(request.description),
                priority = \(request.priority), status = \(request.status), cost = \(request.cost),
                currency = \(request.currency), opened_at = \(request.openedAt), closed_at = \(request.closedAt)
            WHERE id = \(request.id) RETURNING \(columnsOf: MaintenanceRequest.self)
            """)
    }

    /// Deletes the request with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete(
            "maintenanceRequests.delete", table: "maintenance_requests", id: id)
    }

    /// A page of requests in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<
        MaintenanceRequest
    > {
        try await session.page(
            MaintenanceRequest.self, "maintenanceRequests.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The maintenance requests of the current organization's units.
    public var maintenanceRequests: MaintenanceRequestRepository {
        MaintenanceRequestRepository(session: session)
    }
}
