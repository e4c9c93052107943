public import PGWire

extension PGQuery.StringInterpolation {
    /// Binds an optional value as the next parameter, `nil` as NULL.
    ///
    /// The same binding as for any value; spelled out so that interpolating an optional says so,
    /// instead of drawing the compiler's "debug description for an optional value" warning.
    ///
    /// ```swift
    /// let memo: String? = nil
    /// try await connection.execute("UPDATE invoices SET memo = \(memo) WHERE id = \(id)")
    /// ```
    public mutating func appendInterpolation<Value: PGEncodable>(_ value: Value?) {
        bindOptional(value)
    }

    private mutating func bindOptional<Value: PGEncodable>(_ value: Value) {
        appendInterpolation(value)
    }
}
