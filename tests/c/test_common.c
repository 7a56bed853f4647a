/* common/: combinatorics, the status report, overflow-checked sizes, packed sets, the RNG and the
 * subset sampler. */
#include <float.h>

#include "check.h"
#include "common/combinatorics.h"
#include "common/counter_rng.h"
#include "common/player_set.h"
#include "common/subset_sampling.h"

static void combinatorics(void) {
    CHECK(ip_popcount(0) == 0 && ip_popcount(0xffu) == 8 && ip_popcount(UINT64_MAX) == 64);
    CHECK(ip_binomial(5, 2) == 10.0 && ip_binomial(5, -1) == 0.0 && ip_binomial(5, 6) == 0.0);
    CHECK(ip_binomial_exact(0, 0) == 1 && ip_binomial_exact(10, 3) == 120 && ip_binomial_exact(3, 4) == 0);
    CHECK(ip_binomial_exact(-1, 0) == 0 && ip_binomial_exact(4, -2) == 0);
    CHECK(ip_binomial_exact(66, 33) == INT64_C(7219428434016265740)); /* the largest central C(n, n/2) in int64 */
    CHECK(ip_binomial_exact(68, 34) == -1);                              /* 2.8e19 > INT64_MAX */
    CHECK(ip_binomial_exact(INT64_MAX, 1) == INT64_MAX);
    CHECK(ip_binomial_exact(INT64_MAX, INT64_MAX - 1) == INT64_MAX);
    CHECK(ip_binomial_exact(INT64_MAX, 2) == -1);
    /* s! (m - s)! / (m + 1)!: m = 2 gives 1/3, 1/6, 1/3 */
    CHECK_NEAR(ip_shapley_weight(0, 2), 1.0 / 3, 1e-15);
    CHECK_NEAR(ip_shapley_weight(1, 2), 1.0 / 6, 1e-15);
    CHECK_NEAR(ip_shapley_weight(0, 0), 1.0, 0);
}

static void status(void) {
    for (int s = IP_OK; s <= IP_ERR_ARG; ++s) CHECK(ip_status_message((ip_status)s)[0] != '\0');
    CHECK(ip_status_message((ip_status)99) != NULL);
    /* the class of each status: what the op layer raises (ValueError, MemoryError, RuntimeError) */
    CHECK(ip_status_class(IP_OK) == IP_FAILURE_NONE);
    CHECK(ip_status_class(IP_ERR_RANGE) == IP_FAILURE_ARGUMENT && ip_status_class(IP_ERR_TOO_LARGE) == IP_FAILURE_ARGUMENT);
    CHECK(ip_status_class(IP_ERR_NONFINITE) == IP_FAILURE_ARGUMENT && ip_status_class(IP_ERR_ARG) == IP_FAILURE_ARGUMENT);
    CHECK(ip_status_class(IP_ERR_NOMEM) == IP_FAILURE_MEMORY);
    CHECK(ip_status_class(IP_ERR_NULL) == IP_FAILURE_INTERNAL);
    CHECK(ip_status_class((ip_status)99) == IP_FAILURE_INTERNAL && ip_status_class((ip_status)-1) == IP_FAILURE_INTERNAL);
    ip_error err;
    ip_error_clear(NULL); /* err may be NULL everywhere */
    CHECK(ip_fail(NULL, IP_ERR_RANGE, "x", "x = %d", 1) == IP_ERR_RANGE);
    CHECK(ip_fail(&err, IP_ERR_ARG, "x", "x = %s", "a very long detail that is cut to the buffer size "
                  "a very long detail that is cut to the buffer size a very long detail that is cut to the buffer "
                  "size a very long detail that is cut to the buffer size a very long detail") == IP_ERR_ARG);
    CHECK(strlen(err.detail) == IP_ERROR_DETAIL_SIZE - 1 && strcmp(err.argument, "x") == 0);
    ip_error_clear(&err);
    CHECK(err.code == IP_OK && err.argument == NULL && err.detail[0] == '\0');

    int64_t out = -7;
    CHECK(ip_mul_fits(INT64_C(3037000499), INT64_C(3037000499), &out) && out == INT64_C(9223372030926249001));
    out = -7;
    CHECK(!ip_mul_fits(INT64_C(3037000500), INT64_C(3037000500), &out) && out == -7);
    CHECK(!ip_mul_fits(-1, 2, &out) && !ip_mul_fits(2, -1, &out) && !ip_mul_fits(INT64_MAX, 2, &out));
    CHECK(ip_mul_fits(0, INT64_MAX, &out) && out == 0 && ip_mul_fits(INT64_MAX, 1, &out) && out == INT64_MAX);
    CHECK(ip_add_fits(INT64_MAX - 1, 1, &out) && out == INT64_MAX);
    CHECK(!ip_add_fits(INT64_MAX, 1, &out) && !ip_add_fits(-1, 0, &out) && !ip_add_fits(0, -1, &out));

    const double good[3] = {0.0, -1e308, DBL_MIN};
    const double bad[4] = {1.0, 2.0, NAN, INFINITY};
    OK(ip_check_finite(good, 3, "x", &err));
    OK(ip_check_finite(NULL, 0, "x", &err));
    OK(ip_check_finite(NULL, -5, "x", &err));
    FAILS(IP_ERR_NULL, "x", ip_check_finite(NULL, 1, "x", &err));
    FAILS(IP_ERR_NONFINITE, "weights", ip_check_finite(bad, 4, "weights", &err));
    CHECK(strstr(err.detail, "weights[2] = nan") != NULL);
    FAILS(IP_ERR_NONFINITE, "w", ip_check_finite(bad + 3, 1, "w", &err));
    CHECK(ip_check_finite(bad, 4, "x", NULL) == IP_ERR_NONFINITE);
}

static void player_sets(void) {
    uint64_t row[2] = {0, 0};
    CHECK(ip_mask_words(1) == 1 && ip_mask_words(64) == 1 && ip_mask_words(65) == 2);
    ip_row_set(row, 0), ip_row_set(row, 64), ip_row_set(row, 63);
    CHECK(row[0] == (UINT64_C(1) | UINT64_C(1) << 63) && row[1] == 1);
    CHECK(ip_row_bit(row, 64) && !ip_row_bit(row, 65) && ip_row_count(row, 2) == 3);
    ip_row_flip(row, 63);
    CHECK(ip_row_count(row, 2) == 2);
    CHECK(!ip_row_beyond(row, 2, 65) && ip_row_beyond(row, 2, 64 + 0 * 1 + 0) == false); /* n % 64 == 0: no padding */
    row[1] = 2;
    CHECK(ip_row_beyond(row, 2, 65) && !ip_row_beyond(row, 2, 66));
    uint64_t copy[2];
    ip_row_copy(copy, row, 2);
    CHECK(copy[0] == row[0] && copy[1] == row[1]);
    ip_row_zero(copy, 2);
    CHECK(copy[0] == 0 && copy[1] == 0);
}

static void rng_and_subsets(void) {
    /* pure functions of (seed, stream, counter) */
    CHECK(ip_random_bits(1, 2, 3) == ip_random_bits(1, 2, 3) && ip_random_bits(1, 2, 3) != ip_random_bits(1, 2, 4));
    CHECK(ip_random_bits(UINT64_MAX, UINT64_MAX, UINT64_MAX) == ip_random_bits(UINT64_MAX, UINT64_MAX, UINT64_MAX));
    double mean = 0.0;
    int64_t hist[7] = {0};
    for (uint64_t k = 0; k < 7000; ++k) {
        const double u = ip_random_uniform(5, 0, k);
        CHECK(u >= 0.0 && u < 1.0);
        mean += u / 7000;
        const uint64_t b = ip_random_below(5, 1, k, 7);
        CHECK(b < 7);
        if (b < 7) ++hist[b];
    }
    CHECK_NEAR(mean, 0.5, 0.02);
    for (int b = 0; b < 7; ++b) CHECK(hist[b] > 850 && hist[b] < 1150);
    CHECK(ip_random_below(9, 9, 9, 1) == 0);
    CHECK(ip_random_below(9, 9, 9, UINT64_MAX) < UINT64_MAX);

    /* Algorithm S: exactly `size` players, none excluded, none of ei / ej; uniform sizes over draws */
    const int64_t n = 70;
    uint64_t excluded[2] = {0xF0, 0};  /* players 4..7 */
    const int64_t m = ip_available_count(n, excluded, 0, 66);
    CHECK(m == 70 - 4 - 2);
    for (int64_t size = 0; size <= m; size += 16) {
        uint64_t out[2] = {0, 0};
        ip_subset_of_size(3, (uint64_t)size, n, excluded, 0, 66, m, size, out);
        CHECK(ip_row_count(out, 2) == size);
        CHECK((out[0] & (excluded[0] | 1u)) == 0 && !ip_row_bit(out, 66) && !ip_row_beyond(out, 2, n));
    }
    uint64_t all[2] = {0, 0};
    ip_subset_of_size(3, 1, n, excluded, 0, 66, m, m, all);
    CHECK(ip_row_count(all, 2) == m);
    uint64_t none[2] = {0, 0};
    ip_subset_of_size(3, 1, n, NULL, -1, -1, n, 0, none);
    CHECK(none[0] == 0 && none[1] == 0);
}

void test_common(void) {
    combinatorics();
    status();
    player_sets();
    rng_and_subsets();
}
