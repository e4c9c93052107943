/// A PostgreSQL data type, identified by its object identifier (OID) in `pg_type`.
///
/// The built-in types have fixed OIDs, named here as constants; other types (enums, domains,
/// extensions) have OIDs assigned per database and are carried as plain values.
///
/// ```swift
/// if column.dataType == .numeric { … }
/// let custom = PGDataType(16_402)
/// ```
public struct PGDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The type's OID.
    public var rawValue: UInt32

    /// Wraps an OID.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Wraps an OID.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// Not a type: Parse leaves a parameter's type to the server when it is given as 0.
    public static let unspecified = PGDataType(0)
    public static let bool = PGDataType(16)
    public static let bytea = PGDataType(17)
    public static let char = PGDataType(18)
    public static let name = PGDataType(19)
    public static let int8 = PGDataType(20)
    public static let int2 = PGDataType(21)
    public static let int4 = PGDataType(23)
    public static let text = PGDataType(25)
    public static let oid = PGDataType(26)
    public static let json = PGDataType(114)
    public static let cidr = PGDataType(650)
    public static let float4 = PGDataType(700)
    public static let float8 = PGDataType(701)
    public static let unknown = PGDataType(705)
    public static let inet = PGDataType(869)
    public static let bpchar = PGDataType(1042)
    public static let varchar = PGDataType(1043)
    public static let date = PGDataType(1082)
    public static let time = PGDataType(1083)
    public static let timestamp = PGDataType(1114)
    public static let timestamptz = PGDataType(1184)
    public static let interval = PGDataType(1186)
    public static let timetz = PGDataType(1266)
    public static let numeric = PGDataType(1700)
    public static let void = PGDataType(2278)
    public static let uuid = PGDataType(2950)
    public static let jsonb = PGDataType(3802)
    /// An anonymous composite (`ROW(1, 'a')`); ``PGTypeRegistry`` reads named composites as it.
    public static let record = PGDataType(2249)

    public static let boolArray = PGDataType(1000)
    public static let byteaArray = PGDataType(1001)
    public static let charArray = PGDataType(1002)
    public static let nameArray = PGDataType(1003)
    public static let int2Array = PGDataType(1005)
    public static let int4Array = PGDataType(1007)
    public static let textArray = PGDataType(1009)
    public static let bpcharArray = PGDataType(1014)
    public static let varcharArray = PGDataType(1015)
    public static let int8Array = PGDataType(1016)
    public static let float4Array = PGDataType(1021)
    public static let float8Array = PGDataType(1022)
    public static let oidArray = PGDataType(1028)
    public static let inetArray = PGDataType(1041)
    public static let dateArray = PGDataType(1182)
    public static let timeArray = PGDataType(1183)
    public static let timestampArray = PGDataType(1115)
    public static let timestamptzArray = PGDataType(1185)
    public static let intervalArray = PGDataType(1187)
    public static let numericArray = PGDataType(1231)
    public static let timetzArray = PGDataType(1270)
    public static let cidrArray = PGDataType(651)
    public static let jsonArray = PGDataType(199)
    public static let uuidArray = PGDataType(2951)
    public static let jsonbArray = PGDataType(3807)
    public static let recordArray = PGDataType(2287)

    /// PostgreSQL's `FirstNormalObjectId`: OIDs from here on were created in the database
    /// (`CREATE TYPE`, `CREATE DOMAIN`, extensions) and differ from database to database.
    public static let firstUserOID: UInt32 = 16_384

    /// Whether the type was created in the database (OID 16384 and up) rather than built in.
    @inlinable
    public var isUserDefined: Bool { rawValue >= Self.firstUserOID }

    /// The array type whose elements are of this type, for the built-in types listed here.
    public var arrayType: PGDataType? { Self.arrayTypes[self] }

    /// The element type of this array type, for the built-in array types listed here.
    public var elementType: PGDataType? { Self.elementTypes[self] }

    private static let arrayTypes = scalarArrayTypes.merging(rangeArrayTypes) { first, _ in first }

    private static let scalarArrayTypes: [PGDataType: PGDataType] = [
        .bool: .boolArray, .bytea: .byteaArray, .char: .charArray, .name: .nameArray,
        .int2: .int2Array, .int4: .int4Array, .int8: .int8Array, .text: .textArray,
        .bpchar: .bpcharArray, .varchar: .varcharArray, .float4: .float4Array,
        .float8: .float8Array, .oid: .oidArray, .inet: .inetArray, .cidr: .cidrArray,
        .date: .dateArray, .time: .timeArray, .timetz: .timetzArray, .timestamp: .timestampArray,
        .timestamptz: .timestamptzArray, .interval: .intervalArray, .numeric: .numericArray,
        .json: .jsonArray, .jsonb: .jsonbArray, .uuid: .uuidArray, .record: .recordArray,
    ]

    private static let elementTypes: [PGDataType: PGDataType] = Dictionary(
        uniqueKeysWithValues: arrayTypes.map { ($0.value, $0.key) })

    private static let names = scalarNames.merging(rangeNames) { first, _ in first }

    private static let scalarNames: [PGDataType: String] = [
        .bool: "bool", .bytea: "bytea", .char: "char", .name: "name", .int8: "int8",
        .int2: "int2", .int4: "int4", .text: "text", .oid: "oid", .json: "json", .cidr: "cidr",
        .float4: "float4", .float8: "float8", .unknown: "unknown", .inet: "inet",
        .bpchar: "bpchar", .varchar: "varchar", .date: "date", .time: "time",
        .timestamp: "timestamp", .timestamptz: "timestamptz", .interval: "interval",
        .timetz: "timetz", .numeric: "numeric", .void: "void", .uuid: "uuid", .jsonb: "jsonb",
        .record: "record",
    ]

    /// The type's SQL name for built-in types (`int4`, `_int4` for arrays), else `oid <n>`.
    public var description: String {
        if let name = Self.names[self] { return name }
        if let element = elementType, let name = Self.names[element] { return "_" + name }
        return "oid \(rawValue)"
    }
}
