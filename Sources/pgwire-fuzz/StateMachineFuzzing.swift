import NIOCore
import PGWire

/// The `statemachine` entry: the input is a stream of backend bytes (the recorded sessions are
/// the seeds). Messages decoded from it drive a `ConnectionStateMachine`, with requests of every
/// kind submitted along the way whenever the session is ready, and the actions are checked
/// against a model of the requests in flight:
/// - every action about a request names one that is in flight, and requests complete in order;
/// - a close fails exactly the requests in flight and leaves the machine closed, after which
///   every event is ignored.
enum StateMachineFuzzing {
    /// A request of each kind, picked by an input byte. (A function, not a static array: a lazily
    /// made global looks like a leak to LeakSanitizer.)
    static func requestKind(_ byte: UInt8) -> QueryRequest {
        switch byte % 6 {
        case 0: .simple
        case 1: .extended(.parseBindDescribeExecute)
        case 2: .extended(.bindExecute)
        case 3: .extended(.prepare)
        case 4: .batch([.parseBindDescribeExecute, .bindExecute, [.parse, .bind, .execute, .close]])
        default: .extended([])
        }
    }

    static func run(_ input: [UInt8]) {
        // As in the scram entry: the client accepts up to 100 million PBKDF2 iterations by
        // design, which would only make libFuzzer report timeouts (found by a long run,
        // Fixtures/fuzz/statemachine/scram-huge-iterations.input).
        guard SCRAMFuzzing.iterationCount(in: input) <= SCRAMFuzzing.maximumIterationCount else { return }
        var settings = ConnectionSettings(user: "fuzz", database: "fuzz", password: "scram-secret", tls: .disable)
        settings.scramClientNonce = "cGd3aXJlLXN3aWZ0IG5vbmNl"
        var machine = ConnectionStateMachine(settings: settings)
        var model = Model()
        model.check(machine.socketConnected(), machine)

        var decoder = BackendMessageDecoder(maximumMessageSize: 1 << 20)
        decoder.append(ByteBuffer(bytes: input))
        var nextID: UInt64 = 1
        var step = 0
        while true {
            if machine.isReady, step % 3 != 2, !input.isEmpty {
                let kind = requestKind(input[step % input.count])
                let id = RequestID(nextID)
                nextID += 1
                let action = machine.requestSubmitted(id, kind)
                fuzzCheck(action == .writeRequest(id), "a ready machine refused a request: \(action)")
                model.inFlight.append(id)
            }
            step += 1
            let message: BackendMessage?
            do {
                message = try decoder.next()
            } catch {
                model.check(machine.decodingFailed(error), machine)
                break
            }
            guard let message else { break }
            model.check(machine.messageReceived(message), machine)
        }
        model.check(machine.connectionClosed(), machine)
        fuzzCheck(machine.isClosed, "the machine is open after the connection closed")
        fuzzCheck(machine.messageReceived(.readyForQuery(.init(transactionStatus: .idle))) == .none, "a closed machine acted")
    }

    /// The requests the machine should consider in flight.
    struct Model {
        var inFlight: [RequestID] = []

        mutating func check(_ action: ConnectionAction, _ machine: ConnectionStateMachine) {
            switch action {
            case .failAndClose(_, let failed), .sendTerminateAndClose(let failed):
                fuzzCheck(failed == inFlight, "a close failed \(failed), but \(inFlight) were in flight")
                fuzzCheck(machine.isClosed && machine.requestsInFlight == 0, "closed with requests left")
                inFlight.removeAll()
            case .requestCompleted(let id, _):
                fuzzCheck(inFlight.first == id, "\(id) completed before \(inFlight)")
                inFlight.removeFirst()
            case .parseComplete(let id, _), .parameterDescription(let id, _, _), .rowDescription(let id, _, _),
                .noData(let id, _), .dataRow(let id, _, _), .commandComplete(let id, _, _), .emptyQuery(let id, _),
                .portalSuspended(let id, _), .statementFailed(let id, _, _), .copyInStarted(let id, _, _),
                .copyOutStarted(let id, _, _), .copyData(let id, _, _):
                fuzzCheck(inFlight.first == id, "an action for \(id) while \(inFlight) are in flight")
            case .none, .sendSSLRequest, .startTLSHandshake, .sendMessage, .connected, .writeRequest,
                .rejectRequest, .notice, .notification, .parameterStatus:
                break
            }
            fuzzCheck(machine.requestsInFlight == inFlight.count, "the machine counts \(machine.requestsInFlight) requests, the model \(inFlight.count)")
        }
    }
}
