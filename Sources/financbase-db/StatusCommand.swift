import ArgumentParser

/// `financbase-db status`: show which migrations are applied.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show which migrations are applied.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
