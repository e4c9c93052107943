import Foundation
import PGClient
import Testing

@testable import Financbase

/// Statements name their columns: every record's select list is exactly its properties, each a
/// column of its relation, and no library source asks for `*`.
@Suite("Stored records")
struct StoredRecordTests {
    /// Every record type a repository reads; a new one is added here.
    static let records: [any StoredRecord.Type] = [
        Organization.self, User.self, UserPreferences.self, Account.self, PaymentMethod.self, Client.self,
        Invoice.self, InvoiceLine.self, Project.self, ProjectTask.self, TimeEntry.self, Freelancer.self,
        Expense.self, Payment.self, Transaction.self, TransactionFeedItem.self, Plugin.self,
        PluginInstallation.self, PluginSetting.self, UserNotification.self, ActivityEntry.self, AnalyticsEvent.self,
        MetricSnapshot.self, ReportDefinition.self, ReportRun.self,
        Campaign.self, AdGroup.self, Ad.self, MarketingMetric.self,
        Lead.self, LeadActivity.self, LeadTask.self,
        Property.self, RentalUnit.self, Renter.self, Lease.self, RentPayment.self, MaintenanceRequest.self,
        WorkflowDefinition.self, WorkflowStep.self, WorkflowTrigger.self, WorkflowRun.self, WorkflowStepRun.self,
    ]

    @Test("each record's columns exist in its relation, once each")
    func columnsExist() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withAdminConnection { connection in
            for record in Self.records {
                let columns = record.columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                #expect(Set(columns).count == columns.count, "\(record) lists a column twice")
                let missing = try await connection.query(
                    """
                    SELECT name FROM unnest(\(columns)::text[]) AS name
                    WHERE NOT EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = ('financbase.' || \(record.relation))::regclass
                          AND a.attname = name AND a.attnum > 0 AND NOT a.attisdropped)
                    """
                ).collect().map { try $0.decode(String.self, at: 0) }
                #expect(missing.isEmpty, "\(record) names columns \(missing) that financbase.\(record.relation) lacks")
            }
        }
    }

    @Test("no statement of the library selects or returns *")
    func noStarSelects() throws {
        let root = DocSampleTests.root
        var offenders: [String] = []
        for folder in ["Sources/Financbase", "Sources/financbase-db"] {
            let url = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else {
                Issue.record("cannot list \(folder)")
                continue
            }
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.range(of: #"(SELECT|RETURNING)\s+\*"#, options: [.regularExpression, .caseInsensitive]) != nil {
                    offenders.append("\(folder)/\(file.lastPathComponent):\(number + 1)")
                }
            }
        }
        #expect(offenders.isEmpty, "statements that select or return *: \(offenders)")
    }
}
