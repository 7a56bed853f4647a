#include "combinatorics.h"

int ip_popcount(uint64_t mask) {
    int count = 0;
    while (mask) {
        mask &= mask - 1;
        ++count;
    }
    return count;
}

double ip_binomial(int n, int k) {
    if (k < 0 || k > n) return 0.0;
    if (k > n - k) k = n - k;
    double result = 1.0;
    for (int t = 1; t <= k; ++t) result = result * (double)(n - k + t) / (double)t;
    return result;
}

double ip_shapley_weight(int s, int m) { return 1.0 / ((double)(m + 1) * ip_binomial(m, s)); }
