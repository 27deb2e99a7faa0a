// Calendar queries on the Shanghai 2025 department calendar: the cached fast path (target for
// add_business: >= 5 M calls/s on one core) and the day-by-day slow path for comparison.
//
//   hotline_calendar_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using hotline::Duration;
using hotline::Instant;
using hotline::calendar::Calendar;

constexpr const char* kExample = HOTLINE_SOURCE_DIR "/examples/calendars/shanghai-dept-2025.json";

// Inputs are precomputed so that the timed loops measure the query only; a power of two so
// that the index wraps with a mask.
constexpr std::size_t kInputs = 1 << 14;

struct Inputs {
  std::vector<Instant> starts;      // uniform over local 2025
  std::vector<Duration> durations;  // uniform over 1 h .. 10 business days (75 h)
  std::vector<Instant> ends;        // start + 0 .. 30 days
};

const Inputs& inputs() {
  static const Inputs in = [] {
    Inputs r;
    hotline::Rng rng{2025};
    const Instant year_start = hotline::parse_instant("2025-01-01T00:00:00+08:00");
    const auto year_ms = static_cast<std::uint64_t>(Duration{std::chrono::days{365}}.count());
    const auto min_d = Duration{1h}.count(), max_d = Duration{75h}.count();
    for (std::size_t i = 0; i < kInputs; ++i) {
      const Instant t = year_start + Duration{static_cast<std::int64_t>(rng.below(year_ms))};
      r.starts.push_back(t);
      r.durations.push_back(Duration{
          min_d + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(max_d - min_d)))});
      r.ends.push_back(t + Duration{static_cast<std::int64_t>(rng.below(30 * 86'400'000ULL))});
    }
    return r;
  }();
  return in;
}

const Calendar& cached() {
  static const Calendar cal = Calendar::load(kExample);
  return cal;
}

std::string example_with_cache(int from_year, int to_year) {
  std::ifstream in(kExample);
  auto doc = nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  doc["cache"] = {{"from_year", from_year}, {"to_year", to_year}};
  return doc.dump();
}

const Calendar& uncached() {
  // to_year < from_year disables the segment cache: every query walks the days.
  static const Calendar cal = Calendar::from_json(example_with_cache(2025, 2024));
  return cal;
}

void add_business(benchmark::State& state, const Calendar& cal) {
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.add_business(in.starts[i], in.durations[i]));
    i = (i + 1) & (kInputs - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void is_open(benchmark::State& state, const Calendar& cal) {
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.is_open(in.starts[i]));
    i = (i + 1) & (kInputs - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void business_between(benchmark::State& state, const Calendar& cal) {
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.business_between(in.starts[i], in.ends[i]));
    i = (i + 1) & (kInputs - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void next_open(benchmark::State& state, const Calendar& cal) {
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.next_open(in.starts[i]));
    i = (i + 1) & (kInputs - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_AddBusiness(benchmark::State& state) { add_business(state, cached()); }
void BM_AddBusiness_NoCache(benchmark::State& state) { add_business(state, uncached()); }
void BM_IsOpen(benchmark::State& state) { is_open(state, cached()); }
void BM_IsOpen_NoCache(benchmark::State& state) { is_open(state, uncached()); }
void BM_BusinessBetween(benchmark::State& state) { business_between(state, cached()); }
void BM_BusinessBetween_NoCache(benchmark::State& state) { business_between(state, uncached()); }
void BM_NextOpen(benchmark::State& state) { next_open(state, cached()); }
void BM_NextOpen_NoCache(benchmark::State& state) { next_open(state, uncached()); }

// 7x24 answers arithmetically: the floor of the per-call cost.
void BM_AddBusiness_AlwaysOpen(benchmark::State& state) {
  add_business(state, Calendar::always_open());
}

// Loading and validating the example, including building its 2020..2035 segment cache.
void BM_FromJson(benchmark::State& state) {
  std::ifstream in(kExample);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  for (auto _ : state) benchmark::DoNotOptimize(Calendar::from_json(text));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_AddBusiness);
BENCHMARK(BM_AddBusiness_NoCache);
BENCHMARK(BM_IsOpen);
BENCHMARK(BM_IsOpen_NoCache);
BENCHMARK(BM_BusinessBetween);
BENCHMARK(BM_BusinessBetween_NoCache);
BENCHMARK(BM_NextOpen);
BENCHMARK(BM_NextOpen_NoCache);
BENCHMARK(BM_AddBusiness_AlwaysOpen);
BENCHMARK(BM_FromJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
