import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: workflow dashboard")
struct WorkflowDashboardTests {
    /// The period: March 2025.
    static let from = Date(timeIntervalSince1970: 1_740_787_200)
    static let to = Date(timeIntervalSince1970: 1_743_465_600)
    static let day: TimeInterval = 86_400

    /// Two workflows and their runs (seconds after `from`):
    ///
    /// - Alpha: succeeded runs of 10, 20 and 30 s starting at 0, 1 and 2 days, one failed after
    ///   40 s at 3 days; left out of the run times: a cancelled run (500 s), a running one, one
    ///   that started a second before the period and one that started at its end.
    /// - Beta: a succeeded run of 5 s; failures that started the day before the period and
    ///   ended inside it (so only the failed list has them): two at 10 days exactly, one at
    ///   20 days, one at the very start of the period; one ended before it, one at its end.
    ///
    /// Returns each failed run's id by name.
    static func seed(_ store: FinancbaseStore, _ context: TenantContext) async throws -> [String:
        UUID]
    {
        try await store.withTenant(context) { repos in
            let alpha = try await repos.workflowDefinitions.create(name: "Alpha")
            let beta = try await repos.workflowDefinitions.create(name: "Beta")
            func run(
                _ definition: WorkflowDefinition, _ status: WorkflowRunStatus, start: TimeInterval,
                seconds: TimeInterval?
            ) async throws -> UUID {
                let started = from.addingTimeInterval(start)
                return try await repos.workflowRuns.create(
                    definitionID: definition.id, status: status, startedAt: started,
                    finishedAt: seconds.map { started.addingTimeInterval($0) },
                    error: status == .failed ? "\(definition.name) failed" : nil, attemptCount: 1
                ).id
            }
            var failed: [String: UUID] = [:]
            _ = try await run(alpha, .succeeded, start: 0, seconds: 10)
            _ = try await run(alpha, .succeeded, start: day, seconds: 20)
            _ = try await run(alpha, .succeeded, start: 2 * day, seconds: 30)
            failed["alpha"] = try await run(alpha, .failed, start: 3 * day, seconds: 40)
            _ = try await run(alpha, .cancelled, start: 4 * day, seconds: 500)
            _ = try await run(alpha, .running, start: 5 * day, seconds: nil)
            _ = try await run(alpha, .succeeded, start: -1, seconds: 1_000)
            _ = try await run(alpha, .succeeded, start: to.timeIntervalSince(from), seconds: 1_000)
            _ = try await run(beta, .succeeded, start: 6 * day, seconds: 5)
            failed["beta at 10 days (1)"] = try await run(
                beta, .failed, start: -day, seconds: 11 * day)
            failed["beta at 10 days (2)"] = try await run(
                beta, .failed, start: -day, seconds: 11 * day)
            failed["beta at 20 days"] = try await run(beta, .failed, start: -day, seconds: 21 * day)
            failed["beta at the start"] = try await run(beta, .failed, start: -day, seconds: day)
            failed["beta before"] = try await run(beta, .failed, start: -day, seconds: day - 1)
            failed["beta at the end"] = try await run(
                beta, .failed, start: -day, seconds: to.timeIntervalSince(from) + day)
            return failed
        }
    }

    @Test("failed runs of a period, newest first, page by page: each once, ties on the time by id")
    func failedRuns() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let failed = try await Self.seed(store, tenant.context)
            _ = try await Self.seed(
                store, try await TenantFixture.make(in: store, name: "Other").context)
            let tied = [failed["beta at 10 days (1)"], failed["beta at 10 days (2)"]].compactMap {
                $0
            }
            .sorted { $0.uuidString.lowercased() > $1.uuidString.lowercased() }
            let expected =
                [failed["beta at 20 days"]].compactMap { $0 } + tied
                + [failed["alpha"], failed["beta at the start"]].compactMap { $0 }
            var pages: [[FailedWorkflowRun]] = []
            var cursor: FailedRunCursor?
            repeat {
                let page = try await store.withTenant(tenant.context) { repos in
                    try await repos.workflowRuns.failed(
                        from: Self.from, to: Self.to, after: cursor, limit: 2)
                }
                pages.append(page.rows)
                cursor = page.next
            } while cursor != nil
            #expect(pages.map(\.count) == [2, 2, 1])
            #expect(pages.flatMap { $0 }.map(\.id) == expected)
            let first = try #require(pages.first?.first)
            #expect(
                first.definitionName == "Beta" && first.error == "Beta failed"
                    && first.attemptCount == 1)
            #expect(first.finishedAt == Self.from.addingTimeInterval(20 * Self.day))
            let all = try await store.withTenant(tenant.context) { repos in
                try await repos.workflowRuns.failed(from: Self.from, to: Self.to, limit: 10)
            }
            #expect(all.rows.map(\.id) == expected && all.next == nil)
        }
    }

    @Test("run-time percentiles per workflow over a period, from the finished runs started in it")
    func runTimes() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            _ = try await Self.seed(store, tenant.context)
            _ = try await Self.seed(
                store, try await TenantFixture.make(in: store, name: "Other").context)
            let times = try await store.withTenant(tenant.context) { repos in
                try await repos.workflowRuns.runTimes(from: Self.from, to: Self.to)
            }
            // Alpha: 10, 20, 30, 40 s → p50 = 25, p90 = 30 + 0.7 × 10 = 37, p99 = 30 + 0.97 × 10 = 39.7.
            #expect(times.map(\.definitionName) == ["Alpha", "Beta"])
            #expect(times.map(\.runs) == [4, 1])
            let alpha = try #require(times.first)
            #expect(
                abs(alpha.p50Seconds - 25) < 1e-9 && abs(alpha.p90Seconds - 37) < 1e-9
                    && abs(alpha.p99Seconds - 39.7) < 1e-9)
            await #expect(throws: RepositoryError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.workflowRuns.runTimes(from: Self.to, to: Self.to)
                }
            }
            await #expect(throws: RepositoryError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.workflowRuns.failed(from: Self.to, to: Self.from)
                }
            }
            let beta = try #require(times.last)
            #expect(beta.p50Seconds == 5 && beta.p90Seconds == 5 && beta.p99Seconds == 5)
        }
    }
}
