/// What a connection knows about one type created in the database (or loaded by name): its OID,
/// its name, its array type and what kind of type it is.
///
/// Made by `PGConnection.loadTypes(_:)` from `pg_type`; see ``PGTypeRegistry``.
///
/// ```swift
/// let mood = try await connection.loadTypes(["mood"])[0]
/// mood.kind        // .enumeration(labels: ["happy", "sad"])
/// mood.arrayType   // the OID of mood[]
/// ```
public struct PGTypeInfo: Hashable, Sendable, CustomStringConvertible {
    /// A field of a composite type.
    public struct Field: Hashable, Sendable {
        /// The field's name.
        public var name: String
        /// The field's type.
        public var dataType: PGDataType

        /// Creates a field.
        public init(name: String, dataType: PGDataType) {
            self.name = name
            self.dataType = dataType
        }
    }

    /// What kind of type it is (`pg_type.typtype`, refined).
    public enum Kind: Hashable, Sendable {
        /// `CREATE TYPE … AS ENUM`: its labels in sort order. Its binary form is the label's text.
        case enumeration(labels: [String])
        /// A composite type (`CREATE TYPE … AS (…)` or a table's row type), its fields in order.
        case composite(fields: [Field])
        /// `CREATE DOMAIN`: a base type with constraints; its values are the base type's.
        case domain(base: PGDataType)
        /// A range type over `subtype`.
        case range(subtype: PGDataType)
        /// A multirange type whose ranges are of type `range`.
        case multirange(range: PGDataType)
        /// An array type of `element`.
        case array(element: PGDataType)
        /// A base type (from an extension, say), whose binary form only its own codec knows.
        case base
    }

    /// The type's OID.
    public var dataType: PGDataType
    /// The type's name (`pg_type.typname`), without its schema.
    public var name: String
    /// The schema the type is in.
    public var schema: String
    /// The type's array type, if it has one.
    public var arrayType: PGDataType?
    /// What kind of type it is.
    public var kind: Kind

    /// Creates a description of a type.
    public init(dataType: PGDataType, name: String, schema: String, arrayType: PGDataType?, kind: Kind) {
        self.dataType = dataType
        self.name = name
        self.schema = schema
        self.arrayType = arrayType
        self.kind = kind
    }

    /// `schema.name (oid n)`.
    public var description: String { "\(schema).\(name) (oid \(dataType.rawValue))" }
}
