import ArgumentParser

/// `financbase-db`: migrations, seed data, the row-level-security audit and a demo of the
/// Financbase data layer.
@main
struct FinancbaseDB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "financbase-db",
        abstract: "Migrate, seed, audit, back up, export, restore and demonstrate the Financbase database.",
        discussion: """
            Every command takes --url (a libpq URI or key=value string); without it, DATABASE_URL. \
            migrate, status, seed, audit, backup, export and restore need an administrator's connection (backup \
            and restore: a superuser, or a role with BYPASSRLS for backup); the application \
            itself connects as financbase_app.
            """,
        subcommands: [
            MigrateCommand.self, StatusCommand.self, SeedCommand.self, AuditCommand.self,
            DemoCommand.self, BackupCommand.self, RestoreCommand.self, ExportCommand.self,
        ])
}
