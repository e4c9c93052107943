/// Who acts in a cell of the access matrix.
enum AccessActor: String, CaseIterable, Sendable {
    case admin, user, viewer, contractor, inactive
    /// No tenant context at all.
    case none
}

/// The command a cell tries.
enum AccessCommand: String, CaseIterable, Sendable {
    case select, insert, update, delete
}

/// Whose row a cell aims at: the actor's own (its `user_id`; for a contractor, what is assigned
/// to it; for `users`, itself; for `organizations`, its organization) or someone else's.
enum AccessTarget: String, CaseIterable, Sendable {
    case mine, theirs
}

/// What happened, or should.
enum AccessOutcome: String, Sendable {
    /// SELECT saw the row, INSERT succeeded, UPDATE or DELETE touched the row.
    case allowed
    /// SELECT did not see it, INSERT (or an UPDATE's new row) failed with 42501, UPDATE or DELETE
    /// touched nothing.
    case refused
}

/// A tenant table's declaration in `app.tenant_tables`.
struct DeclaredRule: Sendable, Hashable {
    var scope: String
    var writers: String
    var parent: String?
    var contractorReads: Bool
    var contractorWrites: Bool
    /// The application may only add rows and read them (no UPDATE or DELETE at all).
    var appendOnly = false
}

/// The access rules of the data-layer article (Financbase.docc/DataLayer.md), written out independently of the SQL that enforces
/// them: what each actor may do to its own and to others' rows of a table with `rule`.
enum AccessExpectation {
    static func expected(
        _ actor: AccessActor, _ command: AccessCommand, _ target: AccessTarget, rule: DeclaredRule,
        rules: [String: DeclaredRule]
    ) -> AccessOutcome {
        let allowed = outcome(actor, command, target, rule: rule, rules: rules)
        return allowed ? .allowed : .refused
    }

    private static func outcome(
        _ actor: AccessActor, _ command: AccessCommand, _ target: AccessTarget, rule: DeclaredRule,
        rules: [String: DeclaredRule]
    ) -> Bool {
        let mine = target == .mine
        switch actor {
        case .none, .inactive:
            return false
        case .contractor:
            return command == .select ? rule.contractorReads && mine : rule.contractorWrites && mine
        case .admin, .user, .viewer:
            break
        }
        if command == .select {
            // Another organization's row, or another user's row of a user-scoped table.
            return rule.scope == "organization" || mine
        }
        if rule.appendOnly && (command == .update || command == .delete) { return false }
        if rule.scope == "self" {
            // A new organization is never made from a context; only an admin changes its own.
            return command != .insert && actor == .admin && mine
        }
        if actor == .viewer { return false }
        if rule.scope == "user" || rule.writers == "author" { return mine }
        if actor == .admin { return true }
        return userMayWrite(rule, mine: mine, rules: rules)
    }

    /// Whether a user (role `user`) may write a row; for `parent`, "mine" is the parent's.
    private static func userMayWrite(_ rule: DeclaredRule, mine: Bool, rules: [String: DeclaredRule])
        -> Bool
    {
        switch rule.writers {
        case "member": true
        case "owner", "author": mine
        case "parent": rule.parent.flatMap { rules[$0] }.map { userMayWrite($0, mine: mine, rules: rules) } ?? false
        default: false
        }
    }

    /// Whether ownership changes the answer for `actor` on a table with `rule`: when it does
    /// not, any row of the organization is a fair target.
    static func ownershipMatters(_ actor: AccessActor, rule: DeclaredRule, rules: [String: DeclaredRule])
        -> Bool
    {
        AccessCommand.allCases.contains { command in
            expected(actor, command, .mine, rule: rule, rules: rules)
                != expected(actor, command, .theirs, rule: rule, rules: rules)
        }
    }
}
