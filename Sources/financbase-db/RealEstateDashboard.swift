import Financbase
import Foundation
import PGWire

/// The real-estate part of a tenant's dashboard, read through its repositories in one unit of
/// work: occupancy per property, the rent roll and the arrears, all as of today.
struct RealEstateDashboard {
    let occupancy: [PropertyOccupancy]
    let rentRoll: [RentRollLine]
    let arrears: [LeaseArrears]
    let today: PGDate

    /// Reads `context`'s real-estate dashboard as of `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws
        -> RealEstateDashboard
    {
        try await store.withTenant(context) { repos in
            RealEstateDashboard(
                occupancy: try await repos.properties.occupancy(asOf: today),
                rentRoll: try await repos.leases.rentRoll(asOf: today),
                arrears: try await repos.rentPayments.arrears(asOf: today), today: today)
        }
    }

    func print() {
        printOccupancy()
        printRentRoll()
        printArrears()
    }

    private func printOccupancy() {
        Output.section("Real estate: occupancy on \(today) (units an active lease covers)")
        var table = TextTable([
            ("property", .left), ("units", .right), ("let", .right), ("rate", .right),
        ])
        for row in occupancy {
            let rate =
                row.rate.flatMap { Double($0.description) }.map {
                    String(format: "%.0f %%", $0 * 100)
                } ?? "-"
            table.add([row.propertyName, String(row.units), String(row.occupied), rate])
        }
        Output.line(table.render())
    }

    private func printRentRoll() {
        Output.section("Rent roll on \(today)")
        var table = TextTable([
            ("property", .left), ("unit", .left), ("renter", .left), ("rent / month", .right),
            ("lease ends", .left),
        ])
        for line in rentRoll {
            table.add([
                line.propertyName.truncated(to: 26), line.unitLabel,
                line.renterName ?? "(vacant: \(line.unitStatus.rawValue))",
                line.monthlyRent.map { MoneyText.format($0, currency: line.currency) } ?? "-",
                line.leaseEnd?.description ?? "",
            ])
        }
        Output.line(table.render())
    }

    private func printArrears() {
        Output.section("Rent in arrears on \(today), largest first")
        var table = TextTable([
            ("renter", .left), ("unit", .left), ("months", .right), ("owed", .right),
            ("since", .left),
        ])
        for row in arrears {
            table.add([
                row.renterName, "\(row.propertyName.truncated(to: 22)) \(row.unitLabel)",
                String(row.unpaidPeriods),
                MoneyText.format(row.balance, currency: row.currency),
                String(row.oldestUnpaidPeriod.description.prefix(7)),
            ])
        }
        Output.line(table.render())
    }
}
