#include "exact/partitions.h"

ip_status ip_partition_first(int m, ip_partition_family family, int *labels, ip_error *err) {
    if (labels == NULL) return ip_fail(err, IP_ERR_NULL, "labels", "labels is NULL");
    if (family != IP_PARTITIONS_CONTIGUOUS && family != IP_PARTITIONS_ALL)
        return ip_fail(err, IP_ERR_ARG, "family", "family = %d is not a partition family", (int)family);
    const int limit =
        family == IP_PARTITIONS_CONTIGUOUS ? IP_MAX_PARTITION_PLAYERS_CONTIGUOUS : IP_MAX_PARTITION_PLAYERS_ALL;
    if (m < 1) return ip_fail(err, IP_ERR_RANGE, "players", "players has m = %d entries: out of range (need >= 1)", m);
    if (m > limit)
        return ip_fail(err, IP_ERR_TOO_LARGE, "players", "players has m = %d entries: too large for the %s partitions (at most %d)",
                       m, family == IP_PARTITIONS_CONTIGUOUS ? "contiguous" : "all", limit);
    for (int k = 0; k < m; ++k) labels[k] = 0;
    return IP_OK;
}

/* Contiguous partitions: labels are non-decreasing with steps of 0 or 1, i.e. a binary
 * counter over the m-1 cuts (step k is 1 when players k-1 and k are separated). */
static bool next_contiguous(int m, int *labels) {
    int k = m - 1;
    while (k >= 1 && labels[k] != labels[k - 1]) --k; /* find the last joined boundary */
    if (k < 1) return false;
    labels[k] = labels[k - 1] + 1;                          /* cut there ... */
    for (int r = k + 1; r < m; ++r) labels[r] = labels[k]; /* ... and join everything after */
    return true;
}

/* Set partitions: restricted growth strings in lexicographic order. */
static bool next_set_partition(int m, int *labels) {
    for (int k = m - 1; k >= 1; --k) {
        int prefix_max = 0;
        for (int r = 0; r < k; ++r)
            if (labels[r] > prefix_max) prefix_max = labels[r];
        if (labels[k] <= prefix_max) {
            labels[k] += 1;
            for (int r = k + 1; r < m; ++r) labels[r] = 0;
            return true;
        }
    }
    return false;
}

bool ip_partition_next(int m, ip_partition_family family, int *labels) {
    if (labels == NULL || m < 1) return false;
    return family == IP_PARTITIONS_CONTIGUOUS ? next_contiguous(m, labels) : next_set_partition(m, labels);
}

int ip_partition_blocks(int m, const int *labels, uint64_t *masks) {
    int blocks = 0;
    for (int k = 0; k < m; ++k) {
        if (labels[k] >= blocks) {
            for (int b = blocks; b <= labels[k]; ++b) masks[b] = 0;
            blocks = labels[k] + 1;
        }
        masks[labels[k]] |= (uint64_t)1 << k;
    }
    return blocks;
}
