extension PGQuery {
    /// The operations a waiting one-off statement may have to share a connection's handoff with
    /// others (``PGPool/Configuration/waitingStatementsPerConnection``): those whose command tag
    /// never says that the session changed, and that open no transaction.
    static let handoffOperations: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE"]

    /// The bytes of the keywords of ``handoffOperations``, at the index of their first letter
    /// (`A` is 0): one to compare per statement, not all. Were two to share a letter, one would
    /// be kept and the other found by the lexer, as any statement that does not match is.
    private static let handoffKeywordsByInitial: [[UInt8]] = {
        var table = [[UInt8]](repeating: [], count: 26)
        for keyword in handoffOperations.sorted() {
            guard let initial = keyword.utf8.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(initial) else { continue }
            table[Int(initial - UInt8(ascii: "A"))] = Array(keyword.utf8)
        }
        return table
    }()

    /// Whether the statement may share a handoff: its operation (its first keyword, or the one
    /// after its common table expressions) is one of ``handoffOperations``. Text the lexer cannot
    /// place (an unknown command) is kept alone.
    var mayShareHandoff: Bool {
        if Self.startsWithHandoffKeyword(sql) { return true }
        return PGSQLText.operationName(of: sql).map(Self.handoffOperations.contains) ?? false
    }

    /// Whether `sql` begins, after blanks, with a keyword of ``handoffOperations`` as a whole
    /// word: the commonest case, answered without the lexer, which builds the keyword's text
    /// and looks it up twice, for every pooled statement. `false` means "ask the lexer" (a
    /// comment, a parenthesis, `WITH`, another command).
    static func startsWithHandoffKeyword(_ sql: String) -> Bool {
        sql.utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0
            while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x09 || bytes[start] == 0x0D {
                start += 1
            }
            // & 0xDF upper-cases an ASCII letter and never makes one of another byte.
            guard start < bytes.count else { return false }
            let initial = bytes[start] & 0xDF
            guard initial >= UInt8(ascii: "A"), initial <= UInt8(ascii: "Z") else { return false }
            let keyword = handoffKeywordsByInitial[Int(initial - UInt8(ascii: "A"))]
            guard !keyword.isEmpty, bytes.count - start >= keyword.count else { return false }
            for (offset, letter) in keyword.enumerated() where bytes[start + offset] & 0xDF != letter {
                return false
            }
            let end = start + keyword.count
            return end == bytes.count || !isIdentifierByte(bytes[end])
        } ?? false
    }

    /// Whether `byte` may continue an unquoted identifier or keyword: a letter, digit, `_`, `$`,
    /// or part of a non-ASCII character.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...:
            true
        default:
            false
        }
    }
}

extension PGPool.Configuration {
    /// How a one-off statement waits for a connection without multiplexing: pipelined with
    /// others when ``waitingStatementsPerConnection`` allows and the statement may share a
    /// handoff, else alone.
    func leaseKind(for query: PGQuery) -> PoolStateMachine<Int, PoolInstant>.LeaseKind {
        pipelinesWaitingStatements && waitingStatementsPerConnection > 1 && query.mayShareHandoff
            ? .pipelinedStatement : .exclusive
    }
}
