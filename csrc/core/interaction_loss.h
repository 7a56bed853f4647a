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
 * Each function validates its arguments before touching memory and returns an ip_status;
 * _f32 / _f64 are the float / double versions of one algorithm. OpenMP over samples.
 */
#ifndef INTERPLAY_INTERACTION_LOSS_H
#define INTERPLAY_INTERACTION_LOSS_H

#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* roles[batch * contexts, n] <- per input A, B (|A| = |B| = set_size, disjoint, shared by its contexts)
 * and per context S at a keep-rate r ~ U[rate_lo, rate_hi] (loss_sampling.h).
 * Needs 1 <= set_size, 2 * set_size <= n, 0 <= rate_lo <= rate_hi <= 1, contexts >= 1. */
ip_status ip_loss_sample_roles(uint64_t seed, int64_t batch, int64_t contexts, int64_t n, int64_t set_size,
                               double rate_lo, double rate_hi, uint8_t *roles);

/* out[batch * contexts, 4, n] <- the four masked variants of every sample. */
ip_status ip_loss_mask_f32(const float *h, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles, float *out);
ip_status ip_loss_mask_f64(const double *h, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles,
                           double *out);

/* grad_h[batch, n] <- sum over samples of input b and variants v of grad_out[(s, v), u] where u is present. */
ip_status ip_loss_mask_backward_f32(const float *grad_out, int64_t batch, int64_t contexts, int64_t n,
                                    const uint8_t *roles, float *grad_h);
ip_status ip_loss_mask_backward_f64(const double *grad_out, int64_t batch, int64_t contexts, int64_t n,
                                    const uint8_t *roles, double *grad_h);

/* delta[samples] <- Δf per sample from rewards[samples, 4]. */
ip_status ip_loss_delta_f32(const float *rewards, int64_t samples, float *delta);
ip_status ip_loss_delta_f64(const double *rewards, int64_t samples, double *delta);

/* *loss <- mean over samples of Δf^2 (accumulated in double). Needs samples >= 1. */
ip_status ip_loss_delta_sq_mean_f32(const float *rewards, int64_t samples, float *loss);
ip_status ip_loss_delta_sq_mean_f64(const double *rewards, int64_t samples, double *loss);

/* grad_rewards[samples, 4] <- grad * d mean(Δf^2) / d rewards = grad * 2 Δf_s / samples * (+1, -1, -1, +1). */
ip_status ip_loss_delta_sq_mean_backward_f32(double grad, const float *rewards, int64_t samples, float *grad_rewards);
ip_status ip_loss_delta_sq_mean_backward_f64(double grad, const double *rewards, int64_t samples,
                                             double *grad_rewards);

#ifdef __cplusplus
}
#endif

#endif
