/*
 * decode_1m for libpq: streams
 *   SELECT g::int8, g::text, (g*1.01)::numeric(12,2), now() FROM generate_series(1, N) g
 * in single-row mode and turns every column into a native value: the int8 with strtoll, the
 * text as a pointer and length, the numeric as an exact count of hundredths, the timestamptz as
 * microseconds since the Unix epoch.
 *
 * usage: decode_1m CONNINFO [ROWS]
 */
#include "bench_common.h"

#include <ctype.h>

/* "-1234.56" -> -123456; the column is numeric(12,2), so at most two fraction digits. */
static int64_t parse_cents(const char *text) {
    int negative = *text == '-';
    if (negative || *text == '+') text++;
    int64_t whole = 0;
    while (isdigit((unsigned char)*text)) whole = whole * 10 + (*text++ - '0');
    int64_t fraction = 0;
    int digits = 0;
    if (*text == '.') {
        text++;
        while (isdigit((unsigned char)*text) && digits < 2) { fraction = fraction * 10 + (*text++ - '0'); digits++; }
    }
    while (digits++ < 2) fraction *= 10;
    int64_t cents = whole * 100 + fraction;
    return negative ? -cents : cents;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* "2024-05-01 12:34:56.123456+02" or "+05:30" (ISO DateStyle) -> microseconds since the epoch. */
static int64_t parse_timestamptz(const char *text) {
    int year, month, day, hour, minute, second;
    int consumed = 0;
    if (sscanf(text, "%d-%d-%d %d:%d:%d%n", &year, &month, &day, &hour, &minute, &second, &consumed) != 6) return 0;
    const char *rest = text + consumed;
    int64_t micros = 0;
    if (*rest == '.') {
        rest++;
        int digits = 0;
        while (isdigit((unsigned char)*rest)) { if (digits < 6) { micros = micros * 10 + (*rest - '0'); digits++; } rest++; }
        while (digits++ < 6) micros *= 10;
    }
    int64_t offset = 0;
    if (*rest == '+' || *rest == '-') {
        int sign = *rest == '-' ? -1 : 1;
        rest++;
        int oh = 0, om = 0, os = 0;
        sscanf(rest, "%d:%d:%d", &oh, &om, &os);
        offset = sign * (oh * 3600 + om * 60 + os);
    }
    int64_t seconds = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 + minute * 60 + second - offset;
    return seconds * 1000000 + micros;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: decode_1m CONNINFO [ROWS]\n"); return 2; }
    long rows = parse_count(argc > 2 ? argv[2] : NULL, 1000000);
    PGconn *conn = connect_or_die(argv[1]);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT g::int8, g::text, (g*1.01)::numeric(12,2), now() FROM generate_series(1,%ld) g", rows);

    double start = now_seconds();
    if (!PQsendQuery(conn, sql)) die(conn, "PQsendQuery");
    if (!PQsetSingleRowMode(conn)) die(conn, "PQsetSingleRowMode");
    long seen = 0;
    int64_t checksum = 0;
    PGresult *result;
    while ((result = PQgetResult(conn)) != NULL) {
        ExecStatusType status = PQresultStatus(result);
        if (status == PGRES_SINGLE_TUPLE) {
            long long id = strtoll(PQgetvalue(result, 0, 0), NULL, 10);
            const char *text = PQgetvalue(result, 0, 1);
            int text_length = PQgetlength(result, 0, 1);
            int64_t cents = parse_cents(PQgetvalue(result, 0, 2));
            int64_t at = parse_timestamptz(PQgetvalue(result, 0, 3));
            checksum += id + text_length + (unsigned char)text[0] + cents + (at & 0xff);
            seen++;
        } else if (status != PGRES_TUPLES_OK) {
            fprintf(stderr, "query: %s", PQresultErrorMessage(result));
            PQclear(result);
            PQfinish(conn);
            return 1;
        }
        PQclear(result);
    }
    double seconds = now_seconds() - start;
    if (seen != rows) { fprintf(stderr, "expected %ld rows, got %ld\n", rows, seen); return 1; }
    fprintf(stderr, "checksum %lld\n", (long long)checksum);
    print_result(seen, seconds);
    PQfinish(conn);
    return 0;
}
