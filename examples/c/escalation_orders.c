/* A CRM's view of complaint escalation through the C ABI: open a durable store, take a
 * complaint, dispatch it to the billing department, and poll for due notices the way a CRM's
 * timer loop would. Run from the source tree: example_c_escalation_orders */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hotline.h"

#define HOUR 3600000LL

static int fail(const char* what) {
  fprintf(stderr, "%s: %s (%s)\n", what, hotline_error_last(), hotline_error_where());
  return 1;
}

int main(void) {
  hotline_escalation_policy* policy = NULL;
  hotline_escalation_engine* engine = NULL;
  hotline_escalation_result r;
  hotline_escalation_new_order order;
  hotline_escalation_actor agent = {"agent-7", "agent"};
  hotline_escalation_field assessment = {"assessment", "SP fee charged without an order"};
  hotline_escalation_field note = {"dispatch_note", "refund and block SP subscriptions"};
  hotline_escalation_notice notices[16];
  hotline_time_ms now = 1740963600000LL; /* Monday 2025-03-03 09:00 +08:00 */
  hotline_time_ms step;
  size_t count, i;
  char db[64], text[2048];

  if (hotline_escalation_policy_load(&policy, "examples/escalation/policy.json") != HOTLINE_OK)
    return fail("policy");
  snprintf(db, sizeof db, "/tmp/hotline-example-%ld.db", (long)getpid());
  remove(db);
  if (hotline_escalation_engine_open_sqlite(&engine, policy, db, NULL) != HOTLINE_OK)
    return fail("store");

  memset(&order, 0, sizeof order);
  order.version = HOTLINE_ESCALATION_NEW_ORDER_VERSION;
  order.customer = "13800000001";
  order.category = "complaint";
  order.owner = "agent-7";
  order.department = "billing";
  order.handler = "clerk-3";
  /* The key makes a retry after a timeout harmless. */
  if (hotline_escalation_create(&r, engine, &order, now, "call-20250303-0900-1") != HOTLINE_OK)
    return fail("create");
  printf("work order %llu created\n", (unsigned long long)r.order);
  hotline_escalation_transition(&r, engine, 1, "acknowledge", &agent, NULL, 0, now + 60000, NULL);
  hotline_escalation_transition(&r, engine, 1, "assess", &agent, &assessment, 1, now + 120000,
                                NULL);
  if (hotline_escalation_transition(&r, engine, 1, "dispatch", &agent, &note, 1, now + 180000,
                                    NULL) != HOTLINE_OK)
    return fail("dispatch");

  /* The CRM's timer loop: every hour for three days, deliver what is due. */
  for (step = now + HOUR; step <= now + 72 * HOUR; step += HOUR) {
    if (hotline_escalation_advance(&count, engine, step) != HOTLINE_OK) return fail("advance");
    if (count == 0) continue;
    if (count > 16) count = 16;
    hotline_escalation_notices(notices, 16, &count, engine);
    for (i = 0; i < count; ++i) {
      printf("+%3lldh  %-10s order %llu clock %-16s level %d %s\n",
             (long long)((notices[i].due - now) / HOUR),
             notices[i].kind == HOTLINE_NOTICE_WARNING  ? "warning"
             : notices[i].kind == HOTLINE_NOTICE_BREACH ? "breach"
                                                        : "escalation",
             (unsigned long long)notices[i].order, notices[i].clock, notices[i].level,
             notices[i].recipient);
    }
  }
  if (hotline_escalation_explain(text, sizeof text, NULL, engine, 1, "department_reply") ==
      HOTLINE_OK)
    printf("%s", text);
  hotline_escalation_engine_free(engine);
  hotline_escalation_policy_free(policy);
  remove(db);
  return 0;
}
