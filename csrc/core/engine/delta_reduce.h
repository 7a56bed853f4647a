/* The Δf reduction: from the values of a block of evaluated coalitions and a plan (designs.h),
 * accumulate every sample's contribution X to its estimate, and X², in a fixed order.
 *
 *   for r in 0 .. n_runs - 1 (in order):
 *       X = sum_{e in run r} entry_weight[e] * values[entry_output[e]]   (entries in order)
 *       sums[run_estimate[r]] += X;  sumsq[run_estimate[r]] += X * X
 *
 * values [n_values]; entry_output [n_entries] in [0, n_values); entry_weight finite; run_end
 * [n_runs] nondecreasing with run_end[n_runs - 1] == n_entries; run_estimate [n_runs] in
 * [0, n_estimates). With K samples in all, the estimate is sums / K and its standard error
 * sqrt((sumsq / K - mean²) / (K - 1)). Everything is checked before sums / sumsq are touched.
 */
#ifndef INTERPLAY_ENGINE_DELTA_REDUCE_H
#define INTERPLAY_ENGINE_DELTA_REDUCE_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

ip_status ip_delta_reduce(const double *values, int64_t n_values, const int64_t *entry_output,
                          const double *entry_weight, int64_t n_entries, const int64_t *run_estimate,
                          const int64_t *run_end, int64_t n_runs, int64_t n_estimates, double *sums, double *sumsq,
                          ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
