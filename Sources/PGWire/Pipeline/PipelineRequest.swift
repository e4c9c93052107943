/// What a caller asks the connection to run, as ``RequestPipeline`` needs to know it: enough to
/// plan the messages and check that they can be written, never the parameter values themselves
/// (the shell keeps those and writes them as the plan says).
package enum PipelineRequest: Sendable {
    /// One extended-protocol statement whose rows stream back.
    case query(StatementSpec)
    /// Several statements with one Sync; each result is collected.
    case queries([StatementSpec])
    /// One statement run with `count` parameter sets and one Sync; each result is collected.
    /// `largestSetBytes` is the size of the largest set's encoded values.
    case repeated(StatementSpec, count: Int, largestSetBytes: Int)
    /// A simple-protocol Query, all of whose results are collected.
    case simple(String)
    /// `COPY … FROM STDIN` sent as a simple query.
    case copyIn(String)
    /// `COPY … TO STDOUT` sent as a simple query; its data streams back.
    case copyOut(String)
    /// Parse and Describe of a statement under a name of its own, outside the cache.
    case prepare(name: String, sql: String, parameterTypes: [PGDataType])
}

/// One extended-protocol statement of a request: its text, parameter types and formats, and the
/// size of its encoded values.
package struct StatementSpec: Sendable {
    /// The SQL text, with `$1`, `$2`, … for the parameters.
    package let sql: String
    /// The parameters' types (part of the cache key).
    package let parameterTypes: PGParameterTypes
    /// The parameters' formats as Bind sends them.
    package let parameterFormats: [PGFormat]
    /// The number of parameters.
    package let parameterCount: Int
    /// The size of the encoded values (each with its length prefix).
    package let parameterBytes: Int
    /// An explicitly prepared statement to run, which the cache neither knows nor manages.
    package let prepared: PreparedStatementName?

    @inlinable
    package init(
        sql: String, parameterTypes: PGParameterTypes, parameterFormats: [PGFormat], parameterCount: Int,
        parameterBytes: Int, prepared: PreparedStatementName? = nil
    ) {
        self.sql = sql
        self.parameterTypes = parameterTypes
        self.parameterFormats = parameterFormats
        self.parameterCount = parameterCount
        self.parameterBytes = parameterBytes
        self.prepared = prepared
    }
}

/// A statement prepared under a name of its own, and its result columns.
package struct PreparedStatementName: Sendable {
    package var name: String
    package var columns: PGColumns

    @inlinable
    package init(name: String, columns: PGColumns) {
        self.name = name
        self.columns = columns
    }
}
