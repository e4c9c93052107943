import FoundationEssentials
import PGWire

extension RepositoryError {
    /// Refuses a period of days `from <= day < to` that holds no day (`to` not after `from`).
    static func checkPeriod(from: PGDate, to: PGDate) throws(RepositoryError) {
        guard from.daysSince2000 < to.daysSince2000 else {
            throw RepositoryError.invalidArgument(reason: "the period \(from) ..< \(to) holds no day")
        }
    }

    /// Refuses a period of instants `from <= t < to` that holds none (`to` not after `from`).
    static func checkPeriod(from: Date, to: Date) throws(RepositoryError) {
        guard from < to else {
            throw RepositoryError.invalidArgument(reason: "the period \(from) ..< \(to) holds no instant")
        }
    }

    /// Refuses a row limit outside 1...``TenantSession/maximumPageSize``.
    static func checkLimit(_ limit: Int) throws(RepositoryError) {
        guard (1...TenantSession.maximumPageSize).contains(limit) else {
            throw RepositoryError.invalidArgument(reason: "limit \(limit) is outside 1...\(TenantSession.maximumPageSize)")
        }
    }
}
