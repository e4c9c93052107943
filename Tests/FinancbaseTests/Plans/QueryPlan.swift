import Foundation
import PGClient

@testable import Financbase

/// One node of a plan from `EXPLAIN (FORMAT JSON)`, with the nodes under it.
struct QueryPlan: Sendable {
    var nodeType: String
    var relationName: String?
    var indexName: String?
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
        children = try (node["Plans"] as? [[String: Any]] ?? []).map { try QueryPlan(node: $0) }
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
