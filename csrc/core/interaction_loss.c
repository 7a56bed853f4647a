#include "interaction_loss.h"

#include <math.h>
#include <string.h>

#include "loss_sampling.h"

ip_status ip_loss_sample_roles(uint64_t seed, int64_t batch, int64_t contexts, int64_t n, int64_t set_size,
                               double rate_lo, double rate_hi, uint8_t *roles) {
    if (batch < 0 || contexts < 1 || n < 2 || set_size < 1 || set_size > n / 2) return IP_ERR_RANGE;
    if (!isfinite(rate_lo) || !isfinite(rate_hi) || rate_lo < 0.0 || rate_hi > 1.0 || rate_lo > rate_hi)
        return IP_ERR_ARG;
    if (batch == 0) return IP_OK;
    if (roles == NULL) return IP_ERR_NULL;
#pragma omp parallel for schedule(static) if (batch * contexts * n > 65536)
    for (int64_t b = 0; b < batch; ++b) {
        uint8_t *first = roles + b * contexts * n;
        memset(first, IP_ROLE_OUT, (size_t)n);
        ip_loss_pick_sets(seed, (uint64_t)b, n, set_size, first);
        for (int64_t k = 0; k < contexts; ++k) {
            const int64_t s = b * contexts + k;
            uint8_t *row = roles + s * n;
            if (k > 0) memcpy(row, first, (size_t)n);
            const double rate = ip_loss_rate(seed, (uint64_t)s, rate_lo, rate_hi);
            for (int64_t u = 0; u < n; ++u) /* the units outside A and B (a copy of context 0 for k > 0) */
                if (row[u] == IP_ROLE_OUT || row[u] == IP_ROLE_S)
                    row[u] = ip_loss_kept(seed, (uint64_t)s, (uint64_t)u, rate) ? IP_ROLE_S : IP_ROLE_OUT;
        }
    }
    return IP_OK;
}

static ip_status check_mask_args(const void *a, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles,
                                 const void *b) {
    if (batch < 0 || contexts < 1 || n < 1) return IP_ERR_RANGE;
    if (batch == 0) return IP_OK;
    if (a == NULL || roles == NULL || b == NULL) return IP_ERR_NULL;
    return IP_OK;
}

/* One algorithm, two element types: T is float or double, SUFFIX names the version. */
#define IP_DEFINE_LOSS_KERNELS(T, SUFFIX)                                                                        \
    ip_status ip_loss_mask_##SUFFIX(const T *h, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles, \
                                    T *out) {                                                                    \
        const ip_status st = check_mask_args(h, batch, contexts, n, roles, out);                                 \
        if (st != IP_OK || batch == 0) return st;                                                               \
        const int64_t samples = batch * contexts;                                                              \
        _Pragma("omp parallel for schedule(static) if (samples * n > 65536)")                                  \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *x = h + (s / contexts) * n;                                                                \
            const uint8_t *role = roles + s * n;                                                                \
            for (int v = 0; v < IP_LOSS_VARIANTS; ++v) {                                                        \
                T *y = out + (s * IP_LOSS_VARIANTS + v) * n;                                                    \
                for (int64_t u = 0; u < n; ++u) y[u] = ip_role_present(v, role[u]) ? x[u] : (T)0;              \
            }                                                                                                   \
        }                                                                                                       \
        return IP_OK;                                                                                           \
    }                                                                                                           \
                                                                                                                \
    ip_status ip_loss_mask_backward_##SUFFIX(const T *grad_out, int64_t batch, int64_t contexts, int64_t n,      \
                                             const uint8_t *roles, T *grad_h) {                                 \
        const ip_status st = check_mask_args(grad_out, batch, contexts, n, roles, grad_h);                       \
        if (st != IP_OK || batch == 0) return st;                                                               \
        _Pragma("omp parallel for schedule(static) if (batch * contexts * n > 65536)")                         \
        for (int64_t b = 0; b < batch; ++b) {                                                                   \
            T *g = grad_h + b * n;                                                                              \
            for (int64_t u = 0; u < n; ++u) g[u] = (T)0;                                                        \
            for (int64_t s = b * contexts; s < (b + 1) * contexts; ++s) {                                       \
                const uint8_t *role = roles + s * n;                                                            \
                for (int v = 0; v < IP_LOSS_VARIANTS; ++v) {                                                    \
                    const T *go = grad_out + (s * IP_LOSS_VARIANTS + v) * n;                                    \
                    for (int64_t u = 0; u < n; ++u)                                                             \
                        if (ip_role_present(v, role[u])) g[u] += go[u];                                         \
                }                                                                                               \
            }                                                                                                   \
        }                                                                                                       \
        return IP_OK;                                                                                           \
    }                                                                                                           \
                                                                                                                \
    ip_status ip_loss_delta_##SUFFIX(const T *rewards, int64_t samples, T *delta) {                             \
        if (samples < 0) return IP_ERR_RANGE;                                                                   \
        if (samples == 0) return IP_OK;                                                                         \
        if (rewards == NULL || delta == NULL) return IP_ERR_NULL;                                               \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *f = rewards + 4 * s;                                                                       \
            delta[s] = f[0] - f[1] - f[2] + f[3];                                                               \
        }                                                                                                       \
        return IP_OK;                                                                                           \
    }                                                                                                           \
                                                                                                                \
    ip_status ip_loss_delta_sq_mean_##SUFFIX(const T *rewards, int64_t samples, T *loss) {                      \
        if (samples < 1) return IP_ERR_RANGE;                                                                   \
        if (rewards == NULL || loss == NULL) return IP_ERR_NULL;                                                \
        double sum = 0.0;                                                                                       \
        _Pragma("omp parallel for reduction(+ : sum) schedule(static) if (samples > 65536)")                   \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *f = rewards + 4 * s;                                                                       \
            const double d = (double)f[0] - (double)f[1] - (double)f[2] + (double)f[3];                         \
            sum += d * d;                                                                                       \
        }                                                                                                       \
        *loss = (T)(sum / (double)samples);                                                                     \
        return IP_OK;                                                                                           \
    }                                                                                                           \
                                                                                                                \
    ip_status ip_loss_delta_sq_mean_backward_##SUFFIX(double grad, const T *rewards, int64_t samples,            \
                                                      T *grad_rewards) {                                         \
        if (samples < 1) return IP_ERR_RANGE;                                                                   \
        if (rewards == NULL || grad_rewards == NULL) return IP_ERR_NULL;                                        \
        const double scale = 2.0 * grad / (double)samples;                                                      \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *f = rewards + 4 * s;                                                                       \
            T *g = grad_rewards + 4 * s;                                                                        \
            const double d = scale * ((double)f[0] - (double)f[1] - (double)f[2] + (double)f[3]);               \
            g[0] = (T)d;                                                                                        \
            g[1] = (T)-d;                                                                                       \
            g[2] = (T)-d;                                                                                       \
            g[3] = (T)d;                                                                                        \
        }                                                                                                       \
        return IP_OK;                                                                                           \
    }

IP_DEFINE_LOSS_KERNELS(float, f32)
IP_DEFINE_LOSS_KERNELS(double, f64)
