/* A counter-based random number generator shared by the C and the CUDA kernels.
 *
 * Every random number is a pure function of (seed, stream, counter): there is no state,
 * so a kernel can draw the k-th number of sample s in any order, on any thread, on the
 * CPU or the GPU, and get the same bits. The mixer is SplitMix64's finaliser applied to
 * a Weyl sequence keyed by the seed, then mixed again with the counter:
 * a counter-based generator in the style of SplitMix64 / Random123 (the tests check its
 * uniformity and CPU/CUDA agreement).
 *
 * Convention: `stream` names one sampled object (a coalition, a permutation, a sample
 * of the loss), `counter` the draw within it.
 */
#ifndef INTERPLAY_COMMON_COUNTER_RNG_H
#define INTERPLAY_COMMON_COUNTER_RNG_H

#include <stdint.h>

#if defined(__CUDACC__)
#define IP_HOST_DEVICE __host__ __device__
#else
#define IP_HOST_DEVICE
#endif

static inline IP_HOST_DEVICE uint64_t ip_mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* 64 random bits for (seed, stream, counter). */
static inline IP_HOST_DEVICE uint64_t ip_random_bits(uint64_t seed, uint64_t stream, uint64_t counter) {
    const uint64_t key = ip_mix64(seed + UINT64_C(0x9e3779b97f4a7c15) * (stream + 1));
    return ip_mix64(key ^ ip_mix64(counter + UINT64_C(0x632be59bd9b4e019)));
}

/* A uniform double in [0, 1) with 53 random bits. */
static inline IP_HOST_DEVICE double ip_random_uniform(uint64_t seed, uint64_t stream, uint64_t counter) {
    return (double)(ip_random_bits(seed, stream, counter) >> 11) * (1.0 / 9007199254740992.0);
}

/* A uniform integer in [0, bound) for bound >= 1 (Lemire's multiply-shift; bias < bound / 2^64). */
static inline IP_HOST_DEVICE uint64_t ip_random_below(uint64_t seed, uint64_t stream, uint64_t counter,
                                                      uint64_t bound) {
    const uint64_t x = ip_random_bits(seed, stream, counter);
#if defined(__CUDA_ARCH__)
    return __umul64hi(x, bound);
#elif defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 ip_u128;
    return (uint64_t)(((ip_u128)x * bound) >> 64);
#else
    return (uint64_t)((double)(x >> 11) * (1.0 / 9007199254740992.0) * (double)bound);
#endif
}

#endif
