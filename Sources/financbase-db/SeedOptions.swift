import ArgumentParser
import Financbase

/// The options `seed` and `demo` share: how much, from what seed.
struct SeedOptions: ParsableArguments {
    @Option(help: "Multiply the volume (1: about 500 rows per organization).")
    var scale = 1

    @Option(
        help: "The seed of the generator; the same seed gives the same amounts, names and dates.")
    var seed: UInt64 = 2024

    func validate() throws {
        guard (1...Seeder.maximumScale).contains(scale) else {
            throw ValidationError("--scale must be in 1...\(Seeder.maximumScale)")
        }
    }

    /// Seeds `organizations` through `store`, a line per table.
    func run(_ organizations: [SeedOrganization], store: FinancbaseStore) async throws
        -> [SeededOrganization]
    {
        let seeder = Seeder(store: store, options: .init(seed: seed, scale: scale))
        return try await seeder.seed(organizations) { Output.line($0.description) }
    }
}
