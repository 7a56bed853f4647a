#include "subset_transform.h"

#include <math.h>
#include <stddef.h>

ip_status ip_check_exact_players(int n) {
    if (n < 1) return IP_ERR_RANGE;
    if (n > IP_MAX_EXACT_PLAYERS) return IP_ERR_TOO_LARGE;
    return IP_OK;
}

ip_status ip_check_finite(const double *table, int n) {
    if (table == NULL) return IP_ERR_NULL;
    ip_status st = ip_check_exact_players(n);
    if (st != IP_OK) return st;
    const int64_t size = (int64_t)1 << n;
    int bad = 0;
#pragma omp parallel for reduction(| : bad) if (size > 65536)
    for (int64_t s = 0; s < size; ++s) bad |= !isfinite(table[s]);
    return bad ? IP_ERR_NONFINITE : IP_OK;
}

/* One butterfly pass per player. Downward (signed subset sums): for every mask
 * with bit k set, table[mask] += sign * table[mask without k]. Upward (superset sums):
 * table[mask without k] += table[mask]. The passes over k commute. */
static ip_status butterfly_inplace(double *table, int n, double sign, int upward) {
    if (table == NULL) return IP_ERR_NULL;
    ip_status st = ip_check_exact_players(n);
    if (st != IP_OK) return st;
    const int64_t half = (int64_t)1 << (n - 1);
    for (int k = 0; k < n; ++k) {
        const int64_t low = ((int64_t)1 << k) - 1;
#pragma omp parallel for if (half > 32768)
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

ip_status ip_moebius_inplace(double *table, int n) { return butterfly_inplace(table, n, -1.0, 0); }

ip_status ip_superset_sum_inplace(double *table, int n) { return butterfly_inplace(table, n, 1.0, 1); }
