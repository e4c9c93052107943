import Testing

@testable import Financbase

@Suite("Tenant policy rules")
struct TenantPolicyRulesTests {
    static let scoped = "(organization_id = ( SELECT app.current_org_id() AS current_org_id))"

    static func policy(
        _ command: String, permissive: Bool = true, applies: Bool = true, using: String? = scoped,
        check: String? = scoped
    ) -> TenantPolicy {
        TenantPolicy(
            command: command, name: "p_\(command)", permissive: permissive, appliesToApp: applies,
            using: using, withCheck: check)
    }

    static func findings(_ policies: [TenantPolicy]) -> [AuditFinding] {
        TenantPolicyRules.findings(
            table: "t", rowSecurity: true, forced: true, policies: policies, appRole: "app")
    }

    @Test("one FOR ALL policy covers every command")
    func forAllCoversEverything() {
        #expect(Self.findings([Self.policy("*")]).isEmpty)
    }

    @Test("restrictive policies and policies for other roles do not cover a command")
    func onlyApplicablePermissivePoliciesCount() {
        let findings = Self.findings([
            Self.policy("*", permissive: false), Self.policy("r", applies: false),
        ])
        #expect(findings.map(\.kind) == Array(repeating: .missingPolicy, count: 4))
    }

    @Test("an INSERT policy that checks nothing about the tenant is not tenant-scoped")
    func insertCheckMustBeScoped() {
        let findings = Self.findings([
            Self.policy("*"), Self.policy("a", using: nil, check: "true"),
        ])
        #expect(findings.map(\.kind) == [.policyNotTenantScoped])
    }

    @Test("an ALL policy without WITH CHECK is reported, though its USING still scopes new rows")
    func allWithoutCheck() {
        let findings = Self.findings([Self.policy("*", check: nil)])
        #expect(findings.map(\.kind) == [.policyWithoutCheck])
    }
}
