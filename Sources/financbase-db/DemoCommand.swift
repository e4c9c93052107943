import ArgumentParser
import Financbase
import Foundation
import PGClient
import PGLocalCluster

/// `financbase-db demo`: the whole stack in one run. Migrate, seed two organizations through
/// the application role, show each one's dashboard, prove neither sees the other, audit.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Migrate, seed two organizations, show their dashboards and that neither sees the other.",
        discussion: """
            Without --url or DATABASE_URL, a throwaway PostgreSQL cluster is started for the run \
            and removed afterwards (also on Ctrl-C); PostgreSQL 15's binaries must be installed \
            (bash .ci/install-postgres). With a URL, it must be an administrator's: the demo \
            migrates that database and adds two organizations to it. The application role's \
            password comes from FINANCBASE_APP_PASSWORD, or is made up when this run creates the \
            role. Exits 1 when an isolation check or the audit fails.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var seeding: SeedOptions

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        Output.ignoreBrokenPipe()
        Output.line(
            "Financbase demo: a multi-tenant back office on PostgreSQL, row-level security doing the isolation."
        )
        let passed: Bool
        if database.connectionString != nil {
            Output.heading("1. PostgreSQL")
            Output.line("Using the server given by --url / DATABASE_URL.")
            passed = try await demo(admin: try database.config())
        } else {
            passed = try await withThrowawayCluster { try await demo(admin: $0) }
        }
        let elapsed = start.duration(to: clock.now)
        Output.line()
        Output.line(
            passed
                ? "Demo finished in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))."
                : "Demo FAILED: see the ✘ lines above.")
        if !passed { throw ExitCode(1) }
    }

    /// Starts a cluster, runs `body` with its administrator's configuration, stops it after
    /// `body` (or on Ctrl-C).
    private func withThrowawayCluster(_ body: (PGConfig) async throws -> Bool) async throws -> Bool
    {
        Output.heading("1. PostgreSQL")
        Output.line("Starting a throwaway PostgreSQL cluster (initdb, TLS, SCRAM)…")
        let cluster = try await PGLocalCluster.start()
        let interrupt = Self.stopOnInterrupt(cluster)
        defer { interrupt.cancel() }
        Output.line(
            "Running on 127.0.0.1:\(cluster.port) in \(cluster.directory); removed when the demo ends."
        )
        do {
            let admin = try PGConfig(
                connectionString: cluster.url, overrides: [:], environment: [:],
                homeDirectory: "/nonexistent-financbase-demo-home")
            let passed = try await body(admin)
            try await cluster.stop()
            return passed
        } catch {
            try? await cluster.stop()
            throw error
        }
    }

    /// On SIGINT, stops `cluster` and exits 130, so Ctrl-C leaves no server behind.
    private static func stopOnInterrupt(_ cluster: PGLocalCluster) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            FileHandle.standardError.write(
                Data("\ninterrupted: stopping the throwaway cluster\n".utf8))
            Task {
                try? await cluster.stop()
                Foundation.exit(130)
            }
        }
        source.resume()
        return source
    }

    private func demo(admin: PGConfig) async throws -> Bool {
        let password = try await migrate(admin)
        let app = AppRole.config(from: admin, password: password)
        return try await AppRole.withStore(config: app) { store in
            Output.heading(
                "3. Seed: two organizations, written through the repositories as financbase_app")
            let tenants = try await seeding.run(SeedOrganization.demoPair, store: store)
            let today = Seeder.currentDay()
            for (index, tenant) in tenants.enumerated() {
                Output.heading(
                    "\(4 + index). Dashboard of \(tenant.name) (\(tenant.specification.currency))")
                Output.line(
                    "As financbase_app in organization \(tenant.admin.organizationID.lowercased).")
                try await TenantDashboard.load(tenant.admin, store: store, today: today).print()
                try await WorkspaceDashboard.load(tenant.admin, store: store, today: today).print()
                try await ReportsDashboard.load(tenant.admin, store: store, today: today).print()
                if index == 0 { try await MarketingDashboard.load(tenant.admin, store: store, today: today).print() }
                if index == 0 { try await LeadsDashboard.load(tenant.admin, store: store, today: today).print() }
                if index == 0 { try await RealEstateDashboard.load(tenant.admin, store: store, today: today).print() }
                if index == 0 { try await WorkflowsDashboard.load(tenant.admin, store: store, today: today).print() }
            }
            Output.heading("\(4 + tenants.count). Isolation: neither tenant sees the other")
            let isolated = try await IsolationProof(
                admin: admin, app: app, store: store, tenants: tenants
            ).run()
            var ruled = true
            if let first = tenants.first {
                Output.heading("\(5 + tenants.count). Access rules: who may do what, decided by the server")
                ruled = try await AccessProof(store: store, tenant: first).run()
            }
            Output.heading("\(6 + tenants.count). Audit of row-level security, roles and views")
            let audited = try await audit(admin)
            return isolated && ruled && audited
        }
    }

    /// Applies the migrations, a line each; returns the application role's password.
    private func migrate(_ admin: PGConfig) async throws -> String {
        Output.heading("2. Migrate (as the administrator)")
        let fromEnvironment = AppRole.passwordFromEnvironment
        let password = fromEnvironment ?? AppRole.randomPassword()
        let runner = MigrationRunner(
            migrations: try BundledMigrations.load(), appPassword: password)
        let summary = try await Self.withAdminConnection(admin) { connection in
            try await runner.migrate(on: connection) { progress in
                if case .applying = progress { return }
                Output.line(progress.description)
            }
        }
        Output.line(summary.description)
        guard fromEnvironment != nil || summary.createdRoles.contains(AppRole.name) else {
            throw ValidationError(
                """
                \(AppRole.name) already existed, so its password is not the one this run would set: \
                set FINANCBASE_APP_PASSWORD to that role's password and run the demo again
                """)
        }
        return password
    }

    private func audit(_ admin: PGConfig) async throws -> Bool {
        let report = try await Self.withAdminConnection(admin) {
            try await FinancbaseAudit.run(on: $0)
        }
        for finding in report.offenders { Output.line("  ✘ \(finding)") }
        if report.isClean {
            Output.line(
                "  ✔ ok: \(report.tenantTables.count) tenant tables checked (RLS forced, policies, grants, views); "
                    + "\(report.globalTables.count) global table\(report.globalTables.count == 1 ? "" : "s"), read-only for the application")
        }
        return report.isClean
    }

    private static func withAdminConnection<Result>(
        _ admin: PGConfig, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await DatabaseConnection.with(admin, body)
    }
}
