import PGWire

/// A calendar month for seed data (leases run by the month, rent is charged per month).
struct SeedMonth: Hashable, Comparable {
    /// `year × 12 + month − 1`.
    let index: Int

    /// The month `day` falls in (a finite day, as every seeded day is).
    init(containing day: PGDate) {
        let parts = day.dateComponents
        index = (parts?.year ?? 2000) * 12 + (parts?.month ?? 1) - 1
    }

    private init(index: Int) {
        self.index = index
    }

    /// The month `months` after this one (before, when negative).
    func adding(_ months: Int) -> SeedMonth {
        SeedMonth(index: index + months)
    }

    /// Day `day` of the month (1–28 exist in every month).
    func day(_ day: Int) -> PGDate {
        PGDate(year: index / 12, month: index % 12 + 1, day: day) ?? PGDate(daysSince2000: 0)
    }

    /// The month's first day.
    var first: PGDate { day(1) }

    /// The month's last day.
    var last: PGDate { PGDate(daysSince2000: adding(1).first.daysSince2000 - 1) }

    /// How many months from `self` to `other` (negative when `other` is earlier).
    func months(to other: SeedMonth) -> Int {
        other.index - index
    }

    static func < (lhs: SeedMonth, rhs: SeedMonth) -> Bool {
        lhs.index < rhs.index
    }
}
