import Financbase
import FoundationEssentials
import PGClient

/// A calendar day as `YYYY-MM-DD` in JSON.
enum DayText {
    /// The day's text; the infinities as PostgreSQL writes them.
    static func encode(_ day: PGDate) -> String { day.description }

    /// The day named by `text`.
    ///
    /// - Throws: ``APIProblem`` 400 `invalid_date`.
    static func decode(_ text: String, field: String) throws(APIProblem) -> PGDate {
        guard let day = PGDate(text: text), !day.isInfinite else {
            throw APIProblem(status: .badRequest, code: "invalid_date", detail: "\(field) must be a date, YYYY-MM-DD")
        }
        return day
    }
}

/// A decimal amount in JSON: a string, so no digit is lost to a binary float.
enum AmountText {
    /// The amount named by `text`.
    ///
    /// - Throws: ``APIProblem`` 400 `invalid_amount`.
    static func decode(_ text: String, field: String) throws(APIProblem) -> PGNumeric {
        guard let value = PGNumeric(text), value.isFinite else {
            throw APIProblem(status: .badRequest, code: "invalid_amount", detail: "\(field) must be a decimal number as a string")
        }
        return value
    }
}

/// A stored enumeration's value from JSON text.
enum EnumText {
    /// The value whose raw value is `text`.
    ///
    /// - Throws: ``APIProblem`` 400 `invalid_value`.
    static func decode<Value: RawRepresentable<String>>(_ text: String, as: Value.Type, field: String) throws(APIProblem) -> Value {
        guard let value = Value(rawValue: text) else {
            throw APIProblem(status: .badRequest, code: "invalid_value", detail: "\(field) has no value \"\(text)\"")
        }
        return value
    }
}
