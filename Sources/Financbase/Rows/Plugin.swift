public import FoundationEssentials
public import PGWire

/// What a plugin of the marketplace does.
public enum PluginCategory: String, StoredEnum {
    /// Each category, as stored.
    case accounting, payments, marketing, crm, reporting, productivity, integration
}

/// A plugin of the marketplace catalogue: the same for every organization, written only by the
/// owner role (migrations, operators), read by the application.
public struct Plugin: Sendable, Hashable, Decodable {
    /// The plugin's id.
    public let id: UUID
    /// Its stable, URL-safe name (`stripe-sync`).
    public let slug: String
    /// Its display name.
    public let name: String
    /// What it does.
    public let description: String
    /// Who makes it.
    public let author: String
    /// What it is for.
    public let category: PluginCategory
    /// Its current version (`major.minor.patch`).
    public let version: String
    /// What it costs per month (0: free).
    public let monthlyPrice: PGNumeric
    /// In which currency (ISO 4217).
    public let currency: String
    /// Whether organizations may install it.
    public let isPublished: Bool
    /// When it was added.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// Whether an installed plugin runs.
public enum PluginInstallationStatus: String, StoredEnum {
    /// Each status, as stored.
    case active, disabled
}

/// A plugin installed in the current organization.
public struct PluginInstallation: Sendable, Hashable, Decodable {
    /// The installation's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The catalogue's plugin.
    public let pluginID: UUID
    /// The administrator who installed it.
    public let userID: UUID
    /// Whether it runs.
    public var status: PluginInstallationStatus
    /// The version installed.
    public var installedVersion: String
    /// When it was installed.
    public let installedAt: Date
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// One setting of an installed plugin: a key and a JSON value.
public struct PluginSetting: Sendable, Hashable, Decodable {
    /// The setting's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The installation it configures.
    public let installationID: UUID
    /// Its key (`sync.interval_minutes`).
    public let key: String
    /// Its value, as JSON.
    public var value: PGJSON
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// An installed plugin with what the catalogue says of it, for the dashboard.
public struct InstalledPlugin: Sendable, Hashable, Decodable {
    /// The installation's id.
    public let installationID: UUID
    /// The plugin's slug.
    public let slug: String
    /// The plugin's name.
    public let name: String
    /// Its category.
    public let category: PluginCategory
    /// Whether it runs.
    public let status: PluginInstallationStatus
    /// The version installed.
    public let installedVersion: String
    /// The catalogue's current version.
    public let latestVersion: String
    /// Whether the catalogue has a newer version than the one installed.
    public let updateAvailable: Bool
    /// What it costs per month.
    public let monthlyPrice: PGNumeric
    /// In which currency.
    public let currency: String
    /// How many settings it has.
    public let settings: Int64
}

extension Plugin: StoredRecord {
    static let relation = "plugins"
    static let columns = """
        id, slug, name, description, author, category, version, monthly_price, currency, is_published,
        created_at, updated_at
        """
}

extension PluginInstallation: StoredRecord {
    static let relation = "plugin_installations"
    static let columns = """
        id, organization_id, plugin_id, user_id, status, installed_version, installed_at, created_at,
        updated_at
        """
}

extension PluginSetting: StoredRecord {
    static let relation = "plugin_settings"
    static let columns = "id, organization_id, installation_id, key, value, created_at, updated_at"
}
