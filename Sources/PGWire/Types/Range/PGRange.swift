/// A PostgreSQL range (`int4range`, `numrange`, `daterange`, `tstzrange`, …): empty, or two
/// endpoints, each inclusive, exclusive or unbounded.
///
/// The value keeps the endpoints as given; the server canonicalizes discrete ranges
/// (`int4range`, `int8range`, `daterange`) to `[lower,upper)`, so `[1,3]` comes back as `[1,4)`.
/// An unbounded endpoint is never inclusive, as in PostgreSQL.
///
/// ```swift
/// let seats = PGRange<Int32>(1..<10)                                   // [1,10)
/// let open = PGRange<Date>(lower: .inclusive(start), upper: .unbounded) // [start,)
/// try await connection.execute("INSERT INTO bookings (during) VALUES (\(open))")
/// let during = try row.decode(PGRange<Date>.self, column: "during")
/// ```
public struct PGRange<Bound: PGRangeBound>: Sendable {
    /// One end of a range.
    public enum Endpoint: Sendable {
        /// No bound: the range extends without limit on this side.
        case unbounded
        /// The bound belongs to the range (`[` or `]`).
        case inclusive(Bound)
        /// The bound does not belong to the range (`(` or `)`).
        case exclusive(Bound)

        /// The bound, or `nil` when unbounded.
        public var bound: Bound? {
            switch self {
            case .unbounded: nil
            case .inclusive(let bound), .exclusive(let bound): bound
            }
        }

        /// Whether the bound belongs to the range.
        public var isInclusive: Bool {
            if case .inclusive = self { return true }
            return false
        }
    }

    /// The lower end; ``Endpoint/unbounded`` for the empty range.
    public var lower: Endpoint
    /// The upper end; ``Endpoint/unbounded`` for the empty range.
    public var upper: Endpoint
    /// Whether the range holds no value (`'empty'`).
    public var isEmpty: Bool

    /// A range between two endpoints.
    public init(lower: Endpoint, upper: Endpoint) {
        self.lower = lower
        self.upper = upper
        self.isEmpty = false
    }

    /// The empty range.
    public static var empty: PGRange {
        var range = PGRange(lower: .unbounded, upper: .unbounded)
        range.isEmpty = true
        return range
    }
}

extension PGRange where Bound: Comparable {
    /// `[lower,upper)`.
    public init(_ range: Range<Bound>) {
        self.init(lower: .inclusive(range.lowerBound), upper: .exclusive(range.upperBound))
    }

    /// `[lower,upper]`.
    public init(_ range: ClosedRange<Bound>) {
        self.init(lower: .inclusive(range.lowerBound), upper: .inclusive(range.upperBound))
    }

    /// `[lower,)`.
    public init(_ range: PartialRangeFrom<Bound>) {
        self.init(lower: .inclusive(range.lowerBound), upper: .unbounded)
    }

    /// `(,upper)`.
    public init(_ range: PartialRangeUpTo<Bound>) {
        self.init(lower: .unbounded, upper: .exclusive(range.upperBound))
    }
}

extension PGRange.Endpoint: Equatable where Bound: Equatable {}
extension PGRange.Endpoint: Hashable where Bound: Hashable {}
extension PGRange: Equatable where Bound: Equatable {}
extension PGRange: Hashable where Bound: Hashable {}

extension PGRange: CustomStringConvertible {
    /// The range as PostgreSQL prints it, bounds unquoted: `[1,10)`, `(,5]`, `empty`.
    public var description: String {
        guard !isEmpty else { return "empty" }
        let open = lower.isInclusive ? "[" : "("
        let close = upper.isInclusive ? "]" : ")"
        let low = lower.bound.map { "\($0)" } ?? ""
        let high = upper.bound.map { "\($0)" } ?? ""
        return open + low + "," + high + close
    }
}

/// A PostgreSQL multirange (`int4multirange`, `tstzmultirange`, …): an ordered list of ranges.
///
/// The server merges overlapping and adjacent ranges and drops empty ones, so what comes back
/// may have fewer ranges than were sent.
///
/// ```swift
/// let free = PGMultirange<Int32>([PGRange(1..<3), PGRange(5..<8)])   // {[1,3),[5,8)}
/// ```
public struct PGMultirange<Bound: PGRangeBound>: Sendable {
    /// The ranges, in order.
    public var ranges: [PGRange<Bound>]

    /// A multirange of `ranges`.
    public init(_ ranges: [PGRange<Bound>]) { self.ranges = ranges }
}

extension PGMultirange: Equatable where Bound: Equatable {}
extension PGMultirange: Hashable where Bound: Hashable {}
