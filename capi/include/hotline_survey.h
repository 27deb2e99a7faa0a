/* hotline C ABI: satisfaction surveys — definitions, sampling, scoring, the dissatisfaction loop.
 */
#ifndef HOTLINE_SURVEY_H
#define HOTLINE_SURVEY_H

#include "hotline_calendar.h"
#include "hotline_common.h"
#include "hotline_escalation.h"
#include "hotline_ivr.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HOTLINE_SURVEY_MAX_QUESTIONS 8
#define HOTLINE_SURVEY_NO_RESPONSE (-1)

/* A validated survey definition. Thread-safe to share. */
typedef struct hotline_survey_definition hotline_survey_definition;
/* Sampling state (suppression, quotas). One thread at a time. */
typedef struct hotline_survey_sampler hotline_survey_sampler;
/* The dissatisfaction loop over an escalation engine. One thread at a time (with the engine). */
typedef struct hotline_survey_loop hotline_survey_loop;

typedef enum hotline_survey_decision {
  HOTLINE_SURVEY_SAMPLED = 0,
  HOTLINE_SURVEY_NOT_SAMPLED = 1,
  HOTLINE_SURVEY_SUPPRESSED = 2,
  HOTLINE_SURVEY_TRANSFERRED = 3,
  HOTLINE_SURVEY_CALLBACK = 4,
  HOTLINE_SURVEY_TOO_SHORT = 5,
  HOTLINE_SURVEY_QUOTA = 6
} hotline_survey_decision;

typedef enum hotline_survey_group_by {
  HOTLINE_SURVEY_BY_ALL = 0,
  HOTLINE_SURVEY_BY_AGENT = 1,
  HOTLINE_SURVEY_BY_TEAM = 2,
  HOTLINE_SURVEY_BY_QUEUE = 3,
  HOTLINE_SURVEY_BY_INTERVAL30 = 4,
  HOTLINE_SURVEY_BY_DAY = 5,
  HOTLINE_SURVEY_BY_MONTH = 6
} hotline_survey_group_by;

typedef enum hotline_survey_verdict {
  HOTLINE_SURVEY_AGENT_AT_FAULT = 0,
  HOTLINE_SURVEY_NOT_AT_FAULT = 1
} hotline_survey_verdict;

/* A handled contact when the agent leg ends. */
typedef struct hotline_survey_contact {
  const char* id;
  const char* customer; /* caller number */
  const char* agent;
  hotline_time_ms ended;
  hotline_duration_ms talk;
  bool transferred;
  bool callback;
} hotline_survey_contact;

/* One response; group ids are the host's interned agent / team / queue numbers. */
typedef struct hotline_survey_response {
  uint32_t agent, team, queue;
  hotline_time_ms at;
  int8_t answers[HOTLINE_SURVEY_MAX_QUESTIONS]; /* HOTLINE_SURVEY_NO_RESPONSE when unanswered */
  bool responded;
} hotline_survey_response;

/* A proportion with its 95% Wilson interval (NaN when n == 0). */
typedef struct hotline_survey_proportion {
  int successes, n;
  double value, low, high;
} hotline_survey_proportion;

typedef struct hotline_survey_score {
  char group[32]; /* agent / team / queue number, or "2025-03-03", "2025-03-03 10:30", "2025-03" */
  int offered, responded;
  double response_rate;
  hotline_survey_proportion satisfaction, csat;
  double nps, nps_low, nps_high;
  int nps_n;
  double ces;
  int ces_n;
  int more_needed; /* answers still needed for the requested precision; 0 when enough */
} hotline_survey_score;

/* The desktop alert. Strings owned by the loop, valid until its next call. */
typedef struct hotline_survey_alert {
  const char* agent;
  const char* caller;
  const char* contact;
  const char* text;
  hotline_time_ms at;
  uint64_t order; /* the follow-up work order in the escalation engine */
} hotline_survey_alert;

HOTLINE_API int hotline_survey_definition_from_json(hotline_survey_definition** out,
                                                    const char* json, size_t len);
HOTLINE_API int hotline_survey_definition_load(hotline_survey_definition** out, const char* path);
HOTLINE_API void hotline_survey_definition_free(hotline_survey_definition* def);
HOTLINE_API int hotline_survey_question_count(size_t* out, const hotline_survey_definition* def);
/* The survey as an IVR document (compose it with hotline_ivr_tree_compose, alone or as a
 * sub-flow after the agent leg). */
HOTLINE_API int hotline_survey_ivr_json(char* buf, size_t cap, size_t* needed,
                                        const hotline_survey_definition* def);
/* The answers a finished survey session collected. */
HOTLINE_API int hotline_survey_response_from_session(hotline_survey_response* out,
                                                     const hotline_survey_definition* def,
                                                     const hotline_ivr_session* session);

/* The sample draw alone (seed and contact id decide it on every machine). */
HOTLINE_API int hotline_survey_in_sample(bool* out, const char* contact_id, uint64_t seed,
                                         double percent);
/* A sampler; quota days in the calendar's zone (the calendar is copied). */
HOTLINE_API int hotline_survey_sampler_new(hotline_survey_sampler** out,
                                           const hotline_survey_definition* def,
                                           const hotline_calendar* zone);
HOTLINE_API void hotline_survey_sampler_free(hotline_survey_sampler* sampler);
HOTLINE_API int hotline_survey_sampler_decide(hotline_survey_decision* out,
                                              hotline_survey_sampler* sampler,
                                              const hotline_survey_contact* contact);

/* Wilson score interval at z (1.96 for 95%). */
HOTLINE_API int hotline_survey_wilson(hotline_survey_proportion* out, int successes, int n,
                                      double z);
/* Scores per group, with the EBUFFER protocol. precision: the wanted half-width of the
 * satisfaction rate (e.g. 0.05). */
HOTLINE_API int hotline_survey_aggregate(hotline_survey_score* out, size_t capacity, size_t* count,
                                         const hotline_survey_definition* def,
                                         const hotline_survey_response* responses, size_t n,
                                         hotline_survey_group_by by, const hotline_calendar* zone,
                                         double precision);

/* The loop on an escalation engine (which must outlive it). roster_json: [{"from", "to",
 * "supervisor"}]; category / department NULL: "dissatisfaction_followup" / "hotline". */
HOTLINE_API int hotline_survey_loop_new(hotline_survey_loop** out,
                                        hotline_escalation_engine* engine, const char* roster_json,
                                        const hotline_calendar* zone, const char* category,
                                        const char* department);
HOTLINE_API void hotline_survey_loop_free(hotline_survey_loop* loop);
/* A dissatisfied answer: the alert and the follow-up order (idempotent per contact). */
HOTLINE_API int hotline_survey_loop_dissatisfied(hotline_survey_alert* out,
                                                 hotline_survey_loop* loop,
                                                 const hotline_survey_contact* contact,
                                                 const char* recording, hotline_time_ms now);
HOTLINE_API int hotline_survey_loop_explain(hotline_survey_loop* loop, uint64_t order,
                                            const char* agent, const char* text,
                                            hotline_time_ms now);
/* Advances the engine (auto-submitting late explanations); the notices are read with
 * hotline_escalation_notices on the engine. */
HOTLINE_API int hotline_survey_loop_advance(size_t* count, hotline_survey_loop* loop,
                                            hotline_time_ms now);
HOTLINE_API int hotline_survey_loop_review(hotline_survey_loop* loop, uint64_t order,
                                           const char* supervisor, const char* recording,
                                           hotline_time_ms now);
HOTLINE_API int hotline_survey_loop_call_back(hotline_survey_loop* loop, uint64_t order,
                                              const char* supervisor, const char* note,
                                              hotline_time_ms now);
HOTLINE_API int hotline_survey_loop_verdict(hotline_survey_loop* loop, uint64_t order,
                                            const char* supervisor, hotline_survey_verdict verdict,
                                            const char* reason, hotline_time_ms now);
HOTLINE_API int hotline_survey_loop_overdue(bool* out, const hotline_survey_loop* loop,
                                            uint64_t order);
/* Yellow cards as JSON [{agent, order, at, month, reason}]; year 0: every month. */
HOTLINE_API int hotline_survey_loop_yellow_cards_json(char* buf, size_t cap, size_t* needed,
                                                      const hotline_survey_loop* loop, int year,
                                                      unsigned month);

/* The monthly assessment from JSON input {"agents": [{"agent", "responses", "satisfied",
 * "answered", "qa"}], "yellow_cards": [{"agent"}], "weights": {...}} (docs/survey.md); writes the
 * ranked table as JSON. */
HOTLINE_API int hotline_survey_assess_json(char* buf, size_t cap, size_t* needed,
                                           const char* input_json);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SURVEY_H */
