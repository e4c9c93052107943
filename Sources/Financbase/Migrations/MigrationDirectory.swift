public import Foundation

/// Reads migrations from a folder of `NNNN_name.sql` files: the bundled ones, or a folder a tool
/// or a test points at.
///
/// Every file whose name ends in `.sql` (in any case) must be a valid migration; a badly named
/// one is an error, never silently skipped, since skipping it would leave a migration unapplied
/// without anyone noticing. Other files (a README, `.DS_Store`) are ignored.
///
/// ```swift
/// let migrations = try MigrationDirectory.load(from: URL(filePath: "db/migrations"))
/// ```
public enum MigrationDirectory {
    /// The migrations of `folder`, validated, in version order.
    ///
    /// - Throws: ``MigrationError/directoryUnreadable(path:reason:)``,
    ///   ``MigrationError/invalidFileName(_:reason:)``, ``MigrationError/unreadableFile(_:reason:)``,
    ///   ``MigrationError/notUTF8(_:)``, ``MigrationError/duplicateVersion(_:names:)``,
    ///   ``MigrationError/transactionControl(version:name:statement:line:)``.
    public static func load(from folder: URL) throws(MigrationError) -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .directoryUnreadable(path: folder.path, reason: reason(error))
        }
        var migrations: [Migration] = []
        var labelled: [(version: Int, label: String)] = []
        for file in files.sorted() where file.lowercased().hasSuffix(".sql") {
            let (version, name) = try MigrationValidation.parseFileName(file)
            let bytes: Data
            do {
                bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            } catch {
                throw .unreadableFile(file, reason: reason(error))
            }
            guard let sql = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(file) }
            migrations.append(Migration(version: version, name: name, sql: sql))
            labelled.append((version, file))
        }
        // Checked with the file names first, so the error names the files that clash.
        try MigrationValidation.checkUnique(labelled)
        return try MigrationValidation.validated(migrations)
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
