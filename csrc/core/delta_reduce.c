#include "delta_reduce.h"

#include "engine_rows.h"

ip_status ip_check_plan(int64_t n_values, const int64_t *entry_output, const double *entry_weight, int64_t n_entries,
                        const int64_t *run_estimate, const int64_t *run_end, int64_t n_runs, int64_t n_estimates) {
    if ((n_entries > 0 && (entry_output == NULL || entry_weight == NULL)) ||
        (n_runs > 0 && (run_estimate == NULL || run_end == NULL)))
        return IP_ERR_NULL;
    if (n_values < 0 || n_entries < 0 || n_runs < 0 || n_estimates < 0) return IP_ERR_ARG;
    for (int64_t e = 0; e < n_entries; ++e) {
        if (entry_output[e] < 0 || entry_output[e] >= n_values) return IP_ERR_RANGE;
        if (!(entry_weight[e] - entry_weight[e] == 0.0)) return IP_ERR_NONFINITE;
    }
    int64_t previous = 0;
    for (int64_t r = 0; r < n_runs; ++r) {
        if (run_estimate[r] < 0 || run_estimate[r] >= n_estimates) return IP_ERR_RANGE;
        if (run_end[r] < previous || run_end[r] > n_entries) return IP_ERR_ARG;
        previous = run_end[r];
    }
    return (n_runs == 0 ? n_entries == 0 : previous == n_entries) ? IP_OK : IP_ERR_ARG;
}

ip_status ip_delta_reduce(const double *values, int64_t n_values, const int64_t *entry_output,
                          const double *entry_weight, int64_t n_entries, const int64_t *run_estimate,
                          const int64_t *run_end, int64_t n_runs, int64_t n_estimates, double *sums, double *sumsq) {
    if ((n_values > 0 && values == NULL) || (n_estimates > 0 && (sums == NULL || sumsq == NULL))) return IP_ERR_NULL;
    ip_status st = ip_check_plan(n_values, entry_output, entry_weight, n_entries, run_estimate, run_end, n_runs,
                                 n_estimates);
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
