// hotline calendar: business hours, holidays and make-up working days in an IANA time zone.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hotline/core/time.hpp>

namespace hotline::calendar {

namespace detail {
struct CalendarData;
}

/// Local wall-clock interval of one day, in minutes after local midnight: [start, end).
/// end may exceed 1440 (up to 2880) for an interval that runs past midnight into the next day;
/// it then still belongs to the day it starts on (a holiday closes the intervals that *start* on
/// it).
struct Interval {
  int start = 0;
  int end = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// Days of the week, Monday first (ISO 8601 numbering minus one).
enum class Weekday { mon = 0, tue, wed, thu, fri, sat, sun };

/// Opening hours for each weekday, indexed by Weekday. Intervals sorted, not overlapping.
using WeeklyHours = std::array<std::vector<Interval>, 7>;

/// What kind of day produced an open segment.
enum class DayKind {
  regular,   ///< The weekly hours of the version in effect.
  holiday,   ///< Closed all day (never produces segments; reported by day_kind()).
  half_day,  ///< A holiday with reduced hours, given explicitly.
  workday,   ///< A make-up working day (e.g. a Sunday worked before Spring Festival).
};

/// Parses "09:00-18:00", "00:00-24:00" or "22:00-02:00+1" (past midnight). Throws hotline::Error
/// (invalid_argument) on anything else.   `parse_interval("08:30-12:00") == Interval{510, 720}`
Interval parse_interval(std::string_view text);
/// Formats an interval in the same notation ("22:00-02:00+1").
std::string format_interval(Interval interval);

/// Short name of a day kind: "regular", "holiday", "half_day", "workday".
const char* to_string(DayKind kind) noexcept;

/// One open stretch of business time, with the rule that produced it: the explanation of a result.
struct Segment {
  Instant start;                     ///< UTC, inclusive.
  Instant end;                       ///< UTC, exclusive.
  std::chrono::year_month_day date;  ///< The local date whose rule produced the segment.
  DayKind kind = DayKind::regular;   ///< Which rule.
  std::string name;                  ///< Name of the special day ("" for regular days).
  int version = 0;                   ///< Index of the weekly-hours version in effect that day.
};

/// An immutable business calendar. Cheap to copy (shares its data), safe to use from many
/// threads at once. Build one with Calendar::from_json, Calendar::load or CalendarBuilder.
///
/// Time zone rule (DST): an opening or closing time is the first instant at which the local wall
/// clock shows that time or later. So a boundary inside a spring-forward gap (02:30 in
/// America/New_York on the second Sunday of March) falls on the instant the gap ends (03:00 EDT),
/// and a boundary inside a fall-back overlap (01:30 on the first Sunday of November) falls on its
/// first occurrence (EDT). Business time is always measured in real elapsed UTC time, so a 00:00–
/// 04:00 interval on a fall-back night contains five hours and on a spring-forward night three.
///
///   auto cal = hotline::calendar::Calendar::load("examples/calendars/shanghai-dept-2025.json");
///   hotline::Instant due = cal.add_business(received, std::chrono::hours{16});
class Calendar {
 public:
  /// Parses and validates a JSON definition (see docs/calendar.md). Throws hotline::Error with
  /// code invalid_definition whose where() is the JSON pointer of the bad field, or the line and
  /// column of a syntax error.
  static Calendar from_json(std::string_view json);
  /// Reads a JSON definition from a file; errors are prefixed with the path.
  static Calendar load(const std::filesystem::path& path);
  /// A 7x24 calendar (always open) in the given IANA zone.
  static Calendar always_open(std::string_view time_zone = "Asia/Shanghai");

  const std::string& name() const noexcept;
  /// IANA zone name, e.g. "Asia/Shanghai".
  const std::string& time_zone() const noexcept;

  /// Whether business is open at t.
  bool is_open(Instant t) const noexcept;
  /// The first instant >= t at which the calendar is open (t itself when open). nullopt only for a
  /// calendar that never opens again within ten years of t.
  std::optional<Instant> next_open(Instant t) const noexcept;
  /// The first instant >= t at which the calendar goes from open to closed (the end of the open
  /// stretch containing t, or of the next one). nullopt when it stays open for ten years (7x24).
  std::optional<Instant> next_close(Instant t) const noexcept;
  /// The deadline after d of business time counted from t: the earliest instant u with
  /// business_between(t, u) == d. d == 0 gives t. Throws hotline::Error (invalid_argument) for
  /// d < 0 or d longer than 100 years.
  Instant add_business(Instant t, Duration d) const;
  /// Business time in [a, b); negative when b < a. Saturates at Duration::max() (only a 7x24
  /// calendar over more than 292 million years gets there). A calendar with hours counts only
  /// its domain, the years 1900 to 2300 (so a query over millennia stays bounded).
  Duration business_between(Instant a, Instant b) const noexcept;
  /// The open segments that intersect [a, b) within the years 1900 to 2300, clipped to it: the
  /// explanation of
  /// business_between(a, b) and of add_business(a, d) when b is its result.
  std::vector<Segment> explain(Instant a, Instant b) const;

  /// The kind of a local date: holiday, half_day, workday or regular.
  DayKind day_kind(std::chrono::year_month_day date) const noexcept;
  /// The name given to a special date ("" for regular days); a view into the calendar's storage.
  std::string_view day_name(std::chrono::year_month_day date) const noexcept;
  /// The local date at instant t in this calendar's zone.
  std::chrono::year_month_day local_date(Instant t) const noexcept;
  /// Parses "2025-01-27 09:00[:ss]" or "2025-01-27T09:00" as local time in this calendar's zone
  /// (same DST rule as opening hours), or any ISO 8601 instant with an offset / Z.
  Instant parse_time(std::string_view text) const;
  /// Formats t in this calendar's zone, e.g. "2025-01-27T09:00:00+08:00".
  std::string format_time(Instant t) const;

  /// Canonical JSON definition (round-trips through from_json).
  std::string to_json() const;

 private:
  friend class CalendarBuilder;
  explicit Calendar(std::shared_ptr<const detail::CalendarData> data) noexcept;
  std::shared_ptr<const detail::CalendarData> data_;
};

/// Builds a calendar in code; build() validates exactly as from_json does.
///   auto cal = CalendarBuilder{"Asia/Shanghai"}
///                  .hours(Weekday::mon, {{9 * 60, 18 * 60}})
///                  .holiday({2025y, std::chrono::October, 1d}, "National Day")
///                  .build();
class CalendarBuilder {
 public:
  explicit CalendarBuilder(std::string time_zone);
  CalendarBuilder& name(std::string name);
  /// Open every day, all day (7x24), for the version being built.
  CalendarBuilder& always_open();
  /// Sets the intervals of one weekday for the version being built.
  CalendarBuilder& hours(Weekday day, std::vector<Interval> intervals);
  /// Starts a new weekly-hours version effective from the given local date; it begins closed.
  CalendarBuilder& version_from(std::chrono::year_month_day date);
  /// Closed all day.
  CalendarBuilder& holiday(std::chrono::year_month_day date, std::string name = {});
  /// A holiday with reduced hours.
  CalendarBuilder& half_day(std::chrono::year_month_day date, std::vector<Interval> intervals,
                            std::string name = {});
  /// A make-up working day with the hours of weekday `as` in the version in effect.
  CalendarBuilder& workday(std::chrono::year_month_day date, std::string name = {},
                           Weekday as = Weekday::mon);
  /// Local years whose open segments are precomputed for fast queries (others are computed on
  /// the fly with identical results). Default: 2020..2035 widened to the years the definition
  /// names. to_year < from_year disables the cache.
  CalendarBuilder& cache_years(int from_year, int to_year);
  /// Validates and returns the calendar. Throws hotline::Error (invalid_definition).
  Calendar build() const;

 private:
  friend class Calendar;
  struct Version {
    std::chrono::year_month_day from;
    bool always_open = false;
    WeeklyHours hours;
    std::string where;  // JSON pointer of the version ("" for the top-level hours)
  };
  struct Day {
    std::chrono::year_month_day date;
    DayKind kind;
    std::vector<Interval> hours;
    std::string name;
    Weekday as = Weekday::mon;
    std::string where;            // JSON pointer of the entry ("/days/3")
    std::string date_where = {};  // its date, when not where + "/date" (a from/to range)
  };
  std::string zone_;
  std::string name_;
  std::vector<Version> versions_;
  std::vector<Day> days_;
  bool cache_set_ = false;
  int cache_from_ = 0;
  int cache_to_ = 0;
};

}  // namespace hotline::calendar
