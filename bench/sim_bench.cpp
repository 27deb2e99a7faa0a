// Simulator benchmarks (issue 8 targets: >= 3 M simulated calls/s on one core for an M/M/N+M
// scenario with 1000 agents through the real router; >= 1 M calls/s for the bundled provincial
// day). Items processed = simulated calls (arrivals); one replication per iteration.
#include <benchmark/benchmark.h>

#include <hotline/sim.hpp>

using namespace hotline::sim;

namespace {

// examples/scenarios/mmn-erlang-a.json scaled to `agents` agents at 95% of their capacity
// (Poisson arrivals, exponential 3-minute handle times and 2-minute patience, one queue).
Scenario mmn(int agents) {
  Scenario s = Scenario::load(HOTLINE_SOURCE_DIR "/examples/scenarios/mmn-erlang-a.json");
  s.agents[0].count = agents;
  const double hours = std::chrono::duration<double, std::ratio<3600>>(s.length).count();
  s.calls = 0.95 * agents * 3600.0 / 180.0 * hours;  // load = 0.95 x agents Erlangs
  s.warmup = {};
  return s;
}

void run_one(benchmark::State& state, const Scenario& s) {
  RunOptions o;
  o.replications = 1;
  double calls = 0;
  std::int64_t events = 0;
  for (auto _ : state) {
    const Report r = run(s, o);
    calls += r.calls;
    events += r.events;
    benchmark::DoNotOptimize(r.calls);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(calls));
  state.counters["calls/s"] = benchmark::Counter(calls, benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_SimMMNPlusM(benchmark::State& state) {
  const Scenario s = mmn(static_cast<int>(state.range(0)));
  run_one(state, s);
}
BENCHMARK(BM_SimMMNPlusM)->Arg(20)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_SimProvincialDay(benchmark::State& state) {
  const Scenario s = Scenario::load(HOTLINE_SOURCE_DIR "/examples/scenarios/provincial-day.json");
  run_one(state, s);
}
BENCHMARK(BM_SimProvincialDay)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
