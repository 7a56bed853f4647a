#include "multivariate/partition_sampling.h"

#include <inttypes.h>
#include <stdlib.h>

#include "common/counter_rng.h"
#include "common/parallel.h"
#include "common/player_set.h"
#include "common/subset_sampling.h"

ip_status ip_mv_sample_partitions(const double *p, int64_t gaps, int64_t count, uint64_t seed, uint64_t stream0,
                                  uint8_t *g, ip_error *err) {
    if (gaps < 1) return ip_fail(err, IP_ERR_RANGE, "p", "p has %" PRId64 " entries; needs >= 1 gap probability", gaps);
    if (count < 0) return ip_fail(err, IP_ERR_RANGE, "count", "count = %" PRId64 " must be >= 0", count);
    int64_t total;
    if (!ip_mul_fits(count, gaps, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "count", "count = %" PRId64 " makes count * %" PRId64 " gaps overflow int64",
                       count, gaps);
    if (p == NULL) return ip_fail(err, IP_ERR_NULL, "p", "p is NULL");
    if (g == NULL && total > 0) return ip_fail(err, IP_ERR_NULL, "g", "g is NULL");
    ip_status st = ip_check_finite(p, gaps, "p", err);
    if (st != IP_OK) return st;
    for (int64_t k = 0; k < gaps; ++k)
        if (p[k] < 0.0 || p[k] > 1.0)
            return ip_fail(err, IP_ERR_RANGE, "p", "p[%" PRId64 "] = %g is out of range [0, 1]", k, p[k]);
#pragma omp parallel for schedule(static) if (total > IP_OMP_MIN_ELEMENTS)
    for (int64_t s = 0; s < count; ++s)
        for (int64_t k = 0; k < gaps; ++k)
            g[s * gaps + k] = (uint8_t)(ip_random_uniform(seed, stream0 + (uint64_t)s, (uint64_t)k) < p[k]);
    return IP_OK;
}

ip_status ip_mv_sample_contexts(int64_t n, const uint64_t *rest, int64_t count, bool stratified, uint64_t seed,
                                uint64_t stream0, uint64_t *masks, ip_error *err) {
    if (n < 1) return ip_fail(err, IP_ERR_RANGE, "n", "n = %" PRId64 " is out of range (need n >= 1)", n);
    if (n > IP_MAX_SET_PLAYERS)
        return ip_fail(err, IP_ERR_TOO_LARGE, "n", "n = %" PRId64 " is too large (at most %" PRId64 " players)", n,
                       IP_MAX_SET_PLAYERS);
    if (count < 0) return ip_fail(err, IP_ERR_RANGE, "count", "count = %" PRId64 " must be >= 0", count);
    const int64_t words = ip_mask_words(n);
    int64_t total;
    if (!ip_mul_fits(count, words, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "count", "count = %" PRId64 " makes count * %" PRId64 " words overflow int64",
                       count, words);
    if (rest == NULL) return ip_fail(err, IP_ERR_NULL, "rest", "rest is NULL");
    if (masks == NULL && total > 0) return ip_fail(err, IP_ERR_NULL, "masks", "masks is NULL");
    if (ip_row_beyond(rest, words, n))
        return ip_fail(err, IP_ERR_RANGE, "rest", "rest holds players out of range for n = %" PRId64, n);
    uint64_t *excluded = (uint64_t *)malloc((size_t)words * sizeof(uint64_t));
    if (excluded == NULL) return ip_fail(err, IP_ERR_NOMEM, "n", "n = %" PRId64 ": out of memory", n);
    for (int64_t w = 0; w < words; ++w) excluded[w] = ~rest[w];
    const int64_t r_count = ip_row_count(rest, words);
    const uint64_t strata = (uint64_t)r_count + 1;
    const uint64_t offset = ip_random_below(seed, stream0, 0, strata);
#pragma omp parallel for schedule(static) if (count > IP_OMP_MIN_SAMPLES)
    for (int64_t t = 0; t < count; ++t) {
        const uint64_t stream = stream0 + (uint64_t)t;
        uint64_t *mask = masks + t * words;
        ip_row_zero(mask, words);
        const int64_t size = (int64_t)(stratified ? (offset + (uint64_t)t) % strata : ip_random_below(seed, stream, 0, strata));
        ip_subset_of_size(seed, stream, n, excluded, -1, -1, r_count, size, mask);
    }
    free(excluded);
    return IP_OK;
}
