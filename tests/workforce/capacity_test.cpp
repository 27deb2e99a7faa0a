// Capacity planning: training lead time, growth, the staffing need against an independent
// Erlang computation, planned vs reactive hiring (the death spiral), and error paths.
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/workforce/capacity.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using hotline::Error;
using hotline::ErrorCode;
using namespace hotline::workforce;
using namespace std::chrono_literals;
using std::chrono::January;
using std::chrono::year;

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

// A Gansu-10010-sized centre: ~35,000 agent-handled calls a day (domain.md, seed 004).
CapacityPlanInput gansu() {
  CapacityPlanInput in;
  in.start = year{2026} / January;
  in.months = 24;
  in.calls_per_month = 35'000 * 30.4;
  in.annual_growth = 0.12;
  in.aht = 240s;
  in.service_level = 0.80;
  in.threshold = 20s;
  in.attrition_per_month = 0.05;
  in.training = 315h;
  in.training_hours_per_month = 160;
  return in;
}

TEST(Capacity, LeadTimeIsTrainingOverTrainingHours) {
  CapacityPlanInput in = gansu();
  EXPECT_EQ(in.lead_months(), 2);  // 315 h at 160 h a month
  in.training_hours_per_month = 315;
  EXPECT_EQ(in.lead_months(), 1);
  in.training = 0h;
  EXPECT_EQ(in.lead_months(), 0);
  // 315 h at 1e-300 h a month: beyond an int, reported as the validation's 60-month limit (the
  // months were cast from an out-of-range double).
  in.training = 315h;
  in.training_hours_per_month = 1e-300;
  EXPECT_EQ(in.lead_months(), 1'000'000'000);
  const Error e = catch_error([&] { in.validate(); });
  EXPECT_EQ(e.where(), "/training") << e.what();
}

TEST(Capacity, RequiredFteMatchesAnIndependentErlangComputation) {
  CapacityPlanInput in = gansu();
  in.months = 13;
  in.day_profile.assign(48, 1.0);  // flat: every half hour the same
  in.agents = 1000;
  const CapacityPlan plan = plan_capacity(in);
  for (int m : {0, 12}) {
    const MonthPlan& mp = plan.months[static_cast<std::size_t>(m)];
    const double calls = in.calls_per_month * std::pow(1.12, m / 12.0);
    EXPECT_NEAR(mp.calls, calls, 1e-6 * calls);
    const int days = m == 0 ? 31 : 31;  // January 2026 and January 2027
    const double per_interval = calls / days / 48;
    const auto agents =
        hotline::sla::required_agents({.calls = per_interval, .interval = 30min, .aht = 240s},
                                      {.threshold = 20s, .service_level = 0.8})
            .agents;
    const double fte = static_cast<double>(agents) * 24 * days / (174 * (1 - 0.30));
    EXPECT_NEAR(mp.required_fte, fte, 1e-9 * fte) << m;
  }
  EXPECT_NEAR(plan.months[12].calls / plan.months[0].calls, 1.12, 1e-12);
}

TEST(Capacity, PlannedHiringKeepsTheTargetAfterTheLeadTime) {
  CapacityPlanInput in = gansu();
  in.agents = 0;
  // Start exactly staffed for month 0 (the plan's own need).
  CapacityPlanInput probe = in;
  probe.months = 1;
  probe.agents = 100000;
  const double need0 = plan_capacity(probe).months[0].required_fte;
  in.agents = static_cast<std::int64_t>(std::ceil(need0 / (1 - in.attrition_per_month))) + 5;
  const CapacityPlan plan = plan_capacity(in);
  ASSERT_EQ(plan.months.size(), 24u);
  for (std::size_t m = static_cast<std::size_t>(plan.lead_months); m < plan.months.size(); ++m) {
    EXPECT_GE(plan.months[m].service_level, 0.80 - 1e-9) << m;
    // At most rounding-level overtime (under 1%), so attrition stays near its 5% base.
    EXPECT_LT(plan.months[m].overtime, 0.01) << m;
    // (from the month after: a month's attrition follows the previous month's overtime)
    if (m > static_cast<std::size_t>(plan.lead_months)) {
      EXPECT_LT(plan.months[m].attrition, 0.0516) << m;
    }
  }
  EXPECT_GT(plan.total_hires, 0);
}

TEST(Capacity, ReactiveHiringWithARecruitingCapFallsIntoTheSpiral) {
  CapacityPlanInput in = gansu();
  CapacityPlanInput probe = in;
  probe.months = 1;
  probe.agents = 100000;
  in.agents = static_cast<std::int64_t>(plan_capacity(probe).months[0].required_fte);
  in.max_hires_per_month = 30;

  CapacityPlanInput planned = in;
  planned.policy = HiringPolicy::planned;
  planned.max_hires_per_month.reset();
  CapacityPlanInput reactive = in;
  reactive.policy = HiringPolicy::reactive;
  const CapacityPlan good = plan_capacity(planned);
  const CapacityPlan bad = plan_capacity(reactive);
  EXPECT_GT(good.months_meeting_target, bad.months_meeting_target);
  // The spiral: overtime raises attrition above the 5% base in later months.
  double max_attrition = 0, max_overtime = 0;
  for (const MonthPlan& mp : bad.months) {
    max_attrition = std::max(max_attrition, mp.attrition);
    max_overtime = std::max(max_overtime, mp.overtime);
  }
  EXPECT_GT(max_overtime, 0.0);
  EXPECT_GT(max_attrition, 0.05);
  EXPECT_LT(bad.months.back().service_level, 0.80);
  // Bookkeeping holds each month: productive never negative, hires capped.
  for (const MonthPlan& mp : bad.months) {
    EXPECT_GE(mp.productive, 0);
    EXPECT_LE(mp.hires, 30);
  }
}

TEST(Capacity, FixedHiresAreTakenAsGiven) {
  CapacityPlanInput in = gansu();
  in.months = 4;
  in.agents = 500;
  in.policy = HiringPolicy::fixed;
  in.hires = {10, 20};
  in.attrition_per_month = 0;
  const CapacityPlan plan = plan_capacity(in);
  EXPECT_EQ(plan.months[0].hires, 10);
  EXPECT_EQ(plan.months[1].hires, 20);
  EXPECT_EQ(plan.months[2].hires, 0);
  EXPECT_EQ(plan.months[1].in_training, 30);
  EXPECT_EQ(plan.months[2].productive, 510);  // the first cohort graduates after 2 months
  EXPECT_EQ(plan.months[3].productive, 530);
}

TEST(Capacity, JsonAndErrors) {
  const CapacityPlanInput in = CapacityPlanInput::from_json(R"({
    "start": "2026-03", "months": 12, "calls_per_month": 1000000, "annual_growth": 0.08,
    "aht": "240s", "service_level": 0.8, "threshold": "20s", "agents": 700,
    "hiring": "reactive", "max_hires_per_month": 40, "training": "315h"})");
  EXPECT_EQ(in.start, year{2026} / std::chrono::March);
  EXPECT_EQ(in.policy, HiringPolicy::reactive);
  EXPECT_EQ(in.max_hires_per_month, 40);
  struct Case {
    const char* doc;
    const char* where;
  };
  for (const Case& c : {
           Case{R"({"calls_per_month": -1})", "/calls_per_month"},
           Case{R"({"calls_per_month": 1, "start": "2026-13"})", "/start"},
           Case{R"({"calls_per_month": 1, "hiring": "hopeful"})", "/hiring"},
           Case{R"({"calls_per_month": 1, "shrinkage": 1.0})", "/shrinkage"},
           Case{R"({"calls_per_month": 1, "day_profile": [1, 2]})", "/day_profile"},
           Case{R"({"calls_per_month": 1, "seasonality": [1]})", "/seasonality"},
           Case{R"({"calls_per_month": 1, "hiring": "fixed"})", "/hires"},
           Case{R"({"calls_per_month": 1, "hires": [1, 2.5]})", "/hires/1"},
           Case{R"({"calls_per_month": 1, "attrition": 0.05})", "/attrition"},
           Case{R"({})", "/calls_per_month"},
       }) {
    const Error e = catch_error([&] { CapacityPlanInput::from_json(c.doc); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition) << c.doc;
    EXPECT_EQ(e.where(), c.where) << e.what();
  }
  CapacityPlanInput bad = gansu();
  bad.months = 0;
  EXPECT_EQ(catch_error([&] { plan_capacity(bad); }).where(), "/months");
}

// Found in review of the plan's running time: a one-second interval over 600 months is 57 million
// staffing searches (47 s for a million calls a month; a one-millisecond interval, 1,000 times
// that). The searches are bounded: months + lead months times intervals a day at most
// kMaxStaffingSearches.
TEST(Capacity, StaffingSearchesAreBounded) {
  CapacityPlanInput in = gansu();
  in.months = 600;
  in.interval = std::chrono::minutes{15};  // (600 + lead) x 96: within the bound
  EXPECT_NO_THROW(in.validate());
  in.interval = std::chrono::seconds{1};
  const Error e = catch_error([&] { in.validate(); });
  EXPECT_EQ(e.code(), ErrorCode::limit);
  EXPECT_EQ(e.where(), "/interval");
  EXPECT_NE(e.message().find("staffing searches"), std::string::npos) << e.message();
  // At the bound exactly: 1,000 intervals a day (86.4 s) for 100 months and no lead time.
  in.training = hotline::Duration{0};
  in.interval = std::chrono::milliseconds{86'400};
  in.months = 100;
  EXPECT_NO_THROW(in.validate());
  in.months = 101;
  EXPECT_EQ(catch_error([&] { in.validate(); }).code(), ErrorCode::limit);
  // From JSON the code stays limit (not invalid_definition) and names the field.
  const Error j = catch_error([&] {
    CapacityPlanInput::from_json(R"({"calls_per_month": 1, "months": 600, "interval": "1s"})");
  });
  EXPECT_EQ(j.code(), ErrorCode::limit);
  EXPECT_EQ(j.where(), "/interval");
}

}  // namespace

namespace {

// fuzz_workforce_plan finding (timeouts): with patience 315 h against a 240 s handle time, Erlang
// A's series ran N patience / aht terms (millions) per evaluation, and the staffing search made ~45
// evaluations per interval: one 234-month plan with 92% annual growth took 265 s. The series now
// has a closed form far above the critical load and Gauss-Legendre quadrature near it (checked in
// ErlangSeries.*), and the search starts at square-root staffing: under a second. The months that
// need more than kMaxAgents are a limit error, as before. Input: corpus/fuzz_workforce_plan.
TEST(Capacity, VeryPatientCallersAndHugeGrowthPlanQuickly) {
  const std::string json = R"({"start": "2026-01", "months": 234, "calls_per_month": 1064000,
    "annual_growth": 0.92, "aht": "240s", "service_level": 0.8, "threshold": "20s",
    "shrinkage": 0.3, "paid_hours_per_month": 348, "attrition_per_month": 0.05,
    "patience": "315h", "training_hours_per_month": 160, "max_overtime": 0.1,
    "attrition_per_overtime": 1.0, "agents": 640, "hiring": "reactive", "max_hires_per_month": 30})";
  const CapacityPlanInput in = CapacityPlanInput::from_json(json);
  try {
    const CapacityPlan plan = plan_capacity(in);
    EXPECT_EQ(plan.months.size(), 234u);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::limit) << e.what();
  }
  // A patient-caller month far from the limits: the need is finite and grows with the calls.
  CapacityPlanInput small = in;
  small.months = 3;
  const CapacityPlan p = plan_capacity(small);
  ASSERT_EQ(p.months.size(), 3u);
  EXPECT_GT(p.months[2].required_fte, p.months[0].required_fte);
}

}  // namespace
