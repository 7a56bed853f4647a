/* Named OpenMP thresholds: a loop runs in parallel only above these amounts of work, so small
 * calls do not pay for starting threads. Every `#pragma omp ... if (...)` of the core uses one. */
#ifndef INTERPLAY_COMMON_PARALLEL_H
#define INTERPLAY_COMMON_PARALLEL_H

/* element-wise passes over arrays (scans, transforms, masks): elements per call */
#define IP_OMP_MIN_ELEMENTS 65536
/* butterfly passes of the subset transforms: pairs of table entries per pass */
#define IP_OMP_MIN_BUTTERFLIES 32768
/* loops whose iterations each draw or fill a whole sample (rows, contexts, designs) */
#define IP_OMP_MIN_SAMPLES 64
/* loops whose iterations are each an O(2^n) exact computation */
#define IP_OMP_MIN_EXACT_ITEMS 2

#endif
