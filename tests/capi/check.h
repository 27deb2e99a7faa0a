/* A tiny test harness for the C tests of the C ABI (C99, no dependencies). */
#ifndef HOTLINE_TEST_CHECK_H
#define HOTLINE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline.h"

static int check_failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++check_failures;                                                        \
    }                                                                          \
  } while (0)

/* Expects status == expected; prints hotline_error_last() on mismatch. */
#define CHECK_STATUS(expr, expected)                                                          \
  do {                                                                                        \
    int check_status_ = (expr);                                                               \
    if (check_status_ != (expected)) {                                                        \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", __FILE__, __LINE__, #expr, \
              hotline_status_name(check_status_), hotline_status_name(expected),              \
              hotline_error_last());                                                          \
      ++check_failures;                                                                       \
    }                                                                                         \
  } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, HOTLINE_OK)

#define CHECK_EQ_I64(a, b)                                                                    \
  do {                                                                                        \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                           \
    if (check_a_ != check_b_) {                                                               \
      fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, check_a_, \
              check_b_);                                                                      \
      ++check_failures;                                                                       \
    }                                                                                         \
  } while (0)

#define CHECK_CONTAINS(haystack, needle)                                             \
  do {                                                                               \
    const char* check_h_ = (haystack);                                               \
    if (check_h_ == NULL || strstr(check_h_, (needle)) == NULL) {                    \
      fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
              check_h_ ? check_h_ : "(null)", (needle));                             \
      ++check_failures;                                                              \
    }                                                                                \
  } while (0)

static int check_report(const char* name) {
  if (check_failures == 0) {
    printf("%s: all checks passed\n", name);
    return 0;
  }
  fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
  return 1;
}

#endif
