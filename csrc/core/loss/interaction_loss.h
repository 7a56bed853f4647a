/* The interaction loss of the dropout paper (Eq. 7-9, App. G) over plain arrays.
 *
 *   Loss' = E_{A,B,r,S} [ Δf(S, A, B)^2 ],
 *   Δf(S, A, B) = f(S ∪ A ∪ B) - f(S ∪ A) - f(S ∪ B) + f(S)                         (Eq. 9)
 *
 * Layout. An activation batch h is [batch, n] (n = units per input, any unit shape flattened).
 * Each input b has `contexts` samples k; sample index s = b * contexts + k; roles is [samples, n]
 * bytes (see loss_sampling.h). The masked batch is [samples, 4, n]: row (s, v) is h[b] with the
 * units absent from variant v (0 S∪A∪B, 1 S∪A, 2 S∪B, 3 S) set to 0 (the baseline of App. G).
 * Rewards are [samples, 4] in the same order.
 *
 * Each function validates its arguments before touching memory (sizes overflow-checked, role bytes
 * validated) and returns an ip_status with the failing argument in *err;
 * _f32 / _f64 are the float / double versions of one algorithm. OpenMP over samples.
 */
#ifndef INTERPLAY_LOSS_INTERACTION_LOSS_H
#define INTERPLAY_LOSS_INTERACTION_LOSS_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The checks of a sampling call, done once: contexts >= 1, n >= 2, 1 <= set_size, 2 * set_size <= n,
 * 0 <= rate_lo <= rate_hi <= 1 (finite), and batch * contexts * 4 * n fits in int64 (the masked batch
 * made from the roles). *samples (may be NULL) <- batch * contexts. */
ip_status ip_loss_check_sample(int64_t batch, int64_t contexts, int64_t n, int64_t set_size, double rate_lo,
                               double rate_hi, int64_t *samples, ip_error *err);

/* The shape checks of a masking call: x has `rows` rows of n units, roles is [role_rows, role_units];
 * forward (variants = 1): rows = batch; backward (variants = 4): rows = batch * contexts * 4. Needs
 * contexts >= 1, role_rows = batch * contexts, role_units = n, and every product in int64.
 * *batch <- the batch. */
ip_status ip_loss_check_roles(int64_t rows, int64_t n, int64_t role_rows, int64_t role_units, int64_t contexts,
                              int variants, int64_t *batch, ip_error *err);

/* roles[batch * contexts, n] <- per input A, B (|A| = |B| = set_size, disjoint, shared by its contexts)
 * and per context S at a keep-rate r ~ U[rate_lo, rate_hi] (loss_sampling.h). */
ip_status ip_loss_sample_roles(uint64_t seed, int64_t batch, int64_t contexts, int64_t n, int64_t set_size,
                               double rate_lo, double rate_hi, uint8_t *roles, ip_error *err);

/* out[batch * contexts, 4, n] <- the four masked variants of every sample. */
ip_status ip_loss_mask_f32(const float *h, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles, float *out,
                           ip_error *err);
ip_status ip_loss_mask_f64(const double *h, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles,
                           double *out, ip_error *err);

/* grad_h[batch, n] <- sum over samples of input b and variants v of grad_out[(s, v), u] where u is present. */
ip_status ip_loss_mask_backward_f32(const float *grad_out, int64_t batch, int64_t contexts, int64_t n,
                                    const uint8_t *roles, float *grad_h, ip_error *err);
ip_status ip_loss_mask_backward_f64(const double *grad_out, int64_t batch, int64_t contexts, int64_t n,
                                    const uint8_t *roles, double *grad_h, ip_error *err);

/* delta[samples] <- Δf per sample from rewards[samples, 4]. Needs samples >= 1. */
ip_status ip_loss_delta_f32(const float *rewards, int64_t samples, float *delta, ip_error *err);
ip_status ip_loss_delta_f64(const double *rewards, int64_t samples, double *delta, ip_error *err);

/* *loss <- mean over samples of Δf^2 (accumulated in double). Needs samples >= 1. */
ip_status ip_loss_delta_sq_mean_f32(const float *rewards, int64_t samples, float *loss, ip_error *err);
ip_status ip_loss_delta_sq_mean_f64(const double *rewards, int64_t samples, double *loss, ip_error *err);

/* grad_rewards[samples, 4] <- grad * d mean(Δf^2) / d rewards = grad * 2 Δf_s / samples * (+1, -1, -1, +1). */
ip_status ip_loss_delta_sq_mean_backward_f32(double grad, const float *rewards, int64_t samples, float *grad_rewards,
                                             ip_error *err);
ip_status ip_loss_delta_sq_mean_backward_f64(double grad, const double *rewards, int64_t samples,
                                             double *grad_rewards, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
