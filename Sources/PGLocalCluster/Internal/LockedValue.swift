import Foundation

/// A value shared across threads, every access under one lock.
///
/// `@unchecked Sendable` is sound because `value` is only touched inside `withLock`, which holds
/// `lock` for the whole access.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
