import PGClient

/// The `config` entry: the input, as UTF-8 text, is a connection string (a libpq URI or
/// `key=value` pairs). Parsing may fail only with a ``PGConfigError`` (the compiler holds that:
/// the parsers throw it typed); beyond not crashing, the entry checks that
/// - the options parsed from either syntax, written out again in both (every value quoted in
///   `key='value'` form, every byte percent-encoded in a URI's query), parse back to the same
///   options and resolve to the same ``PGConfig``;
/// - a `dbname` override holding a connection string resolves as that string itself does;
/// - a resolved configuration has at least one host, valid ports, and a description that does
///   not depend on its secrets;
/// - a password placed in front of the input (in either syntax) appears in no error and no
///   description.
///
/// Everything resolves against a fixed context (no environment, no home directory) with a
/// password file that does not exist, so no input makes the entry read a file.
enum ConfigFuzzing {
    // Computed, not stored: a lazily made global looks like a leak to LeakSanitizer.
    static var context: PGConfig.Context {
        PGConfig.Context(
            environment: [:], homeDirectory: nil, userName: "fuzz", defaultHost: "/var/run/postgresql")
    }
    /// Beats a `passfile` in the input, so that no file is read.
    static var noPasswordFile: [String: String] { ["passfile": "/nonexistent/pgwire-fuzz/.pgpass"] }
    /// The password placed in front of the input; inputs that hold it are not checked for it.
    static var canary: String { "Qx7-canary-secret-9Zk" }

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let resolved = resolve(text)
        if case .success(let config) = resolved { checkResolved(config) }
        checkRewritten(text, resolved: resolved)
        checkDatabaseExpansion(text, resolved: resolved)
        if !text.contains(canary) { checkSecretsStayHidden(text) }
    }

    static func resolve(_ text: String, overrides: [String: String] = [:]) -> Result<PGConfig, PGConfigError> {
        Result<PGConfig, PGConfigError>(catching: { () throws(PGConfigError) -> PGConfig in
            try PGConfig(
                connectionString: text, overrides: overrides.merging(noPasswordFile) { $1 },
                context: context)
        })
    }

    static func options(_ text: String) -> Result<ConnectionOptions, PGConfigError> {
        Result<ConnectionOptions, PGConfigError>(catching: { () throws(PGConfigError) -> ConnectionOptions in
            ConnectionURIParser.isURI(text)
                ? try ConnectionURIParser.parse(text) : try KeywordValueParser.parse(text)
        })
    }

    static func checkResolved(_ config: PGConfig) {
        fuzzCheck(!config.hosts.isEmpty, "a configuration without hosts: \(config)")
        for host in config.hosts {
            fuzzCheck((1...65535).contains(host.port), "port \(host.port) out of range")
            _ = config.connectionSettings(for: host)
            _ = config.password(for: host)
        }
        var masked = config
        masked.password = config.password.map { $0 + "m" }
        masked.sslPassword = config.sslPassword.map { $0 + "n" }
        fuzzCheck(masked.description == config.description, "the description shows a secret")
    }

    /// Both syntaxes written out from the parsed options parse back to them.
    static func checkRewritten(_ text: String, resolved: Result<PGConfig, PGConfigError>) {
        guard case .success(let parsed) = options(text) else { return }
        let keywordValue = renderKeywordValue(parsed)
        guard case .success(let again) = options(keywordValue) else {
            fuzzCheck(false, "the key=value form of parsed options does not parse")
            return
        }
        fuzzCheck(again == parsed, "the key=value form parses to other options")
        fuzzCheck(resolve(keywordValue) == resolved, "the key=value form resolves differently")
        // A URI cannot carry NUL (%00 is forbidden, as in libpq).
        guard !parsed.values.values.contains(where: { $0.unicodeScalars.contains("\0") }) else { return }
        let uri = renderURI(parsed)
        guard case .success(let fromURI) = options(uri) else {
            fuzzCheck(false, "the URI form of parsed options does not parse: \(uri)")
            return
        }
        fuzzCheck(fromURI == parsed, "the URI form parses to other options")
        fuzzCheck(resolve(uri) == resolved, "the URI form resolves differently")
    }

    /// `key='value'` pairs in a fixed order, every value quoted and `\` and `'` escaped.
    static func renderKeywordValue(_ options: ConnectionOptions) -> String {
        options.values.sorted { $0.key.rawValue < $1.key.rawValue }.map { key, value in
            var quoted = ""
            for scalar in value.unicodeScalars {
                if scalar == "\\" || scalar == "'" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(scalar)
            }
            return "\(key.rawValue)='\(quoted)'"
        }.joined(separator: " ")
    }

    /// `postgresql://?key=value&…`, every byte but the unreserved ones percent-encoded.
    static func renderURI(_ options: ConnectionOptions) -> String {
        let query = options.values.sorted { $0.key.rawValue < $1.key.rawValue }.map { key, value in
            "\(key.rawValue)=\(percentEncode(value))"
        }
        return "postgresql://?" + query.joined(separator: "&")
    }

    static func percentEncode(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                encoded.unicodeScalars.append("%")
                encoded.unicodeScalars.append(digits[Int(byte >> 4)])
                encoded.unicodeScalars.append(digits[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    /// A `dbname` override that is a connection string resolves as that string does (libpq's
    /// expand_dbname); errors may name another source, so only success is compared.
    static func checkDatabaseExpansion(_ text: String, resolved: Result<PGConfig, PGConfigError>) {
        guard ConnectionURIParser.isURI(text) || text.contains("=") else { return }
        let expanded = resolve("", overrides: ["dbname": text])
        switch (expanded, resolved) {
        case (.success(let a), .success(let b)):
            fuzzCheck(a == b, "a dbname override expands to another configuration")
        case (.failure, .failure):
            break
        default:
            fuzzCheck(false, "a dbname override and the string itself disagree on failing")
        }
    }

    /// A password written in front of the input never shows in an error or a description.
    static func checkSecretsStayHidden(_ text: String) {
        var variants = [
            "password=\(canary) " + text, "password='\(canary)' " + text, "sslpassword=\(canary) " + text,
        ]
        let scheme = ConnectionURIParser.isURI(text) ? (text.hasPrefix("postgres://") ? "postgres://" : "postgresql://") : ""
        let rest = String(text.dropFirst(scheme.count))
        // (Not appended as a query parameter: where the query starts depends on the input, e.g. a
        // "?" inside an IPv6 bracket, so the canary may land in the database name.)
        variants.append("postgresql://user:\(canary)@" + rest)
        for variant in variants {
            let shown: String
            switch resolve(variant) {
            case .success(let config):
                shown = config.description + config.debugDescription + String(describing: config.hosts)
                    + config.warnings.joined()
            case .failure(let error):
                shown = error.description + String(reflecting: error) + error.key
            }
            fuzzCheck(!shown.contains(canary), "a password shows: \(shown)")
        }
    }
}
