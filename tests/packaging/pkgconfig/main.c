/* A C program built only with `pkg-config --cflags --libs hotline`. */
#include <stdio.h>
#include <string.h>

#include "hotline.h"

int main(void) {
  hotline_calendar* cal = NULL;
  hotline_time_ms due = 0;
  const char* json =
      "{\"time_zone\": \"Asia/Shanghai\", \"hours\": {\"mon-fri\": [\"09:00-18:00\"]}}";
  if (hotline_calendar_from_json(&cal, json, strlen(json)) != HOTLINE_OK) {
    fprintf(stderr, "%s\n", hotline_error_last());
    return 1;
  }
  /* Friday 2025-01-24 17:00 +08:00 plus 2 business hours -> Monday 10:00 +08:00 (02:00Z). */
  if (hotline_calendar_add_business(&due, cal, 1737709200000LL, 2 * 3600 * 1000LL) != HOTLINE_OK)
    return 1;
  hotline_calendar_free(cal);
  printf("due %lld\n", (long long)due);
  return due == 1737943200000LL ? 0 : 1;
}
