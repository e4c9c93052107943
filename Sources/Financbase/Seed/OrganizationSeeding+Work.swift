import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A checking account, a savings account and a company card; Stripe and bank transfers
    /// settle into checking, the card method draws on the card.
    mutating func seedAccountsAndPaymentMethods() async throws {
        let checkingOpening = Int64(random.int(in: 20...80)) * 1_000_00
        let savingsOpening = Int64(random.int(in: 50...150)) * 1_000_00
        let lastFours = (0..<3).map { _ in String(random.int(in: 1_000...9_999)) }
        let bank = organization.currency == "EUR" ? "Deutsche Bank" : "First Republic"
        let currency = self.currency
        let (accounts, methods) = try await store.withTenant(admin) { repos in
            let checking = try await repos.accounts.create(
                name: "Operating account", type: .checking, currency: currency,
                openingBalance: Self.money(checkingOpening), bankName: bank, lastFour: lastFours[0],
                isPrimary: true)
            let savings = try await repos.accounts.create(
                name: "Tax reserve", type: .savings, currency: currency,
                openingBalance: Self.money(savingsOpening),
                bankName: bank, lastFour: lastFours[1])
            let card = try await repos.accounts.create(
                name: "Company card", type: .creditCard, currency: currency, bankName: bank,
                lastFour: lastFours[2],
                creditLimit: Self.money(25_000_00))
            let stripe = try await repos.paymentMethods.create(
                name: "Stripe", type: .stripe, accountID: checking.id,
                description: "Card payments from clients",
                processingFeeRate: PGNumeric(Decimal(sign: .plus, exponent: -3, significand: 29)),
                fixedFee: Self.money(30), currency: currency, isDefault: true)
            let transfer = try await repos.paymentMethods.create(
                name: "Bank transfer", type: .bankTransfer, accountID: checking.id,
                currency: currency)
            let cardMethod = try await repos.paymentMethods.create(
                name: "Company card", type: .card, accountID: card.id, currency: currency)
            return (
                SeedAccounts(
                    checking: checking.id, savings: savings.id, card: card.id,
                    checkingOpeningCents: checkingOpening,
                    savingsOpeningCents: savingsOpening),
                SeedPaymentMethods(
                    stripe: stripe.id, bankTransfer: transfer.id, card: cardMethod.id)
            )
        }
        self.accounts = accounts
        self.methods = methods
        report("accounts", 3)
        report("payment_methods", 3)
    }

    /// `8 × scale` clients, each with 14, 30 or 45 days to pay.
    mutating func seedClients() async throws {
        let count = 8 * scale
        let offset = random.int(in: 0...(SeedCatalog.clientCompanies.count - 1))
        var plans: [(name: String, email: String, terms: Int, city: String)] = []
        for index in 0..<count {
            let company = SeedCatalog.clientCompanies[
                (offset + index) % SeedCatalog.clientCompanies.count]
            let round = index / SeedCatalog.clientCompanies.count
            let name = round == 0 ? company : "\(company) \(round + 1)"
            plans.append(
                (
                    name, "accounts@\(Self.slug(name)).example",
                    random.element(of: [14, 30, 30, 45]),
                    random.element(of: SeedCatalog.cities)
                ))
        }
        let currency = self.currency
        let country = organization.currency == "EUR" ? "DE" : "US"
        clients = try await store.withTenant(admin) { repos in
            var created: [SeedClient] = []
            for plan in plans {
                var client = try await repos.clients.create(
                    name: plan.name, email: plan.email, company: plan.name, currency: currency,
                    paymentTermsDays: Int32(plan.terms), country: country)
                client.city = plan.city
                client = try await repos.clients.update(client)
                created.append(SeedClient(id: client.id, name: client.name, termsDays: plan.terms))
            }
            return created
        }
        report("clients", clients.count)
    }

    /// A planned task.
    struct PlannedTask {
        let title: String
        let status: TaskStatus
        var assignee: Int
        let due: PGDate
        let hours: Int64
    }

    /// Planned time: `quarterHours` × 15 minutes from `hour`:00 on `day`, by user `worker`.
    struct PlannedTime {
        let project: Int
        let day: PGDate
        let hour: Int
        let quarterHours: Int64
        var worker: Int
        let status: TimeEntryStatus
    }

    /// A planned project.
    struct PlannedProject {
        let name: String
        let client: Int
        let status: ProjectStatus
        let priority: Priority
        let start: PGDate
        let due: PGDate
        let budgetCents: Int64
        let rateCents: Int64
        var tasks: [PlannedTask]
    }

    /// `5 × scale` projects for the clients, 4 tasks each and, once started, a few weeks of time
    /// logged on them.
    mutating func seedProjects() async throws {
        var plans: [PlannedProject] = []
        var time: [PlannedTime] = []
        let titles = SeedCatalog.taskTitles
        for index in 0..<(5 * scale) {
            let status = random.element(of: [
                ProjectStatus.active, .active, .active, .completed, .planning, .onHold,
            ])
            let start = day(-random.int(in: 20...200))
            let firstTitle = random.int(in: 0...(titles.count - 1))
            let tasks = (0..<4).map { step in
                PlannedTask(
                    title: titles[(firstTitle + step) % titles.count],
                    status: status == .completed
                        ? .completed : random.element(of: [.pending, .inProgress, .completed]),
                    assignee: random.int(in: 0...(userIDs.count - 1)),
                    due: PGDate(daysSince2000: start.daysSince2000 + Int32(random.int(in: 7...60))),
                    hours: Int64(random.int(in: 2...24)))
            }
            if status != .planning {
                for _ in 0..<random.int(in: 6...12) {
                    time.append(
                        PlannedTime(
                            project: index, day: day(-random.int(in: 1...90)),
                            hour: random.int(in: 8...13),
                            quarterHours: Int64(random.int(in: 4...32)),
                            worker: random.int(in: 0...(userIDs.count - 1)),
                            status: random.element(of: [.completed, .approved, .billed])))
                }
            }
            plans.append(
                PlannedProject(
                    name: "\(random.element(of: SeedCatalog.projectKinds)) \(index + 1)",
                    client: random.int(in: 0...(clients.count - 1)), status: status,
                    priority: random.element(of: Priority.allCases), start: start,
                    due: PGDate(
                        daysSince2000: start.daysSince2000 + Int32(random.int(in: 30...150))),
                    budgetCents: Int64(random.int(in: 8...80)) * 1_000_00,
                    rateCents: Int64(random.int(in: 9...16)) * 10_00, tasks: tasks))
        }
        Self.giveContractorWork(plans: &plans, time: &time)
        let (clients, users, currency) = (self.clients, userIDs, currency)
        projects = try await store.withTenant(admin) { repos in
            var projects: [Project] = []
            for plan in plans {
                let project = try await repos.projects.create(
                    name: plan.name, clientID: clients[plan.client].id, status: plan.status,
                    priority: plan.priority,
                    startDate: plan.start, dueDate: plan.due, budget: Self.money(plan.budgetCents),
                    hourlyRate: Self.money(plan.rateCents), currency: currency)
                projects.append(project)
                for task in plan.tasks {
                    _ = try await repos.tasks.create(
                        projectID: project.id, title: task.title, assigneeID: users[task.assignee],
                        status: task.status,
                        dueDate: task.due, estimatedHours: PGNumeric(task.hours))
                }
            }
            return projects
        }
        report("projects", plans.count)
        report("tasks", plans.count * 4)
        try await seedTime(time, plans: plans)
        report("time_entries", time.count)
    }

    /// The contractor logs time (at least one entry) only on projects where a task is assigned
    /// to it, as its access rules require: each project it worked on gets it as the first task's
    /// assignee. Draws nothing from the generator.
    static func giveContractorWork(plans: inout [PlannedProject], time: inout [PlannedTime]) {
        let contractor = SeedPeople.contractorIndex
        if !time.contains(where: { $0.worker == contractor }), !time.isEmpty {
            time[0].worker = contractor
        }
        for project in Set(time.filter { $0.worker == contractor }.map(\.project))
        where !plans[project].tasks.isEmpty {
            plans[project].tasks[0].assignee = contractor
        }
    }

    /// Logs `time`, each worker's in a unit of work acting as that worker, as the application
    /// would.
    private func seedTime(_ time: [PlannedTime], plans: [PlannedProject]) async throws {
        let (projects, currency) = (self.projects, currency)
        for worker in Set(time.map(\.worker)).sorted() {
            let context = TenantContext(
                userID: userIDs[worker], organizationID: admin.organizationID)
            let entries = time.filter { $0.worker == worker }
            try await store.withTenant(context) { repos in
                for entry in entries {
                    let project = projects[entry.project]
                    let rateCents = plans[entry.project].rateCents
                    let start = Self.instant(entry.day, hour: entry.hour)
                    _ = try await repos.timeEntries.create(
                        projectID: project.id, description: "Work on \(project.name)",
                        startedAt: start,
                        endedAt: start.addingTimeInterval(TimeInterval(entry.quarterHours * 900)),
                        durationHours: Self.money(entry.quarterHours * 25), status: entry.status,
                        hourlyRate: Self.money(rateCents),
                        amount: Self.money(entry.quarterHours * rateCents / 4),
                        currency: currency)
                }
            }
        }
    }
}
