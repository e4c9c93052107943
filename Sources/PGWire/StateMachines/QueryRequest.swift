/// Identifies one request on a connection; the caller chooses it and the machine quotes it in
/// every action about that request.
public struct RequestID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The identifier's value.
    public var rawValue: UInt64
    /// Wraps a value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "#\(rawValue)" }
}

/// The extended-protocol messages one statement of a request sends, and so the responses to
/// expect for it. The protocol answers them in this order: Parse, Describe statement, Bind,
/// Describe portal, Execute, Close.
public struct ExtendedSteps: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Parse: answered by ParseComplete.
    public static let parse = Self(rawValue: 1 << 0)
    /// Describe of the statement: answered by ParameterDescription, then RowDescription or NoData.
    public static let describeStatement = Self(rawValue: 1 << 1)
    /// Bind: answered by BindComplete.
    public static let bind = Self(rawValue: 1 << 2)
    /// Describe of the portal: answered by RowDescription or NoData.
    public static let describePortal = Self(rawValue: 1 << 3)
    /// Execute: answered by DataRows, then CommandComplete, EmptyQueryResponse or PortalSuspended
    /// (or a COPY sub-protocol that ends in CommandComplete).
    public static let execute = Self(rawValue: 1 << 4)
    /// Close of a statement or portal: answered by CloseComplete.
    public static let close = Self(rawValue: 1 << 5)

    /// A statement not yet prepared: Parse, Bind, Describe portal, Execute.
    public static let parseBindDescribeExecute: Self = [.parse, .bind, .describePortal, .execute]
    /// A statement already prepared whose row description is known: Bind, Execute.
    public static let bindExecute: Self = [.bind, .execute]
    /// Preparing a statement: Parse, Describe statement.
    public static let prepare: Self = [.parse, .describeStatement]

    /// The first step still to be answered, in protocol order.
    var first: ExtendedSteps? {
        guard rawValue != 0 else { return nil }
        return ExtendedSteps(rawValue: rawValue & (~rawValue &+ 1))
    }
}

/// What a request sent, so that the machine can match the server's responses to it. Every
/// request ends with a Sync (extended) or is a Query (simple), so each is answered by exactly
/// one ReadyForQuery.
public enum QueryRequest: Hashable, Sendable {
    /// A Query message with any number of statements; the results are numbered in order.
    case simple
    /// One extended-protocol statement followed by Sync.
    case extended(ExtendedSteps)
    /// Several extended-protocol statements followed by one Sync: an error in one makes the
    /// server skip the rest until the Sync.
    case batch([ExtendedSteps])

    /// The number of statements, or `nil` for a simple query, where only the server knows.
    public var statementCount: Int? {
        switch self {
        case .simple: nil
        case .extended: 1
        case .batch(let statements): statements.count
        }
    }

    func steps(ofStatement index: Int) -> ExtendedSteps? {
        switch self {
        case .simple: nil
        case .extended(let steps): index == 0 ? steps : nil
        case .batch(let statements): index < statements.count ? statements[index] : nil
        }
    }
}
