public import PGWire

extension PGConfig {
    /// The protocol-level settings for connecting to one of ``hosts``: user, database, that
    /// host's password (explicit, else from the password file), the startup parameters
    /// (`application_name`, `options`, `client_encoding`), the TLS policy from ``sslMode``,
    /// channel binding and the accepted authentication methods.
    ///
    /// ```swift
    /// let config = try PGConfig("postgres://app@db1,db2/ledger?sslmode=require")
    /// let settings = config.connectionSettings(for: config.hosts[1])
    /// var machine = ConnectionStateMachine(settings: settings)
    /// ```
    public func connectionSettings(for host: Host) -> ConnectionSettings {
        var parameters: [FrontendMessage.StartupMessage.Parameter] = []
        if let applicationName { parameters.append(.init("application_name", applicationName)) }
        if let options { parameters.append(.init("options", options)) }
        if let clientEncoding {
            // libpq's "auto" picks the encoding of the client's locale; Swift strings are UTF-8.
            parameters.append(
                .init("client_encoding", clientEncoding == "auto" ? "UTF8" : clientEncoding))
        }
        return ConnectionSettings(
            user: user, database: database, password: password(for: host), parameters: parameters,
            tls: sslMode.tlsPolicy, channelBinding: channelBinding,
            allowedAuthenticationMethods: requireAuth)
    }
}
