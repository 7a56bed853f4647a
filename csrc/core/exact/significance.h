/* The significance of the interactions inside a set A (multivariate paper Eq. 4-5).
 *
 * For the m players of A (in the given order) and every partition Omega of A in the
 * chosen family, sum_{C in Omega} phi(C | N_C) with N_C = N \ A + {[C]} (the players of
 * A outside C are absent). Then
 *   B_max = max_Omega sum phi(C | N_C) - sum_{i in A} phi(i | N_i),   B_min likewise,
 *   T([A]) = B_max - B_min.
 * The phi of every non-empty block (2^m - 1 of them) is computed once, O(2^n) in all;
 * partitions are then scored from that table. Ties keep the first partition in
 * enumeration order (ip_partition_next), so results are deterministic.
 */
#ifndef INTERPLAY_EXACT_SIGNIFICANCE_H
#define INTERPLAY_EXACT_SIGNIFICANCE_H

#include <stdint.h>

#include "common/status.h"
#include "exact/partitions.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double b_max, b_min, significance; /* B_max, B_min, T = B_max - B_min */
    double singles;                    /* sum_{i in A} phi(i | N_i) */
    double partitions;                 /* how many partitions were scored */
} ip_significance_result;

/* block_values[2^m] <- phi(C | N_C) for every block C given as a bitmask over positions of
 * `players` (entry 0 is 0). players: an ordered sequence of m distinct indices in [0, n),
 * 1 <= m <= IP_MAX_PARTITION_PLAYERS_CONTIGUOUS. */
ip_status ip_block_values(const double *values, int n, const int64_t *players, int64_t m, double *block_values,
                          ip_error *err);

/* Scores every partition of the family from block_values[block_count] (block_count = 2^m, every
 * value finite, as made above). max_labels[m], min_labels[m] <- the partitions reaching the max and
 * the min; *m_out (may be NULL) <- m. */
ip_status ip_significance_from_blocks(const double *block_values, int64_t block_count, ip_partition_family family,
                                      ip_significance_result *result, int64_t *max_labels, int64_t *min_labels,
                                      ip_error *err);

/* m of block_values of length block_count (a power of two >= 2), checked for the family. */
ip_status ip_block_players(int64_t block_count, ip_partition_family family, int *m, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
