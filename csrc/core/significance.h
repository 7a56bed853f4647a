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
#ifndef INTERPLAY_SIGNIFICANCE_H
#define INTERPLAY_SIGNIFICANCE_H

#include <stdint.h>
#include "partitions.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double b_max, b_min, significance; /* B_max, B_min, T = B_max - B_min */
    double singles;                    /* sum_{i in A} phi(i | N_i) */
    double partitions;                 /* how many partitions were scored */
} ip_significance_result;

/* block_values[2^m] <- phi(C | N_C) for every block C given as a bitmask over positions of
 * `players` (entry 0 is 0). players: m distinct indices in [0, n), 1 <= m <= 24. */
ip_status ip_block_values(const double *values, int n, const int *players, int m, double *block_values);

/* Scores every partition of the family from block_values[2^m] (as made above).
 * max_labels[m], min_labels[m] <- the partitions reaching the max and the min. */
ip_status ip_significance_from_blocks(const double *block_values, int m, ip_partition_family family,
                                      ip_significance_result *result, int *max_labels, int *min_labels);

#ifdef __cplusplus
}
#endif

#endif
