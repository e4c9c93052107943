/// The one-time work before a new cluster's first start: `initdb`, TLS material, configuration.
struct ClusterBootstrap: Sendable {
    let tools: ServerTools
    let options: PGLocalCluster.Options
    let directory: String
    let superuserPassword: String

    var dataDirectory: String { directory + "/data" }
    var logFilePath: String { directory + "/server.log" }

    /// Runs `initdb` as the server's account, with SCRAM for the superuser and no fsync (a throwaway
    /// cluster need not survive a power cut). Tries the C.UTF-8 locale, then plain C where the
    /// system lacks it.
    func initializeDataDirectory() async throws(PGLocalClusterError) {
        // initdb reads the password from a file the server's account can read; it goes right after.
        let passwordFile = directory + "/superuser.pw"
        try ClusterFiles.write(superuserPassword + "\n", to: passwordFile, mode: 0o600)
        defer { try? ClusterFiles.remove(passwordFile) }
        try tools.account.handOver(passwordFile)

        var failure: PGLocalClusterError?
        for locale in ["C.UTF-8", "C"] {
            let command = tools.serverCommand(
                tools.initdb,
                [
                    "-D", dataDirectory, "-U", options.superuser, "--pwfile=\(passwordFile)",
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=\(locale)", "--no-sync",
                    "--no-instructions",
                ],
                in: directory)
            let result = try await CommandRunner.run(command, timeout: .seconds(120))
            if result.succeeded { return }
            failure = .commandFailed(
                command: command.commandLine, status: result.status, output: result.failureOutput)
            // initdb removes the data directory it made when it fails, so a retry starts clean.
            guard result.failureOutput.localizedCaseInsensitiveContains("locale") else { break }
        }
        if let failure { throw failure }
    }

    /// Writes `pg_hba.conf` and makes `postgresql.conf` include the cluster's settings file.
    func writeConfiguration(port: Int, tls: TLSFiles?) throws(PGLocalClusterError) {
        let configuration = serverConfiguration(port: port, tls: tls)
        try writeForServer(configuration.hbaFile, to: dataDirectory + "/pg_hba.conf")
        let mainFile = dataDirectory + "/postgresql.conf"
        let main = try ClusterFiles.read(mainFile)
        try writeForServer(
            main + "\ninclude '\(ServerConfiguration.settingsFileName)'\n", to: mainFile)
        try writeSettings(port: port, tls: tls)
    }

    /// Rewrites the settings file for `port` (called again when a port was taken).
    func writeSettings(port: Int, tls: TLSFiles?) throws(PGLocalClusterError) {
        try writeForServer(
            serverConfiguration(port: port, tls: tls).settingsFile,
            to: dataDirectory + "/" + ServerConfiguration.settingsFileName)
    }

    private func serverConfiguration(port: Int, tls: TLSFiles?) -> ServerConfiguration {
        ServerConfiguration(
            port: port,
            listensOnIPv6: FreePort.isIPv6LoopbackAvailable(),
            socketDirectory: directory,
            tls: tls,
            authMethod: options.authMethod,
            superuser: options.superuser,
            extraSettings: options.settings,
            extraHBALines: options.hbaLines)
    }

    private func writeForServer(_ text: String, to path: String) throws(PGLocalClusterError) {
        try ClusterFiles.write(text, to: path, mode: 0o600)
        try tools.account.handOver(path)
    }
}
