import Foundation

/// Finds programs on disk.
enum ExecutableLocator {
    /// The first of `paths` that is an executable file.
    static func firstExecutable(among paths: [String]) -> String? {
        paths.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `name` in `preferredFolders`, then in the usual system folders, then on `PATH`.
    static func find(_ name: String, preferring preferredFolders: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders =
            preferredFolders + ["/usr/bin", "/usr/local/bin", "/bin"]
            + path.split(separator: ":").map(String.init)
        return firstExecutable(among: folders.map { "\($0)/\(name)" })
    }
}
