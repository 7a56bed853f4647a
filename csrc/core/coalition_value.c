#include "coalition_value.h"

#include "combinatorics.h"
#include "subset_transform.h"

static ip_status check_mask(int n, uint64_t mask) {
    ip_status st = ip_check_exact_players(n);
    if (st != IP_OK) return st;
    return (mask >> n) ? IP_ERR_RANGE : IP_OK;
}

ip_status ip_coalition_shapley(const double *values, int n, uint64_t coalition, uint64_t absent, double *out) {
    if (values == NULL || out == NULL) return IP_ERR_NULL;
    ip_status st = check_mask(n, coalition | absent);
    if (st != IP_OK) return st;
    if (coalition == 0 || (coalition & absent)) return IP_ERR_ARG;
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
    *out = total;
    return IP_OK;
}

ip_status ip_coalition_shapley_many(const double *values, int n, const uint64_t *coalitions,
                                    const uint64_t *absent, int64_t count, double *out) {
    if (values == NULL || coalitions == NULL || absent == NULL || out == NULL) return IP_ERR_NULL;
    if (count < 0) return IP_ERR_ARG;
    for (int64_t k = 0; k < count; ++k) { /* validate everything before computing anything */
        ip_status st = check_mask(n, coalitions[k] | absent[k]);
        if (st != IP_OK) return st;
        if (coalitions[k] == 0 || (coalitions[k] & absent[k])) return IP_ERR_ARG;
    }
#pragma omp parallel for schedule(dynamic) if (count > 1)
    for (int64_t k = 0; k < count; ++k) ip_coalition_shapley(values, n, coalitions[k], absent[k], &out[k]);
    return IP_OK;
}

ip_status ip_multivariate_interaction(const double *values, int n, uint64_t players, double *out) {
    if (values == NULL || out == NULL) return IP_ERR_NULL;
    ip_status st = check_mask(n, players);
    if (st != IP_OK) return st;
    if (ip_popcount(players) < 2) return IP_ERR_ARG;
    double joint = 0.0;
    st = ip_coalition_shapley(values, n, players, 0, &joint);
    for (int i = 0; i < n && st == IP_OK; ++i) {
        const uint64_t bit = (uint64_t)1 << i;
        if (!(players & bit)) continue;
        double single = 0.0;
        st = ip_coalition_shapley(values, n, bit, players & ~bit, &single);
        joint -= single;
    }
    if (st == IP_OK) *out = joint;
    return st;
}

ip_status ip_elementary_interaction(const double *values, int n, uint64_t players, uint64_t subset, double *out) {
    if (values == NULL || out == NULL) return IP_ERR_NULL;
    ip_status st = check_mask(n, players);
    if (st != IP_OK) return st;
    if (subset == 0 || (subset & ~players)) return IP_ERR_ARG;
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
    *out = total;
    return IP_OK;
}
