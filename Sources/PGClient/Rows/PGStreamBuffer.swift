import NIOCore
import PGWire
import Synchronization

/// The buffer between the event loop, which receives rows (or COPY chunks), and the task that
/// reads them.
///
/// It does what NIO's async producer does (a high/low watermark that pauses and resumes reading
/// from the socket, the consumer's cancellation or departure reported back) and one thing more:
/// the reading task stays on its own executor (`next(isolation:)`), so a consumer on an actor
/// does not hop off it and back for every row, and a row already buffered is returned without
/// suspending at all.
final class PGStreamBuffer<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        var elements = PGElementQueue<Element>()
        var end: Result<Void, PGError>?
        var waiter: CheckedContinuation<Element?, any Error>?
        /// The producer was told to stop and waits for ``PGStreamDelegate/produceMore()``.
        var producerPaused = false
        /// The consumer left (cancelled, or dropped the sequence); elements are discarded.
        var consumerGone = false
        /// An iterator was made: from then on the iterator, not the sequence, says when the
        /// consumer is gone.
        var iteratorMade = false
    }

    private let state = Mutex(State())
    private let delegate: PGStreamDelegate
    private let lowWatermark: Int
    private let highWatermark: Int

    init(delegate: PGStreamDelegate, lowWatermark: Int, highWatermark: Int) {
        self.delegate = delegate
        self.lowWatermark = lowWatermark
        self.highWatermark = highWatermark
    }

    // MARK: Producer (the event loop)

    /// Moves `newElements` into the buffer, leaving it empty; returns `false` when the producer
    /// should stop until asked for more.
    ///
    /// When the consumer has taken everything buffered (the usual case in a steady stream), the
    /// two buffers are swapped: the rows move without being copied (a copy retained and released
    /// each row's references).
    func yield(contentsOf newElements: inout PGElementQueue<Element>) -> Bool {
        guard !newElements.isEmpty else { return true }
        let (waiter, first, keepProducing): (CheckedContinuation<Element?, any Error>?, Element?, Bool) = state.withLock { state in
            guard !state.consumerGone else {
                newElements.removeAll()
                return (nil, nil, true)
            }
            var first: Element?
            let waiter = state.waiter
            if waiter != nil {
                state.waiter = nil
                first = newElements.popFirst()
            }
            if state.elements.isEmpty {
                swap(&state.elements, &newElements)
            } else {
                state.elements.append(contentsOf: &newElements)
            }
            let keepProducing = state.elements.count < highWatermark
            if !keepProducing { state.producerPaused = true }
            return (waiter, first, keepProducing)
        }
        waiter?.resume(returning: first)
        return keepProducing
    }

    /// Ends the stream, after the buffered elements, with success or `error`.
    func finish(_ error: PGError? = nil) {
        let waiter: CheckedContinuation<Element?, any Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            guard state.elements.isEmpty else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    // MARK: Consumer (the reading task)

    private enum Step {
        case element(Element, askForMore: Bool)
        case end(PGError?)
        case wait
    }

    enum Outcome {
        case element(Element)
        case end(PGError?)
        case cancelled
        case waiting(askForMore: Bool)
    }

    /// What ``takeBuffered(into:)`` found.
    enum Take {
        /// Buffered elements were moved into the caller's buffer.
        case taken
        /// Nothing is buffered and the stream has ended (`nil`: successfully).
        case end(PGError?)
        /// Nothing is buffered yet: wait with ``next(isolation:)``.
        case empty
    }

    /// Moves every buffered element into `batch` (which must be empty) in one lock, so that a
    /// consumer reading many rows takes the lock once per read from the socket, not once per row.
    ///
    /// The two buffers are swapped, so the producer goes on appending into the storage the
    /// consumer has emptied, and neither side allocates in a steady stream.
    func takeBuffered(into batch: inout PGElementQueue<Element>) -> Take {
        let (take, askForMore): (Take, Bool) = state.withLock { state in
            guard state.elements.isEmpty else {
                swap(&state.elements, &batch)
                // The buffer is empty now: a paused producer may go on.
                let askForMore = state.producerPaused
                state.producerPaused = false
                return (.taken, askForMore)
            }
            switch state.end {
            case .success: return (.end(nil), false)
            case .failure(let error): return (.end(error), false)
            case nil: return (.empty, false)
            }
        }
        if askForMore { delegate.produceMore() }
        return take
    }

    /// The next element, `nil` at the end.
    ///
    /// - Throws: the ``PGError`` the stream ended with, or a ``PGError`` of kind
    ///   ``PGError/Kind/cancelled`` when the reading task is cancelled before the end.
    func next(isolation actor: isolated (any Actor)?) async throws -> Element? {
        let step: Step = state.withLock { state in
            if let element = state.elements.popFirst() {
                let askForMore = state.producerPaused && state.elements.count <= lowWatermark
                if askForMore { state.producerPaused = false }
                return .element(element, askForMore: askForMore)
            }
            switch state.end {
            case .success: return .end(nil)
            case .failure(let error): return .end(error)
            case nil: return .wait
            }
        }
        switch step {
        case .element(let element, let askForMore):
            if askForMore { delegate.produceMore() }
            return element
        case .end(let error):
            if let error { throw error }
            return nil
        case .wait:
            break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation(isolation: actor) { (continuation: CheckedContinuation<Element?, any Error>) in
                let outcome: Outcome = state.withLock { state in
                    if let element = state.elements.popFirst() { return .element(element) }
                    if let outcome = Self.outcomeWhenEmpty(end: state.end, consumerGone: state.consumerGone) {
                        return outcome
                    }
                    state.waiter = continuation
                    let askForMore = state.producerPaused
                    state.producerPaused = false
                    return .waiting(askForMore: askForMore)
                }
                switch outcome {
                case .element(let element): continuation.resume(returning: element)
                case .end(let error?): continuation.resume(throwing: error)
                case .end(nil): continuation.resume(returning: nil)
                case .cancelled: continuation.resume(throwing: Self.cancelledError)
                case .waiting(let askForMore): if askForMore { delegate.produceMore() }
                }
            }
        } onCancel: {
            consumerLeft(resumeWaiterWith: Self.cancelledError)
        }
    }

    /// What a consumer about to wait finds when nothing is buffered: its own departure, the
    /// end, or nothing yet (`nil`: it waits).
    ///
    /// Its departure comes first. A task already cancelled when it asks for the next element
    /// leaves (the cancellation handler runs) before it looks; elements that arrive in between
    /// are dropped, so an end that came after them is not the end of what it was given, and
    /// returning it would end the rows early without an error.
    static func outcomeWhenEmpty(end: Result<Void, PGError>?, consumerGone: Bool) -> Outcome? {
        if consumerGone { return .cancelled }
        switch end {
        case .success: return .end(nil)
        case .failure(let error): return .end(error)
        case nil: return nil
        }
    }

    /// The consumer is gone (cancelled, or the sequence was dropped): drop what is buffered and
    /// tell the producer, which stops the statement on the server.
    func consumerLeft(resumeWaiterWith error: PGError? = nil) {
        let (waiter, wasGone, ended): (CheckedContinuation<Element?, any Error>?, Bool, Bool) = state.withLock { state in
            let wasGone = state.consumerGone
            state.consumerGone = true
            state.elements.removeAll()
            defer { state.waiter = nil }
            return (state.waiter, wasGone, state.end != nil)
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
        if !wasGone && !ended { delegate.didTerminate() }
    }

    static var cancelledError: PGError {
        PGError(
            .cancelled, message: "the task was cancelled before the last row; the rest of the result was dropped",
            requestWasSent: true)
    }
}

extension PGStreamBuffer {
    /// Notes that an iterator exists; returns the token that reports when it is dropped.
    func makeIteratorToken() -> PGStreamConsumerToken<Element> {
        state.withLock { $0.iteratorMade = true }
        return PGStreamConsumerToken(self, isIterator: true)
    }

    /// A sequence was dropped: the consumer is gone only if it never made an iterator.
    fileprivate func sequenceDropped() {
        guard !state.withLock({ $0.iteratorMade }) else { return }
        consumerLeft()
    }
}

/// Tells the buffer when the consumer goes away without reading to the end: when its iterator is
/// dropped (leaving a `for try await` loop early), or when the sequence is dropped without ever
/// being iterated.
final class PGStreamConsumerToken<Element: Sendable>: Sendable {
    let buffer: PGStreamBuffer<Element>
    private let isIterator: Bool

    init(_ buffer: PGStreamBuffer<Element>, isIterator: Bool = false) {
        self.buffer = buffer
        self.isIterator = isIterator
    }

    deinit {
        if isIterator { buffer.consumerLeft() } else { buffer.sequenceDropped() }
    }
}
