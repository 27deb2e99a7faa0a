/* Computes a complaint reply deadline on a department calendar through the C ABI.
 * Build: cc -std=c99 calendar_deadline.c $(pkg-config --cflags --libs hotline)
 * Run from the repository root (it reads examples/calendars/shanghai-dept-2025.json). */
#include <stdio.h>

#include "hotline.h"

int main(void) {
  hotline_calendar* cal = NULL;
  hotline_time_ms received, due;
  hotline_calendar_segment segs[16];
  size_t count = 0, i;
  char text[64];

  if (hotline_calendar_load(&cal, "examples/calendars/shanghai-dept-2025.json") != HOTLINE_OK) {
    fprintf(stderr, "cannot load calendar: %s\n", hotline_error_last());
    return 1;
  }
  /* A complaint received on Monday 27 Jan 2025 at 16:00, the day before Spring Festival. */
  if (hotline_calendar_parse_time(&received, cal, "2025-01-27 16:00") != HOTLINE_OK ||
      hotline_calendar_add_business(&due, cal, received, 16LL * 3600 * 1000) != HOTLINE_OK ||
      hotline_calendar_explain(segs, 16, &count, cal, received, due) != HOTLINE_OK) {
    fprintf(stderr, "error at %s: %s\n", hotline_error_where(), hotline_error_last());
    hotline_calendar_free(cal);
    return 1;
  }
  hotline_calendar_format_time(text, sizeof text, NULL, cal, received);
  printf("received %s\n", text);
  hotline_calendar_format_time(text, sizeof text, NULL, cal, due);
  printf("reply due %s (16 business hours)\n", text);
  for (i = 0; i < count; ++i) {
    printf("  %04d-%02d-%02d  %5.2f h%s%s\n", segs[i].year, segs[i].month, segs[i].day,
           (double)(segs[i].end - segs[i].start) / 3600000.0, segs[i].name[0] ? "  " : "",
           segs[i].name);
  }
  hotline_calendar_free(cal);
  return 0;
}
