import PGWire

/// Turns the options a connection string and overrides spell out into a typed ``PGConfig``:
/// overrides beat the connection string, which beats the `PG*` environment variables, which beat
/// the built-in defaults. Every value is checked here, and a bad one becomes a ``PGConfigError``
/// that names its option and where it came from.
struct PGConfigResolver {
    /// One option's text and where it came from.
    struct Setting {
        var value: String
        var source: PGConfigError.Source
    }

    var explicit: ConnectionOptions
    var overrides: ConnectionOptions
    var context: PGConfig.Context

    /// The winning setting of an option, possibly empty (an empty value set in the connection
    /// string still hides the environment variable, as in libpq).
    func setting(_ key: PGConfig.Key) -> Setting? {
        if let value = overrides[key] { return Setting(value: value, source: .override) }
        if let value = explicit[key] { return Setting(value: value, source: .connectionString) }
        if let (value, variable) = context.environmentValue(for: key) {
            return Setting(value: value, source: .environmentVariable(variable))
        }
        return nil
    }

    /// The winning setting of an option, unless it is empty (which means "the default").
    func nonEmpty(_ key: PGConfig.Key) -> Setting? {
        setting(key).flatMap { $0.value.isEmpty ? nil : $0 }
    }

    func invalid(_ key: PGConfig.Key, _ setting: Setting, expected: String) -> PGConfigError {
        PGConfigError(
            key: key.rawValue,
            reason: .invalidValue(key.isSecret ? nil : setting.value, expected: expected),
            source: setting.source)
    }

    func resolve() throws(PGConfigError) -> PGConfig {
        let user = try resolveUser()
        var config = PGConfig(
            hosts: try resolveHosts(), database: nonEmpty(.dbname)?.value ?? user, user: user,
            defaultHost: context.defaultHost)
        try resolvePassword(into: &config)
        try resolveTLS(into: &config)
        try resolveSession(into: &config)
        return config
    }

    private func resolveUser() throws(PGConfigError) -> String {
        if let user = nonEmpty(.user) { return user.value }
        guard !context.userName.isEmpty else {
            throw PGConfigError(
                key: PGConfig.Key.user.rawValue,
                reason: .invalidValue(
                    nil, expected: "a user name: the operating system user's could not be found"),
                source: .builtInDefault)
        }
        return context.userName
    }

    /// The host, hostaddr and port lists: hostaddr, when given, fixes the number of hosts; the
    /// ports are one for all hosts or one per host; an empty element means the default.
    private func resolveHosts() throws(PGConfigError) -> [PGConfig.Host] {
        let hostSetting = nonEmpty(.host)
        let names = hostSetting.map { Self.list($0.value) } ?? [""]
        let addressSetting = nonEmpty(.hostaddr)
        let addresses = addressSetting.map { Self.list($0.value) }
        if let addressSetting, let addresses, hostSetting != nil, addresses.count != names.count {
            throw invalid(
                .hostaddr, addressSetting,
                expected: "as many addresses as host names (\(names.count))")
        }
        let count = addresses?.count ?? names.count
        let portSetting = nonEmpty(.port)
        let ports = portSetting.map { Self.list($0.value) } ?? [""]
        if let portSetting, ports.count != 1, ports.count != count {
            throw invalid(.port, portSetting, expected: "one port, or one per host (\(count))")
        }

        var hosts: [PGConfig.Host] = []
        for index in 0..<count {
            var address: String?
            if let addressSetting, let text = addresses?[index], !text.isEmpty {
                guard PGConfig.Host.isNumericAddress(text) else {
                    throw invalid(
                        .hostaddr, addressSetting, expected: "numeric IPv4 or IPv6 addresses")
                }
                address = text
            }
            let name = hostSetting == nil ? "" : names[index]
            let portText = (ports.count == 1 ? ports[0] : ports[index]).trimmingWhitespace
            var port = PGConfig.defaultPort
            if let portSetting, !portText.isEmpty {
                guard let number = Int(portText), (1...65535).contains(number) else {
                    throw invalid(.port, portSetting, expected: "port numbers from 1 to 65535")
                }
                port = number
            }
            hosts.append(
                PGConfig.Host(
                    host: name.isEmpty ? address ?? context.defaultHost : name, port: port,
                    hostaddr: address))
        }
        return hosts
    }

    /// The explicit password, else the password file (read only when no password is given).
    private func resolvePassword(into config: inout PGConfig) throws(PGConfigError) {
        config.password = nonEmpty(.password)?.value
        config.passfile =
            nonEmpty(.passfile)?.value
            ?? context.homeDirectory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + ".pgpass" }
        if config.password == nil, let passfile = config.passfile {
            let (file, warning) = PGPassFile.load(path: passfile)
            config.passwordFile = file
            if let warning { config.warnings.append(warning) }
        }
    }

    private func resolveTLS(into config: inout PGConfig) throws(PGConfigError) {
        config.sslRootCert = nonEmpty(.sslrootcert).map { PGConfig.SSLRootCert($0.value) }
        if let setting = nonEmpty(.sslmode) {
            config.sslMode = try choice(.sslmode, setting)
            if config.sslRootCert == .system, config.sslMode != .verifyFull {
                throw invalid(.sslmode, setting, expected: "verify-full when sslrootcert=system")
            }
        } else {
            config.sslMode = config.sslRootCert == .system ? .verifyFull : .prefer
        }
        config.sslCert = nonEmpty(.sslcert)?.value
        config.sslKey = nonEmpty(.sslkey)?.value
        config.sslPassword = nonEmpty(.sslpassword)?.value
        config.sslSNI = try flag(.sslsni) ?? true
        if let setting = nonEmpty(.channelBinding) {
            let policies: [String: ConnectionSettings.ChannelBindingPolicy] = [
                "disable": .disable, "prefer": .prefer, "require": .require,
            ]
            guard let policy = policies[setting.value] else {
                throw invalid(.channelBinding, setting, expected: "disable, prefer or require")
            }
            config.channelBinding = policy
        }
        if let setting = nonEmpty(.requireAuth) {
            config.requireAuth = try parseRequireAuth(setting.value, source: setting.source)
        }
    }

    private func resolveSession(into config: inout PGConfig) throws(PGConfigError) {
        if let seconds = try integer(.connectTimeout, atLeast: 0), seconds > 0 {
            // libpq rounds 1 up to 2: a one-second timeout would fire at once too often.
            config.connectTimeout = .seconds(max(seconds, 2))
        }
        config.applicationName =
            (nonEmpty(.applicationName) ?? nonEmpty(.fallbackApplicationName))?.value
        config.options = nonEmpty(.options)?.value
        config.clientEncoding = nonEmpty(.clientEncoding)?.value
        if let setting = nonEmpty(.targetSessionAttrs) {
            config.targetSessionAttributes = try choice(.targetSessionAttrs, setting)
        }
        if let setting = nonEmpty(.loadBalanceHosts) {
            config.loadBalanceHosts = try choice(.loadBalanceHosts, setting)
        }
        config.keepalives = PGConfig.Keepalives(
            isEnabled: try flag(.keepalives) ?? true,
            idle: try integer(.keepalivesIdle, atLeast: 0).map { .seconds($0) },
            interval: try integer(.keepalivesInterval, atLeast: 0).map { .seconds($0) },
            count: try integer(.keepalivesCount, atLeast: 0))
        // 0 is the system's default, as in libpq.
        config.tcpUserTimeout = try integer(.tcpUserTimeout, atLeast: 0).flatMap { $0 > 0 ? .milliseconds($0) : nil }
    }

    /// An enumeration's case by its libpq spelling.
    private func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: PGConfig.Key, _ setting: Setting
    )
        throws(PGConfigError) -> Choice where Choice.RawValue == String
    {
        guard let choice = Choice(rawValue: setting.value) else {
            throw invalid(
                key, setting,
                expected: "one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    /// An integer option (surrounding whitespace allowed, as libpq's `strtol` check allows it).
    private func integer(_ key: PGConfig.Key, atLeast minimum: Int) throws(PGConfigError) -> Int? {
        guard let setting = nonEmpty(key) else { return nil }
        guard let number = Int(setting.value.trimmingWhitespace), number >= minimum else {
            throw invalid(key, setting, expected: "an integer of at least \(minimum)")
        }
        return number
    }

    /// A boolean option written `0` or `1`.
    private func flag(_ key: PGConfig.Key) throws(PGConfigError) -> Bool? {
        guard let setting = nonEmpty(key) else { return nil }
        switch setting.value.trimmingWhitespace {
        case "0": return false
        case "1": return true
        default: throw invalid(key, setting, expected: "0 or 1")
        }
    }

    /// A comma-separated list, keeping empty elements (they mean "the default").
    private static func list(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
