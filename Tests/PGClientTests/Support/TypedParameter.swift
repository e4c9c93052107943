import NIOCore
import PGWire

/// A PostgreSQL type a parameter can be declared as, for ``TypedParameter``.
protocol ParameterType {
    static var dataType: PGDataType { get }
}

enum VarcharParameter: ParameterType { static var dataType: PGDataType { .varchar } }
enum BpcharParameter: ParameterType { static var dataType: PGDataType { .bpchar } }
enum NameParameter: ParameterType { static var dataType: PGDataType { .name } }
enum JSONParameter: ParameterType { static var dataType: PGDataType { .json } }
enum TimestampParameter: ParameterType { static var dataType: PGDataType { .timestamp } }
enum CIDRParameter: ParameterType { static var dataType: PGDataType { .cidr } }

/// A value bound with another type's OID than its Swift type's default (a `String` as
/// `varchar`, a `PGTimestamp` as `timestamp`), so the server receives it in that type's binary
/// form rather than converting it with a cast.
struct TypedParameter<Type: ParameterType, Value: PGEncodable>: PGEncodable {
    let value: Value

    init(_ value: Value) { self.value = value }

    static var pgDataType: PGDataType { Type.dataType }

    func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try value.encode(into: &buffer, format: format)
    }
}
