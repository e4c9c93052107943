/// The per-connection cache of named prepared statements, keyed by SQL text and parameter types.
///
/// A statement is parsed once; later runs send only Bind and Execute, with the result columns
/// remembered from the first run's description. The least recently used statement is closed on
/// the server when the cache is full. Part of ``RequestPipeline``, which alone changes it.
package struct StatementCache: Sendable {
    /// What identifies a statement: the same SQL with other parameter types is another statement.
    package struct Key: Hashable, Sendable {
        package let sql: String
        package let parameterTypes: PGParameterTypes

        package init(sql: String, parameterTypes: PGParameterTypes) {
            self.sql = sql
            self.parameterTypes = parameterTypes
        }
    }

    struct Entry: Sendable {
        /// The statement's name on the server.
        let name: String
        /// The result columns (with binary formats), once a run has described them.
        var columns: PGColumns?
        var lastUse: UInt64
    }

    /// How to run a statement, decided from what the cache knows.
    package enum Plan: Sendable {
        /// Parse as the unnamed statement (cache off, or not worth caching).
        case unnamed
        /// Parse under this new name; close `evicted` after the statement if the cache was full.
        case prepare(name: String, evicted: String?)
        /// Already parsed under this name; describe the portal unless the columns are known.
        case cached(name: String, columns: PGColumns?)
        /// Parsed as the unnamed statement earlier in the same request (a batch's later
        /// parameter sets, with the cache off): bind it again.
        case parsedUnnamed
    }

    /// The most statements kept; 0 turns the cache off (every statement is unnamed, which
    /// PgBouncer in transaction mode needs).
    package let capacity: Int
    private var entries: [Key: Entry] = [:]
    /// The key of each entry, by its name: the requests in flight name their statements rather
    /// than carry their keys (the SQL text and types) along.
    private var keysByName: [String: Key] = [:]
    private var clock: UInt64 = 0
    private var nextName = 1
    /// The statement planned last: when the same one runs next, it is found by comparing keys
    /// rather than hashing the SQL text. Its entry's `lastUse` stays at the first run of the
    /// streak, which orders it among the others as its last run would: no other ran since.
    private var latest: Latest?

    private struct Latest: Sendable {
        let key: Key
        let name: String
        var columns: PGColumns?
    }

    package init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    package var count: Int { entries.count }

    /// The name of the statement cached for `key`, if any.
    package func name(of key: Key) -> String? { entries[key]?.name }

    /// Chooses how to run the statement and records the choice (a new entry for `.prepare`).
    mutating func plan(for key: Key) -> Plan {
        guard capacity > 0 else { return .unnamed }
        if let latest, latest.key == key { return .cached(name: latest.name, columns: latest.columns) }
        clock += 1
        // One hash of the key (the SQL text) for a hit, not one to read and one to update.
        if let index = entries.index(forKey: key) {
            entries.values[index].lastUse = clock
            let entry = entries.values[index]
            latest = Latest(key: key, name: entry.name, columns: entry.columns)
            return .cached(name: entry.name, columns: entry.columns)
        }
        var evicted: String?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            keysByName[oldest.value.name] = nil
            evicted = oldest.value.name
        }
        let name = "pgwire_\(nextName)"
        nextName += 1
        entries[key] = Entry(name: name, columns: nil, lastUse: clock)
        keysByName[name] = key
        latest = Latest(key: key, name: name, columns: nil)
        return .prepare(name: name, evicted: evicted)
    }

    /// Remembers the result columns of statement `name`, from its first description.
    mutating func describe(name: String, columns: PGColumns) {
        guard let key = keysByName[name] else { return }
        entries[key]?.columns = columns
        if latest?.name == name { latest?.columns = columns }
    }

    /// Forgets every statement's columns (the statements stay prepared): their next runs
    /// describe them again, as the connection's types now read them.
    mutating func forgetColumns() {
        for key in entries.keys { entries[key]?.columns = nil }
        latest?.columns = nil
    }

    /// Forgets statement `name` (its Parse failed, or its plan went stale); `false` when the
    /// cache no longer has it (evicted, or forgotten already).
    @discardableResult
    mutating func remove(name: String) -> Bool {
        guard let key = keysByName.removeValue(forKey: name) else { return false }
        entries[key] = nil
        if latest?.name == name { latest = nil }
        return true
    }

    /// Forgets every statement: the server no longer has them (DISCARD ALL, DEALLOCATE ALL).
    mutating func removeAll() {
        entries.removeAll()
        keysByName.removeAll()
        latest = nil
    }
}
