import NIOCore
package import PGWire

/// The request pipeline with a shell around it that is as simple as it can be — the pipeline's
/// writes go to a ``SimulatedServer``, the server's bytes come back in reads of any size — and
/// callers that submit requests, leave streams, fall behind and are cancelled at random. Every
/// action is checked against a model of what each caller must get:
///
/// - every request ends exactly once, after exactly one outcome (rows, results, COPY done,
///   prepared, or a failure), and nothing is said of a request after it ended or before it
///   was submitted;
/// - the outcome is what the server did in the request's last run: as many rows and the same
///   tag, each batch statement's rows, failure or skip, the server's SQLSTATE — unless the
///   connection broke first, when the request fails with it;
/// - the server never sees a statement parsed twice under one name, a statement bound that it
///   does not have, or a request written during COPY FROM STDIN;
/// - the cache never holds more than its capacity; and once the scenario drains (the server
///   answers everything, cancels are delivered, the socket drains), nothing is left in flight
///   or held.
package struct PipelineScenario {
    package private(set) var pipeline: RequestPipeline
    package private(set) var server = SimulatedServer()
    /// Rules the pipeline broke, in words; empty when it kept them all.
    package private(set) var violations: [String] = []
    private var decoder = BackendMessageDecoder()
    private var requests: [RequestID: PipelineRequest] = [:]
    private var callers: [RequestID: Caller] = [:]
    private var ended: Set<RequestID> = []
    private var nextID: UInt64 = 1
    private var nextPreparedName = 1
    private var cancelsUndelivered = 0
    /// The requests whose callers were cancelled.
    private var cancelled: Set<RequestID> = []
    private var ticking = false
    private var closed = false
    private var writable = true
    let cacheCapacity: Int

    /// What a caller has got so far.
    private struct Caller {
        var outcomes = 0
        var rows = 0
        var streaming = false
        var consumerGone = false
        var tag: String??
        var results: [SimulatedServer.Outcome]?
        var failure: RequestFailure?
        /// The outcome actions, for the message of a broken rule.
        var history: [String] = []
    }

    /// The statements callers choose from: few, so that the cache hits and evicts.
    static let texts = ["SELECT $1::int4", "SELECT $1::int4 + 1", "SELECT $1::int4 * 2", "SELECT $1::int4 - 3"]

    package init(cacheCapacity: Int, cancelTicks: Int) {
        self.cacheCapacity = cacheCapacity
        pipeline = RequestPipeline(
            settings: ConnectionSettings(user: "fuzz", database: "fuzz", tls: .disable),
            statementCacheCapacity: cacheCapacity, cancelTicks: cancelTicks)
        pipeline.socketConnected()
        var startup = ByteBuffer()
        for message: BackendMessage in [
            .authentication(.ok), .backendKeyData(.init(processID: 1, secretKey: [0, 0, 0, 1])),
            .readyForQuery(.init(transactionStatus: .idle)),
        ] {
            message.encode(into: &startup)
        }
        decoder.append(startup)
        pipeline.consume(&decoder)
        while pipeline.nextAction() != nil {}
    }

    // MARK: Steps

    /// Takes one event from `choices` and performs it.
    package mutating func step(_ choices: inout some ScenarioEventSource) {
        switch choices.below(16) {
        case 0, 1:
            submit(.query(Self.spec(choices.pick(Self.texts) ?? "", wide: choices.below(4) == 0)), &choices)
        case 2:
            let count = 1 + choices.below(4)
            submit(.repeated(Self.spec(choices.pick(Self.texts) ?? ""), count: count, largestSetBytes: 8), &choices)
        case 3:
            let specs = (0..<(1 + choices.below(3))).map { _ in Self.spec(choices.pick(Self.texts) ?? "") }
            submit(.queries(specs), &choices)
        case 4:
            submit(.simple(choices.pick(["BEGIN", "COMMIT", "ROLLBACK", "SELECT 1", "DISCARD ALL"]) ?? ""), &choices)
        case 5:
            submit(choices.below(2) == 0 ? .copyIn("COPY t FROM STDIN") : .copyOut("COPY t TO STDOUT"), &choices)
        case 6:
            submit(.prepare(name: "mine_\(nextPreparedName)", sql: "SELECT $1::int4", parameterTypes: [.int4]), &choices)
            nextPreparedName += 1
        case 7, 8, 9:
            read(Swift.max(1, choices.below(4) == 0 ? Int.max : 1 + choices.below(64)), &choices)
        case 10:
            if let id = callers.first(where: { $0.value.streaming && !$0.value.consumerGone && !ended.contains($0.key) })?.key {
                callers[id]?.consumerGone = true
                feed(&choices) { $0.consumerGone(id) }
            }
        case 11:
            let fallsBehind = choices.below(2) == 0
            feed(&choices) { fallsBehind ? $0.consumerFellBehind() : $0.consumerWantsMore(RequestID(1)) }
        case 12:
            let id = RequestID(UInt64(1 + choices.below(Int(nextID))))
            cancelled.insert(id)
            feed(&choices) { $0.cancelRequested(id) }
        case 13:
            if cancelsUndelivered > 0 {
                cancelsUndelivered -= 1
                feed(&choices) { $0.cancelDelivered() }
            } else if ticking {
                feed(&choices) { $0.cancelTick() }
            }
        case 14:
            writable.toggle()
            let isWritable = writable
            feed(&choices) { $0.writabilityChanged(isWritable: isWritable) }
        default:
            if choices.below(8) == 0 {
                feed(&choices) { $0.connectionClosed() }
            } else {
                read(Int.max, &choices)
            }
        }
        if pipeline.statementCache.count > cacheCapacity {
            violations.append("the cache holds \(pipeline.statementCache.count), more than \(cacheCapacity)")
        }
    }

    /// Lets everything finish: the socket drains, cancels are delivered, and the server's bytes
    /// are read until there are none; then checks that every request ended.
    package mutating func drain(_ choices: inout some ScenarioEventSource) {
        var rounds = 0
        while rounds < 10_000 {
            rounds += 1
            if !writable {
                writable = true
                feed(&choices) { $0.writabilityChanged(isWritable: true) }
            } else if cancelsUndelivered > 0 {
                cancelsUndelivered -= 1
                feed(&choices) { $0.cancelDelivered() }
            } else if pipeline.isReadingPaused {
                feed(&choices) { $0.consumerWantsMore(RequestID(1)) }
            } else if server.toClient.readableBytes > 0 && !closed {
                read(Int.max, &choices)
            } else {
                break
            }
        }
        if !closed, pipeline.requestsInFlight > 0 || pipeline.requestsHeld > 0 {
            violations.append("\(pipeline.requestsInFlight) requests in flight and \(pipeline.requestsHeld) held after draining")
        }
        for id in requests.keys where !ended.contains(id) {
            violations.append("\(id) never ended")
        }
        violations.append(contentsOf: server.violations)
    }

    private static func spec(_ sql: String, wide: Bool = false) -> StatementSpec {
        var types = PGParameterTypes()
        types.append(wide ? .int8 : .int4)
        return StatementSpec(
            sql: sql, parameterTypes: types, parameterFormats: [.binary], parameterCount: 1, parameterBytes: wide ? 12 : 8)
    }

    private mutating func submit(_ request: PipelineRequest, _ choices: inout some ScenarioEventSource) {
        let id = RequestID(nextID)
        nextID += 1
        requests[id] = request
        callers[id] = Caller()
        feed(&choices) { $0.submit(id, request) }
    }

    /// The client reads up to `size` of the bytes the server sent.
    private mutating func read(_ size: Int, _ choices: inout some ScenarioEventSource) {
        guard !closed, !pipeline.isReadingPaused, server.toClient.readableBytes > 0,
            let chunk = server.toClient.readSlice(length: Swift.min(size, server.toClient.readableBytes))
        else { return }
        var decoder = self.decoder
        self.decoder = BackendMessageDecoder()
        decoder.append(chunk)
        feed(&choices) { pipeline in
            pipeline.consume(&decoder)
            pipeline.readComplete()
        }
        self.decoder = decoder
    }

    // MARK: The shell

    /// Gives the pipeline an event and performs the actions it takes, as the channel handler does.
    private mutating func feed(_ choices: inout some ScenarioEventSource, _ event: (inout RequestPipeline) -> Void) {
        event(&pipeline)
        while let action = pipeline.nextAction() {
            perform(action, &choices)
        }
    }

    private mutating func perform(_ action: PipelineAction, _ choices: inout some ScenarioEventSource) {
        switch action {
        case .connection, .notice, .sessionChanged, .ready:
            break
        case .write(let id, let write):
            if closed { violations.append("\(id) written after the connection closed") }
            var upTo: Int?
            if case .batch(let writes, let from) = write {
                // The socket may fill partway through; the shell then stops until it drains.
                let end = choices.below(2) == 0 ? writes.count : from + choices.below(writes.count - from + 1)
                upTo = end
                if end < writes.count, writable {
                    writable = false
                    pipeline.writabilityChanged(isWritable: false)
                }
            }
            server.receive(write, of: id, request: requests[id], upTo: upTo, choices: &choices)
            if let upTo { pipeline.batchWritten(upTo: upTo) }
        case .deliverRows(let id, _, let rows, let tag):
            outcome(id, action) { caller in
                caller.rows += rows.count
                if let tag { caller.tag = .some(tag) } else { caller.streaming = true }
            }
        case .completeRows(let id, _, let rows, let tag):
            outcome(id, action) { caller in
                caller.rows += rows.count
                caller.tag = .some(tag)
            }
            end(id)
        case .streamRows(let id, let rows):
            guard live(id, "rows") else { return }
            if callers[id]?.streaming != true { violations.append("\(id): rows for a stream never handed over") }
            callers[id]?.rows += rows.count
        case .finishRows(let id, let tag):
            guard live(id, "end of rows") else { return }
            callers[id]?.tag = .some(tag)
        case .completeResults(let id, let results):
            outcome(id, action) { caller in
                caller.results = results.map { result in
                    switch result {
                    case .rows(_, let rows, _): .rows(rows.count)
                    case .failed(let error): .failed(error.fields[.sqlState] ?? "")
                    case .skipped: .skipped
                    }
                }
            }
        case .copyInStarted(let id):
            guard live(id, "COPY start") else { return }
            server.copyInputEnded(failed: choices.below(4) == 0)
        case .copyOutStarted(let id):
            guard live(id, "COPY start") else { return }
            callers[id]?.streaming = true
        case .streamCopyData(let id, let chunks):
            guard live(id, "COPY data") else { return }
            callers[id]?.rows += chunks.count
        case .finishCopyOut(let id):
            outcome(id, action) { $0.tag = .some(nil) }
        case .completeCopyIn(let id, _), .completePrepare(let id, _):
            outcome(id, action) { $0.tag = .some(nil) }
        case .fail(let id, let failure):
            outcome(id, action) { $0.failure = failure }
        case .requestEnded(let id):
            end(id)
        case .sendCancel:
            cancelsUndelivered += 1
            ticking = true
        case .stopCancelTicks:
            ticking = false
        case .resumeReading:
            break
        case .close, .terminateAndClose:
            closed = true
            ticking = false
        }
    }

    /// Whether `id` is a request that was submitted and has not ended.
    private mutating func live(_ id: RequestID, _ what: String) -> Bool {
        if id == RequestPipeline.internalRequestID { return false }
        guard requests[id] != nil else {
            violations.append("\(what) for \(id), which was never submitted")
            return false
        }
        guard !ended.contains(id) else {
            violations.append("\(what) for \(id), which had ended")
            return false
        }
        return true
    }

    /// Records an outcome; a request gets one (a stream's failure may follow its start).
    private mutating func outcome(_ id: RequestID, _ action: PipelineAction, _ change: (inout Caller) -> Void) {
        guard live(id, "an outcome") else { return }
        callers[id]?.history.append("\(action)".prefix(120).description)
        change(&callers[id, default: Caller()])
        callers[id]?.outcomes += 1
    }

    /// A request ended: check what its caller got against what the server did.
    private mutating func end(_ id: RequestID) {
        guard id != RequestPipeline.internalRequestID else { return }
        guard live(id, "the end") else { return }
        ended.insert(id)
        guard let caller = callers[id], let request = requests[id] else { return }
        let limit = caller.streaming ? 2 : 1  // a stream's start, then its end or failure
        if caller.outcomes == 0 || caller.outcomes > limit {
            violations.append("\(id) (\(request)) ended after \(caller.outcomes) outcomes: \(caller.history)")
        }
        if let failure = caller.failure {
            check(id, failure: failure)
            return
        }
        let truth = server.truth[id] ?? []
        switch request {
        case .query, .copyOut:
            guard !caller.consumerGone else { return }
            let expected = truth.last
            if expected != .rows(caller.rows) {
                violations.append("\(id) got \(caller.rows) rows; the server did \(String(describing: expected))")
            }
        case .queries, .repeated, .simple:
            let results = caller.results ?? []
            let expected = request.isSimple ? truth.filter { $0 != .skipped } : truth
            if results != expected {
                violations.append("\(id) got \(results); the server did \(truth)")
            }
        case .copyIn, .prepare:
            if truth != [.rows(0)] { violations.append("\(id) succeeded; the server did \(truth)") }
        }
    }

    private mutating func check(_ id: RequestID, failure: RequestFailure) {
        switch failure {
        case .server(let error):
            let state = error.fields[.sqlState] ?? ""
            if !(server.truth[id] ?? []).contains(.failed(state)) {
                violations.append("\(id) failed with \(state); the server did \(server.truth[id] ?? [])")
            }
        case .connection, .cancelNotConfirmed:
            if !closed { violations.append("\(id) failed with the connection, which is open") }
        case .cancelled(let wasSent):
            if !cancelled.contains(id) { violations.append("\(id) failed as cancelled, and its caller was not") }
            // A query held to be written again after a stale plan was sent once, and nothing of
            // it ran: as good as never sent.
            let ranSomething = (server.truth[id] ?? []).contains { $0 != .failed("0A000") && $0 != .failed("26000") }
            if !wasSent, ranSomething { violations.append("\(id) failed as never sent; the server ran it") }
        case .invalid, .noResult, .noCopyData:
            violations.append("\(id) failed: \(failure)")
        }
    }
}

extension PipelineRequest {
    fileprivate var isSimple: Bool {
        if case .simple = self { return true }
        return false
    }
}
