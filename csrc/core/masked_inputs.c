#include "masked_inputs.h"

#include "engine_rows.h"

ip_status ip_check_player_map(const int64_t *player_map, int64_t d_size, int64_t n_players) {
    if (player_map == NULL) return IP_ERR_NULL;
    if (d_size < 0 || n_players < 0) return IP_ERR_ARG;
    int bad = 0;
#pragma omp parallel for reduction(| : bad) if (d_size > 65536)
    for (int64_t d = 0; d < d_size; ++d) bad |= player_map[d] < -1 || player_map[d] >= n_players;
    return bad ? IP_ERR_RANGE : IP_OK;
}

/* Rows copy elements as bit patterns: a selector word per player (all ones = present, index 0 =
 * always present) picks x[d] or baseline[d] with two ANDs and an OR, branch-free, so a row holds
 * exactly x[d] or baseline[d] whatever the element type (float, double, int64 alike). */
#define IP_DEFINE_MASKED_ROWS(NAME, W)                                                                    \
    ip_status NAME(const W *x, const W *baseline, const int64_t *player_map, int64_t d_size,             \
                   int64_t n_players, const uint64_t *masks, int64_t batch, W *out, W *selector) {         \
        if (x == NULL || baseline == NULL || player_map == NULL || masks == NULL || out == NULL ||        \
            selector == NULL)                                                                             \
            return IP_ERR_NULL;                                                                           \
        if (batch < 0 || d_size < 0 || n_players < 0) return IP_ERR_ARG;                                  \
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
        return IP_OK;                                                                                     \
    }

IP_DEFINE_MASKED_ROWS(ip_masked_rows_32, uint32_t)
IP_DEFINE_MASKED_ROWS(ip_masked_rows_64, uint64_t)
