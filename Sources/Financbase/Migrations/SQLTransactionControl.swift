/// Finds statements in a migration that would take the transaction or the role away from the
/// runner: `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK`, `ABORT`, `SAVEPOINT`,
/// `RELEASE`, `PREPARE TRANSACTION`, and `SET ROLE`, `RESET ROLE`, `SET SESSION AUTHORIZATION`,
/// `RESET ALL` (after which objects would no longer be made by `financbase_owner`).
///
/// A small lexer in the manner of psql's: it skips comments (nested `/* */` too), quoted strings
/// (`'…'`, `E'…'`, dollar quotes) and quoted identifiers, so the `BEGIN` of a PL/pgSQL body is
/// not a statement; semicolons inside parentheses or inside a `CREATE FUNCTION … BEGIN ATOMIC …
/// END` body do not end a statement. It only looks at the first words of each statement.
enum SQLTransactionControl {
    /// A forbidden statement: its leading keywords in uppercase and its 1-based line.
    struct Finding: Equatable {
        var keyword: String
        var line: Int
    }

    /// The first forbidden statement of `sql`, or `nil` when there is none.
    static func firstStatement(in sql: String) -> Finding? {
        var scanner = Scanner(bytes: Array(sql.utf8))
        var statement: [String] = []
        var statementLine = 1
        var parenDepth = 0
        var beginDepth = 0
        while let token = scanner.next() {
            switch token.kind {
            case .word(let word):
                if statement.isEmpty { statementLine = token.line }
                statement.append(word)
                if isRoutineDefinition(statement) {
                    if (word == "begin" && statement.count > 1) || word == "case" {
                        beginDepth += 1
                    } else if word == "end", beginDepth > 0 {
                        beginDepth -= 1
                    }
                }
            case .other(let byte):
                if statement.isEmpty { statementLine = token.line }
                if byte == UInt8(ascii: "(") { parenDepth += 1 }
                if byte == UInt8(ascii: ")"), parenDepth > 0 { parenDepth -= 1 }
                guard byte == UInt8(ascii: ";"), parenDepth == 0, beginDepth == 0 else {
                    if byte != UInt8(ascii: ";") { statement.append("") }
                    continue
                }
                if let keyword = forbiddenKeyword(statement) {
                    return Finding(keyword: keyword, line: statementLine)
                }
                statement = []
            case .quoted:
                if statement.isEmpty { statementLine = token.line }
                statement.append("")
            }
        }
        return forbiddenKeyword(statement).map { Finding(keyword: $0, line: statementLine) }
    }

    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, whose SQL-standard body may hold semicolons.
    private static func isRoutineDefinition(_ words: [String]) -> Bool {
        guard words.first == "create" else { return false }
        return words.prefix(4).contains("function") || words.prefix(4).contains("procedure")
    }

    private static func forbiddenKeyword(_ words: [String]) -> String? {
        guard let first = words.first else { return nil }
        let second = words.dropFirst().first ?? ""
        switch first {
        case "begin", "commit", "end", "rollback", "abort", "savepoint", "release":
            return first.uppercased()
        case "start" where second == "transaction", "prepare" where second == "transaction":
            return "\(first) \(second)".uppercased()
        case "reset" where second == "role" || second == "all" || second == "session":
            return "\(first) \(second)".uppercased()
        case "set":
            let rest = words.dropFirst().drop { $0 == "local" || $0 == "session" }
            if rest.first == "role" { return "SET ROLE" }
            if rest.first == "authorization" { return "SET SESSION AUTHORIZATION" }
            return nil
        default:
            return nil
        }
    }

    /// What the lexer yields: a bare word (lowercased), a quoted thing, or one other byte.
    private struct Token {
        enum Kind {
            case word(String)
            case quoted
            case other(UInt8)
        }
        var kind: Kind
        var line: Int
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func next() -> Token? {
            skipSpaceAndComments()
            guard index < bytes.count else { return nil }
            let startLine = line
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") {
                skipQuoted(UInt8(ascii: "'"), backslashEscapes: false)
                return Token(kind: .quoted, line: startLine)
            }
            if byte == UInt8(ascii: "\"") {
                skipQuoted(UInt8(ascii: "\""), backslashEscapes: false)
                return Token(kind: .quoted, line: startLine)
            }
            if byte == UInt8(ascii: "$"), let tag = dollarTag(at: index) {
                skipDollarQuoted(tag)
                return Token(kind: .quoted, line: startLine)
            }
            if Self.startsIdentifier(byte) {
                let start = index
                while index < bytes.count, Self.continuesIdentifier(bytes[index]) { index += 1 }
                let word = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
                // E'…' is an escape string: backslash escapes a quote inside it.
                if word == "e", index < bytes.count, bytes[index] == UInt8(ascii: "'") {
                    skipQuoted(UInt8(ascii: "'"), backslashEscapes: true)
                    return Token(kind: .quoted, line: startLine)
                }
                return Token(kind: .word(word), line: startLine)
            }
            index += 1
            return Token(kind: .other(byte), line: startLine)
        }

        private mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }

        private func starts(with text: String, at position: Int) -> Bool {
            let needle = Array(text.utf8)
            return position + needle.count <= bytes.count
                && Array(bytes[position..<position + needle.count]) == needle
        }

        private mutating func skipSpaceAndComments() {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: " ") || (9...13).contains(bytes[index]) {
                    advance()
                } else if starts(with: "--", at: index) {
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                } else if starts(with: "/*", at: index) {
                    var depth = 0
                    repeat {
                        if starts(with: "/*", at: index) {
                            depth += 1
                            index += 2
                        } else if starts(with: "*/", at: index) {
                            depth -= 1
                            index += 2
                        } else {
                            advance()
                        }
                    } while depth > 0 && index < bytes.count
                } else {
                    return
                }
            }
        }

        /// Skips from an opening quote past its closing one; a doubled quote stands for itself.
        private mutating func skipQuoted(_ quote: UInt8, backslashEscapes: Bool) {
            index += 1
            while index < bytes.count {
                if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
                    index += 1
                    if index < bytes.count { advance() }
                    continue
                }
                if bytes[index] == quote {
                    index += 1
                    guard index < bytes.count, bytes[index] == quote else { return }
                }
                advance()
            }
        }

        /// The `$tag$` starting at `position`, or `nil` when it is not one (`$1`, a lone `$`).
        private func dollarTag(at position: Int) -> [UInt8]? {
            var end = position + 1
            if end < bytes.count, Self.startsIdentifier(bytes[end]) {
                while end < bytes.count, bytes[end] != UInt8(ascii: "$"),
                    Self.continuesIdentifier(bytes[end])
                {
                    end += 1
                }
            }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else { return nil }
            return Array(bytes[position...end])
        }

        private mutating func skipDollarQuoted(_ tag: [UInt8]) {
            index += tag.count
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$"), index + tag.count <= bytes.count,
                    Array(bytes[index..<index + tag.count]) == tag
                {
                    index += tag.count
                    return
                }
                advance()
            }
        }

        private static func startsIdentifier(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || byte == UInt8(ascii: "_") || byte >= 0x80
        }

        private static func continuesIdentifier(_ byte: UInt8) -> Bool {
            startsIdentifier(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "$")
        }
    }
}
