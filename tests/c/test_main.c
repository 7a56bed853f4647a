/* The C tests of the core, run under AddressSanitizer and UndefinedBehaviorSanitizer by `make sanitize`
 * (and so by `make test`). Every core function family is called with tiny hand-computed cases and with
 * hostile arguments (NULL, negative and overflowing counts, n at its limits, NaN, overlapping and empty
 * sets), checking the status, the argument named in ip_error, and that outputs are untouched on failure. */
#include <stdlib.h>

#include "check.h"

int ip_test_checks = 0, ip_test_failures = 0;

void ip_test_fail(const char *file, int line, const char *what, const char *detail) {
    ++ip_test_failures;
    fprintf(stderr, "%s:%d: FAILED: %s%s%s\n", file, line, what, detail ? "  -- " : "", detail ? detail : "");
}

void ip_test_status(const char *file, int line, const char *call, ip_status got, const ip_error *err,
                    ip_status want, const char *argument, int detail_starts_with_argument) {
    ++ip_test_checks;
    char d[400];
    if (got != want) {
        snprintf(d, sizeof d, "status %d (%s), want %d; argument %s, detail '%s'", (int)got, ip_status_message(got),
                 (int)want, err->argument ? err->argument : "(null)", err->detail);
        ip_test_fail(file, line, call, d);
        return;
    }
    if (want == IP_OK) return;
    const size_t len = strlen(argument);
    if (err->code != want || err->argument == NULL || strcmp(err->argument, argument) != 0) {
        snprintf(d, sizeof d, "err.code %d, err.argument '%s', want '%s'", (int)err->code,
                 err->argument ? err->argument : "(null)", argument);
        ip_test_fail(file, line, call, d);
    } else if ((detail_starts_with_argument && strncmp(err->detail, argument, len) != 0) || err->detail[0] == '\0' ||
               strchr(err->detail, '\n') != NULL) {
        snprintf(d, sizeof d, "detail '%s' must be one line starting with '%s'", err->detail, argument);
        ip_test_fail(file, line, call, d);
    }
}

int main(void) {
    test_common();
    test_engine();
    test_loss();
    test_multivariate();
    test_exact();
    test_surrogate();
    printf("sanitize: %d checks, %d failed (core under -fsanitize=address,undefined)\n", ip_test_checks,
           ip_test_failures);
    return ip_test_failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
