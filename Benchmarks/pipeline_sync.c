/*
 * pipeline_100's two libpq forms, for what a Sync per statement costs by itself: N statements
 * "SELECT $1::int4" (prepared) in pipeline mode, BATCH at a time, then every result read.
 *   one:  one PQpipelineSync per batch (pgbench's \startpipeline … \endpipeline): the batch is
 *         one implicit transaction, and the server flushes once per batch.
 *   each: a PQpipelineSync after every statement, as independent callers on one connection
 *         must have (each statement its own implicit transaction, an error failing only it):
 *         the server flushes once per statement, and PostgreSQL 15's libpq flushes the client's
 *         side at every Sync too.
 * pgwire-bench runs `each` as pipeline_100's libpq side (100 concurrent tasks, each statement
 * with its own Sync, are that form); pipeline_100_batch keeps pgbench's one-Sync pipeline.
 *
 * usage: pipeline_sync CONNINFO one|each [N] [BATCH]
 */
#include "bench_common.h"

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: pipeline_sync CONNINFO one|each [N] [BATCH]\n"); return 2; }
    int each = strcmp(argv[2], "each") == 0;
    long n = parse_count(argc > 3 ? argv[3] : NULL, 100000);
    long batch = parse_count(argc > 4 ? argv[4] : NULL, 100);
    PGconn *conn = connect_or_die(argv[1]);
    PGresult *prepared = PQprepare(conn, "s", "SELECT $1::int4", 1, NULL);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) die(conn, "prepare");
    PQclear(prepared);
    if (!PQenterPipelineMode(conn)) die(conn, "PQenterPipelineMode");

    double start = now_seconds();
    long sum = 0, expected = 0;
    for (long first = 0; first < n; first += batch) {
        long end = first + batch < n ? first + batch : n;
        for (long i = first; i < end; i++) {
            char value[24];
            snprintf(value, sizeof value, "%ld", i % 100000);
            const char *values[1] = {value};
            if (!PQsendQueryPrepared(conn, "s", 1, values, NULL, NULL, 0)) die(conn, "PQsendQueryPrepared");
            if (each && !PQpipelineSync(conn)) die(conn, "PQpipelineSync");
            expected += i % 100000;
        }
        if (!each && !PQpipelineSync(conn)) die(conn, "PQpipelineSync");
        long syncs = each ? end - first : 1;
        while (syncs > 0) {
            PGresult *result = PQgetResult(conn);
            if (!result) continue; /* the end of one statement's results */
            ExecStatusType status = PQresultStatus(result);
            if (status == PGRES_TUPLES_OK) sum += atol(PQgetvalue(result, 0, 0));
            else if (status == PGRES_PIPELINE_SYNC) syncs--;
            else { PQclear(result); die(conn, "result"); }
            PQclear(result);
        }
    }
    double seconds = now_seconds() - start;
    if (sum != expected) { fprintf(stderr, "wrong results: %ld, expected %ld\n", sum, expected); return 1; }

    print_result(n, seconds);
    PQfinish(conn);
    return 0;
}
