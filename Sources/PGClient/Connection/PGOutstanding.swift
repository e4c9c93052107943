import NIOCore
import PGWire

/// What the channel handler keeps, by id, for a request the pipeline knows of.
///
/// Most requests are queries whose whole result comes at once: for those the handler keeps the
/// query's result alone, which already holds the statement and its observation, rather than an
/// object of its own for every statement. A query whose rows start to stream, and every other
/// request, is kept as a ``PGOutstandingRequest``, which holds its stream.
enum PGOutstanding {
    /// A query whose rows have not started to stream.
    case query(PGPendingResult)
    /// Any other request, or a query whose rows stream.
    case request(PGOutstandingRequest)

    /// What to keep for `request`.
    init(_ request: consuming PGRequest) {
        if case .query(let result) = request.kind {
            self = .query(result)
        } else {
            self = .request(PGOutstandingRequest(request: request))
        }
    }

    /// The result a query hands its rows to; `nil` for other requests.
    var queryResult: PGPendingResult? {
        switch self {
        case .query(let result): result
        case .request(let request): request.queryResult
        }
    }

    /// The request kept with its stream; `nil` for a query whose rows have not started to stream.
    var outstandingRequest: PGOutstandingRequest? {
        if case .request(let request) = self { request } else { nil }
    }

    /// The request's observation.
    var observer: PGOperationObserver? {
        switch self {
        case .query(let result): result.observer
        case .request(let request): request.request.observer
        }
    }

    /// The request `id` as its caller wrote it.
    func request(id: RequestID) -> PGRequest {
        switch self {
        case .query(let result): PGRequest(id: id, kind: .query(result), observer: result.observer)
        case .request(let request): request.request
        }
    }

    /// Hands a query its whole result: its rows, and the tag its statement reported (`nil` for
    /// an empty statement).
    func deliverAll(_ columns: PGColumns, _ rows: consuming PGElementQueue<BackendMessage.DataRow>, commandTag tag: String?) {
        guard let result = queryResult else { return }
        result.succeed(PGRowSequence(columns: columns, source: .complete(consume rows, commandTag: tag), observer: result.observer))
    }

    /// Ends whatever the caller of request `id` is still waiting on with the error `failure`
    /// makes.
    func settle(_ failure: RequestFailure, id: RequestID, cancelTimeout: TimeAmount) {
        switch self {
        case .query(let result):
            result.fail(request(id: id).error(failure, cancelTimeout: cancelTimeout))
        case .request(let request):
            request.settle(with: request.request.error(failure, cancelTimeout: cancelTimeout))
        }
    }
}
