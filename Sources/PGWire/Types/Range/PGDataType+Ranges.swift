/// The built-in range and multirange types, their arrays, and the subtype of each.
extension PGDataType {
    public static let int4range = PGDataType(3904)
    public static let numrange = PGDataType(3906)
    public static let tsrange = PGDataType(3908)
    public static let tstzrange = PGDataType(3910)
    public static let daterange = PGDataType(3912)
    public static let int8range = PGDataType(3926)

    public static let int4multirange = PGDataType(4451)
    public static let nummultirange = PGDataType(4532)
    public static let tsmultirange = PGDataType(4533)
    public static let tstzmultirange = PGDataType(4534)
    public static let datemultirange = PGDataType(4535)
    public static let int8multirange = PGDataType(4536)

    public static let int4rangeArray = PGDataType(3905)
    public static let numrangeArray = PGDataType(3907)
    public static let tsrangeArray = PGDataType(3909)
    public static let tstzrangeArray = PGDataType(3911)
    public static let daterangeArray = PGDataType(3913)
    public static let int8rangeArray = PGDataType(3927)

    public static let int4multirangeArray = PGDataType(6150)
    public static let nummultirangeArray = PGDataType(6151)
    public static let tsmultirangeArray = PGDataType(6152)
    public static let tstzmultirangeArray = PGDataType(6153)
    public static let datemultirangeArray = PGDataType(6155)
    public static let int8multirangeArray = PGDataType(6157)

    /// The type of a range's bounds (`int4` for `int4range`), for the built-in range types.
    public var rangeSubtype: PGDataType? { Self.rangeSubtypes[self] }

    /// The range type of a built-in multirange type (`int4range` for `int4multirange`).
    public var multirangeRange: PGDataType? { Self.multirangeRanges[self] }

    static let rangeSubtypes: [PGDataType: PGDataType] = [
        .int4range: .int4, .int8range: .int8, .numrange: .numeric, .daterange: .date,
        .tsrange: .timestamp, .tstzrange: .timestamptz,
    ]

    static let multirangeRanges: [PGDataType: PGDataType] = [
        .int4multirange: .int4range, .int8multirange: .int8range, .nummultirange: .numrange,
        .datemultirange: .daterange, .tsmultirange: .tsrange, .tstzmultirange: .tstzrange,
    ]

    static let rangeArrayTypes: [PGDataType: PGDataType] = [
        .int4range: .int4rangeArray, .int8range: .int8rangeArray, .numrange: .numrangeArray,
        .daterange: .daterangeArray, .tsrange: .tsrangeArray, .tstzrange: .tstzrangeArray,
        .int4multirange: .int4multirangeArray, .int8multirange: .int8multirangeArray,
        .nummultirange: .nummultirangeArray, .datemultirange: .datemultirangeArray,
        .tsmultirange: .tsmultirangeArray, .tstzmultirange: .tstzmultirangeArray,
    ]

    static let rangeNames: [PGDataType: String] = [
        .int4range: "int4range", .int8range: "int8range", .numrange: "numrange",
        .daterange: "daterange", .tsrange: "tsrange", .tstzrange: "tstzrange",
        .int4multirange: "int4multirange", .int8multirange: "int8multirange",
        .nummultirange: "nummultirange", .datemultirange: "datemultirange",
        .tsmultirange: "tsmultirange", .tstzmultirange: "tstzmultirange",
    ]
}
