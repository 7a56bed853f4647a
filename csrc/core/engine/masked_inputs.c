#include "engine/masked_inputs.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/parallel.h"
#include "common/player_set.h"

ip_status ip_check_masked_inputs(const int64_t *player_map, int64_t d_size, int64_t n_players, int64_t batch,
                                 ip_error *err) {
    if (d_size < 0) return ip_fail(err, IP_ERR_RANGE, "x", "x has %" PRId64 " elements (< 0)", d_size);
    if (n_players < 0 || batch < 0)
        return ip_fail(err, IP_ERR_RANGE, "masks", "masks has %" PRId64 " rows of %" PRId64 " players; both must be >= 0",
                       batch, n_players);
    int64_t total;
    if (!ip_mul_fits(batch, d_size, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "masks",
                       "masks has %" PRId64 " rows: batch * %" PRId64 " elements overflows int64", batch, d_size);
    if (player_map == NULL) return IP_OK; /* device memory: the kernel checks the entries */
    int64_t first = d_size;
#pragma omp parallel for reduction(min : first) if (d_size > IP_OMP_MIN_ELEMENTS)
    for (int64_t d = 0; d < d_size; ++d)
        if ((player_map[d] < -1 || player_map[d] >= n_players) && d < first) first = d;
    if (first < d_size)
        return ip_fail(err, IP_ERR_RANGE, "player_map",
                       "player_map[%" PRId64 "] = %" PRId64 " is out of range [-1, %" PRId64 ")", first,
                       player_map[first], n_players);
    return IP_OK;
}

/* Rows copy elements as bit patterns: a selector word per player (all ones = present, index 0 =
 * always present) picks x[d] or baseline[d] with two ANDs and an OR, branch-free, so a row holds
 * exactly x[d] or baseline[d] whatever the element type (float, double, int64 alike). */
#define IP_DEFINE_MASKED_ROWS(NAME, W)                                                                    \
    void NAME(const W *x, const W *baseline, const int64_t *player_map, int64_t d_size, int64_t n_players, \
              const uint64_t *masks, int64_t batch, W *out, W *selector) {                                \
        const int64_t words = ip_mask_words(n_players);                                                   \
        const W all = (W)~(W)0;                                                                           \
        W *sel = selector + 1; /* sel[-1]: the always-present entry of player_map == -1 */                \
        selector[0] = all;                                                                                \
        for (int64_t b = 0; b < batch; ++b) {                                                             \
            const uint64_t *row = masks + b * words;                                                      \
            W *dst = out + b * d_size;                                                                    \
            for (int64_t p = 0; p < n_players; ++p) sel[p] = ip_row_bit(row, p) ? all : (W)0;             \
            for (int64_t d = 0; d < d_size; ++d) {                                                        \
                const W m = sel[player_map[d]];                                                           \
                dst[d] = (W)((x[d] & m) | (baseline[d] & (W)~m));                                         \
            }                                                                                             \
        }                                                                                                 \
    }

IP_DEFINE_MASKED_ROWS(ip_masked_rows_32, uint32_t)
IP_DEFINE_MASKED_ROWS(ip_masked_rows_64, uint64_t)

/* The batch of ip_masked_inputs_32 (width 4 bytes) and ip_masked_inputs_64 (width 8) on OpenMP
 * threads, each with its own selector (NULL when its allocation failed: the thread then skips its
 * rows and the call reports IP_ERR_NOMEM). */
static ip_status masked_batch(const void *x, const void *baseline, const int64_t *player_map, int64_t d_size,
                              int64_t n_players, const uint64_t *masks, int64_t batch, void *out, size_t width,
                              ip_error *err) {
    ip_status st = ip_check_masked_inputs(NULL, d_size, n_players, batch, err); /* the sizes */
    if (st != IP_OK || batch == 0 || d_size == 0) return st;
    if (x == NULL || baseline == NULL || player_map == NULL || masks == NULL || out == NULL)
        return ip_fail(err, IP_ERR_NULL, "x", "x, baseline, player_map, masks or out is NULL");
    if ((st = ip_check_masked_inputs(player_map, d_size, n_players, batch, err)) != IP_OK) return st;
    if ((uint64_t)n_players >= SIZE_MAX / width)
        return ip_fail(err, IP_ERR_TOO_LARGE, "masks", "masks: %" PRId64 " players overflow a selector", n_players);
    const int64_t words = ip_mask_words(n_players);
    int failed = 0;
#pragma omp parallel if (batch * d_size > IP_OMP_MIN_ELEMENTS)
    {
        void *selector = malloc(width * (size_t)(n_players + 1));
        if (selector == NULL) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int64_t b = 0; b < batch; ++b) {
            if (selector == NULL) continue;
            if (width == sizeof(uint32_t))
                ip_masked_rows_32((const uint32_t *)x, (const uint32_t *)baseline, player_map, d_size, n_players,
                                  masks + b * words, 1, (uint32_t *)out + b * d_size, (uint32_t *)selector);
            else
                ip_masked_rows_64((const uint64_t *)x, (const uint64_t *)baseline, player_map, d_size, n_players,
                                  masks + b * words, 1, (uint64_t *)out + b * d_size, (uint64_t *)selector);
        }
        free(selector);
    }
    if (failed)
        return ip_fail(err, IP_ERR_NOMEM, "masks", "masks: no memory for a selector of %" PRId64 " players", n_players);
    return IP_OK;
}

ip_status ip_masked_inputs_32(const uint32_t *x, const uint32_t *baseline, const int64_t *player_map, int64_t d_size,
                              int64_t n_players, const uint64_t *masks, int64_t batch, uint32_t *out, ip_error *err) {
    return masked_batch(x, baseline, player_map, d_size, n_players, masks, batch, out, sizeof(uint32_t), err);
}

ip_status ip_masked_inputs_64(const uint64_t *x, const uint64_t *baseline, const int64_t *player_map, int64_t d_size,
                              int64_t n_players, const uint64_t *masks, int64_t batch, uint64_t *out, ip_error *err) {
    return masked_batch(x, baseline, player_map, d_size, n_players, masks, batch, out, sizeof(uint64_t), err);
}
