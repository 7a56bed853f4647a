#include "exact/subset_transform.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>

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

/* One butterfly pass per player. Downward (signed subset sums): for every mask
 * with bit k set, table[mask] += sign * table[mask without k]. Upward (superset sums):
 * table[mask without k] += table[mask]. The passes over k commute. */
static ip_status butterfly_inplace(double *table, int n, double sign, bool upward, ip_error *err) {
    if (table == NULL) return ip_fail(err, IP_ERR_NULL, "table", "table is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    const int64_t half = (int64_t)1 << (n - 1);
    for (int k = 0; k < n; ++k) {
        const int64_t low = ((int64_t)1 << k) - 1;
#pragma omp parallel for if (half > IP_OMP_MIN_BUTTERFLIES)
        for (int64_t r = 0; r < half; ++r) {
            /* r enumerates masks without bit k: insert a zero at position k. */
            const int64_t without = ((r & ~low) << 1) | (r & low);
            const int64_t with = without | ((int64_t)1 << k);
            if (upward)
                table[without] += table[with];
            else
                table[with] += sign * table[without];
        }
    }
    return IP_OK;
}

ip_status ip_moebius_inplace(double *table, int n, ip_error *err) {
    return butterfly_inplace(table, n, -1.0, false, err);
}

ip_status ip_superset_sum_inplace(double *table, int n, ip_error *err) {
    return butterfly_inplace(table, n, 1.0, true, err);
}
