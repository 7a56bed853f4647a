/* Game tables and fast transforms over them.
 *
 * A table holds 2^n doubles, values[mask], where bit k of mask is player k.
 * The transforms are O(n * 2^n) and work in place.
 */
#ifndef INTERPLAY_EXACT_SUBSET_TRANSFORM_H
#define INTERPLAY_EXACT_SUBSET_TRANSFORM_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest n the exact path accepts (2^n doubles must also fit in memory). */
#define IP_MAX_EXACT_PLAYERS 30

/* IP_OK when n is in [1, IP_MAX_EXACT_PLAYERS], IP_ERR_TOO_LARGE above, IP_ERR_RANGE below. */
ip_status ip_check_exact_players(int64_t n, ip_error *err);

/* The one check of a game table: length = 2^n with 1 <= n <= IP_MAX_EXACT_PLAYERS and every value
 * finite. *n (may be NULL) receives n. `argument` names the table in the report. */
ip_status ip_check_table(const double *values, int64_t length, const char *argument, int *n, ip_error *err);

/* Moebius transform: table[T] <- sum_{L subset of T} (-1)^{|T|-|L|} table[L].
 * Applied to a game's values it yields the Harsanyi dividends d(T). */
ip_status ip_moebius_inplace(double *table, int n, ip_error *err);

/* Superset sums: table[S] <- sum_{T superset of S} table[T]. */
ip_status ip_superset_sum_inplace(double *table, int n, ip_error *err);

/* A scratch table of count doubles (huge pages where available; NULL when out of memory), and its free. */
double *ip_table_alloc(int64_t count);
void ip_table_free(double *table);

/* table[T] <- sum_{S ⊇ T} weight[|S|] * Moebius(table)[S] (weight[0 .. n]): the two transforms fused,
 * cache-blocked, in about three read-and-write passes over the table. */
ip_status ip_moebius_weighted_superset_inplace(double *table, int n, const double *weight, ip_error *err);

/* The same from values[2^n] into table[2^n] (the copy fused into the first pass; table may be values). */
ip_status ip_moebius_weighted_superset(const double *values, double *table, int n, const double *weight, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
