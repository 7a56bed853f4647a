#include "exact/coalition_value.h"

#include <inttypes.h>

#include "common/combinatorics.h"
#include "common/parallel.h"
#include "exact/subset_transform.h"

/* A set of players of an n-player game: no bit at or above n. */
static ip_status check_set(int n, uint64_t set, const char *argument, int64_t k, ip_error *err) {
    if ((set >> n) != 0)
        return ip_fail(err, IP_ERR_RANGE, argument, "%s[%" PRId64 "] = %#" PRIx64 " holds players out of range for n = %d",
                       argument, k, set, n);
    return IP_OK;
}

static double coalition_shapley_one(const double *values, int n, uint64_t coalition, uint64_t absent) {
    const uint64_t all = ((uint64_t)1 << n) - 1;
    const uint64_t rest = all & ~coalition & ~absent;
    const int m = ip_popcount(rest);
    double weight[IP_MAX_EXACT_PLAYERS + 1];
    for (int s = 0; s <= m; ++s) weight[s] = ip_shapley_weight(s, m);
    double total = 0.0;
    uint64_t s = rest;
    for (;;) {
        total += weight[ip_popcount(s)] * (values[s | coalition] - values[s]);
        if (s == 0) break;
        s = (s - 1) & rest;
    }
    return total;
}

static ip_status check_common(const double *values, int n, const void *a, int64_t count, const double *out,
                              ip_error *err) {
    if (count < 0) return ip_fail(err, IP_ERR_RANGE, "count", "count = %" PRId64 " must be >= 0", count);
    if (values == NULL || (count > 0 && (a == NULL || out == NULL)))
        return ip_fail(err, IP_ERR_NULL, "values", "values, sets or out is NULL");
    return ip_check_exact_players(n, err);
}

ip_status ip_coalition_shapley(const double *values, int n, const uint64_t *coalitions, const uint64_t *absent,
                               int64_t count, double *out, ip_error *err) {
    ip_status st = check_common(values, n, coalitions, count, out, err);
    if (st != IP_OK) return st;
    if (count > 0 && absent == NULL) return ip_fail(err, IP_ERR_NULL, "absent", "absent is NULL");
    for (int64_t k = 0; k < count; ++k) { /* validate everything before computing anything */
        if ((st = check_set(n, coalitions[k], "coalitions", k, err)) != IP_OK) return st;
        if ((st = check_set(n, absent[k], "absent", k, err)) != IP_OK) return st;
        if (coalitions[k] == 0)
            return ip_fail(err, IP_ERR_ARG, "coalitions", "coalitions[%" PRId64 "] is empty", k);
        if (coalitions[k] & absent[k])
            return ip_fail(err, IP_ERR_ARG, "absent", "absent[%" PRId64 "] overlaps coalitions[%" PRId64 "]", k, k);
    }
#pragma omp parallel for schedule(dynamic) if (count >= IP_OMP_MIN_EXACT_ITEMS)
    for (int64_t k = 0; k < count; ++k) out[k] = coalition_shapley_one(values, n, coalitions[k], absent[k]);
    return IP_OK;
}

static double multivariate_one(const double *values, int n, uint64_t players) {
    double joint = coalition_shapley_one(values, n, players, 0);
    for (int i = 0; i < n; ++i) {
        const uint64_t bit = (uint64_t)1 << i;
        if (players & bit) joint -= coalition_shapley_one(values, n, bit, players & ~bit);
    }
    return joint;
}

ip_status ip_multivariate_interaction(const double *values, int n, const uint64_t *players, int64_t count,
                                      double *out, ip_error *err) {
    ip_status st = check_common(values, n, players, count, out, err);
    if (st != IP_OK) return st;
    for (int64_t k = 0; k < count; ++k) {
        if ((st = check_set(n, players[k], "players", k, err)) != IP_OK) return st;
        if (ip_popcount(players[k]) < 2)
            return ip_fail(err, IP_ERR_ARG, "players", "players[%" PRId64 "] has %d players; an interaction needs >= 2", k,
                           ip_popcount(players[k]));
    }
#pragma omp parallel for schedule(dynamic) if (count >= IP_OMP_MIN_EXACT_ITEMS)
    for (int64_t k = 0; k < count; ++k) out[k] = multivariate_one(values, n, players[k]);
    return IP_OK;
}

static double elementary_one(const double *values, int n, uint64_t players, uint64_t subset) {
    const uint64_t all = ((uint64_t)1 << n) - 1;
    const uint64_t rest = all & ~players; /* N \ A: the players that always attend */
    const int k = ip_popcount(subset);
    const int m = ip_popcount(rest); /* n' - k */
    const int parity = k & 1;
    double total = 0.0;
    uint64_t s = rest;
    for (;;) {
        double delta = 0.0; /* sum_{L ⊆ K} (-1)^{|K|-|L|} v(S + L) */
        uint64_t l = subset;
        for (;;) {
            const double sign = ((ip_popcount(l) & 1) == parity) ? 1.0 : -1.0;
            delta += sign * values[s | l];
            if (l == 0) break;
            l = (l - 1) & subset;
        }
        total += ip_shapley_weight(ip_popcount(s), m) * delta;
        if (s == 0) break;
        s = (s - 1) & rest;
    }
    return total;
}

ip_status ip_elementary_interaction(const double *values, int n, const uint64_t *players, const uint64_t *subsets,
                                    int64_t count, double *out, ip_error *err) {
    ip_status st = check_common(values, n, players, count, out, err);
    if (st != IP_OK) return st;
    if (count > 0 && subsets == NULL) return ip_fail(err, IP_ERR_NULL, "subsets", "subsets is NULL");
    for (int64_t k = 0; k < count; ++k) {
        if ((st = check_set(n, players[k], "players", k, err)) != IP_OK) return st;
        if (subsets[k] == 0 || (subsets[k] & ~players[k]))
            return ip_fail(err, IP_ERR_ARG, "subsets", "subsets[%" PRId64 "] must be a non-empty subset of players[%" PRId64 "]",
                           k, k);
    }
#pragma omp parallel for schedule(dynamic) if (count >= IP_OMP_MIN_EXACT_ITEMS)
    for (int64_t k = 0; k < count; ++k) out[k] = elementary_one(values, n, players[k], subsets[k]);
    return IP_OK;
}
