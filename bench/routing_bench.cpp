// Routing engine benchmarks (issue targets, one core: >= 2 M routing decisions/s with 10,000
// agents, 200 skills and 5,000 waiting contacts; p99 decision latency < 10 us; <= 1 KiB per agent;
// a baseline that scans every agent / waiting contact per decision, and the ratio).
//
// The steady state: every agent is busy and 5,000 contacts wait (25 per queue on average). One
// cycle = a busy agent ends its call (wrap-up 0 s), the router offers it the best waiting contact
// it fits (one decision, priority across up to 8 requirement heaps), the agent accepts, and a new
// contact arrives and is told its position and predicted wait (a second decision); simulated time
// runs at 100 calls/s and the host calls advance() every 100 ms.
//
// decisions/s is measured over the whole loop, harness included; the harness is kept small: the
// contacts' queue, tier and language are drawn before the clock starts (three bytes each), and
// each arrival fills one reused ContactSpec from them, as a host's signalling layer does. (An
// array of 65,536 ready-made specs, 15 MB streamed through the caches beside the router's own
// data, cost the router 5-10% until November 2026.) Every 16th cycle times each router call on its
// own: those samples give the latency percentiles of the decision-making calls (end(), arrive())
// and router_only_decisions/s (the decisions of the sampled cycles over the time spent inside the
// router in them).
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <hotline/routing/router.hpp>

using namespace std::chrono_literals;
using namespace hotline::routing;
using hotline::Instant;

namespace {

constexpr int kAgents = 10'000;
constexpr int kSkills = 200;
constexpr int kWaiting = 5'000;

// Bytes in use: the arena's and the mmap'ed chunks' (large vectors are mapped until glibc raises
// its mmap threshold, so the arena alone would depend on which benchmark ran first).
double heap_in_use() {
  const auto m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
}

std::shared_ptr<const Policy> bench_policy() {
  static const std::shared_ptr<const Policy> p = [] {
    Definition d;
    d.name = "bench";
    for (int s = 0; s < kSkills; ++s) d.skills.push_back(fmt::format("s{}", s));
    d.languages = {"zh", "en"};
    Tier l1{.name = "L1", .priority = 300, .target = {15s, 0.85}, .vip = true, .bypass_ivr = true};
    Tier l2{.name = "L2", .priority = 200, .target = {15s, 0.85}, .vip = true, .bypass_ivr = false};
    Tier l3{.name = "L3", .priority = 0, .target = {20s, 0.75}, .vip = false, .bypass_ivr = false};
    d.tiers = {l1, l2, l3};
    d.default_tier = "L3";
    const Strategy strategies[] = {Strategy::longest_idle, Strategy::fewest_calls,
                                   Strategy::least_talk_time, Strategy::best_skill,
                                   Strategy::round_robin};
    for (int q = 0; q < kSkills; ++q) {
      Queue queue;
      queue.name = fmt::format("q{}", q);
      queue.skills = {{fmt::format("s{}", q), 1}};
      queue.strategy = strategies[q % 5];
      queue.wrap_up = 0s;
      queue.max_wait = 0s;
      d.queues.push_back(std::move(queue));
    }
    d.rules.max_wait = 10min;
    return Policy::build(std::move(d));
  }();
  return p;
}

struct Steady {
  Router router;
  std::mt19937_64 rng{42};
  std::vector<ContactId> talking;  // per agent: the contact it talks to (0: none)
  ContactId next = 1;
  Instant now = hotline::parse_instant("2025-03-03T02:00:00Z");
  std::size_t decisions = 0, offers = 0, talking_count = 0, cycles = 0;
  double router_ns = 0;                  // time inside router calls (end, arrive, accept, advance)
  double accept_ns = 0, advance_ns = 0;  // their shares of router_ns
  std::vector<std::string> queue_names;
  std::vector<Decision> copy;
  struct Draw {
    std::uint8_t queue, tier, language;
  };
  std::vector<Draw> draws;  // drawn in advance
  std::size_t draw_at = 0;
  ContactSpec current;  // filled per arrival
  bool timed = true;    // time each router call (router_ns, accept_ns, advance_ns)

  explicit Steady(bool indexed)
      : router(bench_policy(), RouterOptions{.seed = 1, .indexed = indexed, .record = false}) {
    talking.assign(kAgents + 1, 0);
    for (int q = 0; q < kSkills; ++q) queue_names.push_back(fmt::format("q{}", q));
    draws.resize(1 << 16);
    for (Draw& d : draws) d = draw();
    for (int a = 1; a <= kAgents; ++a) router.login(profile(static_cast<AgentId>(a)), now);
    // Fill every seat, then queue kWaiting more.
    while (busy() < kAgents * 99 / 100) arrive_and_answer();
    while (router.waiting_count() < kWaiting) arrive_and_answer();
  }

  AgentProfile profile(AgentId id) {
    AgentProfile p;
    p.id = id;
    for (int k = 0; k < 4; ++k) {
      const std::string s = fmt::format("s{}", rng() % kSkills);
      if (std::none_of(p.skills.begin(), p.skills.end(),
                       [&](const AgentSkill& x) { return x.skill == s; })) {
        p.skills.push_back({s, static_cast<int>(1 + rng() % 5)});
      }
    }
    p.languages = {"zh"};
    if (rng() % 5 == 0) p.languages.push_back("en");
    p.grade = static_cast<Grade>(rng() % 4);
    return p;
  }

  std::size_t busy() const { return talking_count; }

  const ContactSpec& spec() {
    static constexpr const char* kTiers[] = {"L1", "L2", "L3"};
    static constexpr const char* kLanguages[] = {"zh", "en"};
    const Draw& d = draws[draw_at++ & (draws.size() - 1)];
    current.id = next++;
    current.queue = queue_names[d.queue];
    current.tier = kTiers[d.tier];
    current.language = kLanguages[d.language];
    return current;
  }

  Draw draw() {
    const auto q = static_cast<std::uint8_t>(rng() % kSkills);
    const auto t = rng() % 10;
    return {q,
            static_cast<std::uint8_t>(t == 0  ? 0
                                      : t < 3 ? 1
                                              : 2),
            static_cast<std::uint8_t>(rng() % 10 == 0 ? 1 : 0)};
  }

  void take(std::span<const Decision> d) {
    decisions += d.size();
    // Copy (into a reused buffer): accept() invalidates the span.
    copy.assign(d.begin(), d.end());
    for (const Decision& x : copy) {
      if (x.kind != DecisionKind::offer) continue;
      ++offers;
      if (timed) {
        const auto t0 = std::chrono::steady_clock::now();
        router.accept(x.contact, x.agent, now);
        const double ns =
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
        router_ns += ns;
        accept_ns += ns;
      } else {
        router.accept(x.contact, x.agent, now);
      }
      talking[x.agent] = x.contact;
      ++talking_count;
    }
  }

  void arrive_and_answer() {
    now += 1ms;
    take(router.arrive(spec(), now));
  }

  /// One untimed cycle.
  void run_cycle() {
    const AgentId a = pick_talking();
    now += 10ms;
    if (++cycles % 10 == 0) take(router.advance(now));
    const ContactId c = talking[a];
    talking[a] = 0;
    --talking_count;
    take(router.end(c, now));
    take(router.arrive(spec(), now));
  }

  AgentId pick_talking() {
    AgentId a = 0;
    do {
      a = 1 + rng() % kAgents;
    } while (talking[a] == 0);
    return a;
  }

  /// One cycle with every router call timed; returns the two decision-making calls' latencies.
  std::pair<double, double> cycle() {
    const AgentId a = pick_talking();
    now += 10ms;               // 100 calls/s: a very large hotline
    if (++cycles % 10 == 0) {  // the host's 100 ms timer tick
      const auto t0 = std::chrono::steady_clock::now();
      auto d = router.advance(now);
      const double ns =
          std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
      router_ns += ns;
      advance_ns += ns;
      take(d);
    }
    const ContactId c = talking[a];
    talking[a] = 0;
    --talking_count;
    auto t0 = std::chrono::steady_clock::now();
    auto d = router.end(c, now);
    auto t1 = std::chrono::steady_clock::now();
    take(d);
    const ContactSpec& s = spec();
    auto t2 = std::chrono::steady_clock::now();
    d = router.arrive(s, now);
    auto t3 = std::chrono::steady_clock::now();
    take(d);
    const double end_ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    const double arrive_ns = std::chrono::duration<double, std::nano>(t3 - t2).count();
    router_ns += end_ns + arrive_ns;
    return {end_ns, arrive_ns};
  }
};

double g_indexed_rate = 0;

void run(benchmark::State& state, bool indexed) {
  Steady s(indexed);
  std::vector<double> lat;
  lat.reserve(1 << 20);
  const std::size_t d0 = s.decisions, o0 = s.offers;
  s.router_ns = s.accept_ns = s.advance_ns = 0;
  s.timed = false;
  double end_ns = 0, arrive_ns = 0;
  std::size_t timed_decisions = 0, timed_cycles = 0;
  std::uint64_t n = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    if (++n % 16 != 0) {
      s.run_cycle();
      continue;
    }
    s.timed = true;
    const std::size_t before = s.decisions;
    auto [a, b] = s.cycle();
    s.timed = false;
    timed_decisions += s.decisions - before;
    ++timed_cycles;
    end_ns += a;
    arrive_ns += b;
    if (lat.size() < (1u << 20)) {
      lat.push_back(a);
      lat.push_back(b);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = static_cast<double>(s.decisions - d0) / seconds;
  if (indexed) {
    g_indexed_rate = rate;
  } else if (g_indexed_rate > 0) {
    state.counters["indexed_over_scan"] = g_indexed_rate / rate;
  }
  std::sort(lat.begin(), lat.end());
  const auto pct = [&](double p) {
    return lat.empty() ? 0.0 : lat[static_cast<std::size_t>(p * (lat.size() - 1))];
  };
  state.counters["decisions/s"] =
      benchmark::Counter(static_cast<double>(s.decisions - d0), benchmark::Counter::kIsRate);
  state.counters["offers/s"] =
      benchmark::Counter(static_cast<double>(s.offers - o0), benchmark::Counter::kIsRate);
  // The sampled cycles' decisions over the time spent inside the router in them (every call of
  // the cycle, the harness's own work excluded).
  state.counters["router_only_decisions/s"] =
      static_cast<double>(timed_decisions) / (s.router_ns * 1e-9);
  // Mean router time per cycle by call (end includes the offer it makes, arrive the announcement).
  const double cycles = static_cast<double>(std::max<std::size_t>(timed_cycles, 1));
  state.counters["end_ns"] = end_ns / cycles;
  state.counters["arrive_ns"] = arrive_ns / cycles;
  state.counters["accept_ns"] = s.accept_ns / cycles;
  state.counters["advance_ns"] = s.advance_ns / cycles;
  state.counters["p50_ns"] = pct(0.50);
  state.counters["p99_ns"] = pct(0.99);
  state.counters["waiting"] = static_cast<double>(s.router.waiting_count());
  state.SetItemsProcessed(static_cast<std::int64_t>(s.decisions - d0));
}

void BM_RouteSteadyState(benchmark::State& state) { run(state, true); }
BENCHMARK(BM_RouteSteadyState)->Unit(benchmark::kNanosecond)->MinTime(2.0);

void BM_RouteSteadyStateScanBaseline(benchmark::State& state) { run(state, false); }
BENCHMARK(BM_RouteSteadyStateScanBaseline)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

// Memory: heap bytes per logged-in agent, requirements interned and agents in their heaps.
void BM_MemoryPerAgent(benchmark::State& state) {
  for (auto _ : state) {
    const double h0 = heap_in_use();
    auto s = std::make_unique<Steady>(true);
    const double h1 = heap_in_use();
    state.counters["bytes_per_agent_incl_15k_contacts"] = (h1 - h0) / kAgents;
    // Agents alone: a router whose requirements exist but holds no contact.
    Router r(bench_policy());
    Instant now = s->now;
    for (int q = 0; q < kSkills; ++q) {
      for (const char* lang : {"zh", "en"}) {
        ContactSpec c;
        c.id = 1'000'000 + static_cast<ContactId>(q * 2 + (lang[0] == 'e'));
        c.queue = fmt::format("q{}", q);
        c.language = lang;
        r.arrive(c, now);
        r.abandon(c.id, now);
      }
    }
    const double h2 = heap_in_use();
    std::mt19937_64 rng(42);
    for (int a = 1; a <= kAgents; ++a) r.login(s->profile(static_cast<AgentId>(a)), now);
    const double h3 = heap_in_use();
    state.counters["bytes_per_agent"] = (h3 - h2) / kAgents;
  }
}
BENCHMARK(BM_MemoryPerAgent)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
