/// A row-level security policy as the catalog holds it.
struct TenantPolicy: Sendable, Hashable {
    /// The command: `r` SELECT, `a` INSERT, `w` UPDATE, `d` DELETE, `*` ALL (`pg_policy.polcmd`).
    var command: String
    var name: String
    var permissive: Bool
    /// Whether the policy applies to the application role (PUBLIC, the role, or a role it is in).
    var appliesToApp: Bool
    var using: String?
    var withCheck: String?
}

/// The rules a tenant table and its policies must meet. Pure, so every rule is a unit test.
enum TenantPolicyRules {
    /// The commands a tenant table needs a policy for (those the application holds the privilege
    /// for), with their `polcmd` letters.
    static let commands: [(letter: String, name: String)] = [
        ("r", "SELECT"), ("a", "INSERT"), ("w", "UPDATE"), ("d", "DELETE"),
    ]

    /// What the tenant helper looks like in an expression as `pg_get_expr` prints it.
    static let tenantHelper = "current_org_id()"

    static func findings(
        table: String, rowSecurity: Bool, forced: Bool, policies: [TenantPolicy], appRole: String,
        appCommands: Set<String> = ["r", "a", "w", "d"]
    ) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        if !rowSecurity {
            findings.append(
                AuditFinding(
                    kind: .rowSecurityDisabled, object: table,
                    detail: "row-level security is not enabled"))
        }
        if !forced {
            findings.append(
                AuditFinding(
                    kind: .rowSecurityNotForced, object: table,
                    detail: "row-level security is not FORCEd: the table's owner bypasses it"))
        }
        // Restrictive policies only narrow what permissive ones allow; alone they allow nothing.
        let effective = policies.filter { $0.permissive && $0.appliesToApp }
        // A command the application holds no privilege for (an append-only table's UPDATE and
        // DELETE) is refused before any policy; it needs none.
        for (letter, name) in commands
        where appCommands.contains(letter) && !effective.contains(where: { $0.command == letter || $0.command == "*" }) {
            findings.append(
                AuditFinding(
                    kind: .missingPolicy, object: table,
                    detail: "no permissive policy for \(name) applies to \(appRole)"))
        }
        for policy in effective {
            findings.append(contentsOf: self.findings(policy, table: table))
        }
        return findings
    }

    /// A policy's own findings: a missing WITH CHECK, an expression that is not tenant-scoped.
    static func findings(_ policy: TenantPolicy, table: String) -> [AuditFinding] {
        let object = "policy \(policy.name) on \(table)"
        var findings: [AuditFinding] = []
        let writes = ["a", "w", "*"].contains(policy.command)
        if writes && policy.withCheck == nil {
            findings.append(
                AuditFinding(
                    kind: .policyWithoutCheck, object: object,
                    detail: "the policy has no WITH CHECK expression"))
        }
        // The expressions the server applies for this command (UPDATE and ALL fall back to
        // USING for new rows when WITH CHECK is absent).
        let expressions: [String?] =
            switch policy.command {
            case "a": [policy.withCheck]
            case "w", "*": [policy.using, policy.withCheck ?? policy.using]
            default: [policy.using]
            }
        if let unscoped = expressions.first(where: { !($0?.contains(tenantHelper) ?? false) }) {
            findings.append(
                AuditFinding(
                    kind: .policyNotTenantScoped, object: object,
                    detail:
                        "expression \(unscoped ?? "(none)") does not compare with app.current_org_id()"
                ))
        }
        return findings
    }
}
