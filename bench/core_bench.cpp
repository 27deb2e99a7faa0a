// Core hot paths: the random number generator and the time parsers.
//
//   hotline_core_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <hotline/core.hpp>

#include <string>
#include <vector>

namespace {

void BM_RngNext(benchmark::State& state) {
  hotline::Rng rng{42};
  for (auto _ : state) benchmark::DoNotOptimize(rng());
  state.SetItemsProcessed(state.iterations());
}

void BM_RngUniform(benchmark::State& state) {
  hotline::Rng rng{42};
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform());
  state.SetItemsProcessed(state.iterations());
}

void BM_RngBelow(benchmark::State& state) {
  hotline::Rng rng{42};
  for (auto _ : state) benchmark::DoNotOptimize(rng.below(1000));
  state.SetItemsProcessed(state.iterations());
}

void BM_RngExponential(benchmark::State& state) {
  hotline::Rng rng{42};
  for (auto _ : state) benchmark::DoNotOptimize(rng.exponential(180.0));
  state.SetItemsProcessed(state.iterations());
}

void BM_RngLognormal(benchmark::State& state) {
  hotline::Rng rng{42};
  for (auto _ : state) benchmark::DoNotOptimize(rng.lognormal(300.0, 120.0));
  state.SetItemsProcessed(state.iterations());
}

void BM_RngStream(benchmark::State& state) {
  hotline::Rng rng{42};
  std::string name = "arrivals";
  for (auto _ : state) {
    // Hide the generator and the name from the optimiser, or the derivation is constant-folded.
    benchmark::DoNotOptimize(rng);
    benchmark::DoNotOptimize(name.data());
    benchmark::DoNotOptimize(rng.stream(name));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseDuration(benchmark::State& state) {
  const std::vector<std::string> texts{"90s", "1h30m", "250ms", "1.5h", "2d", "45"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(hotline::parse_duration(texts[i]));
    i = i + 1 == texts.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseInstant(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(hotline::parse_instant("2025-01-27T09:00:00.250+08:00"));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FormatInstant(benchmark::State& state) {
  const hotline::Instant t = hotline::from_unix_ms(1737939600250);
  for (auto _ : state) benchmark::DoNotOptimize(hotline::format_instant(t));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_RngNext);
BENCHMARK(BM_RngUniform);
BENCHMARK(BM_RngBelow);
BENCHMARK(BM_RngExponential);
BENCHMARK(BM_RngLognormal);
BENCHMARK(BM_RngStream);
BENCHMARK(BM_ParseDuration);
BENCHMARK(BM_ParseInstant);
BENCHMARK(BM_FormatInstant);

}  // namespace

BENCHMARK_MAIN();
