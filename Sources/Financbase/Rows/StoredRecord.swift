import FoundationEssentials
import PGClient

/// A row type read from one table or view of schema `financbase`, whose statements name the
/// columns it decodes instead of `*`: a column added to the table later changes no statement's
/// result, and a plan shows what each statement reads.
protocol StoredRecord: Decodable, Sendable {
    /// The table or view it is read from, without the schema.
    static var relation: String { get }
    /// The columns it decodes, comma-separated, as a select list.
    static var columns: String { get }
}

extension PGQuery.StringInterpolation {
    /// Appends the select list of `record`: `RETURNING \(columnsOf: Invoice.self)`.
    mutating func appendInterpolation<Record: StoredRecord>(columnsOf record: Record.Type) {
        appendInterpolation(unescaped: Record.columns)
    }

    /// Appends the select list of `record` with each column qualified by `alias`, for a
    /// statement that reads other tables too: `RETURNING \(columnsOf: Invoice.self, from: "i")`.
    mutating func appendInterpolation<Record: StoredRecord>(columnsOf record: Record.Type, from alias: String) {
        let qualified = Record.columns.split(separator: ",").map {
            alias + "." + $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        appendInterpolation(unescaped: qualified.joined(separator: ", "))
    }
}
