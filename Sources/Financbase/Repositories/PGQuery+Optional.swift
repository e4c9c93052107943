import PGClient
import PGWire

extension PGQuery.StringInterpolation {
    /// Binds an optional value, `nil` as NULL. The same binding as for any value; spelled out so
    /// that interpolating an optional column says so, instead of drawing the compiler's
    /// "debug description for an optional value" warning.
    mutating func appendInterpolation<Value: PGEncodable>(_ value: Value?) {
        bind(value)
    }

    private mutating func bind<Value: PGEncodable>(_ value: Value) {
        appendInterpolation(value)
    }
}
