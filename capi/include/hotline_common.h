/* hotline C ABI: status codes, errors, version, time representation. */
#ifndef HOTLINE_COMMON_H
#define HOTLINE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(HOTLINE_C_BUILDING)
#define HOTLINE_API __declspec(dllexport)
#else
#define HOTLINE_API __declspec(dllimport)
#endif
#elif defined(HOTLINE_C_BUILDING)
#define HOTLINE_API __attribute__((visibility("default")))
#else
#define HOTLINE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: every entry point returns 0 or one of these. The values are pinned. */
enum {
  HOTLINE_OK = 0,
  HOTLINE_ERROR = -1,       /* unclassified failure */
  HOTLINE_EINVALID = -2,    /* bad argument (including NULL) */
  HOTLINE_EDEFINITION = -3, /* a definition document failed to parse or validate */
  HOTLINE_ENOTFOUND = -4,   /* unknown id, name, zone or file */
  HOTLINE_ESTATE = -5,      /* operation not allowed in the current state */
  HOTLINE_EEXISTS = -6,     /* duplicate id, key or command */
  HOTLINE_EIO = -7,         /* file or database I/O failed */
  HOTLINE_ELIMIT = -8,      /* a size, depth or range limit was exceeded */
  HOTLINE_ENOMEM = -9,      /* out of memory */
  HOTLINE_EBUFFER = -10,    /* the caller's buffer is too small; the needed size is reported */
  HOTLINE_EINTERNAL = -11   /* a bug in hotline */
};

/* Instants are milliseconds since 1970-01-01T00:00:00Z (UTC); durations are milliseconds. */
typedef int64_t hotline_time_ms;
typedef int64_t hotline_duration_ms;

/* The message of the last failed call on this thread ("" after success is NOT guaranteed: read it
 * only after a call returned non-zero). Owned by hotline; valid until the next call on this thread.
 */
HOTLINE_API const char* hotline_error_last(void);

/* Where the last failure happened on this thread (JSON pointer, line/column or argument name),
 * "" when it had no location. Same lifetime as hotline_error_last(). */
HOTLINE_API const char* hotline_error_where(void);

/* Stable short name of a status code, e.g. "EDEFINITION". Static storage. */
HOTLINE_API const char* hotline_status_name(int status);

/* Product version of the linked library, e.g. "0.1.0". Static storage. Any argument may be NULL. */
HOTLINE_API const char* hotline_version(int* major, int* minor, int* patch);

/* Version of the C ABI (the shared library's SOVERSION). */
HOTLINE_API int hotline_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_COMMON_H */
