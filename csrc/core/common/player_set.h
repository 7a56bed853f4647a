/* Packed player sets, the one encoding of a set of players in the core (and in the op layer):
 * `words` = ceil(n / 64) uint64 words, bit p of word p / 64 = player p, bits >= n clear.
 * A batch of sets is [count, words], row-major. Shared by C and CUDA. */
#ifndef INTERPLAY_COMMON_PLAYER_SET_H
#define INTERPLAY_COMMON_PLAYER_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "common/counter_rng.h" /* IP_HOST_DEVICE */

/* The most players of a packed set the core accepts: ceil(n / 64) and every per-sample size stay far
 * from int64 overflow (and far beyond any memory). */
#define IP_MAX_SET_PLAYERS ((int64_t)1 << 40)

/* Words of a set of n players; requires 0 <= n <= IP_MAX_SET_PLAYERS. */
static inline IP_HOST_DEVICE int64_t ip_mask_words(int64_t n) { return (n + 63) / 64; }

static inline IP_HOST_DEVICE bool ip_row_bit(const uint64_t *row, int64_t p) {
    return ((row[p >> 6] >> (p & 63)) & 1u) != 0;
}

static inline IP_HOST_DEVICE void ip_row_set(uint64_t *row, int64_t p) { row[p >> 6] |= (uint64_t)1 << (p & 63); }

static inline IP_HOST_DEVICE void ip_row_flip(uint64_t *row, int64_t p) { row[p >> 6] ^= (uint64_t)1 << (p & 63); }

static inline IP_HOST_DEVICE void ip_row_zero(uint64_t *row, int64_t words) {
    for (int64_t w = 0; w < words; ++w) row[w] = 0;
}

static inline IP_HOST_DEVICE void ip_row_copy(uint64_t *dst, const uint64_t *src, int64_t words) {
    for (int64_t w = 0; w < words; ++w) dst[w] = src[w];
}

/* The number of players in a row. */
static inline IP_HOST_DEVICE int64_t ip_row_count(const uint64_t *row, int64_t words) {
    int64_t c = 0;
    for (int64_t w = 0; w < words; ++w)
        for (uint64_t x = row[w]; x; x &= x - 1) ++c;
    return c;
}

/* true when the row has a bit at a position >= n (a player outside 0..n-1). */
static inline IP_HOST_DEVICE bool ip_row_beyond(const uint64_t *row, int64_t words, int64_t n) {
    if (n % 64 && (row[words - 1] >> (n % 64)) != 0) return true;
    return false;
}

#endif
