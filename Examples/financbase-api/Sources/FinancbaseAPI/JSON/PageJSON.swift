import Financbase
import FoundationEssentials
import PGClient
import Hummingbird

/// One page of a list: its items, oldest first, and the `next` cursor (absent on the last page).
struct PageJSON<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var next: String?

    init<Row>(_ page: Page<Row>, _ transform: (Row) -> Item) {
        items = page.rows.map(transform)
        next = page.next.map(CursorText.encode)
    }
}

/// A list's `after` and `limit` query parameters.
struct ListQuery {
    var after: Cursor?
    var limit: Int

    /// Reads `?after=…&limit=…` (50 by default, at most 200).
    ///
    /// - Throws: ``APIProblem`` 400 `invalid_cursor` or `invalid_limit`.
    init(_ request: Request) throws(APIProblem) {
        let parameters = request.uri.queryParameters
        if let text = parameters.get("after") {
            guard let cursor = CursorText.decode(text) else {
                throw APIProblem(status: .badRequest, code: "invalid_cursor", detail: "the after cursor is not one this API gave")
            }
            after = cursor
        }
        limit = 50
        if let text = parameters.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else {
                throw APIProblem(status: .badRequest, code: "invalid_limit", detail: "limit must be in 1...200")
            }
            limit = value
        }
    }
}

/// A keyset cursor as text: `<created_at in microseconds since 2000>_<id>`.
enum CursorText {
    static func encode(_ cursor: Cursor) -> String {
        "\(cursor.createdAt.microsecondsSince2000)_\(cursor.id.uuidString.lowercased())"
    }

    static func decode(_ text: String) -> Cursor? {
        let parts = text.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            return nil
        }
        return Cursor(createdAt: PGTimestamp(microsecondsSince2000: micros), id: id)
    }
}
