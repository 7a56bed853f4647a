/* Exact player values and all-pairs interaction matrices from a game's table.
 *
 * All inputs: values[2^n], values[mask] = v(mask), bit k of mask = player k,
 * 1 <= n <= IP_MAX_EXACT_PLAYERS. Everything goes through the Harsanyi dividends
 * d = Moebius(v) and one superset-sum pass, so each function is O(n * 2^n):
 *   Shapley value        phi(i)   = sum_{T ∋ i}     d(T) / |T|
 *   Banzhaf value        beta(i)  = sum_{T ∋ i}     d(T) / 2^{|T|-1}
 *   Shapley interaction  I(i,j)   = sum_{T ⊇ {i,j}} d(T) / (|T| - 1)      (dropout paper Eq. 2)
 *   Banzhaf interaction  IB(i,j)  = sum_{T ⊇ {i,j}} d(T) / 2^{|T|-2}
 */
#ifndef INTERPLAY_EXACT_GAME_INDICES_H
#define INTERPLAY_EXACT_GAME_INDICES_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { IP_SHAPLEY = 0, IP_BANZHAF = 1 } ip_index_kind;

/* out[2^n] <- Harsanyi dividends of values (out may alias values). */
ip_status ip_harsanyi_dividends(const double *values, int n, double *out, ip_error *err);

/* out[n] <- Shapley or Banzhaf value of every player. */
ip_status ip_player_values(const double *values, int n, ip_index_kind kind, double *out, ip_error *err);

/* out[n*n] (row-major, symmetric, zero diagonal) <- pairwise Shapley or Banzhaf interaction. */
ip_status ip_pair_interaction_matrix(const double *values, int n, ip_index_kind kind, double *out, ip_error *err);

/* *out <- interaction of one pair i != j (both in [0, n), checked without narrowing) by the context
 * sum of Eq. 2: sum_{S ⊆ N\{i,j}} w(S) [v(S+i+j) - v(S+i) - v(S+j) + v(S)], with the Shapley weight
 * P_Shapley(S | N\{i,j}) or the Banzhaf weight 2^{-(n-2)}. O(2^n), no allocation. */
ip_status ip_pair_interaction(const double *values, int n, int64_t i, int64_t j, ip_index_kind kind, double *out,
                              ip_error *err);

/* IP_OK when 0 <= i, j < n and i != j; names "i" / "j" in the report. */
ip_status ip_check_pair(int n, int64_t i, int64_t j, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
