// The simulator: validation against queueing formulas, common random numbers, determinism,
// memory, the bundled provincial day through every component, and scenario errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include <hotline/core/error.hpp>
#include <hotline/sim.hpp>
#include <hotline/sla/erlang.hpp>

#include "core/json.hpp"
#include "sim/internal.hpp"

namespace {

using namespace hotline;
using namespace hotline::sim;
using namespace std::chrono_literals;

const std::filesystem::path kScenarios =
    std::filesystem::path(HOTLINE_SOURCE_DIR) / "examples" / "scenarios";

std::string read(const std::filesystem::path& p) { return hotline::detail::read_file(p); }

void expect_within(const Estimate& e, double reference, const char* what) {
  EXPECT_GE(e.n, 10) << what;
  EXPECT_LE(e.low(), reference) << what << ": " << e.mean << " ± " << e.half_width;
  EXPECT_GE(e.high(), reference) << what << ": " << e.mean << " ± " << e.half_width;
}

// ---- validation: the simulated M/M/N+M and M/M/N against the formulas -------------------------

// Reference: hotline::sla::erlang_a (Garnett, Mandelbaum & Reiman 2002, checked in tests/sla
// against published tables) and erlang_c_metrics (Erlang C). The simulated figures are means of
// 10 replications of 7 hours after a 1-hour warm-up; the formula must lie in their 95% interval.
TEST(SimValidation, MMNPlusMReproducesErlangA) {
  const Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  ASSERT_EQ(sc.replications, 10);
  const Report r = run(sc);
  ASSERT_EQ(r.tiers.size(), 1u);
  const sla::ErlangAMetrics a = sla::erlang_a(20, 18.0, 180.0, 120.0, 20.0);
  expect_within(r.tiers[0].abandon_rate, a.p_abandon, "P(abandon)");
  expect_within(r.tiers[0].service_level, a.sl_offered,
                "service level (answered within / offered)");
  expect_within(r.occupancy, a.occupancy, "occupancy");
  EXPECT_NEAR(a.p_abandon, 0.0571, 0.001);  // the point itself: hotline staff gives 5.71%
}

TEST(SimValidation, MMNReproducesErlangC) {
  Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  sc.segments[0].patience.kind = Distribution::Kind::never;
  sc.agents[0].count = 21;
  sc.targets->variant = sla::ServiceLevelVariant::answered;
  const Report r = run(sc);
  const sla::ErlangCMetrics c = sla::erlang_c_metrics(21, 18.0, 180.0, 20.0);
  expect_within(r.tiers[0].service_level, c.service_level, "service level");
  expect_within(r.tiers[0].asa_seconds, c.asa, "ASA");
  EXPECT_EQ(r.tiers[0].abandon_rate.mean, 0.0);
}

// ---- common random numbers, determinism, memory ------------------------------------------------

TEST(SimRandomNumbers, TwoStaffingsSeeTheSameTraffic) {
  Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  sc.replications = 3;
  const Report twenty = run(sc);
  sc.agents[0].count = 22;
  const Report more = run(sc);
  EXPECT_EQ(twenty.calls, more.calls);
  ASSERT_EQ(twenty.intervals.size(), more.intervals.size());
  for (std::size_t k = 0; k < twenty.intervals.size(); ++k) {
    EXPECT_EQ(twenty.intervals[k].offered, more.intervals[k].offered) << k;
  }
  EXPECT_LT(more.tiers[0].abandon_rate.mean, twenty.tiers[0].abandon_rate.mean);
  EXPECT_GT(more.tiers[0].service_level.mean, twenty.tiers[0].service_level.mean);
}

// Reviewing the fuzz findings' kind: a rate of 1e-300 calls a second draws gaps beyond any
// Duration; they were cast to int64 before the comparison with the interval's end.
TEST(SimArrivals, AVanishingRateDrawsNoCallAndNoOverflow) {
  Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  sc.replications = 1;
  sc.calls = 1e-300;
  const Report r = run(sc);
  EXPECT_EQ(r.calls, 0);
}

TEST(SimRandomNumbers, SameSeedSameReportOtherSeedOtherReport) {
  Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  sc.replications = 2;
  const std::string a = to_json(run(sc));
  EXPECT_EQ(a, to_json(run(sc)));
  RunOptions other;
  other.seed = 8;
  EXPECT_NE(a, to_json(run(sc, other)));
}

TEST(SimMemory, GrowsWithCallsInFlightNotWithTheLengthOfTheRun) {
  Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  sc.replications = 1;
  sc.warmup = 0ms;
  const Report day = run(sc);
  sc.length = std::chrono::hours{8 * 7};
  sc.calls *= 7;
  const Report week = run(sc);
  EXPECT_NEAR(week.calls, 7 * day.calls, 0.05 * 7 * day.calls);
  EXPECT_GT(day.peak_calls_in_flight, 10);
  EXPECT_LT(week.peak_calls_in_flight, 2 * day.peak_calls_in_flight);
}

// The calendar sends events due at the instant being processed (a pick-up without delay, a
// wrap-up of 0 s) through a FIFO instead of its heap. The reference is the heap-only calendar:
// every replication must come out the same, bit for bit, in both scenarios (the M/M/N+M one,
// where every answer and wrap-up end takes the FIFO, and the provincial day, where complaints,
// surveys and shifts mix both paths).
TEST(SimCalendar, TheSameInstantFifoGivesExactlyTheHeapsOrder) {
  for (const char* name : {"mmn-erlang-a.json", "provincial-day.json"}) {
    Scenario sc = Scenario::load(kScenarios / name);
    if (sc.agent_count() < 100) sc.calls *= 3;  // busier: more same-instant ties
    for (std::uint64_t seed : {1, 2}) {
      sim::detail::Replication in_fifo, in_heap;
      sim::detail::simulate_one(sc, Rng(seed), in_fifo, RunOptions{}, 0, 1,
                                sim::detail::Calendar::same_instant_fifo);
      sim::detail::simulate_one(sc, Rng(seed), in_heap, RunOptions{}, 0, 1,
                                sim::detail::Calendar::heap_only);
      EXPECT_GT(in_fifo.events, 1000) << name;
      EXPECT_EQ(in_fifo.events, in_heap.events) << name << " seed " << seed;
      EXPECT_EQ(in_fifo.calls, in_heap.calls) << name << " seed " << seed;
      EXPECT_TRUE(in_fifo == in_heap) << name << " seed " << seed;
    }
  }
}

TEST(SimLimits, AnEventBudgetStopsARunWithALimitError) {
  const Scenario sc = Scenario::load(kScenarios / "mmn-erlang-a.json");
  RunOptions o;
  o.max_events = 1000;
  try {
    (void)run(sc, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::limit);
    EXPECT_EQ(e.where(), "max_events");
  }
  o.max_events = 10'000'000;
  EXPECT_NO_THROW((void)run(sc, o));
}

// ---- the bundled provincial day ----------------------------------------------------------------

TEST(SimProvincialDay, EveryComponentTakesPart) {
  Scenario sc = Scenario::load(kScenarios / "provincial-day.json");
  EXPECT_EQ(sc.agent_count(), 198);
  int outbound = 0;
  for (const AgentGroup& g : sc.agents) outbound += g.pool == routing::Pool::outbound ? g.count : 0;
  EXPECT_EQ(outbound, 40);
  int progress_calls = 0;
  RunOptions o;
  o.replications = 1;
  o.progress = [&](int, int, double f) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
    ++progress_calls;
  };
  const Report r = run(sc, o);
  EXPECT_GE(progress_calls, 2);
  EXPECT_EQ(r.intervals.size(), 48u);
  ASSERT_EQ(r.tiers.size(), 3u);  // L1, L2, L3
  EXPECT_EQ(r.tiers[0].tier, "L1");
  EXPECT_EQ(r.tiers[0].target, 0.85);
  EXPECT_EQ(r.tiers[2].target, 0.75);
  EXPECT_EQ(r.tiers[2].threshold, 20s);
  for (const TierDay& d : r.tiers) {
    EXPECT_GT(d.service_level.mean, 0.5) << d.tier;
    EXPECT_GT(d.answer_rate.mean, 0.8) << d.tier;
  }
  // IVR: containment and drop-off from the real sessions.
  EXPECT_GT(r.ivr.calls, 20000);
  EXPECT_GT(r.ivr.containment.mean, 0.2);
  EXPECT_LT(r.ivr.containment.mean, 0.8);
  EXPECT_FALSE(r.ivr.drop_off.empty());
  EXPECT_NEAR(r.ivr.self_service + r.ivr.transferred + r.ivr.abandoned + r.ivr.step_limit,
              r.ivr.calls, 200);  // a few sessions are still running at the end of the day
  // Staffing against Erlang A: traffic in the morning peak needs agents.
  const Interval& ten = r.intervals[20];
  EXPECT_GT(ten.offered, 100);
  EXPECT_GT(ten.required, 20);
  EXPECT_GT(ten.staffed, 40);
  EXPECT_GT(ten.occupancy, 0.3);
  EXPECT_LT(ten.occupancy, 1.01);
  // Survey and the dissatisfaction loop on the escalation engine.
  EXPECT_GT(r.survey.offered, 1000);
  EXPECT_GT(r.survey.response_rate.mean, 0.4);
  EXPECT_GT(r.survey.alerts, 10);
  EXPECT_EQ(r.survey.explained_in_time + r.survey.overdue, r.survey.alerts);
  EXPECT_GT(r.survey.yellow_cards, 0);
  // Complaints through the workflow, on department calendars.
  EXPECT_GT(r.complaints.created, 100);
  EXPECT_EQ(r.complaints.closed, r.complaints.created);
  EXPECT_GT(r.complaints.due, 0);
  EXPECT_GT(r.complaints.timeliness.mean, 0.5);
  // Callbacks (booked in the IVR, served by the outbound seats) and wait predictions.
  EXPECT_GT(r.callbacks.booked, 100);
  EXPECT_GT(r.callbacks.completed, 0);
  // Every callback is completed, unanswered or (booked after the desk's last shift) not dialled.
  EXPECT_NEAR(r.callbacks.completed + r.callbacks.unanswered + r.callbacks.not_dialled,
              r.callbacks.accepted + r.callbacks.booked, 1e-9);
  EXPECT_GT(r.callbacks.not_dialled, 0);
  EXPECT_LT(r.callbacks.not_dialled, 0.05 * r.callbacks.booked);
  EXPECT_GT(r.prediction.scored, 100);
  EXPECT_TRUE(std::isfinite(r.prediction.mean_abs_error_s));

  const std::string html = to_html(r);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  std::size_t svgs = 0;
  for (auto p = html.find("<svg"); p != std::string::npos; p = html.find("<svg", p + 1)) ++svgs;
  EXPECT_EQ(svgs, 3u);
  EXPECT_FALSE(std::regex_search(html, std::regex("\\b(nan|inf)\\b"))) << "a number was not finite";
  EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained, static
  const auto j = nlohmann::json::parse(to_json(r));
  EXPECT_EQ(j["tiers"].size(), 3u);
  EXPECT_EQ(j["intervals"].size(), 48u);
  const std::string text = to_text(r);
  EXPECT_NE(text.find("L1"), std::string::npos);
  EXPECT_NE(text.find("containment"), std::string::npos);
}

// ---- scenario errors ---------------------------------------------------------------------------

struct Mutation {
  const char* name;
  const char* pointer;  // JSON pointer to replace
  const char* value;    // JSON text
  const char* where;    // expected start of Error::where()
};

class SimScenarioErrors : public ::testing::TestWithParam<Mutation> {};

TEST_P(SimScenarioErrors, NameTheField) {
  const Mutation& m = GetParam();
  auto j = nlohmann::json::parse(read(kScenarios / "mmn-erlang-a.json"));
  j[nlohmann::json::json_pointer(m.pointer)] = nlohmann::json::parse(m.value);
  try {
    (void)Scenario::from_json(j.dump(), kScenarios);
    FAIL() << m.name << ": no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().rfind(m.where, 0), 0u) << m.name << ": " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fields, SimScenarioErrors,
    ::testing::Values(
        Mutation{"negative_count", "/agents/0/count", "-1", "/agents/0/count"},
        Mutation{"huge_count", "/agents/0/count", "1000000", "/agents/0/count"},
        Mutation{"profile_length", "/arrivals/profile", "[1, 2, 3]", "/arrivals/profile"},
        Mutation{"shares", "/arrivals/queues", R"({"q": 0.5})", "/arrivals/queues"},
        Mutation{"unknown_queue", "/arrivals/queues", R"({"nope": 1})", "/arrivals/queues/nope"},
        Mutation{"misspelt_key", "/colour", "1", "/colour"},
        Mutation{"routing_inside", "/routing/queues/0/strategy", R"("fastest")",
                 "/routing: /queues/0/strategy"},
        Mutation{"distribution", "/handle/q", R"({"dist": "gamma", "mean": "3m"})",
                 "/handle/q/dist"},
        Mutation{"duration", "/handle/q", R"({"dist": "exponential", "mean": "3 fortnights"})",
                 "/handle/q/mean"},
        Mutation{"shift", "/agents/0/shifts", R"([{"start": "9h", "end": "8h"}])",
                 "/agents/0/shifts/0/end"},
        Mutation{"break_outside", "/agents/0/shifts",
                 R"([{"start": "8h", "end": "9h", "breaks": [{"at": "10h", "length": "5m"}]}])",
                 "/agents/0/shifts/0/breaks/0"},
        Mutation{"interval", "/interval", R"("7m")", "/interval"},
        Mutation{"warmup", "/warmup", R"("9h")", "/warmup"},
        Mutation{"replications", "/replications", "0", "/replications"},
        Mutation{"skill", "/agents/0/skills", R"(["cooking"])", "/agents/0/skills/0"},
        Mutation{"language", "/arrivals/languages", R"({"tlh": 1})", "/arrivals/languages/tlh"},
        Mutation{"start", "/start", R"("yesterday")", "/start"},
        Mutation{"missing_file", "/routing", R"("no-such-policy.json")", "/routing"},
        Mutation{"calls", "/arrivals/calls", "1e12", "/arrivals/calls"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(SimScenario, SyntaxErrorsHaveALineAndColumn) {
  try {
    (void)Scenario::from_json("{\n  \"name\": \"x\",\n  oops\n}");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
    EXPECT_NE(e.where().find("line 3"), std::string::npos) << e.where();
  }
}

TEST(SimScenario, ErrorsInsideReferencedFilesNameBothPlaces) {
  auto j = nlohmann::json::parse(read(kScenarios / "provincial-day.json"));
  j["ivr"]["queues"] = {{"business", "no_such_queue"}};
  try {
    (void)Scenario::from_json(j.dump(), kScenarios);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().rfind("/ivr/queues/business", 0), 0u) << e.what();
  }
  j = nlohmann::json::parse(read(kScenarios / "provincial-day.json"));
  j["complaints"]["steps"][0]["do"] = "shred";
  try {
    (void)Scenario::from_json(j.dump(), kScenarios);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "/complaints/steps/0/do") << e.what();
  }
}

TEST(SimDistribution, MeansOfDraws) {
  Rng rng{3};
  auto mean_of = [&](const Distribution& d) {
    double s = 0;
    for (int i = 0; i < 200000; ++i) s += static_cast<double>(d.sample(rng).count()) / 1000.0;
    return s / 200000;
  };
  Distribution ln;
  ln.kind = Distribution::Kind::lognormal;
  ln.mean = 240;
  ln.sd = 160;
  EXPECT_NEAR(mean_of(ln), 240, 2.5);
  EXPECT_NEAR(mean_of(Distribution::exponential_of(90s)), 90, 1);
  Distribution emp;
  emp.kind = Distribution::Kind::empirical;
  emp.values = {10, 20, 60};
  emp.mean = 30;
  EXPECT_NEAR(mean_of(emp), 30, 0.3);
  Distribution never;
  never.kind = Distribution::Kind::never;
  EXPECT_EQ(never.sample(rng), Duration::max());
  EXPECT_TRUE(std::isinf(never.mean_seconds()));
}

}  // namespace
