// Escalation engine benchmarks (issue targets: 1 M open work orders in memory; >= 1 M timer
// events/s from advance(); >= 20 k durable transitions/s with group commit).
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <hotline/escalation.hpp>

#include <malloc.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

using namespace std::chrono_literals;
using namespace hotline::escalation;

namespace {

const Policy& policy() {
  static const Policy p = Policy::load(HOTLINE_SOURCE_DIR "/examples/escalation/policy.json");
  return p;
}

const hotline::Instant kT0 = hotline::parse_instant("2025-03-03T09:00:00+08:00");

// Bytes in use on the heap (glibc): unlike RSS, not fooled by memory reused between repetitions.
double heap_in_use() { return static_cast<double>(mallinfo2().uordblks); }

NewOrder order_for(std::int64_t i) {
  static const std::string kFault = "fault_report", kComplaint = "complaint";
  static const std::string kNetwork = "network", kHotline = "hotline", kHandler = "h";
  NewOrder o;
  o.customer = std::to_string(13800000000 + i);
  o.category = (i % 4 == 0) ? kFault : kComplaint;
  o.owner = fmt::format("agent-{}", i % 500);
  o.department = (i % 4 == 0) ? kNetwork : kHotline;  // 7x24 calendars
  o.handler = kHandler;
  return o;
}

// 1 M open work orders created in memory (no store: the simulator's configuration).
void BM_CreateOneMillionOpenOrders(benchmark::State& state) {
  const auto n = state.range(0);
  for (auto _ : state) {
    const double before = heap_in_use();
    Engine e(policy(), nullptr);
    for (std::int64_t i = 0; i < n; ++i) {
      e.create(order_for(i), kT0 + std::chrono::milliseconds{i * 50});
    }
    benchmark::DoNotOptimize(e.open_count());
    state.counters["bytes_per_order"] = (heap_in_use() - before) / static_cast<double>(n);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_CreateOneMillionOpenOrders)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// advance(): N orders created within an hour, then the clock swept over three days in 10-minute
// steps; every warning, breach and escalation of every order fires. Items = timer events.
void BM_AdvanceTimerEvents(benchmark::State& state) {
  const auto n = state.range(0);
  std::int64_t fired = 0;
  std::vector<Notice> out;
  out.reserve(1 << 20);
  for (auto _ : state) {
    state.PauseTiming();
    auto e = std::make_unique<Engine>(policy(), nullptr);
    for (std::int64_t i = 0; i < n; ++i) {
      e->create(order_for(i), kT0 + std::chrono::milliseconds{(i * 3'600'000) / n});
    }
    state.ResumeTiming();
    for (auto t = kT0 + 1h; t < kT0 + 80h; t += 10min) {
      out.clear();
      e->advance(t, out);
      fired += static_cast<std::int64_t>(out.size());
    }
    state.PauseTiming();
    e.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(fired);
  state.counters["events_per_iteration"] =
      static_cast<double>(fired) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_AdvanceTimerEvents)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Durable transitions on SQLite. Each iteration is one command (create, then acknowledge and
// assess alternately on earlier orders); group mode commits every 512 commands.
void durable(benchmark::State& state, Durability d) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("hotline-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "bench.db";
  std::filesystem::remove(file);
  std::filesystem::remove(dir / "bench.db-wal");
  std::filesystem::remove(dir / "bench.db-shm");
  SqliteOptions o;
  o.durability = d;
  std::int64_t k = 0;
  {
    Engine e(policy(), sqlite_store(file, o));
    const Actor agent{"agent-1", "agent"};
    const std::map<std::string, std::string, std::less<>> assess{{"assessment", "checked"}};
    for (auto _ : state) {
      const auto now = kT0 + std::chrono::milliseconds{k};
      switch (k % 3) {
        case 0: {
          NewOrder n = order_for(1);  // complaints only: acknowledge, then assess
          n.customer = std::to_string(k);
          e.create(n, now);
          break;
        }
        case 1:
          e.transition(static_cast<OrderId>(k / 3 + 1), "acknowledge", agent, {}, now);
          break;
        default:
          e.transition(static_cast<OrderId>(k / 3 + 1), "assess", agent, assess, now);
          break;
      }
      ++k;
    }
    e.flush();
  }
  state.SetItemsProcessed(k);
  std::filesystem::remove_all(dir);
}

void BM_DurableTransitionsGroupCommit(benchmark::State& state) {
  durable(state, Durability::group);
}
void BM_DurableTransitionsFull(benchmark::State& state) { durable(state, Durability::full); }
void BM_DurableTransitionsNormal(benchmark::State& state) { durable(state, Durability::normal); }
BENCHMARK(BM_DurableTransitionsGroupCommit)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_DurableTransitionsNormal)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_DurableTransitionsFull)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
