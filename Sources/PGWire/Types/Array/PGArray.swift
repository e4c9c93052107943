/// A PostgreSQL array of any shape: up to six dimensions, any lower bounds, NULL elements.
///
/// The elements are stored flat in row-major order (the last index varies fastest), as
/// PostgreSQL stores and sends them. `Array` covers the common one-dimensional case; use
/// `PGArray` for matrices, for lower bounds other than 1, or to keep NULLs beside non-optional
/// element types.
///
/// ```swift
/// // '[0:1][1:2]={{1,2},{3,NULL}}'
/// let grid = PGArray<Int32>(dimensions: [2, 2], lowerBounds: [0, 1], elements: [1, 2, 3, nil])
/// grid?.dimensions    // [2, 2]
/// grid?[0, 2]         // Optional(nil): the NULL element
/// ```
public struct PGArray<Element: PGCodable>: Sendable {
    /// The size of each dimension, outermost first; empty for the empty array.
    public var dimensions: [Int] { shape.dimensions }
    /// The first index of each dimension (PostgreSQL's default is 1).
    public var lowerBounds: [Int] { shape.lowerBounds }
    /// The elements in row-major order; `nil` is SQL NULL.
    public private(set) var elements: [Element?]

    var shape: PGArrayShape

    /// A one-dimensional array starting at `lowerBound`.
    public init(_ elements: [Element?], lowerBound: Int = 1) {
        self.elements = elements
        self.shape = .oneDimensional(count: elements.count, lowerBound: lowerBound)
    }

    /// An array of the given shape; `lowerBounds` defaults to 1 in every dimension.
    ///
    /// Returns `nil` when the shape is not one PostgreSQL accepts (more than six dimensions, a
    /// negative size, an upper bound beyond `Int32`) or when `elements.count` is not the product
    /// of `dimensions`. A zero-size dimension makes the empty array.
    public init?(dimensions: [Int], lowerBounds: [Int]? = nil, elements: [Element?]) {
        let bounds = lowerBounds ?? Array(repeating: 1, count: dimensions.count)
        guard PGArrayShape.problem(dimensions: dimensions, lowerBounds: bounds) == nil,
            PGArrayShape.elementCount(dimensions) == elements.count
        else { return nil }
        self.init(
            shape: PGArrayShape(dimensions: dimensions, lowerBounds: bounds).normalized,
            elements: elements)
    }

    init(shape: PGArrayShape, elements: [Element?]) {
        self.shape = shape
        self.elements = elements
    }

    /// Whether the array has no elements.
    public var isEmpty: Bool { elements.isEmpty }

    /// The element at PostgreSQL indices (one per dimension, counted from the lower bounds):
    /// `.some(nil)` for a NULL element, `nil` when the indices are out of bounds.
    public subscript(indices: Int...) -> Element?? {
        guard indices.count == dimensions.count, !indices.isEmpty else { return nil }
        var offset = 0
        for (dimension, index) in indices.enumerated() {
            let position = index - lowerBounds[dimension]
            guard position >= 0, position < dimensions[dimension] else { return nil }
            offset = offset * dimensions[dimension] + position
        }
        return .some(elements[offset])
    }
}

extension PGArray: Equatable where Element: Equatable {}
extension PGArray: Hashable where Element: Hashable {}
