import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Leads repositories: leads, activities, follow-ups")
struct LeadRepositoryTests {
    @Test("a lead round-trips, is won into a client, pages, and takes its activities and follow-ups when deleted")
    func roundTrips() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                let campaign = try await repos.campaigns.create(
                    name: "Webinar", channel: .linkedin, budget: 500, startDate: try date(2025, 1, 1))
                var lead = try await repos.leads.create(
                    name: "Maya Patel", source: .campaign, email: "maya@copperleaf.example", company: "Copperleaf",
                    campaignID: campaign.id, capturedOn: try date(2025, 2, 3), estimatedValue: try numeric("12500.00"))
                #expect(lead.userID == tenant.context.userID && lead.stage == .new)
                #expect(lead.capturedOn == (try date(2025, 2, 3)) && lead.convertedClientID == nil)
                #expect(try await repos.leads.get(lead.id) == lead)
                let today = try await repos.leads.create(name: "Walk-in", source: .event)
                #expect(today.email == nil && today.estimatedValue.isZero && today.currency == "USD")

                lead.stage = .won
                lead.convertedClientID = tenant.clientID
                lead.notes = "Signed for the redesign"
                let won = try await repos.leads.update(lead)
                #expect(won.stage == .won && won.convertedClientID == tenant.clientID)

                let call = try await repos.leadActivities.create(
                    leadID: lead.id, kind: .call, occurredAt: Date(timeIntervalSince1970: 1_738_000_000),
                    summary: "Intro call")
                var meeting = try await repos.leadActivities.create(
                    leadID: lead.id, kind: .meeting, occurredAt: Date(timeIntervalSince1970: 1_738_500_000),
                    summary: "Workshop")
                #expect(call.userID == tenant.context.userID)
                meeting.summary = "Workshop at their office"
                meeting.kind = .note
                #expect(try await repos.leadActivities.update(meeting).summary == "Workshop at their office")
                #expect(try await repos.leadActivities.forLead(lead.id).map(\.id) == [meeting.id, call.id])
                #expect(try await repos.leadActivities.get(call.id) == call)

                let task = try await repos.leadTasks.create(leadID: lead.id, title: "Send contract", dueDate: try date(2025, 2, 10))
                #expect(task.userID == tenant.context.userID && !task.done && task.doneAt == nil)
                let doneAt = Date(timeIntervalSince1970: 1_739_000_000)
                let done = try await repos.leadTasks.complete(task.id, at: doneAt)
                #expect(done.done && done.doneAt == doneAt)
                var later = try await repos.leadTasks.create(leadID: lead.id, title: "Check in", dueDate: try date(2025, 3, 1))
                later.dueDate = try date(2025, 3, 2)
                #expect(try await repos.leadTasks.update(later).dueDate == (try date(2025, 3, 2)))
                #expect(try await repos.leadTasks.forLead(lead.id).map(\.id) == [task.id, later.id])

                let first = try await repos.leads.list(limit: 1)
                let cursor = try #require(first.next)
                let second = try await repos.leads.list(after: cursor, limit: 1)
                #expect(Set((first.rows + second.rows).map(\.id)) == [lead.id, today.id] && second.next == nil)
                #expect(try await repos.leadActivities.list().rows.count == 2)
                #expect(try await repos.leadTasks.list(limit: 1).next != nil)

                try await repos.leads.delete(lead.id)
                await #expect(throws: RepositoryError.notFound(entity: "lead_activities", id: call.id)) {
                    try await repos.leadActivities.get(call.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "lead_tasks", id: task.id)) {
                    try await repos.leadTasks.delete(task.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "leads", id: lead.id)) {
                    try await repos.leads.get(lead.id)
                }
            }
        }
    }

    @Test("bad values are the database's to refuse, with their SQLSTATE")
    func constraints() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (campaignID, leadID) = try await store.withTenant(tenant.context) { repos in
                (
                    try await repos.campaigns.create(name: "C", channel: .email, budget: 1, startDate: try date(2025, 1, 1)).id,
                    try await repos.leads.create(name: "Open lead", source: .website).id
                )
            }
            let attempts: [(String, @Sendable (TenantRepositories) async throws -> Void)] = [
                ("a converted client on a lead not won", { repos in
                    _ = try await repos.leads.create(
                        name: "Too early", source: .referral, stage: .proposal, convertedClientID: tenant.clientID)
                }),
                ("a campaign on a lead that came from a referral", { repos in
                    _ = try await repos.leads.create(name: "Mixed", source: .referral, campaignID: campaignID)
                }),
                ("an e-mail without a local part", { repos in
                    _ = try await repos.leads.create(name: "Nobody", source: .website, email: "@example.test")
                }),
                ("a negative value", { repos in
                    _ = try await repos.leads.create(name: "Owes us", source: .website, estimatedValue: try numeric("-1.00"))
                }),
                ("an empty summary", { repos in
                    _ = try await repos.leadActivities.create(leadID: leadID, kind: .note, occurredAt: Date(), summary: " ")
                }),
                ("done without a time", { repos in
                    var task = try await repos.leadTasks.create(leadID: leadID, title: "Call", dueDate: try date(2025, 1, 2))
                    task.done = true
                    _ = try await repos.leadTasks.update(task)
                }),
            ]
            for (name, attempt) in attempts {
                let error = await #expect(throws: PGError.self, "\(name)") {
                    try await store.withTenant(tenant.context) { repos in try await attempt(repos) }
                }
                #expect(error?.sqlState == .checkViolation, "\(name): \(String(describing: error))")
            }
            let missing = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.leadTasks.create(leadID: UUID(), title: "Ghost", dueDate: try date(2025, 1, 2))
                }
            }
            #expect(missing?.sqlState == .foreignKeyViolation)
            await #expect(throws: RepositoryError.invalidArgument(reason: "limit 0 is outside 1...1000")) {
                try await store.withTenant(tenant.context) { repos in try await repos.leadTasks.overdue(asOf: try date(2025, 1, 1), limit: 0) }
            }
        }
    }

    @Test("another organization's lead, campaign, client or user cannot be referenced, read or changed")
    func crossTenant() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let acme = try await TenantFixture.make(in: store)
            let globex = try await TenantFixture.make(in: store, name: "Globex")
            let (campaign, lead) = try await store.withTenant(globex.context) { repos in
                (
                    try await repos.campaigns.create(name: "Globex", channel: .meta, budget: 1, startDate: try date(2025, 1, 1)),
                    try await repos.leads.create(name: "Globex lead", source: .website)
                )
            }
            let attempts: [(String, @Sendable (TenantRepositories) async throws -> Void)] = [
                ("a lead from Globex's campaign", { repos in
                    _ = try await repos.leads.create(name: "Stolen", source: .campaign, campaignID: campaign.id)
                }),
                ("a lead won into Globex's client", { repos in
                    _ = try await repos.leads.create(name: "Stolen", source: .website, stage: .won, convertedClientID: globex.clientID)
                }),
                ("a lead owned by Globex's admin", { repos in
                    _ = try await repos.leads.create(name: "Stolen", source: .website, ownerID: globex.context.userID)
                }),
                ("an activity on Globex's lead", { repos in
                    _ = try await repos.leadActivities.create(leadID: lead.id, kind: .call, occurredAt: Date(), summary: "Hi")
                }),
                ("a follow-up on Globex's lead", { repos in
                    _ = try await repos.leadTasks.create(leadID: lead.id, title: "Steal", dueDate: try date(2025, 1, 2))
                }),
            ]
            for (name, attempt) in attempts {
                let error = await #expect(throws: PGError.self, "\(name)") {
                    try await store.withTenant(acme.context) { repos in try await attempt(repos) }
                }
                #expect(error?.sqlState == .foreignKeyViolation, "\(name): \(String(describing: error))")
            }
            try await store.withTenant(acme.context) { repos async throws in
                await #expect(throws: RepositoryError.notFound(entity: "leads", id: lead.id)) {
                    try await repos.leads.get(lead.id)
                }
                #expect(try await repos.leadActivities.forLead(lead.id).isEmpty)
            }
        }
    }

    @Test("the owner rule: a user works its own leads and follow-ups, logs activity on any lead, reassigns nothing; an admin reassigns")
    func ownerRule() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let organization = tenant.context.organizationID
            let (member, colleague) = try await store.withTenant(tenant.context) { repos in
                (
                    try await repos.users.create(clerkID: "clerk_\(UUID())", email: "grace@acme.test").id,
                    try await repos.users.create(clerkID: "clerk_\(UUID())", email: "alan@acme.test").id
                )
            }
            let (memberContext, colleagueContext) = (
                TenantContext(userID: member, organizationID: organization),
                TenantContext(userID: colleague, organizationID: organization)
            )
            let (colleaguesLead, colleaguesTask) = try await store.withTenant(colleagueContext) { repos in
                let lead = try await repos.leads.create(name: "Colleague's lead", source: .referral)
                return (lead, try await repos.leadTasks.create(leadID: lead.id, title: "Call", dueDate: try date(2025, 1, 2)))
            }
            try await store.withTenant(memberContext) { repos in
                // Reads every lead; logs its own call on a colleague's lead.
                #expect(try await repos.leads.get(colleaguesLead.id) == colleaguesLead)
                let note = try await repos.leadActivities.create(
                    leadID: colleaguesLead.id, kind: .call, occurredAt: Date(), summary: "Covered the call")
                #expect(note.userID == member)
                // A colleague's lead and follow-up are out of reach: nothing changes.
                var moved = colleaguesLead
                moved.stage = .lost
                await #expect(throws: RepositoryError.notFound(entity: "leads", id: colleaguesLead.id)) {
                    try await repos.leads.update(moved)
                }
                await #expect(throws: RepositoryError.notFound(entity: "lead_tasks", id: colleaguesTask.id)) {
                    try await repos.leadTasks.complete(colleaguesTask.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "leads", id: colleaguesLead.id)) {
                    try await repos.leads.delete(colleaguesLead.id)
                }
            }
            // Handing its own lead to the colleague, or assigning the colleague a follow-up: 42501.
            for attempt in ["lead", "task"] {
                let error = await #expect(throws: PGError.self, "\(attempt)") {
                    try await store.withTenant(memberContext) { repos in
                        var own = try await repos.leads.create(name: "Own lead", source: .website)
                        if attempt == "lead" {
                            own.userID = colleague
                            _ = try await repos.leads.update(own)
                        } else {
                            _ = try await repos.leadTasks.create(
                                leadID: own.id, title: "Yours", dueDate: try date(2025, 1, 2), assigneeID: colleague)
                        }
                    }
                }
                #expect(error?.sqlState == .insufficientPrivilege, "\(attempt): \(String(describing: error))")
            }
            // The colleague's activity log still holds the member's call, unchanged by the colleague.
            try await store.withTenant(colleagueContext) { repos in
                let log = try await repos.leadActivities.forLead(colleaguesLead.id)
                #expect(log.map(\.userID) == [member])
                var rewritten = try #require(log.first)
                rewritten.summary = "Never happened"
                await #expect(throws: RepositoryError.notFound(entity: "lead_activities", id: rewritten.id)) {
                    try await repos.leadActivities.update(rewritten)
                }
            }
            // The admin reassigns the colleague's lead and follow-up to the member.
            try await store.withTenant(tenant.context) { repos in
                var lead = try await repos.leads.get(colleaguesLead.id)
                lead.userID = member
                #expect(try await repos.leads.update(lead).userID == member)
                var task = try await repos.leadTasks.get(colleaguesTask.id)
                task.userID = member
                #expect(try await repos.leadTasks.update(task).userID == member)
            }
            let done = try await store.withTenant(memberContext) { repos in
                try await repos.leadTasks.complete(colleaguesTask.id, at: Date(timeIntervalSince1970: 1_740_000_000))
            }
            #expect(done.done)
        }
    }
}
