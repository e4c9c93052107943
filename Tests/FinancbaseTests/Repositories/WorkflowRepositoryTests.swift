import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: workflows")
struct WorkflowRepositoryTests {
    static let start = Date(timeIntervalSince1970: 1_740_000_000)

    @Test(
        "definitions, steps (jsonb config), triggers, runs and step runs round-trip; deletes cascade or are kept as declared"
    )
    func roundTrips() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                var definition = try await repos.workflowDefinitions.create(
                    name: "Invoice reminders", description: "E-mails overdue clients")
                #expect(definition.isActive && definition.version == 1)
                definition.version = 2
                definition.isActive = false
                definition = try await repos.workflowDefinitions.update(definition)
                #expect(try await repos.workflowDefinitions.get(definition.id) == definition)

                // jsonb comes back normalized: keys sorted, one space after ':' and ','.
                let mail = try await repos.workflowSteps.create(
                    definitionID: definition.id, position: 1, name: "E-mail", kind: .email,
                    config: #"{"to":"client.email","template":"reminder"}"#)
                #expect(mail.config == #"{"to": "client.email", "template": "reminder"}"#)
                var check = try await repos.workflowSteps.create(
                    definitionID: definition.id, position: 0, name: "Overdue?", kind: .condition)
                #expect(check.config == "{}")
                check.config = #"{"when": "invoice.status = 'overdue'", "days": [7, 14]}"#
                check = try await repos.workflowSteps.update(check)
                #expect(check.config == #"{"days": [7, 14], "when": "invoice.status = 'overdue'"}"#)
                #expect(
                    try await repos.workflowSteps.steps(of: definition.id).map(\.name) == [
                        "Overdue?", "E-mail",
                    ])

                var trigger = try await repos.workflowTriggers.create(
                    definitionID: definition.id, kind: .schedule,
                    config: #"{"cron": "0 9 * * 1-5"}"#)
                trigger.isEnabled = false
                trigger = try await repos.workflowTriggers.update(trigger)
                #expect(try await repos.workflowTriggers.triggers(of: definition.id) == [trigger])

                var run = try await repos.workflowRuns.create(
                    definitionID: definition.id, triggerID: trigger.id)
                #expect(run.status == .queued && run.startedAt == nil && run.attemptCount == 0)
                run.status = .running
                run.startedAt = Self.start
                run.attemptCount = 1
                run = try await repos.workflowRuns.update(run)
                let first = try await repos.workflowStepRuns.create(
                    runID: run.id, stepID: check.id, status: .succeeded, attempts: 1,
                    startedAt: Self.start,
                    finishedAt: Self.start.addingTimeInterval(0.25))
                var second = try await repos.workflowStepRuns.create(
                    runID: run.id, stepID: mail.id, status: .running, attempts: 1,
                    startedAt: Self.start.addingTimeInterval(0.25))
                second.status = .failed
                second.error = "SMTP 451"
                second.finishedAt = Self.start.addingTimeInterval(3)
                second = try await repos.workflowStepRuns.update(second)
                #expect(
                    try await repos.workflowStepRuns.stepRuns(of: run.id).map(\.id) == [
                        first.id, second.id,
                    ])
                run.status = .failed
                run.finishedAt = Self.start.addingTimeInterval(3)
                run.error = "step \"E-mail\" failed: SMTP 451"
                run = try await repos.workflowRuns.update(run)
                #expect(try await repos.workflowRuns.get(run.id) == run)

                // A deleted trigger leaves its runs, without it.
                try await repos.workflowTriggers.delete(trigger.id)
                #expect(try await repos.workflowRuns.get(run.id).triggerID == nil)
                // A deleted run takes its step runs with it.
                try await repos.workflowRuns.delete(run.id)
                await #expect(
                    throws: RepositoryError.notFound(entity: "workflow_step_runs", id: first.id)
                ) {
                    try await repos.workflowStepRuns.get(first.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "workflow_runs", id: run.id))
                {
                    try await repos.workflowRuns.delete(run.id)
                }
                // A definition without runs goes with its steps.
                try await repos.workflowDefinitions.delete(definition.id)
                #expect(try await repos.workflowSteps.steps(of: definition.id).isEmpty)
                await #expect(
                    throws: RepositoryError.notFound(entity: "workflow_steps", id: mail.id)
                ) {
                    try await repos.workflowSteps.get(mail.id)
                }
            }
        }
    }

    @Test(
        "bad values are refused with their SQLSTATE, a step of another workflow with a typed error")
    func badValuesAreRefused() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (definition, other, step, otherStep, run) = try await store.withTenant(
                tenant.context
            ) { repos in
                let definition = try await repos.workflowDefinitions.create(name: "Alpha")
                let other = try await repos.workflowDefinitions.create(name: "Beta")
                let step = try await repos.workflowSteps.create(
                    definitionID: definition.id, position: 0, name: "Call", kind: .http)
                let otherStep = try await repos.workflowSteps.create(
                    definitionID: other.id, position: 0, name: "Mail", kind: .email)
                let run = try await repos.workflowRuns.create(
                    definitionID: definition.id, status: .succeeded, startedAt: Self.start,
                    finishedAt: Self.start.addingTimeInterval(5), attemptCount: 1)
                return (definition, other, step, otherStep, run)
            }
            let start = Self.start
            let attempts:
                [(String, SQLState, @Sendable (TenantRepositories) async throws -> Void)] = [
                    (
                        "config that is not JSON", .invalidTextRepresentation,
                        { repos in
                            _ = try await repos.workflowSteps.create(
                                definitionID: definition.id, position: 1, name: "x", kind: .delay,
                                config: "{hours: 1}")
                        }
                    ),
                    (
                        "config that is not an object", .checkViolation,
                        { repos in
                            _ = try await repos.workflowTriggers.create(
                                definitionID: definition.id, kind: .event, config: "[1, 2]")
                        }
                    ),
                    (
                        "a position taken", .uniqueViolation,
                        { repos in
                            _ = try await repos.workflowSteps.create(
                                definitionID: definition.id, position: 0, name: "y", kind: .script)
                        }
                    ),
                    (
                        "a name taken", .uniqueViolation,
                        { repos in
                            _ = try await repos.workflowDefinitions.create(name: "Beta")
                        }
                    ),
                    (
                        "a run that finishes before it starts", .checkViolation,
                        { repos in
                            _ = try await repos.workflowRuns.create(
                                definitionID: definition.id, status: .succeeded, startedAt: start,
                                finishedAt: start.addingTimeInterval(-1))
                        }
                    ),
                    (
                        "a succeeded run that never finished", .checkViolation,
                        { repos in
                            _ = try await repos.workflowRuns.create(
                                definitionID: definition.id, status: .succeeded, startedAt: start)
                        }
                    ),
                    (
                        "a queued run that started", .checkViolation,
                        { repos in
                            _ = try await repos.workflowRuns.create(
                                definitionID: definition.id, status: .queued, startedAt: start)
                        }
                    ),
                    (
                        "an error on a run that did not fail", .checkViolation,
                        { repos in
                            _ = try await repos.workflowRuns.create(
                                definitionID: definition.id, status: .cancelled, error: "why")
                        }
                    ),
                    (
                        "a step run counted twice", .uniqueViolation,
                        { repos in
                            _ = try await repos.workflowStepRuns.create(
                                runID: run.id, stepID: step.id)
                            _ = try await repos.workflowStepRuns.create(
                                runID: run.id, stepID: step.id)
                        }
                    ),
                    (
                        "a definition that has runs", .foreignKeyViolation,
                        { repos in
                            try await repos.workflowDefinitions.delete(definition.id)
                        }
                    ),
                    (
                        "a run of an unknown workflow", .foreignKeyViolation,
                        { repos in
                            _ = try await repos.workflowRuns.create(definitionID: UUID())
                        }
                    ),
                ]
            for (what, state, attempt) in attempts {
                #expect(await store.refusal(as: tenant.context, attempt) == state, "\(what)")
            }
            _ = other
            try await store.withTenant(tenant.context) { repos async throws in
                await #expect(throws: RepositoryError.self) {
                    try await repos.workflowStepRuns.create(runID: run.id, stepID: otherStep.id)
                }
                await #expect(throws: RepositoryError.self) {
                    try await repos.workflowStepRuns.create(runID: UUID(), stepID: step.id)
                }
                await #expect(throws: RepositoryError.self) {
                    try await repos.workflowRuns.failed(from: start, to: start, limit: 0)
                }
            }
        }
    }

    @Test(
        "workflows are the admins' to write; any user records runs and their steps; a viewer nothing"
    )
    func writersAreEnforced() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (definition, step, user, viewer) = try await store.withTenant(tenant.context) {
                repos in
                let definition = try await repos.workflowDefinitions.create(name: "Alpha")
                let step = try await repos.workflowSteps.create(
                    definitionID: definition.id, position: 0, name: "Call", kind: .http)
                let user = try await repos.users.create(
                    clerkID: "clerk_\(UUID())", email: "grace@acme.test")
                let viewer = try await repos.users.create(
                    clerkID: "clerk_\(UUID())", email: "vera@acme.test", role: .viewer)
                return (definition, step, user, viewer)
            }
            let asUser = TenantContext(
                userID: user.id, organizationID: tenant.context.organizationID)
            let asViewer = TenantContext(
                userID: viewer.id, organizationID: tenant.context.organizationID)
            #expect(
                await store.refusal(as: asUser) { repos in
                    _ = try await repos.workflowDefinitions.create(name: "Mine")
                } == .insufficientPrivilege)
            // Steps and triggers follow their workflow: a user may not add them either.
            #expect(
                await store.refusal(as: asUser) { repos in
                    _ = try await repos.workflowSteps.create(
                        definitionID: definition.id, position: 1, name: "Sneak", kind: .script)
                } == .insufficientPrivilege)
            #expect(
                await store.refusal(as: asUser) { repos in
                    _ = try await repos.workflowTriggers.create(
                        definitionID: definition.id, kind: .webhook)
                } == .insufficientPrivilege)
            try await store.withTenant(asUser) { repos in
                let run = try await repos.workflowRuns.create(
                    definitionID: definition.id, status: .running, startedAt: Self.start,
                    attemptCount: 1)
                _ = try await repos.workflowStepRuns.create(
                    runID: run.id, stepID: step.id, status: .running, startedAt: Self.start)
                // Not the user's to change: the row stays out of its reach.
                await #expect(
                    throws: RepositoryError.notFound(entity: "workflow_steps", id: step.id)
                ) {
                    try await repos.workflowSteps.update(step)
                }
            }
            #expect(
                await store.refusal(as: asViewer) { repos in
                    _ = try await repos.workflowRuns.create(definitionID: definition.id)
                } == .insufficientPrivilege)
        }
    }

    @Test("another organization's workflow cannot be run or referenced")
    func crossTenantIsImpossible() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let acme = try await TenantFixture.make(in: store)
            let globex = try await TenantFixture.make(in: store, name: "Globex")
            let (theirs, theirStep, theirRun) = try await store.withTenant(globex.context) {
                repos in
                let definition = try await repos.workflowDefinitions.create(name: "Globex flow")
                let step = try await repos.workflowSteps.create(
                    definitionID: definition.id, position: 0, name: "Call", kind: .http)
                let run = try await repos.workflowRuns.create(definitionID: definition.id)
                return (definition, step, run)
            }
            #expect(
                await store.refusal(as: acme.context) { repos in
                    _ = try await repos.workflowRuns.create(definitionID: theirs.id)
                } == .foreignKeyViolation)
            // A step follows its workflow: the policy finds no workflow of Acme's to write, before any key is checked.
            #expect(
                await store.refusal(as: acme.context) { repos in
                    _ = try await repos.workflowSteps.create(
                        definitionID: theirs.id, position: 5, name: "x", kind: .delay)
                } == .insufficientPrivilege)
            try await store.withTenant(acme.context) { repos async throws in
                await #expect(throws: RepositoryError.self) {
                    try await repos.workflowStepRuns.create(
                        runID: theirRun.id, stepID: theirStep.id)
                }
                await #expect(
                    throws: RepositoryError.notFound(entity: "workflow_definitions", id: theirs.id)
                ) {
                    try await repos.workflowDefinitions.get(theirs.id)
                }
                #expect(try await repos.workflowRuns.list().rows.isEmpty)
            }
        }
    }
}
