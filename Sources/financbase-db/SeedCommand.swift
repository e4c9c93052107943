import ArgumentParser
import Financbase

/// `financbase-db seed`: add organizations with realistic data, through the repositories as
/// `financbase_app`.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Add organizations with realistic data (two by default).",
        discussion: """
            Connect as an administrator (--url or DATABASE_URL) to a migrated database; the rows \
            themselves are written as financbase_app, whose password FINANCBASE_APP_PASSWORD must \
            give, so that row-level security checks every one. Each run adds new organizations and \
            changes nothing else: seeding twice gives four. The same --seed gives the same amounts, \
            names and dates.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var seeding: SeedOptions

    @Option(help: "How many organizations to add.")
    var organizations = 2

    func validate() throws {
        guard (1...100).contains(organizations) else {
            throw ValidationError("--organizations must be in 1...100")
        }
    }

    func run() async throws {
        let password = try AppRole.requiredPassword()
        let admin = try database.config()
        try await database.withConnection { try await AppRole.requireMigrated($0) }
        let seeded = try await AppRole.withStore(
            config: AppRole.config(from: admin, password: password)
        ) { store in
            try await seeding.run(SeedOrganization.examples(organizations), store: store)
        }
        for organization in seeded {
            Output.line(
                "organization \(organization.name): id \(organization.admin.organizationID.lowercased), "
                    + "admin user \(organization.admin.userID.lowercased)")
        }
    }
}
