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
#ifndef INTERPLAY_GAME_INDICES_H
#define INTERPLAY_GAME_INDICES_H

#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { IP_SHAPLEY = 0, IP_BANZHAF = 1 } ip_index_kind;

/* out[2^n] <- Harsanyi dividends of values (out may alias values). */
ip_status ip_harsanyi_dividends(const double *values, int n, double *out);

/* out[n] <- Shapley or Banzhaf value of every player. */
ip_status ip_player_values(const double *values, int n, ip_index_kind kind, double *out);

/* out[n*n] (row-major, symmetric, zero diagonal) <- pairwise Shapley or Banzhaf interaction. */
ip_status ip_pair_interaction_matrix(const double *values, int n, ip_index_kind kind, double *out);

/* *out <- interaction of one pair i != j by the context sum of Eq. 2:
 * sum_{S ⊆ N\{i,j}} w(S) [v(S+i+j) - v(S+i) - v(S+j) + v(S)], with the Shapley weight
 * P_Shapley(S | N\{i,j}) or the Banzhaf weight 2^{-(n-2)}. O(2^n), no allocation. */
ip_status ip_pair_interaction(const double *values, int n, int i, int j, ip_index_kind kind, double *out);

#ifdef __cplusplus
}
#endif

#endif
