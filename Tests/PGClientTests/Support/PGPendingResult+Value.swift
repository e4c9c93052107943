@testable import PGClient

extension PGPendingResult {
    /// Waits for the result as a query's wait does: a continuation the result resumes.
    func value() async throws -> PGRowSequence {
        try await withUnsafeThrowingContinuation { resumeWhenComplete($0) }
    }
}
