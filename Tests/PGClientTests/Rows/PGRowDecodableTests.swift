import NIOCore
import PGClient
import PGWire
import Testing

@Suite("PGRow.decode(as:)")
struct PGRowDecodableTests {
    struct Invoice: Decodable, Equatable {
        let invoiceID: Int32
        let totalAmount: String
        let rawURLValue: String
        let memo: String?
    }

    static let columns = PGColumns(BackendMessage.RowDescription(columns: [
        .init(name: "invoice_id", dataType: .int4, format: .binary),
        .init(name: "totalAmount", dataType: .text, format: .text),
        .init(name: "raw_url_value", dataType: .text, format: .text),
    ]))

    static func row(_ id: Int32, _ total: String, _ url: String) -> PGRow {
        var idBytes = ByteBuffer()
        idBytes.writeInteger(id)
        return PGRow(
            dataRow: BackendMessage.DataRow(columns: [idBytes, ByteBuffer(string: total), ByteBuffer(string: url)]),
            columns: columns)
    }

    @Test("properties map to the exact column name, else its snake_case (a run of capitals is one word); a missing optional is nil — the same for every row of a result")
    func mapsPropertiesOnEveryRow() throws {
        // The first row fills the result's lookup table; the later ones read it.
        for id in Int32(1)...3 {
            let invoice = try Self.row(id, "\(id)0.00", "https://x/\(id)").decode(as: Invoice.self)
            #expect(invoice == Invoice(invoiceID: id, totalAmount: "\(id)0.00", rawURLValue: "https://x/\(id)", memo: nil))
        }
    }

    @Test("a required property without a column is a decoding error naming it, on every row")
    func missingRequiredColumn() {
        struct Wrong: Decodable { let invoiceID: Int32; let dueDate: String }
        for id in Int32(1)...2 {
            #expect {
                _ = try Self.row(id, "1.00", "u").decode(as: Wrong.self)
            } throws: { error in
                (error as? PGError)?.kind == .decoding && "\(error)".contains("due_date")
            }
        }
    }
}
