import Financbase
import Foundation
import PGWire

/// The dashboard one tenant sees, read through its repositories in one unit of work: recent
/// transactions, a year's totals by type and category, invoice aging, and expenses by
/// category per month.
struct TenantDashboard {
    let recent: [TransactionFeedItem]
    let totals: [TransactionTotal]
    let aging: [InvoiceAging]
    let expenses: [ExpenseMonthTotal]
    let today: PGDate

    /// Reads `context`'s dashboard as of `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws
        -> TenantDashboard
    {
        let yearAgo = PGDate(daysSince2000: today.daysSince2000 - 365)
        let tomorrow = PGDate(daysSince2000: today.daysSince2000 + 1)
        return try await store.withTenant(context) { repos in
            TenantDashboard(
                recent: try await repos.transactions.recent(limit: 8),
                totals: try await repos.transactions.totals(
                    from: instant(yearAgo), to: instant(tomorrow)),
                aging: try await repos.invoices.byStatusWithAging(asOf: today),
                expenses: try await repos.expenses.byCategoryPerMonth(
                    from: firstOfMonth(11, monthsBefore: today), to: tomorrow),
                today: today)
        }
    }

    func print() {
        printRecent()
        printTotals()
        printAging()
        printExpenses()
    }

    private func printRecent() {
        Output.section("Recent transactions (newest first)")
        var table = TextTable([
            ("when (UTC)", .left), ("type", .left), ("category", .left), ("description", .left),
            ("amount", .right),
        ])
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:mm"
        format.timeZone = TimeZone(identifier: "UTC")
        for item in recent {
            table.add([
                format.string(from: item.transactionDate), item.type.rawValue, item.category ?? "",
                (item.description ?? "").truncated(to: 34),
                MoneyText.format(item.amount, currency: item.currency),
            ])
        }
        Output.line(table.render())
    }

    private func printTotals() {
        Output.section("Completed transactions of the last 12 months, by type and category")
        var table = TextTable([
            ("type", .left), ("category", .left), ("count", .right), ("total", .right),
        ])
        for total in totals {
            table.add([
                total.type.rawValue, total.category ?? "(none)", String(total.count),
                MoneyText.format(total.total, currency: total.currency),
            ])
        }
        Output.line(table.render())
    }

    private func printAging() {
        Output.section("Invoices as of \(today), by status and days past due")
        var table = TextTable([
            ("status", .left), ("past due", .left), ("invoices", .right), ("total", .right),
            ("outstanding", .right),
        ])
        for row in aging {
            table.add([
                row.status.rawValue,
                row.bucket == .current ? "not yet" : row.bucket.rawValue + " days",
                String(row.count),
                MoneyText.format(row.total, currency: row.currency),
                MoneyText.format(row.outstanding, currency: row.currency),
            ])
        }
        Output.line(table.render())
    }

    private func printExpenses() {
        let categories = Array(Set(expenses.map(\.category))).sorted()
        let currency = expenses.first?.currency ?? ""
        Output.section("Expenses by category per month (\(currency), rejected ones left out)")
        var table = TextTable(
            [("month", .left)] + categories.map { ($0, .right) } + [("total", .right)])
        let months = Array(Set(expenses.map(\.month))).sorted()
        for month in months {
            let cells = categories.map { category in
                expenses.first { $0.month == month && $0.category == category }.map {
                    MoneyText.format($0.total)
                } ?? "-"
            }
            let total = expenses.filter { $0.month == month }.reduce(Decimal.zero) {
                $0 + (Decimal(string: $1.total.description) ?? 0)
            }
            table.add(
                [String(month.description.prefix(7))] + cells + [MoneyText.format(PGNumeric(total))]
            )
        }
        Output.line(table.render())
    }

    /// Midnight UTC at the start of `day` (a finite day, as every day here is).
    static func instant(_ day: PGDate) -> Date {
        day.date ?? Date(timeIntervalSince1970: 0)
    }

    /// The first day of the month `count` months before `day`'s: with `day`'s own month,
    /// `count + 1` months.
    static func firstOfMonth(_ count: Int, monthsBefore day: PGDate) -> PGDate {
        guard let components = day.dateComponents, let year = components.year,
            let month = components.month
        else {
            return PGDate(daysSince2000: day.daysSince2000 - 31 * Int32(count))
        }
        let months = year * 12 + (month - 1) - count
        return PGDate(year: months / 12, month: months % 12 + 1, day: 1)
            ?? PGDate(daysSince2000: day.daysSince2000 - 31 * Int32(count))
    }
}
