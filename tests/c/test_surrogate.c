/* surrogate/: the distance-only Walsh covariance (check, rows, and the whole matrix / product). */
#include <stdlib.h>

#include "check.h"
#include "common/combinatorics.h"
#include "surrogate/walsh_kernel.h"

/* ip_walsh_kernel and ip_walsh_kernel_product: the rows functions' bits over several blocks of rows
 * (more than IP_OMP_MIN_ELEMENTS entries: the parallel path, where OpenMP is on), and their checks. */
static void walsh_matrix(void) {
    ip_error err;
    enum { NA = 300, NB = 700, N = 20 };
    uint64_t *a = malloc(sizeof(uint64_t) * NA), *b = malloc(sizeof(uint64_t) * NB);
    double *out = malloc(sizeof(double) * NA * NB), *rows = malloc(sizeof(double) * NA * NB);
    double table[N + 1], weights[NB], product[NA], product_rows[NA];
    CHECK(a != NULL && b != NULL && out != NULL && rows != NULL);
    if (a == NULL || b == NULL || out == NULL || rows == NULL) goto done;
    uint64_t state = 12345u;
    for (int64_t i = 0; i < NA; ++i) a[i] = (state = state * 6364136223846793005u + 1442695040888963407u) >> 44;
    for (int64_t j = 0; j < NB; ++j) b[j] = (state = state * 6364136223846793005u + 1442695040888963407u) >> 44;
    for (int t = 0; t <= N; ++t) table[t] = 1.0 / (1.0 + t);
    for (int64_t j = 0; j < NB; ++j) weights[j] = (double)((j * 37) % 101) / 7.0 - 5.0;
    OK(ip_walsh_kernel(a, NA, b, NB, 1, table, N, out, &err));
    ip_walsh_kernel_rows(a, NA, b, NB, 1, table, rows);
    CHECK(memcmp(out, rows, sizeof(double) * NA * NB) == 0);
    OK(ip_walsh_kernel_product(a, NA, b, NB, 1, table, N, weights, product, &err));
    ip_walsh_kernel_product_rows(a, NA, b, NB, 1, table, weights, product_rows);
    CHECK(memcmp(product, product_rows, sizeof product) == 0);

    /* empty: nothing read or written; nb = 0: every sum is 0 */
    OK(ip_walsh_kernel(NULL, 0, b, NB, 1, NULL, N, NULL, &err));
    OK(ip_walsh_kernel(a, NA, NULL, 0, 1, NULL, N, NULL, &err));
    OK(ip_walsh_kernel_product(NULL, 0, b, NB, 1, NULL, N, NULL, NULL, &err));
    product[0] = product[1] = 7.0;
    OK(ip_walsh_kernel_product(a, 2, NULL, 0, 1, NULL, N, NULL, product, &err));
    CHECK(product[0] == 0.0 && product[1] == 0.0);

    /* the checks: the invariant, sizes, and NULL arrays where entries are read or written */
    out[0] = -1.0;
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel(a, NA, b, NB, 1, table, 2, out, &err)); /* players >= 2 */
    CHECK(out[0] == -1.0);                                                          /* untouched */
    FAILS(IP_ERR_RANGE, "table", ip_walsh_kernel(a, NA, b, NB, 1, table, 65, out, &err));
    const uint64_t nobody[1] = {0};
    FAILS(IP_ERR_RANGE, "b", ip_walsh_kernel_product(nobody, 1, b, NB, 1, table, 3, weights, product, &err));
    FAILS(IP_ERR_NULL, "table", ip_walsh_kernel(a, NA, b, NB, 1, NULL, N, out, &err));
    FAILS(IP_ERR_NULL, "out", ip_walsh_kernel(a, NA, b, NB, 1, table, N, NULL, &err));
    FAILS(IP_ERR_NULL, "weights", ip_walsh_kernel_product(a, NA, b, NB, 1, table, N, NULL, product, &err));
    FAILS(IP_ERR_NULL, "out", ip_walsh_kernel_product(a, NA, b, NB, 1, table, N, weights, NULL, &err));
    FAILS(IP_ERR_NULL, "out", ip_walsh_kernel_product(a, 2, NULL, 0, 1, NULL, N, NULL, NULL, &err));
    /* na * nb overflows int64: refused before any set is read */
    FAILS(IP_ERR_TOO_LARGE, "a", ip_walsh_kernel(a, INT64_MAX / 2, b, 3, 1, table, N, out, &err));
    FAILS(IP_ERR_TOO_LARGE, "a", ip_walsh_kernel_product(a, 3, b, INT64_MAX / 2, 1, table, N, weights, product, &err));
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel(a, -1, b, NB, 1, table, N, out, &err));
done:
    free(a), free(b), free(out), free(rows);
}

void test_surrogate(void) {
    ip_error err;
    const double table[5] = {10, 11, 12, 13, 14}; /* n = 4 players: the entry is 10 + distance */
    const uint64_t a[2] = {0x3, 0x0};           /* {0, 1}, {} */
    const uint64_t b[3] = {0x5, 0xF, 0x3};      /* {0, 2}, {0, 1, 2, 3}, {0, 1} */
    OK(ip_walsh_kernel_check(a, 2, b, 3, 1, 4, &err));
    double out[6] = {0};
    ip_walsh_kernel_rows(a, 2, b, 3, 1, table, out);
    const double want[6] = {12, 12, 10, 12, 14, 12};
    for (int k = 0; k < 6; ++k) CHECK(out[k] == want[k]);
    const double weights[3] = {1.0, -2.0, 0.5};
    double product[2] = {0};
    ip_walsh_kernel_product_rows(a, 2, b, 3, 1, table, weights, product);
    CHECK(product[0] == 12.0 - 24.0 + 5.0 && product[1] == 12.0 - 28.0 + 6.0);
    double many[9], ones[9], sum = 0.0; /* more than 4 entries: the partial sums and the tail */
    uint64_t nine[9];
    for (int j = 0; j < 9; ++j) nine[j] = (uint64_t)j & 0xF, ones[j] = (double)(j + 1);
    ip_walsh_kernel_product_rows(a, 1, nine, 9, 1, table, ones, many);
    for (int j = 0; j < 9; ++j) sum += table[ip_popcount(0x3 ^ nine[j])] * ones[j];
    CHECK(many[0] == sum);

    /* two words: players 0 and 100 against player 100 alone and against nobody */
    const double wide[129] = {[0] = 1.0, [1] = 2.0, [2] = 3.0};
    const uint64_t a2[2] = {0x1, (uint64_t)1 << 36}, b2[4] = {0x0, (uint64_t)1 << 36, 0x0, 0x0};
    OK(ip_walsh_kernel_check(a2, 1, b2, 2, 2, 128, &err));
    double out2[2] = {0};
    ip_walsh_kernel_rows(a2, 1, b2, 2, 2, wide, out2);
    CHECK(out2[0] == 2.0 && out2[1] == 3.0);
    const double half[2] = {0.5, 0.25};
    double product2[1] = {0};
    ip_walsh_kernel_product_rows(a2, 1, b2, 2, 2, wide, half, product2);
    CHECK(product2[0] == 2.0 * 0.5 + 3.0 * 0.25);

    /* the invariant: no player >= n, 0 <= n <= 64 words, rows >= 0, no NULL with rows */
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel_check(a, 2, b, 3, 1, 1, &err));       /* a[0] holds player 1 */
    FAILS(IP_ERR_RANGE, "b", ip_walsh_kernel_check(a, 1, b, 3, 1, 2, &err));       /* b[0] holds player 2 */
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel_check(a2, 1, b2, 2, 2, 64, &err));    /* a[0] holds player 100 */
    FAILS(IP_ERR_RANGE, "b", ip_walsh_kernel_check(a, 1, b2, 2, 2, 64, &err));     /* b[1] holds player 100 */
    FAILS(IP_ERR_RANGE, "table", ip_walsh_kernel_check(a, 2, b, 3, 1, 65, &err)); /* n > 64 words */
    FAILS(IP_ERR_RANGE, "table", ip_walsh_kernel_check(a, 2, b, 3, 1, -1, &err));
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel_check(a, 2, b, 3, 0, 4, &err));      /* no words */
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel_check(a, 2, b, 3, INT64_MAX, 4, &err));
    FAILS(IP_ERR_RANGE, "a", ip_walsh_kernel_check(a, -1, b, 3, 1, 4, &err));
    FAILS(IP_ERR_NULL, "a", ip_walsh_kernel_check(NULL, 2, b, 3, 1, 4, &err));
    FAILS(IP_ERR_NULL, "b", ip_walsh_kernel_check(a, 2, NULL, 3, 1, 4, &err));
    OK(ip_walsh_kernel_check(NULL, 0, NULL, 0, 1, 4, &err)); /* empty: nothing to read */
    OK(ip_walsh_kernel_check(a, 2, b, 3, 1, 64, &err));      /* n = 64: every bit of the word */

    walsh_matrix();
}
