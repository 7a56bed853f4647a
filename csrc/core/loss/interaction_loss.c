#include "loss/interaction_loss.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "common/parallel.h"
#include "loss/loss_sampling.h"

ip_status ip_loss_check_sample(int64_t batch, int64_t contexts, int64_t n, int64_t set_size, double rate_lo,
                               double rate_hi, int64_t *samples, ip_error *err) {
    if (batch < 0) return ip_fail(err, IP_ERR_RANGE, "h", "h has %" PRId64 " rows; the batch must be >= 0", batch);
    if (contexts < 1) return ip_fail(err, IP_ERR_RANGE, "contexts", "contexts = %" PRId64 " must be >= 1", contexts);
    if (n < 2) return ip_fail(err, IP_ERR_RANGE, "h", "h has %" PRId64 " units per input; an interaction needs >= 2", n);
    if (set_size < 1 || set_size > n / 2)
        return ip_fail(err, IP_ERR_RANGE, "set_size",
                       "set_size = %" PRId64 ": |A| = |B| = set_size needs 1 <= |A| and |A| + |B| <= n = %" PRId64 " units",
                       set_size, n);
    if (!(rate_lo >= 0.0 && rate_lo <= 1.0)) /* NaN fails every comparison */
        return ip_fail(err, IP_ERR_RANGE, "rate_lo",
                       "rate_lo = %g: the keep-rate interval [rate_lo, rate_hi] = [%g, %g] needs 0 <= rate_lo <= rate_hi <= 1",
                       rate_lo, rate_lo, rate_hi);
    if (!(rate_hi >= rate_lo && rate_hi <= 1.0))
        return ip_fail(err, IP_ERR_RANGE, "rate_hi",
                       "rate_hi = %g: the keep-rate interval [rate_lo, rate_hi] = [%g, %g] needs 0 <= rate_lo <= rate_hi <= 1",
                       rate_hi, rate_lo, rate_hi);
    int64_t s, total;
    if (!ip_mul_fits(batch, contexts, &s) || !ip_mul_fits(s, IP_LOSS_VARIANTS, &total) || !ip_mul_fits(total, n, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "contexts",
                       "contexts = %" PRId64 " makes batch * contexts * 4 * units (%" PRId64 " * %" PRId64 " * 4 * %" PRId64
                       ") overflow int64",
                       contexts, batch, contexts, n);
    if (samples != NULL) *samples = s;
    return IP_OK;
}

ip_status ip_loss_check_roles(int64_t rows, int64_t n, int64_t role_rows, int64_t role_units, int64_t contexts,
                              int variants, int64_t *batch, ip_error *err) {
    if (batch == NULL) return ip_fail(err, IP_ERR_NULL, "batch", "batch is NULL");
    if (variants != 1 && variants != IP_LOSS_VARIANTS)
        return ip_fail(err, IP_ERR_ARG, "variants", "variants = %d must be 1 (forward) or 4 (backward)", variants);
    if (contexts < 1) return ip_fail(err, IP_ERR_RANGE, "contexts", "contexts = %" PRId64 " must be >= 1", contexts);
    if (rows < 0 || n < 0)
        return ip_fail(err, IP_ERR_RANGE, "h", "h has %" PRId64 " rows of %" PRId64 " units; both must be >= 0", rows, n);
    int64_t per_input = 1, b = rows, samples, total;
    if (variants != 1) {
        if (!ip_mul_fits(contexts, variants, &per_input))
            return ip_fail(err, IP_ERR_TOO_LARGE, "contexts",
                           "contexts = %" PRId64 " makes %d * contexts overflow int64", contexts, variants);
        if (rows % per_input != 0)
            return ip_fail(err, IP_ERR_ARG, "grad",
                           "grad has %" PRId64 " rows, not a multiple of 4 * contexts = %" PRId64, rows, per_input);
        b = rows / per_input;
    }
    if (!ip_mul_fits(b, contexts, &samples) || !ip_mul_fits(samples, IP_LOSS_VARIANTS, &total) ||
        !ip_mul_fits(total, n, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "contexts",
                       "contexts = %" PRId64 " makes batch * contexts * 4 * units overflow int64", contexts);
    if (role_rows != samples || role_units != n) /* also catches negative role sizes */
        return ip_fail(err, IP_ERR_ARG, "roles",
                       "roles have shape [%" PRId64 ", %" PRId64 "] but the activation needs [%" PRId64 ", %" PRId64
                       "] (batch * contexts, units)",
                       role_rows, role_units, samples, n);
    *batch = b;
    return IP_OK;
}

ip_status ip_loss_sample_roles(uint64_t seed, int64_t batch, int64_t contexts, int64_t n, int64_t set_size,
                               double rate_lo, double rate_hi, uint8_t *roles, ip_error *err) {
    int64_t samples;
    ip_status st = ip_loss_check_sample(batch, contexts, n, set_size, rate_lo, rate_hi, &samples, err);
    if (st != IP_OK || batch == 0) return st;
    if (roles == NULL) return ip_fail(err, IP_ERR_NULL, "roles", "roles is NULL");
#pragma omp parallel for schedule(static) if (samples * n > IP_OMP_MIN_ELEMENTS)
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

/* Sizes (the callers ran ip_loss_check_roles), pointers, and every role byte, before anything is written.
 * `input` / `output` name the arrays a and b in the report (h / out, or grad_out / grad_h). */
static ip_status check_mask_args(const void *a, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles,
                                 const void *b, const char *input, const char *output, ip_error *err) {
    int64_t samples, total, units;
    if (batch < 0 || n < 0)
        return ip_fail(err, IP_ERR_RANGE, "h", "h has a batch of %" PRId64 " and %" PRId64 " units; both must be >= 0",
                       batch, n);
    if (contexts < 1) return ip_fail(err, IP_ERR_RANGE, "contexts", "contexts = %" PRId64 " must be >= 1", contexts);
    if (!ip_mul_fits(batch, contexts, &samples) || !ip_mul_fits(samples, n, &units) ||
        !ip_mul_fits(units, IP_LOSS_VARIANTS, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "contexts",
                       "contexts = %" PRId64 " makes batch * contexts * 4 * units (%" PRId64 " * %" PRId64 " * 4 * %" PRId64
                       ") overflow int64",
                       contexts, batch, contexts, n);
    if (units == 0) return IP_OK;
    if (a == NULL) return ip_fail(err, IP_ERR_NULL, input, "%s is NULL", input);
    if (roles == NULL) return ip_fail(err, IP_ERR_NULL, "roles", "roles is NULL");
    if (b == NULL) return ip_fail(err, IP_ERR_NULL, output, "%s is NULL", output);
    int64_t first = units;
#pragma omp parallel for reduction(min : first) if (units > IP_OMP_MIN_ELEMENTS)
    for (int64_t k = 0; k < units; ++k)
        if (roles[k] > IP_ROLE_B && k < first) first = k;
    if (first < units)
        return ip_fail(err, IP_ERR_RANGE, "roles",
                       "roles[%" PRId64 ", %" PRId64 "] = %d is not a role (0 out, 1 S, 2 A, 3 B)", first / n, first % n,
                       (int)roles[first]);
    return IP_OK;
}

static ip_status check_rewards(const void *rewards, int64_t samples, const void *out, const char *output,
                               ip_error *err) {
    int64_t total;
    if (samples < 1)
        return ip_fail(err, IP_ERR_RANGE, "rewards", "rewards has %" PRId64 " samples; needs at least one sample of 4 rewards",
                       samples);
    if (!ip_mul_fits(samples, IP_LOSS_VARIANTS, &total))
        return ip_fail(err, IP_ERR_TOO_LARGE, "rewards", "rewards has %" PRId64 " samples: 4 * samples overflows int64",
                       samples);
    if (rewards == NULL) return ip_fail(err, IP_ERR_NULL, "rewards", "rewards is NULL");
    if (out == NULL) return ip_fail(err, IP_ERR_NULL, output, "%s is NULL", output);
    return IP_OK;
}

/* One algorithm, two element types: T is float or double, SUFFIX names the version. */
#define IP_DEFINE_LOSS_KERNELS(T, SUFFIX)                                                                        \
    ip_status ip_loss_mask_##SUFFIX(const T *h, int64_t batch, int64_t contexts, int64_t n, const uint8_t *roles, \
                                    T *out, ip_error *err) {                                                     \
        const ip_status st = check_mask_args(h, batch, contexts, n, roles, out, "h", "out", err);                            \
        if (st != IP_OK || batch == 0 || n == 0) return st;                                                     \
        const int64_t samples = batch * contexts;                                                              \
        _Pragma("omp parallel for schedule(static) if (samples * n > IP_OMP_MIN_ELEMENTS)")                    \
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
                                             const uint8_t *roles, T *grad_h, ip_error *err) {                   \
        const ip_status st = check_mask_args(grad_out, batch, contexts, n, roles, grad_h, "grad_out", "grad_h", err);                  \
        if (st != IP_OK || batch == 0 || n == 0) return st;                                                     \
        _Pragma("omp parallel for schedule(static) if (batch * contexts * n > IP_OMP_MIN_ELEMENTS)")           \
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
    ip_status ip_loss_delta_##SUFFIX(const T *rewards, int64_t samples, T *delta, ip_error *err) {              \
        const ip_status st = check_rewards(rewards, samples, delta, "delta", err);                                       \
        if (st != IP_OK) return st;                                                                             \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *f = rewards + 4 * s;                                                                       \
            delta[s] = (T)ip_variant_delta(f[0], f[1], f[2], f[3]);                                             \
        }                                                                                                       \
        return IP_OK;                                                                                           \
    }                                                                                                           \
                                                                                                                \
    ip_status ip_loss_delta_sq_mean_##SUFFIX(const T *rewards, int64_t samples, T *loss, ip_error *err) {       \
        const ip_status st = check_rewards(rewards, samples, loss, "loss", err);                                        \
        if (st != IP_OK) return st;                                                                             \
        double sum = 0.0;                                                                                       \
        _Pragma("omp parallel for reduction(+ : sum) schedule(static) if (samples > IP_OMP_MIN_ELEMENTS)")     \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *f = rewards + 4 * s;                                                                       \
            const double d = ip_variant_delta(f[0], f[1], f[2], f[3]);                                          \
            sum += d * d;                                                                                       \
        }                                                                                                       \
        *loss = (T)(sum / (double)samples);                                                                     \
        return IP_OK;                                                                                           \
    }                                                                                                           \
                                                                                                                \
    ip_status ip_loss_delta_sq_mean_backward_##SUFFIX(double grad, const T *rewards, int64_t samples,            \
                                                      T *grad_rewards, ip_error *err) {                          \
        const ip_status st = check_rewards(rewards, samples, grad_rewards, "grad_rewards", err);                                \
        if (st != IP_OK) return st;                                                                             \
        const double scale = 2.0 * grad / (double)samples;                                                      \
        for (int64_t s = 0; s < samples; ++s) {                                                                 \
            const T *f = rewards + 4 * s;                                                                       \
            T *g = grad_rewards + 4 * s;                                                                        \
            const double d = scale * ip_variant_delta(f[0], f[1], f[2], f[3]);                                  \
            g[0] = (T)d;                                                                                        \
            g[1] = (T)-d;                                                                                       \
            g[2] = (T)-d;                                                                                       \
            g[3] = (T)d;                                                                                        \
        }                                                                                                       \
        return IP_OK;                                                                                           \
    }

IP_DEFINE_LOSS_KERNELS(float, f32)
IP_DEFINE_LOSS_KERNELS(double, f64)
