/* C ABI of the survey component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#include <math.h>

#include "check.h"

#define MINUTE 60000LL
static const hotline_time_ms T0 = 1740967200000LL; /* Monday 2025-03-03 10:00 +08:00 */

static void test_survey_flow_and_scores(void) {
  hotline_survey_definition* def = NULL;
  hotline_ivr_tree* tree = NULL;
  hotline_ivr_session* s = NULL;
  hotline_ivr_document doc;
  hotline_survey_response r[3];
  hotline_survey_score scores[4];
  hotline_survey_proportion p;
  hotline_calendar* zone = NULL;
  static char json[1 << 16];
  size_t needed = 0, n = 0, q = 0;

  CHECK_OK(
      hotline_survey_definition_load(&def, HOTLINE_SOURCE_DIR "/examples/survey/post-call.json"));
  CHECK_OK(hotline_survey_question_count(&q, def));
  CHECK_EQ_I64(q, 5);
  CHECK_OK(hotline_survey_ivr_json(json, sizeof json, &needed, def));
  doc.json = json;
  doc.len = needed;
  doc.base_dir = NULL;
  CHECK_OK(hotline_ivr_tree_compose(&tree, &doc, 1));
  CHECK_OK(hotline_ivr_session_new(&s, tree, NULL, T0));
  CHECK_OK(hotline_ivr_session_digits(s, "2", T0 + 5000));
  CHECK_OK(hotline_ivr_session_digits(s, "2", T0 + 10000));
  CHECK_OK(hotline_ivr_session_digits(s, "3", T0 + 15000));
  CHECK_OK(hotline_ivr_session_digits(s, "6#", T0 + 20000));
  CHECK_OK(hotline_ivr_session_digits(s, "5", T0 + 25000));
  CHECK_OK(hotline_survey_response_from_session(&r[0], def, s));
  CHECK(r[0].responded);
  CHECK_EQ_I64(r[0].answers[0], 0); /* dissatisfied */
  CHECK_EQ_I64(r[0].answers[3], 6);
  CHECK_EQ_I64(r[0].answers[5], HOTLINE_SURVEY_NO_RESPONSE);
  r[0].agent = 1;
  r[1] = r[0];
  r[1].answers[0] = 1;
  r[1].answers[3] = 10;
  r[2] = r[1];
  r[2].agent = 2;

  CHECK_OK(hotline_calendar_new_always_open(&zone, "Asia/Shanghai"));
  CHECK_STATUS(
      hotline_survey_aggregate(scores, 1, &n, def, r, 3, HOTLINE_SURVEY_BY_AGENT, zone, 0.05),
      HOTLINE_EBUFFER);
  CHECK_EQ_I64(n, 2);
  CHECK_OK(hotline_survey_aggregate(scores, 4, &n, def, r, 3, HOTLINE_SURVEY_BY_AGENT, zone, 0.05));
  CHECK(strcmp(scores[0].group, "1") == 0);
  CHECK(scores[0].satisfaction.value == 0.5);
  CHECK(scores[0].nps == 0.0); /* one promoter, one detractor */
  CHECK(scores[0].more_needed > 0);
  CHECK_OK(hotline_survey_aggregate(scores, 4, &n, def, r, 3, HOTLINE_SURVEY_BY_DAY, zone, 0.05));
  CHECK_EQ_I64(n, 1);
  CHECK(strcmp(scores[0].group, "2025-03-03") == 0);
  CHECK_STATUS(
      hotline_survey_aggregate(scores, 4, &n, def, r, 3, (hotline_survey_group_by)9, zone, 0.05),
      HOTLINE_EINVALID);
  /* The precision is checked by the library itself (the C ABI no longer repeats the check). */
  CHECK_STATUS(hotline_survey_aggregate(scores, 4, &n, def, r, 3, HOTLINE_SURVEY_BY_DAY, zone, 0.0),
               HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "precision");

  /* Newcombe (1998) Table I: 81/263 -> 0.2553 .. 0.3662. */
  CHECK_OK(hotline_survey_wilson(&p, 81, 263, 1.96));
  CHECK(fabs(p.low - 0.2553) < 5e-5 && fabs(p.high - 0.3662) < 5e-5);
  CHECK_STATUS(hotline_survey_wilson(&p, 5, 3, 1.96), HOTLINE_EINVALID);

  hotline_ivr_session_free(s);
  hotline_ivr_tree_free(tree);
  hotline_calendar_free(zone);
  hotline_survey_definition_free(def);
}

static void test_sampling(void) {
  hotline_survey_definition* def = NULL;
  hotline_survey_sampler* sampler = NULL;
  hotline_calendar* zone = NULL;
  hotline_survey_contact c;
  hotline_survey_decision d;
  bool in = false;
  int i, sampled = 0;
  char id[16];

  CHECK_OK(
      hotline_survey_definition_load(&def, HOTLINE_SOURCE_DIR "/examples/survey/post-call.json"));
  CHECK_OK(hotline_calendar_new_always_open(&zone, "Asia/Shanghai"));
  CHECK_OK(hotline_survey_sampler_new(&sampler, def, zone));
  memset(&c, 0, sizeof c);
  c.customer = "138";
  c.agent = "a1";
  c.ended = T0;
  c.talk = 60000;
  c.transferred = true;
  c.id = "x";
  CHECK_OK(hotline_survey_sampler_decide(&d, sampler, &c));
  CHECK_EQ_I64(d, HOTLINE_SURVEY_TRANSFERRED);
  c.transferred = false;
  for (i = 0; i < 1000; ++i) {
    sprintf(id, "c%d", i);
    CHECK_OK(hotline_survey_in_sample(&in, id, 10010, 30));
    sampled += in;
  }
  CHECK(sampled > 250 && sampled < 350);
  CHECK_STATUS(hotline_survey_in_sample(&in, "c", 1, 101), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_survey_sampler_decide(&d, sampler, NULL), HOTLINE_EINVALID);
  hotline_survey_sampler_free(sampler);
  hotline_calendar_free(zone);
  hotline_survey_definition_free(def);
}

static void test_loop(void) {
  hotline_escalation_policy* policy = NULL;
  hotline_escalation_engine* engine = NULL;
  hotline_survey_loop* loop = NULL;
  hotline_calendar* zone = NULL;
  hotline_survey_alert alert;
  hotline_survey_contact c;
  bool overdue = false;
  size_t n = 0, needed = 0;
  char buf[4096];
  const char* roster =
      "[{\"from\": \"2025-03-03T08:00:00+08:00\", \"to\": \"2025-03-03T20:00:00+08:00\","
      " \"supervisor\": \"sup-day\"}]";

  CHECK_OK(hotline_escalation_policy_load(&policy,
                                          HOTLINE_SOURCE_DIR "/examples/escalation/policy.json"));
  CHECK_OK(hotline_escalation_engine_new(&engine, policy));
  CHECK_OK(hotline_calendar_new_always_open(&zone, "Asia/Shanghai"));
  CHECK_STATUS(hotline_survey_loop_new(&loop, engine, "[{\"from\": 1}]", zone, NULL, NULL),
               HOTLINE_EDEFINITION);
  CHECK_OK(hotline_survey_loop_new(&loop, engine, roster, zone, NULL, NULL));
  memset(&c, 0, sizeof c);
  c.id = "call-9";
  c.customer = "13800000009";
  c.agent = "a5";
  c.ended = T0;
  c.talk = 90000;
  CHECK_OK(hotline_survey_loop_dissatisfied(&alert, loop, &c, "rec-9.wav", T0));
  CHECK(strcmp(alert.caller, "13800000009") == 0);
  CHECK_CONTAINS(alert.text, "not satisfied");
  /* No explanation within 30 minutes: submitted to the supervisor, overdue. */
  CHECK_OK(hotline_survey_loop_advance(&n, loop, T0 + 31 * MINUTE));
  CHECK(n >= 1);
  CHECK_OK(hotline_survey_loop_overdue(&overdue, loop, alert.order));
  CHECK(overdue);
  CHECK_STATUS(hotline_survey_loop_explain(loop, alert.order, "a5", "late", T0 + 32 * MINUTE),
               HOTLINE_ESTATE);
  CHECK_OK(hotline_survey_loop_review(loop, alert.order, "sup-day", "rec-9.wav", T0 + 40 * MINUTE));
  CHECK_OK(hotline_survey_loop_call_back(loop, alert.order, "sup-day", "called", T0 + 50 * MINUTE));
  CHECK_STATUS(hotline_survey_loop_verdict(loop, alert.order, "sup-day", (hotline_survey_verdict)5,
                                           "x", T0 + 55 * MINUTE),
               HOTLINE_EINVALID);
  CHECK_OK(hotline_survey_loop_verdict(loop, alert.order, "sup-day", HOTLINE_SURVEY_AGENT_AT_FAULT,
                                       "rude", T0 + 55 * MINUTE));
  CHECK_OK(hotline_survey_loop_yellow_cards_json(buf, sizeof buf, &needed, loop, 2025, 3));
  CHECK_CONTAINS(buf, "\"agent\":\"a5\"");
  CHECK_OK(hotline_survey_assess_json(
      buf, sizeof buf, &needed,
      "{\"agents\": [{\"agent\": \"a5\", \"responses\": 20, \"satisfied\": 18, \"answered\": 20},"
      " {\"agent\": \"a6\", \"responses\": 20, \"satisfied\": 17, \"answered\": 20, \"qa\": 80}],"
      " \"yellow_cards\": [{\"agent\": \"a5\"}]}"));
  CHECK_CONTAINS(buf, "\"agent\":\"a6\",\"responses\":20");
  CHECK_STATUS(hotline_survey_assess_json(buf, sizeof buf, &needed, "{\"agents\": 3}"),
               HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "/agents");
  hotline_survey_loop_free(loop);
  hotline_escalation_engine_free(engine);
  hotline_escalation_policy_free(policy);
  hotline_calendar_free(zone);
}

int main(void) {
  test_survey_flow_and_scores();
  test_sampling();
  test_loop();
  return check_report("survey_capi_test");
}
