/// The options a connection string (or a set of overrides) spelled out, as text, before defaults
/// and validation. A later assignment to the same key wins, as in libpq.
package struct ConnectionOptions: Hashable, Sendable {
    /// No options.
    package init() {}

    package private(set) var values: [PGConfig.Key: String] = [:]

    /// Sets an option by its libpq keyword.
    ///
    /// - Throws: ``PGConfigError/Reason/unknownKey`` when `keyword` is not an option PGConfig knows.
    package mutating func set(
        _ keyword: String, _ value: String, source: PGConfigError.Source = .connectionString
    )
        throws(PGConfigError)
    {
        guard let key = PGConfig.Key(rawValue: keyword) else {
            throw PGConfigError(key: keyword, reason: .unknownKey, source: source)
        }
        values[key] = value
    }

    /// Sets an option known to exist.
    package mutating func set(_ key: PGConfig.Key, _ value: String) {
        values[key] = value
    }

    package subscript(key: PGConfig.Key) -> String? {
        values[key]
    }

    /// These options with `other`'s assignments applied on top.
    func merging(_ other: ConnectionOptions) -> ConnectionOptions {
        var merged = self
        merged.values.merge(other.values) { _, new in new }
        return merged
    }
}
