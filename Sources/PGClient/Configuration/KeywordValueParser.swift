/// Parses libpq's `key=value` connection strings: `host=db.example.com port=5432 dbname=ledger`.
///
/// Pairs are separated by whitespace, which may also surround `=`. A value in single quotes may
/// hold spaces; inside or outside quotes a backslash takes the next character literally (`\'`,
/// `\\`). An empty value is written `''`. A later pair for the same key wins.
///
/// ```swift
/// let options = try KeywordValueParser.parse(#"user=app password='it\'s secret' dbname = ledger"#)
/// // options[.password] == "it's secret", options[.dbname] == "ledger"
/// ```
package enum KeywordValueParser {
    /// Parses a `key=value` string into the options it spells out.
    ///
    /// - Throws: ``PGConfigError`` naming the key that is unknown, lacks its `=`, or whose quoted
    ///   value is unterminated. Text right after a password is never quoted: when a password was
    ///   not quoted but held a space, its tail would otherwise appear as a "key".
    package static func parse(_ string: String) throws(PGConfigError) -> ConnectionOptions {
        let characters = Array(string.unicodeScalars)
        var options = ConnectionOptions()
        var index = 0
        // Set after an unquoted secret value: a stray token that follows it may be the rest of a
        // password that held a space, so it must not be quoted as a key.
        var previousUnquotedSecret: PGConfig.Key?

        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

        func failAfterSecret(_ secret: PGConfig.Key) -> PGConfigError {
            PGConfigError(
                key: secret.rawValue,
                reason: .malformedString(
                    "the text after the value is not a key=value pair; quote a value that holds spaces"
                ))
        }

        while index < characters.count {
            if isSpace(characters[index]) {
                index += 1
                continue
            }
            var keyword = ""
            while index < characters.count, characters[index] != "=", !isSpace(characters[index]) {
                keyword.unicodeScalars.append(characters[index])
                index += 1
            }
            while index < characters.count, isSpace(characters[index]) { index += 1 }
            guard index < characters.count, characters[index] == "=" else {
                if let secret = previousUnquotedSecret { throw failAfterSecret(secret) }
                throw PGConfigError(
                    key: keyword, reason: .malformedString("missing \"=\" after the key"))
            }
            index += 1
            while index < characters.count, isSpace(characters[index]) { index += 1 }

            var value = ""
            let isQuoted = index < characters.count && characters[index] == "'"
            if isQuoted {
                index += 1
                var closed = false
                while index < characters.count {
                    let scalar = characters[index]
                    index += 1
                    if scalar == "\\" {
                        if index < characters.count {
                            value.unicodeScalars.append(characters[index])
                            index += 1
                        }
                    } else if scalar == "'" {
                        closed = true
                        break
                    } else {
                        value.unicodeScalars.append(scalar)
                    }
                }
                guard closed else {
                    throw PGConfigError(
                        key: keyword, reason: .malformedString("unterminated quoted value"))
                }
            } else {
                while index < characters.count, !isSpace(characters[index]) {
                    if characters[index] == "\\" {
                        index += 1
                        if index < characters.count {
                            value.unicodeScalars.append(characters[index])
                        }
                    } else {
                        value.unicodeScalars.append(characters[index])
                    }
                    index += 1
                }
            }
            do {
                try options.set(keyword, value)
            } catch {
                if let secret = previousUnquotedSecret { throw failAfterSecret(secret) }
                throw error
            }
            let key = PGConfig.Key(rawValue: keyword)
            previousUnquotedSecret = !isQuoted && key?.isSecret == true ? key : nil
        }
        return options
    }
}
