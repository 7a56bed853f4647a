#include "engine/delta_reduce.h"

#include <inttypes.h>

#include "engine/engine_rows.h"

static ip_status check_plan(int64_t n_values, const int64_t *entry_output, const double *entry_weight,
                            int64_t n_entries, const int64_t *run_estimate, const int64_t *run_end, int64_t n_runs,
                            int64_t n_estimates, ip_error *err) {
    if (n_entries > 0 && entry_output == NULL) return ip_fail(err, IP_ERR_NULL, "entry_output", "entry_output is NULL");
    if (n_entries > 0 && entry_weight == NULL) return ip_fail(err, IP_ERR_NULL, "entry_weight", "entry_weight is NULL");
    if (n_runs > 0 && run_estimate == NULL) return ip_fail(err, IP_ERR_NULL, "run_estimate", "run_estimate is NULL");
    if (n_runs > 0 && run_end == NULL) return ip_fail(err, IP_ERR_NULL, "run_end", "run_end is NULL");
    for (int64_t e = 0; e < n_entries; ++e)
        if (entry_output[e] < 0 || entry_output[e] >= n_values)
            return ip_fail(err, IP_ERR_RANGE, "entry_output",
                           "entry_output[%" PRId64 "] = %" PRId64 " is out of range for %" PRId64 " values", e,
                           entry_output[e], n_values);
    ip_status st = ip_check_finite(entry_weight, n_entries, "entry_weight", err);
    if (st != IP_OK) return st;
    int64_t previous = 0;
    for (int64_t r = 0; r < n_runs; ++r) {
        if (run_estimate[r] < 0 || run_estimate[r] >= n_estimates)
            return ip_fail(err, IP_ERR_RANGE, "run_estimate",
                           "run_estimate[%" PRId64 "] = %" PRId64 " is out of range for %" PRId64 " estimates", r,
                           run_estimate[r], n_estimates);
        if (run_end[r] < previous || run_end[r] > n_entries)
            return ip_fail(err, IP_ERR_ARG, "run_end",
                           "run_end[%" PRId64 "] = %" PRId64 " must be nondecreasing and <= %" PRId64 " entries", r,
                           run_end[r], n_entries);
        previous = run_end[r];
    }
    if (previous != n_entries)
        return ip_fail(err, IP_ERR_ARG, "run_end", "run_end must end at the %" PRId64 " entries, ends at %" PRId64,
                       n_entries, previous);
    return IP_OK;
}

ip_status ip_delta_reduce(const double *values, int64_t n_values, const int64_t *entry_output,
                          const double *entry_weight, int64_t n_entries, const int64_t *run_estimate,
                          const int64_t *run_end, int64_t n_runs, int64_t n_estimates, double *sums, double *sumsq,
                          ip_error *err) {
    if (n_values < 0) return ip_fail(err, IP_ERR_RANGE, "values", "values has length %" PRId64 " < 0", n_values);
    if (n_entries < 0)
        return ip_fail(err, IP_ERR_RANGE, "entry_output", "entry_output has length %" PRId64 " < 0", n_entries);
    if (n_runs < 0) return ip_fail(err, IP_ERR_RANGE, "run_end", "run_end has length %" PRId64 " < 0", n_runs);
    if (n_estimates < 0) return ip_fail(err, IP_ERR_RANGE, "sums", "sums has length %" PRId64 " < 0", n_estimates);
    if (n_values > 0 && values == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values is NULL");
    if (n_estimates > 0 && sums == NULL) return ip_fail(err, IP_ERR_NULL, "sums", "sums is NULL");
    if (n_estimates > 0 && sumsq == NULL) return ip_fail(err, IP_ERR_NULL, "sumsq", "sumsq is NULL");
    ip_status st = check_plan(n_values, entry_output, entry_weight, n_entries, run_estimate, run_end, n_runs,
                              n_estimates, err);
    if (st != IP_OK) return st;
    int64_t start = 0;
    for (int64_t r = 0; r < n_runs; ++r) {
        double x = 0.0;
        for (int64_t e = start; e < run_end[r]; ++e) x = ip_fadd(x, ip_fmul(entry_weight[e], values[entry_output[e]]));
        start = run_end[r];
        const int64_t k = run_estimate[r];
        sums[k] = ip_fadd(sums[k], x);
        sumsq[k] = ip_fadd(sumsq[k], ip_fmul(x, x));
    }
    return IP_OK;
}
