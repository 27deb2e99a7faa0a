/* The simulator through the C ABI: load, run with options and progress, the report's figures and
 * renderings, and errors. */
#include <math.h>

#include "check.h"

static int progress_calls = 0;
static void on_progress(void* user, int done, int total, double fraction) {
  (void)user;
  CHECK(done >= 0 && done <= total);
  CHECK(fraction >= 0.0 && fraction <= 1.0);
  ++progress_calls;
}

int main(void) {
  hotline_sim_scenario* sc = NULL;
  hotline_sim_report* rep = NULL;
  hotline_sim_options opt;
  hotline_sim_summary sum;
  hotline_sim_tier tier;
  size_t n = 0, needed = 0;
  int agents = 0;
  char small[16];
  char* big = NULL;

  CHECK_OK(
      hotline_sim_scenario_load(&sc, HOTLINE_SOURCE_DIR "/examples/scenarios/mmn-erlang-a.json"));
  CHECK_OK(hotline_sim_scenario_agents(&agents, sc));
  CHECK_EQ_I64(agents, 20);
  CHECK_STATUS(hotline_sim_scenario_name(small, sizeof small, &needed, sc), HOTLINE_EBUFFER);
  CHECK(needed > sizeof small);

  memset(&opt, 0, sizeof opt);
  opt.replications = 3;
  opt.has_seed = true;
  opt.seed = 11;
  opt.progress = on_progress;
  CHECK_OK(hotline_sim_run(&rep, sc, &opt));
  CHECK(progress_calls >= 2);
  CHECK_OK(hotline_sim_report_summary(&sum, rep));
  CHECK_EQ_I64(sum.replications, 3);
  CHECK_EQ_I64(sum.agents, 20);
  CHECK_EQ_I64((long long)sum.seed, 11);
  CHECK(sum.calls > 2500 && sum.calls < 3300);
  CHECK(sum.occupancy.mean > 0.7 && sum.occupancy.mean < 0.95);
  CHECK(sum.occupancy.low <= sum.occupancy.mean && sum.occupancy.mean <= sum.occupancy.high);
  CHECK(isnan(sum.ivr_containment.mean)); /* no IVR in this scenario */
  CHECK_OK(hotline_sim_report_tier_count(&n, rep));
  CHECK_EQ_I64(n, 1);
  CHECK_OK(hotline_sim_report_tier(&tier, rep, 0));
  CHECK(strcmp(tier.tier, "all") == 0);
  CHECK(tier.threshold_s == 20.0);
  CHECK(tier.abandon_rate.mean > 0.03 && tier.abandon_rate.mean < 0.09);
  CHECK_STATUS(hotline_sim_report_tier(&tier, rep, 1), HOTLINE_ENOTFOUND);

  /* Renderings with the EBUFFER protocol. */
  CHECK_STATUS(hotline_sim_report_render(small, sizeof small, &needed, rep, HOTLINE_SIM_JSON),
               HOTLINE_EBUFFER);
  big = (char*)malloc(needed + 1);
  CHECK(big != NULL);
  if (big != NULL) {
    CHECK_OK(hotline_sim_report_render(big, needed + 1, &needed, rep, HOTLINE_SIM_JSON));
    CHECK_CONTAINS(big, "\"tier_intervals\"");
    CHECK_CONTAINS(big, "\"not_dialled\"");
    free(big);
  }
  CHECK_STATUS(hotline_sim_report_render(NULL, 0, &needed, rep, HOTLINE_SIM_HTML), HOTLINE_EBUFFER);
  big = (char*)malloc(needed + 1);
  if (big != NULL) {
    CHECK_OK(hotline_sim_report_render(big, needed + 1, &needed, rep, HOTLINE_SIM_HTML));
    CHECK_CONTAINS(big, "<svg");
    free(big);
  }
  CHECK_STATUS(hotline_sim_report_render(small, sizeof small, &needed, rep, 7), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "format");
  hotline_sim_report_free(rep);
  rep = NULL;

  /* Errors: NULLs, bad options, bad documents (nothing is returned). */
  CHECK_STATUS(hotline_sim_run(NULL, sc, NULL), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sim_run(&rep, NULL, NULL), HOTLINE_EINVALID);
  CHECK(rep == NULL);
  opt.replications = 1;
  opt.max_events = 100;
  CHECK_STATUS(hotline_sim_run(&rep, sc, &opt), HOTLINE_ELIMIT);
  CHECK(rep == NULL);
  opt.max_events = 0;
  opt.replications = 5000;
  CHECK_STATUS(hotline_sim_run(&rep, sc, &opt), HOTLINE_EINVALID);
  CHECK(rep == NULL);
  CHECK_CONTAINS(hotline_error_where(), "replications");
  hotline_sim_scenario_free(sc);
  sc = NULL;
  {
    const char* bad = "{\"name\": \"x\", \"start\": \"2025-03-03T00:00:00Z\", \"routing\": 42}";
    CHECK_STATUS(hotline_sim_scenario_from_json(&sc, bad, strlen(bad), NULL), HOTLINE_EDEFINITION);
    CHECK(sc == NULL);
    CHECK_CONTAINS(hotline_error_where(), "/routing");
  }
  CHECK_STATUS(hotline_sim_scenario_load(&sc, "/no/such/scenario.json"), HOTLINE_EIO);
  CHECK_STATUS(hotline_sim_scenario_from_json(&sc, NULL, 0, NULL), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sim_report_summary(&sum, NULL), HOTLINE_EINVALID);
  hotline_sim_scenario_free(NULL);
  hotline_sim_report_free(NULL);
  return check_report("sim_capi_test");
}
