/* hotline C ABI: business calendars (hours, holidays, make-up workdays, IANA zones). */
#ifndef HOTLINE_CALENDAR_H
#define HOTLINE_CALENDAR_H

#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An immutable calendar. Thread-safe: any number of threads may query one handle at once. */
typedef struct hotline_calendar hotline_calendar;

/* Kind of day that produced a segment. */
typedef enum hotline_day_kind {
  HOTLINE_DAY_REGULAR = 0,
  HOTLINE_DAY_HOLIDAY = 1,
  HOTLINE_DAY_HALF_DAY = 2,
  HOTLINE_DAY_WORKDAY = 3
} hotline_day_kind;

/* One open stretch of business time and the rule that produced it. */
typedef struct hotline_calendar_segment {
  hotline_time_ms start; /* inclusive, UTC */
  hotline_time_ms end;   /* exclusive, UTC */
  int year, month, day;  /* the local date whose rule produced it */
  hotline_day_kind kind;
  int version;      /* index of the weekly-hours version in effect */
  const char* name; /* special day's name or ""; owned by the calendar, valid while it lives */
} hotline_calendar_segment;

/* Parses a JSON definition of len bytes (not necessarily NUL-terminated). On success *out owns a
 * new calendar (release with hotline_calendar_free). On failure *out is NULL, the status is
 * HOTLINE_EDEFINITION (or ELIMIT) and hotline_error_where() names the JSON pointer or line. */
HOTLINE_API int hotline_calendar_from_json(hotline_calendar** out, const char* json, size_t len);

/* As hotline_calendar_from_json, reading a file (HOTLINE_EIO when it cannot be read). */
HOTLINE_API int hotline_calendar_load(hotline_calendar** out, const char* path);

/* A 7x24 calendar in an IANA zone (HOTLINE_EDEFINITION for an unknown zone). */
HOTLINE_API int hotline_calendar_new_always_open(hotline_calendar** out, const char* time_zone);

/* Releases a calendar. NULL is fine. */
HOTLINE_API void hotline_calendar_free(hotline_calendar* cal);

/* The zone name; owned by the calendar. NULL for a NULL calendar. */
HOTLINE_API const char* hotline_calendar_time_zone(const hotline_calendar* cal);

/* *out = whether the calendar is open at t. */
HOTLINE_API int hotline_calendar_is_open(bool* out, const hotline_calendar* cal, hotline_time_ms t);

/* *out = first open instant >= t. *found = false (and *out = t) when it never opens within ten
 * years. found may be NULL. */
HOTLINE_API int hotline_calendar_next_open(hotline_time_ms* out, bool* found,
                                           const hotline_calendar* cal, hotline_time_ms t);

/* *out = first instant >= t at which it closes; *found = false when it stays open ten years. */
HOTLINE_API int hotline_calendar_next_close(hotline_time_ms* out, bool* found,
                                            const hotline_calendar* cal, hotline_time_ms t);

/* *out = the deadline after d of business time from t. HOTLINE_EINVALID for d < 0. */
HOTLINE_API int hotline_calendar_add_business(hotline_time_ms* out, const hotline_calendar* cal,
                                              hotline_time_ms t, hotline_duration_ms d);

/* *out = business time in [a, b) (negative when b < a). */
HOTLINE_API int hotline_calendar_business_between(hotline_duration_ms* out,
                                                  const hotline_calendar* cal, hotline_time_ms a,
                                                  hotline_time_ms b);

/* Fills out[0..capacity) with the open segments that intersect [a, b), clipped, and sets *count to
 * how many there are. When capacity is too small, writes nothing, sets *count and returns
 * HOTLINE_EBUFFER: call again with a larger buffer. out may be NULL when capacity is 0. */
HOTLINE_API int hotline_calendar_explain(hotline_calendar_segment* out, size_t capacity,
                                         size_t* count, const hotline_calendar* cal,
                                         hotline_time_ms a, hotline_time_ms b);

/* Formats t in the calendar's zone ("2025-01-27T09:00:00+08:00") into buf of size cap, NUL-
 * terminated. *needed (may be NULL) gets the length without the NUL; HOTLINE_EBUFFER when cap is
 * too small (buf untouched). */
HOTLINE_API int hotline_calendar_format_time(char* buf, size_t cap, size_t* needed,
                                             const hotline_calendar* cal, hotline_time_ms t);

/* Parses local time in the calendar's zone ("2025-01-27 09:00") or ISO 8601 with an offset. */
HOTLINE_API int hotline_calendar_parse_time(hotline_time_ms* out, const hotline_calendar* cal,
                                            const char* text);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_CALENDAR_H */
