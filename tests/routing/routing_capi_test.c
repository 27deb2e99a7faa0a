/* C ABI of the routing component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#include <string.h>

#include "check.h"

static const hotline_time_ms T0 = 1740967200000LL; /* Monday 2025-03-03 10:00 +08:00 */

typedef struct seen {
  hotline_routing_decision d[16];
  int n;
  hotline_router* router; /* to prove re-entry is refused */
  int reentry_status;
} seen;

static void on_decision(void* user, const hotline_routing_decision* d) {
  seen* s = (seen*)user;
  if (s->n < 16) s->d[s->n++] = *d;
  s->reentry_status = hotline_router_advance(s->router, T0 + 100000);
}

static void test_policy_errors(void) {
  hotline_routing_policy* p = NULL;
  static const char bad[] =
      "{\"skills\": [\"billing\"], \"tiers\": [{\"name\": \"L3\"}],"
      " \"queues\": [{\"name\": \"q\", \"skills\": [\"billing\"], \"strategy\": "
      "\"longest_idel\"}]}";
  CHECK_STATUS(hotline_routing_policy_from_json(&p, bad, strlen(bad), NULL), HOTLINE_EDEFINITION);
  CHECK(p == NULL);
  CHECK(strcmp(hotline_error_where(), "/queues/0/strategy") == 0);
  CHECK_STATUS(hotline_routing_policy_load(&p, "/nonexistent/policy.json"), HOTLINE_EIO);
  CHECK_STATUS(hotline_routing_policy_from_json(NULL, bad, strlen(bad), NULL), HOTLINE_EINVALID);
}

static void test_events_and_decisions(void) {
  hotline_routing_policy* p = NULL;
  hotline_router* r = NULL;
  hotline_router_options o;
  hotline_routing_decision d[8];
  hotline_routing_queue_stats st;
  char buf[4096];
  size_t n = 0, needed = 0, q = 0;
  uint32_t pos = 0;
  hotline_duration_ms wait = 0;
  hotline_time_ms due = 0;
  bool has = false;
  seen s;

  CHECK_OK(hotline_routing_policy_load(&p, HOTLINE_SOURCE_DIR "/examples/routing/policy.json"));
  CHECK_OK(hotline_routing_policy_queue_count(&n, p));
  CHECK_EQ_I64(n, 7);
  CHECK_OK(hotline_routing_policy_queue_index(&q, p, "billing"));
  CHECK_OK(hotline_routing_policy_queue_name(buf, sizeof buf, &needed, p, q));
  CHECK(strcmp(buf, "billing") == 0);
  CHECK_OK(hotline_routing_policy_classify(buf, sizeof buf, &needed, p, "{\"arpu\": 650}"));
  CHECK(strcmp(buf, "L1") == 0);

  memset(&o, 0, sizeof o);
  o.record = true;
  CHECK_OK(hotline_router_new(&r, p, &o));
  hotline_routing_policy_free(p); /* the router keeps its own reference */
  p = NULL;
  CHECK_OK(hotline_router_login(
      r,
      "{\"id\": 7, \"skills\": {\"billing\": 4}, \"languages\": [\"zh\"], \"grade\": \"senior\"}",
      true, T0));
  CHECK_OK(hotline_router_arrive_simple(r, 1, "billing", "L3", "zh", T0 + 1000));
  CHECK_OK(hotline_router_pending(&n, r));
  CHECK_EQ_I64(n, 1);
  CHECK_OK(hotline_router_drain(d, 8, &n, r));
  CHECK_EQ_I64(n, 1);
  CHECK_EQ_I64(d[0].kind, HOTLINE_ROUTING_OFFER);
  CHECK_EQ_I64(d[0].rule, HOTLINE_ROUTING_RULE_STRATEGY);
  CHECK_EQ_I64(d[0].agent, 7);
  CHECK_EQ_I64(d[0].contact, 1);
  CHECK_EQ_I64(d[0].at, T0 + 1000);

  /* Bad events change nothing and buffer nothing. */
  CHECK_STATUS(hotline_router_accept(r, 1, 99, T0 + 2000), HOTLINE_ENOTFOUND);
  CHECK(strcmp(hotline_error_where(), "agent") == 0);
  CHECK_STATUS(hotline_router_end(r, 1, T0 + 2000), HOTLINE_ESTATE);
  CHECK_STATUS(hotline_router_advance(r, T0 - 1), HOTLINE_EINVALID);
  CHECK_STATUS(
      hotline_router_login(r, "{\"id\": 8, \"skills\": {\"billing\": 9}}", true, T0 + 2000),
      HOTLINE_EDEFINITION);
  CHECK(strcmp(hotline_error_where(), "/skills/billing") == 0);
  CHECK_STATUS(hotline_router_arrive(r, "{\"id\": 2, \"queue\": \"nope\"}", T0 + 2000),
               HOTLINE_ENOTFOUND);
  CHECK_STATUS(hotline_router_arrive(r, "{\"id\": 2, \"queue\": ", T0 + 2000), HOTLINE_EDEFINITION);
  CHECK_STATUS(hotline_router_arrive(r, NULL, T0 + 2000), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_router_accept(NULL, 1, 7, T0 + 2000), HOTLINE_EINVALID);
  CHECK_OK(hotline_router_pending(&n, r));
  CHECK_EQ_I64(n, 0);
  CHECK_OK(hotline_router_check(r));

  CHECK_OK(hotline_router_accept(r, 1, 7, T0 + 2000));
  /* A second caller queues: the callback gets the announcement and the callback offer. */
  memset(&s, 0, sizeof s);
  s.router = r;
  CHECK_OK(hotline_router_set_callback(r, on_decision, &s));
  CHECK_OK(hotline_router_arrive(
      r,
      "{\"id\": 2, \"queue\": \"billing\", \"attributes\": {\"arpu\": 30}, \"language\": \"zh\"}",
      T0 + 3000));
  CHECK_EQ_I64(s.n, 2);
  CHECK_EQ_I64(s.d[0].kind, HOTLINE_ROUTING_ANNOUNCE);
  CHECK_EQ_I64(s.d[0].position, 1);
  CHECK_EQ_I64(s.d[0].predicted_wait, 240000);
  CHECK_EQ_I64(s.d[1].kind, HOTLINE_ROUTING_CALLBACK_OFFER);
  CHECK_EQ_I64(s.reentry_status, HOTLINE_ESTATE);
  CHECK_STATUS(hotline_routing_explain(buf, sizeof buf, &needed, NULL, &s.d[0]), HOTLINE_EINVALID);
  CHECK_OK(hotline_router_set_callback(r, NULL, NULL));
  CHECK_OK(hotline_router_position(&pos, r, 2, T0 + 3000));
  CHECK_EQ_I64(pos, 1);
  CHECK_OK(hotline_router_predicted_wait(&wait, r, 2, T0 + 3000));
  CHECK_EQ_I64(wait, 240000);
  CHECK_OK(hotline_router_next_due(&due, &has, r));
  CHECK(has);
  CHECK_OK(hotline_router_queue_stats(&st, r, q));
  CHECK_EQ_I64(st.waiting, 1);
  CHECK_EQ_I64(st.answered, 1);
  CHECK_EQ_I64(st.staffed, 1);
  CHECK_OK(hotline_router_contact_json(buf, sizeof buf, &needed, r, 2));
  CHECK(strstr(buf, "\"state\":\"waiting\"") != NULL);
  CHECK_OK(hotline_router_agent_json(buf, sizeof buf, &needed, r, 7));
  CHECK(strstr(buf, "\"busy\":1") != NULL);
  /* The end of the call: wrap-up, then agent 7 gets contact 2. */
  CHECK_OK(hotline_router_end(r, 1, T0 + 60000));
  CHECK_OK(hotline_router_wrap_up_done(r, 1, T0 + 61000));
  CHECK_OK(hotline_router_drain(d, 8, &n, r));
  CHECK_EQ_I64(n, 1);
  CHECK_EQ_I64(d[0].kind, HOTLINE_ROUTING_OFFER);
  CHECK_EQ_I64(d[0].contact, 2);
  CHECK_EQ_I64(d[0].rule, HOTLINE_ROUTING_RULE_PRIORITY);
  CHECK_OK(hotline_router_check(r));

  /* The event log replays. */
  CHECK_STATUS(hotline_router_events_jsonl(buf, 8, &needed, r), HOTLINE_EBUFFER);
  CHECK(needed > 8);
  CHECK_OK(hotline_router_events_jsonl(buf, sizeof buf, &needed, r));
  CHECK(strstr(buf, "\"kind\":\"arrive\"") != NULL);
  CHECK_STATUS(
      hotline_router_apply(r, "{\"kind\": \"teleport\", \"at\": \"2025-03-03T02:02:00Z\"}"),
      HOTLINE_EDEFINITION);
  CHECK(strcmp(hotline_error_where(), "/kind") == 0);
  hotline_router_free(r);
  hotline_router_free(NULL);
  hotline_routing_policy_free(NULL);
}

static void test_explain(void) {
  hotline_routing_policy* p = NULL;
  hotline_routing_decision d;
  char buf[512];
  size_t needed = 0;
  CHECK_OK(hotline_routing_policy_load(&p, HOTLINE_SOURCE_DIR "/examples/routing/policy.json"));
  memset(&d, 0, sizeof d);
  d.kind = HOTLINE_ROUTING_OFFER;
  d.contact = 5;
  d.agent = 9;
  d.queue = 1;
  d.candidates = 3;
  d.metric = 42;
  CHECK_OK(hotline_routing_explain(buf, sizeof buf, &needed, p, &d));
  CHECK(strstr(buf, "offer contact 5 to agent 9") != NULL);
  CHECK(strstr(buf, "longest_idle") != NULL);
  memset(&d, 0xFF, sizeof d); /* out-of-range enums are refused, not read */
  CHECK_STATUS(hotline_routing_explain(buf, sizeof buf, &needed, p, &d), HOTLINE_EINVALID);
  hotline_routing_policy_free(p);
}

/* fuzz_routing: an abandon centuries after the arrival made the SLA window throw after the offer
 * was withdrawn ("contact offered to nobody"). It now succeeds and leaves a consistent router. */
static void test_abandon_centuries_later(void) {
  hotline_routing_policy* p = NULL;
  hotline_router* r = NULL;
  hotline_routing_decision d[8];
  size_t n = 0;
  const hotline_time_ms far = T0 + 2000LL * 366 * 24 * 3600 * 1000;
  CHECK_OK(hotline_routing_policy_load(&p, HOTLINE_SOURCE_DIR "/examples/routing/policy.json"));
  CHECK_OK(hotline_router_new(&r, p, NULL));
  CHECK_OK(hotline_router_login(
      r, "{\"id\": 1, \"skills\": {\"complaints\": 3}, \"languages\": [\"zh\"]}", true, T0));
  CHECK_OK(hotline_router_arrive_simple(r, 2, "complaints", "L3", "zh", T0 + 38000));
  CHECK_OK(hotline_router_drain(d, 8, &n, r));
  CHECK_EQ_I64(n, 1);
  CHECK(d[0].kind == HOTLINE_ROUTING_OFFER);
  CHECK_OK(hotline_router_abandon(r, 2, far));
  CHECK_OK(hotline_router_check(r));
  CHECK_OK(hotline_router_drain(d, 8, &n, r));
  CHECK(n >= 1 && d[0].kind == HOTLINE_ROUTING_WITHDRAW);
  hotline_router_free(r);
  hotline_routing_policy_free(p);
}

/* next_due reports only timers that can act: not an answered offer's timeout, nor the starvation
   bound of a contact that has left. */
static void test_next_due_skips_void_timers(void) {
  static const char policy[] =
      "{\"skills\": [\"billing\"], \"tiers\": [{\"name\": \"L3\"}],"
      " \"rules\": {\"max_wait\": \"10m\", \"offer_timeout\": \"20s\", \"sla_aware\": false,"
      " \"announce\": false},"
      " \"queues\": [{\"name\": \"billing\", \"skills\": [\"billing\"], \"aging_per_s\": 0,"
      " \"wrap_up\": \"0s\"}]}";
  hotline_routing_policy* p = NULL;
  hotline_router* r = NULL;
  hotline_routing_decision d[8];
  hotline_time_ms due = 0;
  bool has = false;
  size_t n = 0;
  CHECK_OK(hotline_routing_policy_from_json(&p, policy, strlen(policy), NULL));
  CHECK_OK(hotline_router_new(&r, p, NULL));
  CHECK_OK(hotline_router_login(r, "{\"id\": 1, \"skills\": {\"billing\": 3}}", true, T0));
  CHECK_OK(hotline_router_arrive_simple(r, 1, "billing", "L3", NULL, T0));
  CHECK_OK(hotline_router_drain(d, 8, &n, r));
  CHECK_EQ_I64(n, 1);
  CHECK_OK(hotline_router_next_due(&due, &has, r));
  CHECK(has);
  CHECK_EQ_I64(due, T0 + 20000); /* the offer's timeout */
  CHECK_OK(hotline_router_accept(r, 1, 1, T0 + 5000));
  CHECK_OK(hotline_router_next_due(&due, &has, r));
  CHECK(has);
  CHECK_EQ_I64(due, T0 + 600000); /* answered: the starvation bound only */
  CHECK_OK(hotline_router_end(r, 1, T0 + 60000));
  CHECK_OK(hotline_router_next_due(&due, &has, r));
  CHECK(!has); /* the contact left */
  CHECK_OK(hotline_router_check(r));
  hotline_router_free(r);
  hotline_routing_policy_free(p);
}

int main(void) {
  test_policy_errors();
  test_next_due_skips_void_timers();
  test_events_and_decisions();
  test_explain();
  test_abandon_centuries_later();
  return check_report("routing_capi_test");
}
