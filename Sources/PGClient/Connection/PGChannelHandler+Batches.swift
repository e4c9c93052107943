import NIOCore
import PGWire

/// One statement's execution, decided and checked before any of its bytes is written.
struct PlannedExecution {
    var steps: ExtendedSteps
    var statement: PGInFlightRequest.Statement
    var write: PlannedWrite
}

/// What writing one planned statement needs.
struct PlannedWrite {
    /// The statement's name ("" for the unnamed statement).
    let name: String
    /// The text and parameter types to parse, when the statement is parsed here.
    let parse: PGStatementCache.Key?
    /// A cached statement to close after this one (the cache was full).
    let evicted: String?
    /// Whether the portal is described.
    var describes: Bool
}

/// The statements of a batch as planned: what the machine, the in-flight request and the
/// writer each need, kept apart so that none is copied out of the others.
struct PlannedBatch {
    var steps: [ExtendedSteps] = []
    var statements: [PGInFlightRequest.Statement] = []
    var writes: [PlannedWrite] = []

    init(capacity: Int) {
        steps.reserveCapacity(capacity)
        statements.reserveCapacity(capacity)
        writes.reserveCapacity(capacity)
    }

    mutating func append(_ execution: PlannedExecution) {
        steps.append(execution.steps)
        statements.append(execution.statement)
        writes.append(execution.write)
    }
}

/// A batch the machine knows of whose bytes are not all written yet: the socket had more
/// unsent than ``PGConnection/Options/maximumUnsentBytes`` allows.
struct PendingBatchWrite {
    let statements: PGBatchStatements
    let writes: [PlannedWrite]
    /// The first statement not written yet.
    var next = 0
}

extension PGChannelHandler {
    /// Plans a batch, tells the machine of all of it, and writes as much as the socket takes;
    /// the rest follows as it drains (``channelWritabilityChanged(context:)``), and requests made
    /// meanwhile wait. Returns the error the request fails with, if it is not sent at all.
    func recordBatch(_ request: PGRequest, _ statements: PGBatchStatements, into out: inout ByteBuffer) -> PGError? {
        let planned: PlannedBatch
        do {
            planned = try planBatch(statements)
        } catch {
            return PGError(.encoding, message: "\(error)", requestWasSent: false, query: request.sql)
        }
        switch machine.requestSubmitted(request.id, .batch(planned.steps)) {
        case .writeRequest:
            inFlight.append(PGInFlightRequest(id: request.id, request: request, statements: StatementList(planned.statements)))
            shared.requestsInFlight.add(1, ordering: .relaxed)
        case .rejectRequest(_, let failure):
            forgetUnsentStatements(planned.statements)
            return PGError(failure, requestWasSent: false, query: request.sql)
        default:
            forgetUnsentStatements(planned.statements)
            return PGError(.invalidUsage, message: "the connection cannot take requests now", requestWasSent: false)
        }
        pendingBatchWrite = PendingBatchWrite(statements: statements, writes: planned.writes)
        writePendingBatch(into: &out)
        return nil
    }

    /// Writes the pending batch on: whole parts of ``writePartSize`` bytes go to the socket
    /// while it takes them, and the Sync ends the batch once every statement is written.
    func writePendingBatch(into out: inout ByteBuffer) {
        guard var pending = pendingBatchWrite else { return }
        pendingBatchWrite = nil
        let count = pending.writes.count
        do throws(PGWireError) {
            // One loop per kind, so that the batch is taken apart once, not once per statement.
            switch pending.statements {
            case .queries(let queries):
                while pending.next < count {
                    let index = pending.next
                    try writeExecution(
                        pending.writes[index], parameterFormats: queries[index].bindings.wireFormats,
                        parameterCount: queries[index].bindings.count, parameters: queries[index].bindings.bytes, into: &out)
                    pending.next += 1
                    if sendPart(&out, more: pending.next < count) {
                        pendingBatchWrite = pending
                        return
                    }
                }
            case .repeated(let batch):
                let formats = batch.formats.wire(count: batch.types.count)
                while pending.next < count {
                    let index = pending.next
                    try writeExecution(
                        pending.writes[index], parameterFormats: formats, parameterCount: batch.types.count,
                        parameters: batch.values(ofSet: index), into: &out)
                    pending.next += 1
                    if sendPart(&out, more: pending.next < count) {
                        pendingBatchWrite = pending
                        return
                    }
                }
            }
        } catch {
            // Every statement was checked when it was planned; a failure here leaves the
            // server with half a batch, so the connection cannot go on.
            logger.error("a planned batch could not be written", metadata: ["error": "\(error)"])
            if let context { errorCaught(context: context, error: error) }
            return
        }
        FrontendMessage.writeSync(into: &out)
    }

    /// Sends `out` once it holds a whole part and more statements follow; returns whether the
    /// socket has more unsent than the limit, so that writing pauses until it drains.
    private func sendPart(_ out: inout ByteBuffer, more: Bool) -> Bool {
        guard more, out.readableBytes >= Self.writePartSize, let context else { return false }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out = context.channel.allocator.buffer(capacity: 4096)
        return !context.channel.isWritable
    }

    /// The socket took enough of what was written: go on with a pending batch, then with the
    /// requests that waited.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            if pendingBatchWrite != nil {
                var out = ByteBuffer()
                swap(&out, &outgoing)
                writePendingBatch(into: &out)
                swap(&out, &outgoing)
                flush(context: context)
            }
            releaseHeldRequests()
        }
        context.fireChannelWritabilityChanged()
    }

    /// The bytes of a large batch written to the socket at a time.
    static let writePartSize = 64 * 1024
}
