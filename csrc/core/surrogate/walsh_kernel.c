#include "surrogate/walsh_kernel.h"

#include <inttypes.h>
#include <stddef.h>

#include "common/combinatorics.h"
#include "common/parallel.h"

/* The first row of sets [rows, words] holding a player >= n, or rows when there is none. */
static int64_t first_outside(const uint64_t *sets, int64_t rows, int64_t words, int64_t n) {
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t w = 0; w < words; ++w) {
            const int64_t lo = 64 * w; /* players lo .. lo + 63 */
            const uint64_t word = sets[r * words + w];
            if (lo >= n ? word != 0 : (n - lo < 64 && (word >> (n - lo)) != 0)) return r;
        }
    return rows;
}

ip_status ip_walsh_kernel_check(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                                int64_t n, ip_error *err) {
    if (words < 1 || words > INT64_MAX / 64)
        return ip_fail(err, IP_ERR_RANGE, "a", "a and b need 1 to INT64_MAX / 64 words per set, got %" PRId64, words);
    if (n < 0 || n > 64 * words)
        return ip_fail(err, IP_ERR_RANGE, "table",
                       "table has %" PRId64 " entries: n + 1 for 0 <= n <= 64 words = %" PRId64 " players", n + 1,
                       64 * words);
    if (na < 0 || nb < 0) return ip_fail(err, IP_ERR_RANGE, "a", "a and b must have >= 0 rows");
    if ((na > 0 && a == NULL) || (nb > 0 && b == NULL))
        return ip_fail(err, IP_ERR_NULL, na > 0 && a == NULL ? "a" : "b", "%s is NULL",
                       na > 0 && a == NULL ? "a" : "b");
    const int64_t ra = first_outside(a, na, words, n);
    if (ra < na) return ip_fail(err, IP_ERR_RANGE, "a", "a[%" PRId64 "] holds a player >= n = %" PRId64, ra, n);
    const int64_t rb = first_outside(b, nb, words, n);
    if (rb < nb) return ip_fail(err, IP_ERR_RANGE, "b", "b[%" PRId64 "] holds a player >= n = %" PRId64, rb, n);
    return IP_OK;
}

/* |x Δ y| for two packed sets of words 64-bit words. */
static inline int64_t set_distance(const uint64_t *x, const uint64_t *y, int64_t words) {
    int64_t d = 0;
    for (int64_t w = 0; w < words; ++w) d += ip_popcount(x[w] ^ y[w]);
    return d;
}

/* The rows, inlined into each entry below (with and without the popcount instruction). */
static inline void walsh_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                              const double *table, double *out) {
    for (int64_t i = 0; i < rows; ++i) {
        const uint64_t *ai = a + i * words;
        double *oi = out + i * nb;
        if (words == 1) { /* up to 64 players: one XOR and one popcount per entry */
            const uint64_t x = ai[0];
            for (int64_t j = 0; j < nb; ++j) oi[j] = table[ip_popcount(x ^ b[j])];
            continue;
        }
        for (int64_t j = 0; j < nb; ++j) oi[j] = table[set_distance(ai, b + j * words, words)];
    }
}

/* Σ_j table[|x Δ b_j|] weights[j] for one set x (words 64-bit words): four partial sums over j mod 4,
 * added as (s0 + s1) + (s2 + s3), so the loads and adds of consecutive entries overlap. */
static inline double walsh_product_row(const uint64_t *x, const uint64_t *b, int64_t nb, int64_t words,
                                       const double *table, const double *weights) {
    double s[4] = {0.0, 0.0, 0.0, 0.0};
    if (words == 1) { /* up to 64 players: one XOR and one popcount per entry */
        const uint64_t x0 = x[0];
        int64_t j = 0;
        for (; j + 4 <= nb; j += 4) /* unrolled: 1.6x faster than the loop below at 64 players */
            for (int k = 0; k < 4; ++k) s[k] += table[ip_popcount(x0 ^ b[j + k])] * weights[j + k];
        for (; j < nb; ++j) s[j & 3] += table[ip_popcount(x0 ^ b[j])] * weights[j];
    } else {
        for (int64_t j = 0; j < nb; ++j) s[j & 3] += table[set_distance(x, b + j * words, words)] * weights[j];
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

static inline void walsh_product_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                                      const double *table, const double *weights, double *out) {
    for (int64_t i = 0; i < rows; ++i) out[i] = walsh_product_row(a + i * words, b, nb, words, table, weights);
}

#if defined(__GNUC__) && defined(__x86_64__)
/* x86-64 CPUs since 2008 (not all: Core 2, K8) count bits in one instruction: used where present. */
__attribute__((target("popcnt"))) static void walsh_rows_popcnt(const uint64_t *a, int64_t rows, const uint64_t *b,
                                                                 int64_t nb, int64_t words, const double *table,
                                                                 double *out) {
    walsh_rows(a, rows, b, nb, words, table, out);
}

__attribute__((target("popcnt"))) static void walsh_product_rows_popcnt(const uint64_t *a, int64_t rows,
                                                                         const uint64_t *b, int64_t nb, int64_t words,
                                                                         const double *table, const double *weights,
                                                                         double *out) {
    walsh_product_rows(a, rows, b, nb, words, table, weights, out);
}
#endif

void ip_walsh_kernel_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                          const double *table, double *out) {
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("popcnt")) {
        walsh_rows_popcnt(a, rows, b, nb, words, table, out);
        return;
    }
#endif
    walsh_rows(a, rows, b, nb, words, table, out);
}

void ip_walsh_kernel_product_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                                  const double *table, const double *weights, double *out) {
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("popcnt")) {
        walsh_product_rows_popcnt(a, rows, b, nb, words, table, weights, out);
        return;
    }
#endif
    walsh_product_rows(a, rows, b, nb, words, table, weights, out);
}

/* The checks of ip_walsh_kernel and ip_walsh_kernel_product (need_weights), *entries <- na * nb:
 * table and weights must not be NULL when na * nb > 0, nor out when it has entries (na * nb; the
 * product's: na). */
static ip_status check_matrix(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                              const double *table, int64_t n, const double *weights, int need_weights,
                              const double *out, int64_t *entries, ip_error *err) {
    if (na >= 0 && nb >= 0 && !ip_mul_fits(na, nb, entries)) /* before the sets are read */
        return ip_fail(err, IP_ERR_TOO_LARGE, "a",
                       "a has %" PRId64 " rows: na * nb = %" PRId64 " * %" PRId64 " overflows int64", na, na, nb);
    const ip_status st = ip_walsh_kernel_check(a, na, b, nb, words, n, err);
    if (st != IP_OK) return st;
    if (*entries > 0 && table == NULL) return ip_fail(err, IP_ERR_NULL, "table", "table is NULL");
    if (*entries > 0 && need_weights && weights == NULL) return ip_fail(err, IP_ERR_NULL, "weights", "weights is NULL");
    if ((need_weights ? na : *entries) > 0 && out == NULL) return ip_fail(err, IP_ERR_NULL, "out", "out is NULL");
    return IP_OK;
}

/* Rows per block of a: about IP_OMP_MIN_ELEMENTS / 4 entries (>= 1 row), so a block is long enough
 * to amortise its call and short enough to balance the threads. */
static int64_t rows_per_block(int64_t nb) {
    const int64_t rows = (IP_OMP_MIN_ELEMENTS / 4) / (nb > 0 ? nb : 1);
    return rows > 0 ? rows : 1;
}

ip_status ip_walsh_kernel(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                          const double *table, int64_t n, double *out, ip_error *err) {
    int64_t entries;
    const ip_status st = check_matrix(a, na, b, nb, words, table, n, NULL, 0, out, &entries, err);
    if (st != IP_OK || entries == 0) return st;
    const int64_t block = rows_per_block(nb), blocks = (na + block - 1) / block;
#pragma omp parallel for schedule(static) if (entries > IP_OMP_MIN_ELEMENTS)
    for (int64_t k = 0; k < blocks; ++k) {
        const int64_t r0 = k * block, rows = na - r0 < block ? na - r0 : block;
        ip_walsh_kernel_rows(a + r0 * words, rows, b, nb, words, table, out + r0 * nb);
    }
    return IP_OK;
}

ip_status ip_walsh_kernel_product(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                                  const double *table, int64_t n, const double *weights, double *out, ip_error *err) {
    int64_t entries;
    const ip_status st = check_matrix(a, na, b, nb, words, table, n, weights, 1, out, &entries, err);
    if (st != IP_OK || na == 0) return st;
    const int64_t block = rows_per_block(nb), blocks = (na + block - 1) / block;
#pragma omp parallel for schedule(static) if (entries > IP_OMP_MIN_ELEMENTS)
    for (int64_t k = 0; k < blocks; ++k) { /* nb = 0: every sum is empty, 0 */
        const int64_t r0 = k * block, rows = na - r0 < block ? na - r0 : block;
        ip_walsh_kernel_product_rows(a + r0 * words, rows, b, nb, words, table, weights, out + r0);
    }
    return IP_OK;
}
