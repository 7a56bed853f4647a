/* Masked batch construction: one row of masked inputs per coalition.
 *
 *   out[b, d] = x[d]          if player_map[d] == -1 or player player_map[d] is in coalition b
 *             = baseline[d]   otherwise
 *
 * x, baseline: [d_size] elements (the flattened input and its baseline, already broadcast);
 * player_map: [d_size] int64 in [-1, n_players); masks: [batch, ip_mask_words(n_players)] packed
 * player sets (common/player_set.h); out: [batch, d_size].
 */
#ifndef INTERPLAY_ENGINE_MASKED_INPUTS_H
#define INTERPLAY_ENGINE_MASKED_INPUTS_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The checks of a masked batch, done once before any row: player_map entries in [-1, n_players),
 * and batch * d_size fits in int64. player_map may be NULL (an array in device memory): then only the
 * sizes are checked and the CUDA kernel checks the entries (a device-side assert). */
ip_status ip_check_masked_inputs(const int64_t *player_map, int64_t d_size, int64_t n_players, int64_t batch,
                                 ip_error *err);

/* Rows [0, batch) of the batch, serially: callers parallelise over blocks of rows themselves (the
 * torch op splits rows over torch's own thread pool, so two OpenMP runtimes never compete for the
 * cores). They skip the player-map scan: the arguments must already have passed
 * ip_check_masked_inputs. Elements are moved as bit patterns, so one kernel serves every element
 * type of its width (32 bits: float; 64 bits: double, int64) and a row holds exactly x[d] or
 * baseline[d]. selector: scratch of n_players + 1 words. */
void ip_masked_rows_32(const uint32_t *x, const uint32_t *baseline, const int64_t *player_map, int64_t d_size,
                       int64_t n_players, const uint64_t *masks, int64_t batch, uint32_t *out, uint32_t *selector);
void ip_masked_rows_64(const uint64_t *x, const uint64_t *baseline, const int64_t *player_map, int64_t d_size,
                       int64_t n_players, const uint64_t *masks, int64_t batch, uint64_t *out, uint64_t *selector);

#ifdef __cplusplus
}
#endif

#endif
