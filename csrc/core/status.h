/* Status codes returned by every fallible function of the interplay C core.
 *
 * Invariant: a function that returns anything but IP_OK has written nothing to
 * its output arrays that the caller may rely on, and has freed what it allocated.
 */
#ifndef INTERPLAY_STATUS_H
#define INTERPLAY_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    IP_OK = 0,
    IP_ERR_NULL = 1,       /* a required pointer was NULL */
    IP_ERR_RANGE = 2,      /* a player index or count is out of range */
    IP_ERR_TOO_LARGE = 3,  /* n is too large for an exact method (memory or index width) */
    IP_ERR_NONFINITE = 4,  /* an input value is NaN or infinite */
    IP_ERR_NOMEM = 5,      /* an allocation failed */
    IP_ERR_ARG = 6         /* any other invalid argument (empty or overlapping sets, ...) */
} ip_status;

/* A static, human-readable description of a status code. Never NULL. */
const char *ip_status_message(ip_status status);

#ifdef __cplusplus
}
#endif

#endif
