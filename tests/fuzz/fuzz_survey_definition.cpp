// libFuzzer: survey definitions. What loads is compiled to its IVR flow, answered by a scripted
// caller, read back as a response and aggregated. Seeds: examples/survey, corpus/<target>.
#include <cstdint>
#include <vector>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hotline_survey_definition* def = nullptr;
  int rc = hotline_survey_definition_from_json(&def, reinterpret_cast<const char*>(data), size);
  fuzz::check_status(rc, def);
  if (rc != HOTLINE_OK) return 0;
  std::vector<char> json(1 << 16);
  size_t needed = 0;
  rc = hotline_survey_ivr_json(json.data(), json.size(), &needed, def);
  if (rc == HOTLINE_EBUFFER) {
    json.resize(needed + 1);
    rc = hotline_survey_ivr_json(json.data(), json.size(), &needed, def);
  }
  fuzz::check_status(rc);
  const hotline_ivr_document doc = {json.data(), needed, nullptr};
  hotline_ivr_tree* tree = nullptr;
  fuzz::check_status(hotline_ivr_tree_compose(&tree, &doc, 1), tree);
  if (tree == nullptr) std::abort();  // a definition that loads must compile to a valid flow
  hotline_ivr_session* s = nullptr;
  fuzz::check_status(hotline_ivr_session_new(&s, tree, nullptr, fuzz::kBase), s);
  const char* keys[] = {"1", "2", "9", "10#", "5", "0", "7"};
  for (int i = 0; i < 30; ++i) {
    hotline_ivr_status st;
    fuzz::check_status(hotline_ivr_session_status(&st, s));
    if (st.finished) break;
    const hotline_time_ms t = fuzz::kBase + 5000 * (i + 1);
    fuzz::check_status(i % 4 == 3 ? hotline_ivr_session_timeout(s, t)
                                  : hotline_ivr_session_digits(s, keys[(i + size) % 7], t));
  }
  hotline_survey_response r[2];
  fuzz::check_status(hotline_survey_response_from_session(&r[0], def, s));
  r[1] = r[0];
  r[1].agent = 3;
  hotline_calendar* zone = nullptr;
  fuzz::check_status(hotline_calendar_new_always_open(&zone, "Asia/Shanghai"), zone);
  hotline_survey_score scores[4];
  size_t n = 0;
  fuzz::check_status(
      hotline_survey_aggregate(scores, 4, &n, def, r, 2, HOTLINE_SURVEY_BY_DAY, zone, 0.05));
  hotline_calendar_free(zone);
  hotline_ivr_session_free(s);
  hotline_ivr_tree_free(tree);
  hotline_survey_definition_free(def);
  return 0;
}
