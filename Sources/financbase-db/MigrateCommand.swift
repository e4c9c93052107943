import ArgumentParser

/// `financbase-db migrate`: apply the migrations not yet applied.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the migrations not yet applied.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
