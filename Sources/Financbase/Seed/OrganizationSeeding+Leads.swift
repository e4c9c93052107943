import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A planned lead, with its history and follow-ups.
    struct PlannedLead {
        let name: String
        let company: String
        let source: LeadSource
        /// The campaign it came from (an index into the campaigns), for source `campaign`.
        let campaign: Int?
        let stage: LeadStage
        let captured: PGDate
        let valueCents: Int64
        /// The client it became (an index into the clients), once won.
        let client: Int?
        /// The owner.
        let owner: UUID
        var activities: [PlannedActivity]
        var tasks: [PlannedLeadTask]
    }

    /// Something done with a lead, by `author`.
    struct PlannedActivity {
        let author: UUID
        let kind: LeadActivityKind
        let at: Date
        let summary: String
    }

    /// A follow-up for its lead's owner.
    struct PlannedLeadTask {
        let title: String
        let due: PGDate
        var doneAt: Date?
    }

    /// `12 × scale` leads captured over the last six months, owned by the admin and the users in
    /// turn and written by each owner; older ones further down the funnel. Each gets a few
    /// activities (mostly by its owner, some by a colleague who covered a call or a meeting) and
    /// one or two follow-ups for its owner: closed leads' done, open ones' sometimes overdue.
    mutating func seedLeads(campaigns: [Campaign]) async throws {
        let people = SeedPeople(ids: userIDs)
        let owners = [admin.userID] + people.users
        let running = campaigns.indices.filter { campaigns[$0].status != .draft }
        var plans: [PlannedLead] = []
        for index in 0..<(12 * scale) {
            let first = random.element(of: SeedCatalog.firstNames)
            let last = random.element(of: SeedCatalog.lastNames)
            let company = SeedCatalog.leadCompanies[index % SeedCatalog.leadCompanies.count]
            var source = random.element(of: LeadSource.allCases)
            if source == .campaign, running.isEmpty { source = .website }
            let age = random.int(in: 0...180)
            let stage = Self.leadStage(age: age, roll: random.int(in: 0...99))
            let captured = day(-age)
            let owner = owners[index % owners.count]
            var plan = PlannedLead(
                name: "\(first) \(last)", company: company, source: source,
                campaign: source == .campaign ? running[random.int(in: 0...(running.count - 1))] : nil,
                stage: stage, captured: captured, valueCents: Int64(random.int(in: 4...160)) * 250_00,
                client: stage == .won ? random.int(in: 0...(clients.count - 1)) : nil, owner: owner,
                activities: [], tasks: [])
            for _ in 0..<random.int(in: 1...4) {
                let kind = random.element(of: LeadActivityKind.allCases)
                let summaries = SeedCatalog.activitySummaries[kind] ?? ["Spoke with them"]
                plan.activities.append(
                    PlannedActivity(
                        author: random.chance(80) ? owner : random.element(of: owners), kind: kind,
                        at: Self.instant(day(-random.int(in: 0...age)), hour: random.int(in: 8...17),
                            minute: 15 * random.int(in: 0...3)),
                        summary: random.element(of: summaries)))
            }
            for _ in 0..<random.int(in: 1...2) {
                let due = PGDate(daysSince2000: captured.daysSince2000 + Int32(random.int(in: 3...30)))
                let closed = stage == .won || stage == .lost
                let done = due.daysSince2000 < today.daysSince2000 && (closed || random.chance(70))
                let doneDay = PGDate(daysSince2000: max(captured.daysSince2000, due.daysSince2000 - Int32(random.int(in: 0...2))))
                plan.tasks.append(
                    PlannedLeadTask(
                        title: random.element(of: SeedCatalog.leadTaskTitles), due: due,
                        doneAt: done ? Self.instant(doneDay, hour: random.int(in: 9...17)) : nil))
            }
            plans.append(plan)
        }
        Self.makeOneOverdue(&plans, today: today)
        let leads = try await createLeads(plans, campaigns: campaigns)
        try await createLeadHistory(plans, leads: leads)
        report("leads", plans.count)
        report("lead_activities", plans.map(\.activities.count).reduce(0, +))
        report("lead_tasks", plans.map(\.tasks.count).reduce(0, +))
    }

    /// The stage of a lead captured `age` days ago: young leads are new or being worked, older
    /// ones mostly won or lost; `roll` (0...99) picks within those odds.
    static func leadStage(age: Int, roll: Int) -> LeadStage {
        let odds: [(LeadStage, Int)] =
            age < 14
            ? [(.new, 50), (.contacted, 35), (.qualified, 15)]
            : age < 60
                ? [(.contacted, 20), (.qualified, 25), (.proposal, 25), (.won, 15), (.lost, 15)]
                : [(.qualified, 5), (.proposal, 10), (.won, 40), (.lost, 45)]
        var left = roll
        for (stage, percent) in odds {
            if left < percent { return stage }
            left -= percent
        }
        return odds[odds.count - 1].0
    }

    /// Makes sure the overdue list shows something: when no open follow-up is past due, the
    /// first open lead's first one was due yesterday and is not done. Draws nothing.
    static func makeOneOverdue(_ plans: inout [PlannedLead], today: PGDate) {
        let overdue = plans.contains { plan in
            plan.tasks.contains { $0.doneAt == nil && $0.due.daysSince2000 < today.daysSince2000 }
        }
        guard !overdue,
            let index = plans.firstIndex(where: { $0.stage != .won && $0.stage != .lost && !$0.tasks.isEmpty })
        else { return }
        let yesterday = PGDate(daysSince2000: today.daysSince2000 - 1)
        plans[index].tasks[0] = PlannedLeadTask(title: plans[index].tasks[0].title, due: yesterday, doneAt: nil)
    }

    /// Creates the leads, each owner's in a unit of work acting as that owner (only an owner or
    /// an admin writes a lead); returns them in the order planned.
    private func createLeads(_ plans: [PlannedLead], campaigns: [Campaign]) async throws -> [Lead] {
        let (clients, currency, domain) = (self.clients, currency, "example")
        var created: [Int: Lead] = [:]
        var owners: [UUID] = []
        for plan in plans where !owners.contains(plan.owner) { owners.append(plan.owner) }
        for owner in owners {
            let context = TenantContext(userID: owner, organizationID: admin.organizationID)
            let mine = plans.enumerated().filter { $0.element.owner == owner }
            let made = try await store.withTenant(context) { repos in
                var made: [(Int, Lead)] = []
                for (index, plan) in mine {
                    let email = plan.name.lowercased().split(separator: " ").joined(separator: ".")
                        + "@\(Self.slug(plan.company)).\(domain)"
                    made.append(
                        (
                            index,
                            try await repos.leads.create(
                                name: plan.name, source: plan.source, email: email, company: plan.company,
                                campaignID: plan.campaign.map { campaigns[$0].id }, stage: plan.stage,
                                capturedOn: plan.captured, estimatedValue: Self.money(plan.valueCents),
                                currency: currency, convertedClientID: plan.client.map { clients[$0].id })
                        ))
                }
                return made
            }
            for (index, lead) in made { created[index] = lead }
        }
        return plans.indices.compactMap { created[$0] }
    }

    /// Logs the activities, each author's in a unit of work acting as that author, and creates
    /// the follow-ups, each assignee's as that assignee.
    private func createLeadHistory(_ plans: [PlannedLead], leads: [Lead]) async throws {
        var actors: [UUID] = []
        for plan in plans {
            for author in plan.activities.map(\.author) + [plan.owner] where !actors.contains(author) {
                actors.append(author)
            }
        }
        for actor in actors {
            let context = TenantContext(userID: actor, organizationID: admin.organizationID)
            try await store.withTenant(context) { repos in
                for (plan, lead) in zip(plans, leads) {
                    for activity in plan.activities where activity.author == actor {
                        _ = try await repos.leadActivities.create(
                            leadID: lead.id, kind: activity.kind, occurredAt: activity.at, summary: activity.summary)
                    }
                    guard plan.owner == actor else { continue }
                    for task in plan.tasks {
                        let made = try await repos.leadTasks.create(leadID: lead.id, title: task.title, dueDate: task.due)
                        if let doneAt = task.doneAt {
                            _ = try await repos.leadTasks.complete(made.id, at: doneAt)
                        }
                    }
                }
            }
        }
    }
}
