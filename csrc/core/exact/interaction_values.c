#include "exact/interaction_values.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/combinatorics.h"
#include "common/parallel.h"
#include "exact/subset_transform.h"

int64_t ip_interaction_count(int n, int order) {
    if (n < 1 || n > IP_MAX_EXACT_PLAYERS || order < 0 || order > n) return -1;
    int64_t total = 0;
    for (int t = 0; t <= order; ++t) total += ip_binomial_exact(n, t);
    return total;
}

/* out[0 .. C(n, t)) <- table[mask of T] for the T of size t in lexicographic order. */
static void gather_size(const double *table, int n, int t, double *out) {
    int player[IP_MAX_EXACT_PLAYERS];
    for (int i = 0; i < t; ++i) player[i] = i;
    int64_t mask = ((int64_t)1 << t) - 1, position = 0;
    for (;;) {
        out[position++] = table[mask];
        int i = t - 1;
        while (i >= 0 && player[i] == n - t + i) --i;
        if (i < 0) break;
        mask &= ~((int64_t)1 << player[i]);
        ++player[i];
        mask |= (int64_t)1 << player[i];
        for (int j = i + 1; j < t; ++j) {
            mask &= ~((int64_t)1 << player[j]);
            player[j] = player[j - 1] + 1;
            mask |= (int64_t)1 << player[j];
        }
    }
}

/* sum_S w(|S|) d[S] over d[0 .. size) (size a power of two), where the coalition of d[s] has
 * popcount(s) + extra players; halves summed pairwise (the rounding error grows with log size). */
static double weighted_total(const double *d, int64_t size, const double *w, int stride, int extra) {
    if (size <= 4096) {
        double total = 0.0;
        for (int64_t s = 0; s < size; ++s) total += w[(ip_popcount((uint64_t)s) + extra) * stride] * d[s];
        return total;
    }
    const int64_t half = size / 2;
    return weighted_total(d, half, w, stride, extra) + weighted_total(d + half, half, w, stride, extra + 1);
}

static bool diagonal_column(const double *weights, int n, int order, int t) {
    for (int s = 0; s <= n; ++s)
        if (s != t && weights[s * (order + 1) + t] != 0.0) return false;
    return true;
}

ip_status ip_interaction_values(const double *values, int n, const double *weights, int order, double *out,
                                ip_error *err) {
    if (values == NULL || weights == NULL || out == NULL)
        return ip_fail(err, IP_ERR_NULL, "values", "values, weights or out is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    if (order < 0 || order > n)
        return ip_fail(err, IP_ERR_RANGE, "order", "order = %d is out of range for n = %d players (0..n)", order, n);
    st = ip_check_finite(weights, (int64_t)(n + 1) * (order + 1), "weights", err);
    if (st != IP_OK) return st;
    const int64_t size = (int64_t)1 << n;
    double *dividends = ip_table_alloc(size);
    double *scratch = NULL;
    bool need_scratch = false;
    for (int t = 1; t <= order; ++t) need_scratch = need_scratch || !diagonal_column(weights, n, order, t);
    if (dividends != NULL && need_scratch) scratch = ip_table_alloc(size);
    if (dividends == NULL || (need_scratch && scratch == NULL)) {
        ip_table_free(dividends);
        return ip_fail(err, IP_ERR_NOMEM, "values", "values: no memory for the 2^%d-double tables", n);
    }
    memcpy(dividends, values, sizeof(double) * (size_t)size);
    st = ip_moebius_inplace(dividends, n, err);
    const int columns = order + 1;
    int64_t offset = 0;
    for (int t = 0; t <= order && st == IP_OK; ++t) {
        if (t == 0) {
            out[0] = weighted_total(dividends, size, weights, columns, 0);
        } else if (diagonal_column(weights, n, order, t)) {
            const double w = weights[t * columns + t];
            gather_size(dividends, n, t, out + offset);
            const int64_t count = ip_binomial_exact(n, t);
            if (w != 1.0)
                for (int64_t i = 0; i < count; ++i) out[offset + i] *= w;
        } else {
            double w[IP_MAX_EXACT_PLAYERS + 1];
            for (int s = 0; s <= n; ++s) w[s] = weights[s * columns + t];
            st = ip_moebius_weighted_superset(values, scratch, n, w, err);
            if (st == IP_OK) gather_size(scratch, n, t, out + offset);
        }
        offset += ip_binomial_exact(n, t);
    }
    ip_table_free(scratch);
    ip_table_free(dividends);
    return st;
}

ip_status ip_low_order_values(const double *values, int n, const double *g, int order, double *out, ip_error *err) {
    if (values == NULL || g == NULL || out == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values, g or out is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    if (order < 0 || order > 2 || order > n)
        return ip_fail(err, IP_ERR_RANGE, "order", "order = %d is out of range (0..min(2, n)) for n = %d", order, n);
    st = ip_check_finite(g, (int64_t)(n + 1) * (order + 1), "weights", err);
    if (st != IP_OK) return st;
    const int64_t size = (int64_t)1 << n;
    const int columns = order + 1;
    double w0[IP_MAX_EXACT_PLAYERS + 1];
    for (int s = 0; s <= n; ++s) w0[s] = g[s * columns];
    out[0] = weighted_total(values, size, w0, 1, 0);
    if (order == 0) return IP_OK;
    double *scratch = ip_table_alloc(size);
    double *z = (double *)malloc(sizeof(double) * (size_t)(3 * (1 + n + n * n)));
    if (scratch == NULL || z == NULL) {
        ip_table_free(scratch);
        free(z);
        return ip_fail(err, IP_ERR_NOMEM, "values", "values: no memory for a 2^%d-double table", n);
    }
    int64_t offset = 1;
    for (int t = 1; t <= order && st == IP_OK; ++t) {
        /* z_j at the empty set, the singletons and the pairs, for j = 0..t */
        for (int j = 0; j <= t && st == IP_OK; ++j) {
            double w[IP_MAX_EXACT_PLAYERS + 1];
            for (int s = 0; s <= n; ++s) w[s] = (s >= j && s - j <= n - t) ? g[(s - j) * columns + t] : 0.0;
#pragma omp parallel for if (size > IP_OMP_MIN_ELEMENTS)
            for (int64_t m = 0; m < size; ++m) scratch[m] = w[ip_popcount((uint64_t)m)] * values[m];
            st = ip_superset_sum_inplace(scratch, n, err);
            if (st != IP_OK) break;
            double *zj = z + j * (1 + n + n * n);
            zj[0] = scratch[0];
            for (int a = 0; a < n; ++a) {
                zj[1 + a] = scratch[(int64_t)1 << a];
                for (int b = a + 1; b < n; ++b) zj[1 + n + a * n + b] = scratch[((int64_t)1 << a) | ((int64_t)1 << b)];
            }
        }
        if (st != IP_OK) break;
        const int64_t stride = 1 + n + n * n;
        const double *z0 = z, *z1 = z + stride, *z2 = z + 2 * stride;
        if (t == 1) {
            for (int a = 0; a < n; ++a) out[offset + a] = z1[1 + a] + (z0[1 + a] - z0[0]);
        } else {
            int64_t k = 0;
            for (int a = 0; a < n; ++a)
                for (int b = a + 1; b < n; ++b) {
                    const int64_t ab = 1 + n + a * n + b;
                    out[offset + k++] = (z0[0] - z0[1 + a] - z0[1 + b] + z0[ab]) - (z1[1 + a] + z1[1 + b] - 2.0 * z1[ab]) + z2[ab];
                }
        }
        offset += ip_binomial_exact(n, t);
    }
    free(z);
    ip_table_free(scratch);
    return st;
}
