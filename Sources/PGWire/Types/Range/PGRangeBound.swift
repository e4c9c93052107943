#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A type that can be the bound of a PostgreSQL range: it names the built-in range and
/// multirange types a ``PGRange`` and ``PGMultirange`` of it are sent as.
///
/// `Int32` is `int4range`; `Int64` and `Int` are `int8range`; `PGNumeric` and `Decimal` are
/// `numrange`; `PGDate` is `daterange`; `PGTimestamp` and `Date` are `tstzrange` (and read
/// `tsrange` too).
///
/// ```swift
/// let week = PGRange<PGDate>(PGDate(year: 2026, month: 1, day: 5)!..<PGDate(year: 2026, month: 1, day: 12)!)
/// ```
public protocol PGRangeBound: PGCodable {
    /// The range type of this bound (`int4range` for `Int32`).
    static var pgRangeType: PGDataType { get }
    /// The multirange type of this bound (`int4multirange` for `Int32`).
    static var pgMultirangeType: PGDataType { get }
}

extension Int32: PGRangeBound {
    public static var pgRangeType: PGDataType { .int4range }
    public static var pgMultirangeType: PGDataType { .int4multirange }
}

extension Int64: PGRangeBound {
    public static var pgRangeType: PGDataType { .int8range }
    public static var pgMultirangeType: PGDataType { .int8multirange }
}

extension Int: PGRangeBound {
    public static var pgRangeType: PGDataType { .int8range }
    public static var pgMultirangeType: PGDataType { .int8multirange }
}

extension PGNumeric: PGRangeBound {
    public static var pgRangeType: PGDataType { .numrange }
    public static var pgMultirangeType: PGDataType { .nummultirange }
}

extension Decimal: PGRangeBound {
    public static var pgRangeType: PGDataType { .numrange }
    public static var pgMultirangeType: PGDataType { .nummultirange }
}

extension PGDate: PGRangeBound {
    public static var pgRangeType: PGDataType { .daterange }
    public static var pgMultirangeType: PGDataType { .datemultirange }
}

extension PGTimestamp: PGRangeBound {
    public static var pgRangeType: PGDataType { .tstzrange }
    public static var pgMultirangeType: PGDataType { .tstzmultirange }
}

extension Date: PGRangeBound {
    public static var pgRangeType: PGDataType { .tstzrange }
    public static var pgMultirangeType: PGDataType { .tstzmultirange }
}
