/*
 * insert_100k_txn and insert_100k_pipeline for libpq: N single-row INSERTs with four bound
 * (text-format) parameters into bench_ledger, inside one transaction.
 *   txn:      PQexecPrepared, one round trip per row.
 *   pipeline: pipeline mode, PQsendQueryPrepared BATCH times, then one PQpipelineSync, then the
 *             results are read; repeated until N rows are in.
 * The table is emptied (TRUNCATE) before the clock starts.
 *
 * usage: insert_100k CONNINFO txn|pipeline [ROWS] [BATCH]
 */
#include "bench_common.h"

#define INSERT_SQL "INSERT INTO bench_ledger (" LEDGER_COLUMNS ") VALUES ($1, $2, $3, $4)"

typedef struct {
    char uuid[40], amount[32], description[32], created_at[40];
    const char *values[4];
} LedgerText;

static void ledger_text(long i, LedgerText *row) {
    unsigned char b[16];
    ledger_uuid_bytes(i, b);
    snprintf(row->uuid, sizeof row->uuid,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    int64_t cents = ledger_amount_cents(i);
    snprintf(row->amount, sizeof row->amount, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
    snprintf(row->description, sizeof row->description, "payment %ld", i);
    time_t at = (time_t)(LEDGER_BASE_UNIX + i);
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(row->created_at, sizeof row->created_at, "%Y-%m-%d %H:%M:%S+00", &tm);
    row->values[0] = row->uuid;
    row->values[1] = row->amount;
    row->values[2] = row->description;
    row->values[3] = row->created_at;
}

static void expect(PGconn *conn, PGresult *result, ExecStatusType wanted, const char *what) {
    if (!result || PQresultStatus(result) != wanted) {
        fprintf(stderr, "%s: %s", what, result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
        PQclear(result);
        PQfinish(conn);
        exit(1);
    }
    PQclear(result);
}

static void run_sequential(PGconn *conn, long rows) {
    LedgerText row;
    for (long i = 0; i < rows; i++) {
        ledger_text(i, &row);
        expect(conn, PQexecPrepared(conn, "ins", 4, row.values, NULL, NULL, 0), PGRES_COMMAND_OK, "insert");
    }
}

static void run_pipelined(PGconn *conn, long rows, long batch) {
    if (!PQenterPipelineMode(conn)) die(conn, "PQenterPipelineMode");
    LedgerText row;
    for (long first = 0; first < rows; first += batch) {
        long end = first + batch < rows ? first + batch : rows;
        for (long i = first; i < end; i++) {
            ledger_text(i, &row);
            if (!PQsendQueryPrepared(conn, "ins", 4, row.values, NULL, NULL, 0)) die(conn, "PQsendQueryPrepared");
        }
        if (!PQpipelineSync(conn)) die(conn, "PQpipelineSync");
        for (long i = first; i < end; i++) {
            expect(conn, PQgetResult(conn), PGRES_COMMAND_OK, "insert");
            if (PQgetResult(conn) != NULL) die(conn, "expected the end of a result");
        }
        expect(conn, PQgetResult(conn), PGRES_PIPELINE_SYNC, "sync");
    }
    if (!PQexitPipelineMode(conn)) die(conn, "PQexitPipelineMode");
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: insert_100k CONNINFO txn|pipeline [ROWS] [BATCH]\n"); return 2; }
    int pipelined = strcmp(argv[2], "pipeline") == 0;
    long rows = parse_count(argc > 3 ? argv[3] : NULL, 100000);
    long batch = parse_count(argc > 4 ? argv[4] : NULL, 100);
    PGconn *conn = connect_or_die(argv[1]);
    exec_or_die(conn, "TRUNCATE bench_ledger");

    double start = now_seconds();
    expect(conn, PQprepare(conn, "ins", INSERT_SQL, 4, NULL), PGRES_COMMAND_OK, "prepare");
    exec_or_die(conn, "BEGIN");
    if (pipelined) run_pipelined(conn, rows, batch);
    else run_sequential(conn, rows);
    exec_or_die(conn, "COMMIT");
    double seconds = now_seconds() - start;

    print_result(rows, seconds);
    PQfinish(conn);
    return 0;
}
