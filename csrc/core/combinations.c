#include "combinations.h"

#include <stdlib.h>

/* C(n, t) exactly, or -1 when it exceeds INT64_MAX (each step C(n-t+i, i) is an integer). */
static int64_t binomial_exact(int64_t n, int64_t t) {
    if (t < 0 || t > n) return 0;
    if (t > n - t) t = n - t;
    uint64_t c = 1;
    for (int64_t i = 1; i <= t; ++i) {
        const uint64_t f = (uint64_t)(n - t + i);
        if (c > (uint64_t)INT64_MAX / f) { /* c * f / i may still fit: reduce by gcd first */
            uint64_t a = c, b = (uint64_t)i;
            while (b) { const uint64_t r = a % b; a = b; b = r; }
            const uint64_t cg = c / a, ig = (uint64_t)i / a;
            if (cg > (uint64_t)INT64_MAX / f) return -1;
            c = cg * f / ig;
        } else {
            c = c * f / (uint64_t)i;
        }
    }
    return (int64_t)c;
}

ip_status ip_combinations_count(int64_t n, int64_t t, int64_t *out) {
    if (out == NULL) return IP_ERR_NULL;
    if (n < 0 || t < 0 || t > n) return IP_ERR_RANGE;
    const int64_t c = binomial_exact(n, t);
    if (c < 0) return IP_ERR_TOO_LARGE;
    *out = c;
    return IP_OK;
}

ip_status ip_combinations(int64_t n, int64_t t, int64_t rank0, int64_t count, uint64_t *masks) {
    if (n < 1 || t < 0 || t > n || rank0 < 0 || count < 0) return IP_ERR_RANGE;
    int64_t total;
    ip_status st = ip_combinations_count(n, t, &total);
    if (st != IP_OK) return st;
    if (count > total - rank0) return IP_ERR_RANGE;
    if (count == 0) return IP_OK;
    if (masks == NULL) return IP_ERR_NULL;
    int64_t *c = (int64_t *)malloc((size_t)(t > 0 ? t : 1) * sizeof(int64_t));
    if (c == NULL) return IP_ERR_NOMEM;
    /* unrank rank0: at position q, skip the C(n-1-v, t-1-q) subsets whose q-th element is v */
    int64_t rank = rank0, v = 0;
    for (int64_t q = 0; q < t; ++q, ++v) {
        for (;; ++v) {
            const int64_t block = binomial_exact(n - 1 - v, t - 1 - q); /* <= total: fits */
            if (rank < block) break;
            rank -= block;
        }
        c[q] = v;
    }
    const int64_t words = (n + 63) / 64;
    for (int64_t k = 0; k < count; ++k) {
        uint64_t *row = masks + k * words;
        for (int64_t w = 0; w < words; ++w) row[w] = 0;
        for (int64_t q = 0; q < t; ++q) row[c[q] >> 6] |= (uint64_t)1 << (c[q] & 63);
        /* next in lexicographic order: raise the last element that can still rise, reset those after it */
        int64_t q = t - 1;
        while (q >= 0 && c[q] == n - t + q) --q;
        if (q < 0) break; /* the last subset (only when k == count - 1) */
        ++c[q];
        for (int64_t r = q + 1; r < t; ++r) c[r] = c[r - 1] + 1;
    }
    free(c);
    return IP_OK;
}
