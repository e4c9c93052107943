extension PGConfig {
    /// The connection options PGConfig understands: libpq's keywords, and the environment
    /// variable that supplies each one when a connection string does not.
    ///
    /// An option missing here is an unknown key (a ``PGConfigError``), as in libpq.
    package enum Key: String, CaseIterable, Hashable, Sendable {
        case host
        case hostaddr
        case port
        case dbname
        case user
        case password
        case passfile
        case connectTimeout = "connect_timeout"
        case applicationName = "application_name"
        case fallbackApplicationName = "fallback_application_name"
        case options
        case clientEncoding = "client_encoding"
        case sslmode
        case sslrootcert
        case sslcert
        case sslkey
        case sslpassword
        case sslsni
        case channelBinding = "channel_binding"
        case requireAuth = "require_auth"
        case targetSessionAttrs = "target_session_attrs"
        case loadBalanceHosts = "load_balance_hosts"
        case keepalives
        case keepalivesIdle = "keepalives_idle"
        case keepalivesInterval = "keepalives_interval"
        case keepalivesCount = "keepalives_count"
        case tcpUserTimeout = "tcp_user_timeout"

        /// The `PG*` variable libpq reads for this option, if any.
        var environmentVariable: String? {
            switch self {
            case .host: "PGHOST"
            case .hostaddr: "PGHOSTADDR"
            case .port: "PGPORT"
            case .dbname: "PGDATABASE"
            case .user: "PGUSER"
            case .password: "PGPASSWORD"
            case .passfile: "PGPASSFILE"
            case .connectTimeout: "PGCONNECT_TIMEOUT"
            case .applicationName: "PGAPPNAME"
            case .options: "PGOPTIONS"
            case .clientEncoding: "PGCLIENTENCODING"
            case .sslmode: "PGSSLMODE"
            case .sslrootcert: "PGSSLROOTCERT"
            case .sslcert: "PGSSLCERT"
            case .sslkey: "PGSSLKEY"
            case .sslsni: "PGSSLSNI"
            case .channelBinding: "PGCHANNELBINDING"
            case .requireAuth: "PGREQUIREAUTH"
            case .targetSessionAttrs: "PGTARGETSESSIONATTRS"
            case .loadBalanceHosts: "PGLOADBALANCEHOSTS"
            case .fallbackApplicationName, .sslpassword, .keepalives, .keepalivesIdle,
                .keepalivesInterval, .keepalivesCount, .tcpUserTimeout:
                nil
            }
        }

        /// Whether the value is a secret that must never be shown.
        package var isSecret: Bool {
            self == .password || self == .sslpassword
        }
    }
}
