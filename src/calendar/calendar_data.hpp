// Internal: the immutable representation behind hotline::calendar::Calendar.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <date/tz.h>
#include <boost/container/flat_map.hpp>

#include <hotline/calendar/calendar.hpp>

namespace hotline::calendar::detail {

using LocalDays = std::int32_t;  // days since 1970-01-01 of a *local* date

struct VersionData {
  LocalDays from = 0;
  bool always_open = false;
  WeeklyHours hours;
  std::string where;  // JSON pointer of the version, for messages
};

struct DayRule {
  DayKind kind = DayKind::regular;
  std::vector<Interval> hours;  // half_day only
  std::string name;
  Weekday as = Weekday::mon;  // workday only
  std::string where;
};

// One open segment with the rule that made it, in milliseconds since the epoch.
struct RawSegment {
  std::int64_t start = 0;
  std::int64_t end = 0;
  LocalDays day = 0;
  std::int16_t version = 0;
  DayKind kind = DayKind::regular;
};

struct CalendarData {
  std::string name;
  std::string zone_name;
  const date::time_zone* zone = nullptr;
  std::vector<VersionData> versions;  // sorted by from; versions[0] applies before its date too
  boost::container::flat_map<LocalDays, DayRule> days;
  bool trivially_open = false;  // 7x24 everywhere, no special days: arithmetic answers
  bool cache_set = false;       // cache years configured explicitly
  int cache_from_year = 0, cache_to_year = 0;

  // Materialised segments of the local dates of years cache_first..cache_last (none if last <
  // first) and the day before; exact for instants in [cache_begin, cache_end). cum[i] = open
  // milliseconds before segment i. Built by the first query that looks (std::call_once: queries
  // may come from several threads), not at load: a definition that embeds a calendar and is only
  // validated, or a calendar asked about one week, does not pay for sixteen years of segments.
  // A cache that could not be built stays empty and every query takes the exact slow path.
  int cache_first = 0, cache_last = -1;
  mutable std::once_flag cache_once;
  mutable std::int64_t cache_begin = 0, cache_end = 0;
  mutable std::vector<std::int64_t> seg_start, seg_end, cum;
};

}  // namespace hotline::calendar::detail
