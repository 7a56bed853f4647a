/* multivariate/: the samplers of the learned partition search (Eq. 7-8). */
#include "check.h"
#include "common/combinatorics.h"
#include "common/player_set.h"
#include "multivariate/partition_sampling.h"

static void partitions(void) {
    ip_error err;
    const double p[3] = {0.0, 1.0, 0.5};
    uint8_t g[3 * 200];
    OK(ip_mv_sample_partitions(p, 3, 200, 9, 0, g, &err));
    int ones = 0;
    for (int s = 0; s < 200; ++s) {
        CHECK(g[3 * s] == 0 && g[3 * s + 1] == 1 && g[3 * s + 2] <= 1);
        ones += g[3 * s + 2];
    }
    CHECK(ones > 70 && ones < 130);
    uint8_t shifted[3 * 100]; /* stream0 + s: a block of samples 100.. equals the tail of the whole */
    OK(ip_mv_sample_partitions(p, 3, 100, 9, 100, shifted, &err));
    CHECK(memcmp(shifted, g + 300, 300) == 0);
    OK(ip_mv_sample_partitions(p, 3, 0, 9, UINT64_MAX, NULL, &err));

    memset(g, 7, sizeof g);
    const double nan_p[2] = {0.5, NAN}, big_p[2] = {0.5, 1.5}, neg_p[1] = {-0.0 - 1e-300};
    FAILS(IP_ERR_RANGE, "p", ip_mv_sample_partitions(p, 0, 1, 0, 0, g, &err));
    FAILS(IP_ERR_RANGE, "p", ip_mv_sample_partitions(p, -3, 1, 0, 0, g, &err));
    FAILS(IP_ERR_RANGE, "count", ip_mv_sample_partitions(p, 3, -1, 0, 0, g, &err));
    FAILS(IP_ERR_TOO_LARGE, "count", ip_mv_sample_partitions(p, 3, INT64_MAX / 2, 0, 0, g, &err));
    FAILS(IP_ERR_NULL, "p", ip_mv_sample_partitions(NULL, 3, 1, 0, 0, g, &err));
    FAILS(IP_ERR_NULL, "g", ip_mv_sample_partitions(p, 3, 1, 0, 0, NULL, &err));
    FAILS(IP_ERR_NONFINITE, "p", ip_mv_sample_partitions(nan_p, 2, 1, 0, 0, g, &err));
    FAILS(IP_ERR_RANGE, "p", ip_mv_sample_partitions(big_p, 2, 1, 0, 0, g, &err));
    FAILS(IP_ERR_RANGE, "p", ip_mv_sample_partitions(neg_p, 1, 1, 0, 0, g, &err));
    for (size_t k = 0; k < sizeof g; ++k) CHECK(g[k] == 7);
}

static void contexts(void) {
    ip_error err;
    /* 70 players, rest = {1, 3, 64, 66, 69} (R = 5): contexts avoid N ∖ rest, sizes uniform on 0..5 */
    const int64_t n = 70, count = 600;
    uint64_t rest[2] = {0xA, 0x25};
    uint64_t masks[600 * 2];
    int hist[6] = {0};
    OK(ip_mv_sample_contexts(n, rest, count, false, 5, 0, masks, &err));
    for (int64_t t = 0; t < count; ++t) {
        const uint64_t *m = masks + 2 * t;
        CHECK((m[0] & ~rest[0]) == 0 && (m[1] & ~rest[1]) == 0);
        const int64_t size = ip_row_count(m, 2);
        CHECK(size >= 0 && size <= 5);
        if (size >= 0 && size <= 5) ++hist[size];
    }
    for (int s = 0; s <= 5; ++s) CHECK(hist[s] > 60 && hist[s] < 140);
    /* stratified: the sizes sweep the strata, each exactly count / 6 times */
    OK(ip_mv_sample_contexts(n, rest, count, true, 5, 0, masks, &err));
    int strat[6] = {0};
    for (int64_t t = 0; t < count; ++t) ++strat[ip_row_count(masks + 2 * t, 2)];
    for (int s = 0; s <= 5; ++s) CHECK(strat[s] == 100);
    /* an empty rest: every context is empty; n = 64 (no padding bits) and n = 1 work */
    const uint64_t empty[2] = {0, 0};
    OK(ip_mv_sample_contexts(n, empty, 3, false, 5, 0, masks, &err));
    CHECK(masks[0] == 0 && masks[1] == 0 && masks[5] == 0);
    const uint64_t full[1] = {UINT64_MAX};
    OK(ip_mv_sample_contexts(64, full, 4, true, 1, 0, masks, &err));
    const uint64_t one[1] = {1};
    OK(ip_mv_sample_contexts(1, one, 4, true, 1, 0, masks, &err));
    CHECK(masks[0] <= 1 && masks[1] <= 1);
    OK(ip_mv_sample_contexts(n, rest, 0, false, 5, 0, NULL, &err));

    masks[0] = masks[1] = 99;
    const uint64_t beyond[2] = {0, UINT64_C(1) << 6}; /* player 70 of a 70-player game */
    FAILS(IP_ERR_RANGE, "n", ip_mv_sample_contexts(0, rest, 1, false, 0, 0, masks, &err));
    FAILS(IP_ERR_RANGE, "n", ip_mv_sample_contexts(INT64_MIN, rest, 1, false, 0, 0, masks, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_mv_sample_contexts(INT64_MAX, rest, 1, false, 0, 0, masks, &err));
    FAILS(IP_ERR_RANGE, "count", ip_mv_sample_contexts(n, rest, -1, false, 0, 0, masks, &err));
    FAILS(IP_ERR_TOO_LARGE, "count", ip_mv_sample_contexts(n, rest, INT64_MAX, false, 0, 0, masks, &err));
    FAILS(IP_ERR_NULL, "rest", ip_mv_sample_contexts(n, NULL, 1, false, 0, 0, masks, &err));
    FAILS(IP_ERR_NULL, "masks", ip_mv_sample_contexts(n, rest, 1, false, 0, 0, NULL, &err));
    FAILS(IP_ERR_RANGE, "rest", ip_mv_sample_contexts(n, beyond, 1, false, 0, 0, masks, &err));
    CHECK(masks[0] == 99 && masks[1] == 99);
}

void test_multivariate(void) {
    partitions();
    contexts();
}
