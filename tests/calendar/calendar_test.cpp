// hotline calendar: queries on the Shanghai 2025 department calendar, overnight intervals, half
// days, versions, the segment cache, JSON round trips and every validation error.
//
// The holiday facts come from the State Council notice 国办发明电〔2024〕12号 (2024-11-12) as
// encoded in examples/calendars/shanghai-dept-2025.json: New Year's Day 1 Jan; Spring Festival
// 28 Jan–4 Feb with make-up workdays Sun 26 Jan and Sat 8 Feb; Qingming 4–6 Apr; Labour Day 1–5 May
// with make-up workday Sun 27 Apr; Dragon Boat 31 May–2 Jun; National Day and Mid-Autumn 1–8 Oct
// with make-up workdays Sun 28 Sep and Sat 11 Oct. Asia/Shanghai is UTC+8 all year, so the
// expected instants below are written with an explicit +08:00 offset and parsed by the core
// parser, independently of the calendar's own zone handling. Weekdays checked with Python's
// datetime.date.weekday().
#include <hotline/calendar/calendar.hpp>
#include <hotline/core.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using hotline::Duration;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using hotline::calendar::Calendar;
using hotline::calendar::CalendarBuilder;
using hotline::calendar::DayKind;
using hotline::calendar::Interval;
using hotline::calendar::Segment;
using hotline::calendar::Weekday;
using std::chrono::year_month_day;
namespace chr = std::chrono;

constexpr int H = 60;  // minutes per hour, for Interval literals

// A local time in Asia/Shanghai ("2025-01-27 09:00"), via the core parser and a fixed offset.
Instant cst(std::string_view local) {
  return hotline::parse_instant(std::string(local) + "+08:00");
}

year_month_day ymd(int y, unsigned m, unsigned d) {
  return year_month_day{chr::year{y}, chr::month{m}, chr::day{d}};
}

std::string example_path(const char* file) {
  return std::string(HOTLINE_SOURCE_DIR) + "/examples/calendars/" + file;
}

const Calendar& shanghai() {
  static const Calendar cal = Calendar::load(example_path("shanghai-dept-2025.json"));
  return cal;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The example document with a "cache" member added (to_year < from_year disables the cache).
std::string shanghai_json_with_cache(int from_year, int to_year) {
  auto doc = nlohmann::json::parse(read_text(example_path("shanghai-dept-2025.json")));
  doc["cache"] = {{"from_year", from_year}, {"to_year", to_year}};
  return doc.dump();
}

template <class F>
Error catch_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected hotline::Error";
  return Error(ErrorCode::internal, "", "no error thrown");
}

Duration total(const std::vector<Segment>& segments) {
  Duration sum{0};
  for (const Segment& s : segments) sum += s.end - s.start;
  return sum;
}

// ---------------------------------------------------------------------------------------------
// The example calendar

TEST(ShanghaiCalendar, LoadsTheExample) {
  const Calendar& cal = shanghai();
  EXPECT_EQ(cal.name(),
            "Provincial department, Asia/Shanghai, 2025 (State Council holiday schedule)");
  EXPECT_EQ(cal.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(cal.day_kind(ymd(2025, 1, 1)), DayKind::holiday);
  EXPECT_EQ(cal.day_name(ymd(2025, 1, 1)), "New Year's Day");
  for (unsigned d = 28; d <= 31; ++d) EXPECT_EQ(cal.day_kind(ymd(2025, 1, d)), DayKind::holiday);
  for (unsigned d = 1; d <= 4; ++d) {
    EXPECT_EQ(cal.day_kind(ymd(2025, 2, d)), DayKind::holiday);
    EXPECT_EQ(cal.day_name(ymd(2025, 2, d)), "Spring Festival");
  }
  EXPECT_EQ(cal.day_kind(ymd(2025, 2, 5)), DayKind::regular);
  EXPECT_EQ(cal.day_name(ymd(2025, 2, 5)), "");
  EXPECT_EQ(cal.day_kind(ymd(2025, 1, 26)), DayKind::workday);
  EXPECT_EQ(cal.day_name(ymd(2025, 1, 26)), "Spring Festival make-up workday (Sunday)");
  EXPECT_EQ(cal.day_kind(ymd(2025, 2, 8)), DayKind::workday);
  EXPECT_EQ(cal.day_kind(ymd(2025, 9, 28)), DayKind::workday);
  EXPECT_EQ(cal.day_kind(ymd(2025, 10, 11)), DayKind::workday);
  for (unsigned d = 1; d <= 8; ++d) EXPECT_EQ(cal.day_kind(ymd(2025, 10, d)), DayKind::holiday);
  EXPECT_EQ(cal.day_kind(ymd(2025, 10, 9)), DayKind::regular);
  // An invalid date is simply not special.
  EXPECT_EQ(cal.day_kind(ymd(2025, 2, 30)), DayKind::regular);
  EXPECT_EQ(cal.day_name(ymd(2025, 2, 30)), "");
}

TEST(ShanghaiCalendar, IsOpenAroundSpringFestival) {
  const Calendar& cal = shanghai();
  EXPECT_TRUE(cal.is_open(cst("2025-01-24 09:00")));   // Friday
  EXPECT_FALSE(cal.is_open(cst("2025-01-25 09:00")));  // Saturday
  EXPECT_TRUE(cal.is_open(cst("2025-01-26 09:00")));   // Sunday, make-up workday
  EXPECT_TRUE(cal.is_open(cst("2025-01-27 09:00")));   // Monday
  for (unsigned d : {28u, 29u, 30u, 31u}) {
    const std::string day = "2025-01-" + std::to_string(d);
    EXPECT_FALSE(cal.is_open(cst(day + " 10:00"))) << day;
    EXPECT_FALSE(cal.is_open(cst(day + " 15:00"))) << day;
  }
  EXPECT_FALSE(cal.is_open(cst("2025-02-03 10:00")));  // Monday in the holiday
  EXPECT_FALSE(cal.is_open(cst("2025-02-04 10:00")));  // last holiday
  EXPECT_TRUE(cal.is_open(cst("2025-02-05 10:00")));   // back to work
  EXPECT_TRUE(cal.is_open(cst("2025-02-08 10:00")));   // Saturday, make-up workday
  EXPECT_FALSE(cal.is_open(cst("2025-02-09 10:00")));  // Sunday
  EXPECT_FALSE(cal.is_open(cst("2025-01-01 10:00")));  // New Year's Day (Wednesday)
}

TEST(ShanghaiCalendar, IsOpenBoundariesAndLunchBreak) {
  const Calendar& cal = shanghai();
  // Intervals are [start, end): open at 08:30:00.000, closed at 12:00:00.000.
  EXPECT_FALSE(cal.is_open(cst("2025-01-27 08:29:59.999")));
  EXPECT_TRUE(cal.is_open(cst("2025-01-27 08:30")));
  EXPECT_TRUE(cal.is_open(cst("2025-01-27 11:59:59.999")));
  EXPECT_FALSE(cal.is_open(cst("2025-01-27 12:00")));
  EXPECT_FALSE(cal.is_open(cst("2025-01-27 12:45")));
  EXPECT_FALSE(cal.is_open(cst("2025-01-27 13:29:59.999")));
  EXPECT_TRUE(cal.is_open(cst("2025-01-27 13:30")));
  EXPECT_TRUE(cal.is_open(cst("2025-01-27 17:29:59.999")));
  EXPECT_FALSE(cal.is_open(cst("2025-01-27 17:30")));
  EXPECT_FALSE(cal.is_open(cst("2025-01-27 03:00")));
}

TEST(ShanghaiCalendar, NextOpen) {
  const Calendar& cal = shanghai();
  EXPECT_EQ(cal.next_open(cst("2025-01-27 09:00")), cst("2025-01-27 09:00"));  // open: itself
  EXPECT_EQ(cal.next_open(cst("2025-01-27 12:00")), cst("2025-01-27 13:30"));
  EXPECT_EQ(cal.next_open(cst("2025-01-27 17:30")), cst("2025-02-05 08:30"));
  EXPECT_EQ(cal.next_open(cst("2025-01-25 10:00")), cst("2025-01-26 08:30"));
  EXPECT_EQ(cal.next_open(cst("2025-02-04 20:00")), cst("2025-02-05 08:30"));
  EXPECT_EQ(cal.next_open(cst("2025-02-07 17:30")), cst("2025-02-08 08:30"));
  EXPECT_EQ(cal.next_open(cst("2025-09-30 17:30")), cst("2025-10-09 08:30"));
  EXPECT_EQ(cal.next_open(cst("2025-10-10 18:00")), cst("2025-10-11 08:30"));
  EXPECT_EQ(cal.next_open(cst("2025-10-11 17:30")), cst("2025-10-13 08:30"));
  EXPECT_EQ(cal.next_open(cst("2024-12-31 17:30")), cst("2025-01-02 08:30"));
}

TEST(ShanghaiCalendar, NextClose) {
  const Calendar& cal = shanghai();
  EXPECT_EQ(cal.next_close(cst("2025-01-27 09:00")), cst("2025-01-27 12:00"));
  EXPECT_EQ(cal.next_close(cst("2025-01-27 08:30")), cst("2025-01-27 12:00"));
  EXPECT_EQ(cal.next_close(cst("2025-01-27 12:00")), cst("2025-01-27 17:30"));  // next stretch
  EXPECT_EQ(cal.next_close(cst("2025-01-27 17:30")), cst("2025-02-05 12:00"));
  EXPECT_EQ(cal.next_close(cst("2025-01-29 10:00")), cst("2025-02-05 12:00"));
}

TEST(ShanghaiCalendar, AddBusinessAcrossSpringFestival) {
  const Calendar& cal = shanghai();
  // Mon 27 Jan 16:00 + 4 h: 1.5 h until 17:30, then the holiday, then 2.5 h on Wed 5 Feb.
  EXPECT_EQ(cal.add_business(cst("2025-01-27 16:00"), 4h), cst("2025-02-05 11:00"));
  // Fri 24 Jan 17:00 + 1 h: 0.5 h on Friday, Saturday closed, make-up Sunday 08:30 + 0.5 h.
  EXPECT_EQ(cal.add_business(cst("2025-01-24 17:00"), 1h), cst("2025-01-26 09:00"));
  // The header's example: 16 business hours from Fri 24 Jan 09:00 = 7 h Friday, 7.5 h Sunday,
  // 1.5 h Monday.
  EXPECT_EQ(cal.add_business(cst("2025-01-24 09:00"), 16h), cst("2025-01-27 10:00"));
  // Ten business days (75 h) from Mon 20 Jan 08:30: 20–24, 26, 27 Jan and 5–7 Feb.
  EXPECT_EQ(cal.add_business(cst("2025-01-20 08:30"), 75h), cst("2025-02-07 17:30"));
  // Started on a holiday: counting begins when the office reopens.
  EXPECT_EQ(cal.add_business(cst("2025-01-29 10:00"), 1h), cst("2025-02-05 09:30"));
  EXPECT_EQ(cal.add_business(cst("2025-02-07 17:00"), 1h), cst("2025-02-08 09:00"));
}

TEST(ShanghaiCalendar, AddBusinessAroundNationalDay) {
  const Calendar& cal = shanghai();
  EXPECT_EQ(cal.add_business(cst("2025-09-26 17:00"), 1h), cst("2025-09-28 09:00"));  // Sun worked
  EXPECT_EQ(cal.add_business(cst("2025-09-30 17:00"), 1h), cst("2025-10-09 09:00"));
  EXPECT_EQ(cal.add_business(cst("2025-10-10 17:00"), 1h), cst("2025-10-11 09:00"));  // Sat worked
  EXPECT_EQ(cal.add_business(cst("2025-10-11 17:00"), 1h), cst("2025-10-13 09:00"));
}

TEST(ShanghaiCalendar, AddBusinessSkipsLunch) {
  const Calendar& cal = shanghai();
  EXPECT_EQ(cal.add_business(cst("2025-01-27 11:30"), 1h), cst("2025-01-27 14:00"));
  EXPECT_EQ(cal.add_business(cst("2025-01-27 12:15"), 1h), cst("2025-01-27 14:30"));
  EXPECT_EQ(cal.add_business(cst("2025-01-27 11:59:59.999"), 1ms), cst("2025-01-27 12:00"));
  EXPECT_EQ(cal.add_business(cst("2025-01-27 11:59:59.999"), 2ms), cst("2025-01-27 13:30:00.001"));
}

TEST(ShanghaiCalendar, AddBusinessLandingOnASegmentEndStaysThere) {
  const Calendar& cal = shanghai();
  // The earliest instant with the requested business time is the end of the segment, not the
  // start of the next one.
  EXPECT_EQ(cal.add_business(cst("2025-01-27 08:30"), 210min), cst("2025-01-27 12:00"));
  EXPECT_EQ(cal.add_business(cst("2025-01-27 08:30"), 450min), cst("2025-01-27 17:30"));
  EXPECT_EQ(cal.add_business(cst("2025-01-27 13:30"), 4h), cst("2025-01-27 17:30"));
  EXPECT_EQ(cal.add_business(cst("2025-01-27 12:00"), 4h), cst("2025-01-27 17:30"));
  EXPECT_EQ(cal.add_business(cst("2025-01-25 10:00"), 450min), cst("2025-01-26 17:30"));
  // The last working day before Spring Festival: not 5 Feb.
  EXPECT_EQ(cal.add_business(cst("2025-01-27 17:00"), 30min), cst("2025-01-27 17:30"));
}

TEST(ShanghaiCalendar, AddBusinessZeroIsIdentityEvenWhenClosed) {
  const Calendar& cal = shanghai();
  for (const char* t : {"2025-01-27 09:00", "2025-01-27 12:30", "2025-01-29 10:00",
                        "2025-01-27 17:30", "1950-06-01 03:00", "2200-01-01 00:00"}) {
    EXPECT_EQ(cal.add_business(cst(t), 0ms), cst(t)) << t;
  }
}

TEST(ShanghaiCalendar, AddBusinessRejectsBadDurations) {
  const Calendar& cal = shanghai();
  const Error neg = catch_error([&] { cal.add_business(cst("2025-01-27 09:00"), -1ms); });
  EXPECT_EQ(neg.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(neg.where(), "add_business");
  EXPECT_EQ(neg.message(), "negative duration -1ms");
  const Error huge =
      catch_error([&] { cal.add_business(cst("2025-01-27 09:00"), chr::days{36525} + 1ms); });
  EXPECT_EQ(huge.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(huge.message(), "duration longer than 100 years");
}

TEST(ShanghaiCalendar, BusinessBetween) {
  const Calendar& cal = shanghai();
  // 7.5 h a day: 08:30-12:00 and 13:30-17:30.
  EXPECT_EQ(cal.business_between(cst("2025-01-27 00:00"), cst("2025-01-28 00:00")), 450min);
  EXPECT_EQ(cal.business_between(cst("2025-01-27 00:00"), cst("2025-02-06 00:00")), 15h);
  EXPECT_EQ(cal.business_between(cst("2025-01-24 00:00"), cst("2025-01-28 00:00")), 1350min);
  EXPECT_EQ(cal.business_between(cst("2025-01-28 00:00"), cst("2025-02-05 00:00")), 0ms);
  EXPECT_EQ(cal.business_between(cst("2025-01-27 11:00"), cst("2025-01-27 14:00")), 90min);
  // National Day: 28, 29, 30 Sep, 9, 10, 11 Oct are worked.
  EXPECT_EQ(cal.business_between(cst("2025-09-27 00:00"), cst("2025-10-13 00:00")), 45h);
  // The whole of 2025: 248 working days (261 weekdays, 18 of them holidays, 5 make-up days;
  // counted independently with Python's datetime), 7.5 h each.
  EXPECT_EQ(cal.business_between(cst("2025-01-01 00:00"), cst("2026-01-01 00:00")), 1860h);
  // Reversed bounds give the negated value; equal bounds give zero.
  EXPECT_EQ(cal.business_between(cst("2025-02-06 00:00"), cst("2025-01-27 00:00")), -15h);
  EXPECT_EQ(cal.business_between(cst("2025-01-27 09:00"), cst("2025-01-27 09:00")), 0ms);
}

TEST(ShanghaiCalendar, ExplainNamesTheRules) {
  const Calendar& cal = shanghai();
  const auto segs = cal.explain(cst("2025-01-24 17:00"), cst("2025-01-26 09:00"));
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].start, cst("2025-01-24 17:00"));  // clipped to the query
  EXPECT_EQ(segs[0].end, cst("2025-01-24 17:30"));
  EXPECT_EQ(segs[0].date, ymd(2025, 1, 24));
  EXPECT_EQ(segs[0].kind, DayKind::regular);
  EXPECT_EQ(segs[0].name, "");
  EXPECT_EQ(segs[0].version, 0);
  EXPECT_EQ(segs[1].start, cst("2025-01-26 08:30"));
  EXPECT_EQ(segs[1].end, cst("2025-01-26 09:00"));
  EXPECT_EQ(segs[1].date, ymd(2025, 1, 26));
  EXPECT_EQ(segs[1].kind, DayKind::workday);
  EXPECT_EQ(segs[1].name, "Spring Festival make-up workday (Sunday)");

  // The explanation of add_business: its segments add up to the duration and end at the result.
  const Instant from = cst("2025-01-27 16:00");
  const Instant due = cal.add_business(from, 4h);
  const auto why = cal.explain(from, due);
  ASSERT_EQ(why.size(), 2u);
  EXPECT_EQ(total(why), 4h);
  EXPECT_EQ(why.back().end, due);
  EXPECT_EQ(why[1].date, ymd(2025, 2, 5));
  EXPECT_EQ(why[1].start, cst("2025-02-05 08:30"));

  EXPECT_TRUE(cal.explain(cst("2025-01-28 00:00"), cst("2025-02-05 00:00")).empty());
  EXPECT_TRUE(cal.explain(cst("2025-01-27 10:00"), cst("2025-01-27 10:00")).empty());
  EXPECT_TRUE(cal.explain(cst("2025-01-27 11:00"), cst("2025-01-27 10:00")).empty());
  // A full day: two segments, morning and afternoon.
  const auto day = cal.explain(cst("2025-02-08 00:00"), cst("2025-02-09 00:00"));
  ASSERT_EQ(day.size(), 2u);
  EXPECT_EQ(day[0].end, cst("2025-02-08 12:00"));
  EXPECT_EQ(day[1].start, cst("2025-02-08 13:30"));
  EXPECT_EQ(day[1].kind, DayKind::workday);
  EXPECT_EQ(day[1].name, "Spring Festival make-up workday (Saturday)");
}

TEST(ShanghaiCalendar, LocalDateAndTimeText) {
  const Calendar& cal = shanghai();
  EXPECT_EQ(cal.local_date(hotline::parse_instant("2025-01-27T16:30:00Z")), ymd(2025, 1, 28));
  EXPECT_EQ(cal.local_date(hotline::parse_instant("2025-01-27T15:59:59.999Z")), ymd(2025, 1, 27));
  EXPECT_EQ(cal.parse_time("2025-01-27 09:00"), cst("2025-01-27 09:00"));
  EXPECT_EQ(cal.parse_time("2025-01-27T09:00"), cst("2025-01-27 09:00"));
  EXPECT_EQ(cal.parse_time("2025-01-27 09:00:30"), cst("2025-01-27 09:00:30"));
  EXPECT_EQ(cal.parse_time("2025-01-27"), cst("2025-01-27 00:00"));
  EXPECT_EQ(cal.parse_time("2025-01-27T01:00:00Z"), cst("2025-01-27 09:00"));
  EXPECT_EQ(cal.parse_time("2025-01-27T09:00:00-05:00"), cst("2025-01-27 22:00"));
  EXPECT_EQ(cal.format_time(cst("2025-01-27 09:00")), "2025-01-27T09:00:00+08:00");
  EXPECT_EQ(cal.format_time(cst("2025-01-27 09:00:00.250")), "2025-01-27T09:00:00.250+08:00");
  EXPECT_EQ(cal.format_time(hotline::parse_instant("2025-12-31T16:00:00Z")),
            "2026-01-01T00:00:00+08:00");
  for (const char* bad : {"2025-01-27 9:00", "27/01/2025", "2025-01-27 09:00 CST",
                          "2025-01-27 09:00+8", "2025-02-29 09:00", ""}) {
    const Error e = catch_error([&] { cal.parse_time(bad); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << bad;
    EXPECT_EQ(e.where(), "time \"" + std::string(bad) + "\"") << bad;
  }
}

TEST(ShanghaiCalendar, CopiesShareTheDefinition) {
  const Calendar copy = shanghai();
  EXPECT_EQ(copy.name(), shanghai().name());
  EXPECT_EQ(copy.add_business(cst("2025-01-27 16:00"), 4h), cst("2025-02-05 11:00"));
}

// ---------------------------------------------------------------------------------------------
// Properties

// Random instants: mostly in 2024..2026, some anywhere in 1990..2060 (outside the cache), and
// some aligned to the half hour so that they hit segment boundaries exactly.
Instant random_instant(hotline::Rng& rng) {
  const std::int64_t y1990 = hotline::to_unix_ms(cst("1990-01-01 00:00"));
  const std::int64_t y2060 = hotline::to_unix_ms(cst("2060-01-01 00:00"));
  const std::int64_t y2024 = hotline::to_unix_ms(cst("2024-12-01 00:00"));
  const std::int64_t y2026 = hotline::to_unix_ms(cst("2026-02-01 00:00"));
  const bool wide = rng.bernoulli(0.3);
  const std::int64_t lo = wide ? y1990 : y2024, hi = wide ? y2060 : y2026;
  std::int64_t ms = lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo)));
  if (rng.bernoulli(0.4)) ms -= ms % (30 * 60'000);
  return hotline::from_unix_ms(ms);
}

// Random business durations from 0 to ten 7.5-hour days; some whole half hours.
Duration random_duration(hotline::Rng& rng) {
  const auto max = static_cast<std::uint64_t>(Duration{75h}.count());
  if (rng.bernoulli(0.4)) return 30min * static_cast<int>(rng.below(151));
  return Duration{static_cast<std::int64_t>(rng.below(max + 1))};
}

TEST(CalendarProperties, AddBusinessAndBusinessBetweenAreInverse) {
  const Calendar& cal = shanghai();
  hotline::Rng rng{2025};
  for (int i = 0; i < 3000; ++i) {
    const Instant t = random_instant(rng);
    const Duration d = random_duration(rng);
    const Instant u = cal.add_business(t, d);
    ASSERT_GE(u, t);
    ASSERT_EQ(cal.business_between(t, u), d) << hotline::format_instant(t) << " + " << d.count();
    if (d > 0ms) {
      // u is the earliest such instant: the millisecond before it is open and still counted.
      ASSERT_TRUE(cal.is_open(u - 1ms)) << hotline::format_instant(t) << " + " << d.count();
      ASSERT_EQ(cal.business_between(t, u - 1ms), d - 1ms);
    }
    // The other way round: the business time between two instants, added to the first, reaches
    // the second or the end of the last open stretch before it.
    const Instant b = random_instant(rng);
    const Instant a = std::min(t, b), z = std::max(t, b);
    if (z - a > chr::days{400}) continue;  // keep the slow path quick
    const Duration x = cal.business_between(a, z);
    ASSERT_GE(x, 0ms);
    ASSERT_EQ(cal.business_between(z, a), -x);
    const Instant v = cal.add_business(a, x);
    ASSERT_LE(v, z);
    ASSERT_EQ(cal.business_between(v, z), 0ms);
    ASSERT_EQ(total(cal.explain(a, z)), x);
  }
}

// Compares every query of two calendars that must agree.
void expect_same_answers(const Calendar& fast, const Calendar& slow, std::uint64_t seed, int n) {
  hotline::Rng rng{seed};
  for (int i = 0; i < n; ++i) {
    const Instant t = random_instant(rng);
    const Duration d = random_duration(rng);
    const std::string at = hotline::format_instant(t);
    ASSERT_EQ(fast.is_open(t), slow.is_open(t)) << at;
    ASSERT_EQ(fast.next_open(t), slow.next_open(t)) << at;
    ASSERT_EQ(fast.next_close(t), slow.next_close(t)) << at;
    ASSERT_EQ(fast.add_business(t, d), slow.add_business(t, d)) << at << " + " << d.count();
    Instant u = t + Duration{static_cast<std::int64_t>(rng.below(30 * 86'400'000ULL))};
    if (rng.bernoulli(0.05)) u = random_instant(rng);
    ASSERT_EQ(fast.business_between(t, u), slow.business_between(t, u))
        << at << " .. " << hotline::format_instant(u);
    ASSERT_EQ(fast.business_between(u, t), slow.business_between(u, t));
  }
}

TEST(CalendarProperties, CacheDisabledGivesIdenticalAnswers) {
  const Calendar no_cache = Calendar::from_json(shanghai_json_with_cache(2025, 2024));
  expect_same_answers(shanghai(), no_cache, 1, 4000);
}

TEST(CalendarProperties, OneYearCacheGivesIdenticalAnswersAcrossItsEdges) {
  const Calendar one_year = Calendar::from_json(shanghai_json_with_cache(2025, 2025));
  const Calendar no_cache = Calendar::from_json(shanghai_json_with_cache(2025, 2024));
  expect_same_answers(one_year, no_cache, 2, 3000);
  // Queries that start inside the cache and end outside it.
  EXPECT_EQ(one_year.add_business(cst("2025-12-31 17:00"), 1h),
            no_cache.add_business(cst("2025-12-31 17:00"), 1h));
  EXPECT_EQ(one_year.add_business(cst("2025-12-31 17:00"), 1h), cst("2026-01-01 09:00"));
  EXPECT_EQ(one_year.next_open(cst("2025-12-31 17:30")), cst("2026-01-01 08:30"));
  EXPECT_EQ(one_year.business_between(cst("2024-12-31 17:00"), cst("2025-01-02 09:00")), 60min);
}

TEST(CalendarProperties, BuilderWithoutCacheMatchesCachedBuilder) {
  // An overnight calendar with specials, built in code, with and without its cache.
  auto make = [](bool cache) {
    CalendarBuilder b{"Asia/Shanghai"};
    for (Weekday d : {Weekday::mon, Weekday::tue, Weekday::wed, Weekday::thu}) {
      b.hours(d, {{8 * H, 12 * H}, {13 * H, 17 * H}});
    }
    b.hours(Weekday::fri, {{8 * H, 12 * H}, {22 * H, 26 * H}})
        .hours(Weekday::sat, {{2 * H, 6 * H}, {23 * H, 24 * H + 30}})
        .holiday(ymd(2025, 10, 1), "National Day")
        .half_day(ymd(2025, 10, 4), {{1 * H, 3 * H}}, "Saturday half day")
        .workday(ymd(2025, 10, 12), "make-up", Weekday::fri)
        .version_from(ymd(2026, 1, 1))
        .hours(Weekday::mon, {{9 * H, 17 * H}})
        .hours(Weekday::sun, {{20 * H, 28 * H}});
    if (!cache) b.cache_years(1, 0);
    return b.build();
  };
  expect_same_answers(make(true), make(false), 3, 3000);
}

// ---------------------------------------------------------------------------------------------
// 7x24

TEST(AlwaysOpen, AnswersArithmetically) {
  const Calendar cal = Calendar::always_open();
  EXPECT_EQ(cal.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(cal.name(), "7x24");
  const Instant t = cst("2025-01-29 03:00");  // Spring Festival, at night
  EXPECT_TRUE(cal.is_open(t));
  EXPECT_TRUE(cal.is_open(cst("1900-01-01 00:00")));
  EXPECT_TRUE(cal.is_open(cst("2299-12-31 23:59")));
  EXPECT_EQ(cal.next_open(t), t);
  EXPECT_EQ(cal.next_close(t), std::nullopt);
  EXPECT_EQ(cal.add_business(t, 36h), t + 36h);
  EXPECT_EQ(cal.add_business(t, chr::days{36525}), t + chr::days{36525});
  EXPECT_EQ(cal.business_between(t, t + 90min), 90min);
  EXPECT_EQ(cal.business_between(t + 90min, t), -90min);
  const auto segs = cal.explain(t, t + 48h);
  EXPECT_EQ(total(segs), 48h);
  ASSERT_FALSE(segs.empty());
  EXPECT_EQ(segs.front().start, t);
  EXPECT_EQ(segs.back().end, t + 48h);
  for (std::size_t i = 1; i < segs.size(); ++i) EXPECT_EQ(segs[i].start, segs[i - 1].end);

  const Calendar file = Calendar::load(example_path("hotline-7x24.json"));
  EXPECT_EQ(file.name(), "Hotline 7x24 (Asia/Shanghai)");
  EXPECT_TRUE(file.is_open(t));
  EXPECT_EQ(file.add_business(t, 1h), t + 1h);
  EXPECT_EQ(Calendar::always_open("Europe/Amsterdam").time_zone(), "Europe/Amsterdam");
  const Error e = catch_error([] { Calendar::always_open("Mars/Olympus_Mons"); });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(e.where(), "/time_zone");
}

// Found by fuzz_capi (UBSan: signed overflow in b - a): the widest spans saturate.
TEST(AlwaysOpen, BusinessBetweenTheEndsOfTimeSaturates) {
  const Calendar cal = Calendar::always_open();
  const auto lo = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::min());
  const auto hi = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(cal.business_between(lo, hi), hotline::Duration::max());
  EXPECT_EQ(cal.business_between(hi, lo), -hotline::Duration::max());
  EXPECT_EQ(cal.business_between(hotline::from_unix_ms(0), hi),
            hotline::Duration{std::numeric_limits<std::int64_t>::max()});
}

// Found by fuzz_capi (a timeout: business_between walked every day from INT64_MIN to INT64_MAX):
// a calendar with hours counts only its domain, 1900 to 2300, and answers at once.
TEST(Domain, QueriesOverMillenniaAreBoundedToTheDomain) {
  const Calendar cal = Calendar::load(std::string(HOTLINE_SOURCE_DIR) +
                                      "/examples/calendars/shanghai-dept-2025.json");
  const auto lo = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::min());
  const auto hi = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::max());
  const auto y1900 = hotline::from_unix_ms(-2'209'075'200'000);  // 1899-12-31
  const auto y2301 = hotline::from_unix_ms(10'445'414'400'000);  // 2301-01-02
  EXPECT_EQ(cal.business_between(lo, hi), cal.business_between(y1900, y2301));
  EXPECT_GT(cal.business_between(lo, hi), hotline::Duration::zero());
  EXPECT_EQ(cal.business_between(lo, y1900), hotline::Duration::zero());
  EXPECT_TRUE(cal.explain(hotline::from_unix_ms(-9'000'000'000'000'000), y1900).empty());
}

// fuzz_capi finding: next_open near INT64_MAX overflowed converting to local time. Outside its
// domain a calendar with hours is closed, never opens, and refuses to add business time.
TEST(Domain, OutsideTheDomainACalendarWithHoursIsClosed) {
  const Calendar cal = Calendar::load(std::string(HOTLINE_SOURCE_DIR) +
                                      "/examples/calendars/shanghai-dept-2025.json");
  for (std::int64_t ms :
       {std::numeric_limits<std::int64_t>::max(), std::int64_t{10'445'414'400'000},
        std::numeric_limits<std::int64_t>::min(), std::int64_t{-2'209'075'200'001}}) {
    const auto t = hotline::from_unix_ms(ms);
    EXPECT_FALSE(cal.is_open(t));
    EXPECT_EQ(cal.next_open(t), std::nullopt);
    EXPECT_EQ(cal.next_close(t), std::nullopt);
    EXPECT_THROW(cal.add_business(t, std::chrono::hours{1}), hotline::Error);
  }
  EXPECT_EQ(cal.local_date(hotline::from_unix_ms(std::numeric_limits<std::int64_t>::max())),
            ymd(2301, 1, 2));
  // A 7x24 calendar adds up to the end of representable time, then refuses.
  const Calendar open = Calendar::always_open();
  const auto near_end = hotline::from_unix_ms(std::numeric_limits<std::int64_t>::max() - 10);
  EXPECT_THROW(open.add_business(near_end, std::chrono::hours{1}), hotline::Error);
  EXPECT_EQ(open.add_business(near_end, std::chrono::milliseconds{10}),
            hotline::from_unix_ms(std::numeric_limits<std::int64_t>::max()));
}

TEST(AlwaysOpen, WithAHolidayClosesThatDayOnly) {
  const Calendar cal = CalendarBuilder{"Asia/Shanghai"}
                           .always_open()
                           .holiday(ymd(2025, 10, 1), "National Day")
                           .build();
  EXPECT_TRUE(cal.is_open(cst("2025-09-30 23:59:59.999")));
  EXPECT_FALSE(cal.is_open(cst("2025-10-01 00:00")));
  EXPECT_FALSE(cal.is_open(cst("2025-10-01 23:59:59.999")));
  EXPECT_TRUE(cal.is_open(cst("2025-10-02 00:00")));
  EXPECT_EQ(cal.next_close(cst("2025-09-20 10:00")), cst("2025-10-01 00:00"));
  EXPECT_EQ(cal.next_open(cst("2025-10-01 10:00")), cst("2025-10-02 00:00"));
  EXPECT_EQ(cal.add_business(cst("2025-09-30 23:00"), 2h), cst("2025-10-02 01:00"));
  EXPECT_EQ(cal.business_between(cst("2025-09-30 00:00"), cst("2025-10-03 00:00")), 48h);
  // After the last holiday it stays open for more than ten years.
  EXPECT_EQ(cal.next_close(cst("2025-10-02 00:00")), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Overnight intervals

// Mon-Thu 09:00-17:00, Fri 09:00-17:00 and 22:00-02:00+1, Sat 10:00-14:00.
CalendarBuilder overnight_builder() {
  CalendarBuilder b{"Asia/Shanghai"};
  for (Weekday d : {Weekday::mon, Weekday::tue, Weekday::wed, Weekday::thu}) {
    b.hours(d, {{9 * H, 17 * H}});
  }
  b.hours(Weekday::fri, {{9 * H, 17 * H}, {22 * H, 26 * H}});
  b.hours(Weekday::sat, {{10 * H, 14 * H}});
  return b;
}

TEST(Overnight, IntervalRunsPastMidnight) {
  // 2025-03-07 is a Friday.
  const Calendar cal = overnight_builder().build();
  EXPECT_FALSE(cal.is_open(cst("2025-03-07 21:59:59.999")));
  EXPECT_TRUE(cal.is_open(cst("2025-03-07 22:00")));
  EXPECT_TRUE(cal.is_open(cst("2025-03-07 23:59:59.999")));
  EXPECT_TRUE(cal.is_open(cst("2025-03-08 00:00")));
  EXPECT_TRUE(cal.is_open(cst("2025-03-08 01:59:59.999")));
  EXPECT_FALSE(cal.is_open(cst("2025-03-08 02:00")));
  EXPECT_TRUE(cal.is_open(cst("2025-03-08 10:00")));
  EXPECT_FALSE(cal.is_open(cst("2025-03-06 23:00")));  // Thursday has no night shift
  EXPECT_EQ(cal.business_between(cst("2025-03-07 20:00"), cst("2025-03-08 03:00")), 4h);
  EXPECT_EQ(cal.add_business(cst("2025-03-07 21:00"), 3h), cst("2025-03-08 01:00"));
  // 1 h until 17:00 and 4 h of night shift: lands exactly on Saturday 02:00, not 10:00.
  EXPECT_EQ(cal.add_business(cst("2025-03-07 16:00"), 5h), cst("2025-03-08 02:00"));
  EXPECT_EQ(cal.add_business(cst("2025-03-07 16:00"), 5h + 1ms), cst("2025-03-08 10:00:00.001"));
  EXPECT_EQ(cal.next_open(cst("2025-03-07 17:00")), cst("2025-03-07 22:00"));
  EXPECT_EQ(cal.next_close(cst("2025-03-07 23:00")), cst("2025-03-08 02:00"));
  EXPECT_EQ(cal.next_close(cst("2025-03-07 17:00")), cst("2025-03-08 02:00"));
  const auto segs = cal.explain(cst("2025-03-07 21:00"), cst("2025-03-08 03:00"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, cst("2025-03-07 22:00"));
  EXPECT_EQ(segs[0].end, cst("2025-03-08 02:00"));
  EXPECT_EQ(segs[0].date, ymd(2025, 3, 7));  // belongs to the day it starts
  // A whole week: 4 x 8 h + 8 h + 4 h + 4 h.
  EXPECT_EQ(cal.business_between(cst("2025-03-03 00:00"), cst("2025-03-10 00:00")), 48h);
}

TEST(Overnight, AHolidayClosesTheIntervalsThatStartOnIt) {
  // Friday a holiday: its night shift is closed too, including the hours after midnight.
  const Calendar fri = overnight_builder().holiday(ymd(2025, 3, 7), "Friday off").build();
  EXPECT_FALSE(fri.is_open(cst("2025-03-07 23:00")));
  EXPECT_FALSE(fri.is_open(cst("2025-03-08 01:00")));
  EXPECT_TRUE(fri.is_open(cst("2025-03-08 10:00")));
  // Saturday a holiday: Friday's night shift still runs into it; Saturday's own hours do not.
  const Calendar sat = overnight_builder().holiday(ymd(2025, 3, 8), "Saturday off").build();
  EXPECT_TRUE(sat.is_open(cst("2025-03-08 01:00")));
  EXPECT_FALSE(sat.is_open(cst("2025-03-08 10:00")));
  const auto segs = sat.explain(cst("2025-03-08 00:00"), cst("2025-03-09 00:00"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].date, ymd(2025, 3, 7));
  EXPECT_EQ(segs[0].kind, DayKind::regular);
  EXPECT_EQ(sat.add_business(cst("2025-03-08 01:00"), 2h), cst("2025-03-10 10:00"));
}

TEST(Overnight, OverlapWithTheNextDaysSpecialHoursCountsOnce) {
  // Saturday a half day 01:00-03:00 while Friday's shift runs to 02:00: the union counts.
  const Calendar cal =
      overnight_builder().half_day(ymd(2025, 3, 8), {{1 * H, 3 * H}}, "short Saturday").build();
  EXPECT_EQ(cal.business_between(cst("2025-03-07 20:00"), cst("2025-03-08 04:00")), 5h);
  EXPECT_TRUE(cal.is_open(cst("2025-03-08 02:30")));
  EXPECT_EQ(cal.next_close(cst("2025-03-07 22:00")), cst("2025-03-08 03:00"));
  const auto segs = cal.explain(cst("2025-03-07 20:00"), cst("2025-03-08 04:00"));
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].end, segs[1].start);
  EXPECT_EQ(segs[1].date, ymd(2025, 3, 8));
  EXPECT_EQ(segs[1].kind, DayKind::half_day);
  EXPECT_EQ(segs[1].name, "short Saturday");
  EXPECT_EQ(total(segs), 5h);
}

TEST(Overnight, FromJsonAndBackToText) {
  const Calendar cal = Calendar::from_json(R"({
    "time_zone": "Asia/Shanghai",
    "hours": {"mon-thu": ["09:00-17:00"], "fri": ["09:00-17:00", "22:00-02:00+1"],
              "sat": ["10:00-14:00"]}
  })");
  EXPECT_EQ(cal.business_between(cst("2025-03-07 20:00"), cst("2025-03-08 03:00")), 4h);
  const auto doc = nlohmann::json::parse(cal.to_json());
  EXPECT_EQ(doc["hours"]["fri"], nlohmann::json::array({"09:00-17:00", "22:00-02:00+1"}));
  EXPECT_EQ(doc["hours"]["sun"], nlohmann::json::array());
  // A whole-day interval is written 00:00-24:00.
  const Calendar whole = CalendarBuilder{"Asia/Shanghai"}.hours(Weekday::sun, {{0, 1440}}).build();
  EXPECT_EQ(nlohmann::json::parse(whole.to_json())["hours"]["sun"],
            nlohmann::json::array({"00:00-24:00"}));
}

TEST(Intervals, ParseAndFormat) {
  using hotline::calendar::format_interval;
  using hotline::calendar::parse_interval;
  EXPECT_EQ(parse_interval("08:30-12:00"), (Interval{510, 720}));
  EXPECT_EQ(parse_interval("22:00-02:00+1"), (Interval{1320, 1560}));
  EXPECT_EQ(parse_interval("00:00-24:00"), (Interval{0, 1440}));
  EXPECT_EQ(format_interval(Interval{510, 720}), "08:30-12:00");
  EXPECT_EQ(format_interval(Interval{1320, 1560}), "22:00-02:00+1");
  EXPECT_EQ(format_interval(Interval{0, 1440}), "00:00-24:00");
  for (const char* bad : {"8:30-12:00", "08:30", "08:30-24:01", "22:00-24:00+1", "08:60-09:00",
                          "08:30-12:00+2", "", "18:00-09:00", "09:00-09:00", "09:00-10:00+1"}) {
    const Error e = catch_error([&] { parse_interval(bad); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << bad;
    EXPECT_EQ(e.where(), "interval \"" + std::string(bad) + "\"") << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// Half days and versions

TEST(HalfDay, ReducedHoursOnAHoliday) {
  // 2025-12-31 is a Wednesday, 2025-12-27 a Saturday.
  const Calendar cal = CalendarBuilder{"Asia/Shanghai"}
                           .hours(Weekday::mon, {{9 * H, 18 * H}})
                           .hours(Weekday::tue, {{9 * H, 18 * H}})
                           .hours(Weekday::wed, {{9 * H, 18 * H}})
                           .hours(Weekday::thu, {{9 * H, 18 * H}})
                           .hours(Weekday::fri, {{9 * H, 18 * H}})
                           .half_day(ymd(2025, 12, 31), {{9 * H, 12 * H}}, "New Year's Eve")
                           .half_day(ymd(2025, 12, 27), {{10 * H, 12 * H}}, "Saturday service")
                           .build();
  EXPECT_EQ(cal.day_kind(ymd(2025, 12, 31)), DayKind::half_day);
  EXPECT_EQ(cal.day_name(ymd(2025, 12, 31)), "New Year's Eve");
  EXPECT_TRUE(cal.is_open(cst("2025-12-31 11:00")));
  EXPECT_FALSE(cal.is_open(cst("2025-12-31 13:00")));
  EXPECT_EQ(cal.business_between(cst("2025-12-31 00:00"), cst("2026-01-01 00:00")), 3h);
  EXPECT_EQ(cal.business_between(cst("2025-12-27 00:00"), cst("2025-12-28 00:00")), 2h);
  EXPECT_EQ(cal.add_business(cst("2025-12-30 17:00"), 2h), cst("2025-12-31 10:00"));
  EXPECT_EQ(cal.add_business(cst("2025-12-31 11:00"), 2h), cst("2026-01-01 10:00"));
  EXPECT_EQ(cal.next_close(cst("2025-12-31 09:00")), cst("2025-12-31 12:00"));
  const auto segs = cal.explain(cst("2025-12-31 00:00"), cst("2026-01-01 00:00"));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].kind, DayKind::half_day);
  EXPECT_EQ(segs[0].name, "New Year's Eve");
  EXPECT_EQ(segs[0].date, ymd(2025, 12, 31));
}

TEST(HalfDay, RangeFromJson) {
  const Calendar cal = Calendar::from_json(R"({
    "time_zone": "Asia/Shanghai",
    "hours": {"mon-fri": ["09:00-18:00"]},
    "days": [{"from": "2025-12-24", "to": "2025-12-26", "kind": "half_day",
              "hours": ["09:00-11:00", "14:00-15:00"], "name": "Festive season"}]
  })");
  for (unsigned d = 24; d <= 26; ++d) {
    EXPECT_EQ(cal.day_kind(ymd(2025, 12, d)), DayKind::half_day);
    EXPECT_EQ(cal.day_name(ymd(2025, 12, d)), "Festive season");
  }
  EXPECT_EQ(cal.business_between(cst("2025-12-24 00:00"), cst("2025-12-27 00:00")), 9h);
}

const char* kVersionedJson = R"({
  "name": "versioned",
  "time_zone": "Asia/Shanghai",
  "hours": {"mon-fri": ["08:30-12:00", "13:30-17:30"]},
  "versions": [
    {"effective_from": "2025-07-01", "hours": {"mon-fri": ["09:00-17:00"], "sat": ["09:00-12:00"]}},
    {"effective_from": "2026-01-01", "always_open": true}
  ],
  "days": [
    {"date": "2025-06-29", "kind": "workday", "as": "fri", "name": "Sunday worked"},
    {"date": "2025-07-05", "kind": "holiday", "name": "Closed Saturday"},
    {"date": "2025-07-13", "kind": "workday", "as": "sat"},
    {"date": "2026-02-17", "kind": "holiday", "name": "Spring Festival"}
  ]
})";

TEST(Versions, EachDayUsesTheVersionInEffect) {
  const Calendar cal = Calendar::from_json(kVersionedJson);
  // Mon 30 Jun: version 0, with its lunch break; Tue 1 Jul: version 1, without.
  EXPECT_TRUE(cal.is_open(cst("2025-06-30 08:45")));
  EXPECT_FALSE(cal.is_open(cst("2025-06-30 12:30")));
  EXPECT_FALSE(cal.is_open(cst("2025-07-01 08:45")));
  EXPECT_TRUE(cal.is_open(cst("2025-07-01 12:30")));
  EXPECT_EQ(cal.business_between(cst("2025-06-30 00:00"), cst("2025-07-02 00:00")), 930min);
  const auto segs = cal.explain(cst("2025-06-30 00:00"), cst("2025-07-02 00:00"));
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[0].version, 0);
  EXPECT_EQ(segs[1].version, 0);
  EXPECT_EQ(segs[2].version, 1);
  EXPECT_EQ(segs[2].date, ymd(2025, 7, 1));
  // Version 0 also applies before its own (implicit) start.
  EXPECT_TRUE(cal.is_open(cst("1995-05-15 08:45")));  // a Monday
  // Saturdays open from July, except the holiday.
  EXPECT_FALSE(cal.is_open(cst("2025-06-28 10:00")));
  EXPECT_FALSE(cal.is_open(cst("2025-07-05 10:00")));
  EXPECT_TRUE(cal.is_open(cst("2025-07-12 10:00")));
  // Workdays take the hours of their "as" weekday in the version in effect.
  EXPECT_TRUE(cal.is_open(cst("2025-06-29 09:00")));   // as Friday, version 0
  EXPECT_FALSE(cal.is_open(cst("2025-06-29 12:30")));  // version 0 lunch
  EXPECT_TRUE(cal.is_open(cst("2025-07-13 10:00")));   // as Saturday, version 1
  EXPECT_FALSE(cal.is_open(cst("2025-07-13 14:00")));
  EXPECT_EQ(cal.explain(cst("2025-07-13 00:00"), cst("2025-07-14 00:00")).at(0).kind,
            DayKind::workday);
  // From 2026 always open, except the holiday.
  EXPECT_FALSE(cal.is_open(cst("2025-12-31 20:00")));
  EXPECT_TRUE(cal.is_open(cst("2026-01-01 03:00")));
  EXPECT_EQ(cal.business_between(cst("2025-12-31 17:00"), cst("2026-01-01 02:00")), 2h);
  EXPECT_FALSE(cal.is_open(cst("2026-02-17 12:00")));
  EXPECT_EQ(cal.next_close(cst("2026-02-01 00:00")), cst("2026-02-17 00:00"));
  EXPECT_EQ(cal.add_business(cst("2026-02-16 23:00"), 2h), cst("2026-02-18 01:00"));
}

TEST(Versions, BuilderVersionsStartClosed) {
  const Calendar cal = CalendarBuilder{"Asia/Shanghai"}
                           .hours(Weekday::mon, {{9 * H, 17 * H}})
                           .hours(Weekday::tue, {{9 * H, 17 * H}})
                           .version_from(ymd(2025, 7, 1))
                           .hours(Weekday::tue, {{10 * H, 12 * H}})
                           .build();
  EXPECT_TRUE(cal.is_open(cst("2025-06-30 10:00")));   // Monday, version 0
  EXPECT_FALSE(cal.is_open(cst("2025-07-07 10:00")));  // Monday, version 1: closed
  EXPECT_TRUE(cal.is_open(cst("2025-07-01 11:00")));
  EXPECT_FALSE(cal.is_open(cst("2025-07-01 13:00")));
}

TEST(Versions, AnOvernightIntervalBelongsToTheVersionOfItsStartDay) {
  // Version 0 has a Monday night shift; version 1, effective Tuesday 2025-07-01, has none.
  const Calendar cal = CalendarBuilder{"Asia/Shanghai"}
                           .hours(Weekday::mon, {{22 * H, 30 * H}})
                           .version_from(ymd(2025, 7, 1))
                           .hours(Weekday::tue, {{9 * H, 17 * H}})
                           .build();
  EXPECT_TRUE(cal.is_open(cst("2025-07-01 05:00")));
  const auto segs = cal.explain(cst("2025-06-30 00:00"), cst("2025-07-02 00:00"));
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].version, 0);
  EXPECT_EQ(segs[0].date, ymd(2025, 6, 30));
  EXPECT_EQ(segs[0].end, cst("2025-07-01 06:00"));
  EXPECT_EQ(segs[1].version, 1);
  EXPECT_FALSE(cal.is_open(cst("2025-07-07 23:00")));
}

// ---------------------------------------------------------------------------------------------
// JSON round trip

void expect_round_trip(const Calendar& cal) {
  const std::string text = cal.to_json();
  const Calendar again = Calendar::from_json(text);
  EXPECT_EQ(again.to_json(), text);
  EXPECT_EQ(again.name(), cal.name());
  EXPECT_EQ(again.time_zone(), cal.time_zone());
  expect_same_answers(cal, again, 4, 300);
}

TEST(RoundTrip, ToJsonThenFromJsonIsTheSameCalendar) {
  expect_round_trip(shanghai());
  expect_round_trip(Calendar::from_json(kVersionedJson));
  expect_round_trip(Calendar::from_json(shanghai_json_with_cache(2025, 2024)));
  expect_round_trip(overnight_builder().half_day(ymd(2025, 3, 8), {{60, 180}}, "x").build());
  expect_round_trip(Calendar::always_open("Europe/Amsterdam"));
}

TEST(RoundTrip, KeepsUnicodeNames) {
  const Calendar cal = CalendarBuilder{"Asia/Shanghai"}
                           .name("省政府办公厅")
                           .hours(Weekday::mon, {{9 * H, 17 * H}})
                           .holiday(ymd(2025, 1, 29), "春节")
                           .build();
  const Calendar again = Calendar::from_json(cal.to_json());
  EXPECT_EQ(again.name(), "省政府办公厅");
  EXPECT_EQ(again.day_name(ymd(2025, 1, 29)), "春节");
}

TEST(RoundTrip, CanonicalForm) {
  const auto doc = nlohmann::json::parse(shanghai().to_json());
  EXPECT_EQ(doc["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(doc["hours"]["mon"], nlohmann::json::array({"08:30-12:00", "13:30-17:30"}));
  EXPECT_EQ(doc["hours"]["sat"], nlohmann::json::array());
  // Ranges are written one date per entry: 28 holidays and 5 make-up days.
  ASSERT_EQ(doc["days"].size(), 33u);
  EXPECT_EQ(doc["days"][0]["date"], "2025-01-01");
  EXPECT_EQ(doc["days"][0]["kind"], "holiday");
  EXPECT_FALSE(doc.contains("cache"));
  const auto no_cache =
      nlohmann::json::parse(Calendar::from_json(shanghai_json_with_cache(2025, 2024)).to_json());
  EXPECT_EQ(no_cache["cache"]["from_year"], 2025);
  EXPECT_EQ(no_cache["cache"]["to_year"], 2024);
  const auto versioned = nlohmann::json::parse(Calendar::from_json(kVersionedJson).to_json());
  EXPECT_EQ(versioned["versions"][0]["effective_from"], "2025-07-01");
  EXPECT_EQ(versioned["versions"][1]["always_open"], true);
  EXPECT_EQ(versioned["days"][0]["as"], "fri");
  EXPECT_FALSE(versioned["days"][1].contains("as"));
}

// ---------------------------------------------------------------------------------------------
// JSON errors: code invalid_definition, where() the exact JSON pointer.

struct BadJson {
  std::string json;
  std::string where;
  std::string message;  // a substring of the message
};

// A valid prefix to which each case appends its own members.
std::string doc(const std::string& members) {
  return R"({"time_zone": "Asia/Shanghai", )" + members + "}";
}
const std::string kHours = R"("hours": {"mon-fri": ["09:00-17:00"]})";
std::string days(const std::string& list) { return doc(kHours + R"(, "days": [)" + list + "]"); }

void expect_json_errors(const std::vector<BadJson>& cases) {
  for (const BadJson& c : cases) {
    const Error e = catch_error([&] { Calendar::from_json(c.json); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition) << c.json;
    EXPECT_EQ(e.where(), c.where) << c.json << "\n" << e.what();
    EXPECT_NE(e.message().find(c.message), std::string::npos)
        << c.json << "\nmessage: " << e.message() << "\nexpected: " << c.message;
  }
}

TEST(JsonErrors, TimeZone) {
  expect_json_errors({
      {R"({"time_zone": "Asia/Shanghia", "hours": {"mon": ["09:00-17:00"]}})", "/time_zone",
       "unknown time zone \"Asia/Shanghia\""},
      {R"({"hours": {"mon": ["09:00-17:00"]}})", "/time_zone", "missing required field"},
      {R"({"time_zone": 8, "hours": {"mon": ["09:00-17:00"]}})", "/time_zone",
       "expected a string, found integer"},
  });
}

TEST(JsonErrors, Intervals) {
  expect_json_errors({
      {doc(R"("hours": {"mon": ["09:00-12:00", "11:00-13:00"]})"), "/hours/mon/1",
       "11:00-13:00 overlaps 09:00-12:00 (/hours/mon/0)"},
      // Pointers keep the index as written, although the intervals are sorted.
      {doc(R"("hours": {"mon-fri": ["13:00-18:00", "08:00-13:30"]})"), "/hours/mon-fri/0",
       "13:00-18:00 overlaps 08:00-13:30 (/hours/mon-fri/1)"},
      {doc(R"("hours": {"tue": ["18:00-09:00"]})"), "/hours/tue/0", "end before start"},
      {doc(R"("hours": {"tue": ["09:00-09:00"]})"), "/hours/tue/0", "end before start"},
      {doc(R"("hours": {"mon": ["9:00-17:00"]})"), "/hours/mon/0",
       "expected \"HH:MM-HH:MM\" with 00:00 <= time < 24:00, found \"9:00-17:00\""},
      {doc(R"("hours": {"mon": ["25:00-26:00"]})"), "/hours/mon/0", "found \"25:00-26:00\""},
      {doc(R"("hours": {"mon": ["22:00-24:00+1"]})"), "/hours/mon/0", "found \"22:00-24:00+1\""},
      {doc(R"("hours": {"mon": ["0900"]})"), "/hours/mon/0",
       "expected \"HH:MM-HH:MM\", found \"0900\""},
      {doc(R"("hours": {"mon": ["08:00-09:00+1"]})"), "/hours/mon/0",
       "an interval may not be longer than 24 hours"},
      {doc(R"("hours": {"fri": ["22:00-03:00+1"], "sat": ["02:00-05:00"]})"), "/hours/fri/0",
       "22:00-03:00+1 runs past midnight into sat 02:00-05:00"},
      {doc(R"("hours": {"mon-fri": ["22:00-02:00+1", "01:00-03:00"]})"), "/hours/mon-fri/0",
       "22:00-02:00+1 runs past midnight into tue 01:00-03:00"},
      {doc(R"("hours": {"mon": ["01:00-05:00"], "sun": ["23:00-01:30+1"]})"), "/hours/sun/0",
       "runs past midnight into mon 01:00-05:00"},
      {doc(R"("hours": {"mon": ["09:00-12:00"], "mon-fri": ["13:00-17:00"]})"), "/hours/mon-fri",
       "mon is given twice"},
  });
  // Touching is not overlapping, also across midnight.
  EXPECT_NO_THROW(Calendar::from_json(
      doc(R"("hours": {"mon": ["09:00-12:00", "12:00-13:00"], "fri": ["22:00-02:00+1"],
                       "sat": ["02:00-05:00"]})")));
}

TEST(JsonErrors, Weekdays) {
  expect_json_errors({
      {doc(R"("hours": {"mon-fry": ["09:00-17:00"]})"), "/hours/mon-fry",
       "unknown day \"mon-fry\""},
      {doc(R"("hours": {"fri-mon": ["09:00-17:00"]})"), "/hours/fri-mon", "unknown day"},
      {doc(R"("hours": {"Monday": ["09:00-17:00"]})"), "/hours/Monday", "unknown day"},
      {days(R"({"date": "2025-01-26", "kind": "workday", "as": "monday"})"), "/days/0/as",
       "unknown weekday \"monday\" (mon..sun)"},
      {days(R"({"date": "2025-01-26", "kind": "holiday", "as": "mon"})"), "/days/0/as",
       "\"as\" applies to a workday only"},
  });
}

TEST(JsonErrors, Dates) {
  expect_json_errors({
      {days(R"({"date": "2025-02-29", "kind": "holiday"})"), "/days/0/date",
       "expected a date YYYY-MM-DD, found \"2025-02-29\""},
      {days(R"({"date": "2025-1-1", "kind": "holiday"})"), "/days/0/date", "expected a date"},
      {days(R"({"date": "2025-01-01T00:00", "kind": "holiday"})"), "/days/0/date",
       "expected a date"},
      {days(R"({"from": "2025-01-28", "to": "2025-02-30", "kind": "holiday"})"), "/days/0/to",
       "expected a date"},
      {days(R"({"from": "2025-02-04", "to": "2025-01-28", "kind": "holiday"})"), "/days/0/to",
       "end before start"},
      {days(R"({"from": "2025-01-01", "to": "2026-01-03", "kind": "holiday"})"), "/days/0/to",
       "at most 366 days"},
      {days(R"({"date": "1899-12-31", "kind": "holiday"})"), "/days/0/date",
       "invalid date (years 1900 to 2300)"},
      // A range has no "date" member: the entry is named.
      {days(R"({"from": "2300-12-31", "to": "2301-01-01", "kind": "holiday"})"), "/days/0",
       "invalid date (years 1900 to 2300)"},
      {days(R"({"date": "2025-01-01", "from": "2025-01-01", "kind": "holiday"})"), "/days/0/date",
       "give either date or from/to"},
      {days(R"({"kind": "holiday"})"), "/days/0", "missing required field \"date\""},
      {days(R"({"to": "2025-01-02", "kind": "holiday"})"), "/days/0", "missing required field"},
      {days(R"({"from": "2025-01-02", "kind": "holiday"})"), "/days/0/to",
       "missing required field"},
      {doc(kHours + R"(, "versions": [{"effective_from": "2025-13-01", "hours": {}}])"),
       "/versions/0/effective_from", "expected a date YYYY-MM-DD, found \"2025-13-01\""},
      {doc(kHours +
           R"(, "versions": [{"effective_from": "1850-01-01", "hours": {"mon": ["09:00-10:00"]}}])"),
       "/versions/0/effective_from", "invalid date (years 1900 to 2300)"},
      {doc(kHours + R"(, "versions": [{"hours": {"mon": ["09:00-10:00"]}}])"),
       "/versions/0/effective_from", "missing required field"},
  });
}

TEST(JsonErrors, DuplicateDates) {
  expect_json_errors({
      {days(
           R"({"date": "2025-10-01", "kind": "holiday"}, {"date": "2025-10-01", "kind": "workday"})"),
       "/days/1/date", "2025-10-01 is already defined at /days/0"},
      {days(R"({"from": "2025-10-01", "to": "2025-10-08", "kind": "holiday"},
               {"date": "2025-10-08", "kind": "workday"})"),
       "/days/1/date", "2025-10-08 is already defined at /days/0"},
      {days(R"({"date": "2025-10-03", "kind": "holiday"},
               {"from": "2025-10-01", "to": "2025-10-08", "kind": "holiday"})"),
       "/days/1", "2025-10-03 is already defined at /days/0"},
      {days(R"({"date": "2025-10-03", "kind": "holiday"},
               {"from": "2025-10-03", "to": "2025-10-03", "kind": "workday"})"),
       "/days/1", "2025-10-03 is already defined at /days/0"},
  });
}

TEST(JsonErrors, UnknownFields) {
  expect_json_errors({
      {doc(kHours + R"(, "holidays": [])"), "/holidays", "unknown field"},
      {days(R"({"date": "2025-01-01", "kind": "holiday", "nmae": "typo"})"), "/days/0/nmae",
       "unknown field"},
      {doc(kHours +
           R"(, "versions": [{"effective_from": "2026-01-01", "hours": {"mon": ["09:00-10:00"]}, "huors": {}}])"),
       "/versions/0/huors", "unknown field"},
      {doc(kHours + R"(, "cache": {"from_year": 2025, "to_year": 2030, "from": 1})"), "/cache/from",
       "unknown field"},
      {days(R"({"date": "2025-01-01", "kind": "vacation"})"), "/days/0/kind",
       "unknown kind \"vacation\""},
  });
}

TEST(JsonErrors, WrongTypes) {
  expect_json_errors({
      {doc(R"("hours": [])"), "/hours", "expected an object, found array"},
      {doc(R"("hours": {"mon": "09:00-17:00"})"), "/hours/mon", "expected an array"},
      {doc(R"("hours": {"mon": [900]})"), "/hours/mon/0", "expected a string"},
      {doc(kHours + R"(, "days": {})"), "/days", "expected an array, found object"},
      {days(R"("2025-01-01")"), "/days/0", "expected an object, found string"},
      {days(R"({"date": 20250101, "kind": "holiday"})"), "/days/0/date",
       "expected a string, found integer"},
      {days(R"({"date": "2025-01-01", "kind": "holiday", "name": null})"), "/days/0/name",
       "expected a string, found null"},
      {days(R"({"date": "2025-12-31", "kind": "half_day", "hours": "09:00-12:00"})"),
       "/days/0/hours", "expected an array, found string"},
      {days(R"({"date": "2025-12-31", "kind": "half_day", "hours": [9]})"), "/days/0/hours/0",
       "expected a string"},
      {doc(kHours + R"(, "always_open": "yes")"), "/always_open",
       "expected true or false, found string"},
      {doc(kHours + R"(, "name": 5)"), "/name", "expected a string, found integer"},
      {doc(kHours + R"(, "versions": {})"), "/versions", "expected an array, found object"},
      {doc(kHours + R"(, "versions": [[]])"), "/versions/0", "expected an object, found array"},
      {doc(kHours + R"(, "cache": {"from_year": "2025", "to_year": 2024})"), "/cache/from_year",
       "expected an integer, found string"},
      {doc(kHours + R"(, "cache": {"from_year": 2025.5, "to_year": 2024})"), "/cache/from_year",
       "expected an integer, found number"},
      {doc(kHours + R"(, "cache": [])"), "/cache", "expected an object, found array"},
      {"[]", "/", "expected an object, found array"},
  });
}

TEST(JsonErrors, DayRules) {
  expect_json_errors({
      {days(R"({"date": "2025-01-01", "kind": "holiday", "hours": ["09:00-12:00"]})"),
       "/days/0/hours", "hours are only allowed on a half_day"},
      {days(R"({"date": "2025-01-26", "kind": "workday", "hours": ["09:00-12:00"]})"),
       "/days/0/hours", "hours are only allowed on a half_day"},
      {days(R"({"date": "2025-12-31", "kind": "half_day"})"), "/days/0/hours",
       "a half_day needs its opening hours"},
      {days(
           R"({"date": "2025-12-31", "kind": "half_day", "hours": ["09:00-12:00", "11:00-13:00"]})"),
       "/days/0/hours/1", "overlaps"},
      {days(R"({"date": "2025-12-31", "kind": "half_day", "hours": ["9-12"]})"), "/days/0/hours/0",
       "expected \"HH:MM-HH:MM\""},
      {days(R"({"date": "2025-01-01"})"), "/days/0/kind", "missing required field"},
  });
}

TEST(JsonErrors, Versions) {
  const std::string v = R"({"effective_from": "%s", "hours": {"mon": ["09:00-10:00"]}})";
  auto version = [&](const char* date) {
    std::string s = v;
    return s.replace(s.find("%s"), 2, date);
  };
  expect_json_errors({
      {doc(kHours + R"(, "versions": [)" + version("2025-07-01") + ", " + version("2025-03-01") +
           "]"),
       "/versions/1/effective_from", "effective_from must be later than the previous version's"},
      {doc(kHours + R"(, "versions": [)" + version("2025-07-01") + ", " + version("2025-07-01") +
           "]"),
       "/versions/1/effective_from", "later than the previous"},
      {doc(R"("always_open": true, "hours": {"mon": ["09:00-10:00"]})"), "/hours",
       "give either always_open or hours, not both"},
      {doc(kHours +
           R"(, "versions": [{"effective_from": "2026-01-01", "always_open": true, "hours": {}}])"),
       "/versions/0/hours", "give either always_open or hours, not both"},
  });
}

TEST(JsonErrors, LastVersionWithoutHours) {
  expect_json_errors({
      {R"({"time_zone": "Asia/Shanghai"})", "/hours", "no opening hours in the last version"},
      {doc(R"("hours": {})"), "/hours", "no opening hours in the last version"},
      {doc(R"("hours": {"mon-sun": []})"), "/hours", "no opening hours in the last version"},
      {doc(kHours + R"(, "versions": [{"effective_from": "2026-01-01", "hours": {}}])"),
       "/versions/0/hours", "no opening hours in the last version"},
      {doc(kHours + R"(, "versions": [{"effective_from": "2026-01-01"}])"), "/versions/0/hours",
       "no opening hours in the last version"},
  });
  // An earlier version may be closed.
  EXPECT_NO_THROW(Calendar::from_json(doc(
      R"("hours": {}, "versions": [{"effective_from": "2026-01-01", "hours": {"mon": ["09:00-10:00"]}}])")));
}

TEST(JsonErrors, CacheYears) {
  expect_json_errors({
      {doc(kHours + R"(, "cache": {"from_year": 1800, "to_year": 2024})"), "/cache",
       "years must lie within 1900..2300"},
      {doc(kHours + R"(, "cache": {"from_year": 2025, "to_year": 2400})"), "/cache",
       "years must lie within 1900..2300"},
      {doc(kHours + R"(, "cache": {"from_year": 2025})"), "/cache/to_year",
       "missing required field"},
  });
}

TEST(JsonErrors, SyntaxAndDepth) {
  const Error syntax = catch_error([] {
    Calendar::from_json("{\n  \"time_zone\": \"Asia/Shanghai\",\n  \"hours\": {\"mon\": []},\n}");
  });
  EXPECT_EQ(syntax.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(syntax.where(), "line 4, column 1");
  EXPECT_EQ(syntax.message().rfind("invalid JSON", 0), 0u);
  const Error deep = catch_error([] {
    Calendar::from_json(R"({"time_zone": "Asia/Shanghai", "x": )" + std::string(100, '[') +
                        std::string(100, ']') + "}");
  });
  EXPECT_EQ(deep.code(), ErrorCode::limit);
}

TEST(JsonErrors, ValidationReportsEveryProblemAtOnce) {
  const Error e = catch_error([] {
    Calendar::from_json(R"({"time_zone": "Nowhere/City", "hours": {"mon": ["09:00-17:00"]},
      "days": [{"date": "1850-01-01", "kind": "holiday"},
               {"date": "2025-01-01", "kind": "holiday"},
               {"date": "2025-01-01", "kind": "holiday"}]})");
  });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  ASSERT_EQ(e.diagnostics().size(), 3u);
  EXPECT_EQ(e.diagnostics()[0].where, "/time_zone");
  EXPECT_EQ(e.diagnostics()[1].where, "/days/0/date");
  EXPECT_EQ(e.diagnostics()[2].where, "/days/2/date");
  EXPECT_EQ(std::string(e.what()).rfind("3 problems:\n/time_zone: unknown time zone", 0), 0u)
      << e.what();
}

TEST(JsonErrors, LoadNamesTheFile) {
  const Error missing = catch_error([] { Calendar::load("/nonexistent/calendar.json"); });
  EXPECT_EQ(missing.code(), ErrorCode::io);
  EXPECT_EQ(missing.where(), "/nonexistent/calendar.json");

  const auto path = std::filesystem::temp_directory_path() /
                    ("hotline_calendar_test_" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".json");
  {
    std::ofstream out(path);
    out << R"({"time_zone": "Asia/Shanghai", "hours": {"mon": ["09:00-17:00"]}, "dayz": []})";
  }
  const Error bad = catch_error([&] { Calendar::load(path); });
  std::filesystem::remove(path);
  EXPECT_EQ(bad.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(bad.where(), path.string() + ": /dayz");
  EXPECT_EQ(bad.message(), "unknown field");
}

// ---------------------------------------------------------------------------------------------
// CalendarBuilder errors

void expect_build_error(const CalendarBuilder& b, const std::string& where,
                        const std::string& message) {
  const Error e = catch_error([&] { b.build(); });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(e.where(), where) << e.what();
  EXPECT_NE(e.message().find(message), std::string::npos) << e.message();
}

CalendarBuilder weekdays() {
  return std::move(CalendarBuilder{"Asia/Shanghai"}.hours(Weekday::mon, {{9 * H, 17 * H}}));
}

TEST(BuilderErrors, ValidatesLikeFromJson) {
  expect_build_error(CalendarBuilder{"Asia/Shanghia"}.hours(Weekday::mon, {{9 * H, 17 * H}}),
                     "/time_zone", "unknown time zone \"Asia/Shanghia\"");
  expect_build_error(CalendarBuilder{"Asia/Shanghai"}, "/hours",
                     "no opening hours in the last version");
  expect_build_error(weekdays().hours(Weekday::tue, {{9 * H, 12 * H}, {11 * H, 13 * H}}),
                     "/hours/tue/1", "11:00-13:00 overlaps 09:00-12:00 (/hours/tue/0)");
  expect_build_error(weekdays().hours(Weekday::tue, {{-10, 60}}), "/hours/tue/0",
                     "start must be within the day");
  expect_build_error(weekdays().hours(Weekday::tue, {{1440, 1500}}), "/hours/tue/0",
                     "start must be within the day");
  expect_build_error(weekdays().hours(Weekday::tue, {{600, 600}}), "/hours/tue/0",
                     "end before start");
  expect_build_error(weekdays().hours(Weekday::tue, {{600, 2100}}), "/hours/tue/0",
                     "longer than 24 hours");
  // The index is the caller's, although intervals are sorted internally.
  expect_build_error(weekdays()
                         .hours(Weekday::fri, {{23 * H, 27 * H}, {9 * H, 10 * H}})
                         .hours(Weekday::sat, {{2 * H, 4 * H}}),
                     "/hours/fri/0", "23:00-03:00+1 runs past midnight into sat 02:00-04:00");
  expect_build_error(weekdays().holiday(ymd(2025, 2, 30)), "/days/0/date", "invalid date");
  expect_build_error(weekdays().holiday(ymd(2301, 1, 1)), "/days/0/date", "invalid date");
  expect_build_error(weekdays().holiday(ymd(2025, 10, 1)).workday(ymd(2025, 10, 1)), "/days/1/date",
                     "2025-10-01 is already defined at /days/0");
  expect_build_error(weekdays().half_day(ymd(2025, 12, 31), {}), "/days/0/hours",
                     "a half_day needs its opening hours");
  expect_build_error(weekdays().version_from(ymd(2025, 7, 1)), "/versions/0/hours",
                     "no opening hours in the last version");
  expect_build_error(weekdays()
                         .version_from(ymd(2025, 7, 1))
                         .hours(Weekday::mon, {{60, 120}})
                         .version_from(ymd(2025, 7, 1))
                         .hours(Weekday::mon, {{60, 120}}),
                     "/versions/1/effective_from", "later than the previous version's");
  expect_build_error(weekdays().version_from(ymd(2025, 6, 31)).hours(Weekday::mon, {{60, 120}}),
                     "/versions/0/effective_from", "invalid date");
  expect_build_error(CalendarBuilder{"Asia/Shanghai"}.always_open().hours(Weekday::mon, {{0, 60}}),
                     "/hours/mon", "hours given for an always_open version");
  // Strings are UTF-8, as from_json requires: otherwise to_json() could not write them.
  expect_build_error(
      CalendarBuilder{"Asia/Shanghai"}.name("Caf\xe9").hours(Weekday::mon, {{0, 60}}), "/name",
      "not valid UTF-8");
  expect_build_error(weekdays().holiday(ymd(2025, 1, 1), "ok").holiday(ymd(2025, 1, 2), "\xff"),
                     "/days/1/name", "not valid UTF-8");
  expect_build_error(weekdays().cache_years(1800, 2024), "/cache", "cache years must lie within");
  expect_build_error(weekdays().cache_years(2000, 2500), "/cache", "cache years must lie within");
}

TEST(BuilderErrors, SeveralProblemsAtOnce) {
  const Error e = catch_error([] {
    CalendarBuilder{"Asia/Shanghai"}
        .hours(Weekday::mon, {{600, 500}})
        .holiday(ymd(2025, 2, 30))
        .build();
  });
  ASSERT_EQ(e.diagnostics().size(), 2u);
  EXPECT_EQ(e.diagnostics()[0].where, "/hours/mon/0");
  EXPECT_EQ(e.diagnostics()[1].where, "/days/0/date");
}

TEST(Builder, DatesAtTheEdgesOfTheSupportedRange) {
  // Dates anywhere in 1900..2300 are valid, and the default cache follows them.
  const Calendar cal =
      weekdays().holiday(ymd(1900, 1, 1), "first").holiday(ymd(2300, 12, 25), "last").build();
  EXPECT_EQ(cal.day_kind(ymd(1900, 1, 1)), DayKind::holiday);
  EXPECT_EQ(cal.day_kind(ymd(2300, 12, 25)), DayKind::holiday);
  EXPECT_TRUE(cal.is_open(cst("2025-01-27 10:00")));   // a Monday
  EXPECT_FALSE(cal.is_open(cst("1900-01-01 10:00")));  // a Monday, but the holiday
  EXPECT_TRUE(cal.is_open(cst("1900-01-08 10:00")));
}

TEST(Builder, MatchesTheJsonDefinition) {
  // The example calendar written in code.
  CalendarBuilder b{"Asia/Shanghai"};
  b.name("Provincial department, Asia/Shanghai, 2025 (State Council holiday schedule)");
  for (Weekday d : {Weekday::mon, Weekday::tue, Weekday::wed, Weekday::thu, Weekday::fri}) {
    b.hours(d, {{8 * H + 30, 12 * H}, {13 * H + 30, 17 * H + 30}});
  }
  auto holidays = [&](year_month_day from, int n, const char* name) {
    for (int i = 0; i < n; ++i) {
      b.holiday(year_month_day{chr::sys_days{from} + chr::days{i}}, name);
    }
  };
  holidays(ymd(2025, 1, 1), 1, "New Year's Day");
  b.workday(ymd(2025, 1, 26), "Spring Festival make-up workday (Sunday)");
  holidays(ymd(2025, 1, 28), 8, "Spring Festival");
  b.workday(ymd(2025, 2, 8), "Spring Festival make-up workday (Saturday)");
  holidays(ymd(2025, 4, 4), 3, "Qingming Festival");
  b.workday(ymd(2025, 4, 27), "Labour Day make-up workday (Sunday)");
  holidays(ymd(2025, 5, 1), 5, "Labour Day");
  holidays(ymd(2025, 5, 31), 3, "Dragon Boat Festival");
  b.workday(ymd(2025, 9, 28), "National Day make-up workday (Sunday)");
  holidays(ymd(2025, 10, 1), 8, "National Day and Mid-Autumn Festival");
  b.workday(ymd(2025, 10, 11), "National Day make-up workday (Saturday)");
  const Calendar cal = b.build();
  EXPECT_EQ(cal.to_json(), shanghai().to_json());
  expect_same_answers(cal, shanghai(), 5, 500);
}

}  // namespace
