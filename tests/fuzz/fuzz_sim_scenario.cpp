// libFuzzer: simulation scenarios. Whatever loads (files resolve against examples/scenarios) is
// run for one replication under an event budget and its report rendered in every format.
// Seeds: examples/scenarios, corpus/<target>.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hotline_sim_scenario* sc = nullptr;
  int rc = hotline_sim_scenario_from_json(&sc, reinterpret_cast<const char*>(data), size,
                                          HOTLINE_SOURCE_DIR "/examples/scenarios");
  fuzz::check_status(rc, sc);
  if (rc != HOTLINE_OK) return 0;
  int agents = 0;
  fuzz::check_status(hotline_sim_scenario_agents(&agents, sc));
  hotline_sim_options o = {};
  o.replications = 1;
  o.max_events = 3000;  // keeps an execution in milliseconds
  hotline_sim_report* rep = nullptr;
  rc = hotline_sim_run(&rep, sc, &o);
  fuzz::check_status(rc, rep);
  if (rc == HOTLINE_OK) {
    for (int format = HOTLINE_SIM_JSON; format <= HOTLINE_SIM_HTML; ++format) {
      size_t needed = 0;
      rc = hotline_sim_report_render(nullptr, 0, &needed, rep, format);
      if (rc != HOTLINE_EBUFFER) std::abort();
      std::vector<char> buf(needed + 1);
      fuzz::check_status(hotline_sim_report_render(buf.data(), buf.size(), &needed, rep, format));
    }
    hotline_sim_summary sum;
    fuzz::check_status(hotline_sim_report_summary(&sum, rep));
    hotline_sim_report_free(rep);
  }
  hotline_sim_scenario_free(sc);
  return 0;
}
