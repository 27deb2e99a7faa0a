// libFuzzer: escalation policy documents. What loads also runs a short scripted day (create,
// dispatch, every transition from each state, advance over a week) on an in-memory engine.
// Seeds: examples/escalation and tests/fuzz/corpus/fuzz_escalation_policy.
#include <cstdint>
#include <cstring>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hotline_escalation_policy* p = nullptr;
  const int rc =
      hotline_escalation_policy_from_json(&p, reinterpret_cast<const char*>(data), size, nullptr);
  fuzz::check_status(rc, p);
  if (rc != HOTLINE_OK) return 0;
  hotline_escalation_engine* e = nullptr;
  fuzz::check_status(hotline_escalation_engine_new(&e, p), e);
  const hotline_escalation_actor actor = {"agent", "agent"};
  const char* categories[] = {"complaint", "fault_report", "consultation", "expert_consultation",
                              "dissatisfaction_followup"};
  const char* names[] = {"acknowledge",    "assess",  "dispatch", "department_reply",
                         "reply_customer", "confirm", "report",   "answer",
                         "explain",        "go",      "close"};
  hotline_escalation_field field = {"satisfied", "yes"};
  hotline_time_ms now = fuzz::kBase;
  hotline_escalation_result r;
  for (const char* c : categories) {
    hotline_escalation_new_order o;
    std::memset(&o, 0, sizeof o);
    o.version = HOTLINE_ESCALATION_NEW_ORDER_VERSION;
    o.customer = "c";
    o.category = c;
    o.owner = "agent";
    o.severity = HOTLINE_SEVERITY_URGENT;
    fuzz::check_status(hotline_escalation_create(&r, e, &o, now, nullptr));
  }
  size_t n = 0;
  for (int step = 0; step < 40; ++step) {
    now += 3'600'000;
    const uint64_t id = 1 + static_cast<uint64_t>(step) % 5;
    fuzz::check_status(hotline_escalation_assign(&r, e, id, "billing", "h", &actor, now, nullptr));
    fuzz::check_status(hotline_escalation_transition(&r, e, id, names[step % 11], &actor, &field, 1,
                                                     now, nullptr));
    fuzz::check_status(hotline_escalation_advance(&n, e, now));
  }
  char buf[256];
  size_t needed = 0;
  const int k = hotline_escalation_kpis_json(buf, sizeof buf, &needed, e);
  fuzz::check_status(k == HOTLINE_EBUFFER ? HOTLINE_OK : k);
  hotline_escalation_engine_free(e);
  hotline_escalation_policy_free(p);
  return 0;
}
