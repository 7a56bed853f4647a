#include "common/status.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/parallel.h"

const char *ip_status_message(ip_status status) {
    switch (status) {
    case IP_OK: return "ok";
    case IP_ERR_NULL: return "a required array is missing (NULL pointer)";
    case IP_ERR_RANGE: return "out of range";
    case IP_ERR_TOO_LARGE: return "too large";
    case IP_ERR_NONFINITE: return "non-finite value (NaN or Inf)";
    case IP_ERR_NOMEM: return "out of memory";
    case IP_ERR_ARG: return "invalid argument";
    }
    return "unknown status";
}

ip_failure_class ip_status_class(ip_status status) {
    switch (status) {
    case IP_OK: return IP_FAILURE_NONE;
    case IP_ERR_RANGE:
    case IP_ERR_TOO_LARGE:
    case IP_ERR_NONFINITE:
    case IP_ERR_ARG: return IP_FAILURE_ARGUMENT;
    case IP_ERR_NOMEM: return IP_FAILURE_MEMORY;
    case IP_ERR_NULL: return IP_FAILURE_INTERNAL;
    }
    return IP_FAILURE_INTERNAL; /* not a code of ip_status */
}

void ip_error_clear(ip_error *err) {
    if (err == NULL) return;
    err->code = IP_OK;
    err->argument = NULL;
    err->detail[0] = '\0';
}

ip_status ip_fail(ip_error *err, ip_status code, const char *argument, const char *format, ...) {
    if (err == NULL) return code;
    err->code = code;
    err->argument = argument;
    va_list args;
    va_start(args, format);
    vsnprintf(err->detail, sizeof err->detail, format, args);
    va_end(args);
    return code;
}

ip_status ip_check_finite(const double *x, int64_t count, const char *argument, ip_error *err) {
    if (count <= 0) return IP_OK;
    if (x == NULL) return ip_fail(err, IP_ERR_NULL, argument, "%s is NULL", argument);
    int64_t first = count;
#pragma omp parallel for reduction(min : first) if (count > IP_OMP_MIN_ELEMENTS)
    for (int64_t k = 0; k < count; ++k)
        if (!isfinite(x[k]) && k < first) first = k;
    if (first == count) return IP_OK;
    return ip_fail(err, IP_ERR_NONFINITE, argument, "%s[%" PRId64 "] = %g is not finite (NaN or Inf)", argument,
                   first, x[first]);
}
