import Foundation

@testable import PGClient

/// A context that never looks at the real machine: no environment, a home directory that does not
/// exist (so no `.pgpass`), user "alice", and the Debian socket directory as default host.
func isolatedContext(
    environment: [String: String] = [:], homeDirectory: String? = "/nonexistent/pgwire-swift-tests",
    userName: String = "alice", defaultHost: String = "/var/run/postgresql"
) -> PGConfig.Context {
    PGConfig.Context(
        environment: environment, homeDirectory: homeDirectory, userName: userName,
        defaultHost: defaultHost)
}

/// Parses with an isolated context.
func parse(
    _ connectionString: String, environment: [String: String] = [:],
    overrides: [String: String] = [:],
    homeDirectory: String? = "/nonexistent/pgwire-swift-tests"
) throws(PGConfigError) -> PGConfig {
    try PGConfig(
        connectionString: connectionString, overrides: overrides,
        context: isolatedContext(environment: environment, homeDirectory: homeDirectory))
}

/// The error a parse throws, if any.
func parseError(
    _ connectionString: String, environment: [String: String] = [:],
    overrides: [String: String] = [:]
) -> PGConfigError? {
    do {
        _ = try parse(connectionString, environment: environment, overrides: overrides)
        return nil
    } catch {
        return error
    }
}

/// A fresh temporary directory, removed by `body`'s end.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("pgconfig-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Writes a file with the given POSIX permissions.
func writeFile(_ path: String, _ contents: String, permissions: Int) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)) else {
        throw CocoaError(.fileWriteUnknown)
    }
    try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
}
