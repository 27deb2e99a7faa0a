// libFuzzer: IVR documents. Every input goes through the verification report (errors are data,
// never a crash); what composes is walked by a scripted caller (keys, silences, host results,
// a hang-up) and simulated for a few calls. Seeds: examples/ivr and tests/fuzz/corpus/<target>.
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const hotline_ivr_document doc = {reinterpret_cast<const char*>(data), size, nullptr};
  std::vector<char> buf(1 << 12);
  size_t needed = 0;
  int rc = hotline_ivr_validate_json(buf.data(), buf.size(), &needed, &doc, 1);
  fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
  hotline_ivr_tree* tree = nullptr;
  rc = hotline_ivr_tree_compose(&tree, &doc, 1);
  fuzz::check_status(rc, tree);
  if (rc != HOTLINE_OK) return 0;
  hotline_ivr_session* s = nullptr;
  hotline_time_ms now = fuzz::kBase;
  hotline_ivr_call call = {HOTLINE_IVR_CALL_VERSION, size % 2 ? "L1" : "L3", "en", nullptr, 0};
  fuzz::check_status(hotline_ivr_session_new(&s, tree, &call, now), s);
  const char* keys[] = {"1", "2", "0", "*", "9", "123456", "12345678#"};
  const char* results[] = {"ok", "fail", "error", "none", "outage", "done"};
  for (int step = 0; step < 40; ++step) {
    now += 3000;
    hotline_ivr_status st;
    fuzz::check_status(hotline_ivr_session_status(&st, s));
    if (st.finished) break;
    hotline_ivr_action acts[8];
    size_t n = 0;
    const int a = hotline_ivr_session_actions(acts, 8, &n, s);
    fuzz::check_status(a == HOTLINE_EBUFFER ? HOTLINE_OK : a);
    if (a != HOTLINE_OK || n == 0) break;
    const hotline_ivr_action& last = acts[n - 1];
    if (last.kind == HOTLINE_IVR_DO_COLLECT) {
      fuzz::check_status(step % 5 == 4
                             ? hotline_ivr_session_timeout(s, now)
                             : hotline_ivr_session_digits(s, keys[(step + size) % 7], now));
    } else if (last.kind == HOTLINE_IVR_DO_INVOKE || last.kind == HOTLINE_IVR_DO_SURVEY) {
      for (const char* r : results) {
        if (hotline_ivr_session_result(s, r, now) == HOTLINE_OK) break;
      }
    } else {
      fuzz::check_status(hotline_ivr_session_hangup(s, now));
    }
  }
  rc = hotline_ivr_session_trajectory_json(buf.data(), buf.size(), &needed, s);
  fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
  hotline_ivr_session_free(s);
  rc = hotline_ivr_simulate_json(buf.data(), buf.size(), &needed, tree, nullptr, 3, size, now);
  fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
  rc = hotline_ivr_tree_dot(buf.data(), buf.size(), &needed, tree);
  fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
  hotline_ivr_tree_free(tree);
  return 0;
}
