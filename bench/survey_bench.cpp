// Survey benchmarks (issue target: score aggregation >= 20 M responses/s).
#include <benchmark/benchmark.h>

#include <hotline/core/random.hpp>
#include <hotline/survey.hpp>

#include <vector>

using namespace hotline::survey;

namespace {

const Definition& definition() {
  static const Definition d =
      Definition::load(HOTLINE_SOURCE_DIR "/examples/survey/post-call.json");
  return d;
}

// A month of responses from 500 agents: answers drawn from a seeded generator, 70% responding.
std::vector<Response> responses(std::size_t n) {
  hotline::Rng rng(2025);
  std::vector<Response> rs(n);
  const auto t0 = hotline::parse_instant("2025-03-01T00:00:00+08:00");
  for (std::size_t i = 0; i < n; ++i) {
    Response& r = rs[i];
    r.answers.fill(kNoResponse);
    r.agent = static_cast<std::uint32_t>(rng.below(500));
    r.team = r.agent / 25;
    r.queue = static_cast<std::uint32_t>(rng.below(8));
    r.at = t0 + std::chrono::seconds{static_cast<std::int64_t>(rng.below(31 * 86'400))};
    if (rng.uniform() < 0.7) {
      r.answers[0] = static_cast<std::int8_t>(rng.uniform() < 0.9);
      r.answers[1] = static_cast<std::int8_t>(rng.uniform() < 0.8);
      r.answers[2] = static_cast<std::int8_t>(1 + rng.below(5));
      r.answers[3] = static_cast<std::int8_t>(rng.below(11));
      r.answers[4] = static_cast<std::int8_t>(1 + rng.below(7));
      r.responded = true;
    }
  }
  return rs;
}

void BM_AggregateByAgent(benchmark::State& state) {
  const auto rs = responses(static_cast<std::size_t>(state.range(0)));
  const auto zone = hotline::calendar::Calendar::always_open("Asia/Shanghai");
  for (auto _ : state) {
    auto scores = aggregate(definition(), rs, GroupBy::agent, zone);
    benchmark::DoNotOptimize(scores);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AggregateByAgent)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_AggregateByDay(benchmark::State& state) {
  const auto rs = responses(static_cast<std::size_t>(state.range(0)));
  const auto zone = hotline::calendar::Calendar::always_open("Asia/Shanghai");
  for (auto _ : state) {
    auto scores = aggregate(definition(), rs, GroupBy::day, zone);
    benchmark::DoNotOptimize(scores);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AggregateByDay)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_InSample(benchmark::State& state) {
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Sampler::in_sample("call-20250303-000123", 10010 + (i++ & 7), 30));
  }
  state.SetItemsProcessed(i);
}
BENCHMARK(BM_InSample);

}  // namespace

BENCHMARK_MAIN();
