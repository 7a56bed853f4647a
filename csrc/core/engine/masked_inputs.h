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

/* Rows [0, batch) of the batch, serially (ip_masked_inputs_* split the rows over threads). They
 * skip the player-map scan: the arguments must already have passed ip_check_masked_inputs. Elements
 * are moved as bit patterns, so one kernel serves every element type of its width (32 bits: float;
 * 64 bits: double, int64) and a row holds exactly x[d] or baseline[d]. selector: scratch of
 * n_players + 1 words. */
void ip_masked_rows_32(const uint32_t *x, const uint32_t *baseline, const int64_t *player_map, int64_t d_size,
                       int64_t n_players, const uint64_t *masks, int64_t batch, uint32_t *out, uint32_t *selector);
void ip_masked_rows_64(const uint64_t *x, const uint64_t *baseline, const int64_t *player_map, int64_t d_size,
                       int64_t n_players, const uint64_t *masks, int64_t batch, uint64_t *out, uint64_t *selector);

/* The whole batch [batch, d_size]: the checks of ip_check_masked_inputs (player_map in host memory),
 * no NULL array when batch * d_size > 0 (IP_ERR_NULL), then rows as ip_masked_rows_*, split over
 * OpenMP threads (the team of the calling thread: torch.set_num_threads sets it for the op layer)
 * above IP_OMP_MIN_ELEMENTS elements, each thread with a selector of n_players + 1 words of its own
 * (IP_ERR_NOMEM naming "masks" when one cannot be allocated; out is then unspecified). A row is a
 * copy: the same bits whatever the number of threads. */
ip_status ip_masked_inputs_32(const uint32_t *x, const uint32_t *baseline, const int64_t *player_map, int64_t d_size,
                              int64_t n_players, const uint64_t *masks, int64_t batch, uint32_t *out, ip_error *err);
ip_status ip_masked_inputs_64(const uint64_t *x, const uint64_t *baseline, const int64_t *player_map, int64_t d_size,
                              int64_t n_players, const uint64_t *masks, int64_t batch, uint64_t *out, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
