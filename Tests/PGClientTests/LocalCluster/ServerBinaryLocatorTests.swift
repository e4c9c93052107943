import Foundation
import Testing

@testable import PGLocalCluster

/// Where PGLocalCluster looks for PostgreSQL: whatever version `pg_config`, `PATH` or the
/// distribution's versioned folders offer, not one fixed Debian path.
@Suite("finding the server binaries")
struct ServerBinaryLocatorTests {
    /// A scratch folder removed at the end of the test.
    final class Scratch {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("pglocator-\(UUID().uuidString)").path

        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// A folder under the scratch folder with executable stand-ins for `programs`.
        func folder(_ name: String, programs: [String]) throws -> String {
            let folder = path + "/" + name
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for program in programs {
                let file = folder + "/" + program
                try "#!/bin/sh\nexit 0\n".write(toFile: file, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
            }
            return folder
        }
    }

    @Test func pgConfigOnThePathNamesTheFolder() throws {
        let scratch = try Scratch()
        let server = try scratch.folder("server", programs: ServerBinaryLocator.serverPrograms)
        let tools = try scratch.folder("tools", programs: ["pg_config"])
        var asked: [String] = []
        let locator = ServerBinaryLocator(
            environment: ["PATH": "/nonexistent:\(tools)"], versionedRoots: [],
            pgConfigBindir: { asked.append($0); return server })
        #expect(locator.binDirectory() == server)
        #expect(asked == [tools + "/pg_config"])
    }

    @Test func aPathFolderWithTheProgramsWhenPgConfigIsMissingOrWrong() throws {
        let scratch = try Scratch()
        let server = try scratch.folder("server", programs: ServerBinaryLocator.serverPrograms)
        let partial = try scratch.folder("partial", programs: ["postgres", "initdb"])
        let tools = try scratch.folder("tools", programs: ["pg_config"])
        let locator = ServerBinaryLocator(
            environment: ["PATH": "\(partial):\(tools):\(server)"], versionedRoots: [],
            pgConfigBindir: { _ in partial })
        #expect(locator.binDirectory() == server)
    }

    @Test func theNewestVersionedFolderLast() throws {
        let scratch = try Scratch()
        for version in ["9", "16", "13", "notaversion"] {
            _ = try scratch.folder("lib/\(version)/bin", programs: ServerBinaryLocator.serverPrograms)
        }
        _ = try scratch.folder("lib/17/bin", programs: ["postgres"])
        let locator = ServerBinaryLocator(
            environment: ["PATH": ""], versionedRoots: [scratch.path + "/lib"], pgConfigBindir: { _ in nil })
        #expect(locator.binDirectory() == scratch.path + "/lib/16/bin")
        let nothing = ServerBinaryLocator(
            environment: ["PATH": ""], versionedRoots: [scratch.path + "/none"], pgConfigBindir: { _ in nil })
        #expect(nothing.binDirectory() == nil)
    }

    @Test func pgwirePgBinWins() throws {
        let locator = ServerBinaryLocator(
            environment: ["PGWIRE_PG_BIN": "/opt/pg/bin", "PATH": "/usr/bin"], pgConfigBindir: { _ in nil })
        #expect(locator.binDirectory() == "/opt/pg/bin")
    }

    /// The real thing, found through a `PATH` that holds only a `pg_config` of our own (which
    /// names a folder of links to this machine's server), starts and answers.
    @Test func aClusterStartsFromWhatAPathOverrideFinds() async throws {
        let installed = try #require(
            ServerBinaryLocator(environment: ProcessInfo.processInfo.environment).binDirectory())
        let scratch = try Scratch()
        let links = scratch.path + "/links"
        try FileManager.default.createDirectory(atPath: links, withIntermediateDirectories: true)
        for program in ServerBinaryLocator.serverPrograms {
            try FileManager.default.createSymbolicLink(
                atPath: links + "/" + program, withDestinationPath: installed + "/" + program)
        }
        let tools = scratch.path + "/tools"
        try FileManager.default.createDirectory(atPath: tools, withIntermediateDirectories: true)
        try "#!/bin/sh\necho \(links)\n".write(toFile: tools + "/pg_config", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tools + "/pg_config")
        // The scratch folder must be reachable by the server's account when tests run as root.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)

        // A script just written may not run at once: a process this test run forks meanwhile
        // (the other tests start servers and psql) can hold its file open for writing until it
        // execs, and exec then fails with ETXTBSY ("text file busy").
        try await PGPoolIntegrationTests.waitUntil { ServerBinaryLocator.runPGConfig(tools + "/pg_config") == links }
        let found = ServerBinaryLocator(environment: ["PATH": tools]).binDirectory()
        #expect(found == links)
        var options = PGLocalCluster.Options()
        options.binDirectory = found
        options.isTLSEnabled = false
        try await withLocalCluster(options: options) { cluster in
            #expect(cluster.binDirectory == links)
            let version = try await cluster.psql("SHOW server_version_num")
            #expect(Int(version.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 100_000)
        }
    }
}
