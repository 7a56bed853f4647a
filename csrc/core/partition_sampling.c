#include "partition_sampling.h"

#include <math.h>

#include "counter_rng.h"

ip_status ip_mv_sample_partitions(const double *p, int gaps, int64_t count, uint64_t seed, uint64_t stream0,
                                  uint8_t *g) {
    if (p == NULL || (g == NULL && count > 0)) return IP_ERR_NULL;
    if (gaps < 1 || count < 0) return IP_ERR_ARG;
    for (int k = 0; k < gaps; ++k) {
        if (!isfinite(p[k])) return IP_ERR_NONFINITE;
        if (p[k] < 0.0 || p[k] > 1.0) return IP_ERR_RANGE;
    }
#pragma omp parallel for schedule(static) if (count * gaps > 65536)
    for (int64_t s = 0; s < count; ++s)
        for (int k = 0; k < gaps; ++k)
            g[s * gaps + k] = (uint8_t)(ip_random_uniform(seed, stream0 + (uint64_t)s, (uint64_t)k) < p[k]);
    return IP_OK;
}

ip_status ip_mv_sample_contexts(int n, const int *rest, int r_count, int64_t count, int stratified, uint64_t seed,
                                uint64_t stream0, uint64_t *masks) {
    if ((rest == NULL && r_count > 0) || (masks == NULL && count > 0)) return IP_ERR_NULL;
    if (n < 1 || r_count < 0 || r_count > n || count < 0) return IP_ERR_RANGE;
    const int words = ip_mask_words(n);
    for (int a = 0; a < r_count; ++a) {
        if (rest[a] < 0 || rest[a] >= n) return IP_ERR_RANGE;
        for (int b = 0; b < a; ++b)
            if (rest[a] == rest[b]) return IP_ERR_ARG;
    }
    const uint64_t strata = (uint64_t)r_count + 1;
    const uint64_t offset = ip_random_below(seed, stream0, 0, strata);
#pragma omp parallel for schedule(static) if (count > 4096)
    for (int64_t t = 0; t < count; ++t) {
        const uint64_t stream = stream0 + (uint64_t)t;
        uint64_t *mask = masks + t * words;
        for (int w = 0; w < words; ++w) mask[w] = 0;
        const int size = stratified ? (int)((offset + (uint64_t)t) % strata)
                                    : (int)ip_random_below(seed, stream, 0, strata);
        /* Floyd: for j = R - size .. R - 1 pick x < j + 1; take x unless taken, else take j. */
        uint64_t counter = 1;
        for (int j = r_count - size; j < r_count; ++j) {
            int x = (int)ip_random_below(seed, stream, counter++, (uint64_t)j + 1);
            const int px = rest[x];
            if (mask[px >> 6] & ((uint64_t)1 << (px & 63))) x = j;
            const int player = rest[x];
            mask[player >> 6] |= (uint64_t)1 << (player & 63);
        }
    }
    return IP_OK;
}
