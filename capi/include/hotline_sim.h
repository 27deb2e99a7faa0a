/* hotline C ABI: the discrete-event simulator — load a scenario, run its replications through the
 * real router, IVR, survey and escalation engines, read the report (JSON, text, HTML, or the
 * headline figures as structs). docs/sim.md has the scenario format. */
#ifndef HOTLINE_SIM_H
#define HOTLINE_SIM_H

#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A validated scenario. Immutable: share it between threads. */
typedef struct hotline_sim_scenario hotline_sim_scenario;
/* The report of a run. Immutable. */
typedef struct hotline_sim_report hotline_sim_report;

/* Called now and then during a run: replications done of total and the fraction of the current
 * one. Runs on the calling thread. */
typedef void (*hotline_sim_progress_fn)(void* user, int done, int total, double fraction);

typedef struct hotline_sim_options {
  uint64_t seed;                    /* used when has_seed */
  bool has_seed;                    /* false: the scenario's seed */
  int replications;                 /* 0: the scenario's; else 1 .. 1000 */
  hotline_sim_progress_fn progress; /* may be NULL */
  void* user;                       /* passed to progress */
  int64_t max_events; /* > 0: HOTLINE_ELIMIT beyond this many events in one replication */
} hotline_sim_options;

/* A mean over replications with its 95% confidence interval (NaN when there was no data). */
typedef struct hotline_sim_estimate {
  double mean, low, high;
  int replications; /* replications with data */
} hotline_sim_estimate;

/* One tier over the day. */
typedef struct hotline_sim_tier {
  char tier[32];
  double offered;
  double target;      /* fraction, e.g. 0.85 */
  double threshold_s; /* e.g. 15 */
  hotline_sim_estimate service_level, answer_rate, abandon_rate, asa_s;
  bool met;
} hotline_sim_tier;

/* The headline figures of a report. */
typedef struct hotline_sim_summary {
  int replications, agents;
  uint64_t seed;
  double calls;   /* per replication */
  int64_t events; /* processed, all replications */
  int64_t peak_calls_in_flight;
  hotline_sim_estimate occupancy, ivr_containment, survey_satisfaction, complaint_timeliness;
  double survey_alerts, survey_overdue, complaints_created, escalations;
  double prediction_mae_s, prediction_bias_s;
} hotline_sim_summary;

typedef enum hotline_sim_format {
  HOTLINE_SIM_JSON = 0, /* plain data */
  HOTLINE_SIM_TEXT = 1, /* the terminal table */
  HOTLINE_SIM_HTML = 2  /* one self-contained page with SVG charts */
} hotline_sim_format;

/* Scenarios: JSON text (files it names relative to base_dir, which may be NULL) or a file. Errors
 * name the JSON pointer (hotline_error_where), inside referenced files too. */
HOTLINE_API int hotline_sim_scenario_from_json(hotline_sim_scenario** out, const char* json,
                                               size_t len, const char* base_dir);
HOTLINE_API int hotline_sim_scenario_load(hotline_sim_scenario** out, const char* path);
HOTLINE_API void hotline_sim_scenario_free(hotline_sim_scenario* scenario);
/* The scenario's name into buf (EBUFFER protocol) and its agent count / replications. */
HOTLINE_API int hotline_sim_scenario_name(char* buf, size_t cap, size_t* needed,
                                          const hotline_sim_scenario* scenario);
HOTLINE_API int hotline_sim_scenario_agents(int* out, const hotline_sim_scenario* scenario);

/* Runs the replications (options may be NULL: the scenario's seed and replications). */
HOTLINE_API int hotline_sim_run(hotline_sim_report** out, const hotline_sim_scenario* scenario,
                                const hotline_sim_options* options);
HOTLINE_API void hotline_sim_report_free(hotline_sim_report* report);

/* The report rendered as JSON, text or HTML into buf, NUL-terminated; *needed gets the length
 * without the NUL (HOTLINE_EBUFFER when cap is too small: allocate *needed + 1). */
HOTLINE_API int hotline_sim_report_render(char* buf, size_t cap, size_t* needed,
                                          const hotline_sim_report* report, int format);
HOTLINE_API int hotline_sim_report_summary(hotline_sim_summary* out,
                                           const hotline_sim_report* report);
HOTLINE_API int hotline_sim_report_tier_count(size_t* out, const hotline_sim_report* report);
HOTLINE_API int hotline_sim_report_tier(hotline_sim_tier* out, const hotline_sim_report* report,
                                        size_t index);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SIM_H */
