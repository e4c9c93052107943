/// The format of a value on the wire: the protocol's format code.
///
/// Parameters and result columns are each sent in one of these. pgwire-swift uses ``binary`` for
/// every type it has a codec for and ``text`` for the rest (enums, unknown types).
public enum PGFormat: Int16, Hashable, Sendable, CaseIterable {
    /// Format code 0: the type's text output, as `psql` shows it.
    case text = 0
    /// Format code 1: the type's binary send/receive representation.
    case binary = 1
}
