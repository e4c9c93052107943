/// What telemetry reads from SQL text, without parsing it: the operation (the statement's first
/// keyword), the first table it names, and the text with its literal values replaced by `?`.
///
/// A lexer, not a parser: it knows PostgreSQL's comments, string constants (`'…'`, `E'…'`,
/// `B'…'`, `X'…'`, `U&'…'`, dollar quotes), quoted identifiers, numbers and `$n` parameters, and
/// the nesting of parentheses — enough that nothing inside a literal or a comment is taken for a
/// keyword, and that no literal survives ``sanitized(_:)``. Used only when a tracer, a metrics
/// factory or a trace-level logger observes a request.
enum PGSQLText {
    /// The operation of a statement: its first keyword, upper-cased, when it is one of
    /// PostgreSQL's commands (`SELECT`, `INSERT`, `BEGIN`, …); for a statement that starts with
    /// `WITH`, the keyword of the statement after its common table expressions. `nil` for
    /// anything else, so that the value stays a short list (a metric dimension).
    static func operationName(of sql: String) -> String? {
        withBytes(sql) { bytes in
            var lexer = SQLLexer(bytes)
            return lexer.operation()?.name
        }
    }

    /// The first table a statement names as its target (`SELECT … FROM t`, `INSERT INTO t`,
    /// `UPDATE t`, `DELETE FROM t`, `MERGE INTO t`, `COPY t`, `TRUNCATE t`), as written, with its
    /// schema if given (`financbase.invoices`, `"Order Lines"`); `nil` when the statement names
    /// none that simply (a subquery, a function).
    static func collectionName(of sql: String) -> String? {
        operationAndCollection(of: sql).collection
    }

    /// ``operationName(of:)`` and ``collectionName(of:)`` in one reading of the text.
    static func operationAndCollection(of sql: String) -> (operation: String?, collection: String?) {
        withBytes(sql) { bytes in
            var lexer = SQLLexer(bytes)
            guard let operation = lexer.operation() else { return (nil, nil) }
            let range = lexer.collection(after: operation)
            return (operation.name, range.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) })
        }
    }

    /// The text with every literal value — string constants, numbers — replaced by `?`; comments,
    /// identifiers, keywords and `$n` parameters stay as written.
    ///
    /// ```swift
    /// PGSQLText.sanitized("SELECT * FROM users WHERE email = 'a@b.c' AND age > 30")
    /// // "SELECT * FROM users WHERE email = ? AND age > ?"
    /// ```
    static func sanitized(_ sql: String) -> String {
        withBytes(sql) { bytes in
            var lexer = SQLLexer(bytes)
            var output: [UInt8] = []
            var copied = 0
            while let token = lexer.next() {
                guard case .literal = token.kind else { continue }
                if output.isEmpty { output.reserveCapacity(bytes.count) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<token.range.lowerBound]))
                output.append(UInt8(ascii: "?"))
                copied = token.range.upperBound
            }
            if copied == 0 { return sql }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: output, as: UTF8.self)
        }
    }

    private static func withBytes<Result>(_ sql: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = sql
        return text.withUTF8(body)
    }
}

/// A token of SQL text: its kind and where it is.
struct SQLToken {
    enum Kind: Equatable {
        case word
        case quotedIdentifier
        case literal
        case parameter
        case punctuation(UInt8)
    }

    var kind: Kind
    var range: Range<Int>
    /// The parenthesis depth the token is at (a parenthesis itself counts outside).
    var depth: Int
}

/// Splits SQL text into tokens, skipping white space and comments.
struct SQLLexer {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The commands `operation()` recognizes, by their first keyword.
    static let commands: Set<String> = [
        "ABORT", "ALTER", "ANALYZE", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER", "COMMENT", "COMMIT",
        "COPY", "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO", "DROP", "END", "EXECUTE",
        "EXPLAIN", "FETCH", "GRANT", "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE", "MOVE", "NOTIFY",
        "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT",
        "SECURITY", "SELECT", "SET", "SHOW", "START", "TABLE", "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM",
        "VALUES",
    ]

    /// The longest keyword of ``commands``, so that a longer word is turned down unread.
    private static let longestCommand = 10

    /// The statement's operation and the token of its keyword; see ``PGSQLText/operationName(of:)``.
    mutating func operation() -> (name: String, token: SQLToken)? {
        var first = next()
        while let token = first, token.kind == .punctuation(UInt8(ascii: "(")) { first = next() }
        guard let first, first.kind == .word, let keyword = keyword(first) else { return nil }
        if keyword == "WITH" { return mainStatement() }
        guard Self.commands.contains(keyword) else { return nil }
        return (keyword, first)
    }

    /// After `WITH`: the first command keyword at depth 0 that follows a closing parenthesis at
    /// depth 0 (the end of the last common table expression).
    private mutating func mainStatement() -> (name: String, token: SQLToken)? {
        var afterParenthesis = false
        while let token = next() {
            guard token.depth == 0 else { continue }
            switch token.kind {
            case .punctuation(UInt8(ascii: ")")):
                afterParenthesis = true
            case .word where afterParenthesis:
                // A command keyword ends the list; another word (the AS of `r(n) AS (…)`) does not.
                if let keyword = keyword(token), Self.commands.contains(keyword) { return (keyword, token) }
                afterParenthesis = false
            default:
                afterParenthesis = false
            }
        }
        return nil
    }

    /// The range of the table named after `operation`'s keyword (see
    /// ``PGSQLText/collectionName(of:)``); reads on from the keyword.
    mutating func collection(after operation: (name: String, token: SQLToken)) -> Range<Int>? {
        let level = operation.token.depth
        switch operation.name {
        case "SELECT":
            while let token = next() {
                if token.depth < level || token.kind == .punctuation(UInt8(ascii: ";")) { return nil }
                if token.depth == level, token.kind == .word, keyword(token) == "FROM" {
                    return qualifiedName(functionCallPossible: true)
                }
            }
            return nil
        case "INSERT", "MERGE":
            guard let into = next(), keyword(into) == "INTO" else { return nil }
            return qualifiedName()
        case "DELETE":
            guard let from = next(), keyword(from) == "FROM" else { return nil }
            return qualifiedName()
        case "UPDATE", "COPY", "TRUNCATE":
            return qualifiedName()
        default:
            return nil
        }
    }

    /// A name such as `t`, `s.t` or `"S"."T"`, after an optional `ONLY` or `TABLE`; `nil` when
    /// what follows is not a plain name (a subquery; a function call, where one may stand).
    private mutating func qualifiedName(functionCallPossible: Bool = false) -> Range<Int>? {
        guard var token = next() else { return nil }
        while token.kind == .word, let word = keyword(token), word == "ONLY" || word == "TABLE" {
            guard let following = next() else { return nil }
            token = following
        }
        guard token.kind == .word || token.kind == .quotedIdentifier else { return nil }
        if token.kind == .word, let word = keyword(token), word == "LATERAL" { return nil }
        let start = token.range.lowerBound
        var end = token.range.upperBound
        while let dot = peek(), dot.kind == .punctuation(UInt8(ascii: ".")), dot.range.lowerBound == end {
            _ = next()
            guard let part = next(), part.kind == .word || part.kind == .quotedIdentifier else { return nil }
            end = part.range.upperBound
        }
        if functionCallPossible, let call = peek(), call.kind == .punctuation(UInt8(ascii: "(")) { return nil }
        return start..<end
    }

    /// A word upper-cased, when it is short enough to be a keyword (ASCII only).
    private func keyword(_ token: SQLToken) -> String? {
        guard token.kind == .word, token.range.count <= Self.longestCommand else { return nil }
        var scalars = String.UnicodeScalarView()
        for index in token.range {
            let byte = bytes[index]
            guard byte < 0x80 else { return nil }
            let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            scalars.append(Unicode.Scalar(upper))
        }
        return String(scalars)
    }

    private func peek() -> SQLToken? {
        var copy = self
        return copy.next()
    }

    // MARK: Tokens

    /// The next token, or `nil` at the end of the text.
    mutating func next() -> SQLToken? {
        skipSpaceAndComments()
        guard position < bytes.count else { return nil }
        let start = position
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "'"):
            skipQuoted(UInt8(ascii: "'"), backslashEscapes: false)
            return token(.literal, from: start)
        case UInt8(ascii: "\""):
            skipQuoted(UInt8(ascii: "\""), backslashEscapes: false)
            return token(.quotedIdentifier, from: start)
        case UInt8(ascii: "$"):
            return dollar(from: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            skipNumber()
            return token(.literal, from: start)
        case UInt8(ascii: ".") where isDigit(at: position + 1):
            skipNumber()
            return token(.literal, from: start)
        case _ where Self.startsIdentifier(byte):
            return word(from: start)
        case UInt8(ascii: "("):
            position += 1
            defer { depth += 1 }
            return token(.punctuation(byte), from: start)
        case UInt8(ascii: ")"):
            position += 1
            depth = max(0, depth - 1)
            return token(.punctuation(byte), from: start)
        default:
            position += 1
            return token(.punctuation(byte), from: start)
        }
    }

    private func token(_ kind: SQLToken.Kind, from start: Int) -> SQLToken {
        SQLToken(kind: kind, range: start..<position, depth: depth)
    }

    /// A word; or a string constant with a prefix (`E'…'`, `B'…'`, `X'…'`, `U&'…'`, `N'…'`).
    private mutating func word(from start: Int) -> SQLToken {
        while position < bytes.count, Self.continuesIdentifier(bytes[position]) { position += 1 }
        let length = position - start
        if position < bytes.count, bytes[position] == UInt8(ascii: "'"), length == 1 {
            let prefix = bytes[start] | 0x20
            if prefix == UInt8(ascii: "e") || prefix == UInt8(ascii: "b") || prefix == UInt8(ascii: "x")
                || prefix == UInt8(ascii: "n")
            {
                skipQuoted(UInt8(ascii: "'"), backslashEscapes: prefix == UInt8(ascii: "e"))
                return token(.literal, from: start)
            }
        }
        if length == 1, bytes[start] | 0x20 == UInt8(ascii: "u"), position + 1 < bytes.count,
            bytes[position] == UInt8(ascii: "&"),
            bytes[position + 1] == UInt8(ascii: "'") || bytes[position + 1] == UInt8(ascii: "\"")
        {
            let quote = bytes[position + 1]
            position += 1
            skipQuoted(quote, backslashEscapes: false)
            return token(quote == UInt8(ascii: "'") ? .literal : .quotedIdentifier, from: start)
        }
        return token(.word, from: start)
    }

    /// `$1` (a parameter), `$tag$…$tag$` or `$$…$$` (a string constant), or a lone `$`.
    private mutating func dollar(from start: Int) -> SQLToken {
        position += 1
        if isDigit(at: position) {
            while isDigit(at: position) { position += 1 }
            return token(.parameter, from: start)
        }
        var tagEnd = position
        if tagEnd < bytes.count, Self.startsIdentifier(bytes[tagEnd]) {
            while tagEnd < bytes.count, Self.continuesIdentifier(bytes[tagEnd]), bytes[tagEnd] != UInt8(ascii: "$") {
                tagEnd += 1
            }
        }
        guard tagEnd < bytes.count, bytes[tagEnd] == UInt8(ascii: "$") else {
            return token(.punctuation(UInt8(ascii: "$")), from: start)
        }
        let tag = UnsafeBufferPointer(rebasing: bytes[start...tagEnd])
        position = tagEnd + 1
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "$"), position + tag.count <= bytes.count,
                UnsafeBufferPointer(rebasing: bytes[position..<(position + tag.count)]).elementsEqual(tag)
            {
                position += tag.count
                return token(.literal, from: start)
            }
            position += 1
        }
        return token(.literal, from: start)  // unterminated: the rest is the literal
    }

    /// Moves past a quoted run that starts at `position` (a doubled quote continues it).
    private mutating func skipQuoted(_ quote: UInt8, backslashEscapes: Bool) {
        while position < bytes.count, bytes[position] != quote { position += 1 }
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            position += 1
            if byte == quote {
                guard position < bytes.count, bytes[position] == quote else { return }
                position += 1
            }
        }
        position = min(position, bytes.count)
    }

    /// Moves past a number: digits, `.`, `_`, an exponent, or a `0x`/`0o`/`0b` prefix's digits.
    private mutating func skipNumber() {
        while position < bytes.count {
            let byte = bytes[position]
            if Self.continuesIdentifier(byte) || byte == UInt8(ascii: ".") {
                let wasExponent = byte | 0x20 == UInt8(ascii: "e")
                position += 1
                if wasExponent, position < bytes.count,
                    bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
            } else {
                return
            }
        }
    }

    private mutating func skipSpaceAndComments() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D) {
                position += 1
            } else if byte == UInt8(ascii: "-"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "-") {
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else if byte == UInt8(ascii: "/"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") {
                skipBlockComment()
            } else {
                return
            }
        }
    }

    /// `/* … */`, which nests in PostgreSQL.
    private mutating func skipBlockComment() {
        var nesting = 0
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "/"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") {
                nesting += 1
                position += 2
            } else if bytes[position] == UInt8(ascii: "*"), position + 1 < bytes.count,
                bytes[position + 1] == UInt8(ascii: "/")
            {
                nesting -= 1
                position += 2
                if nesting == 0 { return }
            } else {
                position += 1
            }
        }
    }

    private func isDigit(at index: Int) -> Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
    }

    private static func startsIdentifier(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private static func continuesIdentifier(_ byte: UInt8) -> Bool {
        startsIdentifier(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "$")
    }
}
