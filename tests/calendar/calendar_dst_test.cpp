// hotline calendar across daylight-saving transitions.
//
// The rule under test (calendar.hpp): an opening or closing time is the first instant at which
// the local wall clock shows that time or later. A boundary inside a spring-forward gap falls on
// the instant the gap ends; one inside a fall-back overlap falls on its first occurrence; business
// time is real elapsed UTC time.
//
// The 2025 transitions, from the IANA tz database and the laws it encodes:
//   America/New_York (US Energy Policy Act of 2005: second Sunday of March, first Sunday of
//   November, at 02:00 local): 2025-03-09 07:00Z (02:00 EST -> 03:00 EDT) and
//   2025-11-02 06:00Z (02:00 EDT -> 01:00 EST).
//   Europe/Amsterdam (EU Directive 2000/84/EC: last Sunday of March and of October, at 01:00 UTC):
//   2025-03-30 01:00Z (02:00 CET -> 03:00 CEST) and 2025-10-26 01:00Z (03:00 CEST -> 02:00 CET).
// Every expected UTC instant below was computed independently with Python's zoneinfo
// (datetime(..., tzinfo=ZoneInfo(zone), fold=0).astimezone(timezone.utc)); fold=0 is the first
// occurrence of an ambiguous time.
#include <hotline/calendar/calendar.hpp>
#include <hotline/core.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using hotline::Duration;
using hotline::Instant;
using hotline::calendar::Calendar;
using hotline::calendar::CalendarBuilder;
using hotline::calendar::Interval;
using hotline::calendar::Weekday;
namespace chr = std::chrono;

constexpr const char* kNewYork = "America/New_York";
constexpr const char* kAmsterdam = "Europe/Amsterdam";

Instant utc(std::string_view text) { return hotline::parse_instant(text); }

chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}};
}

// Open every day of the week with the same intervals.
Calendar every_day(const char* zone, const std::vector<Interval>& intervals) {
  CalendarBuilder b{zone};
  for (int d = 0; d < 7; ++d) b.hours(static_cast<Weekday>(d), intervals);
  return b.build();
}

TEST(DstNewYork, MidnightToFourSpringForwardHasThreeHours) {
  const Calendar cal = every_day(kNewYork, {{0, 240}});
  const auto segs = cal.explain(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-03-09T05:00:00Z"));  // 00:00 EST
  EXPECT_EQ(segs[0].end, utc("2025-03-09T08:00:00Z"));    // 04:00 EDT
  EXPECT_EQ(segs[0].end - segs[0].start, 3h);
  EXPECT_EQ(segs[0].date, ymd(2025, 3, 9));
  // The days around it have four.
  EXPECT_EQ(cal.business_between(utc("2025-03-08T05:00:00Z"), utc("2025-03-08T09:00:00Z")), 4h);
  EXPECT_EQ(cal.business_between(utc("2025-03-10T04:00:00Z"), utc("2025-03-10T08:00:00Z")), 4h);
  EXPECT_TRUE(cal.is_open(utc("2025-03-09T06:59:59.999Z")));  // 01:59:59.999 EST
  EXPECT_TRUE(cal.is_open(utc("2025-03-09T07:00:00Z")));      // 03:00 EDT
  EXPECT_FALSE(cal.is_open(utc("2025-03-09T08:00:00Z")));     // 04:00 EDT
  EXPECT_EQ(cal.add_business(utc("2025-03-09T05:00:00Z"), 3h), utc("2025-03-09T08:00:00Z"));
  EXPECT_EQ(cal.add_business(utc("2025-03-09T05:00:00Z"), 3h + 1ms),
            utc("2025-03-10T04:00:00.001Z"));  // next midnight is EDT
}

TEST(DstNewYork, MidnightToFourFallBackHasFiveHours) {
  const Calendar cal = every_day(kNewYork, {{0, 240}});
  const auto segs = cal.explain(utc("2025-11-02T00:00:00Z"), utc("2025-11-03T00:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-11-02T04:00:00Z"));  // 00:00 EDT
  EXPECT_EQ(segs[0].end, utc("2025-11-02T09:00:00Z"));    // 04:00 EST
  EXPECT_EQ(cal.business_between(utc("2025-11-02T00:00:00Z"), utc("2025-11-03T00:00:00Z")), 5h);
  // Open throughout the repeated hour, both times the clock shows 01:30.
  EXPECT_TRUE(cal.is_open(utc("2025-11-02T05:30:00Z")));
  EXPECT_TRUE(cal.is_open(utc("2025-11-02T06:30:00Z")));
  EXPECT_EQ(cal.add_business(utc("2025-11-02T04:00:00Z"), 5h), utc("2025-11-02T09:00:00Z"));
  EXPECT_EQ(cal.next_close(utc("2025-11-02T04:00:00Z")), utc("2025-11-02T09:00:00Z"));
  EXPECT_EQ(cal.format_time(utc("2025-11-02T09:00:00Z")), "2025-11-02T04:00:00-05:00");
  EXPECT_EQ(cal.business_between(utc("2025-11-01T04:00:00Z"), utc("2025-11-01T08:00:00Z")), 4h);
  EXPECT_EQ(cal.business_between(utc("2025-11-03T05:00:00Z"), utc("2025-11-03T09:00:00Z")), 4h);
}

TEST(DstNewYork, BoundaryInTheGapMovesToTheGapEnd) {
  // 02:30-03:30: 02:30 does not exist on 9 March; the interval opens at 03:00 EDT.
  const Calendar cal = every_day(kNewYork, {{150, 210}});
  EXPECT_EQ(cal.next_open(utc("2025-03-09T06:00:00Z")), utc("2025-03-09T07:00:00Z"));
  EXPECT_EQ(cal.format_time(*cal.next_open(utc("2025-03-09T06:00:00Z"))),
            "2025-03-09T03:00:00-04:00");
  EXPECT_EQ(cal.next_close(utc("2025-03-09T06:00:00Z")), utc("2025-03-09T07:30:00Z"));
  EXPECT_EQ(cal.business_between(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z")), 30min);
  EXPECT_EQ(cal.business_between(utc("2025-03-08T00:00:00Z"), utc("2025-03-09T00:00:00Z")), 1h);
  // On 2 November 02:30 and 03:30 are unique (the repeated hour is 01:00-02:00): one hour.
  EXPECT_EQ(cal.next_open(utc("2025-11-02T04:00:00Z")), utc("2025-11-02T07:30:00Z"));
  EXPECT_EQ(cal.business_between(utc("2025-11-02T00:00:00Z"), utc("2025-11-03T00:00:00Z")), 1h);
}

TEST(DstNewYork, BoundaryInTheOverlapIsTheFirstOccurrence) {
  // 01:30-02:30: on 2 November 01:30 happens twice; the interval opens at the first (EDT) and
  // closes at 02:30 EST, two real hours later.
  const Calendar cal = every_day(kNewYork, {{90, 150}});
  const auto segs = cal.explain(utc("2025-11-02T00:00:00Z"), utc("2025-11-03T00:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-11-02T05:30:00Z"));
  EXPECT_EQ(segs[0].end, utc("2025-11-02T07:30:00Z"));
  EXPECT_EQ(cal.format_time(segs[0].start), "2025-11-02T01:30:00-04:00");
  EXPECT_EQ(cal.format_time(segs[0].end), "2025-11-02T02:30:00-05:00");
  // At the second 01:15 (EST) the clock shows a time before opening, yet it is open: the
  // interval is the real span between its boundaries.
  EXPECT_TRUE(cal.is_open(utc("2025-11-02T06:15:00Z")));
  EXPECT_FALSE(cal.is_open(utc("2025-11-02T05:15:00Z")));
  // On 9 March 02:30 does not exist: 01:30 EST to 03:00 EDT is half an hour.
  EXPECT_EQ(cal.business_between(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z")), 30min);

  // An interval wholly inside the repeated hour: 01:00-01:45 EDT.
  const Calendar inside = every_day(kNewYork, {{60, 105}});
  EXPECT_EQ(inside.explain(utc("2025-11-02T00:00:00Z"), utc("2025-11-03T00:00:00Z")).at(0).start,
            utc("2025-11-02T05:00:00Z"));
  EXPECT_EQ(inside.business_between(utc("2025-11-02T00:00:00Z"), utc("2025-11-03T00:00:00Z")),
            45min);
  EXPECT_FALSE(inside.is_open(utc("2025-11-02T06:30:00Z")));  // 01:30 EST
}

TEST(DstNewYork, IntervalWhollyInsideTheGapIsClosed) {
  // 02:10-02:50 never happens on 9 March.
  const Calendar cal = every_day(kNewYork, {{130, 170}});
  EXPECT_EQ(cal.business_between(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z")), 0ms);
  EXPECT_TRUE(cal.explain(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z")).empty());
  EXPECT_FALSE(cal.is_open(utc("2025-03-09T07:00:00Z")));
  EXPECT_EQ(cal.next_open(utc("2025-03-09T05:00:00Z")), utc("2025-03-10T06:10:00Z"));
  EXPECT_EQ(cal.add_business(utc("2025-03-08T07:49:00Z"), 2min), utc("2025-03-10T06:11:00Z"));
  EXPECT_EQ(cal.business_between(utc("2025-03-10T00:00:00Z"), utc("2025-03-11T00:00:00Z")), 40min);
}

TEST(DstNewYork, IntervalsEndingOrStartingInTheGap) {
  // 00:00-02:30 ends at the gap end (03:00 EDT): two real hours.
  const Calendar ends = every_day(kNewYork, {{0, 150}});
  EXPECT_EQ(ends.business_between(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z")), 2h);
  // 02:30-05:00 starts there: 03:00 EDT to 05:00 EDT.
  const Calendar starts = every_day(kNewYork, {{150, 300}});
  EXPECT_EQ(starts.business_between(utc("2025-03-09T00:00:00Z"), utc("2025-03-10T00:00:00Z")), 2h);
}

TEST(DstNewYork, OvernightShiftAcrossTheTransitions) {
  // Saturday 22:00 to Sunday 03:00: four real hours on 8/9 March, six on 1/2 November.
  CalendarBuilder b{kNewYork};
  b.hours(Weekday::sat, {{22 * 60, 27 * 60}});
  const Calendar cal = b.build();
  auto segs = cal.explain(utc("2025-03-08T12:00:00Z"), utc("2025-03-10T00:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-03-09T03:00:00Z"));  // 22:00 EST
  EXPECT_EQ(segs[0].end, utc("2025-03-09T07:00:00Z"));    // 03:00 EDT
  EXPECT_EQ(segs[0].date, ymd(2025, 3, 8));
  segs = cal.explain(utc("2025-11-01T12:00:00Z"), utc("2025-11-03T00:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-11-02T02:00:00Z"));  // 22:00 EDT
  EXPECT_EQ(segs[0].end, utc("2025-11-02T08:00:00Z"));    // 03:00 EST
  EXPECT_EQ(cal.add_business(utc("2025-11-02T02:00:00Z"), 6h), utc("2025-11-02T08:00:00Z"));
}

TEST(DstNewYork, WholeDaysAreTwentyThreeAndTwentyFiveHoursLong) {
  const Calendar cal = every_day(kNewYork, {{0, 1440}});
  EXPECT_EQ(cal.business_between(cal.parse_time("2025-03-09"), cal.parse_time("2025-03-10")), 23h);
  EXPECT_EQ(cal.business_between(cal.parse_time("2025-11-02"), cal.parse_time("2025-11-03")), 25h);
  EXPECT_EQ(cal.business_between(cal.parse_time("2025-07-01"), cal.parse_time("2025-07-02")), 24h);
  EXPECT_EQ(cal.business_between(cal.parse_time("2025-01-01"), cal.parse_time("2026-01-01")),
            chr::days{365});
  // Adjacent daily segments make one open stretch.
  EXPECT_TRUE(cal.is_open(utc("2025-03-09T07:00:00Z")));
  EXPECT_EQ(cal.next_close(utc("2025-03-09T07:00:00Z")), std::nullopt);
}

TEST(DstNewYork, OfficeHoursAcrossTheWeekend) {
  // Mon-Fri 09:00-17:00: the transition happens while closed, and local hours stay local.
  CalendarBuilder b{kNewYork};
  for (int d = 0; d < 5; ++d) b.hours(static_cast<Weekday>(d), {{9 * 60, 17 * 60}});
  const Calendar cal = b.build();
  // Fri 7 March 16:00 EST + 2 h = Mon 10 March 10:00 EDT.
  EXPECT_EQ(cal.add_business(utc("2025-03-07T21:00:00Z"), 2h), utc("2025-03-10T14:00:00Z"));
  EXPECT_EQ(cal.business_between(utc("2025-03-03T00:00:00Z"), utc("2025-03-15T00:00:00Z")), 80h);
  EXPECT_EQ(cal.next_open(utc("2025-03-08T00:00:00Z")), utc("2025-03-10T13:00:00Z"));
  EXPECT_EQ(cal.next_open(utc("2025-11-01T00:00:00Z")), utc("2025-11-03T14:00:00Z"));
}

TEST(DstAmsterdam, MidnightToFour) {
  const Calendar cal = every_day(kAmsterdam, {{0, 240}});
  auto segs = cal.explain(utc("2025-03-29T12:00:00Z"), utc("2025-03-30T12:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-03-29T23:00:00Z"));  // 00:00 CET
  EXPECT_EQ(segs[0].end, utc("2025-03-30T02:00:00Z"));    // 04:00 CEST
  EXPECT_EQ(segs[0].date, ymd(2025, 3, 30));
  segs = cal.explain(utc("2025-10-25T12:00:00Z"), utc("2025-10-26T12:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-10-25T22:00:00Z"));  // 00:00 CEST
  EXPECT_EQ(segs[0].end, utc("2025-10-26T03:00:00Z"));    // 04:00 CET
  EXPECT_EQ(cal.business_between(utc("2025-10-25T12:00:00Z"), utc("2025-10-26T12:00:00Z")), 5h);
  EXPECT_EQ(cal.business_between(utc("2025-03-29T12:00:00Z"), utc("2025-03-30T12:00:00Z")), 3h);
}

TEST(DstAmsterdam, HalfPastTwoToHalfPastThree) {
  const Calendar cal = every_day(kAmsterdam, {{150, 210}});
  // 30 March: 02:30 is in the gap, so 03:00 CEST (01:00Z) to 03:30 CEST (01:30Z).
  auto segs = cal.explain(utc("2025-03-29T12:00:00Z"), utc("2025-03-30T12:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-03-30T01:00:00Z"));
  EXPECT_EQ(segs[0].end, utc("2025-03-30T01:30:00Z"));
  // 26 October: 02:30 happens twice; first occurrence (CEST, 00:30Z) to 03:30 CET (02:30Z).
  segs = cal.explain(utc("2025-10-25T12:00:00Z"), utc("2025-10-26T12:00:00Z"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, utc("2025-10-26T00:30:00Z"));
  EXPECT_EQ(segs[0].end, utc("2025-10-26T02:30:00Z"));
  EXPECT_EQ(cal.format_time(segs[0].start), "2025-10-26T02:30:00+02:00");
  EXPECT_EQ(cal.format_time(utc("2025-10-26T01:30:00Z")), "2025-10-26T02:30:00+01:00");
  EXPECT_TRUE(cal.is_open(utc("2025-10-26T01:30:00Z")));  // the second 02:30
  // An ordinary day: one hour.
  EXPECT_EQ(cal.business_between(utc("2025-03-28T12:00:00Z"), utc("2025-03-29T12:00:00Z")), 1h);
  EXPECT_EQ(cal.add_business(utc("2025-03-29T12:00:00Z"), 30min), utc("2025-03-30T01:30:00Z"));
  EXPECT_EQ(cal.add_business(utc("2025-10-25T12:00:00Z"), 2h), utc("2025-10-26T02:30:00Z"));
}

TEST(DstAmsterdam, WholeDays) {
  const Calendar cal = every_day(kAmsterdam, {{0, 1440}});
  EXPECT_EQ(cal.business_between(cal.parse_time("2025-03-30"), cal.parse_time("2025-03-31")), 23h);
  EXPECT_EQ(cal.business_between(cal.parse_time("2025-10-26"), cal.parse_time("2025-10-27")), 25h);
}

TEST(DstParseAndFormat, LocalTimesFollowTheSameRule) {
  const Calendar ny = every_day(kNewYork, {{540, 1020}});
  EXPECT_EQ(ny.parse_time("2025-03-09 02:30"), utc("2025-03-09T07:00:00Z"));  // gap -> its end
  EXPECT_EQ(ny.format_time(ny.parse_time("2025-03-09 02:30")), "2025-03-09T03:00:00-04:00");
  EXPECT_EQ(ny.parse_time("2025-03-09 01:59:59"), utc("2025-03-09T06:59:59Z"));
  EXPECT_EQ(ny.parse_time("2025-03-09 03:00"), utc("2025-03-09T07:00:00Z"));
  EXPECT_EQ(ny.parse_time("2025-11-02 01:30"), utc("2025-11-02T05:30:00Z"));  // first occurrence
  EXPECT_EQ(ny.format_time(utc("2025-11-02T05:30:00Z")), "2025-11-02T01:30:00-04:00");
  EXPECT_EQ(ny.format_time(utc("2025-11-02T06:30:00Z")), "2025-11-02T01:30:00-05:00");
  EXPECT_EQ(ny.parse_time("2025-07-01 12:00"), utc("2025-07-01T16:00:00Z"));
  EXPECT_EQ(ny.parse_time("2025-01-15 12:00"), utc("2025-01-15T17:00:00Z"));
  EXPECT_EQ(ny.format_time(utc("2025-01-15T17:00:00.5Z")), "2025-01-15T12:00:00.500-05:00");
  // An explicit offset wins over the zone.
  EXPECT_EQ(ny.parse_time("2025-03-09T02:30:00-05:00"), utc("2025-03-09T07:30:00Z"));
  EXPECT_EQ(ny.local_date(utc("2025-11-02T04:59:59Z")), ymd(2025, 11, 2));  // 00:59:59 EDT
  EXPECT_EQ(ny.local_date(utc("2025-11-02T03:59:59Z")), ymd(2025, 11, 1));

  const Calendar ams = every_day(kAmsterdam, {{540, 1020}});
  EXPECT_EQ(ams.parse_time("2025-03-30 02:30"), utc("2025-03-30T01:00:00Z"));
  EXPECT_EQ(ams.format_time(utc("2025-03-30T01:00:00Z")), "2025-03-30T03:00:00+02:00");
  EXPECT_EQ(ams.parse_time("2025-10-26 02:30"), utc("2025-10-26T00:30:00Z"));
  EXPECT_EQ(ams.format_time(utc("2025-01-27T08:00:00Z")), "2025-01-27T09:00:00+01:00");
  // Round trip through the zone for every quarter hour around both transitions.
  for (const Calendar* cal : {&ny, &ams}) {
    for (const char* from : {"2025-03-08T12:00:00Z", "2025-03-29T12:00:00Z", "2025-10-25T12:00:00Z",
                             "2025-11-01T12:00:00Z"}) {
      for (Instant t = utc(from); t < utc(from) + 48h; t += 15min) {
        EXPECT_EQ(cal->parse_time(cal->format_time(t)), t) << cal->format_time(t);
      }
    }
  }
}

// fuzz_capi finding: format_time of an instant ~290,000 years back overflowed converting days to
// milliseconds. Beyond the civil range it names the raw value, like format_instant.
TEST(DstParseAndFormat, InstantsBeyondTheCivilRangeAreNamedRaw) {
  const Calendar ny = every_day(kNewYork, {{540, 1020}});
  const Instant far = hotline::from_unix_ms(-9'223'372'036'854'000'000);
  EXPECT_EQ(ny.format_time(far), "-9223372036854000000 ms after 1970-01-01T00:00:00Z");
  EXPECT_EQ(ny.format_time(hotline::from_unix_ms(253402300799000)), "9999-12-31T18:59:59-05:00");
}

TEST(DstShanghai, NoDaylightSavingTime) {
  // Asia/Shanghai has been UTC+8 all year since 1992 (tz database, asia file).
  const Calendar cal = every_day("Asia/Shanghai", {{0, 240}});
  for (int y : {1995, 2025, 2040}) {
    for (unsigned m = 1; m <= 12; ++m) {
      const auto day = ymd(y, m, 15);
      const Instant midnight = hotline::from_unix_ms(chr::duration_cast<chr::milliseconds>(
                                                         chr::sys_days{day}.time_since_epoch())
                                                         .count()) -
                               8h;
      EXPECT_EQ(cal.format_time(midnight).substr(10), "T00:00:00+08:00");
      EXPECT_EQ(cal.business_between(midnight, midnight + 24h), 4h);
    }
  }
  // Every day of 2025 has exactly four hours.
  const Instant start = cal.parse_time("2025-01-01");
  EXPECT_EQ(start, utc("2024-12-31T16:00:00Z"));
  EXPECT_EQ(cal.business_between(start, start + chr::days{365}), 365 * 4h);
  EXPECT_EQ(cal.parse_time("2025-03-09 02:30"), utc("2025-03-08T18:30:00Z"));
}

TEST(DstProperties, CacheDisabledGivesIdenticalAnswers) {
  // Random instants within a few days of each 2025 transition and anywhere in 2000..2050, for
  // calendars whose boundaries fall into the gaps and overlaps.
  // 01:00-01:45 and 02:30-03:30 every day but Sunday; Saturday 22:00-02:30+1 overnight, which
  // Sunday's 02:30-03:30 continues.
  const std::vector<Interval> shifts{{60, 105}, {150, 210}, {22 * 60, 26 * 60 + 30}};
  const std::vector<Instant> transitions{utc("2025-03-09T07:00:00Z"), utc("2025-11-02T06:00:00Z"),
                                         utc("2025-03-30T01:00:00Z"), utc("2025-10-26T01:00:00Z")};
  const std::int64_t y2000 = hotline::to_unix_ms(utc("2000-01-01T00:00:00Z"));
  const std::int64_t y2050 = hotline::to_unix_ms(utc("2050-01-01T00:00:00Z"));
  for (const char* zone : {kNewYork, kAmsterdam}) {
    CalendarBuilder fast_b{zone}, slow_b{zone};
    for (CalendarBuilder* b : {&fast_b, &slow_b}) {
      for (int d = 0; d < 5; ++d) b->hours(static_cast<Weekday>(d), {shifts[0], shifts[1]});
      b->hours(Weekday::sat, {shifts[0], shifts[1], shifts[2]});
      b->hours(Weekday::sun, {shifts[1], {23 * 60, 24 * 60}});
    }
    slow_b.cache_years(1, 0);
    const Calendar fast = fast_b.build(), slow = slow_b.build();
    hotline::Rng rng{99};
    for (int i = 0; i < 2000; ++i) {
      Instant t;
      if (rng.bernoulli(0.7)) {
        const Instant around = transitions[rng.below(transitions.size())];
        t = around - 72h + Duration{static_cast<std::int64_t>(rng.below(144 * 3'600'000ULL))};
        if (rng.bernoulli(0.5)) t = chr::floor<chr::minutes>(t);
      } else {
        t = hotline::from_unix_ms(y2000 + static_cast<std::int64_t>(rng.below(
                                              static_cast<std::uint64_t>(y2050 - y2000))));
      }
      const Duration d{static_cast<std::int64_t>(rng.below(10 * 3'600'000ULL))};
      const std::string at = hotline::format_instant(t);
      ASSERT_EQ(fast.is_open(t), slow.is_open(t)) << zone << " " << at;
      ASSERT_EQ(fast.next_open(t), slow.next_open(t)) << zone << " " << at;
      ASSERT_EQ(fast.next_close(t), slow.next_close(t)) << zone << " " << at;
      ASSERT_EQ(fast.add_business(t, d), slow.add_business(t, d)) << zone << " " << at;
      const Instant u = t + Duration{static_cast<std::int64_t>(rng.below(7 * 86'400'000ULL))};
      ASSERT_EQ(fast.business_between(t, u), slow.business_between(t, u)) << zone << " " << at;
      // And the inverse property holds across the transitions.
      const Instant due = fast.add_business(t, d);
      ASSERT_EQ(fast.business_between(t, due), d) << zone << " " << at;
    }
  }
}

}  // namespace
