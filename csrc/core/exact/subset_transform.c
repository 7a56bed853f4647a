#include "exact/subset_transform.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/parallel.h"

ip_status ip_check_exact_players(int64_t n, ip_error *err) {
    if (n < 1) return ip_fail(err, IP_ERR_RANGE, "n", "n = %" PRId64 " players is out of range (need n >= 1)", n);
    if (n > IP_MAX_EXACT_PLAYERS)
        return ip_fail(err, IP_ERR_TOO_LARGE, "n", "n = %" PRId64 " players is too large for an exact method (at most %d)",
                       n, IP_MAX_EXACT_PLAYERS);
    return IP_OK;
}

ip_status ip_check_table(const double *values, int64_t length, const char *argument, int *n, ip_error *err) {
    if (length < 2 || (length & (length - 1)) != 0)
        return ip_fail(err, IP_ERR_ARG, argument, "%s has length %" PRId64 "; the game table length must be 2^n with n >= 1",
                       argument, length);
    int players = 0;
    while (((int64_t)1 << players) < length) ++players;
    ip_status st = ip_check_exact_players(players, err);
    if (st != IP_OK) return st;
    st = ip_check_finite(values, length, argument, err);
    if (st != IP_OK) return st;
    if (n != NULL) *n = players;
    return IP_OK;
}

/* Cache-blocked butterflies. The passes over the n bits commute, so they run in groups:
 * the low IP_BLOCK_BITS bits inside contiguous blocks of 2^IP_BLOCK_BITS entries (in place, the
 * block stays in L2), then the high bits IP_GROUP_BITS at a time: each tile of 2^g rows (stride
 * 2^lo) x IP_TILE_COLUMNS contiguous columns is copied into a small per-thread buffer (no cache-set
 * conflicts from the power-of-two stride), transformed there and written back. Each group is one
 * read-and-write pass over the table; n = 24 takes 2 passes. */
#define IP_BLOCK_BITS 15
#define IP_GROUP_BITS 8
#define IP_TILE_COLUMNS 128

typedef enum { OP_MOEBIUS = 0, OP_SUPERSET = 1 } butterfly_op;

/* One level over rows of `columns` contiguous doubles: rows r and r + step, r without bit step. */
static void level_rows(double *rows, int64_t count, int64_t step, int64_t columns, butterfly_op op) {
    for (int64_t i = 0; i < count; i += 2 * step)
        for (int64_t r = i; r < i + step; ++r) {
            double *without = rows + r * columns, *with = rows + (r + step) * columns;
            if (op == OP_MOEBIUS)
                for (int64_t c = 0; c < columns; ++c) with[c] -= without[c];
            else
                for (int64_t c = 0; c < columns; ++c) without[c] += with[c];
        }
}

static void low_bits(double *table, int n, int bits, butterfly_op op) {
    const int64_t block = (int64_t)1 << bits, blocks = (int64_t)1 << (n - bits);
#pragma omp parallel for schedule(static) if (((int64_t)1 << n) > IP_OMP_MIN_BUTTERFLIES)
    for (int64_t b = 0; b < blocks; ++b)
        for (int k = 0; k < bits; ++k) level_rows(table + b * block, block, (int64_t)1 << k, 1, op);
}

static ip_status high_bits(double *table, int n, int lo, int hi, butterfly_op op, ip_error *err) {
    const int g = hi - lo;
    const int64_t rows = (int64_t)1 << g, below = (int64_t)1 << lo;
    const int64_t columns = below < IP_TILE_COLUMNS ? below : IP_TILE_COLUMNS;
    const int64_t chunks = below / columns, tiles = ((int64_t)1 << (n - hi)) * chunks;
    int failed = 0;
#pragma omp parallel if (((int64_t)1 << n) > IP_OMP_MIN_BUTTERFLIES)
    {
        double *buffer = (double *)malloc(sizeof(double) * (size_t)(rows * columns));
        if (buffer == NULL) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int64_t tile = 0; tile < tiles; ++tile) {
            if (buffer == NULL) continue;
            double *base = table + ((tile / chunks) << hi) + (tile % chunks) * columns;
            for (int64_t r = 0; r < rows; ++r) memcpy(buffer + r * columns, base + (r << lo), sizeof(double) * (size_t)columns);
            for (int k = 0; k < g; ++k) level_rows(buffer, rows, (int64_t)1 << k, columns, op);
            for (int64_t r = 0; r < rows; ++r) memcpy(base + (r << lo), buffer + r * columns, sizeof(double) * (size_t)columns);
        }
        free(buffer);
    }
    if (failed) return ip_fail(err, IP_ERR_NOMEM, "table", "table: no memory for a transform buffer");
    return IP_OK;
}

static ip_status butterfly_inplace(double *table, int n, butterfly_op op, ip_error *err) {
    if (table == NULL) return ip_fail(err, IP_ERR_NULL, "table", "table is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    const int bits = n < IP_BLOCK_BITS ? n : IP_BLOCK_BITS;
    low_bits(table, n, bits, op);
    for (int lo = bits; lo < n && st == IP_OK; lo += IP_GROUP_BITS)
        st = high_bits(table, n, lo, lo + IP_GROUP_BITS < n ? lo + IP_GROUP_BITS : n, op, err);
    return st;
}

ip_status ip_moebius_inplace(double *table, int n, ip_error *err) {
    return butterfly_inplace(table, n, OP_MOEBIUS, err);
}

ip_status ip_superset_sum_inplace(double *table, int n, ip_error *err) {
    return butterfly_inplace(table, n, OP_SUPERSET, err);
}
