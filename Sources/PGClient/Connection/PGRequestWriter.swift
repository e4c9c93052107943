import NIOCore
import PGWire

/// Writes a request's messages as the request pipeline planned them: the pipeline decides what
/// to send, this writes it with the values only the caller's request holds.
enum PGRequestWriter {
    /// Writes `write` for `request` into `out`.
    ///
    /// - Parameter sendPart: called after each statement of a batch with whether more follow;
    ///   it may send what `out` holds and returns `true` when writing must pause (the socket is
    ///   full).
    /// - Returns: for a batch, the first statement not written (its size when all were, and the
    ///   Sync with them); `nil` otherwise.
    /// - Throws: ``PGWireError`` only when the values are not those the pipeline planned with.
    static func write(
        _ write: RequestWrite, for request: PGOutstanding?, into out: inout ByteBuffer,
        sendPart: (inout ByteBuffer, _ more: Bool) -> Bool
    ) throws(PGWireError) -> Int? {
        // The request is read where it is kept (a query's result, or the handler's object for
        // any other request), and taken apart by one pattern per case: a switch over a tuple of
        // the write and the request's kind copies both first.
        switch write {
        case .closeStatement(let name):
            try FrontendMessage.close(.init(.statement, name: name)).encode(into: &out)
            FrontendMessage.writeSync(into: &out)
        case .statement(let statement):
            guard let result = request?.queryResult else { return nil }
            try result.write(statement, into: &out)
        case .batch(let writes, let from):
            guard case .batch(let statements, _)? = request?.outstandingRequest?.request.kind else { return nil }
            return try writeBatch(statements, writes, from: from, into: &out, sendPart: sendPart)
        case .query:
            guard let kind = request?.outstandingRequest?.request.kind else { return nil }
            switch kind {
            case .simple(let result):
                try FrontendMessage.query(.init(sql: result.sql)).encode(into: &out)
            case .copyIn(let sql, _, _), .copyOut(let sql, _):
                try FrontendMessage.query(.init(sql: sql)).encode(into: &out)
            default:
                break
            }
        case .prepare:
            guard case .prepare(let definition, _)? = request?.outstandingRequest?.request.kind else { return nil }
            try FrontendMessage.parse(.init(statementName: definition.name, query: definition.sql, parameterTypes: definition.parameterTypes))
                .encode(into: &out)
            try FrontendMessage.describe(.init(.statement, name: definition.name)).encode(into: &out)
            FrontendMessage.writeSync(into: &out)
        }
        return nil
    }

    /// The bytes of COPY FROM STDIN input: a CopyData header and the data itself (sent as it is,
    /// not copied), or a whole CopyDone or CopyFail.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` for a chunk of 2 GiB or more, or
    ///   a CopyFail message holding a NUL.
    static func copyInput(
        _ input: PGRequest.CopyInput, allocator: ByteBufferAllocator
    ) throws(PGError) -> (ByteBuffer, data: ByteBuffer?) {
        var buffer = allocator.buffer(capacity: 16)
        if case .data(let data) = input {
            guard data.readableBytes <= Int(Int32.max) - 4 else {
                throw PGError(.encoding, message: "a COPY chunk must be under 2 GiB", requestWasSent: false)
            }
            buffer.writeInteger(UInt8(ascii: "d"))
            buffer.writeInteger(Int32(4 + data.readableBytes))
            return (buffer, data)
        }
        do throws(PGWireError) {
            if case .fail(let message) = input {
                try FrontendMessage.copyFail(.init(message: message)).encode(into: &buffer)
            } else {
                try FrontendMessage.copyDone.encode(into: &buffer)
            }
        } catch {
            throw PGError(.encoding, message: "\(error)", requestWasSent: false)
        }
        return (buffer, nil)
    }

    /// Writes a batch's statements from `from` on, a Flush where the batch asks for its results
    /// early (``StatementWrites/earlyFlushAfter``), and the Sync once every one is written.
    private static func writeBatch(
        _ statements: PGBatchStatements, _ writes: StatementWrites, from: Int, into out: inout ByteBuffer,
        sendPart: (inout ByteBuffer, _ more: Bool) -> Bool
    ) throws(PGWireError) -> Int {
        var next = from
        let count = writes.count
        let flushAfter = writes.earlyFlushAfter
        // After each statement: the early Flush when it is due, then a part sent when one is full.
        func statementWritten(_ written: Int, into out: inout ByteBuffer) -> Bool {
            if written == flushAfter { FrontendMessage.writeFlush(into: &out) }
            return sendPart(&out, written < count)
        }
        // One loop per kind, so that the batch is taken apart once, not once per statement.
        switch statements {
        case .queries(let queries):
            while next < count {
                try writes[next].write(queries[next].bindings, sql: queries[next].sql, into: &out)
                next += 1
                if statementWritten(next, into: &out) { break }
            }
        case .repeated(let batch):
            let formats = batch.formats.wire(count: batch.types.count)
            // Every set's values read through one pointer: a slice of the buffer for each set
            // retained, released and checked access to its storage.
            // The sets that share one write (all but the first) differ only in their values: their
            // Binds are laid out once, and no set's write is copied.
            var shared: RepeatedStatementWrite?
            try batch.values.withUnsafeReadableBytes { (values) throws(PGWireError) in
                while next < count {
                    if next > 0, shared == nil, case .repeated(_, let later, _) = writes {
                        shared = try RepeatedStatementWrite(
                            sharedBy: later, parameterFormats: formats, parameterCount: batch.types.count)
                    }
                    if let shared {
                        try shared.write(
                            values: UnsafeRawBufferPointer(rebasing: values[batch.valueOffsets(ofSet: next)]), into: &out)
                    } else {
                        try writes[next].write(
                            sql: batch.sql, parameterTypes: batch.types, parameterFormats: formats,
                            parameterCount: batch.types.count, values: .buffer(batch.values(ofSet: next)), into: &out)
                    }
                    next += 1
                    if statementWritten(next, into: &out) { break }
                }
            }
        }
        if next == count { FrontendMessage.writeSync(into: &out) }
        return next
    }
}

extension StatementWrite {
    /// Writes the statement with a query's values, and a Sync after it when `sync`.
    func write(_ bindings: PGBindings, sql: String, into out: inout ByteBuffer, sync: Bool = false) throws(PGWireError) {
        try write(
            sql: sql, parameterTypes: bindings.types, parameterFormats: bindings.wireFormats,
            parameterCount: bindings.count, values: bindings.encodedValues, into: &out, sync: sync)
    }
}
