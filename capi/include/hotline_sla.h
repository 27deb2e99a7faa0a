/* hotline C ABI: service levels, Erlang B/C/A staffing, contact-record reports, sliding window. */
#ifndef HOTLINE_SLA_H
#define HOTLINE_SLA_H

#include "hotline_calendar.h"
#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Service-level variants (see docs/sla.md) ---------------------------------------------- */
typedef enum hotline_sla_variant {
  HOTLINE_SLA_ANSWERED = 0,           /* answered within T / answered (Asterisk SL) */
  HOTLINE_SLA_ANSWERED_ABANDONED = 1, /* (ans. + aband. within T) / (ans. + aband.) (SL2) */
  HOTLINE_SLA_OFFERED = 2,            /* answered within T / offered */
  HOTLINE_SLA_OFFERED_EXCL_ABANDONED_WITHIN = 3, /* ans. within T / (offered - aband. within T) */
  HOTLINE_SLA_OFFERED_EXCL_SHORT_ABANDONED = 4   /* ans. within T / (offered - short abandons) */
} hotline_sla_variant;

typedef struct hotline_sla_counts {
  int64_t offered, answered, abandoned;
  int64_t answered_within, abandoned_within, short_abandoned;
} hotline_sla_counts;

/* *out = the service level of counts in a variant; NaN when its denominator is 0. */
HOTLINE_API int hotline_sla_service_level(double* out, const hotline_sla_counts* counts,
                                          hotline_sla_variant variant);

/* ---- Erlang math. Loads in Erlangs, durations in seconds (double). ------------------------- */

/* *out = Erlang B blocking probability; any real load >= 0, agents up to 10,000,000. */
HOTLINE_API int hotline_sla_erlang_b(double* out, int64_t agents, double load);
/* *out = Erlang C probability of waiting; HOTLINE_EINVALID unless agents > load. */
HOTLINE_API int hotline_sla_erlang_c(double* out, int64_t agents, double load);

typedef struct hotline_sla_c_metrics {
  double load, p_wait, service_level, asa, occupancy;
} hotline_sla_c_metrics;
HOTLINE_API int hotline_sla_erlang_c_metrics(hotline_sla_c_metrics* out, int64_t agents,
                                             double load, double aht, double threshold);

typedef struct hotline_sla_a_metrics {
  double load, p_wait, p_abandon;
  double sl_virtual, sl_offered, sl_answered, sl_excl_abandoned_within;
  double asa, mean_wait, occupancy;
} hotline_sla_a_metrics;
/* Erlang A (M/M/N+M); patience = mean patience in seconds (> 0; INFINITY = Erlang C). */
HOTLINE_API int hotline_sla_erlang_a(hotline_sla_a_metrics* out, int64_t agents, double load,
                                     double aht, double patience, double threshold);

/* ---- Staffing ------------------------------------------------------------------------------ */
typedef struct hotline_sla_workload {
  double calls;                 /* offered in the interval */
  hotline_duration_ms interval; /* interval length */
  hotline_duration_ms aht;      /* average handle time */
  hotline_duration_ms patience; /* mean patience; 0 = infinitely patient (Erlang C) */
} hotline_sla_workload;

typedef enum hotline_sla_basis {
  HOTLINE_SLA_BASIS_OFFERED = 0,
  HOTLINE_SLA_BASIS_ANSWERED = 1,
  HOTLINE_SLA_BASIS_VIRTUAL = 2
} hotline_sla_basis;

#define HOTLINE_SLA_GOAL_VERSION 1
/* Every goal left at 0 is unused; at least one is required. */
typedef struct hotline_sla_goal {
  unsigned int version;          /* HOTLINE_SLA_GOAL_VERSION */
  double service_level;          /* fraction within threshold, in (0, 1); 0 = none */
  hotline_duration_ms threshold; /* with service_level */
  hotline_duration_ms max_asa;   /* 0 = none */
  double max_occupancy;          /* in (0, 1]; 0 = none */
  double max_abandon;            /* in (0, 1), needs patience; 0 = none */
  hotline_sla_basis basis;       /* which service level the target means (Erlang A) */
  double shrinkage;              /* in [0, 1) */
} hotline_sla_goal;

typedef struct hotline_sla_staffing {
  int64_t agents;    /* on the phones */
  int64_t scheduled; /* with shrinkage */
  double load, p_wait, service_level, asa, occupancy, p_abandon;
} hotline_sla_staffing;

/* Staffs count intervals at once: out[i] answers workloads[i] (out has room for count). */
HOTLINE_API int hotline_sla_required_agents(hotline_sla_staffing* out,
                                            const hotline_sla_workload* workloads, size_t count,
                                            const hotline_sla_goal* goal);

/* ---- Sliding window (single-threaded object) ---------------------------------------------- */
typedef struct hotline_sla_window hotline_sla_window;

typedef struct hotline_sla_tier_target {
  const char* tier;              /* UTF-8 name, copied */
  hotline_duration_ms threshold; /* T */
  double target;                 /* fraction within T, in (0, 1] */
} hotline_sla_tier_target;

typedef struct hotline_sla_window_counts {
  hotline_sla_counts counts;
  int64_t arrivals;
  hotline_duration_ms total_answer_wait;
  double service_level;
} hotline_sla_window_counts;

/* A window of length `window` over the tiers (indexes = array order). */
HOTLINE_API int hotline_sla_window_new(hotline_sla_window** out,
                                       const hotline_sla_tier_target* tiers, size_t count,
                                       hotline_duration_ms window, hotline_sla_variant variant,
                                       hotline_duration_ms short_abandon);
/* The preset: tier 0 "vip" 85% in 15 s, tier 1 "ordinary" 75% in 20 s, answered variant. */
HOTLINE_API int hotline_sla_window_new_preset(hotline_sla_window** out, hotline_duration_ms window);
HOTLINE_API void hotline_sla_window_free(hotline_sla_window* w);
/* *out = index of a tier by name (HOTLINE_ENOTFOUND). */
HOTLINE_API int hotline_sla_window_tier_index(size_t* out, const hotline_sla_window* w,
                                              const char* name);
/* Events, in non-decreasing time order (HOTLINE_EINVALID otherwise, nothing changed). */
HOTLINE_API int hotline_sla_window_arrived(hotline_sla_window* w, size_t tier, hotline_time_ms at);
HOTLINE_API int hotline_sla_window_answered(hotline_sla_window* w, size_t tier, hotline_time_ms at,
                                            hotline_duration_ms wait);
HOTLINE_API int hotline_sla_window_abandoned(hotline_sla_window* w, size_t tier, hotline_time_ms at,
                                             hotline_duration_ms wait);
HOTLINE_API int hotline_sla_window_exited(hotline_sla_window* w, size_t tier, hotline_time_ms at,
                                          hotline_duration_ms wait);
/* Queries at `now` (>= the latest event). */
HOTLINE_API int hotline_sla_window_service_level(double* out, hotline_sla_window* w, size_t tier,
                                                 hotline_time_ms now);
HOTLINE_API int hotline_sla_window_gap(double* out, hotline_sla_window* w, size_t tier,
                                       hotline_time_ms now);
HOTLINE_API int hotline_sla_window_calls_to_target(double* out, hotline_sla_window* w, size_t tier,
                                                   hotline_time_ms now);
HOTLINE_API int hotline_sla_window_stats(hotline_sla_window_counts* out, hotline_sla_window* w,
                                         size_t tier, hotline_time_ms now);
/* The tier's service level as of the latest event or query (the window is not moved), and a
   counter that changes whenever the counts behind it change: equal revisions mean an equal level,
   so a host can cache what it derives from the level. */
HOTLINE_API int hotline_sla_window_current_level(double* out, const hotline_sla_window* w,
                                                 size_t tier);
HOTLINE_API int hotline_sla_window_revision(uint64_t* out, const hotline_sla_window* w,
                                            size_t tier);

/* ---- Contact records, targets, reports ---------------------------------------------------- */
typedef struct hotline_sla_records hotline_sla_records;
typedef struct hotline_sla_targets hotline_sla_targets;
typedef struct hotline_sla_report hotline_sla_report;

typedef enum hotline_sla_outcome {
  HOTLINE_SLA_OUTCOME_ANSWERED = 0,
  HOTLINE_SLA_OUTCOME_ABANDONED = 1,
  HOTLINE_SLA_OUTCOME_TIMEOUT = 2,
  HOTLINE_SLA_OUTCOME_OTHER = 3
} hotline_sla_outcome;

typedef struct hotline_sla_record {
  hotline_time_ms arrival;
  hotline_duration_ms wait, talk, hold, wrap;
  hotline_sla_outcome outcome;
  const char* queue; /* copied; NULL = "default" */
  const char* tier;  /* copied; NULL = "ordinary" */
  const char* agent; /* copied; NULL = none */
} hotline_sla_record;

/* An empty record set; fill it with hotline_sla_records_add. */
HOTLINE_API int hotline_sla_records_new(hotline_sla_records** out);
/* Reads CSV (docs/sla.md); local times use the calendar's zone. Errors name "line L, column C". */
HOTLINE_API int hotline_sla_records_read_csv(hotline_sla_records** out, const char* text,
                                             size_t len, const hotline_calendar* cal);
/* Reads an Asterisk queue_log. A call's tier is its queue name when that name is one of
 * tier_queues[0..tier_queue_count) (may be NULL when the count is 0), else default_tier (NULL =
 * "ordinary"). Errors name "line L, column C". */
HOTLINE_API int hotline_sla_records_read_queue_log(hotline_sla_records** out, const char* text,
                                                   size_t len, const char* default_tier,
                                                   const char* const* tier_queues,
                                                   size_t tier_queue_count);
HOTLINE_API int hotline_sla_records_add(hotline_sla_records* records,
                                        const hotline_sla_record* record);
/* *out = number of records. */
HOTLINE_API int hotline_sla_records_count(size_t* out, const hotline_sla_records* records);
HOTLINE_API void hotline_sla_records_free(hotline_sla_records* records);

/* The telecom preset (VIP 85%/15 s, ordinary 75%/20 s, pass line 85%). */
HOTLINE_API int hotline_sla_targets_new_preset(hotline_sla_targets** out);
/* Targets JSON (examples/sla/targets.json); HOTLINE_EDEFINITION naming the JSON pointer. */
HOTLINE_API int hotline_sla_targets_from_json(hotline_sla_targets** out, const char* json,
                                              size_t len);
HOTLINE_API void hotline_sla_targets_free(hotline_sla_targets* targets);

typedef enum hotline_sla_granularity {
  HOTLINE_SLA_15M = 0,
  HOTLINE_SLA_30M = 1,
  HOTLINE_SLA_60M = 2,
  HOTLINE_SLA_DAY = 3,
  HOTLINE_SLA_MONTH = 4
} hotline_sla_granularity;

typedef struct hotline_sla_row {
  hotline_time_ms start, end; /* UTC; local boundaries in the calendar's zone */
  const char* queue;          /* owned by the report */
  const char* tier;           /* owned by the report */
  hotline_sla_counts counts;
  int64_t timeouts;
  double service_level; /* in the targets' variant; NaN when nothing to judge */
  bool meets_target;
  double answer_rate, abandon_rate, asa, aht; /* seconds for asa / aht; NaN when undefined */
  hotline_duration_ms max_wait;
} hotline_sla_row;

/* Aggregates records into intervals (records and cal are not retained). */
HOTLINE_API int hotline_sla_report_new(hotline_sla_report** out, const hotline_sla_records* records,
                                       const hotline_sla_targets* targets,
                                       const hotline_calendar* cal,
                                       hotline_sla_granularity granularity);
HOTLINE_API int hotline_sla_report_row_count(size_t* out, const hotline_sla_report* report);
/* *out = row index (HOTLINE_EINVALID when out of range); strings live as long as the report. */
HOTLINE_API int hotline_sla_report_row(hotline_sla_row* out, const hotline_sla_report* report,
                                       size_t index);
HOTLINE_API void hotline_sla_report_free(hotline_sla_report* report);

typedef struct hotline_sla_compliance {
  int year, month;
  const char* tier; /* owned by the records handle */
  int days_in_month, days_with_traffic, days_met;
  double ratio;
  bool pass;
} hotline_sla_compliance;
/* Daily compliance per (month, tier); caller buffer protocol (HOTLINE_EBUFFER with *count). */
HOTLINE_API int hotline_sla_daily_compliance(hotline_sla_compliance* out, size_t capacity,
                                             size_t* count, const hotline_sla_records* records,
                                             const hotline_sla_targets* targets,
                                             const hotline_calendar* cal);

typedef struct hotline_sla_occupancy_row {
  hotline_time_ms start, end;
  hotline_duration_ms staffed, paused, busy;
  double occupancy; /* busy / (staffed - paused); NaN without available time */
} hotline_sla_occupancy_row;
/* Agent occupancy per interval from the agent spans (queue_log ADDMEMBER/REMOVEMEMBER,
 * AGENTLOGIN/AGENTLOGOFF, PAUSE/UNPAUSE, or hotline_sla_records_add_agent_span) and the answered
 * contacts' handle time. Caller buffer protocol (HOTLINE_EBUFFER with *count). */
HOTLINE_API int hotline_sla_occupancy(hotline_sla_occupancy_row* out, size_t capacity,
                                      size_t* count, const hotline_sla_records* records,
                                      const hotline_calendar* cal,
                                      hotline_sla_granularity granularity);
/* Adds a staffed (paused = false) or paused span of an agent. */
HOTLINE_API int hotline_sla_records_add_agent_span(hotline_sla_records* records, const char* agent,
                                                   hotline_time_ms start, hotline_time_ms end,
                                                   bool paused);

/* ---- Scorecard ratios ---------------------------------------------------------------------- */
/* 1 x (result - national_min) / (national_average - national_min). */
HOTLINE_API int hotline_sla_mystery_call_score(double* out, double result, double national_min,
                                               double national_average);
/* satisfied / responses (NaN when responses == 0). */
HOTLINE_API int hotline_sla_satisfaction_rate(double* out, int64_t satisfied, int64_t responses);
/* On-time ratio of count items; done[i] == HOTLINE_SLA_OPEN means still open. *out = ratio,
 * late / pending may be NULL. */
#define HOTLINE_SLA_OPEN INT64_MIN
HOTLINE_API int hotline_sla_on_time_ratio(double* out, int64_t* late, int64_t* pending,
                                          const hotline_time_ms* due, const hotline_time_ms* done,
                                          size_t count, hotline_time_ms as_of);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SLA_H */
