import Foundation

/// The migrations shipped with this module, read from its `Migrations/SQL` resource folder.
///
/// Placeholder: the migrations work validates names and versions and reports typed errors.
public enum BundledMigrations {
    /// Every bundled migration, in version order.
    public static func load() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "SQL", withExtension: nil) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try names.compactMap { file in
            let stem = String(file.dropLast(4))
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else { return nil }
            let sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
        }
    }
}
