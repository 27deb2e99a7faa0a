/* C ABI of the sla component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#include <math.h>

#include "check.h"

#define SEC 1000LL
#define T0 1735693200000LL /* 2025-01-01T01:00:00Z = 09:00 Asia/Shanghai */

static int near(double a, double b, double tol) { return fabs(a - b) <= tol; }

static void test_erlang(void) {
  double v = 0;
  hotline_sla_c_metrics c;
  hotline_sla_a_metrics a;
  hotline_sla_workload w[2];
  hotline_sla_staffing s[2];
  hotline_sla_goal g;
  /* Call Centre Helper: 10 Erlangs, 14 agents -> P(wait) 0.17413, SL 0.88835, ASA 7.836 s. */
  CHECK_OK(hotline_sla_erlang_c(&v, 14, 10.0));
  CHECK(near(v, 0.17413, 5e-6));
  CHECK_OK(hotline_sla_erlang_c_metrics(&c, 14, 10.0, 180, 20));
  CHECK(near(c.service_level, 0.88835, 5e-6));
  CHECK(near(c.asa, 7.836, 5e-4));
  CHECK_OK(hotline_sla_erlang_b(&v, 1, 1.0));
  CHECK(v == 0.5);
  CHECK_OK(hotline_sla_erlang_a(&a, 14, 10.0, 180, 300, 20));
  CHECK(a.p_abandon > 0 && a.p_abandon < 0.05);
  CHECK(a.p_wait < c.p_wait);

  memset(&g, 0, sizeof g);
  g.version = HOTLINE_SLA_GOAL_VERSION;
  g.service_level = 0.8;
  g.threshold = 20 * SEC;
  g.shrinkage = 0.3;
  w[0].calls = 100;
  w[0].interval = 1800 * SEC;
  w[0].aht = 180 * SEC;
  w[0].patience = 0;
  w[1] = w[0];
  w[1].patience = 300 * SEC;
  CHECK_OK(hotline_sla_required_agents(s, w, 2, &g));
  CHECK_EQ_I64(s[0].agents, 14);
  CHECK_EQ_I64(s[0].scheduled, 20);
  CHECK(s[1].agents <= 14);

  /* Bad input. */
  CHECK_STATUS(hotline_sla_erlang_c(&v, 10, 10.0), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "agents");
  CHECK_STATUS(hotline_sla_erlang_b(&v, 5, -1.0), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sla_erlang_b(NULL, 5, 1.0), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sla_erlang_b(&v, 20000000, 1.0), HOTLINE_ELIMIT);
  /* Patience beyond Erlang A's numerical range (agents x patience / aht > 1e12). */
  CHECK_STATUS(hotline_sla_erlang_a(&a, 10, 5.0, 1.0, 1e300, 20), HOTLINE_ELIMIT);
  CHECK_CONTAINS(hotline_error_where(), "patience");
  g.service_level = 1.5;
  CHECK_STATUS(hotline_sla_required_agents(s, w, 2, &g), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "service_level");
  g.service_level = 0.8;
  g.version = 99;
  CHECK_STATUS(hotline_sla_required_agents(s, w, 2, &g), HOTLINE_EINVALID);
  g.version = HOTLINE_SLA_GOAL_VERSION;
  w[0].calls = -5;
  CHECK_STATUS(hotline_sla_required_agents(s, w, 2, &g), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "intervals/0/calls");
}

static void test_window(void) {
  hotline_sla_window* w = NULL;
  hotline_sla_window_counts st;
  hotline_sla_tier_target tiers[1];
  size_t vip = 99;
  double v = 0;
  CHECK_OK(hotline_sla_window_new_preset(&w, 15 * 60 * SEC));
  CHECK_OK(hotline_sla_window_tier_index(&vip, w, "vip"));
  CHECK_EQ_I64(vip, 0);
  CHECK_OK(hotline_sla_window_answered(w, vip, T0, 10 * SEC));
  CHECK_OK(hotline_sla_window_answered(w, vip, T0 + SEC, 30 * SEC));
  CHECK_OK(hotline_sla_window_abandoned(w, vip, T0 + 2 * SEC, 3 * SEC));
  CHECK_OK(hotline_sla_window_arrived(w, 1, T0 + 2 * SEC));
  CHECK_OK(hotline_sla_window_exited(w, 1, T0 + 2 * SEC, 60 * SEC));
  CHECK_OK(hotline_sla_window_service_level(&v, w, vip, T0 + 3 * SEC));
  CHECK(v == 0.5);
  CHECK_OK(hotline_sla_window_gap(&v, w, vip, T0 + 3 * SEC));
  CHECK(near(v, 0.35, 1e-15));
  CHECK_OK(hotline_sla_window_calls_to_target(&v, w, vip, T0 + 3 * SEC));
  CHECK(v == 5.0); /* (1 + x) / (2 + x) >= 0.85 -> x = 4.67 -> 5 */
  {
    uint64_t r1 = 0, r2 = 0;
    CHECK_OK(hotline_sla_window_current_level(&v, w, vip));
    CHECK(v == 0.5);
    CHECK_OK(hotline_sla_window_revision(&r1, w, vip));
    CHECK_OK(hotline_sla_window_arrived(w, vip, T0 + 3 * SEC)); /* arrivals: same level */
    CHECK_OK(hotline_sla_window_revision(&r2, w, vip));
    CHECK(r1 == r2);
    CHECK_OK(hotline_sla_window_answered(w, 1, T0 + 3 * SEC, SEC)); /* another tier */
    CHECK_OK(hotline_sla_window_revision(&r2, w, vip));
    CHECK(r1 == r2);
    CHECK_STATUS(hotline_sla_window_revision(&r2, w, 7), HOTLINE_EINVALID);
    CHECK_STATUS(hotline_sla_window_revision(NULL, w, vip), HOTLINE_EINVALID);
    CHECK_STATUS(hotline_sla_window_current_level(&v, NULL, vip), HOTLINE_EINVALID);
    /* Waits beyond ten years (of 366 days) are refused, the window unchanged. */
    CHECK_STATUS(hotline_sla_window_answered(w, vip, T0 + 3 * SEC, 3660LL * 86400 * SEC + 1),
                 HOTLINE_EINVALID);
    CHECK_CONTAINS(hotline_error_where(), "wait");
  }
  CHECK_OK(hotline_sla_window_stats(&st, w, vip, T0 + 3 * SEC));
  CHECK_EQ_I64(st.counts.offered, 3);
  CHECK_EQ_I64(st.counts.short_abandoned, 1);
  CHECK_EQ_I64(st.total_answer_wait, 40 * SEC);
  CHECK_OK(hotline_sla_window_stats(&st, w, vip, T0 + 20 * 60 * SEC));
  CHECK_EQ_I64(st.counts.offered, 0);
  CHECK(st.service_level == 1.0);
  /* Bad input leaves the window unchanged. */
  CHECK_STATUS(hotline_sla_window_answered(w, vip, T0, 1 * SEC), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "at");
  CHECK_STATUS(hotline_sla_window_answered(w, 7, T0 + 30 * 60 * SEC, SEC), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sla_window_answered(w, vip, T0 + 30 * 60 * SEC, -SEC), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sla_window_tier_index(&vip, w, "gold"), HOTLINE_ENOTFOUND);
  CHECK_STATUS(hotline_sla_window_answered(NULL, 0, T0, 0), HOTLINE_EINVALID);
  hotline_sla_window_free(w);
  hotline_sla_window_free(NULL);

  tiers[0].tier = "t";
  tiers[0].threshold = 20 * SEC;
  tiers[0].target = 1.5;
  w = (hotline_sla_window*)&v; /* must be reset to NULL on failure */
  CHECK_STATUS(hotline_sla_window_new(&w, tiers, 1, 60 * SEC, HOTLINE_SLA_ANSWERED, 5 * SEC),
               HOTLINE_EINVALID);
  CHECK(w == NULL);
  CHECK_CONTAINS(hotline_error_where(), "tiers/0/fraction");
  tiers[0].target = 0.8;
  CHECK_STATUS(hotline_sla_window_new(&w, tiers, 1, 60 * SEC, (hotline_sla_variant)9, 5 * SEC),
               HOTLINE_EINVALID);
  CHECK_OK(hotline_sla_window_new(&w, tiers, 1, 60 * SEC, HOTLINE_SLA_ANSWERED_ABANDONED, 0));
  hotline_sla_window_free(w);
}

static const char* kLog =
    "1735693200|1|support|NONE|ENTERQUEUE||1|1\n"
    "1735693210|1|support|A1|CONNECT|10|1.2|3\n"
    "1735693215|2|support|NONE|ENTERQUEUE||2|1\n"
    "1735693240|2|support|NONE|ABANDON|1|1|25\n"
    "1735693330|1|support|A1|COMPLETECALLER|10|120|1\n";

static void test_records(void) {
  hotline_calendar* cal = NULL;
  hotline_sla_records* rs = NULL;
  hotline_sla_targets* t = NULL;
  hotline_sla_report* rep = NULL;
  hotline_sla_row row;
  hotline_sla_record rec;
  hotline_sla_compliance comp[4];
  size_t n = 0;
  const char* bad_targets = "{\"tiers\": [{\"tier\": \"a\", \"threshold\": \"x\", \"target\": 1}]}";
  CHECK_OK(hotline_calendar_new_always_open(&cal, "Asia/Shanghai"));
  CHECK_OK(hotline_sla_records_read_queue_log(&rs, kLog, strlen(kLog), NULL, NULL, 0));
  CHECK_OK(hotline_sla_records_count(&n, rs));
  CHECK_EQ_I64(n, 2);
  CHECK_OK(hotline_sla_targets_new_preset(&t));
  CHECK_OK(hotline_sla_report_new(&rep, rs, t, cal, HOTLINE_SLA_30M));
  CHECK_OK(hotline_sla_report_row_count(&n, rep));
  CHECK_EQ_I64(n, 1);
  CHECK_OK(hotline_sla_report_row(&row, rep, 0));
  CHECK_EQ_I64(row.start, T0);
  CHECK(strcmp(row.queue, "support") == 0);
  CHECK(strcmp(row.tier, "ordinary") == 0);
  CHECK_EQ_I64(row.counts.offered, 2);
  CHECK(row.service_level == 1.0); /* Asterisk SL: 1 of 1 answered within 20 s */
  CHECK(row.meets_target);
  CHECK(row.asa == 10.0);
  CHECK_STATUS(hotline_sla_report_row(&row, rep, 5), HOTLINE_EINVALID);
  hotline_sla_report_free(rep);

  memset(&rec, 0, sizeof rec);
  rec.arrival = T0 + 3600 * SEC;
  rec.wait = 30 * SEC;
  rec.outcome = HOTLINE_SLA_OUTCOME_ANSWERED;
  rec.queue = "support";
  CHECK_OK(hotline_sla_records_add(rs, &rec));
  rec.wait = -1;
  CHECK_STATUS(hotline_sla_records_add(rs, &rec), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_sla_daily_compliance(NULL, 0, &n, rs, t, cal), HOTLINE_EBUFFER);
  CHECK_EQ_I64(n, 1);
  CHECK_OK(hotline_sla_daily_compliance(comp, 4, &n, rs, t, cal));
  CHECK_EQ_I64(comp[0].year, 2025);
  CHECK_EQ_I64(comp[0].month, 1);
  CHECK_EQ_I64(comp[0].days_in_month, 31);
  CHECK_EQ_I64(comp[0].days_met, 30); /* the one busy day is at 50%, below 75% */
  CHECK(comp[0].pass);                /* 30 / 31 >= 0.85 */
  hotline_sla_records_free(rs);

  {
    const char* vip_queues[] = {"support"};
    CHECK_OK(hotline_sla_records_read_queue_log(&rs, kLog, strlen(kLog), "vip", vip_queues, 1));
    CHECK_OK(hotline_sla_report_new(&rep, rs, t, cal, HOTLINE_SLA_DAY));
    CHECK_OK(hotline_sla_report_row(&row, rep, 0));
    CHECK(strcmp(row.tier, "support") == 0); /* not a target tier: judged by the default */
    hotline_sla_report_free(rep);
    hotline_sla_records_free(rs);
    CHECK_STATUS(hotline_sla_records_read_queue_log(&rs, kLog, strlen(kLog), NULL, NULL, 1),
                 HOTLINE_EINVALID);
  }

  rs = (hotline_sla_records*)&n;
  CHECK_STATUS(hotline_sla_records_read_queue_log(&rs, "9|a|q|x|ENTERQUEUE\n1|b|q|x|ENTERQUEUE\n",
                                                  38, NULL, NULL, 0),
               HOTLINE_EINVALID);
  CHECK(rs == NULL);
  CHECK_CONTAINS(hotline_error_where(), "line 2, column 1");
  {
    /* A line 5,445 years after the first (fuzz_sla_queue_log finding): an error at its line. */
    const char* far = "1735693100|NONE|q|A|ADDMEMBER|\n173569325331|b|q|NONE|ENTERQUEUE||x|1\n";
    CHECK_STATUS(hotline_sla_records_read_queue_log(&rs, far, strlen(far), NULL, NULL, 0),
                 HOTLINE_EINVALID);
    CHECK(rs == NULL);
    CHECK_CONTAINS(hotline_error_where(), "line 2, column 1");
  }
  CHECK_STATUS(hotline_sla_records_read_csv(&rs, "arrival,colour\n", 15, cal), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "line 1, column 2");
  {
    /* A 66,000-year wrap-up (fuzz_sla_csv finding) is an error at its field. */
    const char* long_wrap =
        "arrival,outcome,wait,wrap\n2025-01-01 09:00,answered,5,2082088006086\n";
    CHECK_STATUS(hotline_sla_records_read_csv(&rs, long_wrap, strlen(long_wrap), cal),
                 HOTLINE_EINVALID);
    CHECK(rs == NULL);
    CHECK_CONTAINS(hotline_error_where(), "line 2, column 4");
  }
  CHECK_OK(hotline_sla_records_read_csv(&rs, "arrival,outcome,wait\n2025-01-01 09:00,abandoned,4\n",
                                        49, cal));
  hotline_sla_records_free(rs);
  hotline_sla_targets_free(t);
  CHECK_STATUS(hotline_sla_targets_from_json(&t, bad_targets, strlen(bad_targets)),
               HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "/tiers/0/threshold");
  hotline_sla_targets_free(t); /* NULL after the failure */
  CHECK_OK(hotline_sla_targets_new_preset(&t));
  hotline_sla_targets_free(t);
  hotline_calendar_free(cal);
}

static void test_occupancy(void) {
  hotline_calendar* cal = NULL;
  hotline_sla_records* rs = NULL;
  hotline_sla_record rec;
  hotline_sla_occupancy_row rows[2];
  size_t n = 0;
  CHECK_OK(hotline_calendar_new_always_open(&cal, "Asia/Shanghai"));
  CHECK_OK(hotline_sla_records_new(&rs));
  memset(&rec, 0, sizeof rec);
  rec.arrival = T0;
  rec.wait = 10 * SEC;
  rec.talk = 170 * SEC;
  rec.wrap = 20 * SEC;
  rec.agent = "a1";
  CHECK_OK(hotline_sla_records_add(rs, &rec));
  CHECK_OK(hotline_sla_records_add_agent_span(rs, "a1", T0, T0 + 1800 * SEC, false));
  CHECK_OK(hotline_sla_records_add_agent_span(rs, "a1", T0 + 600 * SEC, T0 + 1200 * SEC, true));
  CHECK_STATUS(hotline_sla_records_add_agent_span(rs, "a1", T0, T0 - 1, false), HOTLINE_EINVALID);
  /* Found by fuzz_capi: a span from the earliest time overflowed end - start (UBSan). */
  CHECK_STATUS(hotline_sla_records_add_agent_span(rs, "a1", INT64_MIN, T0, false),
               HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "end");
  /* Longer than ten years (of 366 days): refused, and nothing is added. */
  CHECK_STATUS(hotline_sla_records_add_agent_span(rs, "a1", T0, T0 + 316224001LL * SEC, false),
               HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "end");
  CHECK_STATUS(hotline_sla_occupancy(NULL, 0, &n, rs, cal, HOTLINE_SLA_30M), HOTLINE_EBUFFER);
  CHECK_EQ_I64(n, 1);
  CHECK_OK(hotline_sla_occupancy(rows, 2, &n, rs, cal, HOTLINE_SLA_30M));
  CHECK_EQ_I64(rows[0].busy, 190 * SEC);
  CHECK_EQ_I64(rows[0].paused, 600 * SEC);
  CHECK(near(rows[0].occupancy, 190.0 / 1200.0, 1e-15));
  hotline_sla_records_free(rs);
  /* Found by fuzz_capi (UBSan): agent time near INT64_MIN overflowed converting to Shanghai's
     local time (+8:05:43 there in 1900). Instants beyond 10,000 years from 1970 fall into one
     outer bucket on each side; busy time past the last instant stops there. */
  CHECK_OK(hotline_sla_records_new(&rs));
  CHECK_OK(hotline_sla_records_add_agent_span(rs, "a1", INT64_MIN, INT64_MIN + 3600 * SEC, false));
  CHECK_OK(hotline_sla_records_add_agent_span(rs, "a1", INT64_MAX - 3600 * SEC, INT64_MAX, false));
  memset(&rec, 0, sizeof rec);
  rec.arrival = INT64_MAX - 30 * SEC;
  rec.wait = 5 * SEC;
  rec.talk = 60 * SEC;
  rec.agent = "a1";
  CHECK_OK(hotline_sla_records_add(rs, &rec));
  CHECK_OK(hotline_sla_occupancy(rows, 2, &n, rs, cal, HOTLINE_SLA_MONTH));
  CHECK_EQ_I64(n, 2);
  CHECK_EQ_I64(rows[0].start, INT64_MIN);
  CHECK_EQ_I64(rows[0].staffed, 3600 * SEC);
  CHECK_EQ_I64(rows[1].end, INT64_MAX);
  CHECK_EQ_I64(rows[1].busy, 25 * SEC);
  CHECK_OK(hotline_sla_occupancy(rows, 2, &n, rs, cal, HOTLINE_SLA_15M));
  CHECK_EQ_I64(n, 2);
  hotline_sla_records_free(rs);
  hotline_calendar_free(cal);
}

static void test_scorecard(void) {
  double v = 0;
  int64_t late = 0, pending = 0;
  hotline_time_ms due[3] = {10, 10, 100};
  hotline_time_ms done[3] = {5, 11, HOTLINE_SLA_OPEN};
  hotline_sla_counts c = {100, 70, 25, 60, 10, 4};
  CHECK_OK(hotline_sla_mystery_call_score(&v, 92, 80, 90));
  CHECK(near(v, 1.2, 1e-15));
  CHECK_STATUS(hotline_sla_mystery_call_score(&v, 92, 80, 80), HOTLINE_EINVALID);
  CHECK_OK(hotline_sla_satisfaction_rate(&v, 98, 100));
  CHECK(v == 0.98);
  CHECK_STATUS(hotline_sla_satisfaction_rate(&v, 101, 100), HOTLINE_EINVALID);
  CHECK_OK(hotline_sla_on_time_ratio(&v, &late, &pending, due, done, 3, 50));
  CHECK(v == 0.5);
  CHECK_EQ_I64(late, 1);
  CHECK_EQ_I64(pending, 1);
  CHECK_OK(hotline_sla_service_level(&v, &c, HOTLINE_SLA_ANSWERED_ABANDONED));
  CHECK(near(v, 70.0 / 95.0, 1e-15));
  CHECK_STATUS(hotline_sla_service_level(&v, &c, (hotline_sla_variant)7), HOTLINE_EINVALID);
}

int main(void) {
  test_erlang();
  test_window();
  test_records();
  test_occupancy();
  test_scorecard();
  return check_report("sla_capi_test");
}
