#include "engine/combinations.h"

#include <inttypes.h>
#include <stdlib.h>

#include "common/combinatorics.h"
#include "common/player_set.h"

ip_status ip_combinations_count(int64_t n, int64_t t, int64_t *out, ip_error *err) {
    if (out == NULL) return ip_fail(err, IP_ERR_NULL, "out", "out is NULL");
    if (n < 1) return ip_fail(err, IP_ERR_RANGE, "n", "n = %" PRId64 " is out of range (need n >= 1)", n);
    if (t < 0 || t > n)
        return ip_fail(err, IP_ERR_RANGE, "t", "t = %" PRId64 " is out of range: need 0 <= t <= n = %" PRId64, t, n);
    const int64_t c = ip_binomial_exact(n, t);
    if (c < 0)
        return ip_fail(err, IP_ERR_TOO_LARGE, "t", "t = %" PRId64 ": C(%" PRId64 ", %" PRId64 ") is too large for int64",
                       t, n, t);
    *out = c;
    return IP_OK;
}

ip_status ip_combinations_check(int64_t n, int64_t t, int64_t rank0, int64_t count, ip_error *err) {
    int64_t total;
    ip_status st = ip_combinations_count(n, t, &total, err);
    if (st != IP_OK) return st;
    /* the masks are [count, ceil(n / 64)] words: n itself must leave room for that */
    if (n > IP_MAX_SET_PLAYERS)
        return ip_fail(err, IP_ERR_TOO_LARGE, "n", "n = %" PRId64 " is too large for packed player sets (at most %" PRId64 ")",
                       n, IP_MAX_SET_PLAYERS);
    if (rank0 < 0 || rank0 > total)
        return ip_fail(err, IP_ERR_RANGE, "rank0", "rank0 = %" PRId64 " is outside 0 .. C(n, t) = %" PRId64, rank0, total);
    if (count < 0) return ip_fail(err, IP_ERR_RANGE, "count", "count = %" PRId64 " must be >= 0", count);
    int64_t last; /* rank0 + count - 1, when it fits (count >= 1 here) */
    if (count > total - rank0)
        return ip_add_fits(rank0, count - 1, &last)
                   ? ip_fail(err, IP_ERR_RANGE, "count",
                             "count = %" PRId64 ": ranks %" PRId64 " .. %" PRId64 " are outside 0 .. C(n, t) - 1 = %" PRId64,
                             count, rank0, last, total - 1)
                   : ip_fail(err, IP_ERR_RANGE, "count",
                             "count = %" PRId64 ": ranks from %" PRId64 " on are outside 0 .. C(n, t) - 1 = %" PRId64,
                             count, rank0, total - 1);
    int64_t words;
    if (!ip_mul_fits(count, ip_mask_words(n), &words))
        return ip_fail(err, IP_ERR_TOO_LARGE, "count", "count = %" PRId64 " makes count * %" PRId64 " words overflow int64",
                       count, ip_mask_words(n));
    return IP_OK;
}

ip_status ip_combinations(int64_t n, int64_t t, int64_t rank0, int64_t count, uint64_t *masks, ip_error *err) {
    ip_status st = ip_combinations_check(n, t, rank0, count, err);
    if (st != IP_OK || count == 0) return st;
    if (masks == NULL) return ip_fail(err, IP_ERR_NULL, "masks", "masks is NULL");
    int64_t *c = (int64_t *)malloc((size_t)(t > 0 ? t : 1) * sizeof(int64_t));
    if (c == NULL) return ip_fail(err, IP_ERR_NOMEM, "t", "t = %" PRId64 ": out of memory", t);
    /* unrank rank0: at position q, skip the C(n-1-v, t-1-q) subsets whose q-th element is v */
    int64_t rank = rank0, v = 0;
    for (int64_t q = 0; q < t; ++q, ++v) {
        for (;; ++v) {
            const int64_t block = ip_binomial_exact(n - 1 - v, t - 1 - q); /* <= total: fits */
            if (rank < block) break;
            rank -= block;
        }
        c[q] = v;
    }
    const int64_t words = ip_mask_words(n);
    for (int64_t k = 0; k < count; ++k) {
        uint64_t *row = masks + k * words;
        ip_row_zero(row, words);
        for (int64_t q = 0; q < t; ++q) ip_row_set(row, c[q]);
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
