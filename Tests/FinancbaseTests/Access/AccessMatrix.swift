import Foundation
import PGClient

@testable import Financbase

/// Runs one cell of the role × command × table matrix: on an administrator's connection, in a
/// transaction that is always rolled back, it picks (or makes) the target row as the
/// administrator, then `SET LOCAL ROLE financbase_app`, sets the actor's context as the store
/// does, and tries the command.
struct AccessMatrix {
    let connection: PGConnection
    let organization: UUID
    let people: SeedPeople
    let rules: [String: DeclaredRule]
    let parentColumns: [String: String]
    /// Per table: the columns a copy must change to stay unique (text or integer), and whether
    /// it has `user_id`.
    var shapes: [String: TableShape] = [:]

    struct TableShape {
        var uniqueText: [String]
        var uniqueIntegers: [String]
        var hasUserID: Bool
    }

    /// What a cell did.
    enum Result: Equatable {
        case outcome(AccessOutcome)
        /// An error that is neither a refusal nor a foreign key after an allowed DELETE.
        case unexpected(String)
        /// No target row could be found or made for this actor.
        case skipped
    }

    func userID(_ actor: AccessActor) -> UUID {
        switch actor {
        case .admin, .none: people.admin
        case .user: people.users[0]
        case .viewer: people.viewer
        case .contractor: people.contractor
        case .inactive: people.inactive
        }
    }

    /// The tenant tables of the catalog, read with the audit's own rule.
    static func tenantTables(on connection: PGConnection) async throws -> [String] {
        try await connection.query(
            """
            SELECT format('%I.%I', n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'financbase' AND c.relkind IN ('r', 'p') AND \(unescaped: AuditCatalog.holdsTenantRows)
            ORDER BY 1
            """
        ).collect().map { try $0.decode(String.self, at: 0) }
    }

    /// Every declaration of `app.tenant_tables`, with the parent columns.
    static func declarations(on connection: PGConnection) async throws -> (
        [String: DeclaredRule], [String: String]
    ) {
        var rules: [String: DeclaredRule] = [:]
        var parents: [String: String] = [:]
        for row in try await connection.query(
            """
            SELECT table_name, scope, writers, parent_table, parent_column,
                contractor_reads IS NOT NULL, contractor_writes IS NOT NULL, append_only
            FROM app.tenant_tables
            """
        ).collect() {
            let (table, scope, writers, parent, column, reads, writes, appendOnly) = try row.decode(
                (String, String, String, String?, String?, Bool, Bool, Bool).self)
            rules[table] = DeclaredRule(
                scope: scope, writers: writers, parent: parent, contractorReads: reads,
                contractorWrites: writes, appendOnly: appendOnly)
            parents[table] = column
        }
        return (rules, parents)
    }

    mutating func loadShape(_ table: String) async throws {
        let rows = try await connection.query(
            """
            SELECT a.attname::text, a.atttypid = 'int4'::regtype
            FROM pg_attribute a
            WHERE a.attrelid = \(table)::regclass AND a.attnum > 0 AND NOT a.attisdropped
              AND a.atttypid IN ('text'::regtype, 'int4'::regtype)
              AND (a.attname = 'email' OR EXISTS (SELECT FROM pg_index i WHERE i.indrelid = a.attrelid
                  AND i.indisunique AND NOT i.indisprimary
                  -- key columns only: an INCLUDE column is carried, not unique
                  AND EXISTS (SELECT FROM generate_series(0, i.indnkeyatts - 1) AS k WHERE i.indkey[k] = a.attnum)))
            ORDER BY 1
            """
        ).collect()
        var shape = TableShape(uniqueText: [], uniqueIntegers: [], hasUserID: false)
        for row in rows {
            let (name, integer) = try row.decode((String, Bool).self)
            if integer { shape.uniqueIntegers.append(name) } else { shape.uniqueText.append(name) }
        }
        shape.hasUserID = try await !connection.query(
            """
            SELECT FROM pg_attribute WHERE attrelid = \(table)::regclass AND attname = 'user_id'
              AND NOT attisdropped
            """
        ).collect().isEmpty
        shapes[table] = shape
    }

    /// How a target row is chosen for `actor`: a condition on the row `s`, the column a copy may
    /// set to make a row the actor's (or someone else's), and whether copies are fair targets.
    struct Ownership {
        var condition: String
        var ownerColumn: String?
        var copies: Bool
    }

    func ownership(_ table: String, _ actor: AccessActor, _ target: AccessTarget) -> Ownership {
        let me = "'\(userID(actor).uuidString.lowercased())'::uuid"
        let mine = target == .mine
        let assigned = { (project: String) in
            "EXISTS (SELECT FROM financbase.tasks t WHERE t.organization_id = s.organization_id AND t.project_id = \(project) AND t.assignee_id = \(me))"
        }
        switch table {
        case "financbase.organizations":
            let org = "'\(organization.uuidString.lowercased())'::uuid"
            return Ownership(condition: mine ? "s.id = \(org)" : "s.id <> \(org)", ownerColumn: nil, copies: false)
        case "financbase.users":
            return Ownership(condition: mine ? "s.id = \(me)" : "s.id <> \(me)", ownerColumn: nil, copies: !mine)
        case "financbase.tasks":
            return Ownership(
                condition: mine ? "s.assignee_id = \(me)" : "s.assignee_id IS DISTINCT FROM \(me)",
                ownerColumn: "assignee_id", copies: true)
        case "financbase.projects":
            return Ownership(condition: mine ? assigned("s.id") : "NOT \(assigned("s.id"))", ownerColumn: nil, copies: !mine)
        case "financbase.leases":
            // A copy of an active lease would overlap its template (the exclusion constraint);
            // whose lease it is does not matter to anyone here.
            return Ownership(condition: "s.status <> 'active'", ownerColumn: nil, copies: true)
        case "financbase.time_entries" where actor == .contractor:
            return Ownership(
                condition: mine ? "s.user_id = \(me) AND \(assigned("s.project_id"))" : "s.user_id <> \(me)",
                ownerColumn: nil, copies: true)
        default:
            if let rule = rules[table], rule.writers == "parent", let parent = rule.parent,
                let column = parentColumns[table], shapes[parent]?.hasUserID == true
            {
                let owned = "EXISTS (SELECT FROM \(parent) p WHERE p.organization_id = s.organization_id AND p.id = s.\(column) AND p.user_id = \(me))"
                return Ownership(condition: mine ? owned : "NOT \(owned)", ownerColumn: nil, copies: true)
            }
            if shapes[table]?.hasUserID == true {
                return Ownership(
                    condition: mine ? "s.user_id = \(me)" : "s.user_id <> \(me)",
                    ownerColumn: "user_id", copies: true)
            }
            return Ownership(condition: "true", ownerColumn: nil, copies: true)
        }
    }

    /// Runs the cell and rolls everything back.
    func run(_ actor: AccessActor, _ command: AccessCommand, _ table: String, _ target: AccessTarget)
        async throws -> Result
    {
        try await connection.simpleQuery("BEGIN")
        do {
            let result = try await runInTransaction(actor, command, table, target)
            try await connection.simpleQuery("ROLLBACK")
            return result
        } catch {
            _ = try? await connection.simpleQuery("ROLLBACK")
            throw error
        }
    }

    private func runInTransaction(
        _ actor: AccessActor, _ command: AccessCommand, _ table: String, _ target: AccessTarget
    ) async throws -> Result {
        guard let rule = rules[table], let shape = shapes[table] else { return .skipped }
        let owner = ownership(table, actor, target)
        let scope = table == "financbase.organizations" ? "true" : "s.organization_id = '\(organization.uuidString.lowercased())'::uuid"
        var template = try await firstID(table, where: "\(scope) AND \(owner.condition)")
        var override: UUID?
        if template == nil, let _ = owner.ownerColumn {
            // Nobody's row fits: any row of the organization, given to the actor (or to another user).
            template = try await firstID(table, where: scope)
            override = target == .mine ? userID(actor) : (actor == .user ? people.admin : people.users[0])
        }
        guard let template else {
            // Only where whose row it is changes nothing for this actor may any row stand in.
            let matters = AccessExpectation.ownershipMatters(actor, rule: rule, rules: rules)
            guard !matters, let any = try await firstID(table, where: scope) else { return .skipped }
            return try await attempt(actor, command, table, shape, owner: owner, template: any, override: nil)
        }
        return try await attempt(actor, command, table, shape, owner: owner, template: template, override: override)
    }

    private func attempt(
        _ actor: AccessActor, _ command: AccessCommand, _ table: String, _ shape: TableShape,
        owner: Ownership, template: UUID, override: UUID?
    ) async throws -> Result {
        let needsCopy = override != nil || command == .insert || (command != .select && owner.copies)
        var targetID = template
        var copy: String?
        if needsCopy {
            let json = try await copyJSON(table, shape, template: template, owner: owner.ownerColumn, override: override)
            copy = json
            if command == .insert {
                try await makeRoom(table, json: json, replacing: template)
            } else {
                targetID = try await insertCopy(table, json: json, replacing: template)
            }
        }
        try await connection.simpleQuery("SET LOCAL ROLE financbase_app")
        if actor != .none {
            _ = try await connection.query(
                """
                SELECT set_config('app.current_org_id', \(organization.uuidString.lowercased()), true),
                       set_config('app.current_user_id', \(userID(actor).uuidString.lowercased()), true)
                """
            ).collect()
        }
        do {
            switch command {
            case .select:
                let seen = try await connection.query(
                    "SELECT count(*) FROM \(unescaped: table) WHERE id = \(targetID)"
                ).collect()[0].decode(Int64.self, at: 0)
                return .outcome(seen == 1 ? .allowed : .refused)
            case .insert:
                try await connection.execute(
                    "INSERT INTO \(unescaped: table) SELECT * FROM jsonb_populate_record(NULL::\(unescaped: table), \(copy ?? "{}")::jsonb)"
                )
                return .outcome(.allowed)
            case .update:
                let touched = try await connection.execute(
                    "UPDATE \(unescaped: table) SET id = id WHERE id = \(targetID)"
                ).rowCount
                return .outcome(touched == 1 ? .allowed : .refused)
            case .delete:
                let touched = try await connection.execute(
                    "DELETE FROM \(unescaped: table) WHERE id = \(targetID)"
                ).rowCount
                return .outcome(touched == 1 ? .allowed : .refused)
            }
        } catch let error as PGError where error.sqlState == .insufficientPrivilege && command != .select {
            return .outcome(.refused)
        } catch let error as PGError where error.sqlState == .foreignKeyViolation && command == .delete {
            // The policy let the row go; a foreign key then kept it (rows still reference it).
            return .outcome(.allowed)
        } catch let error as PGError {
            return .unexpected("\(error.sqlState?.rawValue ?? "?"): \(error.message)")
        }
    }

    private func firstID(_ table: String, where condition: String) async throws -> UUID? {
        try await connection.query(
            "SELECT s.id FROM \(unescaped: table) s WHERE \(unescaped: condition) ORDER BY s.id LIMIT 1"
        ).collect().first?.decode(UUID.self, at: 0)
    }

    /// The template row as JSON with a new id, its unique columns changed and, when asked, its
    /// owner column set.
    private func copyJSON(
        _ table: String, _ shape: TableShape, template: UUID, owner: String?, override: UUID?
    ) async throws -> String {
        var changes = ["'id', gen_random_uuid()"]
        for column in shape.uniqueText {
            changes.append("'\(column)', CASE WHEN s.\(column) IS NULL THEN NULL ELSE 'x' || substr(md5(random()::text), 1, 8) || '_' || s.\(column) END")
        }
        for column in shape.uniqueIntegers {
            changes.append("'\(column)', s.\(column) + 1000000")
        }
        if let owner, let override {
            changes.append("'\(owner)', '\(override.uuidString.lowercased())'")
        }
        return try await connection.query(
            """
            SELECT (to_jsonb(s) || jsonb_build_object(\(unescaped: changes.joined(separator: ", "))))::text
            FROM \(unescaped: table) s WHERE s.id = \(template)
            """
        ).collect()[0].decode(String.self, at: 0)
    }

    private func insertQuery(_ table: String, json: String) -> PGQuery {
        "INSERT INTO \(unescaped: table) SELECT * FROM jsonb_populate_record(NULL::\(unescaped: table), \(json)::jsonb) RETURNING id"
    }

    /// Inserts the copy as the administrator; when it clashes with its template on a unique key
    /// (one row per user), the template is removed first.
    private func insertCopy(_ table: String, json: String, replacing template: UUID) async throws -> UUID {
        try await makeRoom(table, json: json, replacing: template)
        return try await connection.query(insertQuery(table, json: json)).collect()[0].decode(UUID.self, at: 0)
    }

    /// Removes the template when the copy would clash with it on a unique key; changes nothing
    /// else (the trial insert is rolled back, whatever it hit).
    private func makeRoom(_ table: String, json: String, replacing template: UUID) async throws {
        try await connection.simpleQuery("SAVEPOINT trial")
        var clashes = false
        do {
            _ = try await connection.query(insertQuery(table, json: json)).collect()
        } catch let error as PGError {
            clashes = error.sqlState == .uniqueViolation
        }
        try await connection.simpleQuery("ROLLBACK TO SAVEPOINT trial")
        if clashes {
            try await connection.execute("DELETE FROM \(unescaped: table) WHERE id = \(template)")
        }
    }
}
