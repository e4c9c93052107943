import NIOCore
import PGWire

extension PGChannelHandler {
    /// Writes a request's messages as the pipeline planned them into `outgoing`.
    ///
    /// The bytes go into a local buffer moved out of the handler and back: every write into a
    /// class's stored property is a run-time exclusivity check, and a batch makes hundreds.
    func write(_ write: RequestWrite, of id: RequestID) {
        var out = ByteBuffer()
        swap(&out, &outgoing)
        defer { swap(&out, &outgoing) }
        do throws(PGWireError) {
            switch write {
            case .closeStatement(let name):
                try FrontendMessage.close(.init(.statement, name: name)).encode(into: &out)
                FrontendMessage.writeSync(into: &out)
            case .statement(let statement):
                guard case .query(let query, _) = requests[id]?.request.kind else { return }
                try statement.write(query.bindings, sql: query.sql, into: &out)
                FrontendMessage.writeSync(into: &out)
            case .batch(let writes, let from):
                guard case .batch(let statements, _) = requests[id]?.request.kind else { return }
                try writeBatch(statements, writes, from: from, into: &out)
            case .query:
                guard let request = requests[id]?.request else { return }
                try FrontendMessage.query(.init(sql: request.sql)).encode(into: &out)
            case .prepare:
                guard case .prepare(let definition, _) = requests[id]?.request.kind else { return }
                try FrontendMessage.parse(.init(statementName: definition.name, query: definition.sql, parameterTypes: definition.parameterTypes))
                    .encode(into: &out)
                try FrontendMessage.describe(.init(.statement, name: definition.name)).encode(into: &out)
                FrontendMessage.writeSync(into: &out)
            }
        } catch {
            // The pipeline checked every message when it planned it; a failure here leaves the
            // server with part of a request, so the connection cannot go on.
            logger.error("a planned request could not be written", metadata: ["error": "\(error)"])
            feed { $0.decodingFailed(error) }
        }
    }

    /// Writes a batch's statements from `from` on: whole parts of ``writePartSize`` bytes go to
    /// the socket while it takes them, and the Sync ends the batch once every statement is
    /// written. Tells the pipeline how far it got.
    private func writeBatch(
        _ statements: PGBatchStatements, _ writes: [StatementWrite], from: Int, into out: inout ByteBuffer
    ) throws(PGWireError) {
        var next = from
        // One loop per kind, so that the batch is taken apart once, not once per statement.
        switch statements {
        case .queries(let queries):
            while next < writes.count {
                try writes[next].write(queries[next].bindings, sql: queries[next].sql, into: &out)
                next += 1
                if sendPart(&out, more: next < writes.count) { break }
            }
        case .repeated(let batch):
            let formats = batch.formats.wire(count: batch.types.count)
            while next < writes.count {
                try writes[next].write(
                    sql: batch.sql, parameterTypes: batch.types, parameterFormats: formats,
                    parameterCount: batch.types.count, values: batch.values(ofSet: next), into: &out)
                next += 1
                if sendPart(&out, more: next < writes.count) { break }
            }
        }
        if next == writes.count { FrontendMessage.writeSync(into: &out) }
        pipeline.batchWritten(upTo: next)
    }

    /// Sends `out` once it holds a whole part and more statements follow; returns whether the
    /// socket has more unsent than the limit, so that writing pauses until it drains.
    private func sendPart(_ out: inout ByteBuffer, more: Bool) -> Bool {
        guard more, out.readableBytes >= Self.writePartSize, let context else { return false }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out = context.channel.allocator.buffer(capacity: 4096)
        return !context.channel.isWritable
    }

    /// The bytes of a large batch written to the socket at a time.
    static let writePartSize = 64 * 1024

    /// Writes CopyData, CopyDone or CopyFail for the COPY FROM STDIN in progress; `promise`
    /// completes when the bytes are handed to the socket, which paces the caller.
    func writeCopyInput(_ input: PGRequest.CopyInput, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        if outgoing.readableBytes > 0 { flush(context: context) }
        var buffer = context.channel.allocator.buffer(capacity: 16)
        do {
            switch input {
            case .data(let data):
                guard data.readableBytes <= Int(Int32.max) - 4 else {
                    promise?.fail(PGError(.encoding, message: "a COPY chunk must be under 2 GiB", requestWasSent: false))
                    return
                }
                buffer.writeInteger(UInt8(ascii: "d"))
                buffer.writeInteger(Int32(4 + data.readableBytes))
                context.write(wrapOutboundOut(buffer), promise: nil)
                context.write(wrapOutboundOut(data), promise: promise)
                return
            case .done:
                try FrontendMessage.copyDone.encode(into: &buffer)
            case .fail(let message):
                try FrontendMessage.copyFail(.init(message: message)).encode(into: &buffer)
            }
        } catch {
            promise?.fail(PGError(.encoding, message: "\(error)", requestWasSent: false))
            return
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }
}

extension StatementWrite {
    /// Writes the statement with a query's values.
    func write(_ bindings: PGBindings, sql: String, into out: inout ByteBuffer) throws(PGWireError) {
        try write(
            sql: sql, parameterTypes: bindings.types, parameterFormats: bindings.wireFormats,
            parameterCount: bindings.count, values: bindings.bytes, into: &out)
    }
}
