import NIOCore
import Testing

@testable import PGWire

/// Drives a ``RequestPipeline`` past startup and describes the actions it takes, one line each,
/// so that a test states the expected sequence as text.
struct PipelineDriver {
    var pipeline: RequestPipeline
    var decoder = BackendMessageDecoder()

    init(cacheCapacity: Int = 8, cancelTicks: Int = 5) {
        pipeline = RequestPipeline(settings: .plain(), statementCacheCapacity: cacheCapacity, cancelTicks: cancelTicks)
        pipeline.socketConnected()
        _ = receive([.authentication(.ok)] + Backend.sessionStart)
    }

    /// The server's messages arrive in one read (which ends unless `readEnds` is false).
    mutating func receive(_ messages: [BackendMessage], readEnds: Bool = true) -> [String] {
        receive(bytes: MessageStreams.encode(messages), readEnds: readEnds)
    }

    mutating func receive(bytes: ByteBuffer, readEnds: Bool = true) -> [String] {
        decoder.append(bytes)
        pipeline.consume(&decoder)
        if readEnds { pipeline.readComplete() }
        return takeActions()
    }

    mutating func submit(_ id: RequestID, _ request: PipelineRequest) -> [String] {
        pipeline.submit(id, request)
        return takeActions()
    }

    /// Performs `event` and describes the actions it led to.
    mutating func after(_ event: (inout RequestPipeline) -> Void) -> [String] {
        event(&pipeline)
        return takeActions()
    }

    /// The actions taken so far, described; a batch the shell is asked to write is reported
    /// as written in full.
    mutating func takeActions() -> [String] {
        var described: [String] = []
        while let action = pipeline.nextAction() {
            described += Self.lines(action)
            if case .write(_, .batch(let writes, _)) = action { pipeline.batchWritten(upTo: writes.count) }
        }
        return described
    }

    /// `action` described; a whole result and its end in one action as the two lines it
    /// stands for.
    static func lines(_ action: PipelineAction) -> [String] {
        if case .completeRows(let id, _, _, _) = action { return [describe(action), "end \(id)"] }
        return [describe(action)]
    }

    static func describe(_ action: PipelineAction) -> String {
        switch action {
        case .notice(let notice, let request): "connection notice \(notice.fields[.message] ?? "") during \(request.map { "\($0)" } ?? "-")"
        case .connection(let action): "connection \(action)"
        case .write(let id, let write): "write \(id) \(describe(write))"
        case .deliverRows(let id, let columns, let rows, let tag):
            "deliver \(id) \(columns.count) columns \(rows.count) rows" + (tag.map { " complete \($0 ?? "-")" } ?? " streaming")
        case .completeRows(let id, let columns, let rows, let tag):
            "deliver \(id) \(columns.count) columns \(rows.count) rows complete \(tag ?? "-")"
        case .streamRows(let id, let rows): "stream \(id) \(rows.count) rows"
        case .finishRows(let id, let tag): "finish \(id) \(tag ?? "-")"
        case .completeResults(let id, let results): "results \(id) " + results.map(describe).joined(separator: ", ")
        case .copyInStarted(let id): "copy in \(id)"
        case .copyOutStarted(let id): "copy out \(id)"
        case .streamCopyData(let id, let chunks): "copy data \(id) \(chunks.count)"
        case .finishCopyOut(let id): "copy out done \(id)"
        case .completeCopyIn(let id, let tag): "copy in done \(id) \(tag)"
        case .completePrepare(let id, let columns): "prepared \(id) \(columns.count) columns"
        case .fail(let id, let failure): "fail \(id) \(describe(failure))"
        case .ready(let status, let left): "ready \(status) \(left) left"
        case .requestEnded(let id): "end \(id)"
        case .sessionChanged: "session changed"
        case .sendCancel: "send cancel"
        case .stopCancelTicks: "stop ticks"
        case .resumeReading: "resume reading"
        case .close(let failure): "close \(failure)"
        case .terminateAndClose: "terminate"
        }
    }

    static func describe(_ write: RequestWrite) -> String {
        switch write {
        case .statement(let statement): describe(statement)
        case .batch(let writes, let from):
            "batch from \(from): " + (from..<writes.count).map { describe(writes[$0]) }.joined(separator: " | ")
        case .query: "query"
        case .prepare: "prepare"
        case .closeStatement(let name): "close \(name)"
        }
    }

    static func describe(_ statement: StatementWrite) -> String {
        var parts: [String] = []
        if statement.parses { parts.append("parse") }
        parts.append("bind \(statement.name.isEmpty ? "unnamed" : statement.name)")
        if statement.describes { parts.append("describe") }
        parts.append("execute")
        if let evicted = statement.evicted { parts.append("close \(evicted)") }
        return parts.joined(separator: " ")
    }

    static func describe(_ result: StatementResult) -> String {
        switch result {
        case .rows(_, let rows, let tag): "\(tag ?? "empty") \(rows.count) rows"
        case .failed(let error): "failed \(error.fields[.sqlState] ?? "")"
        case .skipped(let failed): "skipped after \(failed)"
        }
    }

    static func describe(_ failure: RequestFailure) -> String {
        switch failure {
        case .server(let error): "server \(error.fields[.sqlState] ?? "")"
        case .connection(let failure, let sent): "connection \(failure) sent \(sent)"
        case .invalid: "invalid"
        case .noResult: "no result"
        case .noCopyData: "no copy data"
        case .cancelNotConfirmed: "cancel not confirmed"
        case .cancelled(let sent): "cancelled sent \(sent)"
        }
    }
}

/// Requests and server answers the pipeline tests share.
enum Requests {
    static func query(_ sql: String = "SELECT $1::int4", types: [PGDataType] = [.int4], bytes: Int = 8) -> PipelineRequest {
        .query(spec(sql, types: types, bytes: bytes))
    }

    static func spec(
        _ sql: String, types: [PGDataType] = [.int4], bytes: Int = 8, prepared: PreparedStatementName? = nil
    ) -> StatementSpec {
        var parameterTypes = PGParameterTypes()
        for type in types { parameterTypes.append(type) }
        return StatementSpec(
            sql: sql, parameterTypes: parameterTypes, parameterFormats: [.binary], parameterCount: types.count,
            parameterBytes: bytes, prepared: prepared)
    }

    static let oneColumn = BackendMessage.RowDescription(columns: [
        .init(name: "n", dataType: .int4, dataTypeSize: 4, format: .binary)
    ])

    static func row(_ value: Int32) -> BackendMessage { .dataRow(.init(columns: [ByteBuffer(integer: value)])) }

    /// The answer to a statement that was parsed (named or not) and described.
    static func parsedAnswer(rows: Int, ready status: BackendMessage.TransactionStatus = .idle) -> [BackendMessage] {
        [.parseComplete, .bindComplete, .rowDescription(oneColumn)] + (0..<rows).map { row(Int32($0)) }
            + [.commandComplete(.init(tag: "SELECT \(rows)")), Backend.ready(status)]
    }

    /// The answer to a cached statement whose columns are known.
    static func cachedAnswer(rows: Int, ready status: BackendMessage.TransactionStatus = .idle) -> [BackendMessage] {
        [.bindComplete] + (0..<rows).map { row(Int32($0)) } + [.commandComplete(.init(tag: "SELECT \(rows)")), Backend.ready(status)]
    }

    /// `0A000 cached plan must not change result type`, as RevalidateCachedQuery raises it.
    static let stalePlan = BackendMessage.ErrorResponse(fields: [
        .localizedSeverity: "ERROR", .severity: "ERROR", .sqlState: "0A000",
        .message: "cached plan must not change result type", .routine: "RevalidateCachedQuery",
    ])
}
