import PGWire

extension PGElementQueue<BackendMessage.DataRow> {
    /// The rows received, in order, each read with `columns`: one allocation, for the array.
    func rows(columns: PGColumns) -> [PGRow] {
        // One row (a statement's commonest result) as a literal, which allocates the array at
        // its size directly; reserving capacity in an empty array goes through its general
        // growth path, which costs as much again as the allocation.
        if let lone, head == tail { return [PGRow(dataRow: lone, columns: columns)] }
        var rows: [PGRow] = []
        rows.reserveCapacity(count)
        forEach { rows.append(PGRow(dataRow: $0, columns: columns)) }
        return rows
    }
}
