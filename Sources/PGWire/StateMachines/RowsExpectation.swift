/// That the next message may be a DataRow of the head request, and for which statement: see
/// ``ConnectionStateMachine/rowsExpectation``.
public struct RowsExpectation: Hashable, Sendable {
    /// The statement (counting from 0 in its request) the rows belong to.
    public let statement: Int
    /// Whether a DataRow would be the statement's first, which ``ConnectionStateMachine/rowsStarted()``
    /// must then be told about.
    public internal(set) var isFirstRow: Bool
}
