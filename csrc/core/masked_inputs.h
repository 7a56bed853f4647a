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
 * Elements are moved as bit patterns, so one kernel serves every element type of its width (32 bits:
 * float; 64 bits: double, int64) and a row holds exactly x[d] or baseline[d].
 * selector: scratch of n_players + 1 words. */
ip_status ip_masked_rows_32(const uint32_t *x, const uint32_t *baseline, const int64_t *player_map, int64_t d_size,
                            int64_t n_players, const uint64_t *masks, int64_t batch, uint32_t *out,
                            uint32_t *selector);
ip_status ip_masked_rows_64(const uint64_t *x, const uint64_t *baseline, const int64_t *player_map, int64_t d_size,
                            int64_t n_players, const uint64_t *masks, int64_t batch, uint64_t *out,
                            uint64_t *selector);

#ifdef __cplusplus
}
#endif

#endif
