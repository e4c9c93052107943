/// Parses libpq's connection URIs:
/// `postgresql://[user[:password]@][host][:port][,host[:port]...][/dbname][?key=value&...]`.
///
/// Every component is percent-decoded. A host in brackets is an IPv6 literal (`[::1]`); a host
/// that decodes to a path (`%2Fvar%2Frun%2Fpostgresql`) is a unix-socket directory, as is a
/// `host=/tmp` query parameter. Query parameters take libpq's keywords and override the parts
/// before them; `ssl=true` means `sslmode=require` (for JDBC users, as libpq does).
///
/// ```swift
/// let options = try ConnectionURIParser.parse("postgres://app@db1:5432,db2:5433/ledger?sslmode=require")
/// // options[.host] == "db1,db2", options[.port] == "5432,5433", options[.dbname] == "ledger"
/// ```
package enum ConnectionURIParser {
    /// The schemes that mark a connection string as a URI.
    static let schemes = ["postgresql://", "postgres://"]

    /// Whether `string` is a URI rather than a `key=value` string.
    package static func isURI(_ string: String) -> Bool {
        schemes.contains { string.hasPrefix($0) }
    }

    /// Parses a URI into the options it spells out.
    ///
    /// - Throws: ``PGConfigError`` naming the component (`host`, `port`, a query key) that is
    ///   malformed or unknown. A password never appears in an error.
    package static func parse(_ uri: String) throws(PGConfigError) -> ConnectionOptions {
        guard let scheme = schemes.first(where: { uri.hasPrefix($0) }) else {
            throw PGConfigError(
                key: "uri", reason: .malformedString("expected postgresql:// or postgres://"))
        }
        let bytes = Array(uri.utf8.dropFirst(scheme.utf8.count))
        var options = ConnectionOptions()
        var index = 0

        func scan(until stops: String) -> Int {
            let stopBytes = Array(stops.utf8)
            var end = index
            while end < bytes.count, !stopBytes.contains(bytes[end]) { end += 1 }
            return end
        }

        // Credentials end at the first "@" before the host part; an "@" further on (after a "/"
        // or "?") belongs to the path or the query.
        let credentialsEnd = scan(until: "@/?")
        // When "@" appears only after an unescaped "/" or "?", the text before it may be a password
        // that was not percent-encoded: host and port errors then do not quote their text.
        var mayQuoteAuthority = true
        if credentialsEnd < bytes.count, bytes[credentialsEnd] == UInt8(ascii: "@") {
            let credentials = bytes[index..<credentialsEnd]
            let colon = credentials.firstIndex(of: UInt8(ascii: ":"))
            let user = try percentDecode(
                credentials[..<(colon ?? credentialsEnd)], key: "user", isSecret: false)
            if !user.isEmpty { options.set(.user, user) }
            if let colon {
                let password = try percentDecode(
                    credentials[(colon + 1)...], key: "password", isSecret: true)
                if !password.isEmpty { options.set(.password, password) }
            }
            index = credentialsEnd + 1
        } else {
            mayQuoteAuthority = !bytes[credentialsEnd...].contains(UInt8(ascii: "@"))
        }

        var hosts: [String] = []
        var ports: [String] = []
        while true {
            let host: String
            if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw PGConfigError(
                        key: "host", reason: .malformedString("missing \"]\" after an IPv6 address")
                    )
                }
                guard close > index + 1 else {
                    throw PGConfigError(
                        key: "host", reason: .malformedString("empty IPv6 address in brackets"))
                }
                host = try percentDecode(
                    bytes[(index + 1)..<close], key: "host", isSecret: !mayQuoteAuthority)
                index = close + 1
                if index < bytes.count, !Array(":/?,".utf8).contains(bytes[index]) {
                    throw PGConfigError(
                        key: "host",
                        reason: .malformedString(
                            "unexpected character at position \(scheme.utf8.count + index + 1) "
                                + "after an IPv6 address (expected \":\", \"/\", \"?\" or \",\")"))
                }
            } else {
                let end = scan(until: ":/?,")
                host = try percentDecode(
                    bytes[index..<end], key: "host", isSecret: !mayQuoteAuthority)
                index = end
            }
            var port = ""
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                index += 1
                let end = scan(until: "/?,")
                port = try percentDecode(
                    bytes[index..<end], key: "port", isSecret: !mayQuoteAuthority)
                index = end
            }
            guard mayQuoteAuthority || !port.contains(where: { !$0.isASCII || !$0.isNumber }) else {
                throw PGConfigError(
                    key: "port",
                    reason: .malformedString(
                        "not a port number; a password holding \"/\", \"?\" or \"@\" must be percent-encoded"
                    ))
            }
            hosts.append(host)
            ports.append(port)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { break }
            index += 1
        }
        if hosts.count > 1 || hosts[0] != "" { options.set(.host, hosts.joined(separator: ",")) }
        if ports.count > 1 || ports[0] != "" { options.set(.port, ports.joined(separator: ",")) }

        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            index += 1
            let end = scan(until: "?")
            let database = try percentDecode(bytes[index..<end], key: "dbname", isSecret: false)
            if !database.isEmpty { options.set(.dbname, database) }
            index = end
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
            try parseQuery(bytes[(index + 1)...], into: &options)
        }
        return options
    }

    /// Parses `key=value&key=value`, each part percent-decoded; every key must be known.
    private static func parseQuery(
        _ query: ArraySlice<UInt8>, into options: inout ConnectionOptions
    )
        throws(PGConfigError)
    {
        guard !query.isEmpty else { return }
        for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false)
        {
            let parts = parameter.split(
                separator: UInt8(ascii: "="), omittingEmptySubsequences: false)
            let keyword = try percentDecode(parts[0], key: "query parameter", isSecret: false)
            guard parts.count == 2 else {
                throw PGConfigError(
                    key: keyword,
                    reason: .malformedString(
                        parts.count == 1
                            ? "missing key/value separator \"=\" in a query parameter"
                            : "extra key/value separator \"=\" in a query parameter"))
            }
            let isSecret = PGConfig.Key(rawValue: keyword)?.isSecret ?? false
            let value = try percentDecode(parts[1], key: keyword, isSecret: isSecret)
            if keyword == "ssl", value == "true" {
                options.set(.sslmode, PGConfig.SSLMode.require.rawValue)
            } else {
                try options.set(keyword, value)
            }
        }
    }
}
