import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A planned step of a run: step `step` of its workflow.
    struct PlannedStepRun {
        let step: Int
        let status: WorkflowStepRunStatus
        let attempts: Int
        let error: String?
        let started: Date?
        let finished: Date?
    }

    /// A planned run of workflow `definition`, started by its trigger `trigger` and recorded by
    /// user `runner` (an index into the organization's users).
    struct PlannedRun {
        let definition: Int
        let trigger: Int
        let runner: Int
        var status: WorkflowRunStatus
        let started: Date?
        var finished: Date?
        var error: String?
        var attempts: Int
        var steps: [PlannedStepRun]
    }

    /// The catalog's workflows with their steps and triggers (the admin's to write), and
    /// `8 × scale` to `8 × scale + 6` runs of each active one over the last 45 days, recorded
    /// with their step runs by the admin (scheduled, event and web-hook runs) or by a user (runs
    /// started by hand): most succeed, some fail at a step (the steps after it skipped), a few
    /// are cancelled; one is running and one queued as of today.
    mutating func seedWorkflows() async throws {
        var runs: [PlannedRun] = []
        for (index, template) in SeedCatalog.workflows.enumerated() where template.isActive {
            for _ in 0..<(8 * scale + random.int(in: 0...6)) {
                runs.append(planRun(of: index, template))
            }
        }
        runs.sort { ($0.started ?? .distantFuture) < ($1.started ?? .distantFuture) }
        Self.ensureFailure(&runs)
        planRunsInProgress(&runs)
        let ids = try await writeWorkflows()
        try await writeRuns(runs, ids: ids)
        let templates = SeedCatalog.workflows
        report("workflow_definitions", templates.count)
        report("workflow_steps", templates.reduce(0) { $0 + $1.steps.count })
        report("workflow_triggers", templates.reduce(0) { $0 + $1.triggers.count })
        report("workflow_runs", runs.count)
        report("workflow_step_runs", runs.reduce(0) { $0 + $1.steps.count })
    }

    /// How long a step of `kind` takes, in milliseconds.
    private mutating func duration(of kind: WorkflowStepKind) -> Int {
        switch kind {
        case .condition: random.int(in: 20...400)
        case .email: random.int(in: 600...4_000)
        case .http: random.int(in: 150...9_000)
        case .script: random.int(in: 4_000...45_000)
        case .delay: 86_400_000 + random.int(in: 0...2_000)
        }
    }

    /// A finished run of workflow `index`: its steps one after the other from a moment of the
    /// last 45 days.
    private mutating func planRun(of index: Int, _ template: SeedCatalog.WorkflowTemplate)
        -> PlannedRun
    {
        let trigger = random.int(in: 0...(template.triggers.count - 1))
        let manual = template.triggers[trigger].kind == .manual
        let users = Array((SeedPeople.inactiveIndex + 1)..<userIDs.count)
        let runner = manual ? random.element(of: users) : 0
        let started = Self.instant(
            day(-random.int(in: 1...45)), hour: random.int(in: 6...20),
            minute: random.int(in: 0...59)
        )
        .addingTimeInterval(TimeInterval(random.int(in: 0...59)))
        let roll = random.int(in: 0...99)
        let failing = roll >= 85 && roll < 95 ? random.int(in: 0...(template.steps.count - 1)) : nil
        let cancelledAfter = roll >= 95 ? random.int(in: 0...(template.steps.count - 1)) : nil
        var run = PlannedRun(
            definition: index, trigger: trigger, runner: runner, status: .succeeded,
            started: started,
            finished: nil, error: nil, attempts: 1, steps: [])
        var clock = started
        for (position, step) in template.steps.enumerated() {
            if let failing, position > failing {
                run.steps.append(
                    PlannedStepRun(
                        step: position, status: .skipped, attempts: 0, error: nil, started: nil,
                        finished: nil))
                continue
            }
            if let cancelledAfter, position >= cancelledAfter {
                run.steps.append(
                    PlannedStepRun(
                        step: position, status: .skipped, attempts: 0, error: nil, started: nil,
                        finished: nil))
                continue
            }
            let attempts = step.kind == .http && random.chance(20) ? 2 : 1
            let begin = clock
            clock = clock.addingTimeInterval(
                TimeInterval(duration(of: step.kind) * attempts) / 1_000)
            let failed = position == failing
            run.steps.append(
                PlannedStepRun(
                    step: position, status: failed ? .failed : .succeeded,
                    attempts: failed ? 3 : attempts,
                    error: failed ? step.error : nil, started: begin, finished: clock))
            if failed {
                run.status = .failed
                run.error = "step \"\(step.name)\" failed: \(step.error)"
                run.attempts = random.int(in: 1...3)
            }
        }
        if cancelledAfter != nil {
            run.status = .cancelled
            clock = clock.addingTimeInterval(TimeInterval(random.int(in: 1...120)))
        }
        run.finished = clock
        return run
    }

    /// Makes sure a run failed, whatever the draws: when none did, the last step of the latest
    /// run that ran all its steps fails. Draws nothing.
    static func ensureFailure(_ runs: inout [PlannedRun]) {
        guard !runs.contains(where: { $0.status == .failed }),
            let index = runs.lastIndex(where: { $0.status == .succeeded && !$0.steps.isEmpty }),
            let last = runs[index].steps.last
        else { return }
        let step = SeedCatalog.workflows[runs[index].definition].steps[last.step]
        runs[index].steps[runs[index].steps.count - 1] = PlannedStepRun(
            step: last.step, status: .failed, attempts: 3, error: step.error, started: last.started,
            finished: last.finished)
        runs[index].status = .failed
        runs[index].error = "step \"\(step.name)\" failed: \(step.error)"
    }

    /// As of today, the latest run of the first workflow is still at its second step (the
    /// first done) and one more run of the second waits in the queue.
    private mutating func planRunsInProgress(_ runs: inout [PlannedRun]) {
        let active = SeedCatalog.workflows.indices.filter { SeedCatalog.workflows[$0].isActive }
        guard active.count >= 2 else { return }
        let template = SeedCatalog.workflows[active[0]]
        let started = Self.instant(today, hour: 7, minute: random.int(in: 0...59))
        let firstDone = started.addingTimeInterval(
            TimeInterval(duration(of: template.steps[0].kind)) / 1_000)
        var steps = [
            PlannedStepRun(
                step: 0, status: .succeeded, attempts: 1, error: nil, started: started,
                finished: firstDone),
            PlannedStepRun(
                step: 1, status: .running, attempts: 1, error: nil, started: firstDone,
                finished: nil),
        ]
        for position in 2..<max(2, template.steps.count) {
            steps.append(
                PlannedStepRun(
                    step: position, status: .pending, attempts: 0, error: nil, started: nil,
                    finished: nil))
        }
        runs.append(
            PlannedRun(
                definition: active[0], trigger: 0, runner: 0, status: .running, started: started,
                finished: nil,
                error: nil, attempts: 1, steps: steps))
        runs.append(
            PlannedRun(
                definition: active[1], trigger: 0, runner: 0, status: .queued, started: nil,
                finished: nil,
                error: nil, attempts: 0, steps: []))
    }

    /// The workflows, their steps and triggers, as the admin. Returns their ids: per workflow,
    /// its own, its steps' and its triggers'.
    private func writeWorkflows() async throws -> [(
        definition: UUID, steps: [UUID], triggers: [UUID]
    )] {
        try await store.withTenant(admin) { repos in
            var ids: [(definition: UUID, steps: [UUID], triggers: [UUID])] = []
            for (index, template) in SeedCatalog.workflows.enumerated() {
                // Some were revised since they were first defined.
                let definition = try await repos.workflowDefinitions.create(
                    name: template.name, description: template.description,
                    isActive: template.isActive,
                    version: Int32(index % 3 + 1))
                var steps: [UUID] = []
                for (position, step) in template.steps.enumerated() {
                    steps.append(
                        try await repos.workflowSteps.create(
                            definitionID: definition.id, position: Int32(position), name: step.name,
                            kind: step.kind,
                            config: step.config
                        ).id)
                }
                var triggers: [UUID] = []
                for trigger in template.triggers {
                    triggers.append(
                        try await repos.workflowTriggers.create(
                            definitionID: definition.id, kind: trigger.kind, config: trigger.config,
                            isEnabled: template.isActive
                        ).id)
                }
                ids.append((definition.id, steps, triggers))
            }
            return ids
        }
    }

    /// Each run with its step runs, in a unit of work acting as its runner.
    private func writeRuns(
        _ runs: [PlannedRun], ids: [(definition: UUID, steps: [UUID], triggers: [UUID])]
    )
        async throws
    {
        for runner in Set(runs.map(\.runner)).sorted() {
            let context = TenantContext(
                userID: userIDs[runner], organizationID: admin.organizationID)
            let recorded = runs.filter { $0.runner == runner }
            try await store.withTenant(context) { repos in
                for run in recorded {
                    let workflow = ids[run.definition]
                    let created = try await repos.workflowRuns.create(
                        definitionID: workflow.definition,
                        triggerID: workflow.triggers[run.trigger],
                        status: run.status, startedAt: run.started, finishedAt: run.finished,
                        error: run.error,
                        attemptCount: Int32(run.attempts))
                    for step in run.steps {
                        _ = try await repos.workflowStepRuns.create(
                            runID: created.id, stepID: workflow.steps[step.step],
                            status: step.status,
                            attempts: Int32(step.attempts), error: step.error,
                            startedAt: step.started,
                            finishedAt: step.finished)
                    }
                }
            }
        }
    }
}
