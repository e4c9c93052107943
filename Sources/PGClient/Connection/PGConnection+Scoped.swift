public import Logging
public import NIOCore
public import NIOPosix

extension PGConnection {
    /// Connects, runs `body` with the connection, and closes it afterwards, whether `body`
    /// returns or throws.
    ///
    /// For tools and scripts that need one session for one job; services use ``PGPool``.
    ///
    /// ```swift
    /// let version = try await PGConnection.withConnection(config: config) { connection in
    ///     try await connection.query("SHOW server_version").collect()[0].decode(String.self, at: 0)
    /// }
    /// ```
    ///
    /// - Throws: ``PGError`` when connecting fails (see ``connect(config:options:eventLoopGroup:logger:)``),
    ///   or what `body` throws.
    public static func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        config: PGConfig,
        options: Options = Options(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "pgwire"),
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect(
            config: config, options: options, eventLoopGroup: eventLoopGroup, logger: logger)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
