import PGWire

/// How ``PGConnection/loadTypes(_:)`` reads `pg_type`: the SQL, and the pure step from one row
/// of it to a `PGTypeInfo`.
enum PGTypeCatalog {
    /// One row of ``describe(_:)``.
    struct Row: Sendable {
        var oid: UInt32
        var name: String
        var schema: String
        /// `pg_type.typtype`: `e` enum, `c` composite, `d` domain, `r` range, `m` multirange, `b` base.
        var typtype: String
        /// `pg_type.typcategory`; `A` for arrays.
        var category: String
        var arrayOID: UInt32
        var baseOID: UInt32
        var elementOID: UInt32
        var rangeSubtype: UInt32
        var multirangeRange: UInt32
        var labels: [String]
        var fieldNames: [String]
        var fieldTypes: [UInt32]

        /// The type this row describes.
        var info: PGTypeInfo {
            let kind: PGTypeInfo.Kind
            switch typtype {
            case "e": kind = .enumeration(labels: labels)
            case "c":
                kind = .composite(
                    fields: zip(fieldNames, fieldTypes).map { PGTypeInfo.Field(name: $0, dataType: PGDataType($1)) })
            case "d": kind = .domain(base: PGDataType(baseOID))
            case "r": kind = .range(subtype: PGDataType(rangeSubtype))
            case "m": kind = .multirange(range: PGDataType(multirangeRange))
            default: kind = category == "A" && elementOID != 0 ? .array(element: PGDataType(elementOID)) : .base
            }
            return PGTypeInfo(
                dataType: PGDataType(oid), name: name, schema: schema,
                arrayType: arrayOID == 0 ? nil : PGDataType(arrayOID), kind: kind)
        }

        /// The user-defined types this one is made of (a domain's base, fields, an element).
        var referencedTypes: [UInt32] {
            ([arrayOID, baseOID, elementOID, rangeSubtype, multirangeRange] + fieldTypes)
                .filter { $0 >= PGDataType.firstUserOID }
        }
    }

    /// Resolves names (as `regtype` reads them: `mood`, `public.mood`, `mood[]`) to OIDs; a name
    /// of no type gives NULL.
    static func resolve(_ names: [String]) -> PGQuery {
        "SELECT n, to_regtype(n)::oid FROM unnest(\(names)::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i"
    }

    /// The catalog rows of the types with these OIDs.
    static func describe(_ oids: [UInt32]) -> PGQuery {
        """
        SELECT t.oid, t.typname::text, s.nspname::text, t.typtype::text, t.typcategory::text, t.typarray,
               t.typbasetype, t.typelem, COALESCE(r.rngsubtype, 0::oid), COALESCE(m.rngtypid, 0::oid),
               ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                     WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
               ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
               ARRAY(SELECT a.atttypid FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace s ON s.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
        LEFT JOIN pg_catalog.pg_range m ON m.rngmultitypid = t.oid
        WHERE t.oid = ANY(\(oids)::oid[])
        """
    }
}
