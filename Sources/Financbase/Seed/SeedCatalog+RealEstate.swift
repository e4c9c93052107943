import PGWire

/// The buildings, units and repairs real-estate seed data are drawn from.
extension SeedCatalog {
    /// A building to seed: its name, street, what it is let for, and the units it has.
    struct PropertyTemplate {
        let name: String
        let street: String
        let kind: PropertyKind
        /// The unit labels' pattern: `Apt` (`Apt 1A`, `Apt 2B`) or `Suite` (`Suite 101`).
        let unitPrefix: String
        /// The market rent of a unit, per month (cents).
        let rentCents: ClosedRange<Int64>
    }

    static let propertyTemplates = [
        PropertyTemplate(
            name: "Harbor View Apartments", street: "Harbor Street", kind: .residential,
            unitPrefix: "Apt",
            rentCents: 120_000...260_000),
        PropertyTemplate(
            name: "Elm Street Offices", street: "Elm Street", kind: .commercial,
            unitPrefix: "Suite",
            rentCents: 250_000...650_000),
        PropertyTemplate(
            name: "Riverside Lofts", street: "River Road", kind: .residential, unitPrefix: "Apt",
            rentCents: 140_000...310_000),
        PropertyTemplate(
            name: "Market Square House", street: "Market Square", kind: .mixed, unitPrefix: "Unit",
            rentCents: 110_000...420_000),
        PropertyTemplate(
            name: "Parkside Residences", street: "Park Avenue", kind: .residential,
            unitPrefix: "Apt",
            rentCents: 150_000...330_000),
        PropertyTemplate(
            name: "Foundry Works", street: "Foundry Lane", kind: .commercial, unitPrefix: "Suite",
            rentCents: 300_000...800_000),
    ]

    /// A repair to seed: what is wrong, how urgent it tends to be, and what fixing it costs (cents).
    struct RepairTemplate {
        let title: String
        let priority: MaintenancePriority
        let costCents: ClosedRange<Int64>
    }

    static let repairs = [
        RepairTemplate(title: "Leaking kitchen tap", priority: .normal, costCents: 8_000...25_000),
        RepairTemplate(
            title: "Heating not working", priority: .urgent, costCents: 30_000...180_000),
        RepairTemplate(title: "Broken window latch", priority: .low, costCents: 4_000...12_000),
        RepairTemplate(title: "Mould in bathroom", priority: .high, costCents: 25_000...90_000),
        RepairTemplate(title: "Front door lock jammed", priority: .high, costCents: 9_000...30_000),
        RepairTemplate(
            title: "Repaint after move-out", priority: .normal, costCents: 60_000...240_000),
        RepairTemplate(
            title: "Air conditioning service", priority: .low, costCents: 15_000...45_000),
    ]
}
