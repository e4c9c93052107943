public import FoundationEssentials

/// Where a database stands against a set of migrations: one entry per version that a file or the
/// journal knows, in version order. `Codable`, for `financbase-db status --json`.
///
/// ```swift
/// let status = try await runner.status(on: connection)
/// if status.hasProblems { print(status.entries.filter { $0.state != .applied }) }
/// ```
public struct MigrationStatus: Sendable, Hashable, Codable {
    /// What became of one version.
    public enum State: String, Sendable, Hashable, Codable {
        /// Recorded in the journal with the file's checksum.
        case applied
        /// A file not yet applied, numbered above every applied version.
        case pending
        /// Applied, but the file's checksum is no longer the journal's: the file was edited.
        case changed
        /// In the journal, but no file has this version.
        case missing
        /// A file not yet applied, numbered below the highest applied version; migrate refuses it.
        case outOfOrder
    }

    /// One version: what the file and the journal say about it.
    public struct Entry: Sendable, Hashable, Codable {
        /// The version.
        public var version: Int
        /// The file's name part, or the journal's when there is no file.
        public var name: String
        /// The state, from comparing file and journal.
        public var state: State
        /// The file's SHA-256, `nil` when the file is missing.
        public var checksum: String?
        /// The SHA-256 the journal recorded, `nil` when not applied.
        public var appliedChecksum: String?
        /// When the migration committed, `nil` when not applied.
        public var appliedAt: Date?
        /// How long it ran, in milliseconds, `nil` when not applied.
        public var executionMilliseconds: Int?
        /// The role that applied it, `nil` when not applied.
        public var appliedBy: String?

        /// `0003_invoices`.
        public var fileName: String { Migration.fileName(version: version, name: name) }
    }

    /// Every version, in order.
    public var entries: [Entry]

    /// The highest applied version (changed ones included), 0 when nothing is applied.
    public var currentVersion: Int {
        entries.filter { $0.appliedChecksum != nil }.map(\.version).max() ?? 0
    }

    /// The entries in `state`.
    public func entries(_ state: State) -> [Entry] { entries.filter { $0.state == state } }

    /// Whether migrate would refuse to run: a changed, missing or out-of-order migration.
    public var hasProblems: Bool {
        entries.contains { [.changed, .missing, .outOfOrder].contains($0.state) }
    }

    /// Whether every file is applied unchanged and nothing else is in the journal.
    public var isUpToDate: Bool { entries.allSatisfy { $0.state == .applied } }

    private enum CodingKeys: String, CodingKey {
        case entries, currentVersion, isUpToDate, hasProblems
    }

    /// Reads the entries; the summary fields are derived from them, not read.
    public init(from decoder: any Decoder) throws {
        entries = try decoder.container(keyedBy: CodingKeys.self).decode(
            [Entry].self, forKey: .entries)
    }

    /// Writes the entries and, for scripts, the summary fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
        try container.encode(currentVersion, forKey: .currentVersion)
        try container.encode(isUpToDate, forKey: .isUpToDate)
        try container.encode(hasProblems, forKey: .hasProblems)
    }

    /// Compares files with journal rows.
    init(migrations: [Migration], journal: [MigrationJournal.Row]) {
        let files = Dictionary(
            migrations.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let applied = Dictionary(
            journal.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let highestApplied = journal.map(\.version).max() ?? 0
        entries = Set(files.keys).union(applied.keys).sorted().map { version in
            let file = files[version]
            let row = applied[version]
            let state: State
            switch (file, row) {
            case (let file?, let row?): state = file.checksum == row.checksum ? .applied : .changed
            case (_?, nil): state = version < highestApplied ? .outOfOrder : .pending
            default: state = .missing
            }
            return Entry(
                version: version, name: file?.name ?? row?.name ?? "", state: state,
                checksum: file?.checksum, appliedChecksum: row?.checksum, appliedAt: row?.appliedAt,
                executionMilliseconds: row?.executionMilliseconds, appliedBy: row?.appliedBy)
        }
    }
}
