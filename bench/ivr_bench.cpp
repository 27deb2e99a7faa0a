// IVR benchmarks (issue targets: >= 5 M session events/s; load and verify a 10,000-node tree in
// < 50 ms).
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <hotline/ivr.hpp>

#include <string>

using namespace std::chrono_literals;
using namespace hotline::ivr;

namespace {

// A synthetic tree of `menus` menus in a 4-ary hierarchy; each menu's keys 1-3 lead to child
// menus or, at the leaves, to a play -> transfer / hangup pair; key 4 replays a prompt.
std::string synthetic(int menus) {
  std::string nodes = R"({"id": "agent", "kind": "transfer", "queue": "general"},
    {"id": "bye", "kind": "hangup", "prompts": ["p"]})";
  for (int i = 0; i < menus; ++i) {
    std::string opts;
    for (int k = 1; k <= 3; ++k) {
      const int child = i * 3 + k;
      const std::string to =
          child < menus ? fmt::format("m{}", child) : fmt::format("leaf{}_{}", i, k);
      opts += fmt::format(R"({}{{"key": "{}", "to": "{}"}})", k == 1 ? "" : ", ", k, to);
      if (child >= menus) {
        nodes += fmt::format(
            R"(, {{"id": "leaf{}_{}", "kind": "play", "prompts": ["p"], "next": "{}"}})", i, k,
            k == 3 ? "agent" : "bye");
      }
    }
    opts += fmt::format(R"(, {{"key": "4", "to": "{}"}})",
                        i == 0 ? "m0" : fmt::format("m{}", (i - 1) / 3));
    nodes += fmt::format(
        R"(, {{"id": "m{}", "kind": "menu", "prompts": ["p"], "options": [{}], "timeout": "4s"}})",
        i, opts);
  }
  return R"({"name": "big", "version": "1", "languages": ["zh", "en"], "fallback_language": "zh",
    "limits": {"max_steps": 100000}, "global": {"agent": "agent"},
    "prompts": {"p": {"zh": {"text": "x", "seconds": 3}, "en": {"text": "x", "seconds": 3}}},
    "start": "m0", "nodes": [)" +
         nodes + "]}";
}

void BM_LoadAndVerify(benchmark::State& state) {
  const std::string json = synthetic(static_cast<int>(state.range(0)));
  std::size_t nodes = 0;
  for (auto _ : state) {
    auto tree = Tree::compose({Document::from_json(json)});
    nodes = tree->nodes().size();
    benchmark::DoNotOptimize(tree);
  }
  state.counters["nodes"] = static_cast<double>(nodes);
}
BENCHMARK(BM_LoadAndVerify)->Arg(3'333)->Unit(benchmark::kMillisecond);  // 10,000 nodes

// Session events: a caller walking down and back up the menus (key 1 down, key 4 up); each
// on_digits is one event. A new session every 10,000 events keeps the trajectory bounded.
void BM_SessionEvents(benchmark::State& state) {
  auto tree = Tree::compose({Document::from_json(synthetic(40))});
  auto now = hotline::parse_instant("2025-03-03T09:00:00+08:00");
  auto session = std::make_unique<Session>(tree, CallInfo{"L3", "zh", {}}, now);
  std::int64_t events = 0;
  int depth = 0;
  for (auto _ : state) {
    if (session->finished() || events % 10'000 == 9'999) {
      state.PauseTiming();
      session = std::make_unique<Session>(tree, CallInfo{"L3", "zh", {}}, now);
      depth = 0;
      state.ResumeTiming();
    }
    const bool down = depth < 3;
    session->on_digits(down ? "1" : "4", now);
    depth = down ? depth + 1 : 0;
    ++events;
  }
  state.SetItemsProcessed(events);
}
BENCHMARK(BM_SessionEvents);

}  // namespace

BENCHMARK_MAIN();
