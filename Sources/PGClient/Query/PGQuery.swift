public import PGWire

/// A SQL statement with its parameters, written with string interpolation that binds every
/// interpolated value as a parameter and never splices it into the text.
///
/// ```swift
/// let query: PGQuery = "SELECT name FROM users WHERE id = \(userID) AND org = \(orgID)"
/// // sql: "SELECT name FROM users WHERE id = $1 AND org = $2", two bound parameters
/// ```
///
/// Identifiers (table and column names) cannot be parameters; interpolate them with
/// `\(identifier: name)`, which quotes them as PostgreSQL requires. Text that really is SQL can
/// only be added with the deliberately named `\(unescaped: text)`.
public struct PGQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The SQL text, with `$1`, `$2`, … where values were interpolated.
    public var sql: String
    /// The bound values.
    public var bindings: PGBindings
    /// What few queries have, kept out of line: a query is moved and destroyed on its way to the
    /// server, and these fields inline (a `PGError` alone is a dozen words, several of them
    /// references) made every one of those steps handle them.
    private var exceptional: Exceptional?

    /// The first value that could not be encoded; thrown when the query is run, since string
    /// interpolation cannot throw.
    var encodingError: PGError? {
        get { exceptional?.encodingError }
        set { exceptional = Exceptional(encodingError: newValue, prepared: prepared) }
    }

    /// The explicitly prepared statement to run instead of looking the text up in the cache.
    /// A prepared statement's runs share one box (``run(_:)``) rather than setting this.
    var prepared: PGPreparedTarget? {
        get { exceptional?.prepared }
        set { exceptional = Exceptional(encodingError: encodingError, prepared: newValue) }
    }

    /// Runs the prepared statement in `target`, a box its statement made once, so that a run
    /// allocates none; any encoding error is dropped with the old box.
    mutating func run(_ target: Exceptional) {
        exceptional = target
    }

    /// A query's rare fields; immutable, so copies of a query share it.
    final class Exceptional: Sendable {
        let encodingError: PGError?
        let prepared: PGPreparedTarget?

        init(encodingError: PGError?, prepared: PGPreparedTarget?) {
            self.encodingError = encodingError
            self.prepared = prepared
        }
    }

    /// Creates a query from SQL text and bindings.
    public init(unsafeSQL sql: String, bindings: PGBindings = PGBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    /// Creates a query with no parameters from a literal.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// Creates a query from an interpolated string.
    public init(stringInterpolation: consuming StringInterpolation) {
        stringInterpolation.text.finish(&stringInterpolation.query.sql)
        self = stringInterpolation.query
    }

    /// The SQL text only: parameter values are never shown.
    public var description: String { sql }

    /// Builds a ``PGQuery`` from an interpolated string.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        /// The query built so far, its text once that outgrows `text`. The finished query is
        /// this value itself, not a copy of its parts.
        var query = PGQuery(unsafeSQL: "")
        /// The text while it is short.
        var text = SQLTextBuilder()

        public init(literalCapacity: Int, interpolationCount: Int) {
            // Placeholders ("$1") take 2 bytes each up to nine parameters, 3 up to 99.
            text.expect(literalCapacity + interpolationCount * 2, text: &query.sql)
        }

        public mutating func appendLiteral(_ literal: String) {
            text.append(literal, to: &query.sql)
        }

        /// Binds a value as the next parameter.
        public mutating func appendInterpolation<Value: PGEncodable>(_ value: Value) {
            do {
                try query.bindings.append(value)
                text.appendPlaceholder(query.bindings.count, to: &query.sql)
            } catch {
                if query.encodingError == nil { query.encodingError = error }
                text.appendPlaceholder(0, to: &query.sql)
            }
        }

        /// Adds a quoted identifier (`"Order Lines"`): doubled inner quotes, so no name can
        /// break out of the quotes.
        public mutating func appendInterpolation(identifier: String) {
            var quoted = "\""
            for character in identifier {
                quoted += character == "\"" ? "\"\"" : String(character)
            }
            quoted += "\""
            text.append(quoted, to: &query.sql)
        }

        /// Adds SQL text as it is. Only for text that is SQL by construction, never for values.
        public mutating func appendInterpolation(unescaped sqlText: String) {
            text.append(sqlText, to: &query.sql)
        }
    }
}

extension PGQuery {
    /// The statement as the request pipeline plans it.
    var statementSpec: StatementSpec {
        StatementSpec(
            sql: sql, parameterTypes: bindings.types, parameterFormats: bindings.wireFormats,
            parameterCount: bindings.count, parameterBytes: bindings.encodedByteCount,
            prepared: prepared.map { PreparedStatementName(name: $0.name, columns: $0.columns) })
    }
}
