import ArgumentParser

/// `financbase-db audit`: check row-level security, roles and views; exit non-zero on any offender.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check row-level security, roles and views; exit non-zero on any offender.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
