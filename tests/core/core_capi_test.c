/* C ABI: status codes, error reporting and version, compiled as strict C99. */
#include "check.h"

int main(void) {
  int major = -1, minor = -1, patch = -1;
  const char* v = hotline_version(&major, &minor, &patch);
  char expected[32];
  sprintf(expected, "%d.%d.%d", major, minor, patch);
  CHECK(major >= 0 && minor >= 0 && patch >= 0);
  CHECK(strcmp(v, expected) == 0);
  CHECK(hotline_version(NULL, NULL, NULL) == v);
  CHECK(hotline_abi_version() >= 1);

  /* Pinned codes and their names. */
  CHECK(HOTLINE_OK == 0 && HOTLINE_EINVALID == -2 && HOTLINE_EDEFINITION == -3 &&
        HOTLINE_EBUFFER == -10 && HOTLINE_EINTERNAL == -11);
  CHECK(strcmp(hotline_status_name(HOTLINE_OK), "OK") == 0);
  CHECK(strcmp(hotline_status_name(HOTLINE_EDEFINITION), "EDEFINITION") == 0);
  CHECK(strcmp(hotline_status_name(12345), "UNKNOWN") == 0);

  /* A failing call leaves a message and a location for this thread. */
  {
    hotline_calendar* cal = (hotline_calendar*)1;
    CHECK_STATUS(hotline_calendar_new_always_open(&cal, NULL), HOTLINE_EINVALID);
    CHECK(cal == NULL);
    CHECK_CONTAINS(hotline_error_last(), "time_zone");
    CHECK(strcmp(hotline_error_where(), "time_zone") == 0);
  }
  return check_report("core_capi_test");
}
