// Tests of the streaming sliding-window service level (include/hotline/sla/sliding_window.hpp).
#include <hotline/core/error.hpp>
#include <hotline/core/random.hpp>
#include <hotline/sla/sliding_window.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace {

using hotline::Duration;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using namespace hotline::sla;
using namespace std::chrono_literals;

const Instant t0 = hotline::from_unix_ms(1'735'689'600'000);  // 2025-01-01T00:00:00Z

TEST(ServiceLevelVariants, EachVariantUsesItsDefinition) {
  // 100 offered: 70 answered (60 within T), 25 abandoned (10 within T, 4 of them short), 5 other.
  Counts c{100, 70, 25, 60, 10, 4};
  EXPECT_DOUBLE_EQ(service_level(c, ServiceLevelVariant::answered), 60.0 / 70.0);
  EXPECT_DOUBLE_EQ(service_level(c, ServiceLevelVariant::answered_abandoned), 70.0 / 95.0);
  EXPECT_DOUBLE_EQ(service_level(c, ServiceLevelVariant::offered), 60.0 / 100.0);
  EXPECT_DOUBLE_EQ(service_level(c, ServiceLevelVariant::offered_excl_abandoned_within),
                   60.0 / 90.0);
  EXPECT_DOUBLE_EQ(service_level(c, ServiceLevelVariant::offered_excl_short_abandoned),
                   60.0 / 96.0);
  EXPECT_TRUE(std::isnan(service_level(Counts{}, ServiceLevelVariant::answered)));
}

TEST(ServiceLevelVariants, NamesRoundTrip) {
  for (auto v : {ServiceLevelVariant::answered, ServiceLevelVariant::answered_abandoned,
                 ServiceLevelVariant::offered, ServiceLevelVariant::offered_excl_abandoned_within,
                 ServiceLevelVariant::offered_excl_short_abandoned}) {
    EXPECT_EQ(parse_service_level_variant(to_string(v)), v);
  }
  try {
    parse_service_level_variant("asa");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("asa"), std::string::npos);
  }
}

TEST(SlidingWindow, PresetHasTheHotlineTargets) {
  auto w = SlidingWindow::hotline_preset();
  ASSERT_EQ(w.tier_count(), 2u);
  EXPECT_EQ(w.tier(0).tier, "vip");
  EXPECT_EQ(w.tier(0).target, (Target{15s, 0.85}));
  EXPECT_EQ(w.tier(1).tier, "ordinary");
  EXPECT_EQ(w.tier(1).target, (Target{20s, 0.75}));
  EXPECT_EQ(w.tier_index("ordinary"), 1u);
  EXPECT_EQ(w.options().window, 15min);
}

TEST(SlidingWindow, CountsWithinThresholdInclusiveAndExpiresExactlyAfterN) {
  SlidingWindow w({{"vip", {15s, 0.85}}}, {.window = 10min});
  w.answered(0, t0, 15s);        // exactly T: within
  w.answered(0, t0 + 1s, 16s);   // late
  w.abandoned(0, t0 + 2s, 3s);   // short and within
  w.abandoned(0, t0 + 3s, 40s);  // late abandon
  w.exited(0, t0 + 4s, 60s);     // timeout
  w.arrived(0, t0 + 5s);
  auto s = w.stats(0, t0 + 5s);
  EXPECT_EQ(s.counts, (Counts{5, 2, 2, 1, 1, 1}));
  EXPECT_EQ(s.arrivals, 1);
  EXPECT_EQ(s.total_answer_wait, 31s);
  EXPECT_DOUBLE_EQ(s.service_level, 0.5);
  // The window is (now - N, now]: the event at t0 is still in at t0 + N - 1 ms, gone at t0 + N.
  EXPECT_EQ(w.stats(0, t0 + 10min - 1ms).counts.answered, 2);
  EXPECT_EQ(w.stats(0, t0 + 10min).counts.answered, 1);
  EXPECT_DOUBLE_EQ(w.service_level(0, t0 + 10min), 0.0);
  // Everything gone: no evidence of a miss.
  EXPECT_EQ(w.stats(0, t0 + 20min).counts, Counts{});
  EXPECT_DOUBLE_EQ(w.service_level(0, t0 + 20min), 1.0);
  EXPECT_DOUBLE_EQ(w.gap(0, t0 + 20min), 0.85 - 1.0);
}

TEST(SlidingWindow, VariantIsConfigurable) {
  SlidingWindow w({{"t", {20s, 0.8}}},
                  {.window = 1h, .variant = ServiceLevelVariant::answered_abandoned});
  w.answered(0, t0, 5s);
  w.answered(0, t0, 30s);
  w.abandoned(0, t0, 10s);
  w.abandoned(0, t0, 50s);
  EXPECT_DOUBLE_EQ(w.service_level(0, t0), 2.0 / 4.0);
}

TEST(SlidingWindow, TiersAreIndependent) {
  auto w = SlidingWindow::hotline_preset();
  w.answered(0, t0, 10s);
  w.answered(1, t0, 25s);
  EXPECT_DOUBLE_EQ(w.service_level(0, t0), 1.0);
  EXPECT_DOUBLE_EQ(w.service_level(1, t0), 0.0);
  // The tier threshold decides "within": 18 s is a miss for vip (15 s) and a hit for ordinary.
  w.answered(0, t0 + 1s, 18s);
  w.answered(1, t0 + 1s, 18s);
  EXPECT_DOUBLE_EQ(w.service_level(0, t0 + 1s), 0.5);
  EXPECT_DOUBLE_EQ(w.service_level(1, t0 + 1s), 0.5);
}

TEST(SlidingWindow, CallsToTarget) {
  SlidingWindow w({{"t", {20s, 0.8}}}, {.window = 1h});
  EXPECT_EQ(w.calls_to_target(0, t0), 0.0);
  for (int i = 0; i < 6; ++i) w.answered(0, t0, 1s);
  for (int i = 0; i < 4; ++i) w.answered(0, t0, 60s);
  // 6/10 = 60% < 80%: (6 + x) / (10 + x) >= 0.8 needs x = 10.
  EXPECT_EQ(w.calls_to_target(0, t0), 10.0);
  EXPECT_NEAR(w.gap(0, t0), 0.2, 1e-15);
  for (int i = 0; i < 10; ++i) w.answered(0, t0, 1s);
  EXPECT_DOUBLE_EQ(w.service_level(0, t0), 0.8);
  // 16/20 exactly on target: no miss can be absorbed.
  EXPECT_EQ(w.calls_to_target(0, t0), 0.0);
  for (int i = 0; i < 4; ++i) w.answered(0, t0, 1s);
  // 20/24: 20 / (24 + m) >= 0.8 allows m = 1 miss.
  EXPECT_EQ(w.calls_to_target(0, t0), -1.0);
  SlidingWindow all({{"t", {20s, 1.0}}}, {.window = 1h});
  all.answered(0, t0, 21s);
  EXPECT_TRUE(std::isinf(all.calls_to_target(0, t0)));
}

TEST(SlidingWindow, MatchesBruteForceOnARandomStream) {
  struct Ev {
    Instant at;
    int tier;
    int kind;  // 0 arrival, 1 answered, 2 abandoned, 3 exited
    Duration wait;
  };
  const std::vector<TierTarget> tiers = {{"a", {15s, 0.85}}, {"b", {20s, 0.75}}, {"c", {0s, 0.5}}};
  const SlidingWindowOptions opt{.window = 5min,
                                 .variant = ServiceLevelVariant::offered_excl_short_abandoned,
                                 .short_abandon = 7s};
  SlidingWindow w(tiers, opt);
  hotline::Rng rng{2024};
  std::vector<Ev> events;
  Instant now = t0;
  for (int step = 0; step < 20000; ++step) {
    now += Duration{static_cast<std::int64_t>(rng.below(4000))};
    const int tier = static_cast<int>(rng.below(3));
    const int kind = static_cast<int>(rng.below(4));
    const Duration wait{static_cast<std::int64_t>(rng.below(40000))};
    events.push_back({now, tier, kind, wait});
    switch (kind) {
      case 0:
        w.arrived(tier, now);
        break;
      case 1:
        w.answered(tier, now, wait);
        break;
      case 2:
        w.abandoned(tier, now, wait);
        break;
      default:
        w.exited(tier, now, wait);
        break;
    }
    if (step % 97 == 0) {
      for (int q = 0; q < 3; ++q) {
        WindowStats expect;
        for (const Ev& e : events) {
          if (e.tier != q || e.at <= now - opt.window || e.at > now) continue;
          if (e.kind == 0) {
            ++expect.arrivals;
            continue;
          }
          ++expect.counts.offered;
          const bool within = e.wait <= tiers[q].target.threshold;
          if (e.kind == 1) {
            ++expect.counts.answered;
            expect.counts.answered_within += within;
            expect.total_answer_wait += e.wait;
          } else if (e.kind == 2) {
            ++expect.counts.abandoned;
            expect.counts.abandoned_within += within;
            expect.counts.short_abandoned += e.wait < opt.short_abandon;
          }
        }
        const WindowStats got = w.stats(q, now);
        ASSERT_EQ(got.counts, expect.counts) << "step " << step << " tier " << q;
        ASSERT_EQ(got.arrivals, expect.arrivals);
        ASSERT_EQ(got.total_answer_wait, expect.total_answer_wait);
        const double sl = service_level(expect.counts, opt.variant);
        ASSERT_DOUBLE_EQ(got.service_level, std::isnan(sl) ? 1.0 : sl);
      }
    }
  }
}

// advance() skips the tiers when the window's start has not reached the oldest event (a bound kept
// by push() and the last advance()). After every advance() each tier's current_level() — which
// does not move the window — must equal a brute-force count over (now - N, now], whichever tier
// was pushed or queried since, at repeated instants, quiet stretches and gaps longer than N.
TEST(SlidingWindow, AdvanceExpiresEveryTierLikeBruteForce) {
  struct Ev {
    Instant at;
    int tier;
    bool within;
  };
  const std::vector<TierTarget> tiers = {{"a", {15s, 0.85}}, {"b", {20s, 0.75}}, {"c", {5s, 0.5}}};
  const SlidingWindowOptions opt{.window = 2min};
  SlidingWindow w(tiers, opt);
  hotline::Rng rng{77};
  std::vector<Ev> events;
  Instant now = t0;
  int skipped_checks = 0;
  for (int step = 0; step < 30000; ++step) {
    const auto r = rng.below(100);
    if (r < 2) {
      now += opt.window + Duration{static_cast<std::int64_t>(rng.below(60000))};  // a long gap
    } else if (r < 60) {
      now += Duration{static_cast<std::int64_t>(rng.below(3000))};  // 0: the same instant
    }
    const int tier = static_cast<int>(rng.below(3));
    const auto what = rng.below(10);
    if (what < 5) {
      const Duration wait{static_cast<std::int64_t>(rng.below(30000))};
      w.answered(tier, now, wait);
      events.push_back({now, tier, wait <= tiers[tier].target.threshold});
    } else if (what < 6) {
      (void)w.service_level(tier, now);  // one tier expired, the others not
    } else {
      w.advance(now);
      if (what == 9) w.advance(now);  // twice at one instant
      for (int q = 0; q < 3; ++q) {
        std::int64_t n = 0, in = 0;
        for (const Ev& e : events) {
          if (e.tier != q || e.at <= now - opt.window) continue;
          ++n;
          in += e.within;
        }
        const double expect = n == 0 ? 1.0 : static_cast<double>(in) / static_cast<double>(n);
        ASSERT_DOUBLE_EQ(w.current_level(q), expect) << "step " << step << " tier " << q;
        skipped_checks += n == 0;
      }
    }
    if (events.size() > 4000) events.erase(events.begin(), events.begin() + 2000);
  }
  EXPECT_GT(skipped_checks, 100);  // the stream does empty the window now and then
}
TEST(SlidingWindow, RevisionMovesExactlyWhenTheLevelCountsChange) {
  SlidingWindow w({{"vip", {15s, 0.85}}, {"ordinary", {20s, 0.75}}}, {.window = 10min});
  const auto r0 = w.revision(0), r1 = w.revision(1);
  w.arrived(0, t0);  // arrivals are not in the level's counts
  EXPECT_EQ(w.revision(0), r0);
  w.answered(0, t0 + 1s, 30s);
  const auto r0b = w.revision(0);
  EXPECT_NE(r0b, r0);
  EXPECT_EQ(w.revision(1), r1);  // tiers are independent
  EXPECT_DOUBLE_EQ(w.current_level(0), 0.0);
  EXPECT_DOUBLE_EQ(w.current_level(1), 1.0);
  // Nothing expires before t0 + 1 s + N: same revision, same level.
  w.advance(t0 + 10min);
  EXPECT_EQ(w.revision(0), r0b);
  // The answered contact leaves the window: the revision moves and the level is back to 1.
  w.advance(t0 + 1s + 10min);
  EXPECT_NE(w.revision(0), r0b);
  EXPECT_DOUBLE_EQ(w.current_level(0), 1.0);
  const auto r0c = w.revision(0);
  w.clear();
  EXPECT_NE(w.revision(0), r0c);  // a cached figure must not survive clear()
  EXPECT_THROW((void)w.revision(2), Error);
  EXPECT_THROW((void)w.current_level(2), Error);
}

// Found by fuzz_capi: an event or query near INT64_MIN ms overflowed computing the window's
// start (now - N). The start saturates: nothing is older than the window there.
TEST(SlidingWindow, InstantsAtTheEndsOfTimeDoNotOverflow) {
  SlidingWindow w({{"vip", {15s, 0.85}}}, {.window = 15min});
  const Instant first = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::min());
  w.answered(0, first, 30s);
  w.answered(0, first + 1min, 5s);
  EXPECT_DOUBLE_EQ(w.service_level(0, first + 2min), 0.5);
  EXPECT_EQ(w.stats(0, first + 1min + 15min).counts.answered, 0);
  const Instant last = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::max());
  w.answered(0, last, SlidingWindow::kMaxWait);
  EXPECT_DOUBLE_EQ(w.service_level(0, last), 0.0);
  // The longest wait survives the event's packed storage (wait << 8 | flags) exactly.
  EXPECT_EQ(w.stats(0, last).total_answer_wait, SlidingWindow::kMaxWait);
  EXPECT_EQ(w.stats(0, last).counts.answered, 1);
  SlidingWindow huge({{"vip", {15s, 0.85}}}, {.window = Duration::max()});
  huge.answered(0, first, 1s);
  EXPECT_EQ(huge.stats(0, first + 24h).counts.answered, 1);
  EXPECT_EQ(huge.stats(0, last).counts.answered, 0);  // (0, INT64_MAX]: INT64_MIN is outside
}

TEST(SlidingWindow, ClearForgetsEverything) {
  auto w = SlidingWindow::hotline_preset();
  w.answered(0, t0 + 1h, 30s);
  w.clear();
  EXPECT_EQ(w.stats(0, t0).counts, Counts{});  // earlier instants are fine again after clear()
}

template <class F>
void expect_error(F&& f, ErrorCode code, const std::string& where) {
  try {
    f();
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(e.where(), where) << e.what();
  }
}

TEST(SlidingWindow, RejectsBadDefinitions) {
  const auto inv = ErrorCode::invalid_argument;
  expect_error([] { SlidingWindow w({}); }, inv, "tiers");
  expect_error([] { SlidingWindow w({{"a", {15s, 0.8}}}, {.window = 0s}); }, inv, "window");
  expect_error(
      [] {
        SlidingWindow w({{"a", {15s, 0.8}}}, {.short_abandon = -1s});
      },
      inv, "short_abandon");
  expect_error([] { SlidingWindow w({{"", {15s, 0.8}}}); }, inv, "tiers/0/tier");
  expect_error([] { SlidingWindow w({{"a", {15s, 0.8}}, {"a", {1s, 0.5}}}); }, inv, "tiers/1/tier");
  expect_error([] { SlidingWindow w({{"a", {-1s, 0.8}}}); }, inv, "tiers/0/threshold");
  expect_error([] { SlidingWindow w({{"a", {15s, 1.2}}}); }, inv, "tiers/0/fraction");
  expect_error([] { SlidingWindow w({{"a", {15s, 0.0}}}); }, inv, "tiers/0/fraction");
  expect_error([] { SlidingWindow w({{"a", {15s, std::nan("")}}}); }, inv, "tiers/0/fraction");
}

TEST(SlidingWindow, RejectsMisuseWithoutChangingState) {
  auto w = SlidingWindow::hotline_preset();
  w.answered(0, t0 + 10s, 5s);
  expect_error([&] { w.answered(2, t0 + 10s, 5s); }, ErrorCode::invalid_argument, "tier");
  expect_error([&] { w.answered(0, t0 + 11s, -1s); }, ErrorCode::invalid_argument, "wait");
  // Waits are bounded (ten years) so that the window's sums of waits cannot overflow.
  expect_error([&] { w.answered(0, t0 + 11s, SlidingWindow::kMaxWait + 1ms); },
               ErrorCode::invalid_argument, "wait");
  expect_error([&] { w.abandoned(0, t0 + 9s, 1s); }, ErrorCode::invalid_argument, "at");
  expect_error([&] { w.service_level(0, t0); }, ErrorCode::invalid_argument, "at");
  expect_error([&] { (void)w.tier_index("gold"); }, ErrorCode::not_found, "tier");
  expect_error([&] { (void)w.tier(5); }, ErrorCode::invalid_argument, "tier");
  EXPECT_EQ(w.stats(0, t0 + 10s).counts, (Counts{1, 1, 0, 1, 0, 0}));
  EXPECT_EQ(w.latest(), t0 + 10s);
}

}  // namespace
