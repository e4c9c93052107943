/*
 * What every libpq benchmark program shares: connecting, a monotonic clock, the process's
 * peak RSS, the ledger rows the insert and COPY workloads write, and the one result line the
 * Swift driver parses:  RESULT ops=<n> seconds=<s> maxrss_kb=<k>
 *
 * Each program takes the connection string (a URI or key=value pairs) as its first argument.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* 2024-01-01 00:00:00 UTC, the first row's created_at; row i is i seconds later. */
#define LEDGER_BASE_UNIX 1704067200LL
#define LEDGER_COLUMNS "user_id, amount, description, created_at"

static inline double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The peak RSS of this program's own memory, from VmHWM in /proc/self/status. Not
 * getrusage(RUSAGE_SELF).ru_maxrss: Linux carries that across fork and exec, so a child of a
 * large parent reports the parent's peak.
 */
static inline long peak_rss_kb(void) {
    FILE *status = fopen("/proc/self/status", "r");
    long kb = -1;
    char line[256];
    while (status && fgets(line, sizeof line, status)) {
        if (strncmp(line, "VmHWM:", 6) == 0) { kb = strtol(line + 6, NULL, 10); break; }
    }
    if (status) fclose(status);
    if (kb < 0) {
        struct rusage usage;
        getrusage(RUSAGE_SELF, &usage);
        kb = usage.ru_maxrss;
    }
    return kb;
}

static inline void die(PGconn *conn, const char *what) {
    fprintf(stderr, "%s: %s", what, conn ? PQerrorMessage(conn) : "(no connection)\n");
    if (conn) PQfinish(conn);
    exit(1);
}

static inline PGconn *connect_or_die(const char *conninfo) {
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) die(conn, "connect");
    return conn;
}

static inline void exec_or_die(PGconn *conn, const char *sql) {
    PGresult *result = PQexec(conn, sql);
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        PQclear(result);
        die(conn, sql);
    }
    PQclear(result);
}

static inline void print_result(long ops, double seconds) {
    printf("RESULT ops=%ld seconds=%.6f maxrss_kb=%ld\n", ops, seconds, peak_rss_kb());
}

/* The values of ledger row i, identical to what the Swift side writes. */
static inline int64_t ledger_amount_cents(long i) { return (int64_t)((i * 7919) % 10000000); }

static inline void ledger_uuid_bytes(long i, unsigned char out[16]) {
    memset(out, 0, 16);
    out[6] = 0x40; /* version 4 */
    out[8] = 0x80; /* RFC 4122 variant */
    /* the low 56 bits of i in the last seven bytes, after the variant byte */
    for (int k = 0; k < 7; k++) out[15 - k] = (unsigned char)(((uint64_t)i >> (8 * k)) & 0xff);
}

static inline int parse_count(const char *text, long fallback) {
    if (!text) return (int)fallback;
    long value = strtol(text, NULL, 10);
    return value > 0 ? (int)value : (int)fallback;
}

#endif
