// Benchmarks of hotline::sla. Targets (issue 3): a 48-interval day from 20 to 2000 Erlangs staffed
// in <= 50 us; all Erlang A metrics at load 1000 in <= 5 us; interval aggregation >= 50 M
// records/s.
#include <hotline/calendar/calendar.hpp>
#include <hotline/core/random.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/sla/records.hpp>
#include <hotline/sla/sliding_window.hpp>

#include <cmath>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

using namespace hotline::sla;
using namespace std::chrono_literals;

std::vector<Workload> day(bool patience) {
  // A daily shape: 48 half-hours, load from 20 to 2000 Erlangs and back (AHT 180 s).
  std::vector<Workload> out;
  for (int i = 0; i < 48; ++i) {
    const double shape = 0.5 - 0.5 * std::cos(2.0 * 3.141592653589793 * i / 47.0);
    const double load = 20.0 + 1980.0 * shape;
    Workload w{.calls = load * 1800.0 / 180.0, .interval = 30min, .aht = 180s};
    if (patience) w.patience = 300s;
    out.push_back(w);
  }
  return out;
}

void BM_StaffDayErlangC(benchmark::State& state) {
  const auto forecast = day(false);
  const StaffingGoal goal{.threshold = 20s, .service_level = 0.8};
  for (auto _ : state) benchmark::DoNotOptimize(required_agents(forecast, goal));
}
BENCHMARK(BM_StaffDayErlangC)->Unit(benchmark::kMicrosecond);

void BM_StaffDayErlangA(benchmark::State& state) {
  const auto forecast = day(true);
  const StaffingGoal goal{.threshold = 20s, .service_level = 0.8};
  for (auto _ : state) benchmark::DoNotOptimize(required_agents(forecast, goal));
}
BENCHMARK(BM_StaffDayErlangA)->Unit(benchmark::kMicrosecond);

// One staffing search at a million Erlangs with very patient callers (315 h against 240 s: the
// fuzz_workforce_plan regime): the fluid guess, the regula falsi and Erlang B by quadrature.
void BM_StaffErlangAMillionErlangs(benchmark::State& state) {
  const Workload w{.calls = 1e6 * 1800.0 / 240.0, .interval = 30min, .aht = 240s, .patience = 315h};
  const StaffingGoal goal{.threshold = 20s, .service_level = 0.8};
  for (auto _ : state) benchmark::DoNotOptimize(required_agents(w, goal));
}
BENCHMARK(BM_StaffErlangAMillionErlangs)->Unit(benchmark::kMicrosecond);

void BM_ErlangAMetricsLoad1000(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(erlang_a(1030, 1000.0, 180, 300, 20));
}
BENCHMARK(BM_ErlangAMetricsLoad1000)->Unit(benchmark::kMicrosecond);

void BM_ErlangBMillion(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(erlang_b(1'000'000, 999'000.37));
}
BENCHMARK(BM_ErlangBMillion)->Unit(benchmark::kMicrosecond);

void BM_SlidingWindowEvent(benchmark::State& state) {
  auto w = SlidingWindow::hotline_preset();
  hotline::Instant t = hotline::from_unix_ms(1'735'689'600'000);
  std::int64_t i = 0;
  for (auto _ : state) {
    t += 100ms;
    w.answered(static_cast<std::size_t>(i & 1), t, hotline::Duration{(i * 7919) % 40000});
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SlidingWindowEvent);

void BM_AggregateRecords(benchmark::State& state) {
  // One day of 1,000,000 contacts in arrival order, 4 queues x 2 tiers, 30-minute intervals in
  // Asia/Shanghai.
  RecordSet rs;
  hotline::Rng rng{7};
  const hotline::Instant t0 = hotline::parse_instant("2025-01-01T00:00:00+08:00");
  const char* queues[] = {"billing", "broadband", "roaming", "general"};
  const char* tiers[] = {"vip", "ordinary"};
  const std::int64_t n = state.range(0);
  for (std::int64_t i = 0; i < n; ++i) {
    ContactRecord r;
    r.arrival = t0 + hotline::Duration{i * 86'400'000 / n};
    r.wait = hotline::Duration{static_cast<std::int64_t>(rng.below(60'000))};
    r.talk = hotline::Duration{static_cast<std::int64_t>(rng.below(600'000))};
    const auto o = rng.below(10);
    r.outcome = o < 8 ? Outcome::answered : o < 9 ? Outcome::abandoned : Outcome::timeout;
    rs.add(r, queues[rng.below(4)], tiers[rng.below(2)]);
  }
  const auto cal = hotline::calendar::Calendar::always_open("Asia/Shanghai");
  const auto targets = Targets::hotline_preset();
  for (auto _ : state) benchmark::DoNotOptimize(aggregate(rs, targets, cal, {}));
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_AggregateRecords)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
