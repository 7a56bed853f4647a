#include "exact/significance.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include "exact/coalition_value.h"
#include "exact/subset_transform.h"

/* The player mask of block b (a mask over positions of players). */
static uint64_t block_to_players(uint64_t block, const int64_t *players, int64_t m) {
    uint64_t mask = 0;
    for (int64_t k = 0; k < m; ++k)
        if (block & ((uint64_t)1 << k)) mask |= (uint64_t)1 << players[k];
    return mask;
}

ip_status ip_block_values(const double *values, int n, const int64_t *players, int64_t m, double *block_values,
                          ip_error *err) {
    if (values == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values is NULL");
    if (players == NULL) return ip_fail(err, IP_ERR_NULL, "players", "players is NULL");
    if (block_values == NULL) return ip_fail(err, IP_ERR_NULL, "block_values", "block_values is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    if (m < 1 || m > n || m > IP_MAX_PARTITION_PLAYERS_CONTIGUOUS)
        return ip_fail(err, IP_ERR_RANGE, "players", "players has %" PRId64 " entries; out of range 1..%d (n = %d)", m,
                       n < IP_MAX_PARTITION_PLAYERS_CONTIGUOUS ? n : IP_MAX_PARTITION_PLAYERS_CONTIGUOUS, n);
    uint64_t a = 0;
    for (int64_t k = 0; k < m; ++k) {
        if (players[k] < 0 || players[k] >= n)
            return ip_fail(err, IP_ERR_RANGE, "players", "players[%" PRId64 "] = %" PRId64 " is out of range for n = %d", k,
                           players[k], n);
        if (a & ((uint64_t)1 << players[k]))
            return ip_fail(err, IP_ERR_ARG, "players", "players[%" PRId64 "] = %" PRId64 " is repeated", k, players[k]);
        a |= (uint64_t)1 << players[k];
    }
    const int64_t blocks = (int64_t)1 << m;
    uint64_t *coalitions = (uint64_t *)malloc(2 * (size_t)blocks * sizeof(uint64_t));
    if (coalitions == NULL) return ip_fail(err, IP_ERR_NOMEM, "players", "players: no memory for 2^%" PRId64 " blocks", m);
    uint64_t *absent = coalitions + blocks;
    for (int64_t b = 1; b < blocks; ++b) {
        coalitions[b] = block_to_players((uint64_t)b, players, m);
        absent[b] = a & ~coalitions[b];
    }
    block_values[0] = 0.0;
    st = ip_coalition_shapley(values, n, coalitions + 1, absent + 1, blocks - 1, block_values + 1, err);
    free(coalitions);
    return st;
}

ip_status ip_block_players(int64_t block_count, ip_partition_family family, int *m, ip_error *err) {
    if (block_count < 2 || (block_count & (block_count - 1)) != 0)
        return ip_fail(err, IP_ERR_ARG, "block_values", "block_values has length %" PRId64 "; the length must be 2^m, m >= 1",
                       block_count);
    int players = 0;
    while (((int64_t)1 << players) < block_count) ++players;
    int labels[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    ip_status st = players > IP_MAX_PARTITION_PLAYERS_CONTIGUOUS
                       ? ip_fail(err, IP_ERR_TOO_LARGE, "block_values", "block_values has m = %d players; too large (at most %d)",
                                 players, IP_MAX_PARTITION_PLAYERS_CONTIGUOUS)
                       : ip_partition_first(players, family, labels, err);
    if (st == IP_OK && m != NULL) *m = players;
    return st;
}

ip_status ip_significance_from_blocks(const double *block_values, int64_t block_count, ip_partition_family family,
                                      ip_significance_result *result, int64_t *max_labels, int64_t *min_labels,
                                      ip_error *err) {
    if (block_values == NULL || result == NULL || max_labels == NULL || min_labels == NULL)
        return ip_fail(err, IP_ERR_NULL, "block_values", "block_values, result or labels is NULL");
    int m = 0;
    ip_status st = ip_block_players(block_count, family, &m, err);
    if (st == IP_OK) st = ip_check_finite(block_values, block_count, "block_values", err);
    if (st != IP_OK) return st;
    int labels[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    uint64_t masks[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    ip_partition_first(m, family, labels, err);
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
