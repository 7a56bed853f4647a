/* Enumeration of the partitions of m ordered players, as block labels.
 *
 * A partition is written as labels[m]: labels[k] is the block of the k-th player,
 * blocks are numbered 0, 1, 2, ... in order of first appearance (a restricted
 * growth string), so every partition has exactly one label array.
 *   contiguous: the 2^(m-1) partitions of the sequence into runs of neighbours
 *               (multivariate paper: "each coalition consists of sequential words")
 *   all:        the Bell(m) set partitions
 */
#ifndef INTERPLAY_EXACT_PARTITIONS_H
#define INTERPLAY_EXACT_PARTITIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { IP_PARTITIONS_CONTIGUOUS = 0, IP_PARTITIONS_ALL = 1 } ip_partition_family;

#define IP_MAX_PARTITION_PLAYERS_CONTIGUOUS 24
#define IP_MAX_PARTITION_PLAYERS_ALL 13

/* Sets labels to the first partition of the family (all players in one block). */
ip_status ip_partition_first(int m, ip_partition_family family, int *labels, ip_error *err);

/* Advances labels to the next partition; returns false after the last one (labels undefined). */
bool ip_partition_next(int m, ip_partition_family family, int *labels);

/* masks[b] <- bitmask over positions 0..m-1 of block b; returns the number of blocks. */
int ip_partition_blocks(int m, const int *labels, uint64_t *masks);

#ifdef __cplusplus
}
#endif

#endif
