/// A request written to the server and not yet answered by ReadyForQuery: what was asked and how
/// it was planned. Never changed once written; what changes while it is answered is in
/// ``HeadProgress``, as only the oldest request is ever being answered.
///
/// A class, so that reading the head of the queue for every message retains one reference
/// rather than copying each field.
final class InFlightRequest: Sendable {
    enum Kind: Sendable, Equatable {
        /// One statement whose rows stream to the caller.
        case query
        /// Statements whose results are collected: a simple query or a batch of `statements`.
        case simple
        case batch(statements: Int)
        case copyIn
        case copyOut
        case prepare
        /// A Close the pipeline sent itself; nobody waits for it.
        case closeStatement
    }

    let id: RequestID
    let kind: Kind
    /// What the caller asked, to plan it again when its cached plan went stale (`nil` for the
    /// pipeline's own requests).
    let request: PipelineRequest?
    /// The extended-protocol statements, in order (none for simple-protocol requests).
    let statements: PlannedStatements

    init(id: RequestID, kind: Kind, request: PipelineRequest?, statements: PlannedStatements) {
        self.id = id
        self.kind = kind
        self.request = request
        self.statements = statements
    }

    /// Whether a cancelled caller may stop waiting before the request ends: not during a COPY,
    /// whose data its caller reads or writes, nor for the pipeline's own requests.
    var canBeLetGo: Bool {
        switch kind {
        case .query, .simple, .batch, .prepare: true
        case .copyIn, .copyOut, .closeStatement: false
        }
    }

    /// Whether the request can run again when a cancel meant for the statement before it
    /// stopped it: one extended-protocol statement with its own Sync, asked by a caller, whose
    /// rows go to that caller only once they are all in (so none was handed over yet).
    var canRunAgain: Bool {
        kind == .query && request != nil
    }

    /// Whether rows are collected into results (simple query, batch) rather than streamed.
    var collectsRows: Bool {
        switch kind {
        case .simple, .batch: true
        default: false
        }
    }
}

/// What the pipeline decided about one extended-protocol statement of a request.
struct PlannedStatement: Sendable {
    /// The name of a statement the cache manages (`nil`: the unnamed statement, or one the
    /// caller prepared).
    var cachedName: String?
    /// Whether this request sends the statement's named Parse (to forget it if that fails).
    var parsesNamed = false
    /// The columns known from the cache, when the portal is not described.
    var knownColumns: PGColumns?
    /// Whether the columns are those the request's first statement described (a batch's later
    /// parameter sets, whose portals are not described again).
    var columnsOfFirst = false
}

/// The statements of a request, stored inline when there is one (the common case), so that a
/// single query allocates no array.
///
/// The single statement is not an optional: a copy of an optional struct was compiled into a
/// function shared with other types' copies, which copies through the type's value witnesses.
/// The value is kept that small (a field more made its copies go through value witnesses
/// too), as it is copied for every statement. The fields read for every statement of a batch
/// (``parsedName(at:)``, ``cachedName(at:)``) are read in place: a whole statement copied
/// retains and releases its name and columns.
struct PlannedStatements: Sendable {
    private var single = PlannedStatement()
    private var hasSingle = false
    private var many: [PlannedStatement] = []

    init() {}
    init(_ statement: PlannedStatement) {
        single = statement
        hasSingle = true
    }
    init(_ statements: [PlannedStatement]) { many = statements }

    @inline(__always)
    var count: Int { hasSingle ? 1 : many.count }

    subscript(position: Int) -> PlannedStatement? {
        guard position >= 0, position < count else { return nil }
        return hasSingle ? single : many[position]
    }

    /// The cache's name of statement `position` when the request sends its named Parse (to
    /// forget it if the server did not parse it); `nil` otherwise, and past the end.
    @inline(__always)
    func parsedName(at position: Int) -> String? {
        guard position >= 0, position < count else { return nil }
        if hasSingle { return single.parsesNamed ? single.cachedName : nil }
        return many[position].parsesNamed ? many[position].cachedName : nil
    }

    /// The cache's name of statement `position` (`nil` past the end, or for a statement the
    /// cache does not manage).
    @inline(__always)
    func cachedName(at position: Int) -> String? {
        guard position >= 0, position < count else { return nil }
        return hasSingle ? single.cachedName : many[position].cachedName
    }

    /// The columns of statement `position` when no description precedes its rows: known to the
    /// cache, or described by the first statement of the batch (`firstColumns`); else none.
    @inline(__always)
    func undescribedColumns(at position: Int, firstColumns: PGColumns?) -> PGColumns {
        guard position >= 0, position < count else { return PGColumns.none }
        return hasSingle
            ? Self.undescribedColumns(of: single, firstColumns: firstColumns)
            : Self.undescribedColumns(of: many[position], firstColumns: firstColumns)
    }

    private static func undescribedColumns(of statement: borrowing PlannedStatement, firstColumns: PGColumns?) -> PGColumns {
        if let known = statement.knownColumns { return known }
        if statement.columnsOfFirst, let firstColumns { return firstColumns }
        return PGColumns.none
    }

    /// Whether the first statement is one the cache manages (not an explicitly prepared one):
    /// only those are prepared again when their plan goes stale.
    var isCacheManaged: Bool { cachedName(at: 0) != nil }
}

/// How far the caller of the request being answered has got its result: one state, not flags.
enum Delivery: Sendable {
    /// Nothing handed over yet: a query before its result, a COPY before it starts, and always
    /// for a simple query or batch, whose results are collected until ReadyForQuery.
    case waiting
    /// A query's result began in this read; its rows gather until the read ends.
    case gathering(PGColumns)
    /// A query's statement ended in the read that began it: the whole result is handed over
    /// at the end of the read (or at ReadyForQuery, if that comes first).
    case gathered(PGColumns, commandTag: String?)
    /// A query's rows go to the stream its caller holds, at the end of each read.
    case streaming
    /// The streaming statement ended with this tag; the stream finishes at ReadyForQuery.
    case streamEnded(commandTag: String?)
    /// The whole result was handed over.
    case handedOver
    /// The caller stopped reading; rows are dropped until ReadyForQuery.
    case consumerGone
    /// The caller was cancelled before it had its result and was let go, told that the outcome
    /// is not known; everything until ReadyForQuery is dropped.
    case abandoned
    /// The statement failed; the caller hears of it at ReadyForQuery.
    case failed
    /// The statement's cached plan was stale and nothing of it ran, or a cancel meant for the
    /// statement before it stopped it and its transaction rolled back: it is planned and written
    /// again at ReadyForQuery if no transaction is open, else it fails.
    case retryWhenIdle
    /// COPY TO STDOUT data goes to the caller's stream.
    case copyStreaming
    /// The COPY TO STDOUT failed and its caller was told.
    case copyFailed
}

extension Delivery {
    /// Whether the caller has heard how its request ended (its whole result, a COPY's failure),
    /// or was let go: a connection that breaks now has nothing more to tell it.
    var callerWasTold: Bool {
        switch self {
        case .handedOver, .abandoned, .copyFailed: true
        default: false
        }
    }
}

/// What the oldest request in flight has received so far; reset at each ReadyForQuery.
struct HeadProgress: Sendable {
    var delivery = Delivery.waiting
    /// The columns of the result whose rows are arriving.
    var columns: PGColumns?
    /// The columns the first statement described, for the later sets of a batch.
    var firstColumns: PGColumns?
    /// The last statement whose Parse the server confirmed (-1: none). The server answers in
    /// order and skips everything after an error, so a statement that sends a Parse was parsed
    /// exactly when it is not after this one (see ``wasParsed(_:)``).
    var lastParsed = -1

    /// Whether statement `index`, which sends a Parse, was parsed.
    func wasParsed(_ index: Int) -> Bool { index <= lastParsed }
    /// The first error the server reported for the request.
    var error: BackendMessage.ErrorResponse?
    /// The last command tag.
    var commandTag: String?
    /// The collected results (simple query, batch), one per statement so far.
    var results: [StatementResult] = []
    /// The rows of the statement whose result is being collected: a queue, which keeps a lone
    /// row inline, so that a statement of one row collects it without allocating.
    var collectedRows = PGElementQueue<BackendMessage.DataRow>()
}
