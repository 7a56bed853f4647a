/* loss/: the interaction loss of the dropout paper (Eq. 9, App. G): sampling roles, masking, Δf. */
#include <stdlib.h>

#include "check.h"
#include "loss/interaction_loss.h"
#include "loss/loss_sampling.h"

static void sampling(void) {
    ip_error err;
    int64_t samples = -1;
    OK(ip_loss_check_sample(2, 3, 6, 2, 0.0, 1.0, &samples, &err));
    CHECK(samples == 6);
    OK(ip_loss_check_sample(0, 3, 6, 3, 0.5, 0.5, NULL, &err));

    const int64_t batch = 3, contexts = 4, n = 9, m = 2;
    uint8_t roles[3 * 4 * 9];
    OK(ip_loss_sample_roles(11, batch, contexts, n, m, 0.0, 1.0, roles, &err));
    for (int64_t s = 0; s < batch * contexts; ++s) {
        int counts[4] = {0, 0, 0, 0};
        for (int64_t u = 0; u < n; ++u) {
            CHECK(roles[s * n + u] <= IP_ROLE_B);
            if (roles[s * n + u] <= IP_ROLE_B) ++counts[roles[s * n + u]];
            /* A and B are the input's, shared by its contexts */
            const uint8_t first = roles[(s / contexts) * contexts * n + u];
            CHECK((roles[s * n + u] >= IP_ROLE_A) == (first >= IP_ROLE_A));
            if (first >= IP_ROLE_A) CHECK(roles[s * n + u] == first);
        }
        CHECK(counts[IP_ROLE_A] == m && counts[IP_ROLE_B] == m);
    }
    uint8_t again[3 * 4 * 9];
    OK(ip_loss_sample_roles(11, batch, contexts, n, m, 0.0, 1.0, again, &err));
    CHECK(memcmp(roles, again, sizeof roles) == 0);
    /* keep-rate 1: every unit outside A and B is in S; keep-rate 0: none */
    OK(ip_loss_sample_roles(2, batch, contexts, n, m, 1.0, 1.0, roles, &err));
    for (int64_t k = 0; k < batch * contexts * n; ++k) CHECK(roles[k] != IP_ROLE_OUT);
    OK(ip_loss_sample_roles(2, batch, contexts, n, m, 0.0, 0.0, roles, &err));
    for (int64_t k = 0; k < batch * contexts * n; ++k) CHECK(roles[k] != IP_ROLE_S);
    /* |A| + |B| = n: no unit is left for S */
    OK(ip_loss_sample_roles(UINT64_MAX, 1, 1, 4, 2, 0.0, 1.0, roles, &err));

    memset(roles, 0xEE, sizeof roles);
    OK(ip_loss_sample_roles(1, 0, 4, 9, 2, 0.0, 1.0, NULL, &err)); /* an empty batch writes nothing */
    FAILS(IP_ERR_NULL, "roles", ip_loss_sample_roles(1, 1, 1, 9, 2, 0.0, 1.0, NULL, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_sample_roles(1, -1, 1, 9, 2, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_sample_roles(1, INT64_MIN, 1, 9, 2, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_sample_roles(1, 1, 1, 1, 1, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "contexts", ip_loss_sample_roles(1, 1, 0, 9, 2, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "contexts", ip_loss_sample_roles(1, 1, INT64_MIN, 9, 2, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "set_size", ip_loss_sample_roles(1, 1, 1, 9, 0, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "set_size", ip_loss_sample_roles(1, 1, 1, 9, 5, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "set_size", ip_loss_sample_roles(1, 1, 1, 9, INT64_MAX, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "rate_lo", ip_loss_sample_roles(1, 1, 1, 9, 2, NAN, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "rate_lo", ip_loss_sample_roles(1, 1, 1, 9, 2, -0.1, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "rate_lo", ip_loss_sample_roles(1, 1, 1, 9, 2, -INFINITY, 1.0, roles, &err));
    FAILS(IP_ERR_RANGE, "rate_hi", ip_loss_sample_roles(1, 1, 1, 9, 2, 0.0, NAN, roles, &err));
    FAILS(IP_ERR_RANGE, "rate_hi", ip_loss_sample_roles(1, 1, 1, 9, 2, 0.0, 1.5, roles, &err));
    FAILS(IP_ERR_RANGE, "rate_hi", ip_loss_sample_roles(1, 1, 1, 9, 2, 0.7, 0.6, roles, &err));
    /* issue #11: batch * contexts overflowed and the kernel wrote past a 4-row allocation */
    FAILS(IP_ERR_TOO_LARGE, "contexts",
          ip_loss_sample_roles(0, 4, (INT64_C(1) << 62) + 1, 4, 1, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_TOO_LARGE, "contexts", ip_loss_sample_roles(0, 3, INT64_MAX / 8, 4, 1, 0.0, 1.0, roles, &err));
    FAILS(IP_ERR_TOO_LARGE, "contexts", ip_loss_check_sample(INT64_MAX, 1, 2, 1, 0.0, 1.0, &samples, &err));
    for (size_t k = 0; k < sizeof roles; ++k) CHECK(roles[k] == 0xEE);
}

static void masks(void) {
    ip_error err;
    int64_t batch = -1;
    OK(ip_loss_check_roles(2, 4, 6, 4, 3, 1, &batch, &err));
    CHECK(batch == 2);
    OK(ip_loss_check_roles(24, 4, 6, 4, 3, 4, &batch, &err));
    CHECK(batch == 2);
    OK(ip_loss_check_roles(0, 4, 0, 4, 3, 4, &batch, &err));
    CHECK(batch == 0);
    batch = -1;
    FAILS(IP_ERR_ARG, "roles", ip_loss_check_roles(2, 4, 5, 4, 3, 1, &batch, &err));
    FAILS(IP_ERR_ARG, "roles", ip_loss_check_roles(2, 4, 6, 5, 3, 1, &batch, &err));
    FAILS(IP_ERR_ARG, "roles", ip_loss_check_roles(2, 4, -6, 4, 3, 1, &batch, &err));
    FAILS(IP_ERR_ARG, "grad", ip_loss_check_roles(25, 4, 6, 4, 3, 4, &batch, &err));
    FAILS(IP_ERR_RANGE, "contexts", ip_loss_check_roles(2, 4, 6, 4, 0, 1, &batch, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_check_roles(-2, 4, 6, 4, 1, 1, &batch, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_check_roles(2, -4, 6, 4, 1, 1, &batch, &err));
    FAILS(IP_ERR_ARG, "variants", ip_loss_check_roles(2, 4, 6, 4, 3, 0, &batch, &err));
    FAILS(IP_ERR_ARG, "variants", ip_loss_check_roles(2, 4, 6, 4, 3, -4, &batch, &err));
    FAILS(IP_ERR_NULL, "batch", ip_loss_check_roles(2, 4, 6, 4, 3, 1, NULL, &err));
    /* issue #11: 4 * contexts overflowed to 0 and the op divided by it (SIGFPE) */
    FAILS(IP_ERR_TOO_LARGE, "contexts", ip_loss_check_roles(16, 4, 4, 4, INT64_C(1) << 62, 4, &batch, &err));
    FAILS(IP_ERR_TOO_LARGE, "contexts", ip_loss_check_roles(INT64_MAX, 2, 4, 4, INT64_C(1) << 40, 1, &batch, &err));
    CHECK(batch == -1);

    /* roles (S, A, B, OUT) over h = (1, 2, 3, 4): variants SAB, SA, SB, S */
    const double h[4] = {1, 2, 3, 4};
    const uint8_t roles[4] = {IP_ROLE_S, IP_ROLE_A, IP_ROLE_B, IP_ROLE_OUT};
    const double want[16] = {1, 2, 3, 0, 1, 2, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0};
    double out[16];
    OK(ip_loss_mask_f64(h, 1, 1, 4, roles, out, &err));
    for (int k = 0; k < 16; ++k) CHECK(out[k] == want[k]);
    double ones[16], g[4];
    for (int k = 0; k < 16; ++k) ones[k] = 1.0;
    OK(ip_loss_mask_backward_f64(ones, 1, 1, 4, roles, g, &err));
    CHECK(g[0] == 4 && g[1] == 2 && g[2] == 2 && g[3] == 0);

    /* float: the backward is the adjoint of the mask, <mask(h), y> = <h, mask_backward(y)> */
    enum { B = 2, C = 3, N = 5 };
    float hf[B * N], y[B * C * 4 * N], mf[B * C * 4 * N], gf[B * N];
    uint8_t r[B * C * N];
    OK(ip_loss_sample_roles(4, B, C, N, 1, 0.0, 1.0, r, &err));
    for (int k = 0; k < B * N; ++k) hf[k] = (float)(k % 7) - 2.5f;
    for (int k = 0; k < B * C * 4 * N; ++k) y[k] = (float)((k * 5) % 11) - 5.0f;
    OK(ip_loss_mask_f32(hf, B, C, N, r, mf, &err));
    OK(ip_loss_mask_backward_f32(y, B, C, N, r, gf, &err));
    double lhs = 0, rhs = 0;
    for (int k = 0; k < B * C * 4 * N; ++k) lhs += (double)mf[k] * y[k];
    for (int k = 0; k < B * N; ++k) rhs += (double)hf[k] * gf[k];
    CHECK_NEAR(lhs, rhs, 1e-9);
    OK(ip_loss_mask_f32(NULL, 0, 3, 5, NULL, NULL, &err)); /* nothing to do */
    OK(ip_loss_mask_f64(NULL, 2, 3, 0, NULL, NULL, &err));

    /* hostile: every role byte is validated before anything is written */
    uint8_t bad[4] = {IP_ROLE_S, 9, IP_ROLE_B, 255};
    for (int k = 0; k < 16; ++k) out[k] = -7.0;
    FAILS(IP_ERR_RANGE, "roles", ip_loss_mask_f64(h, 1, 1, 4, bad, out, &err));
    CHECK(strstr(err.detail, "roles[0, 1] = 9") != NULL);
    FAILS(IP_ERR_RANGE, "roles", ip_loss_mask_backward_f64(ones, 1, 1, 4, bad, g, &err));
    FAILS(IP_ERR_NULL, "h", ip_loss_mask_f64(NULL, 1, 1, 4, roles, out, &err));
    FAILS(IP_ERR_NULL, "roles", ip_loss_mask_f64(h, 1, 1, 4, NULL, out, &err));
    FAILS(IP_ERR_NULL, "out", ip_loss_mask_f64(h, 1, 1, 4, roles, NULL, &err));
    FAILS(IP_ERR_NULL, "grad_out", ip_loss_mask_backward_f32(NULL, 1, 1, 4, roles, gf, &err));
    FAILS(IP_ERR_NULL, "grad_h", ip_loss_mask_backward_f32(y, 1, 1, 4, roles, NULL, &err));
    FAILS(IP_ERR_RANGE, "contexts", ip_loss_mask_f64(h, 1, 0, 4, roles, out, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_mask_f64(h, -1, 1, 4, roles, out, &err));
    FAILS(IP_ERR_RANGE, "h", ip_loss_mask_f64(h, 1, 1, -4, roles, out, &err));
    FAILS(IP_ERR_TOO_LARGE, "contexts", ip_loss_mask_f64(h, 2, INT64_C(1) << 62, 4, roles, out, &err));
    FAILS(IP_ERR_TOO_LARGE, "contexts", ip_loss_mask_backward_f64(ones, 4, INT64_C(1) << 60, 4, roles, g, &err));
    for (int k = 0; k < 16; ++k) CHECK(out[k] == -7.0);
}

static void deltas(void) {
    ip_error err;
    const double f[8] = {1, 2, 3, 10, 5, 5, 5, 5}; /* Δf = 6 and 0 */
    double d[2], loss = -1, grad[8];
    OK(ip_loss_delta_f64(f, 2, d, &err));
    CHECK(d[0] == 6.0 && d[1] == 0.0);
    OK(ip_loss_delta_sq_mean_f64(f, 2, &loss, &err));
    CHECK(loss == 18.0);
    OK(ip_loss_delta_sq_mean_backward_f64(0.5, f, 2, grad, &err)); /* 0.5 * 2 * 6 / 2 = 3 */
    CHECK(grad[0] == 3.0 && grad[1] == -3.0 && grad[2] == -3.0 && grad[3] == 3.0 && grad[4] == 0.0);
    const float ff[4] = {1e30f, -1e30f, -1e30f, 1e30f}; /* accumulated in double: (4e30)^2 overflows float */
    float lf = 0, df[1], gf[4];
    OK(ip_loss_delta_sq_mean_f32(ff, 1, &lf, &err));
    CHECK(isinf(lf));
    OK(ip_loss_delta_f32(ff, 1, df, &err));
    CHECK(df[0] == 4e30f);
    OK(ip_loss_delta_sq_mean_backward_f32(1.0, ff, 1, gf, &err));
    CHECK(gf[0] == 8e30f && gf[1] == -8e30f);
    const double nan4[4] = {NAN, 0, 0, 0};
    OK(ip_loss_delta_sq_mean_f64(nan4, 1, &loss, &err)); /* NaN in, NaN out: propagated, never skipped */
    CHECK(isnan(loss));

    loss = -1;
    FAILS(IP_ERR_RANGE, "rewards", ip_loss_delta_f64(f, 0, d, &err));
    FAILS(IP_ERR_RANGE, "rewards", ip_loss_delta_sq_mean_f64(f, -1, &loss, &err));
    FAILS(IP_ERR_TOO_LARGE, "rewards", ip_loss_delta_sq_mean_backward_f64(1.0, f, INT64_MAX / 2, grad, &err));
    FAILS(IP_ERR_NULL, "rewards", ip_loss_delta_f32(NULL, 1, df, &err));
    FAILS(IP_ERR_NULL, "delta", ip_loss_delta_f32(ff, 1, NULL, &err));
    FAILS(IP_ERR_NULL, "loss", ip_loss_delta_sq_mean_f64(f, 2, NULL, &err));
    FAILS(IP_ERR_NULL, "grad_rewards", ip_loss_delta_sq_mean_backward_f64(1.0, f, 2, NULL, &err));
    CHECK(loss == -1);
}

void test_loss(void) {
    sampling();
    masks();
    deltas();
}
