import Testing

@testable import PGClient

/// What telemetry reads from SQL text: the operation, the first table, and the text without its
/// literal values.
@Suite struct SQLTextTests {
    @Test(arguments: [
        ("SELECT 1", "SELECT"),
        ("  select id from t", "SELECT"),
        ("-- a comment\nINSERT INTO t VALUES ($1)", "INSERT"),
        ("/* outer /* nested */ still */ UPDATE t SET a = 1", "UPDATE"),
        ("(SELECT 1) UNION (SELECT 2)", "SELECT"),
        ("WITH x AS (SELECT 1), y AS MATERIALIZED (SELECT 2) DELETE FROM t USING x", "DELETE"),
        ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r", "SELECT"),
        ("begin isolation level serializable", "BEGIN"),
        ("COPY t FROM STDIN", "COPY"),
        ("", nil),
        ("'SELECT'", nil),
        ("frobnicate the database", nil),
        ("ÉTAT", nil),
    ] as [(String, String?)])
    func operationIsTheFirstKeyword(_ sql: String, _ expected: String?) {
        #expect(PGSQLText.operationName(of: sql) == expected)
    }

    @Test(arguments: [
        ("SELECT id, total FROM financbase.invoices WHERE org_id = $1", "financbase.invoices"),
        ("select * from \"Order Lines\" join t2 on true", "\"Order Lines\""),
        ("SELECT (SELECT max(a) FROM inner_t) FROM outer_t", "outer_t"),
        ("SELECT * FROM ONLY parent", "parent"),
        ("SELECT * FROM generate_series(1, 10)", nil),
        ("SELECT * FROM (SELECT 1) AS s", nil),
        ("SELECT 1", nil),
        ("INSERT INTO ledger (account, amount) VALUES ($1, $2)", "ledger"),
        ("UPDATE accounts SET balance = balance - $1 WHERE id = $2", "accounts"),
        ("DELETE FROM sessions WHERE expires_at < now()", "sessions"),
        ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DO NOTHING", "t"),
        ("COPY payments (user_id, amount) FROM STDIN (FORMAT binary)", "payments"),
        ("COPY (SELECT 1) TO STDOUT", nil),
        ("TRUNCATE TABLE ONLY audit.events", "audit.events"),
        ("WITH x AS (SELECT 1 FROM a) INSERT INTO b SELECT * FROM x", "b"),
        ("BEGIN", nil),
    ] as [(String, String?)])
    func collectionIsTheFirstTableNamed(_ sql: String, _ expected: String?) {
        #expect(PGSQLText.collectionName(of: sql) == expected)
    }

    @Test(arguments: [
        ("SELECT * FROM users WHERE email = 'a@b.c' AND age > 30", "SELECT * FROM users WHERE email = ? AND age > ?"),
        ("SELECT 'it''s', E'a\\'b', $$dollar 'quoted'$$, $tag$x$tag$", "SELECT ?, ?, ?, ?"),
        ("SELECT x'1F', B'101', U&'d\\0061t', N'n'", "SELECT ?, ?, ?, ?"),
        ("SELECT 1.5e-3, .5, 42::int4, -7", "SELECT ?, ?, ?::int4, -?"),
        ("SELECT t1.c2 FROM t1 WHERE c3 = $1 AND c4 = $2", "SELECT t1.c2 FROM t1 WHERE c3 = $1 AND c4 = $2"),
        ("SELECT \"col'1\" FROM t -- it's a comment 42\n", "SELECT \"col'1\" FROM t -- it's a comment 42\n"),
        ("SET statement_timeout = '5s'", "SET statement_timeout = ?"),
        ("SAVEPOINT pgwire_savepoint_3", "SAVEPOINT pgwire_savepoint_3"),
        ("SELECT 'unterminated", "SELECT ?"),
        ("SELECT $$never ends", "SELECT ?"),
    ])
    func sanitizedTextHasNoLiteral(_ sql: String, _ expected: String) {
        #expect(PGSQLText.sanitized(sql) == expected)
    }

    /// The lexer never reads past the text, whatever it is given (quotes, comments and dollar
    /// tags left open at every position).
    @Test func everyPrefixOfTrickyTextIsHandled() {
        let text = "WITH a AS (SELECT E'x\\'y' /* c /* d */ */, $q$z$q$, \"i\"\"d\", 1.5e+3 FROM s.t) SELECT * FROM a -- end"
        for end in text.indices {
            let prefix = String(text[..<end])
            _ = PGSQLText.operationName(of: prefix)
            _ = PGSQLText.collectionName(of: prefix)
            #expect(!PGSQLText.sanitized(prefix).contains("1.5"))
        }
    }
}
