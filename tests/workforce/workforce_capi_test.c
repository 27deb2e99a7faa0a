/* C ABI of the workforce component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#include <math.h>

#include "check.h"

static const char* kSmall =
    "{\"interval\": \"1h\", \"cyclic\": false, \"required\": [1, 3, 2, 4, 2, 1],"
    " \"templates\": ["
    "  {\"name\": \"three\", \"length\": \"3h\", \"start\": {\"from\": \"00:00\", \"to\": "
    "\"03:00\"},"
    "   \"cost\": 3},"
    "  {\"name\": \"two\", \"length\": \"2h\", \"start\": {\"from\": \"00:00\", \"to\": \"04:00\"},"
    "   \"cost\": 2.2},"
    "  {\"name\": \"six\", \"length\": \"6h\", \"start\": {\"from\": \"00:00\", \"to\": \"00:00\"},"
    "   \"cost\": 5}]}";

/* Solve options: the objective, a shift cap (< 0: none), no budget, a time limit (0: 30 s). */
static hotline_workforce_options options(hotline_workforce_objective objective, int64_t max_shifts,
                                         hotline_duration_ms time_limit) {
  hotline_workforce_options o;
  memset(&o, 0, sizeof o);
  o.version = HOTLINE_WORKFORCE_OPTIONS_VERSION;
  o.objective = objective;
  o.max_shifts = max_shifts;
  o.budget = -1;
  o.time_limit = time_limit;
  return o;
}

static void test_schedule(void) {
  hotline_workforce_problem* p = NULL;
  hotline_workforce_schedule* s = NULL;
  hotline_workforce_summary sum;
  hotline_workforce_shift sh;
  hotline_workforce_interval iv;
  double req[6];
  size_t n = 0, i;
  double cov[6] = {0, 0, 0, 0, 0, 0};
  long long total = 0;

  CHECK_OK(hotline_workforce_problem_from_json(&p, kSmall, strlen(kSmall)));
  CHECK_STATUS(hotline_workforce_problem_required(req, 2, &n, p), HOTLINE_EBUFFER);
  CHECK_EQ_I64(n, 6);
  CHECK_OK(hotline_workforce_problem_required(req, 6, &n, p));
  CHECK(req[3] == 4.0);

  CHECK_OK(hotline_workforce_solve(&s, p, NULL));
  CHECK_OK(hotline_workforce_schedule_summary(&sum, s));
  CHECK(sum.optimal);
  CHECK_EQ_I64(sum.variants, 10);
  CHECK_EQ_I64(sum.intervals, 6);
  CHECK(isnan(sum.overall_service_level));
  /* The reported shifts add up to the totals and cover every requirement. */
  for (i = 0; i < sum.shifts; ++i) {
    long long h, len;
    CHECK_OK(hotline_workforce_schedule_shift(&sh, s, i));
    len = strcmp(sh.template_name, "three") == 0 ? 3 : strcmp(sh.template_name, "two") == 0 ? 2 : 6;
    for (h = sh.start / 3600000LL; h < sh.start / 3600000LL + len && h < 6; ++h)
      cov[h] += (double)sh.count;
    total += sh.count;
    CHECK_EQ_I64(sh.break_count, 0);
  }
  CHECK_EQ_I64(total, sum.total_shifts);
  for (i = 0; i < 6; ++i) {
    CHECK_OK(hotline_workforce_schedule_interval(&iv, s, i));
    CHECK(iv.coverage == cov[i]);
    CHECK(iv.coverage >= iv.required);
    CHECK(iv.shortfall == 0.0);
  }
  CHECK_STATUS(hotline_workforce_schedule_interval(&iv, s, 6), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_workforce_schedule_shift(&sh, s, 999), HOTLINE_EINVALID);
  hotline_workforce_schedule_free(s);

  {
    /* Options: version checked, objective checked, service level needs demand. */
    hotline_workforce_options o;
    memset(&o, 0, sizeof o);
    o.version = 99;
    s = (hotline_workforce_schedule*)&o; /* must be reset to NULL on failure */
    CHECK_STATUS(hotline_workforce_solve(&s, p, &o), HOTLINE_EINVALID);
    CHECK(s == NULL);
    CHECK_CONTAINS(hotline_error_where(), "options.version");
    o.version = HOTLINE_WORKFORCE_OPTIONS_VERSION;
    o.objective = (hotline_workforce_objective)7;
    CHECK_STATUS(hotline_workforce_solve(&s, p, &o), HOTLINE_EINVALID);
    o.objective = HOTLINE_WORKFORCE_MAX_SERVICE_LEVEL;
    o.max_shifts = 5;
    o.budget = -1;
    CHECK_STATUS(hotline_workforce_solve(&s, p, &o), HOTLINE_EINVALID);
    CHECK_CONTAINS(hotline_error_where(), "/demand");
  }
  hotline_workforce_problem_free(p);
}

static void test_service_level_objective(void) {
  const char* doc =
      "{\"interval\": \"1h\", \"cyclic\": false, \"aht\": \"180s\", \"target\": 0.8,"
      " \"calls\": [60, 120, 200, 80],"
      " \"templates\": [{\"name\": \"two\", \"length\": \"2h\","
      "   \"start\": {\"from\": \"00:00\", \"to\": \"02:00\"}}]}";
  hotline_workforce_problem* p = NULL;
  hotline_workforce_schedule* s = NULL;
  const hotline_workforce_options o = options(HOTLINE_WORKFORCE_MAX_SERVICE_LEVEL, 14, 0);
  hotline_workforce_summary sum;
  CHECK_OK(hotline_workforce_problem_from_json(&p, doc, strlen(doc)));
  CHECK_OK(hotline_workforce_solve(&s, p, &o));
  CHECK_OK(hotline_workforce_schedule_summary(&sum, s));
  CHECK(sum.total_shifts <= 14);
  CHECK(sum.overall_service_level > 0.5 && sum.overall_service_level <= 1.0);
  hotline_workforce_schedule_free(s);
  hotline_workforce_problem_free(p);
}

static void test_errors(void) {
  hotline_workforce_problem* p = (hotline_workforce_problem*)1;
  const char* bad = "{\"required\": [1, -2], \"templates\": []}";
  const char* uncoverable =
      "{\"interval\": \"1h\", \"cyclic\": false, \"required\": [0, 0, 0, 5],"
      " \"templates\": [{\"name\": \"a\", \"length\": \"2h\","
      "   \"start\": {\"from\": \"00:00\", \"to\": \"00:00\"}}]}";
  hotline_workforce_schedule* s = NULL;
  CHECK_STATUS(hotline_workforce_problem_from_json(&p, bad, strlen(bad)), HOTLINE_EDEFINITION);
  CHECK(p == NULL);
  CHECK_CONTAINS(hotline_error_where(), "/required/1");
  {
    /* Found by fuzz_workforce_schedule: a cost of 2.2e28 aborted the process inside CLP. */
    const char* costly =
        "{\"required\": [1], \"templates\": [{\"name\": \"a\", \"length\": \"1h\","
        " \"cost\": 2.2e28, \"start\": {\"from\": \"00:00\", \"to\": \"00:00\"}}]}";
    CHECK_STATUS(hotline_workforce_problem_from_json(&p, costly, strlen(costly)),
                 HOTLINE_EDEFINITION);
    CHECK(p == NULL);
    CHECK_CONTAINS(hotline_error_where(), "/templates/0/cost");
  }
  CHECK_STATUS(hotline_workforce_problem_from_json(&p, "{", 1), HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "line 1");
  CHECK_STATUS(hotline_workforce_problem_from_json(NULL, "{}", 2), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_workforce_problem_from_json(&p, NULL, 5), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_workforce_problem_load(&p, "/nonexistent/week.json"), HOTLINE_EIO);
  CHECK_STATUS(hotline_workforce_solve(&s, NULL, NULL), HOTLINE_EINVALID);
  CHECK_OK(hotline_workforce_problem_from_json(&p, uncoverable, strlen(uncoverable)));
  CHECK_STATUS(hotline_workforce_solve(&s, p, NULL), HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "/required/3");
  CHECK_CONTAINS(hotline_error_last(), "no shift template covers it");
  CHECK(s == NULL);
  hotline_workforce_problem_free(p);
  hotline_workforce_problem_free(NULL);
  hotline_workforce_schedule_free(NULL);
  hotline_workforce_plan_free(NULL);
}

static void test_plan(void) {
  const char* doc =
      "{\"start\": \"2026-01\", \"months\": 6, \"calls_per_month\": 1000000,"
      " \"annual_growth\": 0.12, \"aht\": \"240s\", \"agents\": 650, \"hiring\": \"planned\"}";
  hotline_workforce_plan* plan = NULL;
  hotline_workforce_plan_totals t;
  hotline_workforce_month m;
  CHECK_OK(hotline_workforce_plan_from_json(&plan, doc, strlen(doc)));
  CHECK_OK(hotline_workforce_plan_summary(&t, plan));
  CHECK_EQ_I64(t.months, 6);
  CHECK_EQ_I64(t.lead_months, 2);
  CHECK_OK(hotline_workforce_plan_month(&m, plan, 5));
  CHECK_EQ_I64(m.year, 2026);
  CHECK_EQ_I64(m.month, 6);
  CHECK(m.calls > 1000000.0 && m.required_fte > 0);
  CHECK_STATUS(hotline_workforce_plan_month(&m, plan, 6), HOTLINE_EINVALID);
  hotline_workforce_plan_free(plan);
  plan = NULL;
  {
    const char* bad = "{\"calls_per_month\": 1, \"hiring\": \"x\"}";
    CHECK_STATUS(hotline_workforce_plan_from_json(&plan, bad, strlen(bad)), HOTLINE_EDEFINITION);
  }
  CHECK_CONTAINS(hotline_error_where(), "/hiring");
  {
    /* 602 months of 86,400 one-second intervals: 52 million staffing searches, over the bound. */
    const char* huge = "{\"calls_per_month\": 1, \"months\": 600, \"interval\": \"1s\"}";
    CHECK_STATUS(hotline_workforce_plan_from_json(&plan, huge, strlen(huge)), HOTLINE_ELIMIT);
    CHECK(plan == NULL);
    CHECK_CONTAINS(hotline_error_where(), "/interval");
    CHECK_CONTAINS(hotline_error_last(), "staffing searches");
  }
}

/* A model CBC cannot close in minutes (the fuzz_workforce_schedule finding): a 200 ms wall-clock
 * limit returns the best schedule found, not proven optimal, or ELIMIT when none was found yet. */
static void test_time_limit(void) {
  hotline_workforce_problem* p = NULL;
  hotline_workforce_schedule* s = NULL;
  hotline_workforce_options o = options(HOTLINE_WORKFORCE_MIN_COST, -1, 200);
  hotline_workforce_summary sum;
  int rc;
  CHECK_OK(hotline_workforce_problem_load(
      &p, HOTLINE_SOURCE_DIR "/tests/fuzz/corpus/fuzz_workforce_schedule/hard-week.json"));
  rc = hotline_workforce_solve(&s, p, &o);
  if (rc == HOTLINE_OK) {
    CHECK_OK(hotline_workforce_schedule_summary(&sum, s));
    CHECK(!sum.optimal);
    CHECK(sum.total_shifts > 0);
  } else {
    CHECK_STATUS(rc, HOTLINE_ELIMIT);
    CHECK_CONTAINS(hotline_error_where(), "time_limit");
    CHECK(s == NULL);
  }
  hotline_workforce_schedule_free(s);
  s = NULL;
  o.time_limit = -1;
  CHECK_STATUS(hotline_workforce_solve(&s, p, &o), HOTLINE_EINVALID);
  CHECK_CONTAINS(hotline_error_where(), "options.time_limit");
  CHECK(s == NULL);
  hotline_workforce_problem_free(p);
}

/* Found by fuzz_workforce_schedule: astronomical demand is a limit error, not an overflow. */
static void test_astronomical_demand(void) {
  static const char doc[] =
      "{\"interval\": \"1h\", \"cyclic\": false, \"required\": [1, 1], "
      "\"calls\": [60, 2.2e7], \"aht\": \"180s\", \"threshold\": \"20s\", "
      "\"templates\": [{\"name\": \"two\", \"length\": \"2h\", "
      "\"start\": {\"from\": \"00:00\", \"to\": \"00:00\"}}]}";
  hotline_workforce_problem* p = NULL;
  hotline_workforce_schedule* s = NULL;
  const hotline_workforce_options o = options(HOTLINE_WORKFORCE_MAX_SERVICE_LEVEL, 10, 10000);
  CHECK_OK(hotline_workforce_problem_from_json(&p, doc, sizeof doc - 1));
  CHECK_STATUS(hotline_workforce_solve(&s, p, &o), HOTLINE_ELIMIT);
  CHECK_CONTAINS(hotline_error_where(), "/demand");
  CHECK(s == NULL);
  hotline_workforce_problem_free(p);
}

int main(void) {
  test_astronomical_demand();
  test_schedule();
  test_service_level_objective();
  test_errors();
  test_plan();
  test_time_limit();
  return check_report("workforce_capi_test");
}
