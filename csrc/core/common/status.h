/* Status codes and the error report of every fallible function of the interplay C core.
 *
 * Every fallible function returns an ip_status and takes a last argument `ip_error *err` (may be
 * NULL). On failure it fills *err with the code, the name of the argument that failed (a static
 * string) and a one-line detail that starts with that argument, e.g.
 *   "contexts = 4611686018427387905 makes batch * contexts * 4 overflow int64".
 * No globals, no static mutable buffers: the report lives in the caller's struct.
 *
 * Invariant: a function that returns anything but IP_OK has written nothing to its output arrays
 * that the caller may rely on, and has freed what it allocated.
 */
#ifndef INTERPLAY_COMMON_STATUS_H
#define INTERPLAY_COMMON_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    IP_OK = 0,
    IP_ERR_NULL = 1,       /* a required pointer was NULL */
    IP_ERR_RANGE = 2,      /* an index, count or size is out of range */
    IP_ERR_TOO_LARGE = 3,  /* too large for an exact method, or a size that overflows int64 */
    IP_ERR_NONFINITE = 4,  /* an input value is NaN or infinite */
    IP_ERR_NOMEM = 5,      /* an allocation failed */
    IP_ERR_ARG = 6         /* any other invalid argument (empty or overlapping sets, ...) */
} ip_status;

#define IP_ERROR_DETAIL_SIZE 200

typedef struct {
    ip_status code;
    const char *argument;             /* the argument that failed (a static string), or NULL */
    char detail[IP_ERROR_DETAIL_SIZE]; /* one line, starting with the argument */
} ip_error;

/* What a failed status says about its cause, for callers that turn statuses into their own error
 * classes (the op layer: ValueError, MemoryError, RuntimeError; csrc/ops/core_status.h):
 *   IP_FAILURE_ARGUMENT  the arguments are invalid (IP_ERR_RANGE, IP_ERR_TOO_LARGE, IP_ERR_NONFINITE,
 *                        IP_ERR_ARG): the same call always fails;
 *   IP_FAILURE_MEMORY    an allocation of the core failed (IP_ERR_NOMEM): the call may pass with more memory;
 *   IP_FAILURE_INTERNAL  the caller broke the core's contract (IP_ERR_NULL: a required array is NULL; a
 *                        caller that passes arrays of its own, as the op layer does, has a bug), or the
 *                        code is none of ip_status.
 * IP_OK is IP_FAILURE_NONE. */
typedef enum {
    IP_FAILURE_NONE = 0,
    IP_FAILURE_ARGUMENT = 1,
    IP_FAILURE_MEMORY = 2,
    IP_FAILURE_INTERNAL = 3
} ip_failure_class;

/* The class of a status (the table above); total: every int value of ip_status has one. */
ip_failure_class ip_status_class(ip_status status);

/* A static, human-readable description of a status code. Never NULL. */
const char *ip_status_message(ip_status status);

/* Resets *err to IP_OK (err may be NULL). */
void ip_error_clear(ip_error *err);

/* Fills *err (when not NULL) with code, argument and the printf-formatted detail; returns code. */
ip_status ip_fail(ip_error *err, ip_status code, const char *argument, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Overflow-checked size arithmetic on non-negative int64 values: *out = a * b (a + b); false when
 * the result does not fit in int64 (then *out is untouched). */
static inline bool ip_mul_fits(int64_t a, int64_t b, int64_t *out) {
    if (a < 0 || b < 0 || (a != 0 && b > INT64_MAX / a)) return false;
    *out = a * b;
    return true;
}

static inline bool ip_add_fits(int64_t a, int64_t b, int64_t *out) {
    if (a < 0 || b < 0 || a > INT64_MAX - b) return false;
    *out = a + b;
    return true;
}

/* The one finiteness check: IP_OK when x[0 .. count) are all finite, else IP_ERR_NONFINITE naming
 * `argument` and the first bad index. */
ip_status ip_check_finite(const double *x, int64_t count, const char *argument, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
