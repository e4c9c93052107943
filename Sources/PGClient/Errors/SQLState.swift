/// A five-character SQLSTATE error code, as PostgreSQL reports it.
///
/// Every code PostgreSQL 15 defines has a named constant (generated from `errcodes.txt`), and
/// codes this list does not know are kept as they are:
///
/// ```swift
/// catch let error as PGError where error.sqlState == .uniqueViolation { … }
/// if error.sqlState?.class == "23" { /* integrity constraint violation */ }
/// ```
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The code, e.g. `"23505"`.
    public var rawValue: String

    /// Wraps a code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a code.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a code written as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The class: the code's first two characters (`"23"` for integrity constraint violations).
    public var `class`: Substring { rawValue.prefix(2) }

    public var description: String { rawValue }
}
