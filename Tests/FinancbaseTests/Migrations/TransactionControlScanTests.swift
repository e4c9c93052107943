import Financbase
import Foundation
import Testing

/// Transaction control inside a migration would break its one-transaction rule; loading finds
/// the plain cases before anything runs, and ignores the words in bodies, strings and comments.
@Suite("Transaction control in migrations")
struct TransactionControlScanTests {
    struct Case: Sendable, CustomStringConvertible {
        var sql: String
        var statement: String?
        var line: Int = 1
        var description: String { statement ?? "allowed: \(sql.prefix(40))" }
    }

    static let cases: [Case] = [
        Case(
            sql: "CREATE TABLE t (x int);\nCOMMIT;\nCREATE TABLE u (x int);", statement: "COMMIT",
            line: 2),
        Case(sql: "begin;\nCREATE TABLE t (x int);", statement: "BEGIN"),
        Case(
            sql: "START TRANSACTION ISOLATION LEVEL SERIALIZABLE;", statement: "START TRANSACTION"),
        Case(sql: "CREATE TABLE t (x int); end", statement: "END"),
        Case(sql: "SAVEPOINT a; ROLLBACK TO a;", statement: "SAVEPOINT"),
        Case(sql: "-- comment\n\n  Rollback;", statement: "ROLLBACK", line: 3),
        Case(sql: "PREPARE TRANSACTION 'x';", statement: "PREPARE TRANSACTION"),
        Case(sql: "SET ROLE postgres;", statement: "SET ROLE"),
        Case(sql: "SET LOCAL ROLE postgres;", statement: "SET ROLE"),
        Case(sql: "RESET ROLE;", statement: "RESET ROLE"),
        Case(sql: "SET SESSION AUTHORIZATION postgres;", statement: "SET SESSION AUTHORIZATION"),
        Case(
            sql:
                "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\nCOMMIT;",
            statement: "COMMIT", line: 2),
        // Allowed: the words inside bodies, strings, identifiers and comments.
        Case(
            sql:
                "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN COMMIT; END $body$;"
        ),
        Case(
            sql:
                "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\nEND\n$$;"
        ),
        Case(
            sql:
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;"
        ),
        Case(
            sql:
                "SELECT 'COMMIT; BEGIN'; SELECT E'it\\'s; commit'; SELECT \"begin\" FROM (SELECT 1 AS \"begin\") x;"
        ),
        Case(sql: "/* COMMIT; /* nested; */ BEGIN; */ SELECT 1; -- COMMIT;"),
        Case(
            sql:
                "CREATE TABLE commits (begin_at timestamptz, \"end\" int); SET search_path = app; SET ROLE_X = 1;"
        ),
        Case(sql: "PREPARE q AS SELECT $1::int; SELECT $1;"),
    ]

    @Test(arguments: cases)
    func scan(_ testCase: Case) throws {
        let folder = try temporaryMigrationFolder(["0001_case.sql": testCase.sql])
        guard let expected = testCase.statement else {
            #expect(try MigrationDirectory.load(from: folder).count == 1)
            return
        }
        #expect {
            try MigrationDirectory.load(from: folder)
        } throws: { error in
            guard
                case .transactionControl(1, "case", let statement, let line) = error
                    as? MigrationError
            else {
                return false
            }
            return statement == expected && line == testCase.line
        }
    }
}
