/* exact/: game tables, transforms, player values, pair and multivariate interactions, partitions and
 * the significance search, on hand-computed games:
 *   G2: v(∅) = 0, v({0}) = 1, v({1}) = 2, v({0,1}) = 5 (dividends 1, 2, 2; φ = (2, 3), I(0,1) = 2)
 *   U3: the unanimity game of {0,1,2} (dividend 1 on N; φ_i = 1/3, β_i = 1/4, I(i,j) = 1/2 = IB(i,j)) */
#include <stdlib.h>

#include "check.h"
#include "exact/coalition_value.h"
#include "exact/game_indices.h"
#include "exact/pair_orders.h"
#include "exact/partitions.h"
#include "exact/significance.h"
#include "exact/subset_transform.h"

static const double G2[4] = {0, 1, 2, 5};
static const double U3[8] = {0, 0, 0, 0, 0, 0, 0, 1};

static void tables(void) {
    ip_error err;
    int n = -1;
    OK(ip_check_table(G2, 4, "values", &n, &err));
    CHECK(n == 2);
    OK(ip_check_exact_players(IP_MAX_EXACT_PLAYERS, &err));
    const double nan2[2] = {0, NAN};
    FAILS(IP_ERR_NONFINITE, "values", ip_check_table(nan2, 2, "values", &n, &err));
    FAILS(IP_ERR_ARG, "table", ip_check_table(G2, 3, "table", &n, &err));
    FAILS(IP_ERR_ARG, "values", ip_check_table(G2, 1, "values", &n, &err));
    FAILS(IP_ERR_ARG, "values", ip_check_table(G2, -4, "values", &n, &err));
    FAILS(IP_ERR_ARG, "values", ip_check_table(G2, INT64_MIN, "values", &n, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_check_table(G2, INT64_C(1) << 31, "values", &n, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_check_table(G2, INT64_C(1) << 62, "values", &n, &err));
    FAILS(IP_ERR_RANGE, "n", ip_check_exact_players(0, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_check_exact_players(INT64_MAX, &err));
    CHECK(n == 2);

    double t[4];
    memcpy(t, G2, sizeof t);
    OK(ip_moebius_inplace(t, 2, &err));
    CHECK(t[0] == 0 && t[1] == 1 && t[2] == 2 && t[3] == 2);
    OK(ip_superset_sum_inplace(t, 2, &err)); /* superset sums of the dividends */
    CHECK(t[0] == 5 && t[1] == 3 && t[2] == 4 && t[3] == 2);
    double d[8];
    OK(ip_harsanyi_dividends(U3, 3, d, &err));
    for (int k = 0; k < 8; ++k) CHECK(d[k] == (k == 7 ? 1.0 : 0.0));
    memcpy(d, U3, sizeof d);
    OK(ip_harsanyi_dividends(d, 3, d, &err)); /* in place */
    CHECK(d[7] == 1.0 && d[3] == 0.0);
    FAILS(IP_ERR_NULL, "table", ip_moebius_inplace(NULL, 2, &err));
    FAILS(IP_ERR_RANGE, "n", ip_moebius_inplace(t, 0, &err));
    FAILS(IP_ERR_RANGE, "n", ip_superset_sum_inplace(t, -5, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_superset_sum_inplace(t, 64, &err));
    FAILS(IP_ERR_NULL, "values", ip_harsanyi_dividends(NULL, 2, d, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_harsanyi_dividends(G2, 31, d, &err));
}

static void indices(void) {
    ip_error err;
    double v[3], mat[9], x = -1;
    OK(ip_player_values(G2, 2, IP_SHAPLEY, v, &err));
    CHECK(v[0] == 2.0 && v[1] == 3.0);
    OK(ip_player_values(U3, 3, IP_SHAPLEY, v, &err));
    for (int i = 0; i < 3; ++i) CHECK_NEAR(v[i], 1.0 / 3, 1e-15);
    OK(ip_player_values(U3, 3, IP_BANZHAF, v, &err));
    for (int i = 0; i < 3; ++i) CHECK(v[i] == 0.25);
    OK(ip_pair_interaction_matrix(U3, 3, IP_SHAPLEY, mat, &err));
    for (int k = 0; k < 9; ++k) CHECK(mat[k] == (k % 4 == 0 ? 0.0 : 0.5));
    OK(ip_pair_interaction_matrix(G2, 2, IP_BANZHAF, mat, &err));
    CHECK(mat[0] == 0 && mat[1] == 2 && mat[2] == 2 && mat[3] == 0);
    OK(ip_pair_interaction(U3, 3, 2, 0, IP_SHAPLEY, &x, &err));
    CHECK(x == 0.5);
    OK(ip_pair_interaction(U3, 3, 0, 1, IP_BANZHAF, &x, &err));
    CHECK(x == 0.5);
    OK(ip_pair_interaction(G2, 2, 0, 1, IP_SHAPLEY, &x, &err));
    CHECK(x == 2.0);

    x = -1;
    FAILS(IP_ERR_ARG, "index", ip_player_values(G2, 2, (ip_index_kind)7, v, &err));
    FAILS(IP_ERR_ARG, "index", ip_pair_interaction(G2, 2, 0, 1, (ip_index_kind)-1, &x, &err));
    FAILS(IP_ERR_NULL, "values", ip_player_values(NULL, 2, IP_SHAPLEY, v, &err));
    FAILS(IP_ERR_RANGE, "n", ip_pair_interaction_matrix(G2, 0, IP_SHAPLEY, mat, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_player_values(G2, 31, IP_SHAPLEY, v, &err));
    /* issue #11: 2^32 was narrowed to int 0 and the call returned I(0, 1) */
    FAILS(IP_ERR_RANGE, "i", ip_pair_interaction(U3, 3, INT64_C(1) << 32, 1, IP_SHAPLEY, &x, &err));
    FAILS(IP_ERR_RANGE, "j", ip_pair_interaction(U3, 3, 0, -(INT64_C(1) << 32) + 1, IP_SHAPLEY, &x, &err));
    FAILS(IP_ERR_RANGE, "i", ip_pair_interaction(U3, 3, INT64_MIN, 1, IP_SHAPLEY, &x, &err));
    FAILS(IP_ERR_ARG, "j", ip_pair_interaction(U3, 3, 1, 1, IP_SHAPLEY, &x, &err));
    FAILS(IP_ERR_RANGE, "j", ip_pair_interaction(U3, 1, 0, 1, IP_SHAPLEY, &x, &err)); /* n = 1: no pair */
    FAILS(IP_ERR_RANGE, "j", ip_check_pair(3, 0, 3, &err));
    CHECK(x == -1);

    /* multi-order of U3's pair (0, 1): Δ(∅) = 0, Δ({2}) = 1 */
    double orders[2] = {-1, -1}, marginal[2], rewards[2];
    OK(ip_multi_order_interaction(U3, 3, 0, 1, orders, marginal, rewards, &err));
    CHECK(orders[0] == 0 && orders[1] == 1 && marginal[0] == 0 && marginal[1] == 1 && rewards[0] == 0 && rewards[1] == 1);
    OK(ip_multi_order_interaction(U3, 3, 2, 1, orders, NULL, NULL, &err));
    CHECK(orders[0] == 0 && orders[1] == 1);
    double one[1] = {-1};
    OK(ip_multi_order_interaction(G2, 2, 1, 0, one, one, NULL, &err)); /* m = 0: only the empty context */
    CHECK(one[0] == 2.0);
    FAILS(IP_ERR_NULL, "values", ip_multi_order_interaction(NULL, 3, 0, 1, orders, NULL, NULL, &err));
    FAILS(IP_ERR_RANGE, "j", ip_multi_order_interaction(U3, 3, 0, INT64_MAX, orders, NULL, NULL, &err));
    FAILS(IP_ERR_ARG, "j", ip_multi_order_interaction(U3, 3, 2, 2, orders, NULL, NULL, &err));
}

static void coalitions(void) {
    ip_error err;
    /* U3: φ({0,1} | N) = 1/2; with player 2 absent it is 0; B([{0,1}]) = 1/2 = I({0,1} | {0,1}) */
    const uint64_t coal[2] = {3, 3}, absent[2] = {0, 4};
    double out[2] = {-1, -1};
    OK(ip_coalition_shapley(U3, 3, coal, absent, 2, out, &err));
    CHECK(out[0] == 0.5 && out[1] == 0.0);
    const uint64_t players[2] = {3, 7};
    OK(ip_multivariate_interaction(U3, 3, players, 2, out, &err));
    CHECK_NEAR(out[0], 0.5, 1e-15);
    const uint64_t subsets[2] = {3, 1};
    OK(ip_elementary_interaction(U3, 3, players, subsets, 2, out, &err));
    CHECK_NEAR(out[0], 0.5, 1e-15);
    OK(ip_coalition_shapley(U3, 3, NULL, NULL, 0, NULL, &err));

    out[0] = out[1] = -1;
    const uint64_t empty[1] = {0}, overlap[1] = {1}, beyond[1] = {8}, high[1] = {UINT64_C(1) << 63}, single[1] = {4};
    FAILS(IP_ERR_RANGE, "count", ip_coalition_shapley(U3, 3, coal, absent, -1, out, &err));
    FAILS(IP_ERR_RANGE, "count", ip_multivariate_interaction(U3, 3, players, INT64_MIN, out, &err));
    FAILS(IP_ERR_NULL, "values", ip_coalition_shapley(NULL, 3, coal, absent, 1, out, &err));
    FAILS(IP_ERR_NULL, "absent", ip_coalition_shapley(U3, 3, coal, NULL, 1, out, &err));
    FAILS(IP_ERR_NULL, "subsets", ip_elementary_interaction(U3, 3, players, NULL, 1, out, &err));
    FAILS(IP_ERR_RANGE, "n", ip_coalition_shapley(U3, 0, coal, absent, 1, out, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_coalition_shapley(U3, 31, coal, absent, 1, out, &err));
    FAILS(IP_ERR_ARG, "coalitions", ip_coalition_shapley(U3, 3, empty, absent, 1, out, &err));
    FAILS(IP_ERR_ARG, "absent", ip_coalition_shapley(U3, 3, coal, overlap, 1, out, &err));
    FAILS(IP_ERR_RANGE, "coalitions", ip_coalition_shapley(U3, 3, beyond, absent, 1, out, &err));
    FAILS(IP_ERR_RANGE, "absent", ip_coalition_shapley(U3, 3, coal, high, 1, out, &err));
    FAILS(IP_ERR_ARG, "players", ip_multivariate_interaction(U3, 3, single, 1, out, &err));
    FAILS(IP_ERR_RANGE, "players", ip_multivariate_interaction(U3, 3, high, 1, out, &err));
    FAILS(IP_ERR_ARG, "subsets", ip_elementary_interaction(U3, 3, players, empty, 1, out, &err));
    FAILS(IP_ERR_ARG, "subsets", ip_elementary_interaction(U3, 3, players, single, 1, out, &err));
    CHECK(out[0] == -1 && out[1] == -1);
}

static void partitions_and_significance(void) {
    ip_error err;
    int labels[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    uint64_t masks[IP_MAX_PARTITION_PLAYERS_CONTIGUOUS];
    int count = 0;
    OK(ip_partition_first(3, IP_PARTITIONS_ALL, labels, &err));
    do ++count; while (ip_partition_next(3, IP_PARTITIONS_ALL, labels));
    CHECK(count == 5); /* Bell(3) */
    count = 0;
    OK(ip_partition_first(4, IP_PARTITIONS_CONTIGUOUS, labels, &err));
    do {
        ++count;
        CHECK(ip_partition_blocks(4, labels, masks) >= 1);
    } while (ip_partition_next(4, IP_PARTITIONS_CONTIGUOUS, labels));
    CHECK(count == 8); /* 2^(m-1) */
    const int split[3] = {0, 1, 0};
    CHECK(ip_partition_blocks(3, split, masks) == 2 && masks[0] == 5 && masks[1] == 2);
    CHECK(!ip_partition_next(0, IP_PARTITIONS_ALL, labels) && !ip_partition_next(3, IP_PARTITIONS_ALL, NULL));
    FAILS(IP_ERR_NULL, "labels", ip_partition_first(3, IP_PARTITIONS_ALL, NULL, &err));
    FAILS(IP_ERR_ARG, "family", ip_partition_first(3, (ip_partition_family)2, labels, &err));
    FAILS(IP_ERR_RANGE, "players", ip_partition_first(0, IP_PARTITIONS_ALL, labels, &err));
    FAILS(IP_ERR_TOO_LARGE, "players", ip_partition_first(14, IP_PARTITIONS_ALL, labels, &err));
    FAILS(IP_ERR_TOO_LARGE, "players", ip_partition_first(25, IP_PARTITIONS_CONTIGUOUS, labels, &err));

    /* block values of U3's players (0, 1): only the whole block {0, 1} has a value, 1/2 */
    const int64_t players[2] = {0, 1};
    double blocks[4] = {-1, -1, -1, -1};
    OK(ip_block_values(U3, 3, players, 2, blocks, &err));
    CHECK(blocks[0] == 0 && blocks[1] == 0 && blocks[2] == 0 && blocks[3] == 0.5);
    /* blocks (0, 1, 2, 5): partitions {01} = 5 and {0}{1} = 3; B_max = 2, B_min = 0, T = 2 */
    const double b[4] = {0, 1, 2, 5};
    ip_significance_result r;
    int64_t max_labels[2] = {-1, -1}, min_labels[2] = {-1, -1};
    OK(ip_significance_from_blocks(b, 4, IP_PARTITIONS_CONTIGUOUS, &r, max_labels, min_labels, &err));
    CHECK(r.b_max == 2 && r.b_min == 0 && r.significance == 2 && r.singles == 3 && r.partitions == 2);
    CHECK(max_labels[0] == 0 && max_labels[1] == 0 && min_labels[0] == 0 && min_labels[1] == 1);
    int m = -1;
    OK(ip_block_players(8, IP_PARTITIONS_ALL, &m, &err));
    CHECK(m == 3);

    const int64_t repeated[2] = {1, 1}, outside[2] = {0, 3}, negative[2] = {-1, 0};
    const double nan_b[4] = {0, 1, NAN, 5};
    FAILS(IP_ERR_NULL, "players", ip_block_values(U3, 3, NULL, 2, blocks, &err));
    FAILS(IP_ERR_NULL, "values", ip_block_values(NULL, 3, players, 2, blocks, &err));
    FAILS(IP_ERR_NULL, "block_values", ip_block_values(U3, 3, players, 2, NULL, &err));
    FAILS(IP_ERR_RANGE, "players", ip_block_values(U3, 3, players, 0, blocks, &err));
    FAILS(IP_ERR_RANGE, "players", ip_block_values(U3, 3, players, 4, blocks, &err));
    FAILS(IP_ERR_RANGE, "players", ip_block_values(U3, 3, players, INT64_MIN, blocks, &err));
    FAILS(IP_ERR_ARG, "players", ip_block_values(U3, 3, repeated, 2, blocks, &err));
    FAILS(IP_ERR_RANGE, "players", ip_block_values(U3, 3, outside, 2, blocks, &err));
    FAILS(IP_ERR_RANGE, "players", ip_block_values(U3, 3, negative, 2, blocks, &err));
    /* issue #11: a NaN block was skipped by the comparisons */
    FAILS(IP_ERR_NONFINITE, "block_values",
          ip_significance_from_blocks(nan_b, 4, IP_PARTITIONS_ALL, &r, max_labels, min_labels, &err));
    FAILS(IP_ERR_ARG, "block_values", ip_significance_from_blocks(b, 3, IP_PARTITIONS_ALL, &r, max_labels, min_labels, &err));
    FAILS(IP_ERR_ARG, "block_values", ip_significance_from_blocks(b, 1, IP_PARTITIONS_ALL, &r, max_labels, min_labels, &err));
    FAILS(IP_ERR_ARG, "block_values", ip_significance_from_blocks(b, -4, IP_PARTITIONS_ALL, &r, max_labels, min_labels, &err));
    FAILS(IP_ERR_NULL, "block_values", ip_significance_from_blocks(b, 4, IP_PARTITIONS_ALL, &r, NULL, min_labels, &err));
    FAILS(IP_ERR_ARG, "family", ip_significance_from_blocks(b, 4, (ip_partition_family)3, &r, max_labels, min_labels, &err));
    FAILS(IP_ERR_TOO_LARGE, "block_values", ip_block_players(INT64_C(1) << 30, IP_PARTITIONS_CONTIGUOUS, &m, &err));
    FAILS(IP_ERR_TOO_LARGE, "players", ip_block_players(INT64_C(1) << 14, IP_PARTITIONS_ALL, &m, &err));
    FAILS(IP_ERR_TOO_LARGE, "block_values", ip_block_players(INT64_C(1) << 62, IP_PARTITIONS_ALL, &m, &err));
    CHECK(max_labels[0] == 0 && m == 3);
}

void test_exact(void) {
    tables();
    indices();
    coalitions();
    partitions_and_significance();
}
