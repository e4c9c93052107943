public import Foundation

/// `PGError` is a `LocalizedError`, so `localizedDescription` (what UI code, `NSError` bridging and
/// most loggers show) reads as the error itself rather than "The operation couldn't be completed".
///
/// For a server error it holds the severity, message and SQLSTATE, then the detail, the hint and
/// the position in the statement when the server sent them; for a client-side error, the kind
/// and the message.
///
/// ```swift
/// do {
///     try await connection.execute("SELEC 1")
/// } catch {
///     print(error.localizedDescription)
///     // ERROR: syntax error at or near "SELEC" (SQLSTATE 42601)
///     // POSITION: 1
/// }
/// ```
extension PGError: LocalizedError {
    /// The full description: ``description`` plus the error's position in the statement.
    public var errorDescription: String? {
        guard let position else { return description }
        return description + "\nPOSITION: \(position)"
    }

    /// The server's detail message, when it sent one.
    public var failureReason: String? { detail }

    /// The server's hint, when it sent one.
    public var recoverySuggestion: String? { hint }
}
