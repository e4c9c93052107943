import NIOCore
import PGWire

extension PGChannelHandler {
    /// Encodes a request and tells the machine, or holds it while the connection may not take it.
    func submit(_ request: PGRequest) {
        if isHoldingRequests {
            heldRequests.append(request)
            return
        }
        // Encoded into a local buffer moved out of the handler and back: every write into a
        // class's stored property is a dynamic exclusivity check, and a batch makes hundreds.
        // Promises are failed only after the buffer is back, as their callbacks may submit.
        var out = ByteBuffer()
        swap(&out, &outgoing)
        let failure = encodeAndRecord(request, into: &out)
        swap(&out, &outgoing)
        if let failure { request.fail(failure) }
    }

    /// Writes the request into `out` and tells the machine; on failure, takes the bytes back
    /// out and returns the error the request fails with.
    private func encodeAndRecord(_ request: PGRequest, into out: inout ByteBuffer) -> PGError? {
        if case .batch(let statements, _) = request.kind { return recordBatch(request, statements, into: &out) }
        let start = out.writerIndex
        let machineRequest: QueryRequest
        let statements: StatementList
        do {
            (machineRequest, statements) = try encode(request, into: &out)
        } catch {
            out.moveWriterIndex(to: start)
            return PGError(.encoding, message: "\(error)", requestWasSent: false, query: request.sql)
        }
        switch machine.requestSubmitted(request.id, machineRequest) {
        case .writeRequest:
            inFlight.append(PGInFlightRequest(id: request.id, request: request, statements: statements))
            shared.requestsInFlight.add(1, ordering: .relaxed)
            return nil
        case .rejectRequest(_, let failure):
            out.moveWriterIndex(to: start)
            return PGError(failure, requestWasSent: false, query: request.sql)
        default:
            out.moveWriterIndex(to: start)
            return PGError(.invalidUsage, message: "the connection cannot take requests now", requestWasSent: false)
        }
    }

    /// Submits a request from a caller already on the event loop and writes it at once: what
    /// `write` and `flush` do for a request that comes through the pipeline.
    ///
    /// A request that joins others in flight is written at the end of this turn of the event
    /// loop rather than at once: the server is busy with the earlier ones, and the tasks that
    /// resume in the same turn (their results came in one read) then share one write instead
    /// of a system call each. A request on an idle connection goes out at once.
    func submitAndFlush(_ request: PGRequest) {
        let joinsOthers = !inFlight.isEmpty
        submit(request)
        guard let context else { return }
        if joinsOthers {
            flushAtEndOfTurn(context: context)
        } else {
            flush(context: context)
        }
    }

    /// Flushes once the tasks already queued on the event loop have run.
    private func flushAtEndOfTurn(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let handler = handler.value
            handler.flushScheduled = false
            if let context = handler.context { handler.flush(context: context) }
        }
    }

    /// Writes the held requests once nothing holds them any more.
    func releaseHeldRequests() {
        guard !heldRequests.isEmpty, !isHoldingRequests else { return }
        let held = heldRequests
        heldRequests.removeAll()
        for (index, request) in held.enumerated() {
            submit(request)
            if isHoldingRequests {
                // A COPY FROM STDIN among them holds the rest again.
                heldRequests.insert(contentsOf: held[(index + 1)...], at: 0)
                break
            }
        }
        if let context { flush(context: context) }
    }

    /// Writes the request's messages into the outgoing buffer and says what to expect back.
    private func encode(_ request: PGRequest, into outgoing: inout ByteBuffer) throws(PGWireError) -> (QueryRequest, StatementList) {
        switch request.kind {
        case .query(let query, _):
            let (steps, statement) = try encodeStatement(query, into: &outgoing)
            FrontendMessage.writeSync(into: &outgoing)
            return (.extended(steps), StatementList(statement))
        case .batch:
            // Planned and written by encodeAndRecord, in parts when it is large.
            throw PGWireError(.unexpectedMessage, message: "batch")
        case .simple(let sql, _), .copyIn(let sql, _, _), .copyOut(let sql, _):
            try FrontendMessage.query(.init(sql: sql)).encode(into: &outgoing)
            return (.simple, StatementList())
        case .prepare(let definition, _):
            try FrontendMessage.parse(.init(statementName: definition.name, query: definition.sql, parameterTypes: definition.parameterTypes))
                .encode(into: &outgoing)
            try FrontendMessage.describe(.init(.statement, name: definition.name)).encode(into: &outgoing)
            FrontendMessage.writeSync(into: &outgoing)
            return (.extended(.prepare), StatementList())
        case .closeStatement(let name):
            try FrontendMessage.close(.init(.statement, name: name)).encode(into: &outgoing)
            FrontendMessage.writeSync(into: &outgoing)
            return (.extended(.close), StatementList())
        case .copyInput:
            // Written directly by write(context:data:promise:), never submitted.
            throw PGWireError(.unexpectedMessage, message: "CopyData")
        }
    }

    /// Every result column in binary, made once rather than as an array literal per statement.
    private static let binaryResults: [PGFormat] = [.binary]

    /// Writes one query as the statement cache says (see ``planExecution``).
    private func encodeStatement(_ query: PGQuery, into outgoing: inout ByteBuffer) throws(PGWireError) -> (ExtendedSteps, PGInFlightRequest.Statement) {
        let planned = try planStatement(query)
        do {
            try writeExecution(
                planned.write, parameterFormats: query.bindings.wireFormats, parameterCount: query.bindings.count,
                parameters: query.bindings.bytes, into: &outgoing)
        } catch {
            forgetUnsentStatements([planned.statement])
            throw error
        }
        return (planned.steps, planned.statement)
    }

    /// Decides how one query runs: an explicitly prepared statement, or as the cache says.
    func planStatement(_ query: PGQuery) throws(PGWireError) -> PlannedExecution {
        if let prepared = query.prepared {
            // An explicitly prepared statement: the cache neither knows nor manages it.
            return try planExecution(
                plan: .cached(name: prepared.name, columns: prepared.columns), key: nil,
                parameterFormats: query.bindings.wireFormats, parameterCount: query.bindings.count,
                parameterBytes: query.bindings.bytes.readableBytes)
        }
        let key = PGStatementCache.Key(sql: query.sql, parameterTypes: query.bindings.types)
        return try planExecution(
            plan: statementCache.plan(for: key), key: key, parameterFormats: query.bindings.wireFormats,
            parameterCount: query.bindings.count, parameterBytes: query.bindings.bytes.readableBytes)
    }

    /// Decides how every statement of a batch runs, and checks each can be written, before a
    /// byte of it is: a batch larger than the unsent-bytes limit is written out over several
    /// turns of the event loop, after the machine was told of all of it.
    ///
    /// A batch of parameter sets asks the cache once; the sets after the first use the
    /// statement the first prepared (or the unnamed one it parsed, which no other Parse
    /// replaces in between), and the first set's description of the result.
    func planBatch(_ statements: PGBatchStatements) throws(PGWireError) -> PlannedBatch {
        var planned = PlannedBatch(capacity: statements.count)
        do throws(PGWireError) {
            switch statements {
            case .queries(let queries):
                // Through the buffer's elements in place: a `for query in queries` loop copies
                // every query (its SQL and bindings, retained and released) just to read it.
                try queries.withUnsafeBufferPointer { (queries) throws(PGWireError) in
                    for index in queries.indices { planned.append(try planStatement(queries[index])) }
                }
            case .repeated(let batch):
                let key = PGStatementCache.Key(sql: batch.sql, parameterTypes: batch.types)
                let parameterFormats = batch.formats.wire(count: batch.types.count)
                var plan = statementCache.plan(for: key)
                var firstDescribes = false
                for index in 0..<batch.count {
                    let parameterBytes = batch.valueByteCount(ofSet: index)
                    var execution = try planExecution(
                        plan: plan, key: key, parameterFormats: parameterFormats, parameterCount: batch.types.count,
                        parameterBytes: parameterBytes,
                        // The later sets differ from the first in their values' size alone.
                        check: index == 0 || parameterBytes > Self.uncheckedParameterBytes)
                    if index == 0 {
                        firstDescribes = execution.write.describes
                    } else if firstDescribes {
                        // The first set's description serves them all: one RowDescription (and
                        // one PGColumns) per batch, not one per set.
                        execution.steps.remove(.describePortal)
                        execution.write.describes = false
                        execution.statement.columnsOfFirst = true
                    }
                    planned.append(execution)
                    switch plan {
                    case .unnamed: plan = .parsedUnnamed
                    case .prepare(let name, _): plan = .cached(name: name, columns: nil)
                    case .cached, .parsedUnnamed: break
                    }
                }
            }
        } catch {
            forgetUnsentStatements(planned.statements)
            throw error
        }
        return planned
    }

    /// Parameter values of a later batch set smaller than this cannot make its Bind too large.
    private static let uncheckedParameterBytes = 1 << 30

    /// Statements the cache was told would be prepared, whose bytes were never sent.
    func forgetUnsentStatements(_ statements: [PGInFlightRequest.Statement]) {
        for statement in statements where statement.parsesNamed {
            if let key = statement.key { statementCache.remove(key) }
        }
    }

    /// Decides one statement's messages: Parse (unless cached), Bind with binary results,
    /// Describe of the portal (unless the columns are cached), Execute, and a Close of an
    /// evicted statement; and checks that they can be written, so that writing them cannot fail.
    private func planExecution(
        plan: PGStatementCache.Plan, key: PGStatementCache.Key?, parameterFormats: [PGFormat], parameterCount: Int,
        parameterBytes: Int, check: Bool = true
    ) throws(PGWireError) -> PlannedExecution {
        var steps: ExtendedSteps = [.bind, .execute]
        var statement = PGInFlightRequest.Statement()
        let name: String
        var evicted: String?
        switch plan {
        case .unnamed:
            name = ""
            steps.formUnion([.parse, .describePortal])
        case .parsedUnnamed:
            name = ""
            steps.insert(.describePortal)
        case .prepare(let newName, let oldName):
            name = newName
            evicted = oldName
            steps.formUnion([.parse, .describePortal])
            statement.key = key
            statement.parsesNamed = true
        case .cached(let cachedName, let columns):
            name = cachedName
            statement.key = key
            statement.knownColumns = columns
            if columns == nil { steps.insert(.describePortal) }
        }
        if evicted != nil { steps.insert(.close) }
        let write = PlannedWrite(
            name: name, parse: steps.contains(.parse) ? key : nil, evicted: evicted,
            describes: steps.contains(.describePortal))
        guard check else { return PlannedExecution(steps: steps, statement: statement, write: write) }
        do throws(PGWireError) {
            if let key = write.parse {
                // Parse is written into scratch to check it (a statement is parsed once, so this
                // is rare): the SQL text may hold a NUL, or too many parameter types.
                var scratch = ByteBuffer()
                try FrontendMessage.parse(.init(statementName: name, query: key.sql, parameterTypes: Array(key.parameterTypes)))
                    .encode(into: &scratch)
            }
            _ = try FrontendMessage.Bind.size(
                portalName: "", statementName: name, parameterFormats: parameterFormats, parameterCount: parameterCount,
                parameterBytes: parameterBytes, resultFormats: Self.binaryResults)
        } catch {
            forgetUnsentStatements([statement])
            throw error
        }
        return PlannedExecution(steps: steps, statement: statement, write: write)
    }

    /// Writes the messages ``planExecution`` decided on.
    func writeExecution(
        _ write: PlannedWrite, parameterFormats: [PGFormat], parameterCount: Int, parameters: ByteBuffer,
        into outgoing: inout ByteBuffer
    ) throws(PGWireError) {
        if let key = write.parse {
            try FrontendMessage.parse(.init(statementName: write.name, query: key.sql, parameterTypes: Array(key.parameterTypes)))
                .encode(into: &outgoing)
        }
        try FrontendMessage.Bind.write(
            into: &outgoing, portalName: "", statementName: write.name, parameterFormats: parameterFormats,
            parameterCount: parameterCount, encodedParameters: parameters, resultFormats: Self.binaryResults)
        if write.describes {
            FrontendMessage.writeDescribeUnnamedPortal(into: &outgoing)
        }
        FrontendMessage.writeExecuteUnnamedPortal(into: &outgoing)
        if let evicted = write.evicted {
            try FrontendMessage.close(.init(.statement, name: evicted)).encode(into: &outgoing)
        }
    }

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
