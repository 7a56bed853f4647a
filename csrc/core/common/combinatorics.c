#include "common/combinatorics.h"

double ip_binomial(int64_t n, int64_t k) {
    if (k < 0 || k > n) return 0.0;
    if (k > n - k) k = n - k;
    double result = 1.0;
    for (int64_t t = 1; t <= k; ++t) result = result * (double)(n - k + t) / (double)t;
    return result;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b) {
    while (b) {
        const uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

int64_t ip_binomial_exact(int64_t n, int64_t k) {
    if (k < 0 || k > n) return 0;
    if (k > n - k) k = n - k;
    uint64_t c = 1; /* each step c = C(n-k+i, i) is an integer, increasing in i */
    for (int64_t i = 1; i <= k; ++i) {
        /* c * f / i without the product: i divides c * f, so after removing gcd(c, i) from c and i the rest of
         * i divides f. The step is then an exact product, which fits iff C(n-k+i, i) fits. */
        uint64_t f = (uint64_t)(n - k + i), d = (uint64_t)i;
        const uint64_t g = gcd_u64(c, d);
        c /= g, d /= g;
        f /= d; /* d divides f */
        if (c > (uint64_t)INT64_MAX / f) return -1;
        c *= f;
    }
    return (int64_t)c;
}

double ip_shapley_weight(int64_t s, int64_t m) { return 1.0 / ((double)(m + 1) * ip_binomial(m, s)); }
