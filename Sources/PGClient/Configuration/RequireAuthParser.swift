import PGWire

/// Parses libpq's `require_auth`: a comma-separated list of methods the server may ask for
/// (`scram-sha-256,md5`), or of methods it may not (`!password,!md5`); the two forms do not mix.
///
/// The negated form becomes the complement of the listed methods. `none` means the server may
/// skip authentication; `!none` means it must authenticate.
///
/// ```swift
/// try parseRequireAuth("!password,!md5")  // [.none, .scramSHA256, .gss, .sspi]
/// ```
///
/// - Throws: ``PGConfigError`` for `require_auth` naming an unknown method, a repeated method, or a
///   mix of negated and plain methods.
func parseRequireAuth(_ value: String, source: PGConfigError.Source) throws(PGConfigError)
    -> Set<ConnectionSettings.AuthenticationMethod>
{
    let key = PGConfig.Key.requireAuth.rawValue
    let methods = ConnectionSettings.AuthenticationMethod.allCases.map(\.rawValue).joined(
        separator: ", ")
    var listed: Set<ConnectionSettings.AuthenticationMethod> = []
    var negated: Bool?
    for item in value.split(separator: ",", omittingEmptySubsequences: false) {
        let isNegated = item.hasPrefix("!")
        let name = String(isNegated ? item.dropFirst() : item)
        guard let method = ConnectionSettings.AuthenticationMethod(rawValue: name) else {
            throw PGConfigError(
                key: key,
                reason: .invalidValue(
                    String(item),
                    expected: "a list of \(methods), each optionally prefixed with \"!\""),
                source: source)
        }
        if let negated, negated != isNegated {
            throw PGConfigError(
                key: key,
                reason: .invalidValue(
                    String(item), expected: "negated (\"!method\") and plain methods not mixed"),
                source: source)
        }
        negated = isNegated
        guard listed.insert(method).inserted else {
            throw PGConfigError(
                key: key, reason: .invalidValue(String(item), expected: "each method listed once"),
                source: source)
        }
    }
    if negated == true {
        return Set(ConnectionSettings.AuthenticationMethod.allCases).subtracting(listed)
    }
    return listed
}
