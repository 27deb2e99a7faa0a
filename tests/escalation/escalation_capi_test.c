/* C ABI of the escalation component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "check.h"

#define MINUTE 60000LL
#define HOUR (60 * MINUTE)
/* 2025-03-03 09:00 +08:00, a Monday. */
static const hotline_time_ms T0 = 1740963600000LL;

static hotline_escalation_policy* load_policy(void) {
  hotline_escalation_policy* p = NULL;
  CHECK_OK(
      hotline_escalation_policy_load(&p, HOTLINE_SOURCE_DIR "/examples/escalation/policy.json"));
  return p;
}

static hotline_escalation_new_order complaint(const char* customer) {
  hotline_escalation_new_order o;
  memset(&o, 0, sizeof o);
  o.version = HOTLINE_ESCALATION_NEW_ORDER_VERSION;
  o.customer = customer;
  o.channel = HOTLINE_CHANNEL_HOTLINE;
  o.category = "complaint";
  o.severity = HOTLINE_SEVERITY_NORMAL;
  o.owner = "agent-7";
  return o;
}

static void test_lifecycle(void) {
  hotline_escalation_policy* p = load_policy();
  hotline_escalation_engine* e = NULL;
  hotline_escalation_result r;
  hotline_escalation_new_order o = complaint("13800000001");
  hotline_escalation_actor owner = {"agent-7", "agent"};
  hotline_escalation_field assess = {"assessment", "wrong SP charge"};
  hotline_escalation_notice ns[8];
  hotline_escalation_order ord;
  hotline_escalation_clock clk;
  size_t n = 0, needed = 0;
  char text[4096];
  hotline_time_ms due = 0;
  bool found = false;

  CHECK_OK(hotline_escalation_engine_new(&e, p));
  CHECK_OK(hotline_escalation_create(&r, e, &o, T0, "call-1"));
  CHECK_EQ_I64(r.order, 1);
  CHECK(!r.duplicate);
  CHECK_EQ_I64(r.notice_count, 0);
  CHECK_OK(hotline_escalation_create(&r, e, &o, T0, "call-1"));
  CHECK(r.duplicate);
  CHECK_OK(hotline_escalation_order_count(&n, e));
  CHECK_EQ_I64(n, 1);

  /* Warnings at 10:00 and 10:36, breach at 11:00 (2 h first response). */
  CHECK_OK(hotline_escalation_next_due(&due, &found, e));
  CHECK(found);
  CHECK_EQ_I64(due, T0 + HOUR);
  CHECK_OK(hotline_escalation_advance(&n, e, T0 + 2 * HOUR));
  CHECK_EQ_I64(n, 3);
  CHECK_STATUS(hotline_escalation_notices(ns, 2, &n, e), HOTLINE_EBUFFER);
  CHECK_EQ_I64(n, 3);
  CHECK_OK(hotline_escalation_notices(ns, 8, &n, e));
  CHECK_EQ_I64(ns[0].kind, HOTLINE_NOTICE_WARNING);
  CHECK(ns[0].fraction == 0.5);
  CHECK_EQ_I64(ns[1].due, T0 + 96 * MINUTE);
  CHECK_EQ_I64(ns[2].kind, HOTLINE_NOTICE_BREACH);
  CHECK_EQ_I64(ns[2].role, HOTLINE_ROLE_TEAM_LEAD);
  CHECK(strcmp(ns[2].clock, "first_response") == 0);

  CHECK_OK(
      hotline_escalation_transition(&r, e, 1, "acknowledge", &owner, NULL, 0, T0 + 2 * HOUR, NULL));
  /* A missing required field: an error naming it, state unchanged. */
  CHECK_STATUS(
      hotline_escalation_transition(&r, e, 1, "assess", &owner, NULL, 0, T0 + 2 * HOUR, NULL),
      HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "assessment");
  CHECK_OK(
      hotline_escalation_transition(&r, e, 1, "assess", &owner, &assess, 1, T0 + 2 * HOUR, NULL));
  CHECK_OK(hotline_escalation_get_order(&ord, e, 1));
  CHECK(strcmp(ord.state, "assessed") == 0);
  CHECK(strcmp(ord.category, "complaint") == 0);
  CHECK(strcmp(ord.department, "") == 0);
  CHECK_EQ_I64(ord.satisfied, -1);
  CHECK_EQ_I64(ord.level, 0);
  /* Illegal transition, unknown department, unknown order. */
  CHECK_STATUS(
      hotline_escalation_transition(&r, e, 1, "confirm", &owner, NULL, 0, T0 + 2 * HOUR, NULL),
      HOTLINE_ESTATE);
  CHECK_STATUS(hotline_escalation_assign(&r, e, 1, "astrology", "x", &owner, T0 + 2 * HOUR, NULL),
               HOTLINE_ENOTFOUND);
  CHECK_STATUS(hotline_escalation_get_order(&ord, e, 99), HOTLINE_ENOTFOUND);
  CHECK_OK(hotline_escalation_assign(&r, e, 1, "billing", "clerk-3", &owner, T0 + 2 * HOUR, NULL));

  CHECK_OK(hotline_escalation_get_clock(&clk, e, 1, "resolution"));
  CHECK_EQ_I64(clk.state, HOTLINE_CLOCK_RUNNING);
  CHECK_EQ_I64(clk.deadline, T0 + 72 * HOUR);
  CHECK_STATUS(hotline_escalation_get_clock(&clk, e, 1, "nope"), HOTLINE_ENOTFOUND);
  /* The customer's special deadline wins when earlier. */
  CHECK_OK(
      hotline_escalation_set_deadline(&r, e, 1, true, T0 + 24 * HOUR, &owner, T0 + 2 * HOUR, NULL));
  CHECK_OK(hotline_escalation_get_clock(&clk, e, 1, "resolution"));
  CHECK_EQ_I64(clk.deadline, T0 + 24 * HOUR);
  CHECK_OK(hotline_escalation_explain(text, sizeof text, &needed, e, 1, "resolution"));
  CHECK_CONTAINS(text, "(special)");
  CHECK_STATUS(hotline_escalation_explain(text, 4, &needed, e, 1, "resolution"), HOTLINE_EBUFFER);
  CHECK(needed > 4);
  CHECK_OK(hotline_escalation_history_json(text, sizeof text, &needed, e, 1));
  CHECK_CONTAINS(text, "\"kind\":\"create\"");
  CHECK_OK(hotline_escalation_order_json(text, sizeof text, &needed, e, 1));
  CHECK_CONTAINS(text, "\"state\":\"assessed\"");
  CHECK_OK(hotline_escalation_kpis_json(text, sizeof text, &needed, e));
  CHECK_CONTAINS(text, "\"three\"");
  /* Time going backwards is refused. */
  CHECK_STATUS(hotline_escalation_pause(&r, e, 1, "x", &owner, T0, NULL), HOTLINE_EINVALID);

  hotline_escalation_engine_free(e);
  hotline_escalation_policy_free(p);
}

static void test_immediate_and_sqlite(void) {
  hotline_escalation_policy* p = load_policy();
  hotline_escalation_engine* e = NULL;
  hotline_escalation_result r;
  hotline_escalation_new_order o = complaint("13800000002");
  hotline_escalation_notice ns[4];
  hotline_escalation_sqlite_options opts;
  hotline_escalation_order ord;
  size_t n = 0;
  char path[256];

  snprintf(path, sizeof path, "/tmp/hotline-capi-esc-%ld.db", (long)getpid());
  remove(path);
  opts.version = HOTLINE_ESCALATION_SQLITE_OPTIONS_VERSION;
  opts.durability = HOTLINE_DURABILITY_GROUP;
  opts.group_size = 4;
  CHECK_OK(hotline_escalation_engine_open_sqlite(&e, p, path, &opts));
  o.severity = HOTLINE_SEVERITY_URGENT;
  o.department = "billing";
  CHECK_OK(hotline_escalation_create(&r, e, &o, T0, "k1"));
  CHECK_EQ_I64(r.notice_count, 2); /* team lead and department head at once */
  CHECK_OK(hotline_escalation_notices(ns, 4, &n, e));
  CHECK_EQ_I64(ns[1].kind, HOTLINE_NOTICE_IMMEDIATE);
  CHECK_EQ_I64(ns[1].role, HOTLINE_ROLE_DEPARTMENT_HEAD);
  CHECK(strcmp(ns[1].recipient, "Zhang Min") == 0);
  CHECK_OK(hotline_escalation_flush(e));
  hotline_escalation_engine_free(e);

  e = NULL;
  CHECK_OK(hotline_escalation_engine_open_sqlite(&e, p, path, NULL));
  CHECK_OK(hotline_escalation_get_order(&ord, e, 1));
  CHECK_EQ_I64(ord.severity, HOTLINE_SEVERITY_URGENT);
  CHECK(strcmp(ord.department, "billing") == 0);
  CHECK_OK(hotline_escalation_create(&r, e, &o, T0, "k1"));
  CHECK(r.duplicate);
  hotline_escalation_engine_free(e);
  remove(path);

  /* Bad inputs. */
  e = NULL;
  CHECK_STATUS(hotline_escalation_engine_open_sqlite(&e, p, "/no/such/dir/x.db", NULL),
               HOTLINE_EIO);
  CHECK(e == NULL);
  opts.durability = (hotline_escalation_durability)7;
  CHECK_STATUS(hotline_escalation_engine_open_sqlite(&e, p, path, &opts), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_escalation_engine_new(&e, NULL), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_escalation_create(&r, NULL, &o, T0, NULL), HOTLINE_EINVALID);
  CHECK_OK(hotline_escalation_engine_new(&e, p));
  o.channel = (hotline_escalation_channel)9;
  CHECK_STATUS(hotline_escalation_create(&r, e, &o, T0, NULL), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "order.channel");
  o.channel = HOTLINE_CHANNEL_WEB;
  o.severity = (hotline_escalation_severity)-1;
  CHECK_STATUS(hotline_escalation_create(&r, e, &o, T0, NULL), HOTLINE_EINVALID);
  o.severity = HOTLINE_SEVERITY_LOW;
  o.version = 99;
  CHECK_STATUS(hotline_escalation_create(&r, e, &o, T0, NULL), HOTLINE_EINVALID);
  hotline_escalation_engine_free(e);
  hotline_escalation_policy_free(p);
  hotline_escalation_engine_free(NULL);
  hotline_escalation_policy_free(NULL);
}

static void test_bad_policy(void) {
  hotline_escalation_policy* p = NULL;
  const char* bad =
      "{\"name\": \"x\", \"version\": \"1\", \"calendars\": {}, \"departments\": [],"
      " \"categories\": {\"c\": \"w\"}, \"workflows\": [{\"id\": \"w\", \"states\": [\"a\"],"
      " \"initial\": \"b\", \"final\": \"a\", \"transitions\": []}]}";
  CHECK_STATUS(hotline_escalation_policy_from_json(&p, bad, strlen(bad), NULL),
               HOTLINE_EDEFINITION);
  CHECK(p == NULL);
  CHECK_CONTAINS(hotline_error_where(), "/workflows/0/initial");
  CHECK_STATUS(hotline_escalation_policy_from_json(&p, "{", 1, NULL), HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "line 1");
  CHECK_STATUS(hotline_escalation_policy_load(&p, "/no/such/policy.json"), HOTLINE_EIO);
}

/* fuzz_capi finding (docs/fuzzing.md): an earlier order of the same customer at an instant near
 * INT64_MIN made the repeat-window test overflow (now - then) when the customer complained again
 * in 2025. Such an order is outside every window; the engine stays consistent. */
static void test_order_at_the_earliest_instant(void) {
  hotline_escalation_policy* p = load_policy();
  hotline_escalation_engine* e = NULL;
  hotline_escalation_result r;
  hotline_escalation_new_order o = complaint("13800000009");
  hotline_escalation_order ord;
  size_t n = 0;
  const hotline_time_ms earliest = INT64_MIN + 4759;
  const hotline_time_ms later = 1764692917230LL; /* 2025-12-02 */

  CHECK_OK(hotline_escalation_engine_new(&e, p));
  CHECK_OK(hotline_escalation_create(&r, e, &o, earliest, NULL));
  CHECK_OK(hotline_escalation_create(&r, e, &o, earliest, NULL));
  CHECK_OK(hotline_escalation_create(&r, e, &o, later, NULL));
  CHECK_EQ_I64(r.order, 3);
  CHECK_EQ_I64(r.notice_count, 0);
  CHECK_OK(hotline_escalation_get_order(&ord, e, 3));
  CHECK(!ord.repeat_complaint);
  CHECK_OK(hotline_escalation_create(&r, e, &o, later + 24 * HOUR, NULL));
  CHECK_OK(hotline_escalation_create(&r, e, &o, later + 48 * HOUR, NULL));
  CHECK_OK(hotline_escalation_get_order(&ord, e, r.order));
  CHECK(ord.repeat_complaint); /* the third within 30 days */
  CHECK_OK(hotline_escalation_order_count(&n, e));
  CHECK_EQ_I64(n, 5);
  hotline_escalation_engine_free(e);
  hotline_escalation_policy_free(p);
}

int main(void) {
  test_lifecycle();
  test_immediate_and_sqlite();
  test_bad_policy();
  test_order_at_the_earliest_instant();
  return check_report("escalation_capi_test");
}
