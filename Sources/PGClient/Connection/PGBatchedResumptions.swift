import Dispatch

/// A task waiting for its result, and the result: resumed later than the result came
/// (``PGBatchedResumptions``).
struct PGResumption<Value: Sendable>: Sendable {
    let task: UnsafeContinuation<Value, any Error>
    let result: Result<Value, any Error>

    /// Resumes the task with its result.
    consuming func resume() { task.resume(with: result) }
}

/// The queries' callers on Swift's global executor whose rows came in one read of the socket,
/// resumed together, in one job on that executor, once the read has been handled.
///
/// Why: a task resumed from the event loop is scheduled on the global executor from a thread
/// that is not its own, and each of those wakes one of its threads when it idles; the woken
/// thread often takes the loop's CPU in the middle of the read. A hundred tasks on one
/// connection (`pipeline_100`) get their results a few at a time, and resumed one by one they
/// cost the loop and the executor's threads more wake-ups and context switches than anything
/// else the driver does (`Docs/benchmarks.md`). One job for a read's tasks
/// wakes one thread at most, and the loop goes back to the socket at once.
///
/// A read that resumes one task alone resumes it at once, in the loop's thread: a sequential
/// caller's wait costs no extra job. Only tasks that ask for it are collected
/// (``PGCompletion/resumeWhenComplete(_:withOthers:)``): a task on the event loop itself is
/// resumed by the loop without a hop, as before.
///
/// Only the event loop's thread uses it.
final class PGBatchedResumptions {
    /// How many collecting scopes are under way (one inside another when a channel delivers
    /// synchronously, as an `EmbeddedChannel` does).
    private var depth = 0
    private var collected: [PGResumption<PGRowSequence>] = []

    /// Resumptions kept for the end of a read, and jobs that performed two or more of them:
    /// for tests and diagnostics.
    private(set) var resumptionsCollected = 0
    private(set) var jobsScheduled = 0

    /// Whether a read is being handled, so that a resumption handed over now is performed
    /// when it ends.
    var isCollecting: Bool { depth > 0 }

    /// Keeps `resumption` for the end of the read under way; performs it at once when there is
    /// none.
    func add(_ resumption: PGResumption<PGRowSequence>) {
        guard isCollecting else {
            resumption.resume()
            return
        }
        collected.append(resumption)
        resumptionsCollected += 1
    }

    /// Runs `handle` (the handling of a read, on the event loop); the resumptions handed over
    /// meanwhile are performed when it returns.
    func collecting<Result>(_ handle: () -> Result) -> Result {
        depth += 1
        defer {
            depth -= 1
            if depth == 0, !collected.isEmpty { resumeCollected() }
        }
        return handle()
    }

    private func resumeCollected() {
        guard collected.count > 1 else {
            collected.removeLast().resume()
            return
        }
        let resumptions = collected
        collected = []
        jobsScheduled += 1
        DispatchQueue.global().async {
            for resumption in resumptions { resumption.resume() }
        }
    }
}
