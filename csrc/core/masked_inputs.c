#include "masked_inputs.h"

#include <stdlib.h>

#include "engine_rows.h"

ip_status ip_check_player_map(const int64_t *player_map, int64_t d_size, int64_t n_players) {
    if (player_map == NULL) return IP_ERR_NULL;
    if (d_size < 0 || n_players < 0) return IP_ERR_ARG;
    int bad = 0;
#pragma omp parallel for reduction(| : bad) if (d_size > 65536)
    for (int64_t d = 0; d < d_size; ++d) bad |= player_map[d] < -1 || player_map[d] >= n_players;
    return bad ? IP_ERR_RANGE : IP_OK;
}

/* One body for every element type: validate, then fill row by row. Each row first expands its
 * packed coalition into one selector per player (index 0 = always present, 1 + p = player p),
 * so the element loop is a table lookup and a select with no bit arithmetic. Rows are split
 * across threads when there are enough of them, else the elements of each row. */
#define IP_MASKED_ROW(T, row, dst, present)                                                              \
    do {                                                                                                 \
        present[0] = 1;                                                                                   \
        for (int64_t p = 0; p < n_players; ++p) present[1 + p] = (unsigned char)ip_row_bit(row, p);       \
        for (int64_t d = 0; d < d_size; ++d) dst[d] = present[1 + player_map[d]] ? x[d] : baseline[d];    \
    } while (0)

#define IP_DEFINE_MASKED_INPUTS(NAME, T)                                                                  \
    ip_status NAME(const T *x, const T *baseline, const int64_t *player_map, int64_t d_size,             \
                   int64_t n_players, const uint64_t *masks, int64_t batch, T *out) {                     \
        if (x == NULL || baseline == NULL || masks == NULL || out == NULL) return IP_ERR_NULL;           \
        if (batch < 0) return IP_ERR_ARG;                                                                 \
        ip_status st = ip_check_player_map(player_map, d_size, n_players);                               \
        if (st != IP_OK) return st;                                                                       \
        const int64_t words = ip_mask_words(n_players);                                                   \
        if (batch >= 4) {                                                                                 \
            int failed = 0;                                                                               \
            _Pragma("omp parallel reduction(| : failed)")                                                 \
            {                                                                                             \
                unsigned char *present = (unsigned char *)malloc((size_t)n_players + 1);                  \
                failed = present == NULL;                                                                 \
                if (present != NULL) {                                                                    \
                    _Pragma("omp for schedule(static)")                                                   \
                    for (int64_t b = 0; b < batch; ++b) {                                                 \
                        const uint64_t *row = masks + b * words;                                          \
                        T *dst = out + b * d_size;                                                        \
                        IP_MASKED_ROW(T, row, dst, present);                                              \
                    }                                                                                     \
                    free(present);                                                                        \
                } else {                                                                                  \
                    _Pragma("omp for schedule(static)")                                                   \
                    for (int64_t b = 0; b < batch; ++b) (void)b;                                          \
                }                                                                                         \
            }                                                                                             \
            if (failed) return IP_ERR_NOMEM;                                                              \
        } else {                                                                                          \
            for (int64_t b = 0; b < batch; ++b) {                                                         \
                const uint64_t *row = masks + b * words;                                                  \
                T *dst = out + b * d_size;                                                                \
                _Pragma("omp parallel for schedule(static) if (d_size > 65536)")                          \
                for (int64_t d = 0; d < d_size; ++d)                                                      \
                    dst[d] = ip_element_present(player_map, d, row) ? x[d] : baseline[d];                 \
            }                                                                                             \
        }                                                                                                 \
        return IP_OK;                                                                                     \
    }

IP_DEFINE_MASKED_INPUTS(ip_masked_inputs_f32, float)
IP_DEFINE_MASKED_INPUTS(ip_masked_inputs_f64, double)
IP_DEFINE_MASKED_INPUTS(ip_masked_inputs_i64, int64_t)

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
