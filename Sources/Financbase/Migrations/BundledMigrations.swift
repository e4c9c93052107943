import Foundation

/// The migrations shipped with this module: the `NNNN_name.sql` files of its `Migrations/SQL`
/// resource folder.
///
/// ```swift
/// let runner = MigrationRunner(migrations: try BundledMigrations.load(), appPassword: password)
/// ```
public enum BundledMigrations {
    /// Every bundled migration, validated, in version order.
    ///
    /// - Throws: ``MigrationError/resourceFolderMissing`` when the bundle lacks the folder, and
    ///   what ``MigrationDirectory/load(from:)`` throws for its files.
    public static func load() throws(MigrationError) -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
            throw .resourceFolderMissing
        }
        return try MigrationDirectory.load(from: folder)
    }
}
