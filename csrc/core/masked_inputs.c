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

/* One row for every element type. The row first expands its packed coalition into one selector
 * per player (index 0 = always present, 1 + p = player p), so the element loop is a table lookup
 * and a select with no bit arithmetic. */
#define IP_MASKED_ROW(T, row, dst, present)                                                              \
    do {                                                                                                 \
        present[0] = 1;                                                                                   \
        for (int64_t p = 0; p < n_players; ++p) present[1 + p] = (unsigned char)ip_row_bit(row, p);       \
        for (int64_t d = 0; d < d_size; ++d) dst[d] = present[1 + player_map[d]] ? x[d] : baseline[d];    \
    } while (0)

/* Serial rows: expand the coalition into one selector per player (index 0 = always present). */
#define IP_DEFINE_MASKED_ROWS(NAME, T)                                                                    \
    ip_status NAME(const T *x, const T *baseline, const int64_t *player_map, int64_t d_size,             \
                   int64_t n_players, const uint64_t *masks, int64_t batch, T *out, unsigned char *present) { \
        if (x == NULL || baseline == NULL || player_map == NULL || masks == NULL || out == NULL ||        \
            present == NULL)                                                                              \
            return IP_ERR_NULL;                                                                           \
        if (batch < 0 || d_size < 0 || n_players < 0) return IP_ERR_ARG;                                  \
        const int64_t words = ip_mask_words(n_players);                                                   \
        for (int64_t b = 0; b < batch; ++b) {                                                             \
            const uint64_t *row = masks + b * words;                                                      \
            T *dst = out + b * d_size;                                                                    \
            IP_MASKED_ROW(T, row, dst, present);                                                          \
        }                                                                                                 \
        return IP_OK;                                                                                     \
    }

IP_DEFINE_MASKED_ROWS(ip_masked_rows_f32, float)
IP_DEFINE_MASKED_ROWS(ip_masked_rows_f64, double)
IP_DEFINE_MASKED_ROWS(ip_masked_rows_i64, int64_t)
