/// The rules every migration set obeys, whether read from files or built in memory: names of the
/// form `NNNN_name`, versions from 1 to `Int32.max` (the journal's `integer`), one migration per
/// version, and no transaction control inside a file.
enum MigrationValidation {
    /// The journal stores versions as `integer`.
    static let versions = 1...Int(Int32.max)

    /// Splits `0003_invoices.sql` into version 3 and name `invoices`.
    ///
    /// - Throws: ``MigrationError/invalidFileName(_:reason:)`` naming what is wrong.
    static func parseFileName(_ file: String) throws(MigrationError) -> (version: Int, name: String)
    {
        guard file.hasSuffix(".sql") else {
            throw .invalidFileName(file, reason: "the extension must be .sql in lowercase")
        }
        let stem = file.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else {
            throw .invalidFileName(file, reason: "no _ between the version and the name")
        }
        let digits = stem[..<underscore]
        guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidFileName(file, reason: "the version must be at least four digits")
        }
        guard let version = Int(digits), versions.contains(version) else {
            throw .invalidFileName(
                file, reason: "the version must be from 1 to \(versions.upperBound)")
        }
        let name = String(stem[stem.index(after: underscore)...])
        try checkName(name, in: file)
        return (version, name)
    }

    /// Checks an in-memory migration's version and name as a file's would be checked.
    static func check(_ migration: Migration) throws(MigrationError) {
        guard versions.contains(migration.version) else {
            throw .invalidFileName(
                migration.fileName, reason: "the version must be from 1 to \(versions.upperBound)")
        }
        try checkName(migration.name, in: migration.fileName)
    }

    /// Checks a whole set and returns it in version order.
    ///
    /// - Throws: ``MigrationError/invalidFileName(_:reason:)``,
    ///   ``MigrationError/duplicateVersion(_:names:)`` or
    ///   ``MigrationError/transactionControl(version:name:statement:line:)``.
    static func validated(_ migrations: [Migration]) throws(MigrationError) -> [Migration] {
        let sorted = migrations.sorted { ($0.version, $0.name) < ($1.version, $1.name) }
        for migration in sorted {
            try check(migration)
        }
        try checkUnique(sorted.map { ($0.version, $0.fileName) })
        for migration in sorted {
            if let statement = SQLTransactionControl.firstStatement(in: migration.sql) {
                throw .transactionControl(
                    version: migration.version, name: migration.name, statement: statement.keyword,
                    line: statement.line)
            }
        }
        return sorted
    }

    /// Throws for the first version that more than one of `labelled` has.
    static func checkUnique(_ labelled: [(version: Int, label: String)]) throws(MigrationError) {
        let byVersion = Dictionary(grouping: labelled, by: \.version)
        if let (version, clash) = byVersion.filter({ $0.value.count > 1 }).min(by: {
            $0.key < $1.key
        }) {
            throw .duplicateVersion(version, names: clash.map(\.label).sorted())
        }
    }

    /// Names are lowercase ASCII letters and digits in words joined by single underscores, so
    /// they read the same in every file system, shell and report.
    private static func checkName(_ name: String, in file: String) throws(MigrationError) {
        let words = name.split(separator: "_", omittingEmptySubsequences: false)
        let wordIsValid: (Substring) -> Bool = { word in
            !word.isEmpty
                && word.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("0"..."9").contains($0)
                }
        }
        guard words.allSatisfy(wordIsValid) else {
            throw .invalidFileName(
                file,
                reason: "the name must be lowercase letters and digits joined by single underscores"
            )
        }
    }
}
