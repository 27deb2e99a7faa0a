/* hotline C ABI: workforce planning — shift scheduling (exact integer programming) and
 * month-by-month capacity planning. See docs/workforce.md for the JSON formats. */
#ifndef HOTLINE_WORKFORCE_H
#define HOTLINE_WORKFORCE_H

#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Shift scheduling ------------------------------------------------------------------- */
/* A scheduling problem (immutable once read) and a solved schedule. */
typedef struct hotline_workforce_problem hotline_workforce_problem;
typedef struct hotline_workforce_schedule hotline_workforce_schedule;

/* Reads a problem from len bytes of JSON. HOTLINE_EDEFINITION naming the JSON pointer. */
HOTLINE_API int hotline_workforce_problem_from_json(hotline_workforce_problem** out,
                                                    const char* json, size_t len);
/* As above, from a file (HOTLINE_EIO when it cannot be read). */
HOTLINE_API int hotline_workforce_problem_load(hotline_workforce_problem** out, const char* path);
HOTLINE_API void hotline_workforce_problem_free(hotline_workforce_problem* problem);
/* Agents required per interval (given, or derived from calls and a target). Caller-buffer
 * protocol: HOTLINE_EBUFFER with *count when capacity is too small. */
HOTLINE_API int hotline_workforce_problem_required(double* out, size_t capacity, size_t* count,
                                                   const hotline_workforce_problem* problem);

typedef enum hotline_workforce_objective {
  HOTLINE_WORKFORCE_MIN_COST = 0,         /* cover every requirement at least cost */
  HOTLINE_WORKFORCE_MAX_SERVICE_LEVEL = 1 /* best service level within max_shifts / budget */
} hotline_workforce_objective;

#define HOTLINE_WORKFORCE_OPTIONS_VERSION 1
typedef struct hotline_workforce_options {
  unsigned int version; /* HOTLINE_WORKFORCE_OPTIONS_VERSION */
  hotline_workforce_objective objective;
  int64_t max_shifts;             /* < 0: none */
  double budget;                  /* < 0: none */
  bool keep_requirements;         /* max service level: coverage >= required too */
  hotline_duration_ms time_limit; /* wall clock; 0: 30 s */
} hotline_workforce_options;

/* Solves exactly. options may be NULL (minimum cost, 30 s). HOTLINE_EDEFINITION when no schedule
 * is feasible (naming the interval or template), HOTLINE_ELIMIT when the model is too large or
 * the time limit passes with no feasible schedule. */
HOTLINE_API int hotline_workforce_solve(hotline_workforce_schedule** out,
                                        const hotline_workforce_problem* problem,
                                        const hotline_workforce_options* options);
HOTLINE_API void hotline_workforce_schedule_free(hotline_workforce_schedule* schedule);

typedef struct hotline_workforce_summary {
  double cost;
  int64_t total_shifts;
  double paid_hours;
  double overall_service_level; /* NaN without demand */
  bool optimal;                 /* proven optimal */
  double objective;
  size_t variants;  /* shift variants considered */
  size_t shifts;    /* entries for hotline_workforce_schedule_shift */
  size_t intervals; /* entries for hotline_workforce_schedule_interval */
} hotline_workforce_summary;
HOTLINE_API int hotline_workforce_schedule_summary(hotline_workforce_summary* out,
                                                   const hotline_workforce_schedule* schedule);

typedef struct hotline_workforce_shift {
  const char* template_name; /* owned by the schedule */
  size_t template_index;
  hotline_duration_ms start; /* from the start of the horizon (Monday 00:00 for a week) */
  int64_t count;
  size_t break_count;
  const hotline_duration_ms* breaks; /* break starts from the horizon start; owned */
} hotline_workforce_shift;
/* *out = shift index (HOTLINE_EINVALID when out of range). */
HOTLINE_API int hotline_workforce_schedule_shift(hotline_workforce_shift* out,
                                                 const hotline_workforce_schedule* schedule,
                                                 size_t index);

typedef struct hotline_workforce_interval {
  double required, coverage, shortfall;
  double service_level; /* NaN without demand */
} hotline_workforce_interval;
HOTLINE_API int hotline_workforce_schedule_interval(hotline_workforce_interval* out,
                                                    const hotline_workforce_schedule* schedule,
                                                    size_t index);

/* ---- Capacity planning ------------------------------------------------------------------ */
typedef struct hotline_workforce_plan hotline_workforce_plan;

/* Reads a capacity-plan input (JSON) and runs it. HOTLINE_EDEFINITION naming the pointer. */
HOTLINE_API int hotline_workforce_plan_from_json(hotline_workforce_plan** out, const char* json,
                                                 size_t len);
HOTLINE_API void hotline_workforce_plan_free(hotline_workforce_plan* plan);

typedef struct hotline_workforce_plan_totals {
  size_t months;
  int lead_months;
  int64_t total_hires;
  int months_meeting_target;
} hotline_workforce_plan_totals;
HOTLINE_API int hotline_workforce_plan_summary(hotline_workforce_plan_totals* out,
                                               const hotline_workforce_plan* plan);

typedef struct hotline_workforce_month {
  int year, month;
  double calls, required_fte;
  int64_t productive, in_training, hires, leavers;
  double attrition, overtime, shortfall_fte, service_level;
} hotline_workforce_month;
HOTLINE_API int hotline_workforce_plan_month(hotline_workforce_month* out,
                                             const hotline_workforce_plan* plan, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_WORKFORCE_H */
