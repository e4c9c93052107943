public import FoundationEssentials
public import PGWire

/// What a saved report computes.
public enum ReportKind: String, StoredEnum, Sendable {
    /// Money in and out of the ledger per month (parameters `from`, `to`).
    case cashFlow = "cash_flow"
    /// Revenue and expenses per category (parameters `from`, `to`).
    case profitAndLoss = "profit_and_loss"
    /// What each client owes, by how far past due (parameter `as_of`).
    case receivablesAging = "receivables_aging"
    /// Spend and return per campaign (parameters `from`, `to`).
    case campaignReturn = "campaign_return"
    /// Leads captured per stage, with their value (parameters `from`, `to`).
    case leadFunnel = "lead_funnel"
    /// Every unit with its lease (parameter `as_of`).
    case rentRoll = "rent_roll"
}

/// How often a saved report runs by itself.
public enum ReportSchedule: String, StoredEnum {
    /// Each schedule, as stored.
    case none, daily, weekly, monthly
}

/// A saved report: what it computes, with which parameters, how often.
public struct ReportDefinition: Sendable, Hashable, Decodable {
    /// The report's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// Its author.
    public let userID: UUID
    /// Its name.
    public var name: String
    /// What it computes.
    public var kind: ReportKind
    /// Its parameters, as a JSON object (`{"from": "2025-01-01", "to": "2026-01-01"}`).
    public var parameters: PGJSON
    /// How often it runs by itself.
    public var schedule: ReportSchedule
    /// Whether it runs on its schedule.
    public var isActive: Bool
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// Where a report run is.
public enum ReportRunStatus: String, StoredEnum {
    /// Each status, as stored.
    case queued, running, succeeded, failed
}

/// One run of a saved report: when, by whom, how it ended, and its result.
public struct ReportRun: Sendable, Hashable, Decodable {
    /// The run's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The report it ran.
    public let reportID: UUID
    /// Who ran it.
    public let userID: UUID
    /// How it ended, or where it is.
    public let status: ReportRunStatus
    /// When it started.
    public let startedAt: Date
    /// When it ended.
    public let finishedAt: Date?
    /// How many rows it produced.
    public let rowCount: Int32?
    /// The rows it produced, as a JSON array, when stored.
    public let result: PGJSON?
    /// Where the result was written, when not stored.
    public let resultURL: String?
    /// Why it failed.
    public let error: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// The ledger's money in and out in one month and currency (completed transactions; income,
/// invoice payments and refunds in, expenses out, transfers between accounts left out).
public struct CashFlowMonth: Sendable, Hashable, Decodable {
    /// The first day of the month (UTC).
    public let month: PGDate
    /// The currency.
    public let currency: String
    /// Money in.
    public let inflow: PGNumeric
    /// Money out.
    public let outflow: PGNumeric
    /// In minus out.
    public let net: PGNumeric
}

/// The side of the profit and loss statement a line is on.
public enum ProfitAndLossSection: String, StoredEnum {
    /// Income and invoice payments.
    case revenue
    /// Expenses.
    case expenses
}

/// One category's total on one side of the profit and loss statement, from the ledger's
/// completed transactions.
public struct ProfitAndLossLine: Sendable, Hashable, Decodable {
    /// Revenue or expenses.
    public let section: ProfitAndLossSection
    /// The category (`uncategorized` when the transaction has none).
    public let category: String
    /// The currency.
    public let currency: String
    /// The total.
    public let total: PGNumeric
}

/// What one client owes in one currency, by how far past due.
public struct ReceivablesAging: Sendable, Hashable, Decodable {
    /// The client.
    public let clientID: UUID
    /// Its name.
    public let clientName: String
    /// The currency.
    public let currency: String
    /// Not yet due.
    public let current: PGNumeric
    /// 1 to 30 days past due.
    public let days1To30: PGNumeric
    /// 31 to 60 days past due.
    public let days31To60: PGNumeric
    /// 61 to 90 days past due.
    public let days61To90: PGNumeric
    /// More than 90 days past due.
    public let over90: PGNumeric
    /// Everything it owes.
    public let total: PGNumeric
}

extension ReportDefinition: StoredRecord {
    static let relation = "report_definitions"
    static let columns = "id, organization_id, user_id, name, kind, parameters, schedule, is_active, created_at, updated_at"
}

extension ReportRun: StoredRecord {
    static let relation = "report_runs"
    static let columns = """
        id, organization_id, report_id, user_id, status, started_at, finished_at, row_count, result,
        result_url, error, created_at, updated_at
        """
}
