/* Masked batch construction: one row of masked inputs per coalition.
 *
 *   out[b, d] = x[d]          if player_map[d] == -1 or player player_map[d] is in coalition b
 *             = baseline[d]   otherwise
 *
 * x, baseline: [d_size] elements (the flattened input and its baseline, already broadcast);
 * player_map: [d_size] int64 in [-1, n_players); masks: [batch, ip_mask_words(n_players)] packed
 * coalition bits (engine_rows.h); out: [batch, d_size]. Every player_map entry is checked before
 * anything is written (ip_check_player_map).
 */
#ifndef INTERPLAY_MASKED_INPUTS_H
#define INTERPLAY_MASKED_INPUTS_H

#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* IP_OK, or IP_ERR_RANGE when an entry of player_map lies outside [-1, n_players). */
ip_status ip_check_player_map(const int64_t *player_map, int64_t d_size, int64_t n_players);

/* Rows [0, batch) of the batch, serially: callers parallelise over blocks of rows themselves (the
 * torch op splits rows over torch's own thread pool, so two OpenMP runtimes never compete for the
 * cores). They skip the player-map scan: player_map must already have passed ip_check_player_map.
 * present: scratch of n_players + 1 bytes. */
ip_status ip_masked_rows_f32(const float *x, const float *baseline, const int64_t *player_map, int64_t d_size,
                             int64_t n_players, const uint64_t *masks, int64_t batch, float *out, unsigned char *present);
ip_status ip_masked_rows_f64(const double *x, const double *baseline, const int64_t *player_map, int64_t d_size,
                             int64_t n_players, const uint64_t *masks, int64_t batch, double *out,
                             unsigned char *present);
ip_status ip_masked_rows_i64(const int64_t *x, const int64_t *baseline, const int64_t *player_map, int64_t d_size,
                             int64_t n_players, const uint64_t *masks, int64_t batch, int64_t *out,
                             unsigned char *present);

#ifdef __cplusplus
}
#endif

#endif
