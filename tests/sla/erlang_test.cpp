// Tests of the Erlang B / C / A math and the staffing solvers (include/hotline/sla/erlang.hpp).
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using hotline::Error;
using hotline::ErrorCode;
using namespace hotline::sla;
using namespace std::chrono_literals;

struct Row {
  std::string kind;
  std::int64_t agents = 0;
  double load = 0, aht = 0, patience = 0, threshold = 0;
  std::string metric;
  double value = 0;
};

// Reference values: tests/sla/erlang_reference.csv, generated with mpmath at 50 digits by
// tests/sla/erlang_reference.py (incomplete gamma for B, the birth-death chain and quadrature
// for Erlang A).
std::vector<Row> reference() {
  std::ifstream in(HOTLINE_SOURCE_DIR "/tests/sla/erlang_reference.csv");
  EXPECT_TRUE(in) << "missing reference file";
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (f.size() != 8) continue;
    auto num = [](const std::string& s) { return s.empty() ? 0.0 : std::stod(s); };
    rows.push_back(
        {f[0], std::stoll(f[1]), num(f[2]), num(f[3]), num(f[4]), num(f[5]), f[6], num(f[7])});
  }
  return rows;
}

double relative_error(double got, double want) {
  return want == 0 ? std::fabs(got) : std::fabs(got - want) / std::fabs(want);
}

TEST(Erlang, BAndCMatchMpmathTo1e12UpToAMillionAgents) {
  int checked = 0;
  for (const Row& r : reference()) {
    if (r.kind == "B") {
      EXPECT_LE(relative_error(erlang_b(r.agents, r.load), r.value), 1e-12)
          << "B(" << r.agents << ", " << r.load << ")";
      ++checked;
    } else if (r.kind == "C") {
      EXPECT_LE(relative_error(erlang_c(r.agents, r.load), r.value), 1e-12)
          << "C(" << r.agents << ", " << r.load << ")";
      ++checked;
    }
  }
  EXPECT_GE(checked, 140);
}

TEST(Erlang, AMatchesMpmathTo1e12) {
  int checked = 0;
  for (const Row& r : reference()) {
    if (r.kind != "A") continue;
    const ErlangAMetrics m = erlang_a(r.agents, r.load, r.aht, r.patience, r.threshold);
    double got = NAN;
    if (r.metric == "p_wait") got = m.p_wait;
    if (r.metric == "p_abandon") got = m.p_abandon;
    if (r.metric == "sl_virtual") got = m.sl_virtual;
    if (r.metric == "sl_offered") got = m.sl_offered;
    if (r.metric == "sl_answered") got = m.sl_answered;
    if (r.metric == "sl_excl_abandoned_within") got = m.sl_excl_abandoned_within;
    if (r.metric == "asa") got = m.asa;
    if (r.metric == "mean_wait") got = m.mean_wait;
    if (r.metric == "occupancy") got = m.occupancy;
    EXPECT_LE(relative_error(got, r.value), 1e-12)
        << r.metric << " at N=" << r.agents << " A=" << r.load << " got " << got;
    ++checked;
  }
  EXPECT_EQ(checked, 9 * 9);
}

TEST(Erlang, CallCentreHelperExample) {
  // callcentrehelper.com "Erlang C formula - made simple": 100 calls in 30 minutes, AHT 180 s,
  // 80% in 20 s -> 10 Erlangs, 14 agents, P(wait) 0.17413, SL 0.88835, ASA 7.836 s, and 20 agents
  // with 30% shrinkage.
  const ErlangCMetrics m = erlang_c_metrics(14, 10.0, 180, 20);
  EXPECT_NEAR(m.p_wait, 0.17413, 5e-6);
  EXPECT_NEAR(m.service_level, 0.88835, 5e-6);
  EXPECT_NEAR(m.asa, 7.836, 5e-4);
  EXPECT_NEAR(m.occupancy, 10.0 / 14.0, 1e-15);
  const Staffing s = required_agents(Workload{.calls = 100, .interval = 30min, .aht = 180s},
                                     {.threshold = 20s, .service_level = 0.8, .shrinkage = 0.3});
  EXPECT_EQ(s.agents, 14);
  EXPECT_EQ(s.scheduled, 20);
  EXPECT_DOUBLE_EQ(s.load, 10.0);
  EXPECT_NEAR(s.service_level, 0.88835, 5e-6);
  // 13 agents miss the target, which is why 14 is the answer.
  EXPECT_LT(erlang_c_metrics(13, 10.0, 180, 20).service_level, 0.8);
}

TEST(Erlang, ErlangAWithEndlessPatienceIsErlangC) {
  const ErlangAMetrics a = erlang_a(14, 10.0, 180, INFINITY, 20);
  const ErlangCMetrics c = erlang_c_metrics(14, 10.0, 180, 20);
  EXPECT_EQ(a.p_wait, c.p_wait);
  EXPECT_EQ(a.sl_offered, c.service_level);
  EXPECT_EQ(a.p_abandon, 0.0);
  // And very patient callers approach it continuously.
  const ErlangAMetrics near = erlang_a(14, 10.0, 180, 1e9, 20);
  EXPECT_NEAR(near.p_wait, c.p_wait, 1e-6);
  EXPECT_NEAR(near.sl_virtual, c.service_level, 1e-6);
  EXPECT_NEAR(near.asa, c.asa, 1e-4);
}

TEST(Erlang, StaffingIsTheMinimumMeetingEveryGoal) {
  // Brute force: the answer meets the goals and one agent fewer does not.
  for (double calls : {30.0, 100.0, 450.0, 2000.0, 20000.0}) {
    const Workload w{.calls = calls, .interval = 30min, .aht = 240s};
    const StaffingGoal g{
        .threshold = 20s, .service_level = 0.8, .max_asa = 30s, .max_occupancy = 0.9};
    const Staffing s = required_agents(w, g);
    auto ok = [&](std::int64_t n) {
      if (static_cast<double>(n) <= w.load()) return false;
      const ErlangCMetrics m = erlang_c_metrics(n, w.load(), 240, 20);
      return m.service_level >= 0.8 && m.asa <= 30 && m.occupancy <= 0.9;
    };
    EXPECT_TRUE(ok(s.agents)) << calls;
    EXPECT_FALSE(ok(s.agents - 1)) << calls;
    EXPECT_EQ(s.scheduled, s.agents);
  }
}

TEST(Erlang, ErlangAStaffingIsMinimal) {
  const Workload w{.calls = 2000, .interval = 30min, .aht = 180s, .patience = 120s};
  for (auto basis : {StaffingGoal::Basis::offered, StaffingGoal::Basis::answered,
                     StaffingGoal::Basis::virtual_wait}) {
    const StaffingGoal g{
        .threshold = 15s, .service_level = 0.85, .max_abandon = 0.03, .basis = basis};
    const Staffing s = required_agents(w, g);
    auto ok = [&](std::int64_t n) {
      const ErlangAMetrics m = erlang_a(n, w.load(), 180, 120, 15);
      double sl = basis == StaffingGoal::Basis::offered    ? m.sl_offered
                  : basis == StaffingGoal::Basis::answered ? m.sl_answered
                                                           : m.sl_virtual;
      return sl >= 0.85 && m.p_abandon <= 0.03;
    };
    EXPECT_TRUE(ok(s.agents));
    EXPECT_FALSE(ok(s.agents - 1));
  }
  // Abandons lower the staff needed compared with infinitely patient callers.
  const StaffingGoal g{.threshold = 20s, .service_level = 0.8};
  Workload patient = w;
  patient.patience.reset();
  EXPECT_LE(required_agents(w, g).agents, required_agents(patient, g).agents);
}

// The Erlang A staffing search (square-root or fluid guess, gallop, Illinois regula falsi) must
// return the same answer as a plain bisection: the smallest n whose metrics (the public erlang_a)
// meet the goal. 600 pseudo-random workloads from 0.05 to 5 million Erlangs, patience from a
// tenth of the handle time to 10,000 handle times, every basis and goal combination.
TEST(Erlang, ErlangAStaffingSearchFindsTheSmallestAgentCount) {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto uniform = [&] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  const StaffingGoal::Basis bases[] = {StaffingGoal::Basis::offered, StaffingGoal::Basis::answered,
                                       StaffingGoal::Basis::virtual_wait};
  for (int i = 0; i < 600; ++i) {
    const double aht = 30.0 + 600.0 * uniform();
    const double load = std::exp(std::log(0.05) + uniform() * std::log(1e8));
    const double patience = aht * std::exp(std::log(0.1) + uniform() * std::log(1e5));
    const double threshold = 60.0 * uniform();
    const Workload w{.calls = load * 1800.0 / aht,
                     .interval = 30min,
                     .aht = hotline::Duration{static_cast<std::int64_t>(aht * 1000)},
                     .patience = hotline::Duration{static_cast<std::int64_t>(patience * 1000)}};
    const double a = w.load();
    const double aht_s = static_cast<double>(w.aht.count()) / 1000;
    const double pat_s = static_cast<double>(w.patience->count()) / 1000;
    StaffingGoal g;
    g.basis = bases[i % 3];
    const int kind = (i / 3) % 4;
    g.threshold = hotline::Duration{static_cast<std::int64_t>(threshold * 1000)};
    g.service_level = 0.5 + 0.45 * uniform();
    if (kind == 1) g.max_asa = hotline::Duration{static_cast<std::int64_t>(1000 * 30 * uniform())};
    if (kind == 2) g.max_abandon = 0.001 + 0.1 * uniform();
    if (kind == 3) g.max_occupancy = 0.6 + 0.35 * uniform();
    const double t_s = static_cast<double>(g.threshold->count()) / 1000;
    auto ok = [&](std::int64_t n) {
      const ErlangAMetrics m = erlang_a(n, a, aht_s, pat_s, t_s);
      double sl = m.sl_offered;
      if (g.basis == StaffingGoal::Basis::answered) sl = m.sl_answered;
      if (g.basis == StaffingGoal::Basis::virtual_wait) sl = m.sl_virtual;
      return sl >= *g.service_level && (!g.max_asa || m.asa <= g.max_asa->count() / 1000.0) &&
             (!g.max_abandon || m.p_abandon <= *g.max_abandon) &&
             (!g.max_occupancy || m.occupancy <= *g.max_occupancy);
    };
    std::int64_t lo = 0, hi = 1;
    while (!ok(hi)) lo = hi, hi *= 2;
    while (hi - lo > 1) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      (ok(mid) ? hi : lo) = mid;
    }
    const Staffing s = required_agents(w, g);
    ASSERT_EQ(s.agents, hi) << "case " << i << ": load " << a << ", aht " << aht_s << ", patience "
                            << pat_s << ", threshold " << t_s;
  }
}

TEST(Erlang, ForecastInOneCall) {
  std::vector<Workload> day;
  for (int i = 0; i < 48; ++i) {
    day.push_back({.calls = 100.0 + 40.0 * i, .interval = 30min, .aht = 180s});
  }
  const StaffingGoal g{.threshold = 20s, .service_level = 0.8};
  const auto all = required_agents(day, g);
  ASSERT_EQ(all.size(), 48u);
  for (std::size_t i = 0; i < day.size(); ++i) {
    EXPECT_EQ(all[i].agents, required_agents(day[i], g).agents);
    if (i > 0) {
      EXPECT_GE(all[i].agents, all[i - 1].agents);
    }
  }
}

TEST(Erlang, EdgeValues) {
  EXPECT_EQ(erlang_b(0, 5.0), 1.0);
  EXPECT_EQ(erlang_b(10, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(erlang_b(1, 1.0), 0.5);
  EXPECT_GT(erlang_b(1'000'000, 999'999.5), 0.0);
  // Far below load and far above it: no overflow, no NaN.
  EXPECT_EQ(erlang_b(1'000'000, 10.0), 0.0);
  EXPECT_NEAR(erlang_b(10, 1e7), 1.0, 1e-5);
  const ErlangAMetrics heavy = erlang_a(100, 5000.0, 180, 60, 20);
  EXPECT_TRUE(std::isfinite(heavy.p_abandon));
  EXPECT_NEAR(heavy.p_wait, 1.0, 1e-12);
  EXPECT_GT(heavy.p_abandon, 0.9);
  const Staffing none =
      required_agents(Workload{.calls = 0}, {.threshold = 20s, .service_level = 0.8});
  EXPECT_EQ(none.agents, 0);
}

template <class F>
void expect_error(F&& f, ErrorCode code, const std::string& where) {
  try {
    f();
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(e.where(), where) << e.what();
  }
}

TEST(Erlang, BadInput) {
  const auto inv = ErrorCode::invalid_argument;
  expect_error([] { erlang_b(-1, 2.0); }, inv, "agents");
  expect_error([] { erlang_b(5, -2.0); }, inv, "load");
  expect_error([] { erlang_b(5, NAN); }, inv, "load");
  expect_error([] { erlang_b(kMaxAgents + 1, 2.0); }, ErrorCode::limit, "agents");
  expect_error([] { erlang_c(10, 10.0); }, inv, "agents");
  expect_error([] { erlang_c(9, 10.5); }, inv, "agents");
  expect_error([] { erlang_c_metrics(14, 10.0, 0, 20); }, inv, "aht");
  expect_error([] { erlang_c_metrics(14, 10.0, 180, -1); }, inv, "threshold");
  expect_error([] { erlang_a(14, 10.0, 180, 0, 20); }, inv, "patience");
  expect_error([] { erlang_a(0, 10.0, 180, 60, 20); }, inv, "agents");
  expect_error([] { erlang_a(10, 10.0, 180, INFINITY, 20); }, inv, "agents");
  const Workload w{.calls = 100};
  expect_error([&] { required_agents(Workload{.calls = -1}, {.max_asa = 20s}); }, inv, "calls");
  expect_error([&] { required_agents(w, {.threshold = 20s, .service_level = 1.2}); }, inv,
               "service_level");
  expect_error([&] { required_agents(w, {.service_level = 0.8}); }, inv, "threshold");
  expect_error([&] { required_agents(w, {}); }, inv, "goal");
  expect_error([&] { required_agents(w, {.max_asa = 20s, .shrinkage = 1.0}); }, inv, "shrinkage");
  expect_error([&] { required_agents(w, {.max_abandon = 0.05}); }, inv, "max_abandon");
  expect_error([&] { required_agents(w, {.max_occupancy = 0}); }, inv, "max_occupancy");
  std::vector<Workload> day{w, Workload{.calls = 10, .aht = 0s}};
  expect_error([&] { required_agents(day, {.max_asa = 20s}); }, inv, "intervals/1/aht");
}

// Found by fuzz_workforce_plan and fuzz_workforce_schedule (UBSan: a double beyond the int64
// range cast to an agent count): astronomical loads and ratios are limit errors, or answers
// within kMaxAgents, never undefined behaviour.
TEST(Erlang, StaffingAtAstronomicalLoadsIsALimitNotAnOverflow) {
  const auto lim = ErrorCode::limit;
  const Workload huge{.calls = 1.0640333e67, .interval = 30min, .aht = 180s};
  expect_error([&] { required_agents(huge, {.threshold = 20s, .service_level = 0.8}); }, lim,
               "agents");
  // Erlang C with an occupancy cap: load / 1e-300 agents.
  expect_error([] { required_agents(Workload{.calls = 100}, {.max_occupancy = 1e-300}); }, lim,
               "agents");
  // Erlang A: sqrt(1e94 Erlangs) alone is beyond int64; load x patience / aht is bounded first.
  Workload patient = huge;
  patient.calls = 1e94;
  patient.patience = 30min;
  expect_error([&] { required_agents(patient, {.threshold = 20s, .service_level = 0.8}); }, lim,
               "patience");
  // A shrinkage an ulp below 1 would schedule about 1e23 heads for 14 agents.
  expect_error(
      [] {
        required_agents(Workload{.calls = 100, .interval = 30min, .aht = 180s},
                        {.threshold = 20s, .service_level = 0.8, .shrinkage = 1 - 0x1p-53});
      },
      lim, "shrinkage");
  // Just inside: shrinkage 0.999999 schedules 14 / 1e-6 = 14,000,000 heads (Call Centre Helper's
  // 14 agents for 100 calls in 30 min at 180 s, 80% in 20 s).
  const Staffing s =
      required_agents(Workload{.calls = 100, .interval = 30min, .aht = 180s},
                      {.threshold = 20s, .service_level = 0.8, .shrinkage = 0.999999});
  EXPECT_EQ(s.agents, 14);
  EXPECT_NEAR(static_cast<double>(s.scheduled), 14e6, 2);
}

}  // namespace
