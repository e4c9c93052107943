public import PGWire

extension PGConnection {
    /// The types this connection loaded with ``loadTypes(_:)``.
    public var typeRegistry: PGTypeRegistry { shared.read { $0.typeRegistry } }

    /// Looks types up by name in this connection's database and registers them, so that their
    /// values read in binary: an enum as its label (`String`, `PGEnum`), a composite as a
    /// `PGRecord`, arrays of these and of domains as arrays of what they hold.
    ///
    /// Names are read as SQL does (`mood`, `billing.mood`, search path included). The types each
    /// one is made of (a composite's fields, a domain's base, an array's element) and each one's
    /// array type are registered too. Call it once after connecting (a pool's connections each
    /// need it); statements prepared before describe their columns again.
    ///
    /// ```swift
    /// try await connection.loadTypes(["mood", "address"])
    /// let rows = try await connection.query("SELECT mood, moods, home FROM people").collect()
    /// let (mood, moods, home) = try rows[0].decode((String, [String], PGRecord).self)
    /// ```
    ///
    /// - Returns: the types named, in order.
    /// - Throws: ``PGError`` of kind ``PGError/Kind/invalidUsage`` naming the names of no type;
    ///   the server's error if the catalog cannot be read.
    @discardableResult
    public func loadTypes(_ names: [String]) async throws -> [PGTypeInfo] {
        guard !names.isEmpty else { return [] }
        var requested: [UInt32] = []
        var missing: [String] = []
        for row in try await query(PGTypeCatalog.resolve(names)).collect() {
            let (name, oid) = try row.decode((String, UInt32?).self)
            if let oid { requested.append(oid) } else { missing.append(name) }
        }
        guard missing.isEmpty else {
            throw PGError(
                .invalidUsage, message: "no type named \(missing.joined(separator: ", ")) in this database",
                requestWasSent: true)
        }
        var loaded = PGTypeRegistry()
        var wanted = requested
        // A composite's field may be another composite, and so on: follow them a few levels.
        for _ in 0..<8 where !wanted.isEmpty {
            var next: [UInt32] = []
            for row in try await query(PGTypeCatalog.describe(wanted)).collect() {
                let catalog = try row.decode(
                    (UInt32, String, String, String, String, UInt32, UInt32, UInt32, UInt32, UInt32, [String], [String], [UInt32]).self)
                let entry = PGTypeCatalog.Row(
                    oid: catalog.0, name: catalog.1, schema: catalog.2, typtype: catalog.3, category: catalog.4,
                    arrayOID: catalog.5, baseOID: catalog.6, elementOID: catalog.7, rangeSubtype: catalog.8,
                    multirangeRange: catalog.9, labels: catalog.10, fieldNames: catalog.11, fieldTypes: catalog.12)
                loaded.register(entry.info)
                next += entry.referencedTypes
            }
            wanted = Array(Set(next.filter { loaded[PGDataType($0)] == nil }))
        }
        let registry = shared.update { state in
            state.typeRegistry.merge(loaded)
            return state.typeRegistry
        }
        let handler = handler
        try await channel.eventLoop.submit { handler.value.pipeline.typeRegistry = registry }.get()
        return requested.compactMap { loaded[PGDataType($0)] }
    }
}
