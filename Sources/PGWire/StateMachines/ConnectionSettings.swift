/// What the connection state machine needs to know to start a session: who connects, to which
/// database, and what it will accept from the server for encryption and authentication.
///
/// This is the protocol-level part of a connection's configuration; parsing connection strings
/// and environment variables into it is the client library's job.
///
/// ```swift
/// var settings = ConnectionSettings(user: "app", database: "ledger", password: "secret")
/// settings.tls = .require
/// settings.channelBinding = .require
/// var machine = ConnectionStateMachine(settings: settings)
/// ```
public struct ConnectionSettings: Hashable, Sendable, CustomStringConvertible {
    /// Whether to ask for TLS, and what to do when the server refuses it.
    public enum TLSPolicy: Hashable, Sendable {
        /// Never ask for TLS.
        case disable
        /// Ask for TLS; go on in plain text if the server refuses.
        case prefer
        /// Ask for TLS; fail if the server refuses.
        case require
    }

    /// Whether SCRAM must bind to the TLS channel (libpq's `channel_binding`).
    public enum ChannelBindingPolicy: Hashable, Sendable {
        /// Never bind.
        case disable
        /// Bind when the connection uses TLS and the server offers SCRAM-SHA-256-PLUS.
        case prefer
        /// Bind or fail: no other authentication method is accepted.
        case require
    }

    /// An authentication method, as named by libpq's `require_auth`.
    public enum AuthenticationMethod: String, Hashable, Sendable, CaseIterable {
        /// The server asked for no authentication (trust).
        case none
        /// Cleartext password.
        case password
        /// MD5-hashed password.
        case md5
        /// SCRAM-SHA-256, with or without channel binding.
        case scramSHA256 = "scram-sha-256"
        /// GSSAPI (not supported by pgwire-swift; listed so that a policy can name it).
        case gss
        /// SSPI (not supported by pgwire-swift; listed so that a policy can name it).
        case sspi
    }

    /// The database user name (StartupMessage `user`).
    public var user: String
    /// The database; the server defaults it to the user name when `nil`.
    public var database: String?
    /// The password, when the server may ask for one. Never shown by ``description``.
    public var password: String?
    /// More StartupMessage parameters: `application_name`, `options`, `client_encoding`, GUCs.
    public var parameters: [FrontendMessage.StartupMessage.Parameter]
    /// The protocol version to ask for; a server that knows only an older minor version says so
    /// with NegotiateProtocolVersion and the session goes on with that.
    public var protocolVersion: ProtocolVersion
    /// Whether to ask for TLS.
    public var tls: TLSPolicy
    /// Whether SCRAM must bind to the TLS channel.
    public var channelBinding: ChannelBindingPolicy
    /// The authentication methods the client accepts (libpq's `require_auth`); `nil` accepts all
    /// that are supported.
    public var allowedAuthenticationMethods: Set<AuthenticationMethod>?
    /// A fixed SCRAM client nonce, for tests that replay a known exchange; `nil` draws a random one.
    public var scramClientNonce: String?

    /// Creates settings with TLS preferred, channel binding preferred and every method accepted.
    public init(
        user: String, database: String? = nil, password: String? = nil,
        parameters: [FrontendMessage.StartupMessage.Parameter] = [],
        protocolVersion: ProtocolVersion = .v3_0, tls: TLSPolicy = .prefer,
        channelBinding: ChannelBindingPolicy = .prefer,
        allowedAuthenticationMethods: Set<AuthenticationMethod>? = nil
    ) {
        self.user = user
        self.database = database
        self.password = password
        self.parameters = parameters
        self.protocolVersion = protocolVersion
        self.tls = tls
        self.channelBinding = channelBinding
        self.allowedAuthenticationMethods = allowedAuthenticationMethods
    }

    /// The StartupMessage these settings send.
    public var startupMessage: FrontendMessage.StartupMessage {
        var parameters = [FrontendMessage.StartupMessage.Parameter("user", user)]
        if let database { parameters.append(.init("database", database)) }
        parameters.append(contentsOf: self.parameters)
        return .init(protocolVersion: protocolVersion, parameters: parameters)
    }

    /// The settings with the password masked.
    public var description: String {
        "ConnectionSettings(user: \(user), database: \(database ?? "(user)"), password: "
            + (password == nil ? "none" : "********")
            + ", tls: \(tls), channelBinding: \(channelBinding), protocol: \(protocolVersion))"
    }

    /// Whether the policy accepts a method.
    func allows(_ method: AuthenticationMethod) -> Bool {
        allowedAuthenticationMethods?.contains(method) ?? true
    }
}
