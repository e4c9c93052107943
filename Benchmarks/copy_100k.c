/*
 * copy_100k for libpq: N ledger rows into bench_ledger through
 *   COPY bench_ledger (user_id, amount, description, created_at) FROM STDIN (FORMAT binary)
 * built by hand in PostgreSQL's binary COPY format and sent with PQputCopyData in 64 KiB chunks.
 * The table is emptied (TRUNCATE) before the clock starts.
 *
 * usage: copy_100k CONNINFO [ROWS]
 */
#include "bench_common.h"

#include <arpa/inet.h>

/* Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01. */
#define POSTGRES_EPOCH_OFFSET_MICROS 946684800000000LL
#define CHUNK_SIZE 65536

typedef struct {
    char data[CHUNK_SIZE + 1024];
    size_t length;
} Chunk;

static void put16(Chunk *c, uint16_t v) { v = htons(v); memcpy(c->data + c->length, &v, 2); c->length += 2; }
static void put32(Chunk *c, uint32_t v) { v = htonl(v); memcpy(c->data + c->length, &v, 4); c->length += 4; }
static void put64(Chunk *c, uint64_t v) { put32(c, (uint32_t)(v >> 32)); put32(c, (uint32_t)v); }
static void put_bytes(Chunk *c, const void *p, size_t n) { memcpy(c->data + c->length, p, n); c->length += n; }

/* A non-negative amount of hundredths as numeric's base-10000 digits with dscale 2. */
static void put_numeric_cents(Chunk *c, int64_t cents) {
    uint16_t digits[8];
    int count = 0;
    int64_t whole = cents / 100;
    uint16_t whole_digits[6];
    int whole_count = 0;
    while (whole > 0) { whole_digits[whole_count++] = (uint16_t)(whole % 10000); whole /= 10000; }
    for (int k = whole_count - 1; k >= 0; k--) digits[count++] = whole_digits[k];
    digits[count++] = (uint16_t)((cents % 100) * 100);
    put32(c, (uint32_t)(8 + 2 * count));
    put16(c, (uint16_t)count);
    put16(c, (uint16_t)(int16_t)(whole_count - 1)); /* weight: -1 when there is no whole part */
    put16(c, 0x0000);                                /* positive */
    put16(c, 2);                                     /* dscale */
    for (int k = 0; k < count; k++) put16(c, digits[k]);
}

static void flush(PGconn *conn, Chunk *c) {
    if (c->length == 0) return;
    if (PQputCopyData(conn, c->data, (int)c->length) != 1) die(conn, "PQputCopyData");
    c->length = 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: copy_100k CONNINFO [ROWS]\n"); return 2; }
    long rows = parse_count(argc > 2 ? argv[2] : NULL, 100000);
    PGconn *conn = connect_or_die(argv[1]);
    exec_or_die(conn, "TRUNCATE bench_ledger");
    static Chunk chunk;

    double start = now_seconds();
    PGresult *result = PQexec(conn, "COPY bench_ledger (" LEDGER_COLUMNS ") FROM STDIN (FORMAT binary)");
    if (PQresultStatus(result) != PGRES_COPY_IN) { PQclear(result); die(conn, "COPY"); }
    PQclear(result);

    put_bytes(&chunk, "PGCOPY\n\377\r\n\0", 11);
    put32(&chunk, 0); /* flags */
    put32(&chunk, 0); /* header extension length */
    char description[32];
    for (long i = 0; i < rows; i++) {
        put16(&chunk, 4);
        unsigned char uuid[16];
        ledger_uuid_bytes(i, uuid);
        put32(&chunk, 16);
        put_bytes(&chunk, uuid, 16);
        put_numeric_cents(&chunk, ledger_amount_cents(i));
        int length = snprintf(description, sizeof description, "payment %ld", i);
        put32(&chunk, (uint32_t)length);
        put_bytes(&chunk, description, (size_t)length);
        put32(&chunk, 8);
        put64(&chunk, (uint64_t)((LEDGER_BASE_UNIX + i) * 1000000LL - POSTGRES_EPOCH_OFFSET_MICROS));
        if (chunk.length >= CHUNK_SIZE) flush(conn, &chunk);
    }
    put16(&chunk, 0xFFFF); /* trailer */
    flush(conn, &chunk);
    if (PQputCopyEnd(conn, NULL) != 1) die(conn, "PQputCopyEnd");
    result = PQgetResult(conn);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        fprintf(stderr, "COPY: %s", PQresultErrorMessage(result));
        PQclear(result);
        PQfinish(conn);
        return 1;
    }
    PQclear(result);
    double seconds = now_seconds() - start;

    print_result(rows, seconds);
    PQfinish(conn);
    return 0;
}
