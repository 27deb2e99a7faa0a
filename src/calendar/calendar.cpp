#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "calendar/calendar_data.hpp"
#include "calendar/calendar_internal.hpp"
#include "core/saturate.hpp"
#include "core/time_parse.hpp"

namespace hotline::calendar {

using detail::CalendarData;
using detail::LocalDays;
using detail::RawSegment;

namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 86'400'000;
// next_open / next_close give up after this many days without an answer.
constexpr LocalDays kSearchHorizonDays = 3660;
// add_business gives up (Error::limit) after this many days; validation makes it unreachable
// for any calendar that opens at least once a week in its last version.
constexpr LocalDays kAddHorizonDays = 200 * 366;

std::chrono::year_month_day to_ymd(LocalDays d) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{d}}};
}

Weekday weekday_of(LocalDays d) {
  const std::chrono::weekday wd{std::chrono::sys_days{std::chrono::days{d}}};
  return static_cast<Weekday>(wd.iso_encoding() - 1);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The calendar's domain: definitions may name years 1900 to 2300 (calendar_build.cpp); business
// time outside it is not counted, so that a query over millennia stays bounded (~146,000 days),
// and a calendar with hours is closed outside it (which also keeps every local-time conversion
// far from int64 overflow).
constexpr std::int64_t kDomainStartMs = -2'209'075'200'000;  // 1899-12-31T00:00:00Z
constexpr std::int64_t kDomainEndMs = 10'445'414'400'000;    // 2301-01-02T00:00:00Z

bool outside_domain(std::int64_t ms) noexcept { return ms < kDomainStartMs || ms >= kDomainEndMs; }

}  // namespace

namespace detail {

LocalDays local_days(std::chrono::year_month_day ymd) {
  return static_cast<LocalDays>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

namespace {

// Seconds of a tz range bound -> milliseconds, saturating (the first and last ranges of a zone
// reach the ends of time).
std::int64_t bound_ms(std::int64_t seconds) noexcept {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 1000;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min() / 1000;
  if (seconds >= kMax) return std::numeric_limits<std::int64_t>::max();
  if (seconds <= kMin) return std::numeric_limits<std::int64_t>::min();
  return seconds * 1000;
}

// The last answer of a time-zone lookup, per thread and direction: a span of input instants over
// which the offset is constant (and, local to UTC, every wall-clock time unique). The tz
// database's lookups cost hundreds of instructions each, while consecutive conversions (a
// calendar's segments, a day's records) nearly always fall in the same span.
struct OffsetSpan {
  const date::time_zone* zone = nullptr;
  std::int64_t lo = 0, hi = 0;  // [lo, hi)
  std::int64_t offset_ms = 0;
};
thread_local OffsetSpan t_local_span;
thread_local OffsetSpan t_utc_span;

// Offsets differ by less than two days across any transition (the largest jumps are a day).
constexpr std::int64_t kSpanMarginMs = 2 * 86'400'000LL;

// Zone offsets saturate at the ends of the 64-bit range: an instant within an offset of
// INT64_MIN / MAX (which a host may pass, and which no calendar day reaches) must not overflow on
// its way to or from local time.
using hotline::detail::sat_add;

}  // namespace

std::int64_t local_to_utc_ms(const date::time_zone* zone, std::int64_t local_ms) {
  OffsetSpan& span = t_local_span;
  if (span.zone == zone && span.lo <= local_ms && local_ms < span.hi)
    return sat_add(local_ms, -span.offset_ms);
  // The DST rule of the class comment: the first instant whose wall clock reads local_ms or later.
  const date::local_seconds ls{std::chrono::seconds{floor_div(local_ms, 1000)}};
  const auto info = zone->get_info(ls);
  switch (info.result) {
    case date::local_info::unique: {
      // Wall-clock times well inside this range (two days from either transition) are unique
      // with this offset: remember the range.
      const std::int64_t off = info.first.offset.count() * 1000;
      const std::int64_t lo = bound_ms(info.first.begin.time_since_epoch().count());
      const std::int64_t hi = bound_ms(info.first.end.time_since_epoch().count());
      std::int64_t a = 0, b = 0;
      if (!__builtin_add_overflow(lo, off + kSpanMarginMs, &a) &&
          !__builtin_sub_overflow(hi, kSpanMarginMs - off, &b) && a < b) {
        span = {zone, lo == std::numeric_limits<std::int64_t>::min() ? lo : a,
                hi == std::numeric_limits<std::int64_t>::max() ? hi : b, off};
      }
      return sat_add(local_ms, -off);
    }
    case date::local_info::ambiguous:  // first occurrence: the offset in force before the overlap
      return sat_add(local_ms, -info.first.offset.count() * 1000);
    case date::local_info::nonexistent:
    default:
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 info.second.begin.time_since_epoch())
          .count();
  }
}

std::int64_t utc_to_local_ms(const date::time_zone* zone, std::int64_t utc_ms) {
  OffsetSpan& span = t_utc_span;
  if (span.zone == zone && span.lo <= utc_ms && utc_ms < span.hi)
    return sat_add(utc_ms, span.offset_ms);
  const date::sys_seconds ss{std::chrono::seconds{floor_div(utc_ms, 1000)}};
  const auto info = zone->get_info(ss);
  const std::int64_t off = info.offset.count() * 1000;
  span = {zone, bound_ms(info.begin.time_since_epoch().count()),
          bound_ms(info.end.time_since_epoch().count()), off};
  return sat_add(utc_ms, off);
}

LocalDays local_day_of(const CalendarData& c, std::int64_t utc_ms) {
  return static_cast<LocalDays>(floor_div(utc_to_local_ms(c.zone, utc_ms), kDayMs));
}

std::size_t version_index(const CalendarData& c, LocalDays d) {
  auto it = std::upper_bound(c.versions.begin(), c.versions.end(), d,
                             [](LocalDays day, const VersionData& v) { return day < v.from; });
  return it == c.versions.begin() ? 0 : static_cast<std::size_t>(it - c.versions.begin() - 1);
}

void day_segments(const CalendarData& c, LocalDays d, SegmentBuffer& out) {
  const std::size_t vi = version_index(c, d);
  const VersionData& v = c.versions[vi];
  static const std::vector<Interval> kAllDay{{0, 1440}};
  const std::vector<Interval>* hours = nullptr;
  DayKind kind = DayKind::regular;
  if (auto it = c.days.find(d); it != c.days.end()) {
    kind = it->second.kind;
    switch (kind) {
      case DayKind::holiday:
        return;
      case DayKind::half_day:
        hours = &it->second.hours;
        break;
      case DayKind::workday:
        hours = v.always_open ? &kAllDay : &v.hours[static_cast<int>(it->second.as)];
        break;
      case DayKind::regular:
        break;
    }
  }
  if (hours == nullptr)
    hours = v.always_open ? &kAllDay : &v.hours[static_cast<int>(weekday_of(d))];
  const std::int64_t midnight = static_cast<std::int64_t>(d) * kDayMs;
  for (const Interval& iv : *hours) {
    RawSegment s;
    s.start = local_to_utc_ms(c.zone, midnight + iv.start * kMinuteMs);
    s.end = local_to_utc_ms(c.zone, midnight + iv.end * kMinuteMs);
    s.day = d;
    s.version = static_cast<std::int16_t>(vi);
    s.kind = kind;
    if (s.start < s.end) out.push_back(s);  // an interval wholly inside a DST gap is empty
  }
}

Cursor::Cursor(const CalendarData& c, LocalDays first_day, LocalDays last_day)
    : c_(c), day_(first_day), last_(last_day) {}

const RawSegment* Cursor::next() {
  for (;;) {
    while (idx_ < buf_.size()) {
      RawSegment& s = buf_[idx_++];
      // Overnight intervals of the previous day may overlap this day's: keep the union.
      s.start = std::max(s.start, last_end_);
      if (s.start >= s.end) continue;
      last_end_ = s.end;
      return &s;
    }
    if (day_ > last_) return nullptr;
    buf_.clear();
    idx_ = 0;
    day_segments(c_, day_++, buf_);
  }
}

void build_cache(const CalendarData& c) {
  const int from_year = c.cache_first, to_year = c.cache_last;
  c.seg_start.clear();
  c.seg_end.clear();
  c.cum.assign(1, 0);
  c.cache_begin = c.cache_end = 0;
  if (to_year < from_year) return;
  using namespace std::chrono;
  const LocalDays first = local_days(year{from_year} / January / 1);
  const LocalDays last = local_days(year{to_year} / December / 31);
  c.cache_begin = local_to_utc_ms(c.zone, static_cast<std::int64_t>(first) * kDayMs);
  c.cache_end = local_to_utc_ms(c.zone, static_cast<std::int64_t>(last + 1) * kDayMs);
  Cursor cur(c, first - 1, last);
  while (const RawSegment* s = cur.next()) {
    c.seg_start.push_back(s->start);
    c.seg_end.push_back(s->end);
    c.cum.push_back(c.cum.back() + (s->end - s->start));
  }
}

}  // namespace detail

namespace {

using detail::Cursor;
using detail::local_day_of;

bool in_cache(const CalendarData& c, std::int64_t t) {
  std::call_once(c.cache_once, [&c]() noexcept {
    try {
      detail::build_cache(c);
    } catch (...) {  // out of memory: no cache, the exact slow path answers
      c.seg_start.clear();
      c.seg_end.clear();
      c.cum.clear();
      c.cache_begin = c.cache_end = 0;
    }
  });
  return c.cache_begin <= t && t < c.cache_end && !c.seg_start.empty();
}

// Index of the last cached segment starting at or before t, or -1.
std::ptrdiff_t seg_at(const CalendarData& c, std::int64_t t) {
  auto it = std::upper_bound(c.seg_start.begin(), c.seg_start.end(), t);
  return (it - c.seg_start.begin()) - 1;
}

// Open milliseconds in the cache before t (t within the cache range).
std::int64_t cum_at(const CalendarData& c, std::int64_t t) {
  const std::ptrdiff_t i = seg_at(c, t);
  if (i < 0) return 0;
  const auto u = static_cast<std::size_t>(i);
  if (t < c.seg_end[u]) return c.cum[u] + (t - c.seg_start[u]);
  return c.cum[u + 1];
}

std::optional<std::int64_t> slow_next_open(const CalendarData& c, std::int64_t t) {
  const LocalDays d = local_day_of(c, t);
  Cursor cur(c, d - 1, d + kSearchHorizonDays);
  while (const RawSegment* s = cur.next()) {
    if (s->end > t) return std::max(s->start, t);
  }
  return std::nullopt;
}

std::optional<std::int64_t> slow_next_close(const CalendarData& c, std::int64_t t) {
  const LocalDays d = local_day_of(c, t);
  Cursor cur(c, d - 1, d + kSearchHorizonDays);
  std::optional<std::int64_t> open_end;
  while (const RawSegment* s = cur.next()) {
    if (s->end <= t) continue;
    if (!open_end) {
      open_end = s->end;
    } else if (s->start > *open_end) {
      return open_end;
    } else {
      open_end = s->end;  // adjacent: still open
    }
  }
  return std::nullopt;  // open until the horizon (or never open)
}

std::int64_t slow_add(const CalendarData& c, std::int64_t t, std::int64_t d) {
  const LocalDays day = local_day_of(c, t);
  Cursor cur(c, day - 1, day + kAddHorizonDays);
  std::int64_t remaining = d;
  while (const RawSegment* s = cur.next()) {
    if (s->end <= t) continue;
    const std::int64_t from = std::max(s->start, t);
    const std::int64_t avail = s->end - from;
    if (avail >= remaining) return from + remaining;
    remaining -= avail;
  }
  throw Error(ErrorCode::limit, "add_business", "no business time found within 200 years");
}

std::int64_t slow_between(const CalendarData& c, std::int64_t a, std::int64_t b) {
  a = std::clamp(a, kDomainStartMs, kDomainEndMs);
  b = std::clamp(b, kDomainStartMs, kDomainEndMs);
  if (b <= a) return 0;
  const LocalDays first = local_day_of(c, a) - 1;
  const LocalDays last = local_day_of(c, b) + 1;
  Cursor cur(c, first, last);
  std::int64_t total = 0;
  while (const RawSegment* s = cur.next()) {
    if (s->start >= b) break;
    const std::int64_t lo = std::max(s->start, a);
    const std::int64_t hi = std::min(s->end, b);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

}  // namespace

const char* to_string(DayKind kind) noexcept {
  switch (kind) {
    case DayKind::regular:
      return "regular";
    case DayKind::holiday:
      return "holiday";
    case DayKind::half_day:
      return "half_day";
    case DayKind::workday:
      return "workday";
  }
  return "regular";
}

Calendar::Calendar(std::shared_ptr<const CalendarData> data) noexcept : data_(std::move(data)) {}

Calendar Calendar::always_open(std::string_view time_zone) {
  return CalendarBuilder{std::string(time_zone)}.name("7x24").always_open().build();
}

const std::string& Calendar::name() const noexcept { return data_->name; }
const std::string& Calendar::time_zone() const noexcept { return data_->zone_name; }

bool Calendar::is_open(Instant t) const noexcept {
  const CalendarData& c = *data_;
  if (c.trivially_open) return true;
  const std::int64_t ms = to_unix_ms(t);
  if (outside_domain(ms)) return false;
  if (in_cache(c, ms)) {
    const std::ptrdiff_t i = seg_at(c, ms);
    return i >= 0 && ms < c.seg_end[static_cast<std::size_t>(i)];
  }
  const LocalDays d = local_day_of(c, ms);
  Cursor cur(c, d - 1, d + 1);
  while (const RawSegment* s = cur.next()) {
    if (s->start > ms) return false;
    if (ms < s->end) return true;
  }
  return false;
}

std::optional<Instant> Calendar::next_open(Instant t) const noexcept {
  const CalendarData& c = *data_;
  if (c.trivially_open) return t;
  const std::int64_t ms = to_unix_ms(t);
  if (outside_domain(ms)) return std::nullopt;
  if (in_cache(c, ms)) {
    const std::ptrdiff_t i = seg_at(c, ms);
    if (i >= 0 && ms < c.seg_end[static_cast<std::size_t>(i)]) return t;
    const auto next = static_cast<std::size_t>(i + 1);
    if (next < c.seg_start.size()) return from_unix_ms(c.seg_start[next]);
  }
  if (auto r = slow_next_open(c, ms)) return from_unix_ms(*r);
  return std::nullopt;
}

std::optional<Instant> Calendar::next_close(Instant t) const noexcept {
  const CalendarData& c = *data_;
  if (c.trivially_open) return std::nullopt;
  const std::int64_t ms = to_unix_ms(t);
  if (outside_domain(ms)) return std::nullopt;
  if (in_cache(c, ms)) {
    const std::ptrdiff_t i = seg_at(c, ms);
    std::size_t j = (i >= 0 && ms < c.seg_end[static_cast<std::size_t>(i)])
                        ? static_cast<std::size_t>(i)
                        : static_cast<std::size_t>(i + 1);
    const std::size_t n = c.seg_start.size();
    while (j + 1 < n && c.seg_start[j + 1] <= c.seg_end[j]) ++j;
    if (j + 1 < n) return from_unix_ms(c.seg_end[j]);
    // The open stretch reaches the end of the cache: continue on the slow path.
  }
  if (auto r = slow_next_close(c, ms)) return from_unix_ms(*r);
  return std::nullopt;
}

Instant Calendar::add_business(Instant t, Duration d) const {
  if (d.count() < 0) {
    throw Error(ErrorCode::invalid_argument, "add_business",
                fmt::format("negative duration {}", format_duration(d)));
  }
  if (d > std::chrono::days{36525}) {
    throw Error(ErrorCode::invalid_argument, "add_business", "duration longer than 100 years");
  }
  if (d.count() == 0) return t;
  const CalendarData& c = *data_;
  const std::int64_t ms = to_unix_ms(t);
  if (c.trivially_open) {
    std::int64_t end = 0;
    if (__builtin_add_overflow(ms, d.count(), &end)) {
      throw Error(ErrorCode::limit, "add_business",
                  fmt::format("{} after {} is beyond the representable time", format_duration(d),
                              format_instant(t)));
    }
    return from_unix_ms(end);
  }
  if (outside_domain(ms)) {
    throw Error(
        ErrorCode::limit, "add_business",
        fmt::format("{} is outside the calendar's domain (1900 to 2300)", format_instant(t)));
  }
  if (in_cache(c, ms)) {
    const std::int64_t target = cum_at(c, ms) + d.count();
    // First segment j whose cumulative end reaches the target.
    auto it = std::lower_bound(c.cum.begin() + 1, c.cum.end(), target);
    if (it != c.cum.end()) {
      const auto j = static_cast<std::size_t>(it - (c.cum.begin() + 1));
      return from_unix_ms(c.seg_start[j] + (target - c.cum[j]));
    }
  }
  return from_unix_ms(slow_add(c, ms, d.count()));
}

Duration Calendar::business_between(Instant a, Instant b) const noexcept {
  if (b < a) return -business_between(b, a);
  const CalendarData& c = *data_;
  const std::int64_t am = to_unix_ms(a), bm = to_unix_ms(b);
  if (c.trivially_open) {
    std::int64_t d = 0;  // saturate: INT64_MIN..INT64_MAX is wider than a duration can hold
    return __builtin_sub_overflow(bm, am, &d) ? Duration::max() : Duration{d};
  }
  if (in_cache(c, am) && bm <= c.cache_end) return Duration{cum_at(c, bm) - cum_at(c, am)};
  return Duration{slow_between(c, am, bm)};
}

std::vector<Segment> Calendar::explain(Instant a, Instant b) const {
  std::vector<Segment> out;
  if (b <= a) return out;
  const CalendarData& c = *data_;
  const std::int64_t am = std::clamp(to_unix_ms(a), kDomainStartMs, kDomainEndMs);
  const std::int64_t bm = std::clamp(to_unix_ms(b), kDomainStartMs, kDomainEndMs);
  if (bm <= am) return out;
  Cursor cur(c, local_day_of(c, am) - 1, local_day_of(c, bm) + 1);
  while (const RawSegment* s = cur.next()) {
    if (s->start >= bm) break;
    const std::int64_t lo = std::max(s->start, am);
    const std::int64_t hi = std::min(s->end, bm);
    if (hi <= lo) continue;
    Segment seg;
    seg.start = from_unix_ms(lo);
    seg.end = from_unix_ms(hi);
    seg.date = to_ymd(s->day);
    seg.kind = s->kind;
    seg.version = s->version;
    if (auto it = c.days.find(s->day); it != c.days.end()) seg.name = it->second.name;
    out.push_back(std::move(seg));
  }
  return out;
}

DayKind Calendar::day_kind(std::chrono::year_month_day date) const noexcept {
  if (!date.ok()) return DayKind::regular;
  auto it = data_->days.find(detail::local_days(date));
  return it == data_->days.end() ? DayKind::regular : it->second.kind;
}

std::string_view Calendar::day_name(std::chrono::year_month_day date) const noexcept {
  if (!date.ok()) return {};
  auto it = data_->days.find(detail::local_days(date));
  return it == data_->days.end() ? std::string_view{} : std::string_view{it->second.name};
}

std::chrono::year_month_day Calendar::local_date(Instant t) const noexcept {
  // Clamped to the domain: no date beyond it is meaningful (nor representable for every instant).
  return to_ymd(local_day_of(*data_, std::clamp(to_unix_ms(t), kDomainStartMs, kDomainEndMs)));
}

Instant Calendar::parse_time(std::string_view text) const {
  hotline::detail::CivilTime civil;
  std::size_t pos = 0;
  if (!hotline::detail::parse_civil(text, pos, civil)) {
    throw Error(ErrorCode::invalid_argument, fmt::format("time \"{}\"", text),
                "expected \"2025-01-27 09:00\" (local) or ISO 8601 with an offset");
  }
  const Instant as_utc = hotline::detail::to_instant(civil);
  if (pos == text.size()) {
    return from_unix_ms(detail::local_to_utc_ms(data_->zone, to_unix_ms(as_utc)));
  }
  std::optional<int> offset = hotline::detail::parse_offset(text, pos);
  if (!offset || pos != text.size()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("time \"{}\"", text),
                "unexpected text after the time (an offset must look like Z or +08:00)");
  }
  return as_utc - std::chrono::minutes{*offset};
}

std::string Calendar::format_time(Instant t) const {
  using namespace std::chrono;
  const std::int64_t ms = to_unix_ms(t);
  // Beyond about ±31,000 years there is no civil date (nor a zone rule): the same raw form
  // format_instant uses.
  constexpr std::int64_t kCivilLimitMs = 1'000'000'000'000'000;
  if (ms > kCivilLimitMs || ms < -kCivilLimitMs) return format_instant(t);
  const std::int64_t local = detail::utc_to_local_ms(data_->zone, ms);
  const std::int64_t offset_min = (local - ms) / kMinuteMs;
  const Instant lt = from_unix_ms(local);
  const auto day = floor<days>(lt);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{lt - day};
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  tod.hours().count(), tod.minutes().count(), tod.seconds().count());
  if (tod.subseconds().count() != 0) out += fmt::format(".{:03}", tod.subseconds().count());
  const std::int64_t a = offset_min < 0 ? -offset_min : offset_min;
  out += fmt::format("{}{:02}:{:02}", offset_min < 0 ? '-' : '+', a / 60, a % 60);
  return out;
}

}  // namespace hotline::calendar
