/* Fast transforms over the table of a game with n players.
 *
 * A table holds 2^n doubles, values[mask], where bit k of mask is player k.
 * All functions are O(n * 2^n) and work in place.
 */
#ifndef INTERPLAY_SUBSET_TRANSFORM_H
#define INTERPLAY_SUBSET_TRANSFORM_H

#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest n the exact path accepts (2^n doubles must also fit in memory). */
#define IP_MAX_EXACT_PLAYERS 30

/* IP_OK when n is in [1, IP_MAX_EXACT_PLAYERS], IP_ERR_TOO_LARGE above, IP_ERR_RANGE below. */
ip_status ip_check_exact_players(int n);

/* IP_OK when every entry of table[0 .. 2^n) is finite. */
ip_status ip_check_finite(const double *table, int n);

/* Moebius transform: table[T] <- sum_{L subset of T} (-1)^{|T|-|L|} table[L].
 * Applied to a game's values it yields the Harsanyi dividends d(T). */
ip_status ip_moebius_inplace(double *table, int n);

/* Superset sums: table[S] <- sum_{T superset of S} table[T]. */
ip_status ip_superset_sum_inplace(double *table, int n);

#ifdef __cplusplus
}
#endif

#endif
