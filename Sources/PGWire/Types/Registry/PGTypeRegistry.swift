/// The types one connection loaded by name, so that values of user-defined types are read in
/// binary (the format every result comes in) instead of failing as unknown.
///
/// OIDs of types created with `CREATE TYPE` or `CREATE DOMAIN` differ from database to
/// database, so each connection keeps its own registry, filled by
/// `PGConnection.loadTypes(_:)`. What it changes when a result's columns are read:
/// - an enum column (and its array) reads as `text` (`String`, ``PGEnum``),
/// - a composite column (and its array) reads as `record` (``PGRecord``),
/// - a domain's array reads as its base type's array (a domain column itself the server already
///   describes as its base type).
///
/// ```swift
/// try await connection.loadTypes(["mood", "address"])
/// let registry = connection.typeRegistry
/// registry["mood"]?.dataType   // the OID in this database
/// ```
public struct PGTypeRegistry: Hashable, Sendable {
    private var types: [PGDataType: PGTypeInfo] = [:]
    private var names: [String: PGDataType] = [:]

    /// An empty registry.
    public init() {}

    /// Whether no type is registered.
    public var isEmpty: Bool { types.isEmpty }

    /// Every registered type, in no particular order.
    public var all: [PGTypeInfo] { Array(types.values) }

    /// The type with OID `dataType`, if it was registered.
    public subscript(dataType: PGDataType) -> PGTypeInfo? { types[dataType] }

    /// The type registered under `name`, plain (`mood`) or schema-qualified (`public.mood`).
    public subscript(name: String) -> PGTypeInfo? { names[name].flatMap { types[$0] } }

    /// Adds or replaces a type, findable by its plain and its schema-qualified name.
    public mutating func register(_ info: PGTypeInfo) {
        types[info.dataType] = info
        names[info.name] = info.dataType
        names["\(info.schema).\(info.name)"] = info.dataType
    }

    /// Adds or replaces every type of `other`.
    public mutating func merge(_ other: PGTypeRegistry) {
        for info in other.types.values { register(info) }
    }

    /// The PostgreSQL type whose binary form a value of `dataType` has, for choosing a decoder:
    /// `text` for an enum, `record` for a composite, a domain's base type, the same for arrays
    /// of these; `dataType` itself when it is not registered or has no such equivalent.
    public func wireType(of dataType: PGDataType) -> PGDataType {
        guard !types.isEmpty else { return dataType }
        return wireType(of: dataType, depth: 0)
    }

    private func wireType(of dataType: PGDataType, depth: Int) -> PGDataType {
        // Domains over domains nest, but not endlessly; a cycle in hand-made infos stops here.
        guard depth < 8, let info = types[dataType] else { return dataType }
        switch info.kind {
        case .enumeration: return .text
        case .composite: return .record
        case .domain(let base): return wireType(of: base, depth: depth + 1)
        case .array(let element):
            let elementWire = wireType(of: element, depth: depth + 1)
            return elementWire == element ? dataType : elementWire.arrayType ?? dataType
        case .range, .multirange, .base: return dataType
        }
    }
}
