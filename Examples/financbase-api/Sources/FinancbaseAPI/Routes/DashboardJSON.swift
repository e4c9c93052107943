import Financbase
import FoundationEssentials
import Hummingbird
import PGClient

/// The tenant's dashboard: recent transactions, totals by type and category over the last twelve
/// months, invoices by status with aging, and expenses per category per month.
struct DashboardJSON: ResponseEncodable, Sendable {
    struct Recent: Encodable, Sendable {
        var id: UUID
        var transactionNumber: String
        var type: String
        var amount: PGNumeric
        var currency: String
        var category: String?
        var transactionDate: Date
    }
    struct Total: Encodable, Sendable {
        var type: String
        var category: String?
        var currency: String
        var count: Int64
        var total: PGNumeric
    }
    struct Aging: Encodable, Sendable {
        var status: String
        var bucket: String
        var currency: String
        var count: Int64
        var total: PGNumeric
        var outstanding: PGNumeric
    }
    struct MonthExpense: Encodable, Sendable {
        var month: String
        var category: String
        var currency: String
        var count: Int64
        var total: PGNumeric
    }

    /// The first day of the period (the first of the month eleven months ago).
    var from: String
    /// The day the figures are as of.
    var asOf: String
    var recentTransactions: [Recent]
    var totals: [Total]
    var invoiceAging: [Aging]
    var expensesByMonth: [MonthExpense]

    /// Reads the dashboard in one tenant unit, as of `today`.
    static func load(_ repos: TenantRepositories, today: PGDate) async throws -> DashboardJSON {
        let period = DashboardPeriod(today: today)
        let recent = try await repos.transactions.recent(limit: 10)
        let totals = try await repos.transactions.totals(from: period.fromDate, to: period.toDate)
        let aging = try await repos.invoices.byStatusWithAging(asOf: today)
        let expenses = try await repos.expenses.byCategoryPerMonth(from: period.from, to: period.to)
        return DashboardJSON(
            from: DayText.encode(period.from), asOf: DayText.encode(today),
            recentTransactions: recent.map {
                Recent(
                    id: $0.id, transactionNumber: $0.transactionNumber, type: $0.type.rawValue, amount: $0.amount,
                    currency: $0.currency, category: $0.category, transactionDate: $0.transactionDate)
            },
            totals: totals.map {
                Total(type: $0.type.rawValue, category: $0.category, currency: $0.currency, count: $0.count, total: $0.total)
            },
            invoiceAging: aging.map {
                Aging(
                    status: $0.status.rawValue, bucket: $0.bucket.rawValue, currency: $0.currency, count: $0.count,
                    total: $0.total, outstanding: $0.outstanding)
            },
            expensesByMonth: expenses.map {
                MonthExpense(
                    month: DayText.encode($0.month), category: $0.category, currency: $0.currency, count: $0.count,
                    total: $0.total)
            })
    }
}

/// The last twelve months, this one included: from the first of the month eleven months ago
/// to tomorrow (exclusive), as days and as instants.
struct DashboardPeriod: Equatable {
    var from: PGDate
    var to: PGDate

    init(today: PGDate) {
        let components = today.dateComponents ?? DateComponents(year: 2000, month: 1, day: 1)
        let year = components.year ?? 2000
        let month = components.month ?? 1
        let months = year * 12 + (month - 1) - 11
        from = PGDate(year: months / 12, month: months % 12 + 1, day: 1) ?? today
        to = PGDate(daysSince2000: today.daysSince2000 + 1)
    }

    var fromDate: Date { from.date ?? Date(timeIntervalSince1970: 0) }
    var toDate: Date { to.date ?? Date() }
}

extension APIRoutes {
    /// `GET /api/dashboard`.
    func addDashboardRoute(to api: RouterGroup<Context>) {
        api.get("dashboard") { request, context in
            try await gate.run(request, context) { repos in
                try await DashboardJSON.load(repos, today: Seeder.currentDay())
            }
        }
    }
}
