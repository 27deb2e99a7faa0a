// libFuzzer: workforce documents — a scheduling problem (fuzz_workforce_schedule) or a capacity
// plan (fuzz_workforce_plan, built with HOTLINE_FUZZ_PLAN=1). What loads is also solved / run,
// with a short time limit. Seeds: examples/workforce and tests/fuzz/corpus/<target>.
#include <cstdint>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  if (HOTLINE_FUZZ_PLAN) {
    hotline_workforce_plan* plan = nullptr;
    const int rc = hotline_workforce_plan_from_json(&plan, text, size);
    fuzz::check_status(rc, plan);
    if (rc == HOTLINE_OK) {
      hotline_workforce_plan_totals t;
      fuzz::check_status(hotline_workforce_plan_summary(&t, plan));
      hotline_workforce_month m;
      for (size_t i = 0; i < t.months; ++i)
        fuzz::check_status(hotline_workforce_plan_month(&m, plan, i));
    }
    hotline_workforce_plan_free(plan);
    return 0;
  }
  hotline_workforce_problem* p = nullptr;
  const int rc = hotline_workforce_problem_from_json(&p, text, size);
  fuzz::check_status(rc, p);
  if (rc != HOTLINE_OK) return 0;
  hotline_workforce_options o{};
  o.version = HOTLINE_WORKFORCE_OPTIONS_VERSION;
  o.objective = HOTLINE_WORKFORCE_MIN_COST;
  o.max_shifts = -1;
  o.budget = -1;
  o.time_limit = 500;  // ms of wall-clock time: a hard model stops with its best schedule
  hotline_workforce_schedule* s = nullptr;
  const int src = hotline_workforce_solve(&s, p, &o);
  fuzz::check_status(src, s);
  if (src == HOTLINE_OK) {
    hotline_workforce_summary sum;
    fuzz::check_status(hotline_workforce_schedule_summary(&sum, s));
    hotline_workforce_shift sh;
    for (size_t i = 0; i < sum.shifts; ++i)
      fuzz::check_status(hotline_workforce_schedule_shift(&sh, s, i));
  }
  hotline_workforce_schedule_free(s);
  hotline_workforce_problem_free(p);
  return 0;
}
