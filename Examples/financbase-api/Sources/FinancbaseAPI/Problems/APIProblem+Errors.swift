import Financbase
import Hummingbird
import Logging
import PGClient

extension APIProblem {
    /// The problem a failure of a request's work is answered with: the data layer's errors by
    /// kind, a bad body as 400, anything else (a server or connection failure) as a bare 500 or
    /// 503 whose detail says nothing the server said. The cause is logged to `logger`.
    static func from(_ error: any Error, logger: Logger) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let error as RepositoryError:
            return from(error)
        case let error as FinancbaseError:
            if case .signInRefused = error {
                return .unauthorized(code: "unknown_user", detail: "the token's user is unknown or deactivated")
            }
            logger.error("tenant unit failed", metadata: ["error": "\(error)"])
            return APIProblem(status: .internalServerError, code: "internal", detail: "the request failed")
        case is DecodingError:
            return APIProblem(status: .badRequest, code: "invalid_body", detail: "the JSON body does not match the resource")
        case let error as HTTPError where error.status.code < 500:
            return APIProblem(status: error.status, code: "bad_request", detail: error.body ?? error.status.reasonPhrase)
        case let error as PGError where error.sqlState?.rawValue.hasPrefix("23") == true:
            // A constraint: a duplicate number, a reference to a row that is not the tenant's.
            logger.info("request refused by a constraint", metadata: ["error": "\(error)"])
            return APIProblem(status: .unprocessableContent, code: "constraint_violation", detail: "the values break a rule of the resource")
        case let error as PGError where error.sqlState?.rawValue.hasPrefix("22") == true:
            return APIProblem(status: .unprocessableContent, code: "invalid_value", detail: "a value is out of range or malformed")
        case let error as PGError where error.sqlState == nil:
            logger.error("database unavailable", metadata: ["error": "\(error)"])
            return APIProblem(status: .serviceUnavailable, code: "database_unavailable", detail: "the database did not answer; retry later")
        default:
            logger.error("request failed", metadata: ["error": "\(error)"])
            return APIProblem(status: .internalServerError, code: "internal", detail: "the request failed")
        }
    }

    private static func from(_ error: RepositoryError) -> APIProblem {
        switch error {
        case .notFound(let entity, _):
            return APIProblem(status: .notFound, code: "not_found", detail: "no such \(entity) row")
        case .invalidArgument(let reason):
            return APIProblem(status: .unprocessableContent, code: "invalid_argument", detail: reason)
        case .overpayment(_, let outstanding, let amount):
            return APIProblem(
                status: .unprocessableContent, code: "overpayment",
                detail: "\(amount) is more than the \(outstanding) outstanding")
        case .invoiceNotPayable(_, let status):
            return APIProblem(status: .conflict, code: "invoice_not_payable", detail: "an invoice \(status.rawValue) takes no payment")
        case .idempotencyKeyReused:
            return APIProblem(
                status: .conflict, code: "idempotency_key_reused",
                detail: "this Idempotency-Key recorded a different payment")
        }
    }
}
