import Foundation

/// Finds the folder of the server binaries (`postgres`, `initdb`, `pg_ctl`, `pg_isready`),
/// whatever PostgreSQL version is installed, the way a developer would look for it.
struct ServerBinaryLocator {
    /// The environment to read `PGWIRE_PG_BIN` and `PATH` from.
    var environment: [String: String]
    /// Where distributions put versioned server folders (`<root>/<major>/bin`, Debian's layout).
    var versionedRoots: [String] = ["/usr/lib/postgresql"]
    /// Runs `pg_config --bindir` with the given `pg_config`; `nil` when it fails.
    var pgConfigBindir: (String) -> String? = Self.runPGConfig

    /// The programs that make a folder the server's.
    static let serverPrograms = ["postgres", "initdb", "pg_ctl", "pg_isready"]

    /// The first of: `PGWIRE_PG_BIN`; what `pg_config --bindir` names (the `pg_config` on `PATH`);
    /// a `PATH` folder holding the server programs; the newest `<root>/<major>/bin`. `nil` when
    /// none holds them (`PGWIRE_PG_BIN`, when set, is returned as it is, so that the error names it).
    func binDirectory() -> String? {
        if let explicit = environment["PGWIRE_PG_BIN"], !explicit.isEmpty { return explicit }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let pgConfig = path.map({ "\($0)/pg_config" }).first(where: FileManager.default.isExecutableFile),
            let folder = pgConfigBindir(pgConfig), Self.holdsServer(folder)
        {
            return folder
        }
        if let folder = path.first(where: Self.holdsServer) { return folder }
        return newestVersionedFolder()
    }

    /// `<root>/<major>/bin` with the highest major version that holds the server programs.
    func newestVersionedFolder() -> String? {
        var found: [(version: Int, folder: String)] = []
        for root in versionedRoots {
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            for version in versions {
                guard let major = Int(version) else { continue }
                let folder = "\(root)/\(version)/bin"
                if Self.holdsServer(folder) { found.append((major, folder)) }
            }
        }
        return found.max { $0.version < $1.version }?.folder
    }

    /// Whether `folder` holds every server program.
    static func holdsServer(_ folder: String) -> Bool {
        serverPrograms.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(folder)/\($0)") }
    }

    /// `pg_config --bindir`'s answer, trimmed; `nil` when it fails or prints nothing.
    static func runPGConfig(_ pgConfig: String) -> String? {
        guard let result = try? CommandRunner.runBlocking(Command(pgConfig, ["--bindir"])), result.succeeded
        else { return nil }
        let folder = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        return folder.isEmpty ? nil : folder
    }
}
