/// The names OpenTelemetry's database semantic conventions give to span attributes, metrics and
/// their dimensions, as PGClient reports them (listed in the Observability article of PGClient.docc).
enum PGTelemetryNames {
    // Span attributes and metric dimensions.
    static let systemName = "db.system.name"
    /// The value of ``systemName``.
    static let postgresql = "postgresql"
    static let namespace = "db.namespace"
    static let operationName = "db.operation.name"
    static let collectionName = "db.collection.name"
    static let queryText = "db.query.text"
    static let batchSize = "db.operation.batch.size"
    static let statusCode = "db.response.status_code"
    static let errorType = "error.type"
    static let serverAddress = "server.address"
    static let serverPort = "server.port"
    static let poolName = "db.client.connection.pool.name"
    static let connectionState = "db.client.connection.state"

    // Metrics.
    static let operationDuration = "db.client.operation.duration"
    static let connectionCount = "db.client.connection.count"
    static let idleMax = "db.client.connection.idle.max"
    static let idleMin = "db.client.connection.idle.min"
    static let connectionMax = "db.client.connection.max"
    static let pendingRequests = "db.client.connection.pending_requests"
    static let timeouts = "db.client.connection.timeouts"
    static let createTime = "db.client.connection.create_time"
    static let waitTime = "db.client.connection.wait_time"
    static let useTime = "db.client.connection.use_time"

    // Names of spans that are not one database operation.
    static let connectSpan = "connect"
    static let transactionSpan = "transaction"
    static let acquireSpan = "pool.acquire"
}
