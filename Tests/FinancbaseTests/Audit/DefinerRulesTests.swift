import Testing

@testable import Financbase

@Suite("SECURITY DEFINER allow-list rules")
struct DefinerRulesTests {
    static func function(
        _ signature: String = "app.current_user_role()", owner: String = "financbase_lookup",
        login: Bool = false, superuser: Bool = false, bypass: Bool = false, pinned: Bool = true
    ) -> DefinerFunction {
        DefinerFunction(
            signature: signature, owner: owner, ownerCanLogin: login, ownerIsSuperuser: superuser,
            ownerBypassesRowSecurity: bypass, pinsSearchPath: pinned)
    }

    static func findings(_ functions: [DefinerFunction]) -> [AuditFinding] {
        DefinerRules.findings(functions, allowed: AllowedDefiner.lookups, appRole: "app")
    }

    @Test("the allow-listed lookups, owned as listed, pass")
    func allowListedPass() {
        #expect(Self.findings([Self.function(), Self.function("app.identity_for_clerk(text)")]).isEmpty)
    }

    @Test("any other SECURITY DEFINER function is reported, whoever owns it")
    func othersAreReported() {
        let findings = Self.findings([
            Self.function("app.peek()"), Self.function("app.other(uuid)", owner: "financbase_owner"),
        ])
        #expect(findings.map(\.object) == ["app.peek()", "app.other(uuid)"])
        #expect(findings.allSatisfy { $0.kind == .securityDefinerFunction && $0.detail.contains("allow-list") })
    }

    @Test("an allow-listed signature with the wrong owner, an owner that logs in or bypasses RLS, or no search_path is reported")
    func allowListedButUnsafe() {
        let cases: [(DefinerFunction, String)] = [
            (Self.function(owner: "financbase_owner"), "must be owned by financbase_lookup"),
            (Self.function(login: true), "can log in"),
            (Self.function(superuser: true), "SUPERUSER"),
            (Self.function(bypass: true), "BYPASSRLS"),
            (Self.function(pinned: false), "search_path"),
        ]
        for (function, reason) in cases {
            let findings = Self.findings([function])
            #expect(findings.count == 1 && findings[0].detail.contains(reason), "\(findings)")
        }
    }
}
