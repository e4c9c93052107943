/// A SECURITY DEFINER function the audit accepts because it was designed to be one: its exact
/// signature and the role that must own it.
///
/// Everything else that runs with another role's rights and that the application may call is an
/// offender (``AuditFinding/Kind/securityDefinerFunction``). An allow-listed function passes only
/// when its owner is the named role, that role cannot log in and has neither SUPERUSER nor
/// BYPASSRLS, and the function pins its `search_path`; the role must own nothing else
/// (``AuditFinding/Kind/unsafeLookupRole``).
///
/// ```swift
/// let report = try await FinancbaseAudit.run(
///     on: connection, allowedDefiners: AllowedDefiner.lookups + [
///         AllowedDefiner(signature: "app.tenant_name(uuid)", owner: "financbase_lookup"),
///     ])
/// ```
public struct AllowedDefiner: Sendable, Hashable, Codable {
    /// The function as `schema.name(argument types)`: `app.identity_for_clerk(text)`.
    public var signature: String
    /// The role that must own it.
    public var owner: String

    /// Creates an allow-list entry.
    public init(signature: String, owner: String) {
        self.signature = signature
        self.owner = owner
    }

    /// The lookups of migration 0008: the context user's role, and one user's identity by Clerk
    /// id, both owned by `financbase_lookup`.
    public static let lookups: [AllowedDefiner] = [
        AllowedDefiner(signature: "app.current_user_role()", owner: "financbase_lookup"),
        AllowedDefiner(signature: "app.identity_for_clerk(text)", owner: "financbase_lookup"),
    ]
}

/// A SECURITY DEFINER function the application may call, as the catalog describes it.
struct DefinerFunction: Sendable, Hashable {
    var signature: String
    var owner: String
    var ownerCanLogin: Bool
    var ownerIsSuperuser: Bool
    var ownerBypassesRowSecurity: Bool
    var pinsSearchPath: Bool
}

/// Whether each SECURITY DEFINER function is one the allow-list accepts. Pure, so every rule is a
/// unit test.
enum DefinerRules {
    static func findings(
        _ functions: [DefinerFunction], allowed: [AllowedDefiner], appRole: String
    ) -> [AuditFinding] {
        functions.compactMap { function in
            let runsAs = "\(appRole) may call it, and it runs as \(function.owner)"
            guard let entry = allowed.first(where: { $0.signature == function.signature }) else {
                return AuditFinding(
                    kind: .securityDefinerFunction, object: function.signature,
                    detail: "\(runsAs); it is not in the audit's allow-list")
            }
            var problems: [String] = []
            if function.owner != entry.owner { problems.append("it must be owned by \(entry.owner)") }
            if function.ownerCanLogin { problems.append("its owner can log in") }
            if function.ownerIsSuperuser { problems.append("its owner is SUPERUSER") }
            if function.ownerBypassesRowSecurity { problems.append("its owner has BYPASSRLS") }
            if !function.pinsSearchPath { problems.append("it does not SET search_path") }
            guard !problems.isEmpty else { return nil }
            return AuditFinding(
                kind: .securityDefinerFunction, object: function.signature,
                detail: "\(runsAs); allow-listed, but \(problems.joined(separator: ", "))")
        }
    }
}
