/* C ABI of the calendar component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#include "check.h"

/* 2025-01-27T09:00:00+08:00 (Monday) in ms since the epoch: 2025-01-27T01:00:00Z. */
#define T_2025_01_27_0100Z 1737939600000LL
#define HOUR 3600000LL

static const char* kDept =
    "{\"name\": \"dept\", \"time_zone\": \"Asia/Shanghai\","
    " \"hours\": {\"mon-fri\": [\"08:30-12:00\", \"13:30-17:30\"]},"
    " \"days\": [{\"from\": \"2025-01-28\", \"to\": \"2025-02-04\", \"kind\": \"holiday\","
    "             \"name\": \"Spring Festival\"},"
    "            {\"date\": \"2025-01-26\", \"kind\": \"workday\", \"name\": \"make-up\"}]}";

static void test_queries(void) {
  hotline_calendar* cal = NULL;
  bool open = false, found = false;
  hotline_time_ms t = 0;
  hotline_duration_ms d = 0;
  CHECK_OK(hotline_calendar_from_json(&cal, kDept, strlen(kDept)));
  CHECK(cal != NULL);
  CHECK(strcmp(hotline_calendar_time_zone(cal), "Asia/Shanghai") == 0);

  /* Monday 27 Jan 09:00 local is open. */
  CHECK_OK(hotline_calendar_is_open(&open, cal, T_2025_01_27_0100Z));
  CHECK(open);
  /* 7 h of business time from Mon 09:00: 3 h until 12:00, 4 h 13:30-17:30 -> exactly 17:30,
   * not the next day's opening. */
  CHECK_OK(hotline_calendar_add_business(&t, cal, T_2025_01_27_0100Z, 7 * HOUR));
  CHECK_EQ_I64(t, T_2025_01_27_0100Z + 8 * HOUR + 30 * 60000LL);
  /* 8 h from Mon 09:00: 7 h on Monday, then Spring Festival (28 Jan - 4 Feb) is closed; the
   * remaining hour ends Wed 5 Feb at 09:30 local = 01:30Z. */
  CHECK_OK(hotline_calendar_add_business(&t, cal, T_2025_01_27_0100Z, 8 * HOUR));
  CHECK_EQ_I64(t, T_2025_01_27_0100Z + 9 * 24 * HOUR + 30 * 60000LL);
  CHECK_OK(hotline_calendar_business_between(&d, cal, T_2025_01_27_0100Z, t));
  CHECK_EQ_I64(d, 8 * HOUR);

  /* Explanation: three segments (Mon morning, Mon afternoon, Wed 5 Feb morning). */
  {
    size_t count = 0;
    hotline_calendar_segment segs[8];
    CHECK_STATUS(hotline_calendar_explain(NULL, 0, &count, cal, T_2025_01_27_0100Z, t),
                 HOTLINE_EBUFFER);
    CHECK_EQ_I64(count, 3);
    CHECK_OK(hotline_calendar_explain(segs, 8, &count, cal, T_2025_01_27_0100Z, t));
    CHECK_EQ_I64(count, 3);
    CHECK_EQ_I64(segs[2].month, 2);
    CHECK_EQ_I64(segs[2].day, 5);
    CHECK(segs[0].kind == HOTLINE_DAY_REGULAR);
    CHECK_EQ_I64(segs[2].end - segs[2].start, HOUR);
  }

  /* The make-up workday Sunday 26 Jan is open at 10:00 local (02:00Z), with its name. */
  {
    hotline_time_ms sunday = T_2025_01_27_0100Z - 24 * HOUR + HOUR;
    size_t count = 0;
    hotline_calendar_segment seg;
    CHECK_OK(hotline_calendar_is_open(&open, cal, sunday));
    CHECK(open);
    CHECK_OK(hotline_calendar_explain(&seg, 1, &count, cal, sunday, sunday + HOUR));
    CHECK(seg.kind == HOTLINE_DAY_WORKDAY);
    CHECK(strcmp(seg.name, "make-up") == 0);
  }

  /* During the holiday: closed, next open Wed 5 Feb 08:30 local. */
  CHECK_OK(hotline_calendar_next_open(&t, &found, cal, T_2025_01_27_0100Z + 2 * 24 * HOUR));
  CHECK(found);
  CHECK_EQ_I64(t, T_2025_01_27_0100Z + 9 * 24 * HOUR - 30 * 60000LL);
  CHECK_OK(hotline_calendar_next_close(&t, &found, cal, T_2025_01_27_0100Z));
  CHECK(found);
  CHECK_EQ_I64(t, T_2025_01_27_0100Z + 3 * HOUR);

  /* Formatting and parsing in the calendar's zone, with the EBUFFER protocol. */
  {
    char buf[64];
    size_t needed = 0;
    CHECK_STATUS(hotline_calendar_format_time(buf, 4, &needed, cal, T_2025_01_27_0100Z),
                 HOTLINE_EBUFFER);
    CHECK_EQ_I64(needed, 25);
    CHECK_OK(hotline_calendar_format_time(buf, sizeof buf, &needed, cal, T_2025_01_27_0100Z));
    CHECK(strcmp(buf, "2025-01-27T09:00:00+08:00") == 0);
    CHECK_OK(hotline_calendar_parse_time(&t, cal, "2025-01-27 09:00"));
    CHECK_EQ_I64(t, T_2025_01_27_0100Z);
    CHECK_STATUS(hotline_calendar_parse_time(&t, cal, "27/01/2025"), HOTLINE_EINVALID);
  }

  CHECK_STATUS(hotline_calendar_add_business(&t, cal, 0, -1), HOTLINE_EINVALID);
  hotline_calendar_free(cal);
}

static void test_bad_input(void) {
  hotline_calendar* cal = NULL;
  bool open;
  hotline_time_ms t;
  const char* bad_zone = "{\"time_zone\": \"Mars/Olympus\", \"always_open\": true}";
  const char* overlap =
      "{\"time_zone\": \"Asia/Shanghai\", \"hours\": {\"mon\": [\"09:00-12:00\", "
      "\"11:00-13:00\"]}}";
  const char* syntax = "{\"time_zone\": \"Asia/Shanghai\",\n \"hours\": [}";

  CHECK_STATUS(hotline_calendar_from_json(&cal, bad_zone, strlen(bad_zone)), HOTLINE_EDEFINITION);
  CHECK(cal == NULL);
  CHECK(strcmp(hotline_error_where(), "/time_zone") == 0);
  CHECK_CONTAINS(hotline_error_last(), "Mars/Olympus");

  CHECK_STATUS(hotline_calendar_from_json(&cal, overlap, strlen(overlap)), HOTLINE_EDEFINITION);
  CHECK(strcmp(hotline_error_where(), "/hours/mon/1") == 0);

  CHECK_STATUS(hotline_calendar_from_json(&cal, syntax, strlen(syntax)), HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "line 2");

  /* Not NUL-terminated input is read by length only. */
  CHECK_STATUS(hotline_calendar_from_json(&cal, bad_zone, 5), HOTLINE_EDEFINITION);

  CHECK_STATUS(hotline_calendar_load(&cal, "/nonexistent/calendar.json"), HOTLINE_EIO);
  CHECK_STATUS(hotline_calendar_from_json(NULL, bad_zone, strlen(bad_zone)), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_calendar_from_json(&cal, NULL, 0), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_calendar_is_open(&open, NULL, 0), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_calendar_is_open(NULL, NULL, 0), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_calendar_add_business(&t, NULL, 0, 0), HOTLINE_EINVALID);
  CHECK(hotline_calendar_time_zone(NULL) == NULL);
  hotline_calendar_free(NULL);
}

static void test_files(void) {
  hotline_calendar* cal = NULL;
  bool open = true;
  CHECK_OK(hotline_calendar_load(&cal,
                                 HOTLINE_SOURCE_DIR "/examples/calendars/shanghai-dept-2025.json"));
  /* National Day 2025-10-01 10:00 local is closed. */
  CHECK_OK(hotline_calendar_is_open(&open, cal, 1759284000000LL));
  CHECK(!open);
  hotline_calendar_free(cal);

  CHECK_OK(hotline_calendar_new_always_open(&cal, "Europe/Amsterdam"));
  CHECK_OK(hotline_calendar_is_open(&open, cal, 0));
  CHECK(open);
  hotline_calendar_free(cal);
}

int main(void) {
  test_queries();
  test_bad_input();
  test_files();
  return check_report("calendar_capi_test");
}
