import Foundation

/// What the dashboard template shows: the API's dashboard, summed for display, with the chart's
/// bars laid out. Every figure carries a `key` that the browser check matches with the API's.
struct DashboardPage: Sendable {
    struct Bar: Sendable {
        var month: String
        var label: String
        var total: String
        var x: Int
        var y: Int
        var height: Int
        var labelX: Int
    }
    struct Figure: Sendable {
        var key: String
        var cells: [String]
        var value: String
    }

    var asOf: String
    var from: String
    var currency: String
    var bars: [Bar]
    var chartWidth: Int
    var monthRows: [Figure]
    var totalRows: [Figure]
    var agingRows: [Figure]
    var recentRows: [Figure]

    static let chartHeight = 200

    init(_ dashboard: DashboardJSON) {
        asOf = dashboard.asOf
        from = dashboard.from
        // The chart: the expenses of the currency with the most rows, per month, over the twelve
        // months (months with none show an empty bar).
        let counts = Dictionary(grouping: dashboard.expensesByMonth, by: \.currency).mapValues(\.count)
        let currency = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? "USD"
        self.currency = currency
        var perMonth: [String: Decimal] = [:]
        for row in dashboard.expensesByMonth {
            perMonth[Self.monthKey(row.month) + " " + row.currency, default: 0] += Self.decimal(row.total.description)
        }
        let months = Self.months(from: dashboard.from)
        let largest = months.compactMap { perMonth[$0 + " " + currency] }.max() ?? 0
        bars = months.enumerated().map { index, month in
            let total = perMonth[month + " " + currency] ?? 0
            let height = largest > 0 ? Int(truncating: (total / largest * Decimal(Self.chartHeight)) as NSDecimalNumber) : 0
            return Bar(
                month: month, label: String(month.suffix(2)), total: Self.text(total), x: 40 + index * 50,
                y: 10 + Self.chartHeight - height, height: height, labelX: 58 + index * 50)
        }
        chartWidth = 40 + months.count * 50
        monthRows = perMonth.keys.sorted().map { key in
            let parts = key.split(separator: " ").map(String.init)
            return Figure(key: "expenses:\(parts[0]):\(parts[1])", cells: parts, value: Self.text(perMonth[key] ?? 0))
        }
        totalRows = dashboard.totals.map {
            Figure(
                key: "total:\($0.type):\($0.category ?? "-"):\($0.currency)",
                cells: [$0.type, $0.category ?? "—", $0.currency, "\($0.count)"], value: $0.total.description)
        }
        agingRows = dashboard.invoiceAging.map {
            Figure(
                key: "aging:\($0.status):\($0.bucket):\($0.currency)",
                cells: [$0.status, $0.bucket, $0.currency, "\($0.count)"], value: $0.outstanding.description)
        }
        recentRows = dashboard.recentTransactions.map {
            Figure(
                key: "recent:\($0.id.uuidString.lowercased())", cells: [$0.transactionNumber, $0.type, $0.currency],
                value: $0.amount.description)
        }
    }

    /// `YYYY-MM` of a `YYYY-MM-DD` day.
    static func monthKey(_ day: String) -> String { String(day.prefix(7)) }

    /// The twelve `YYYY-MM` months from `from` (a `YYYY-MM-DD` day).
    static func months(from: String) -> [String] {
        let parts = from.split(separator: "-").compactMap { Int($0) }
        guard parts.count >= 2 else { return [] }
        return (0..<12).map { offset in
            let index = parts[0] * 12 + parts[1] - 1 + offset
            return String(format: "%04d-%02d", index / 12, index % 12 + 1)
        }
    }

    static func decimal(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }

    /// Two decimals, as the amounts are stored.
    static func text(_ value: Decimal) -> String {
        var rounded = Decimal()
        var source = value
        NSDecimalRound(&rounded, &source, 2, .plain)
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        formatter.usesGroupingSeparator = false
        return formatter.string(from: rounded as NSDecimalNumber) ?? "\(rounded)"
    }
}
