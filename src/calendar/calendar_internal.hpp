// Internal: segment generation shared by the queries and the cache builder.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "calendar/calendar_data.hpp"

namespace hotline::calendar::detail {

LocalDays local_days(std::chrono::year_month_day ymd);
/// Local wall-clock milliseconds -> UTC under the documented DST rule.
std::int64_t local_to_utc_ms(const date::time_zone* zone, std::int64_t local_ms);
std::int64_t utc_to_local_ms(const date::time_zone* zone, std::int64_t utc_ms);
LocalDays local_day_of(const CalendarData& c, std::int64_t utc_ms);
using SegmentBuffer = boost::container::small_vector<RawSegment, 8>;

std::size_t version_index(const CalendarData& c, LocalDays d);
/// Appends the open segments of local date d (before overlap clipping).
void day_segments(const CalendarData& c, LocalDays d, SegmentBuffer& out);
/// Materialises the segments of local years [c.cache_first, c.cache_last] into c's mutable cache
/// (last < first: none). Called once, by the first query (see CalendarData).
void build_cache(const CalendarData& c);

/// Walks the open segments of local dates [first_day, last_day] in time order, non-overlapping.
class Cursor {
 public:
  Cursor(const CalendarData& c, LocalDays first_day, LocalDays last_day);
  /// The next segment, or nullptr after last_day. The pointer is valid until the next call.
  const RawSegment* next();

 private:
  const CalendarData& c_;
  LocalDays day_;
  LocalDays last_;
  SegmentBuffer buf_;
  std::size_t idx_ = 0;
  std::int64_t last_end_ = INT64_MIN;
};

}  // namespace hotline::calendar::detail
