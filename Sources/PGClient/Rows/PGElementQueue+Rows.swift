import PGWire

extension PGElementQueue<BackendMessage.DataRow> {
    /// The rows received, in order, each read with `columns`: one allocation, for the array.
    func rows(columns: PGColumns) -> [PGRow] {
        var rows: [PGRow] = []
        rows.reserveCapacity(count)
        forEach { rows.append(PGRow(dataRow: $0, columns: columns)) }
        return rows
    }
}
