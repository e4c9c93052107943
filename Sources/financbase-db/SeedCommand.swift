import ArgumentParser

/// `financbase-db seed`: insert realistic data for two organizations.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Insert realistic data for two organizations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
