// Shift scheduling: optimality against brute-force enumeration, coverage arithmetic (wrap-around,
// breaks), the service-level objective, and every error path.
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/workforce/schedule.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using hotline::Error;
using hotline::ErrorCode;
using namespace hotline::workforce;
using namespace std::chrono_literals;

template <class F>
Error catch_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no exception";
  return Error(ErrorCode::unknown, "", "");
}

ShiftTemplate tmpl(std::string name, hotline::Duration length, hotline::Duration from,
                   hotline::Duration to, std::optional<double> cost = {}) {
  ShiftTemplate t;
  t.name = std::move(name);
  t.length = length;
  t.earliest_start = from;
  t.latest_start = to;
  t.cost = cost;
  return t;
}

// A 6-hour horizon of 1-hour intervals, not cyclic; 10 shift variants.
ScheduleProblem small_problem() {
  ScheduleProblem p;
  p.interval = 1h;
  p.cyclic = false;
  p.required = {1, 3, 2, 4, 2, 1};
  p.templates = {tmpl("three", 3h, 0h, 3h, 3.0), tmpl("two", 2h, 0h, 4h, 2.2),
                 tmpl("six", 6h, 0h, 0h, 5.0)};
  return p;
}

// Independent enumeration of every assignment of 0..4 shifts to each variant (5^10 cases).
struct Brute {
  double best = std::numeric_limits<double>::infinity();
};
Brute brute_force_min_cost(const ScheduleProblem& p) {
  struct V {
    int from, to;
    double cost;
  };
  std::vector<V> vs;
  for (int s = 0; s <= 3; ++s) vs.push_back({s, s + 3, 3.0});
  for (int s = 0; s <= 4; ++s) vs.push_back({s, s + 2, 2.2});
  vs.push_back({0, 6, 5.0});
  Brute b;
  std::vector<int> n(vs.size(), 0);
  std::function<void(std::size_t, std::vector<int>&, double)> rec =
      [&](std::size_t j, std::vector<int>& cov, double cost) {
        if (cost >= b.best) return;
        if (j == vs.size()) {
          for (std::size_t i = 0; i < cov.size(); ++i) {
            if (cov[i] < p.required[i]) return;
          }
          b.best = cost;
          return;
        }
        for (int k = 0; k <= 4; ++k) {
          for (int i = vs[j].from; i < std::min(vs[j].to, 6); ++i)
            cov[static_cast<std::size_t>(i)] += k;
          rec(j + 1, cov, cost + k * vs[j].cost);
          for (int i = vs[j].from; i < std::min(vs[j].to, 6); ++i)
            cov[static_cast<std::size_t>(i)] -= k;
        }
      };
  std::vector<int> cov(6, 0);
  rec(0, cov, 0);
  return b;
}

TEST(Schedule, MinCostMatchesBruteForce) {
  const ScheduleProblem p = small_problem();
  const Schedule s = solve(p);
  EXPECT_TRUE(s.optimal);
  EXPECT_EQ(s.variants, 10u);
  EXPECT_NEAR(s.cost, brute_force_min_cost(p).best, 1e-9);
  EXPECT_NEAR(s.objective, s.cost, 1e-9);
  for (std::size_t i = 0; i < p.required.size(); ++i) {
    EXPECT_GE(s.coverage[i] + 1e-9, p.required[i]) << i;
    EXPECT_EQ(s.shortfall[i], 0.0);
  }
  // The reported shifts reproduce the reported coverage and totals.
  std::vector<double> cov(6, 0.0);
  std::int64_t total = 0;
  double hours = 0;
  for (const ShiftStart& st : s.shifts) {
    const auto& t = p.templates[st.template_index];
    for (auto h = st.start; h < st.start + t.length && h < 6h; h += 1h) {
      cov[static_cast<std::size_t>(h / 1h)] += static_cast<double>(st.count);
    }
    total += st.count;
    hours += static_cast<double>(st.count) * static_cast<double>(t.length / 1h);
  }
  EXPECT_EQ(cov, s.coverage);
  EXPECT_EQ(total, s.total_shifts);
  EXPECT_DOUBLE_EQ(hours, s.paid_hours);
  EXPECT_TRUE(std::isnan(s.overall_service_level));  // no demand given
}

TEST(Schedule, TemplateMinAndMaxAreRespected) {
  ScheduleProblem p = small_problem();
  p.templates[2].min = 2;  // at least two 6-hour shifts
  p.templates[1].max = 1;  // at most one 2-hour shift
  const Schedule s = solve(p);
  std::int64_t six = 0, two = 0;
  for (const ShiftStart& st : s.shifts) {
    if (st.template_index == 2) six += st.count;
    if (st.template_index == 1) two += st.count;
  }
  EXPECT_GE(six, 2);
  EXPECT_LE(two, 1);
}

TEST(Schedule, CyclicDayWrapsNightShifts) {
  ScheduleProblem p;
  p.interval = 1h;
  p.required.assign(24, 0.0);
  for (int h : {22, 23, 0, 1, 2, 3, 4, 5}) p.required[static_cast<std::size_t>(h)] = 3;
  p.templates = {tmpl("night", 8h, 22h, 22h), tmpl("day", 8h, 6h, 14h)};
  const Schedule s = solve(p);
  ASSERT_EQ(s.shifts.size(), 1u);
  EXPECT_EQ(s.shifts[0].template_index, 0u);
  EXPECT_EQ(s.shifts[0].count, 3);
  EXPECT_EQ(s.coverage[0], 3.0);  // 00:00, covered by the shift that started at 22:00
  EXPECT_EQ(s.coverage[6], 0.0);
  // Not cyclic: the hours after midnight are lost, so 00:00-06:00 cannot be covered.
  p.cyclic = false;
  const Error e = catch_error([&] { solve(p); });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(e.where(), "/required/0");
  EXPECT_NE(e.message().find("00:00"), std::string::npos) << e.message();
}

TEST(Schedule, BreaksCountAsFractionsOfAnInterval) {
  ScheduleProblem p;
  p.interval = 30min;
  p.cyclic = false;
  p.required.assign(16, 1.0);  // 00:00-08:00
  ShiftTemplate t = tmpl("eight", 8h, 0h, 0h);
  t.breaks = {{15min, 4h, 4h}};  // a fixed 15-minute break at 04:00
  p.templates = {t};
  const Schedule s = solve(p);
  // The break takes half of interval 8 (04:00-04:30): one shift covers it only 0.5, so two
  // shifts are needed.
  EXPECT_EQ(s.total_shifts, 2);
  EXPECT_DOUBLE_EQ(s.coverage[8], 1.0);
  EXPECT_DOUBLE_EQ(s.coverage[7], 2.0);
  ASSERT_EQ(s.shifts.size(), 1u);
  ASSERT_EQ(s.shifts[0].breaks.size(), 1u);
  EXPECT_EQ(s.shifts[0].breaks[0], 4h);
}

namespace {

// 16 half-hour intervals (8 h, not cyclic) that each need two agents.
ScheduleProblem eight_hours_of_two() {
  ScheduleProblem p;
  p.interval = 30min;
  p.cyclic = false;
  p.required.assign(16, 2.0);
  return p;
}

}  // namespace

TEST(Schedule, BreakWindowsLetTheSolverStaggerBreaks) {
  ScheduleProblem p = eight_hours_of_two();
  ShiftTemplate t = tmpl("eight", 8h, 0h, 0h);
  t.breaks = {{30min, 3h, 4h}};  // lunch between 03:00 and 04:00
  p.templates = {t};
  // Two agents can't both be on the floor all day, so three are needed; with a window the
  // solver staggers the breaks so that three suffice.
  const Schedule s = solve(p);
  EXPECT_EQ(s.total_shifts, 3);
  EXPECT_EQ(s.variants, 3u);  // 03:00, 03:30, 04:00
  for (double c : s.coverage) EXPECT_GE(c, 2.0);
}

// Found examining a fuzz_workforce_schedule slow unit (docs/fuzzing.md): break windows reaching
// far past the shift were walked step by step, and two such rules as an odometer over every pair
// (a year at 15-minute steps: 35,000 offsets each, 1.2 billion pairs). Offsets at which a break
// cannot end inside the shift are not enumerated: the schedule is the one of the clipped windows.
TEST(Schedule, BreakWindowsPastTheShiftAreClippedToIt) {
  ScheduleProblem p = eight_hours_of_two();
  ShiftTemplate t = tmpl("eight", 8h, 0h, 0h);
  t.start_step = 15min;
  t.breaks = {{15min, 1h, std::chrono::days{366}}, {30min, 3h, std::chrono::days{366}}};
  p.templates = {t};
  const Schedule wide = solve(p);
  p.templates[0].breaks = {{15min, 1h, 7h + 45min}, {30min, 3h, 7h + 30min}};
  const Schedule clipped = solve(p);
  EXPECT_EQ(wide.variants, clipped.variants);
  EXPECT_EQ(wide.total_shifts, clipped.total_shifts);
  EXPECT_EQ(wide.coverage, clipped.coverage);
  EXPECT_GT(wide.variants, 100u);
}

TEST(Schedule, WeekTemplatesKeepToTheirWeekdays) {
  ScheduleProblem p;
  p.interval = 1h;
  p.required.assign(7 * 24, 0.0);
  for (int d = 0; d < 7; ++d) {
    for (int h = 9; h < 17; ++h) p.required[static_cast<std::size_t>(d * 24 + h)] = 2;
  }
  ShiftTemplate weekday = tmpl("weekday", 8h, 9h, 9h, 8.0);
  weekday.days = {true, true, true, true, true, false, false};
  ShiftTemplate weekend = tmpl("weekend", 8h, 9h, 9h, 12.0);
  weekend.days = {false, false, false, false, false, true, true};
  p.templates = {weekday, weekend};
  const Schedule s = solve(p);
  EXPECT_NEAR(s.cost, 5 * 2 * 8.0 + 2 * 2 * 12.0, 1e-9);
  for (const ShiftStart& st : s.shifts) {
    const auto day = st.start / 24h;
    EXPECT_EQ(st.template_index, day < 5 ? 0u : 1u) << day;
  }
}

// Demand: one Erlang C day of four hourly intervals.
ScheduleProblem sl_problem() {
  ScheduleProblem p;
  p.interval = 1h;
  p.cyclic = false;
  p.demand = {{60, 180s}, {120, 180s}, {200, 180s}, {80, 180s}};  // 3, 6, 10, 4 Erlangs
  p.required = requirements_for(p, 0.8);
  p.templates = {tmpl("two", 2h, 0h, 2h, 2.0), tmpl("four", 4h, 0h, 0h, 4.0)};
  return p;
}

TEST(Schedule, RequirementsComeFromErlangC) {
  ScheduleProblem p;
  p.interval = 30min;
  p.demand = {{100, 180s}};
  // Call Centre Helper: 100 calls in 30 min, AHT 180 s, 80% in 20 s -> 14 agents.
  p.threshold = 20s;
  EXPECT_EQ(requirements_for(p, 0.8), std::vector<double>{14});
}

// Found by fuzz_workforce_schedule: a demand of 1e94 calls in one interval reached a cast of
// load + 12 sqrt(load) + 30 to int64 (UBSan) and, below that, would have made one LP column per
// agent of the load. The service-level objective now bounds its columns (a limit error at
// /demand) and service_levels() its coverage.
TEST(Schedule, ServiceLevelObjectiveBoundsItsColumns) {
  ScheduleProblem p = sl_problem();
  SolveOptions o;
  o.objective = Objective::max_service_level;
  o.budget = 52.0;
  for (double calls : {1e94, 2.2e7}) {  // 2.2e7 calls an hour at 180 s: 1.1 million Erlangs
    ScheduleProblem q = p;
    q.demand[1].calls = calls;
    try {
      (void)solve(q, o);
      ADD_FAILURE() << calls;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::limit) << e.what();
      EXPECT_EQ(e.where(), "/demand");
    }
  }
  // Minimum cost over the same astronomical demand: requirements_for() is a staffing limit.
  ScheduleProblem q = p;
  q.demand[1].calls = 1e94;
  try {
    (void)requirements_for(q, 0.8);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::limit) << e.what();
  }
  for (double cov : {1e300, std::nan("")}) {
    try {
      (void)service_levels(p, {cov, 1, 1, 1});
      ADD_FAILURE() << cov;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.where(), "coverage[0]");
    }
  }
}

// Found by fuzz_workforce_schedule: a shift cost of 2.2e28 reached the solver, whose assertion
// (objective coefficients below 1e25) aborted the process. Costs are bounded at 1e12.
TEST(Schedule, ShiftCostIsBoundedBeforeTheSolverSeesIt) {
  ScheduleProblem p = small_problem();
  p.templates[0].cost = 1e12;
  EXPECT_NO_THROW(solve(p));
  for (double cost : {2.2e28, 1e12 * 1.0001, -1.0, std::nan("")}) {
    p.templates[0].cost = cost;
    try {
      (void)solve(p);
      ADD_FAILURE() << cost;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
      EXPECT_EQ(e.where(), "/templates/0/cost");
    }
  }
}

TEST(Schedule, ServiceLevelObjectiveMatchesBruteForceAboveTheKnee) {
  const ScheduleProblem p = sl_problem();
  // Variants: two@0, two@1, two@2, four@0. Budget of 26 shifts' worth of cost.
  SolveOptions o;
  o.objective = Objective::max_service_level;
  o.budget = 52.0;
  const Schedule s = solve(p, o);
  EXPECT_TRUE(s.optimal);
  EXPECT_LE(s.cost, 52.0 + 1e-9);
  // Brute force over counts 0..16 per variant with the exact Erlang C service level.
  double best = -1;
  for (int a = 0; a <= 16; ++a) {
    for (int b = 0; b <= 16; ++b) {
      for (int c = 0; c <= 16; ++c) {
        for (int d = 0; d <= 16; ++d) {
          if (2.0 * (a + b + c) + 4.0 * d > 52.0) continue;
          const std::vector<double> cov = {double(a + d), double(a + b + d), double(b + c + d),
                                           double(c + d)};
          double overall = 0;
          (void)service_levels(p, cov, &overall);
          best = std::max(best, overall);
        }
      }
    }
  }
  EXPECT_NEAR(s.overall_service_level, best, 1e-12);
  // The reported per-interval service levels are the Erlang C values at the coverage.
  for (std::size_t i = 0; i < 4; ++i) {
    const double load = p.demand[i].calls * 180.0 / 3600.0;
    const auto n = static_cast<std::int64_t>(s.coverage[i]);
    const double expect = static_cast<double>(n) > load
                              ? hotline::sla::erlang_c_metrics(n, load, 180, 20).service_level
                              : 0.0;
    EXPECT_DOUBLE_EQ(s.service_level[i], expect) << i;
  }
  // More money never buys a worse day.
  o.budget = 80.0;
  EXPECT_GE(solve(p, o).overall_service_level, s.overall_service_level);
}

TEST(Schedule, ServiceLevelObjectiveWithAHeadCount) {
  const ScheduleProblem p = sl_problem();
  SolveOptions o;
  o.objective = Objective::max_service_level;
  o.max_shifts = 12;
  const Schedule s = solve(p, o);
  EXPECT_LE(s.total_shifts, 12);
  EXPECT_GT(s.overall_service_level, 0.5);
  // Keeping every requirement as a floor costs service level elsewhere but holds the floor.
  o.keep_requirements = true;
  o.max_shifts = 40;
  const Schedule floor = solve(p, o);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_GE(floor.coverage[i] + 1e-9, p.required[i]);
}

TEST(Schedule, BadProblemsNameTheField) {
  struct Case {
    std::function<void(ScheduleProblem&)> change;
    std::string where;
  };
  const std::vector<Case> cases = {
      {[](ScheduleProblem& p) { p.required[2] = -1; }, "/required/2"},
      {[](ScheduleProblem& p) { p.required.clear(); }, "/required"},
      {[](ScheduleProblem& p) { p.interval = 7min; }, "/interval"},
      {[](ScheduleProblem& p) { p.templates.clear(); }, "/templates"},
      {[](ScheduleProblem& p) { p.templates[1].length = 0s; }, "/templates/1/length"},
      {[](ScheduleProblem& p) { p.templates[0].latest_start = 25h; }, "/templates/0/latest_start"},
      {[](ScheduleProblem& p) { p.templates[0].max = -1; }, "/templates/0/max"},
      {[](ScheduleProblem& p) { p.templates[0].cost = -3; }, "/templates/0/cost"},
      {[](ScheduleProblem& p) {
         p.templates[0].breaks = {{1h, 3h, 2h}};
       },
       "/templates/0/breaks/0/latest"},
      {[](ScheduleProblem& p) {
         p.demand = {{1, 180s}};
       },
       "/demand"},
  };
  for (const Case& c : cases) {
    ScheduleProblem p = small_problem();
    c.change(p);
    const Error e = catch_error([&] { solve(p); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << c.where;
    EXPECT_EQ(e.where(), c.where) << e.what();
  }
  // Infeasible: min more than max allows, or a requirement only a capped template can meet.
  ScheduleProblem p = small_problem();
  p.templates = {tmpl("six", 6h, 0h, 0h)};
  p.templates[0].max = 2;  // 4 agents are needed at hour 3
  EXPECT_EQ(catch_error([&] { solve(p); }).code(), ErrorCode::invalid_definition);
  SolveOptions o;
  o.objective = Objective::max_service_level;
  EXPECT_EQ(catch_error([&] { solve(small_problem(), o); }).where(), "/demand");
  ScheduleProblem q = sl_problem();
  EXPECT_EQ(catch_error([&] { solve(q, o); }).where(), "max_shifts");
}

TEST(ScheduleJson, ReadsTheDocumentedFormat) {
  const ScheduleProblem p = ScheduleProblem::from_json(R"({
    "interval": "30m", "cyclic": true, "threshold": "20s", "aht": "180s",
    "calls": [0, 0, 40, 100], "target": 0.8,
    "templates": [
      {"name": "early", "length": "8h", "start": {"from": "00:00", "to": "01:00", "step": "30m"},
       "days": "mon-fri", "breaks": [{"length": "30m", "from": "3h", "to": "4h"}],
       "cost": 8, "min": 0, "max": 40}
    ]})");
  EXPECT_EQ(p.interval, 30min);
  ASSERT_EQ(p.required.size(), 4u);
  EXPECT_EQ(p.required[0], 0);
  EXPECT_EQ(p.required[3], 14);  // 100 calls / 30 min at 180 s, 80/20 (Call Centre Helper)
  EXPECT_EQ(p.templates[0].days, (std::array<bool, 7>{true, true, true, true, true, false, false}));
  EXPECT_EQ(p.templates[0].breaks[0].latest, 4h);
  EXPECT_EQ(p.templates[0].max, 40);
}

TEST(ScheduleJson, ErrorsNameTheJsonPointer) {
  const std::string head = R"({"required": [1, 2], "templates": [)";
  struct Case {
    std::string doc;
    std::string where;
  };
  const std::vector<Case> cases = {
      {head + R"({"name": "a", "lenght": "8h", "start": {"from": "08:00", "to": "09:00"}}]})",
       "/templates/0/length"},  // (missing; a misspelt optional key names itself)
      {head + R"({"name": "a", "length": "8h", "start": {"from": "25:00", "to": "09:00"}}]})",
       "/templates/0/start/from"},
      {head + R"({"name": "a", "length": "8x", "start": {"from": "08:00", "to": "09:00"}}]})",
       "/templates/0/length"},
      {head + R"({"name": "a", "length": "8h", "start": {"from": "08:00", "to": "09:00"},
                  "days": ["mon", "fry"]}]})",
       "/templates/0/days/1"},
      {head + R"({"name": "a", "length": "8h", "start": {"from": "10:00", "to": "09:00"}}]})",
       "/templates/0/latest_start"},
      {head + R"({"name": "a", "length": "8h", "start": {"from": "08:00", "to": "09:00"},
                  "cots": 3}]})",
       "/templates/0/cots"},
      {R"({"required": [1, "x"], "templates": []})", "/required/1"},
      {R"({"templates": []})", "/required"},
      {R"({"required": [1], "target": 0.8, "templates": [{"name": "a", "length": "1h",
           "start": {"from": "00:00", "to": "00:00"}}]})",
       "/target"},
      {R"({"calls": [10], "target": 1.5, "templates": [{"name": "a", "length": "1h",
           "start": {"from": "00:00", "to": "00:00"}}]})",
       "/target"},
      {R"({"required": [1], "templates": 3})", "/templates"},
  };
  for (const Case& c : cases) {
    const Error e = catch_error([&] { ScheduleProblem::from_json(c.doc); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition) << c.doc;
    EXPECT_EQ(e.where(), c.where) << e.what();
  }
  EXPECT_EQ(catch_error([] { ScheduleProblem::from_json("{"); }).where(), "line 1, column 2");
  EXPECT_EQ(catch_error([] { ScheduleProblem::load("/nonexistent.json"); }).code(), ErrorCode::io);
}

TEST(Schedule, TooManyVariantsIsALimitError) {
  ScheduleProblem p;
  p.interval = 15min;
  p.required.assign(7 * 96, 1.0);
  ShiftTemplate t = tmpl("wide", 10h, 0h, 23h + 45min);
  t.start_step = 1min;
  t.breaks = {{15min, 1h, 8h}, {30min, 2h, 9h}};
  p.templates = {t};
  EXPECT_EQ(catch_error([&] { solve(p); }).code(), ErrorCode::limit);
}

// fuzz_workforce_schedule finding: a week the solver cannot close in minutes (schedule-week.json
// cut to five days, with one interval of 16,740 calls; the optimality gap stays open after 120 s)
// ran the fuzzer's 2 s limit as CPU time, over 10 s of wall-clock time on a loaded machine. The
// limit is wall-clock time now; a schedule found before it is returned, not proven optimal.
TEST(Schedule, TimeLimitStopsAHardModelWithItsBestSchedule) {
  std::ifstream in(HOTLINE_SOURCE_DIR "/tests/fuzz/corpus/fuzz_workforce_schedule/hard-week.json");
  ASSERT_TRUE(in) << "hard-week.json";
  std::stringstream text;
  text << in.rdbuf();
  const ScheduleProblem p = ScheduleProblem::from_json(text.str());
  SolveOptions o;
  o.time_limit = 200ms;
  Schedule s;
  try {
    s = solve(p, o);
  } catch (const Error& e) {
    // A slow (sanitized) build may find no schedule in 200 ms: then a limit error, at the option.
    EXPECT_EQ(e.code(), ErrorCode::limit);
    EXPECT_EQ(e.where(), "time_limit");
    return;
  }
  EXPECT_FALSE(s.optimal);
  for (std::size_t i = 0; i < p.required.size(); ++i) {
    EXPECT_EQ(s.shortfall[i], 0) << i;  // feasible: the requirements are covered
  }
  EXPECT_GE(s.total_shifts, 1);
}

}  // namespace
