// Thread-safety stress tests (run under ThreadSanitizer by `make test`: preset tsan, tests named
// Concurrent*). Definitions are shared read-only by many threads; engines are shared through
// their synchronised facade.
#include <hotline/calendar/calendar.hpp>
#include <hotline/core.hpp>
#include <hotline/escalation.hpp>
#include <hotline/ivr.hpp>
#include <hotline/routing.hpp>
#include <hotline/sim.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using hotline::Instant;

namespace {

const std::string kExamples = std::string(HOTLINE_SOURCE_DIR) + "/examples/";
const Instant kT0 = hotline::parse_instant("2025-03-03T09:00:00+08:00");
constexpr int kThreads = 4;

}  // namespace

// Four CRM worker threads create and move work orders and advance the timers through one
// SharedEngine, each stamping commands with its own clock.
TEST(Concurrent, SharedEscalationEngine) {
  namespace esc = hotline::escalation;
  esc::SharedEngine shared(esc::Engine(esc::Policy::load(kExamples + "escalation/policy.json")));
  std::atomic<int> created{0}, notices{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const esc::Actor agent{fmt::format("agent-{}", t), "agent"};
      for (int i = 0; i < 150; ++i) {
        const Instant now = kT0 + std::chrono::seconds{10 * i + t};
        esc::NewOrder o;
        o.customer = fmt::format("{}", t * 1000 + i);
        o.category = "complaint";
        o.owner = agent.id;
        const esc::Result r = shared.create(o, now, fmt::format("t{}-{}", t, i));
        ++created;
        shared.transition(r.order, "acknowledge", agent, {}, now + 1s);
        if (i % 10 == 0) notices += static_cast<int>(shared.advance(now + 55h).size());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), kThreads * 150);
  shared.with([&](esc::Engine& e) {
    EXPECT_EQ(e.order_count(), static_cast<std::size_t>(kThreads * 150));
    EXPECT_EQ(e.verify_replay(), std::vector<std::string>{});
  });
  EXPECT_GT(notices.load(), 0);
}

// Many calls at once on one immutable IVR tree and one calendar (its caches included).
TEST(Concurrent, SharedIvrTreeAndCalendar) {
  namespace ivr = hotline::ivr;
  auto tree = ivr::Tree::compose({ivr::Document::load(kExamples + "ivr/national.json"),
                                  ivr::Document::load(kExamples + "ivr/guangdong.json")});
  const auto cal =
      hotline::calendar::Calendar::load(kExamples + "calendars/shanghai-dept-2025.json");
  std::atomic<int> finished{0};
  std::atomic<long long> business{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        ivr::Session s(tree, {"L3", i % 2 ? "en" : "zh", {}}, kT0);
        s.on_digits("1", kT0 + 5s);
        s.on_digits(fmt::format("{}", 1 + (i + t) % 4), kT0 + 10s);
        if (!s.finished()) s.on_hangup(kT0 + 20s);
        finished += s.finished();
        const Instant at = kT0 + std::chrono::hours{(i * 37 + t) % (24 * 400)};
        business += cal.business_between(at, cal.add_business(at, 16h)).count();
        business += cal.is_open(at);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(finished.load(), kThreads * 200);
  EXPECT_GT(business.load(), 0);
}

// A calendar materialises its segment cache on the first query (std::call_once). Four threads
// released together make that first query at once; each must see the answers of a calendar that
// one thread warmed up alone.
TEST(Concurrent, CalendarBuildsItsCacheOnceUnderRacingFirstQueries) {
  using hotline::calendar::Calendar;
  const std::string path = kExamples + "calendars/shanghai-dept-2025.json";
  const Calendar warm = Calendar::load(path);
  auto answers = [](const Calendar& cal, int t) {
    std::vector<long long> out;
    for (int i = 0; i < 300; ++i) {
      const Instant at = kT0 + std::chrono::minutes{(i * 977 + t * 131) % (60 * 24 * 500)};
      out.push_back(cal.is_open(at));
      out.push_back(cal.add_business(at, 16h).time_since_epoch().count());
      out.push_back(cal.business_between(at, at + std::chrono::hours{24 * 9}).count());
      out.push_back(cal.next_open(at).value_or(Instant{}).time_since_epoch().count());
    }
    return out;
  };
  for (int round = 0; round < 5; ++round) {
    const Calendar cold = Calendar::load(path);
    std::atomic<int> ready{0};
    std::vector<std::vector<long long>> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();
        got[static_cast<std::size_t>(t)] = answers(cold, t);
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_EQ(got[static_cast<std::size_t>(t)], answers(warm, t)) << "thread " << t;
    }
  }
}

// Four PBX channel threads share one router: each logs in its agents, brings in callers and
// answers, ends and wraps up whatever offers its own calls returned; another thread's event may
// take the same contact first, which must fail cleanly. The final state passes every invariant.
TEST(Concurrent, SharedRouter) {
  namespace rt = hotline::routing;
  auto policy = rt::Policy::load(kExamples + "routing/policy.json");
  rt::SharedRouter shared{rt::Router(policy)};
  std::atomic<int> offers{0}, answered{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Instant now = kT0;
      for (int a = 0; a < 5; ++a) {
        rt::AgentProfile p;
        p.id = static_cast<rt::AgentId>(t * 100 + a + 1);
        p.skills = {{"billing", 1 + a % 5}, {"broadband", 3}};
        p.languages = {"zh"};
        shared.login(p, now);
      }
      for (int i = 0; i < 300; ++i) {
        now += 700ms;
        rt::ContactSpec c;
        c.id = static_cast<rt::ContactId>(t * 100000 + i + 1);
        c.queue = i % 3 ? "billing" : "broadband";
        c.attributes = {{"arpu", std::to_string((i * 37) % 700)}};
        c.language = "zh";
        std::vector<rt::Decision> todo = shared.arrive(c, now);
        auto more = shared.advance(now);
        todo.insert(todo.end(), more.begin(), more.end());
        for (const rt::Decision& d : todo) {
          if (d.kind != rt::DecisionKind::offer) continue;
          ++offers;
          try {
            shared.accept(d.contact, d.agent, now);
            shared.end(d.contact, now + 1ms);
            shared.wrap_up_done(d.contact, now + 2ms);
            ++answered;
          } catch (const hotline::Error& e) {
            EXPECT_NE(e.code(), hotline::ErrorCode::internal) << e.what();
            ++refused;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_GT(answered.load(), 100);
  EXPECT_EQ(offers.load(), answered.load() + refused.load());
  shared.with([](rt::Router& r) {
    r.check_invariants();
    EXPECT_EQ(r.agent_count(), static_cast<std::size_t>(kThreads * 5));
  });
}

// Simulation runs share one immutable scenario (its routing policy, IVR tree, survey and
// escalation definitions); each run builds its own engines. Every thread gets the same report.
TEST(Concurrent, SimulationsShareOneScenario) {
  const auto scenario = hotline::sim::Scenario::load(kExamples + "scenarios/provincial-day.json");
  hotline::sim::RunOptions options;
  options.replications = 1;
  const std::string expected = hotline::sim::to_json(hotline::sim::run(scenario, options));
  std::vector<std::string> reports(2);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < reports.size(); ++t) {
    threads.emplace_back(
        [&, t] { reports[t] = hotline::sim::to_json(hotline::sim::run(scenario, options)); });
  }
  for (auto& th : threads) th.join();
  for (const std::string& r : reports) EXPECT_EQ(r, expected);
}
