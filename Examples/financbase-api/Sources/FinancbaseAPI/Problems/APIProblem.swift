import FoundationEssentials
public import Hummingbird

/// An error answered as RFC 9457 problem details (`application/problem+json`) with a stable
/// `code` clients match on. Its `detail` never carries a server message or another tenant's data.
///
/// ```swift
/// throw APIProblem(status: .notFound, code: "not_found", detail: "no such invoice")
/// ```
public struct APIProblem: HTTPResponseError, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The stable machine-readable code (`not_found`, `invalid_token`, …).
    public var code: String
    /// A sentence for people.
    public var detail: String

    /// Creates a problem.
    public init(status: HTTPResponse.Status, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// A 401: the request did not prove who sends it.
    public static func unauthorized(code: String, detail: String) -> APIProblem {
        APIProblem(status: .unauthorized, code: code, detail: detail)
    }

    /// The problem+json response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        let body = ProblemBody(
            type: "https://financbase.example/problems/\(code)", title: status.reasonPhrase,
            status: status.code, code: code, detail: detail)
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The problem+json document.
struct ProblemBody: Codable, Equatable {
    var type: String
    var title: String
    var status: Int
    var code: String
    var detail: String
}
