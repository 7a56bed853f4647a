/* surrogate/: the distance-only Walsh covariance (check and rows). */
#include "check.h"
#include "common/combinatorics.h"
#include "surrogate/walsh_kernel.h"

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
}
