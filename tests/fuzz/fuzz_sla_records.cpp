// libFuzzer: contact records as CSV (fuzz_sla_csv) or Asterisk queue_log (fuzz_sla_queue_log, built
// with HOTLINE_FUZZ_QUEUE_LOG=1), then the interval report, daily compliance and daily occupancy
// on whatever loads. Seeds: examples/sla and tests/fuzz/corpus/<target>.
#include <cstdint>
#include <vector>

#include "fuzz_common.hpp"

namespace {

hotline_calendar* zone() {
  static hotline_calendar* cal = [] {
    hotline_calendar* c = nullptr;
    if (hotline_calendar_new_always_open(&c, "Asia/Shanghai") != HOTLINE_OK) std::abort();
    return c;
  }();
  return cal;
}

hotline_sla_targets* preset() {
  static hotline_sla_targets* t = [] {
    hotline_sla_targets* p = nullptr;
    if (hotline_sla_targets_new_preset(&p) != HOTLINE_OK) std::abort();
    return p;
  }();
  return t;
}

template <class Row, class Fn>
void buffered(Fn fn) {  // the caller-buffer protocol: ask, then fill
  size_t count = 0;
  const int rc = fn(static_cast<Row*>(nullptr), size_t{0}, &count);
  if (rc == HOTLINE_EBUFFER) {
    std::vector<Row> rows(count);
    fuzz::check_status(fn(rows.data(), rows.size(), &count));
  } else {
    fuzz::check_status(rc);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  const size_t len = size;
  hotline_sla_records* records = nullptr;
  int rc;
  if (HOTLINE_FUZZ_QUEUE_LOG) {
    const char* vip[] = {"vip"};
    rc = hotline_sla_records_read_queue_log(&records, text, len, "ordinary", vip, 1);
  } else {
    rc = hotline_sla_records_read_csv(&records, text, len, zone());
  }
  fuzz::check_status(rc, records);
  if (rc != HOTLINE_OK) return 0;

  size_t n = 0;
  fuzz::check_status(hotline_sla_records_count(&n, records));
  for (auto g : {HOTLINE_SLA_30M, HOTLINE_SLA_DAY}) {
    hotline_sla_report* report = nullptr;
    const int r = hotline_sla_report_new(&report, records, preset(), zone(), g);
    fuzz::check_status(r, report);
    if (r == HOTLINE_OK) {
      size_t rows = 0;
      fuzz::check_status(hotline_sla_report_row_count(&rows, report));
      for (size_t i = 0; i < rows; ++i) {
        hotline_sla_row row;
        fuzz::check_status(hotline_sla_report_row(&row, report, i));
      }
      hotline_sla_report_free(report);
    }
  }
  // Occupancy by month only: its output grows with the agent spans (a login left open for 50
  // years is 900k half-hour rows or 18k day rows, legitimately seconds of work), which would
  // starve the fuzzer (by day it took two thirds of every execution). The bucketing itself is
  // exercised by the report above.
  buffered<hotline_sla_occupancy_row>([&](hotline_sla_occupancy_row* out, size_t cap, size_t* c) {
    return hotline_sla_occupancy(out, cap, c, records, zone(), HOTLINE_SLA_MONTH);
  });
  buffered<hotline_sla_compliance>([&](hotline_sla_compliance* out, size_t cap, size_t* c) {
    return hotline_sla_daily_compliance(out, cap, c, records, preset(), zone());
  });
  hotline_sla_records_free(records);
  return 0;
}
