import Foundation
import Financbase
import PGClient

/// Runs every cell of the role × command × table matrix over `tables`, spread over a few
/// administrator connections (each table's cells on one of them), and tallies the outcomes
/// against ``AccessExpectation``.
struct AccessMatrixSweep {
    /// What the sweep found.
    struct Result: Sendable {
        var cells = 0
        var tally: [String: Int] = [:]
        /// The cells whose outcome was not the expected one, described.
        var wrong: [String] = []

        mutating func merge(_ other: Result) {
            cells += other.cells
            tally.merge(other.tally, uniquingKeysWith: +)
            wrong += other.wrong
        }

        var summary: String {
            "\(cells) cells: \(tally["allowed", default: 0]) allowed, \(tally["refused", default: 0]) refused, "
                + "\(tally["unexpected", default: 0]) unexpected, \(tally["skipped", default: 0]) skipped"
        }
    }

    let database: FinancbaseTestDatabase
    let organization: UUID
    let people: SeedPeople
    let rules: [String: DeclaredRule]
    let parentColumns: [String: String]

    /// Sweeps `tables` on `connections` connections at once.
    func run(_ tables: [String], connections: Int = 3) async throws -> Result {
        let lanes = (0..<max(1, connections)).map { lane in
            tables.enumerated().filter { $0.offset % max(1, connections) == lane }.map(\.element)
        }
        return try await withThrowingTaskGroup(of: Result.self) { group in
            for lane in lanes where !lane.isEmpty {
                group.addTask { try await sweep(lane) }
            }
            var total = Result()
            for try await result in group { total.merge(result) }
            total.wrong.sort()
            return total
        }
    }

    private func sweep(_ tables: [String]) async throws -> Result {
        try await PGConnection.withConnection(config: database.adminConfig) { connection in
            var matrix = AccessMatrix(
                connection: connection, organization: organization, people: people, rules: rules,
                parentColumns: parentColumns)
            for table in Set(tables + tables.compactMap { rules[$0]?.parent }) {
                try await matrix.loadShape(table)
            }
            var result = Result()
            for table in tables {
                guard let rule = rules[table] else { continue }
                for actor in AccessActor.allCases {
                    for command in AccessCommand.allCases {
                        for target in AccessTarget.allCases {
                            result.cells += 1
                            let expected = AccessExpectation.expected(actor, command, target, rule: rule, rules: rules)
                            let cell = "\(table) \(actor) \(command) \(target)"
                            switch try await matrix.run(actor, command, table, target) {
                            case .outcome(let outcome) where outcome == expected:
                                result.tally[outcome.rawValue, default: 0] += 1
                            case .outcome(let outcome):
                                result.tally["unexpected", default: 0] += 1
                                result.wrong.append("\(cell): expected \(expected), got \(outcome)")
                            case .unexpected(let error):
                                result.tally["unexpected", default: 0] += 1
                                result.wrong.append("\(cell): expected \(expected), got error \(error)")
                            case .skipped:
                                result.tally["skipped", default: 0] += 1
                                result.wrong.append("\(cell): no target row")
                            }
                        }
                    }
                }
            }
            return result
        }
    }
}
