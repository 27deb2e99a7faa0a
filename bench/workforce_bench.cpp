// Benchmarks of the workforce component. Target (issue 9): a 7x24 week in 30-minute intervals with
// 50 shift templates solves to optimality in < 2 s.
#include <hotline/workforce/capacity.hpp>
#include <hotline/workforce/schedule.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace hotline::workforce;
using namespace std::chrono_literals;

// A provincial hotline week (about 35,000 calls a weekday) and 50 templates: 4 start windows x
// lengths 4h..10h in 30-minute steps (13), less two; shifts of 6h or more get a 30-minute break in
// a one-hour window around their middle; night windows cost 20% more per paid hour.
ScheduleProblem week_with_50_templates() {
  ScheduleProblem p;
  p.interval = 30min;
  p.threshold = 20s;
  const double daily[7] = {36000, 35000, 34500, 34500, 35500, 30000, 27000};
  double sum = 0;
  std::vector<double> share(48);
  for (int i = 0; i < 48; ++i) {
    const double h = (i + 0.5) / 2;
    share[static_cast<std::size_t>(i)] = 0.03 + std::exp(-0.5 * std::pow((h - 10) / 2.2, 2)) +
                                         0.85 * std::exp(-0.5 * std::pow((h - 15) / 2.5, 2)) +
                                         0.45 * std::exp(-0.5 * std::pow((h - 20) / 1.8, 2));
    sum += share[static_cast<std::size_t>(i)];
  }
  for (int d = 0; d < 7; ++d) {
    for (int i = 0; i < 48; ++i) {
      p.demand.push_back({daily[d] * share[static_cast<std::size_t>(i)] / sum, 240s});
    }
  }
  p.required.assign(p.demand.size(), 0.0);
  p.required = requirements_for(p, 0.8);
  const hotline::Duration windows[4][2] = {{6h, 8h}, {9h, 11h}, {13h, 15h}, {21h, 23h}};
  for (int w = 0; w < 4; ++w) {
    for (int k = 0; k < 13 && p.templates.size() < 50; ++k) {
      ShiftTemplate t;
      t.length = 4h + 30min * k;
      t.name = fmt::format("w{}-{}", w, k);  // (GCC 12 -Wrestrict: no "w" + std::to_string)
      t.earliest_start = windows[w][0];
      t.latest_start = windows[w][1];
      if (t.length >= 6h) t.breaks = {{30min, t.length / 2 - 1h, t.length / 2}};
      t.cost = static_cast<double>(t.length / 1min) / 60.0 * (w == 3 ? 1.2 : 1.0);
      p.templates.push_back(t);
    }
  }
  return p;
}

void BM_WeekWith50Templates(benchmark::State& state) {
  const ScheduleProblem p = week_with_50_templates();
  Schedule s;
  for (auto _ : state) {
    s = solve(p);
    if (!s.optimal) throw std::runtime_error("not solved to optimality");
    benchmark::DoNotOptimize(s.cost);
  }
  state.counters["variants"] = static_cast<double>(s.variants);
  state.counters["shifts"] = static_cast<double>(s.total_shifts);
  state.counters["optimal"] = s.optimal ? 1 : 0;
}
BENCHMARK(BM_WeekWith50Templates)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ExampleWeek(benchmark::State& state) {
  const ScheduleProblem p =
      ScheduleProblem::load(HOTLINE_SOURCE_DIR "/examples/workforce/schedule-week.json");
  for (auto _ : state) benchmark::DoNotOptimize(solve(p).cost);
}
BENCHMARK(BM_ExampleWeek)->Unit(benchmark::kMillisecond);

void BM_ServiceLevelObjectiveWeek(benchmark::State& state) {
  const ScheduleProblem p =
      ScheduleProblem::load(HOTLINE_SOURCE_DIR "/examples/workforce/schedule-week.json");
  SolveOptions o;
  o.objective = Objective::max_service_level;
  o.max_shifts = 2400;
  Schedule s;
  for (auto _ : state) {
    s = solve(p, o);
    benchmark::DoNotOptimize(s.overall_service_level);
  }
  state.counters["optimal"] = s.optimal ? 1 : 0;
  state.counters["service_level"] = s.overall_service_level;
}
BENCHMARK(BM_ServiceLevelObjectiveWeek)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CapacityPlan24Months(benchmark::State& state) {
  const CapacityPlanInput in =
      CapacityPlanInput::load(HOTLINE_SOURCE_DIR "/examples/workforce/plan.json");
  for (auto _ : state) benchmark::DoNotOptimize(plan_capacity(in).total_hires);
}
BENCHMARK(BM_CapacityPlan24Months)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
