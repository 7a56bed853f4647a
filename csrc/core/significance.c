#include "significance.h"

#include <stdlib.h>

#include "coalition_value.h"
#include "subset_transform.h"

/* The player mask of block b (a mask over positions of players). */
static uint64_t block_to_players(uint64_t block, const int *players, int m) {
    uint64_t mask = 0;
    for (int k = 0; k < m; ++k)
        if (block & ((uint64_t)1 << k)) mask |= (uint64_t)1 << players[k];
    return mask;
}

ip_status ip_block_values(const double *values, int n, const int *players, int m, double *block_values) {
    if (values == NULL || players == NULL || block_values == NULL) return IP_ERR_NULL;
    ip_status st = ip_check_exact_players(n);
    if (st != IP_OK) return st;
    if (m < 1 || m > n || m > IP_MAX_PARTITION_PLAYERS_CONTIGUOUS) return IP_ERR_RANGE;
    uint64_t a = 0;
    for (int k = 0; k < m; ++k) {
        if (players[k] < 0 || players[k] >= n) return IP_ERR_RANGE;
        if (a & ((uint64_t)1 << players[k])) return IP_ERR_ARG; /* repeated player */
        a |= (uint64_t)1 << players[k];
    }
    const int64_t blocks = (int64_t)1 << m;
    block_values[0] = 0.0;
#pragma omp parallel for schedule(dynamic)
    for (int64_t b = 1; b < blocks; ++b) {
        const uint64_t c = block_to_players((uint64_t)b, players, m);
        ip_coalition_shapley(values, n, c, a & ~c, &block_values[b]);
    }
    return IP_OK;
}

ip_status ip_significance_from_blocks(const double *block_values, int m, ip_partition_family family,
                                      ip_significance_result *result, int *max_labels, int *min_labels) {
    if (block_values == NULL || result == NULL || max_labels == NULL || min_labels == NULL) return IP_ERR_NULL;
    int labels[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    uint64_t masks[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    ip_status st = ip_partition_first(m, family, labels);
    if (st != IP_OK) return st;
    double singles = 0.0;
    for (int k = 0; k < m; ++k) singles += block_values[(int64_t)1 << k];
    double best = 0.0, worst = 0.0, count = 0.0;
    do {
        const int blocks = ip_partition_blocks(m, labels, masks);
        double score = 0.0;
        for (int b = 0; b < blocks; ++b) score += block_values[masks[b]];
        if (count == 0.0 || score > best) {
            best = score;
            for (int k = 0; k < m; ++k) max_labels[k] = labels[k];
        }
        if (count == 0.0 || score < worst) {
            worst = score;
            for (int k = 0; k < m; ++k) min_labels[k] = labels[k];
        }
        count += 1.0;
    } while (ip_partition_next(m, family, labels));
    result->b_max = best - singles;
    result->b_min = worst - singles;
    result->significance = best - worst;
    result->singles = singles;
    result->partitions = count;
    return IP_OK;
}
