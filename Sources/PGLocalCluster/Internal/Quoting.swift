/// Escaping for each text format the cluster writes: SQL, postgresql.conf, libpq conninfo, URIs.
enum Quoting {
    /// `"name"` with inner double quotes doubled: a SQL identifier.
    static func sqlIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `'text'` with inner single quotes doubled: a SQL string literal
    /// (`standard_conforming_strings` is on, so backslashes are plain characters).
    static func sqlLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A `postgresql.conf` value: always quoted (the server accepts quotes around any value), with
    /// quotes doubled and backslashes escaped.
    static func configurationValue(_ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "''")
        return "'" + escaped + "'"
    }

    /// A libpq keyword/value value: bare when it is a plain word, else single-quoted with `\` and `'`
    /// escaped by a backslash.
    static func conninfoValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty || value.contains { $0 == " " || $0 == "'" || $0 == "\\" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "\\'")
        return "'" + escaped + "'"
    }

    /// Percent-encodes every byte outside RFC 3986's unreserved set, which is safe in each URI part
    /// (user info, path, query value).
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + Hex.digits(byte, uppercase: true)
            }
        }
        return result
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
