#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise */
#endif
#include "exact/subset_transform.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "common/combinatorics.h"
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
 * 2^lo) x a few contiguous columns is copied into a small per-thread buffer (no cache-set
 * conflicts from the power-of-two stride), transformed there and written back. Each group is one
 * read-and-write pass over the table; n = 24 takes 2 passes. */
#define IP_BLOCK_BITS 15
#define IP_GROUP_BITS 12
/* doubles in one tile buffer (512 KiB), and the fewest contiguous columns of a tile */
#define IP_TILE_DOUBLES ((int64_t)1 << 16)
#define IP_MIN_COLUMNS 16

typedef enum { OP_MOEBIUS = 0, OP_SUPERSET = 1 } butterfly_op;

/* Bits 0..2 of every group of 8 consecutive entries, in registers. */
static void radix8(double *table, int64_t count, int bits, butterfly_op op) {
    for (int64_t i = 0; i < count; i += 8) {
        double x[8];
        for (int m = 0; m < 8; ++m) x[m] = table[i + m];
        for (int k = 0; k < bits; ++k)
            for (int m = 0; m < 8; ++m)
                if (m & (1 << k)) {
                    if (op == OP_MOEBIUS)
                        x[m] -= x[m ^ (1 << k)];
                    else
                        x[m ^ (1 << k)] += x[m];
                }
        for (int m = 0; m < 8; ++m) table[i + m] = x[m];
    }
}

/* One level of contiguous data: entries j and j + step (j without bit step); vectorizes for step >= 4. */
static void level_flat(double *table, int64_t count, int64_t step, butterfly_op op) {
    for (int64_t i = 0; i < count; i += 2 * step) {
        double *restrict without = table + i, *restrict with = table + i + step;
        if (op == OP_MOEBIUS)
            for (int64_t j = 0; j < step; ++j) with[j] -= without[j];
        else
            for (int64_t j = 0; j < step; ++j) without[j] += with[j];
    }
}

/* Three levels (steps s, 2s, 4s) of contiguous data at once, the 8 entries of each butterfly group in
 * registers: a third of the memory traffic of three single levels. Same operations, same order per entry. */
static void level3_flat(double *table, int64_t count, int64_t step, butterfly_op op) {
    for (int64_t i = 0; i < count; i += 8 * step) {
        double *restrict p0 = table + i, *restrict p1 = p0 + step, *restrict p2 = p1 + step, *restrict p3 = p2 + step;
        double *restrict p4 = p3 + step, *restrict p5 = p4 + step, *restrict p6 = p5 + step, *restrict p7 = p6 + step;
        if (op == OP_MOEBIUS) {
#pragma omp simd
            for (int64_t j = 0; j < step; ++j) {
                double x0 = p0[j], x1 = p1[j], x2 = p2[j], x3 = p3[j], x4 = p4[j], x5 = p5[j], x6 = p6[j], x7 = p7[j];
                x1 -= x0, x3 -= x2, x5 -= x4, x7 -= x6;
                x2 -= x0, x3 -= x1, x6 -= x4, x7 -= x5;
                x4 -= x0, x5 -= x1, x6 -= x2, x7 -= x3;
                p1[j] = x1, p2[j] = x2, p3[j] = x3, p4[j] = x4, p5[j] = x5, p6[j] = x6, p7[j] = x7;
            }
        } else {
#pragma omp simd
            for (int64_t j = 0; j < step; ++j) {
                double x0 = p0[j], x1 = p1[j], x2 = p2[j], x3 = p3[j], x4 = p4[j], x5 = p5[j], x6 = p6[j], x7 = p7[j];
                x0 += x1, x2 += x3, x4 += x5, x6 += x7;
                x0 += x2, x1 += x3, x4 += x6, x5 += x7;
                x0 += x4, x1 += x5, x2 += x6, x3 += x7;
                p0[j] = x0, p1[j] = x1, p2[j] = x2, p3[j] = x3, p4[j] = x4, p5[j] = x5, p6[j] = x6;
            }
        }
    }
}

/* Levels first .. first + levels - 1 of contiguous data (step of level k: unit << k). */
static void levels_flat(double *table, int64_t count, int64_t unit, int levels, butterfly_op op) {
    int k = 0;
    for (; k + 3 <= levels; k += 3) level3_flat(table, count, unit << k, op);
    for (; k < levels; ++k) level_flat(table, count, unit << k, op);
}

/* The low bits, block by block; source (may be NULL) is first copied into the block, in cache. */
static void low_bits_from(const double *source, double *table, int n, int bits, butterfly_op op) {
    const int64_t block = (int64_t)1 << bits, blocks = (int64_t)1 << (n - bits);
#pragma omp parallel for schedule(static) if (((int64_t)1 << n) > IP_OMP_MIN_BUTTERFLIES)
    for (int64_t b = 0; b < blocks; ++b) {
        double *data = table + b * block;
        if (source != NULL && source != table) memcpy(data, source + b * block, sizeof(double) * (size_t)block);
        if (bits >= 3) {
            radix8(data, block, 3, op);
            levels_flat(data, block, 8, bits - 3, op);
        } else {
            levels_flat(data, block, 1, bits, op);
        }
    }
}

static void low_bits(double *table, int n, int bits, butterfly_op op) {
    low_bits_from(NULL, table, n, bits, op);
}

static ip_status high_bits(double *table, int n, int lo, int hi, butterfly_op op, ip_error *err) {
    const int g = hi - lo;
    const int64_t rows = (int64_t)1 << g, below = (int64_t)1 << lo;
    int64_t columns = IP_TILE_DOUBLES / rows;
    if (columns < IP_MIN_COLUMNS) columns = IP_MIN_COLUMNS;
    if (columns > below) columns = below;
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
            levels_flat(buffer, rows * columns, columns, g, op);
            for (int64_t r = 0; r < rows; ++r) memcpy(base + (r << lo), buffer + r * columns, sizeof(double) * (size_t)columns);
        }
        free(buffer);
    }
    if (failed) return ip_fail(err, IP_ERR_NOMEM, "table", "table: no memory for a transform buffer");
    return IP_OK;
}

/* The fused tile of ip_moebius_weighted_superset_inplace: over the high bits [lo, n) of one tile,
 * Moebius levels, the weights by popcount, superset levels. */
static ip_status fused_high_bits(double *table, int n, int lo, const double *weight, ip_error *err) {
    const int g = n - lo;
    const int64_t rows = (int64_t)1 << g, below = (int64_t)1 << lo;
    int64_t columns = IP_TILE_DOUBLES / rows;
    if (columns < IP_MIN_COLUMNS) columns = IP_MIN_COLUMNS;
    if (columns > below) columns = below;
    const int64_t tiles = below / columns;
    int failed = 0;
#pragma omp parallel if (((int64_t)1 << n) > IP_OMP_MIN_BUTTERFLIES)
    {
        double *buffer = (double *)malloc(sizeof(double) * (size_t)(rows * columns));
        int *ones = (int *)malloc(sizeof(int) * (size_t)columns);
        if (buffer == NULL || ones == NULL) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int64_t tile = 0; tile < tiles; ++tile) {
            if (buffer == NULL || ones == NULL) continue;
            const int64_t first = tile * columns;
            for (int64_t c = 0; c < columns; ++c) ones[c] = ip_popcount((uint64_t)(first + c));
            double *base = table + first;
            for (int64_t r = 0; r < rows; ++r) memcpy(buffer + r * columns, base + (r << lo), sizeof(double) * (size_t)columns);
            levels_flat(buffer, rows * columns, columns, g, OP_MOEBIUS);
            for (int64_t r = 0; r < rows; ++r) {
                const int high = ip_popcount((uint64_t)r);
                double *row = buffer + r * columns;
                for (int64_t c = 0; c < columns; ++c) row[c] *= weight[high + ones[c]];
            }
            levels_flat(buffer, rows * columns, columns, g, OP_SUPERSET);
            for (int64_t r = 0; r < rows; ++r) memcpy(base + (r << lo), buffer + r * columns, sizeof(double) * (size_t)columns);
        }
        free(ones);
        free(buffer);
    }
    if (failed) return ip_fail(err, IP_ERR_NOMEM, "table", "table: no memory for a transform buffer");
    return IP_OK;
}

static void weigh(double *table, int n, const double *weight) {
    const int64_t size = (int64_t)1 << n;
#pragma omp parallel for if (size > IP_OMP_MIN_ELEMENTS)
    for (int64_t m = 0; m < size; ++m) table[m] *= weight[ip_popcount((uint64_t)m)];
}

/* The high bits [bits, n) in groups of at most IP_GROUP_BITS, of balanced sizes. */
static ip_status high_groups(double *table, int n, int bits, butterfly_op op, ip_error *err) {
    const int high = n - bits;
    if (high <= 0) return IP_OK;
    const int groups = (high + IP_GROUP_BITS - 1) / IP_GROUP_BITS, size = (high + groups - 1) / groups;
    ip_status st = IP_OK;
    for (int lo = bits; lo < n && st == IP_OK; lo += size) st = high_bits(table, n, lo, lo + size < n ? lo + size : n, op, err);
    return st;
}

static ip_status butterfly_inplace(double *table, int n, butterfly_op op, ip_error *err) {
    if (table == NULL) return ip_fail(err, IP_ERR_NULL, "table", "table is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    const int bits = n < IP_BLOCK_BITS ? n : IP_BLOCK_BITS;
    low_bits(table, n, bits, op);
    return high_groups(table, n, bits, op, err);
}

ip_status ip_moebius_inplace(double *table, int n, ip_error *err) {
    return butterfly_inplace(table, n, OP_MOEBIUS, err);
}

ip_status ip_superset_sum_inplace(double *table, int n, ip_error *err) {
    return butterfly_inplace(table, n, OP_SUPERSET, err);
}

ip_status ip_moebius_weighted_superset_inplace(double *table, int n, const double *weight, ip_error *err) {
    return ip_moebius_weighted_superset(table, table, n, weight, err);
}

ip_status ip_moebius_weighted_superset(const double *values, double *table, int n, const double *weight, ip_error *err) {
    if (values == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values is NULL");
    if (table == NULL) return ip_fail(err, IP_ERR_NULL, "table", "table is NULL");
    if (weight == NULL) return ip_fail(err, IP_ERR_NULL, "weight", "weight is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    const int bits = n < IP_BLOCK_BITS ? n : IP_BLOCK_BITS;
    low_bits_from(values, table, n, bits, OP_MOEBIUS);
    if (bits == n) {
        weigh(table, n, weight);
    } else if (n - bits <= IP_GROUP_BITS) {  /* one tile pass over the high bits */
        st = fused_high_bits(table, n, bits, weight, err);
    } else {
        st = high_groups(table, n, bits, OP_MOEBIUS, err);
        if (st == IP_OK) weigh(table, n, weight);
        if (st == IP_OK) st = high_groups(table, n, bits, OP_SUPERSET, err);
    }
    if (st == IP_OK) low_bits(table, n, bits, OP_SUPERSET);
    return st;
}

/* 2 MiB-aligned, and on Linux backed by transparent huge pages where the kernel allows them: a fresh
 * 2^24-double table then costs 64 page faults instead of 32768 (about a third of a transform). */
double *ip_table_alloc(int64_t count) {
    const size_t huge = (size_t)1 << 21, bytes = sizeof(double) * (size_t)count;
    if (bytes < huge) return (double *)malloc(bytes);
    double *p = (double *)aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p != NULL) (void)madvise(p, (bytes + huge - 1) / huge * huge, MADV_HUGEPAGE);
#endif
    return p;
}

void ip_table_free(double *table) {
    free(table);
}
