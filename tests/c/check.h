/* A tiny assert-style harness for the C tests of the core (no framework): every check counts, a failed
 * one prints file:line and the expression and the run continues; main returns non-zero on any failure.
 *
 *   ip_error err;
 *   OK(ip_foo(..., &err));                              status IP_OK
 *   FAILS(IP_ERR_RANGE, "count", ip_foo(..., &err));    that status, err.argument == "count", and a
 *                                                       one-line err.detail that starts with "count"
 * Built with -fsanitize=address,undefined (make sanitize): a memory error or UB aborts the run. */
#ifndef INTERPLAY_TESTS_C_CHECK_H
#define INTERPLAY_TESTS_C_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"

extern int ip_test_checks, ip_test_failures;

void ip_test_fail(const char *file, int line, const char *what, const char *detail);
void ip_test_status(const char *file, int line, const char *call, ip_status got, const ip_error *err,
                    ip_status want, const char *argument, int detail_starts_with_argument);

#define CHECK(cond)                                                      \
    do {                                                                 \
        ++ip_test_checks;                                                \
        if (!(cond)) ip_test_fail(__FILE__, __LINE__, #cond, NULL);      \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                \
    do {                                                                                     \
        ++ip_test_checks;                                                                    \
        const double a_ = (a), b_ = (b);                                                     \
        if (!(fabs(a_ - b_) <= (tol))) {                                                     \
            char d_[96];                                                                     \
            snprintf(d_, sizeof d_, "%.17g vs %.17g", a_, b_);                               \
            ip_test_fail(__FILE__, __LINE__, #a " ~= " #b, d_);                              \
        }                                                                                    \
    } while (0)

#define OK(call) (ip_error_clear(&err), ip_test_status(__FILE__, __LINE__, #call, (call), &err, IP_OK, NULL, 1))
#define FAILS(code, argument, call) \
    (ip_error_clear(&err), ip_test_status(__FILE__, __LINE__, #call, (call), &err, (code), (argument), 1))

/* FAILS without the check that the detail starts with the argument: for reports of exact/ whose detail
 * names the argument in other words (see the report of issue #11) */

/* the test groups, one per core subsystem (tests/c/test_<subsystem>.c) */
void test_common(void);
void test_engine(void);
void test_loss(void);
void test_multivariate(void);
void test_exact(void);
void test_surrogate(void);

#endif
