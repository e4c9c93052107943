import ArgumentParser

/// `financbase-db demo`: start a throwaway cluster (unless DATABASE_URL), migrate, seed and show tenant isolation.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Start a throwaway cluster (unless DATABASE_URL), migrate, seed and show tenant isolation.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
