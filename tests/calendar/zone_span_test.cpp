// Time-zone conversions remember the last offset span per thread (src/calendar/calendar.cpp);
// they must answer exactly as a fresh tz database lookup does, across DST transitions, 30-minute
// shifts, a skipped day (Samoa, 2011-12-30), zones interleaved, and the domain's ends.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "calendar/calendar_internal.hpp"

namespace {

using hotline::calendar::detail::local_to_utc_ms;
using hotline::calendar::detail::utc_to_local_ms;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The documented rule, straight from the tz database: ambiguous -> the first occurrence,
// nonexistent -> the instant the clocks jump.
std::int64_t reference_local_to_utc(const date::time_zone* z, std::int64_t local_ms) {
  const auto info =
      z->get_info(date::local_seconds{std::chrono::seconds{floor_div(local_ms, 1000)}});
  if (info.result == date::local_info::nonexistent)
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               info.second.begin.time_since_epoch())
        .count();
  return local_ms - info.first.offset.count() * 1000;
}

std::int64_t reference_utc_to_local(const date::time_zone* z, std::int64_t utc_ms) {
  const auto info = z->get_info(date::sys_seconds{std::chrono::seconds{floor_div(utc_ms, 1000)}});
  return utc_ms + info.offset.count() * 1000;
}

const char* const kZones[] = {
    "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe",
    "Pacific/Apia",  "America/St_Johns", "UTC",           "Asia/Kolkata"};

void check_walk(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<const date::time_zone*> zones;
  for (const char* n : kZones) zones.push_back(date::locate_zone(n));
  constexpr std::int64_t k1900 = -2'208'988'800'000, k2300 = 10'413'792'000'000;
  std::int64_t t = 1'293'840'000'000;  // 2011-01-01
  for (int i = 0; i < 400000; ++i) {
    // Mostly short steps (a calendar's segments), sometimes a jump anywhere, sometimes a zone
    // change; every 64th step lands exactly on a transition's edge.
    const auto r = rng() % 100;
    if (r < 2) {
      t = k1900 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(k2300 - k1900));
    } else {
      t += static_cast<std::int64_t>(rng() % 7'200'000) - 1'000'000;
    }
    const date::time_zone* z = zones[(i / 5000 + (r < 10 ? 1 : 0)) % zones.size()];
    if (i % 64 == 0) {
      const auto info = z->get_info(date::sys_seconds{std::chrono::seconds{floor_div(t, 1000)}});
      t = std::chrono::duration_cast<std::chrono::milliseconds>(info.end.time_since_epoch())
              .count() +
          static_cast<std::int64_t>(rng() % 3) - 1;
      if (t > k2300 || t < k1900) t = 1'293'840'000'000;
    }
    ASSERT_EQ(utc_to_local_ms(z, t), reference_utc_to_local(z, t)) << z->name() << " " << t;
    ASSERT_EQ(local_to_utc_ms(z, t), reference_local_to_utc(z, t)) << z->name() << " " << t;
  }
}

}  // namespace

TEST(ZoneSpan, CachedConversionsEqualFreshLookups) { check_walk(1); }

TEST(ZoneSpan, EachThreadKeepsItsOwnSpan) {
  std::vector<std::thread> threads;
  for (std::uint64_t s = 2; s < 5; ++s) threads.emplace_back([s] { check_walk(s); });
  for (auto& t : threads) t.join();
}

TEST(ZoneSpan, SamoaSkippedADay) {
  // 2011-12-29T23:59:59-10:00 was followed by 2011-12-31T00:00:00+14:00: the 30th never was.
  const date::time_zone* apia = date::locate_zone("Pacific/Apia");
  const std::int64_t local_30th_noon = 1'325'246'400'000;  // 2011-12-30T12:00 as wall clock
  EXPECT_EQ(local_to_utc_ms(apia, local_30th_noon), reference_local_to_utc(apia, local_30th_noon));
  EXPECT_EQ(local_to_utc_ms(apia, local_30th_noon), 1'325'239'200'000);  // 2011-12-30T10:00Z
}
