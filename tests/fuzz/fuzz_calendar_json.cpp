// libFuzzer: calendar definitions (JSON) through hotline_calendar_from_json, then every query on
// whatever loads. Seeds: examples/calendars and tests/fuzz/corpus/fuzz_calendar_json.
#include <cstdint>
#include <vector>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hotline_calendar* cal = nullptr;
  const int rc = hotline_calendar_from_json(&cal, reinterpret_cast<const char*>(data), size);
  fuzz::check_status(rc, cal);
  if (rc != HOTLINE_OK) return 0;

  constexpr hotline_time_ms kHour = 3'600'000;
  const hotline_time_ms starts[] = {fuzz::kBase, fuzz::kBase + 37 * kHour + 123,
                                    fuzz::kBase + 200 * 24 * kHour,
                                    fuzz::kBase - 3000 * 24 * kHour};
  for (hotline_time_ms t : starts) {
    bool open = false, found = false;
    hotline_time_ms out = 0;
    fuzz::check_status(hotline_calendar_is_open(&open, cal, t));
    fuzz::check_status(hotline_calendar_next_open(&out, &found, cal, t));
    fuzz::check_status(hotline_calendar_next_close(&out, &found, cal, t));
    for (hotline_duration_ms d : {hotline_duration_ms{0}, kHour, 16 * kHour}) {
      const int arc = hotline_calendar_add_business(&out, cal, t, d);
      if (arc != HOTLINE_OK) {  // a calendar that is (almost) never open: ELIMIT, say so clearly
        fuzz::check_status(arc);
        continue;
      }
      hotline_duration_ms between = 0;
      fuzz::check_status(hotline_calendar_business_between(&between, cal, t, out));
      // The two must agree: the business time from t to add_business(t, d) is d.
      if (between != d) std::abort();
      size_t count = 0;
      const int erc = hotline_calendar_explain(nullptr, 0, &count, cal, t, out);
      if (erc == HOTLINE_EBUFFER) {
        std::vector<hotline_calendar_segment> segs(count);
        fuzz::check_status(hotline_calendar_explain(segs.data(), segs.size(), &count, cal, t, out));
      } else {
        fuzz::check_status(erc);
      }
    }
    char buf[64];
    size_t needed = 0;
    fuzz::check_status(hotline_calendar_format_time(buf, sizeof buf, &needed, cal, t));
  }
  hotline_calendar_free(cal);
  return 0;
}
