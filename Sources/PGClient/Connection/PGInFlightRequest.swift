import NIOCore
import PGWire

/// A request written to the server and not yet answered by ReadyForQuery, with what is needed to
/// deliver its results.
///
/// A class, not a struct: the handler reads and updates the head request for every message (and
/// every row), and copying a struct of this many references out of the queue and back cost a
/// retain and a release per field each time. Only the channel handler touches it, on its event
/// loop, so the run-time exclusivity checks on its fields are off.
final class PGInFlightRequest {
    /// What the handler knows of one extended-protocol statement of the request.
    struct Statement {
        /// The cache key of a named statement, when the cache is used.
        var key: PGStatementCache.Key?
        /// Whether this request sent the statement's named Parse (to forget it if that fails).
        var parsesNamed = false
        /// The columns known from the cache, when the portal is not described.
        var knownColumns: PGColumns?
        /// Whether the columns are those the request's first statement described (a batch's
        /// later parameter sets, whose portals are not described again).
        var columnsOfFirst = false
    }

    let id: RequestID
    let request: PGRequest
    /// The extended-protocol statements, in order (none for simple-protocol requests).
    @exclusivity(unchecked) var statements: StatementList
    /// The columns the first statement described, for the later sets of a batch.
    @exclusivity(unchecked) var firstColumns: PGColumns?
    /// The columns of the result whose rows are arriving.
    @exclusivity(unchecked) var columns: PGColumns?
    /// The open row stream of a `query`.
    @exclusivity(unchecked) var rowStream: PGStreamBuffer<PGRow>?
    /// The open data stream of a COPY TO STDOUT.
    @exclusivity(unchecked) var copyStream: PGStreamBuffer<ByteBuffer>?
    @exclusivity(unchecked) var completion: PGQueryCompletion?
    /// Whether the caller's first promise (rows, COPY start) has been fulfilled or failed.
    @exclusivity(unchecked) var promiseSettled = false
    /// A `query` whose result has begun and whose rows are handed over at the end of the read.
    @exclusivity(unchecked) var deliveryPending = false
    /// The statement of a pending delivery has ended, with this tag (`.some(nil)`: no tag).
    @exclusivity(unchecked) var finishedTag: String??
    /// The consumer stopped iterating; rows are dropped until the request ends.
    @exclusivity(unchecked) var consumerGone = false
    /// The last command tag.
    @exclusivity(unchecked) var commandTag: String?
    /// The first error the server reported for this request.
    @exclusivity(unchecked) var error: PGError?
    /// Run the request again once the server is idle: its cached plan was stale and nothing of
    /// it had run.
    @exclusivity(unchecked) var retryWhenIdle = false

    /// Whether the request's results are collected (simple query, batch) rather than streamed.
    let collectsRows: Bool

    /// The columns of statement `statement` when no description precedes its rows: known to
    /// the cache, or described by the first statement of the batch; else none.
    func undescribedColumns(ofStatement statement: Int) -> PGColumns {
        if let known = statements.knownColumns(at: statement) { return known }
        if statements.usesColumnsOfFirst(at: statement), let firstColumns { return firstColumns }
        return PGColumns.none
    }

    init(id: RequestID, request: PGRequest, statements: StatementList) {
        self.id = id
        self.request = request
        self.statements = statements
        switch request.kind {
        case .simple, .batch: collectsRows = true
        default: collectsRows = false
        }
    }

    var isCopyIn: Bool {
        if case .copyIn = request.kind { return true }
        return false
    }

    /// Ends whatever the caller is still waiting on with `error`.
    func settle(with error: PGError) {
        if let rowStream {
            rowStream.finish(error)
            self.rowStream = nil
        }
        if let copyStream {
            copyStream.finish(error)
            self.copyStream = nil
        }
        promiseSettled = true
        deliveryPending = false
        request.fail(error)
    }
}

/// The statements of a request, stored inline when there is one (the common case), so that a
/// single query allocates no array.
struct StatementList: RandomAccessCollection, MutableCollection {
    private var single: PGInFlightRequest.Statement?
    private var many: [PGInFlightRequest.Statement] = []

    init() {}

    init(_ statement: PGInFlightRequest.Statement) { single = statement }

    init(_ statements: [PGInFlightRequest.Statement]) { many = statements }

    var startIndex: Int { 0 }
    var endIndex: Int { single == nil ? many.count : 1 }

    /// Whether the first statement is one the statement cache manages (not an explicitly
    /// prepared one): only those are prepared again when their plan goes stale.
    var isCacheManaged: Bool {
        guard startIndex < endIndex else { return false }
        if case .some = single { return single?.key != nil }
        return many[0].key != nil
    }

    /// The columns the cache knew for statement `position`, read without copying the rest of it.
    func knownColumns(at position: Int) -> PGColumns? {
        guard position >= 0, position < endIndex else { return nil }
        if case .some = single { return single?.knownColumns }
        return many[position].knownColumns
    }

    /// Whether statement `position` takes the columns the first statement described.
    func usesColumnsOfFirst(at position: Int) -> Bool {
        guard position > 0, position < endIndex, case .none = single else { return false }
        return many[position].columnsOfFirst
    }

    subscript(position: Int) -> PGInFlightRequest.Statement {
        get { single ?? many[position] }
        set {
            if single != nil { single = newValue } else { many[position] = newValue }
        }
    }
}
