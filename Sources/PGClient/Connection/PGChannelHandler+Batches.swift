import NIOCore
import PGWire

/// One statement's execution, decided and checked before any of its bytes is written.
struct PlannedExecution {
    var steps: ExtendedSteps
    var statement: PGInFlightRequest.Statement
    /// The statement's name ("" for the unnamed statement).
    let name: String
    /// The text and parameter types to parse, when the statement is parsed here.
    let parse: PGStatementCache.Key?
    /// A cached statement to close after this one (the cache was full).
    let evicted: String?
}

/// A batch the machine knows of whose bytes are not all written yet: the socket had more
/// unsent than ``PGConnection/Options/maximumUnsentBytes`` allows.
struct PendingBatchWrite {
    let statements: PGBatchStatements
    let planned: [PlannedExecution]
    /// The first statement not written yet.
    var next = 0
}

extension PGChannelHandler {
    /// Plans a batch, tells the machine of all of it, and writes as much as the socket takes;
    /// the rest follows as it drains (``channelWritabilityChanged(context:)``), and requests made
    /// meanwhile wait. Returns the error the request fails with, if it is not sent at all.
    func recordBatch(_ request: PGRequest, _ statements: PGBatchStatements, into out: inout ByteBuffer) -> PGError? {
        let planned: [PlannedExecution]
        do {
            planned = try planBatch(statements)
        } catch {
            return PGError(.encoding, message: "\(error)", requestWasSent: false, query: request.sql)
        }
        switch machine.requestSubmitted(request.id, .batch(planned.map(\.steps))) {
        case .writeRequest:
            inFlight.append(PGInFlightRequest(id: request.id, request: request, statements: StatementList(planned.map(\.statement))))
            shared.requestsInFlight.add(1, ordering: .relaxed)
        case .rejectRequest(_, let failure):
            forgetUnsentStatements(planned)
            return PGError(failure, requestWasSent: false, query: request.sql)
        default:
            forgetUnsentStatements(planned)
            return PGError(.invalidUsage, message: "the connection cannot take requests now", requestWasSent: false)
        }
        pendingBatchWrite = PendingBatchWrite(statements: statements, planned: planned)
        writePendingBatch(into: &out)
        return nil
    }

    /// Writes the pending batch on: whole parts of ``writePartSize`` bytes go to the socket
    /// while it takes them, and the Sync ends the batch once every statement is written.
    func writePendingBatch(into out: inout ByteBuffer) {
        guard var pending = pendingBatchWrite else { return }
        pendingBatchWrite = nil
        do throws(PGWireError) {
            while pending.next < pending.planned.count {
                let index = pending.next
                switch pending.statements {
                case .queries(let queries):
                    let bindings = queries[index].bindings
                    try writeExecution(
                        pending.planned[index], parameterFormats: bindings.wireFormats, parameterCount: bindings.count,
                        parameters: bindings.bytes, into: &out)
                case .repeated(let batch):
                    try writeExecution(
                        pending.planned[index], parameterFormats: batch.formats.wire(count: batch.types.count),
                        parameterCount: batch.types.count, parameters: batch.values(ofSet: index), into: &out)
                }
                pending.next += 1
                if out.readableBytes >= Self.writePartSize, pending.next < pending.planned.count, let context {
                    context.writeAndFlush(wrapOutboundOut(out), promise: nil)
                    out = context.channel.allocator.buffer(capacity: 4096)
                    if !context.channel.isWritable {
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
