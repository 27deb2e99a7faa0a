/* An outside C project using the installed C ABI through find_package(hotline). */
#include <stdio.h>

#include "hotline.h"

int main(void) {
  hotline_calendar* cal = NULL;
  bool open = false;
  if (hotline_calendar_new_always_open(&cal, "Asia/Shanghai") != HOTLINE_OK) return 1;
  if (hotline_calendar_is_open(&open, cal, 0) != HOTLINE_OK || !open) return 1;
  hotline_calendar_free(cal);
  printf("C ABI %d ok\n", hotline_abi_version());
  return 0;
}
