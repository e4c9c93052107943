import Foundation
import PGClient

@testable import Financbase

/// One node of a plan from `EXPLAIN (FORMAT JSON)`, with the nodes under it.
struct QueryPlan: Sendable {
    var nodeType: String
    var relationName: String?
    var indexName: String?
    /// The condition an index scan looks its rows up by (`Index Cond`), if any.
    var indexCondition: String?
    /// The planner's estimate of the whole node's cost.
    var totalCost: Double
    var children: [QueryPlan]

    /// This node and every node under it.
    var nodes: [QueryPlan] { [self] + children.flatMap(\.nodes) }

    /// One line per node, indented, for failure messages and the printed report.
    var outline: String { lines(depth: 0).joined(separator: "\n") }

    private func lines(depth: Int) -> [String] {
        let target = [relationName.map { "on \($0)" }, indexName.map { "using \($0)" }].compactMap {
            $0
        }
        let line =
            String(repeating: "  ", count: depth) + ([nodeType] + target).joined(separator: " ")
        return [line] + children.flatMap { $0.lines(depth: depth + 1) }
    }

    enum ParseError: Error {
        case notAPlan(String)
    }

    /// Reads the text EXPLAIN (FORMAT JSON) returns: `[{"Plan": {…}}]`.
    init(json: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        guard let top = (object as? [[String: Any]])?.first,
            let plan = top["Plan"] as? [String: Any]
        else {
            throw ParseError.notAPlan(json)
        }
        try self.init(node: plan)
    }

    private init(node: [String: Any]) throws {
        guard let nodeType = node["Node Type"] as? String else {
            throw ParseError.notAPlan("\(node)")
        }
        self.nodeType = nodeType
        relationName = node["Relation Name"] as? String
        indexName = node["Index Name"] as? String
        indexCondition = node["Index Cond"] as? String
        totalCost = (node["Total Cost"] as? NSNumber)?.doubleValue ?? 0
        children = try (node["Plans"] as? [[String: Any]] ?? []).map { try QueryPlan(node: $0) }
    }

    /// The generic plan of `query`: the one the server may switch to once the statement is
    /// prepared and has run a few times (the statement cache prepares every repository
    /// statement). PostgreSQL 15 has no `EXPLAIN (GENERIC_PLAN)`, so the statement is prepared
    /// under its name here with the bindings' types, and `EXPLAIN EXECUTE` runs with
    /// `plan_cache_mode = force_generic_plan`, all inside the unit's transaction.
    static func explainGeneric(_ query: PGQuery, in repos: TenantRepositories) async throws -> QueryPlan {
        var types: [String] = []
        for dataType in query.bindings.dataTypes {
            let rows = try await repos.session.rows(
                "explain.type", "SELECT format_type(\(Int64(dataType.rawValue))::oid, NULL)")
            types.append(try rows[0].decode(String.self, at: 0))
        }
        let typeList = types.isEmpty ? "" : "(" + types.joined(separator: ", ") + ")"
        try await repos.session.execute(
            "explain.prepare", PGQuery(unsafeSQL: "PREPARE fb_generic_plan\(typeList) AS " + query.sql))
        try await repos.session.execute(
            "explain.mode", "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)")
        // EXECUTE's arguments cannot refer to the protocol's parameters, so the values travel
        // through transaction-local settings (the generic plan does not depend on them anyway).
        if !types.isEmpty {
            let settings = types.indices.map {
                "set_config('fb_plan.p\($0 + 1)', coalesce($\($0 + 1)::text, ''), true)"
            }
            try await repos.session.execute(
                "explain.arguments",
                PGQuery(unsafeSQL: "SELECT " + settings.joined(separator: ", "), bindings: query.bindings))
        }
        let arguments = types.enumerated().map { index, type in
            "NULLIF(current_setting('fb_plan.p\(index + 1)'), '')::\(type)"
        }
        let explain = PGQuery(
            unsafeSQL: "EXPLAIN (FORMAT JSON) EXECUTE fb_generic_plan"
                + (arguments.isEmpty ? "" : "(" + arguments.joined(separator: ", ") + ")"))
        let rows = try await repos.session.rows("explain.generic", explain)
        try await repos.session.execute("explain.deallocate", "DEALLOCATE fb_generic_plan")
        try await repos.session.execute(
            "explain.mode", "SELECT set_config('plan_cache_mode', 'auto', true)")
        return try QueryPlan(json: try rows[0].decode(String.self, at: 0))
    }

    /// The plan of `query` as the session's connection would run it: the same text, the same
    /// parameters, under the session's tenant context.
    static func explain(_ query: PGQuery, in repos: TenantRepositories) async throws -> QueryPlan {
        let explain = PGQuery(
            unsafeSQL: "EXPLAIN (FORMAT JSON) " + query.sql, bindings: query.bindings)
        let rows = try await repos.session.rows("explain", explain)
        return try QueryPlan(json: try rows[0].decode(String.self, at: 0))
    }
}
