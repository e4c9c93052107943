/// The dimensions and lower bounds of a PostgreSQL array, checked against PostgreSQL's limits.
///
/// An empty array has no dimensions at all, as in PostgreSQL (`'{}'` has `ndim = 0`).
struct PGArrayShape: Hashable, Sendable {
    /// PostgreSQL's `MAXDIM`.
    static let maximumDimensions = 6

    var dimensions: [Int]
    var lowerBounds: [Int]

    static let empty = PGArrayShape(dimensions: [], lowerBounds: [])

    /// One dimension of `count` elements starting at `lowerBound`.
    static func oneDimensional(count: Int, lowerBound: Int = 1) -> PGArrayShape {
        count == 0 ? .empty : PGArrayShape(dimensions: [count], lowerBounds: [lowerBound])
    }

    /// Why a shape is not one PostgreSQL accepts, or `nil` when it is.
    static func problem(dimensions: [Int], lowerBounds: [Int]) -> String? {
        guard dimensions.count <= maximumDimensions else {
            return "\(dimensions.count) dimensions exceed the maximum of \(maximumDimensions)"
        }
        guard dimensions.count == lowerBounds.count else {
            return "\(dimensions.count) dimensions but \(lowerBounds.count) lower bounds"
        }
        for (size, lowerBound) in zip(dimensions, lowerBounds) {
            guard size >= 0, size <= Int(Int32.max) else {
                return "dimension size \(size) is invalid"
            }
            guard lowerBound >= Int(Int32.min), lowerBound + size - 1 <= Int(Int32.max) else {
                return "upper bound of dimension starting at \(lowerBound) overflows"
            }
        }
        return nil
    }

    /// The number of elements, or `nil` when the product overflows.
    static func elementCount(_ dimensions: [Int]) -> Int? {
        guard !dimensions.isEmpty else { return 0 }
        var count = 1
        for size in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    var elementCount: Int { Self.elementCount(dimensions) ?? 0 }

    /// The shape with any zero-size dimension collapsed to the empty array.
    var normalized: PGArrayShape { dimensions.contains(0) ? .empty : self }
}
