import Synchronization

/// How many callers off an event loop wait for a statement's result: what tells a caller
/// whether it is alone (``CallerSpinPolicy``). One count serves the whole process
/// (``process``); a test gives its connection its own.
final class CallerWaitingCount: Sendable {
    /// The count of every connection in the process that was not given one of its own.
    static let process = CallerWaitingCount()

    private let count = Atomic<Int>(0)

    /// The callers waiting now.
    var current: Int { count.load(ordering: .relaxed) }

    /// Counts a caller in; returns whether it is the only one waiting.
    func enter() -> Bool {
        count.wrappingAdd(1, ordering: .relaxed).newValue == 1
    }

    /// Counts a caller that ``enter()`` counted out, when its wait ended however it ended.
    func leave() {
        count.wrappingSubtract(1, ordering: .relaxed)
    }
}
