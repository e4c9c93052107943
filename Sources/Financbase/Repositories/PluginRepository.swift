public import FoundationEssentials
public import PGWire
import PGClient

/// The plugin marketplace as the current organization sees it: the shared catalogue (read-only)
/// and the organization's installations and their settings (administrators change them).
public struct PluginRepository: Sendable {
    let session: TenantSession

    /// The published plugins of the catalogue, by category and name; of one category when given.
    public func catalogue(category: PluginCategory? = nil) async throws -> [Plugin] {
        try await session.records(
            Plugin.self, "plugins.catalogue",
            """
            SELECT \(columnsOf: Plugin.self) FROM financbase.plugins
            WHERE is_published AND (\(category)::text IS NULL OR category = \(category))
            ORDER BY category, name
            """)
    }

    /// The catalogue's plugin with `slug`.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when no plugin has that slug.
    public func plugin(slug: String) async throws -> Plugin {
        guard
            let plugin = try await session.records(
                Plugin.self, "plugins.bySlug",
                "SELECT \(columnsOf: Plugin.self) FROM financbase.plugins WHERE slug = \(slug)"
            ).first
        else {
            throw RepositoryError.invalidArgument(reason: "no plugin is called \"\(slug)\"")
        }
        return plugin
    }

    /// Installs the catalogue's plugin `pluginID` at its current version, by the context's user.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a plugin that is unknown or not
    ///   published; `PGError` `unique_violation` when it is installed already, and
    ///   `insufficient_privilege` (42501) unless the context's user is an administrator.
    public func install(_ pluginID: UUID) async throws -> PluginInstallation {
        let context = session.context
        guard
            let installation = try await session.records(
                PluginInstallation.self, "plugins.install",
                """
                INSERT INTO financbase.plugin_installations (organization_id, plugin_id, user_id, installed_version)
                SELECT \(context.organizationID), id, \(context.userID), version
                FROM financbase.plugins WHERE id = \(pluginID) AND is_published
                RETURNING \(columnsOf: PluginInstallation.self)
                """
            ).first
        else {
            throw RepositoryError.invalidArgument(reason: "plugin \(pluginID) is not in the catalogue")
        }
        return installation
    }

    /// The installation with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func installation(_ id: UUID) async throws -> PluginInstallation {
        try await session.fetch(PluginInstallation.self, "plugins.installation", id: id)
    }

    /// Turns the installation `id` on or off.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for an installation the context's user
    ///   may not change (only administrators may) or that does not exist.
    public func setStatus(_ id: UUID, _ status: PluginInstallationStatus) async throws -> PluginInstallation {
        try await session.record(
            PluginInstallation.self, "plugins.setStatus", entity: "plugin_installations", id: id,
            """
            UPDATE financbase.plugin_installations SET status = \(status) WHERE id = \(id)
            RETURNING \(columnsOf: PluginInstallation.self)
            """)
    }

    /// Brings the installation `id` to the catalogue's current version.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``, as ``setStatus(_:_:)``.
    public func upgrade(_ id: UUID) async throws -> PluginInstallation {
        try await session.record(
            PluginInstallation.self, "plugins.upgrade", entity: "plugin_installations", id: id,
            """
            UPDATE financbase.plugin_installations i SET installed_version = p.version
            FROM financbase.plugins p WHERE p.id = i.plugin_id AND i.id = \(id)
            RETURNING \(columnsOf: PluginInstallation.self, from: "i")
            """)
    }

    /// Uninstalls the installation `id` and removes its settings.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``, as ``setStatus(_:_:)``.
    public func uninstall(_ id: UUID) async throws {
        try await session.delete("plugins.uninstall", table: "plugin_installations", id: id)
    }

    /// A page of the organization's installations in the order they were made.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<PluginInstallation> {
        try await session.page(PluginInstallation.self, "plugins.list", after: cursor, limit: limit)
    }

    /// Every installed plugin with its catalogue entry, whether an update is available, and how
    /// many settings it has, by name.
    public func installed() async throws -> [InstalledPlugin] {
        try await session.records(InstalledPlugin.self, "plugins.installed", Self.installedQuery())
    }

    /// The statement of ``installed()``, as sent; the plan tests explain it.
    static func installedQuery() -> PGQuery {
        """
        SELECT i.id AS installation_id, p.slug, p.name, p.category, i.status, i.installed_version,
               p.version AS latest_version,
               string_to_array(p.version, '.')::int[] > string_to_array(i.installed_version, '.')::int[] AS update_available,
               p.monthly_price, p.currency,
               (SELECT count(*) FROM financbase.plugin_settings s
                WHERE s.organization_id = i.organization_id AND s.installation_id = i.id) AS settings
        FROM financbase.plugin_installations i
        JOIN financbase.plugins p ON p.id = i.plugin_id
        ORDER BY p.name, i.id
        """
    }

    /// The settings of the installation `id`, by key (none for an unknown installation).
    public func settings(of id: UUID) async throws -> [PluginSetting] {
        try await session.records(
            PluginSetting.self, "plugins.settings",
            """
            SELECT \(columnsOf: PluginSetting.self) FROM financbase.plugin_settings
            WHERE installation_id = \(id) ORDER BY key
            """)
    }

    /// Sets `key` of the installation `id` to `value`, adding or replacing it.
    ///
    /// - Throws: `PGError`: `insufficient_privilege` (42501) unless the context's user may
    ///   change the installation, `check_violation` for a malformed key, `foreign_key_violation`
    ///   for an unknown installation, `invalid_text_representation` for a value that is not JSON.
    public func setSetting(_ key: String, to value: PGJSON, of id: UUID) async throws -> PluginSetting {
        let context = session.context
        return try await session.record(
            PluginSetting.self, "plugins.setSetting", entity: "plugin_installations", id: id,
            """
            INSERT INTO financbase.plugin_settings (organization_id, installation_id, key, value)
            VALUES (\(context.organizationID), \(id), \(key), \(value))
            ON CONFLICT (organization_id, installation_id, key) DO UPDATE SET value = excluded.value
            RETURNING \(columnsOf: PluginSetting.self)
            """)
    }

    /// Removes `key` of the installation `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` when there is no such setting the
    ///   context's user may change.
    public func removeSetting(_ key: String, of id: UUID) async throws {
        let result = try await session.execute(
            "plugins.removeSetting",
            "DELETE FROM financbase.plugin_settings WHERE installation_id = \(id) AND key = \(key)")
        guard result.rowCount == 1 else { throw RepositoryError.notFound(entity: "plugin_settings", id: id) }
    }
}

extension TenantRepositories {
    /// The plugin catalogue and the organization's installations.
    public var plugins: PluginRepository { PluginRepository(session: session) }
}
