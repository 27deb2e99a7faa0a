// Building, validating, loading and saving calendars.
#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "calendar/calendar_data.hpp"
#include "calendar/calendar_internal.hpp"
#include "core/json.hpp"
#include "core/time_parse.hpp"

namespace hotline::calendar {

namespace {

using hotline::detail::Diagnostics;
using hotline::detail::Json;
using hotline::detail::ObjectReader;
using hotline::detail::pointer_child;

constexpr std::array<const char*, 7> kDayNames{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2300;

std::optional<Weekday> weekday_from_name(std::string_view s) {
  for (std::size_t i = 0; i < kDayNames.size(); ++i) {
    if (s == kDayNames[i]) return static_cast<Weekday>(i);
  }
  return std::nullopt;
}

std::string format_date(std::chrono::year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string format_clock(int minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

std::string interval_text(Interval iv) {
  if (iv.end > 1440)
    return fmt::format("{}-{}+1", format_clock(iv.start), format_clock(iv.end - 1440));
  return fmt::format("{}-{}", format_clock(iv.start), format_clock(iv.end));
}

// "HH:MM" -> minutes, allowing "24:00" only when allow_24 is set.
std::optional<int> parse_clock(std::string_view s, bool allow_24) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9')
      return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59) return std::nullopt;
  if (h == 24 && m == 0 && allow_24) return 1440;
  if (h > 23) return std::nullopt;
  return h * 60 + m;
}

// "09:00-18:00", "22:00-02:00+1", "00:00-24:00". Throws at where.
Interval parse_interval_at(std::string_view s, const std::string& where) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) {
    hotline::detail::fail_at(where, fmt::format("expected \"HH:MM-HH:MM\", found \"{}\"", s));
  }
  std::string_view a = s.substr(0, dash), b = s.substr(dash + 1);
  bool next_day = false;
  if (b.size() > 2 && b.substr(b.size() - 2) == "+1") {
    next_day = true;
    b.remove_suffix(2);
  }
  const auto start = parse_clock(a, false);
  const auto end = parse_clock(b, !next_day);
  if (!start || !end) {
    hotline::detail::fail_at(
        where, fmt::format("expected \"HH:MM-HH:MM\" with 00:00 <= time < 24:00, found \"{}\"", s));
  }
  return Interval{*start, next_day ? *end + 1440 : *end};
}

void check_intervals(std::vector<Interval>& intervals, const std::string& where,
                     Diagnostics& diag) {
  // Sort by start while remembering the original index for messages.
  std::vector<std::size_t> order(intervals.size());
  std::iota(order.begin(), order.end(), 0);
  bool ok = true;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const Interval iv = intervals[i];
    const std::string at = pointer_child(where, i);
    if (iv.start < 0 || iv.start >= 1440) {
      diag.add(at, "start must be within the day (00:00 to 23:59)");
      ok = false;
    } else if (iv.end <= iv.start) {
      diag.add(at,
               fmt::format("end before start ({}); write {}+1 for an interval that runs past "
                           "midnight",
                           format_clock(iv.start), format_clock(((iv.end % 1440) + 1440) % 1440)));
      ok = false;
    } else if (iv.end - iv.start > 1440) {
      diag.add(at, "an interval may not be longer than 24 hours");
      ok = false;
    }
  }
  if (!ok) return;
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return intervals[x].start < intervals[y].start; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const Interval prev = intervals[order[k - 1]], cur = intervals[order[k]];
    if (cur.start < prev.end) {
      diag.add(pointer_child(where, order[k]),
               fmt::format("{} overlaps {} ({})", interval_text(cur), interval_text(prev),
                           pointer_child(where, order[k - 1])));
    }
  }
  std::vector<Interval> sorted;
  for (std::size_t i : order) sorted.push_back(intervals[i]);
  intervals = std::move(sorted);
}

std::string hours_pointer(const std::string& version_where) { return version_where + "/hours"; }

bool year_in_range(std::chrono::year_month_day d) {
  const int y = static_cast<int>(d.year());
  return d.ok() && y >= kMinYear && y <= kMaxYear;
}

// from_json only sees valid UTF-8; names given to the builder must be too, or to_json() fails.
bool valid_utf8(const std::string& s) {
  try {
    (void)Json(s).dump();
    return true;
  } catch (const Json::type_error&) {
    return false;
  }
}

}  // namespace

Interval parse_interval(std::string_view text) {
  try {
    std::vector<Interval> one{parse_interval_at(text, "interval")};
    Diagnostics diag;  // the same checks as in a definition: "18:00-09:00" needs its "+1"
    check_intervals(one, "interval", diag);
    diag.throw_if_any();
    return one.front();
  } catch (const Error& e) {
    throw Error(ErrorCode::invalid_argument, fmt::format("interval \"{}\"", text), e.message());
  }
}

std::string format_interval(Interval interval) { return interval_text(interval); }

// ---------------------------------------------------------------------------------------------
// Builder

CalendarBuilder::CalendarBuilder(std::string time_zone) : zone_(std::move(time_zone)) {
  using namespace std::chrono;
  versions_.push_back(Version{year{kMinYear} / January / 1, false, {}, ""});
}

CalendarBuilder& CalendarBuilder::name(std::string name) {
  name_ = std::move(name);
  return *this;
}

CalendarBuilder& CalendarBuilder::always_open() {
  versions_.back().always_open = true;
  return *this;
}

CalendarBuilder& CalendarBuilder::hours(Weekday day, std::vector<Interval> intervals) {
  versions_.back().hours[static_cast<std::size_t>(day)] = std::move(intervals);
  return *this;
}

CalendarBuilder& CalendarBuilder::version_from(std::chrono::year_month_day date) {
  versions_.push_back(Version{date, false, {}, fmt::format("/versions/{}", versions_.size() - 1)});
  return *this;
}

CalendarBuilder& CalendarBuilder::holiday(std::chrono::year_month_day date, std::string name) {
  days_.push_back(Day{date,
                      DayKind::holiday,
                      {},
                      std::move(name),
                      Weekday::mon,
                      fmt::format("/days/{}", days_.size())});
  return *this;
}

CalendarBuilder& CalendarBuilder::half_day(std::chrono::year_month_day date,
                                           std::vector<Interval> intervals, std::string name) {
  days_.push_back(Day{date, DayKind::half_day, std::move(intervals), std::move(name), Weekday::mon,
                      fmt::format("/days/{}", days_.size())});
  return *this;
}

CalendarBuilder& CalendarBuilder::workday(std::chrono::year_month_day date, std::string name,
                                          Weekday as) {
  days_.push_back(
      Day{date, DayKind::workday, {}, std::move(name), as, fmt::format("/days/{}", days_.size())});
  return *this;
}

CalendarBuilder& CalendarBuilder::cache_years(int from_year, int to_year) {
  cache_set_ = true;
  cache_from_ = from_year;
  cache_to_ = to_year;
  return *this;
}

Calendar CalendarBuilder::build() const {
  using namespace std::chrono;
  auto data = std::make_shared<detail::CalendarData>();
  Diagnostics diag;
  data->name = name_;
  data->zone_name = zone_;
  if (!valid_utf8(name_)) diag.add("/name", "not valid UTF-8");
  try {
    data->zone = date::locate_zone(zone_);
  } catch (const std::exception&) {
    diag.add("/time_zone", fmt::format("unknown time zone \"{}\" (expected an IANA name such as "
                                       "Asia/Shanghai)",
                                       zone_));
  }

  int min_year = 2020, max_year = 2035;
  auto note_year = [&](year_month_day d) {
    const int y = static_cast<int>(d.year());
    min_year = std::min(min_year, y - 1);
    max_year = std::max(max_year, y + 1);
  };

  for (std::size_t k = 0; k < versions_.size(); ++k) {
    const Version& v = versions_[k];
    detail::VersionData vd;
    vd.where = v.where;
    vd.always_open = v.always_open;
    vd.hours = v.hours;
    if (k > 0) {
      const std::string at = v.where + "/effective_from";
      if (!year_in_range(v.from)) {
        diag.add(at, fmt::format("invalid date (years {} to {})", kMinYear, kMaxYear));
        continue;
      }
      if (!(versions_[k - 1].from < v.from)) {
        diag.add(at, "effective_from must be later than the previous version's");
      }
      note_year(v.from);
    }
    vd.from = detail::local_days(v.from);
    bool any_open = v.always_open;
    for (std::size_t wd = 0; wd < 7; ++wd) {
      if (vd.hours[wd].empty()) continue;
      if (v.always_open) {
        diag.add(pointer_child(hours_pointer(v.where), kDayNames[wd]),
                 "hours given for an always_open version");
        continue;
      }
      check_intervals(vd.hours[wd], pointer_child(hours_pointer(v.where), kDayNames[wd]), diag);
      any_open = true;
    }
    // Overnight intervals must not run into the next day's first intervals.
    for (std::size_t wd = 0; wd < 7 && !v.always_open; ++wd) {
      const std::size_t next = (wd + 1) % 7;
      for (std::size_t i = 0; i < v.hours[wd].size(); ++i) {
        const Interval iv = v.hours[wd][i];  // as given, so that i is the caller's index
        if (iv.end <= 1440) continue;
        for (std::size_t j = 0; j < vd.hours[next].size(); ++j) {
          if (vd.hours[next][j].start + 1440 < iv.end) {
            diag.add(pointer_child(pointer_child(hours_pointer(v.where), kDayNames[wd]), i),
                     fmt::format("{} runs past midnight into {} {}", interval_text(iv),
                                 kDayNames[next], interval_text(vd.hours[next][j])));
          }
        }
      }
    }
    if (k + 1 == versions_.size() && !any_open) {
      diag.add(v.where.empty() ? "/hours" : hours_pointer(v.where),
               "no opening hours in the last version: the calendar would never open again");
    }
    data->versions.push_back(std::move(vd));
  }

  boost::container::flat_map<detail::LocalDays, std::string> first_seen;
  for (const Day& d : days_) {
    const std::string date_where = d.date_where.empty() ? d.where + "/date" : d.date_where;
    if (!year_in_range(d.date)) {
      diag.add(date_where, fmt::format("invalid date (years {} to {})", kMinYear, kMaxYear));
      continue;
    }
    note_year(d.date);
    const detail::LocalDays key = detail::local_days(d.date);
    if (auto it = first_seen.find(key); it != first_seen.end()) {
      diag.add(date_where,
               fmt::format("{} is already defined at {}", format_date(d.date), it->second));
      continue;
    }
    first_seen.emplace(key, d.where);
    detail::DayRule rule;
    rule.kind = d.kind;
    rule.name = d.name;
    if (!valid_utf8(d.name)) diag.add(d.where + "/name", "not valid UTF-8");
    rule.as = d.as;
    rule.where = d.where;
    rule.hours = d.hours;
    if (d.kind == DayKind::half_day) {
      if (rule.hours.empty()) diag.add(d.where + "/hours", "a half_day needs its opening hours");
      check_intervals(rule.hours, d.where + "/hours", diag);
    } else if (!d.hours.empty()) {
      diag.add(d.where + "/hours", fmt::format("hours are only allowed on a half_day"));
    }
    data->days.emplace(key, std::move(rule));
  }

  diag.throw_if_any();

  data->trivially_open =
      data->days.empty() && std::all_of(data->versions.begin(), data->versions.end(),
                                        [](const detail::VersionData& v) { return v.always_open; });
  int from = cache_from_, to = cache_to_;
  if (!cache_set_) {
    // Dates may lie anywhere in kMinYear..kMaxYear; the one-year margin must not push the
    // default cache outside the range that the check below enforces for explicit years.
    from = std::max(min_year, kMinYear);
    to = std::min(max_year, kMaxYear);
  }
  data->cache_set = cache_set_;
  data->cache_from_year = cache_from_;
  data->cache_to_year = cache_to_;
  if (!data->trivially_open) {
    if (to >= from && (to - from > 400 || from < kMinYear || to > kMaxYear)) {
      throw Error(ErrorCode::invalid_definition, "/cache",
                  fmt::format("cache years must lie within {}..{} and span at most 400 years",
                              kMinYear, kMaxYear));
    }
    data->cache_first = from;  // materialised by the first query
    data->cache_last = to;
  }
  return Calendar{std::move(data)};
}

// ---------------------------------------------------------------------------------------------
// JSON

namespace {

WeeklyHours read_hours(const Json& j, const std::string& where);

}  // namespace

Calendar Calendar::from_json(std::string_view text) {
  using namespace std::chrono;
  const Json doc = hotline::detail::parse_json(text);
  ObjectReader root(doc, "");
  CalendarBuilder b{root.string("time_zone")};
  if (auto n = root.optional_string("name")) b.name(*n);
  if (root.boolean("always_open", false)) b.always_open();
  if (const Json* h = root.find("hours")) {
    if (b.versions_.back().always_open) {
      hotline::detail::fail_at("/hours", "give either always_open or hours, not both");
    }
    b.versions_.back().hours = read_hours(*h, "/hours");
  }
  if (const Json* versions = root.optional_array("versions")) {
    for (std::size_t i = 0; i < versions->size(); ++i) {
      const std::string at = pointer_child("/versions", i);
      ObjectReader v((*versions)[i], at);
      const std::string from = v.string("effective_from");
      auto date = hotline::detail::parse_date(from);
      if (!date)
        hotline::detail::fail_at(v.at("effective_from"),
                                 fmt::format("expected a date YYYY-MM-DD, found \"{}\"", from));
      b.version_from(*date);
      b.versions_.back().where = at;
      if (v.boolean("always_open", false)) b.always_open();
      if (const Json* h = v.find("hours")) {
        if (b.versions_.back().always_open) {
          hotline::detail::fail_at(v.at("hours"), "give either always_open or hours, not both");
        }
        b.versions_.back().hours = read_hours(*h, v.at("hours"));
      }
      v.finish();
    }
  }
  if (const Json* day_list = root.optional_array("days")) {
    for (std::size_t i = 0; i < day_list->size(); ++i) {
      const std::string at = pointer_child("/days", i);
      ObjectReader d((*day_list)[i], at);
      const std::string kind_text = d.string("kind");
      DayKind kind;
      if (kind_text == "holiday") {
        kind = DayKind::holiday;
      } else if (kind_text == "half_day") {
        kind = DayKind::half_day;
      } else if (kind_text == "workday") {
        kind = DayKind::workday;
      } else {
        hotline::detail::fail_at(d.at("kind"), fmt::format("unknown kind \"{}\" (expected holiday, "
                                                           "half_day or workday)",
                                                           kind_text));
      }
      const std::string name = d.optional_string("name").value_or("");
      // One date, or an inclusive range from..to.
      year_month_day first{}, last{};
      auto read_date = [&](std::string_view key) {
        const std::string s = d.string(key);
        auto date = hotline::detail::parse_date(s);
        if (!date)
          hotline::detail::fail_at(d.at(key),
                                   fmt::format("expected a date YYYY-MM-DD, found \"{}\"", s));
        return *date;
      };
      if (d.has("date")) {
        if (d.has("from") || d.has("to"))
          hotline::detail::fail_at(d.at("date"), "give either date or from/to, not both");
        first = last = read_date("date");
      } else if (d.has("from")) {
        first = read_date("from");
        last = read_date("to");
        if (last < first)
          hotline::detail::fail_at(d.at("to"), "end before start: \"to\" is earlier than \"from\"");
        if (sys_days{last} - sys_days{first} > days{366})
          hotline::detail::fail_at(d.at("to"), "a range may span at most 366 days");
      } else {
        hotline::detail::fail_at(at, "missing required field \"date\" (or \"from\" and \"to\")");
      }
      d.allow({"date", "from", "to"});
      std::vector<Interval> hours;
      if (const Json* h = d.optional_array("hours")) {
        for (std::size_t k = 0; k < h->size(); ++k) {
          const std::string hat = pointer_child(d.at("hours"), k);
          if (!(*h)[k].is_string())
            hotline::detail::fail_at(hat, "expected a string \"HH:MM-HH:MM\"");
          hours.push_back(parse_interval_at((*h)[k].get<std::string>(), hat));
        }
      }
      Weekday as = Weekday::mon;
      if (auto a = d.optional_string("as")) {
        auto w = weekday_from_name(*a);
        if (!w)
          hotline::detail::fail_at(d.at("as"),
                                   fmt::format("unknown weekday \"{}\" (mon..sun)", *a));
        if (kind != DayKind::workday)
          hotline::detail::fail_at(d.at("as"), "\"as\" applies to a workday only");
        as = *w;
      }
      d.finish();
      for (sys_days day = sys_days{first}; day <= sys_days{last}; day += days{1}) {
        const year_month_day ymd{day};
        switch (kind) {
          case DayKind::holiday:
            b.holiday(ymd, name);
            break;
          case DayKind::half_day:
            b.half_day(ymd, hours, name);
            break;
          case DayKind::workday:
            b.workday(ymd, name, as);
            break;
          case DayKind::regular:
            break;
        }
        // A workday takes its hours from its "as" weekday; hours given here would be ignored.
        if (kind != DayKind::half_day && !hours.empty()) {
          hotline::detail::fail_at(d.at("hours"), "hours are only allowed on a half_day");
        }
        b.days_.back().where = at;
        // A range has no "date" member: name the entry itself.
        if (!d.has("date")) b.days_.back().date_where = at;
      }
    }
  }
  if (const Json* cache = root.find("cache")) {
    ObjectReader c(*cache, "/cache");
    const auto from = c.integer("from_year");
    const auto to = c.integer("to_year");
    c.finish();
    if (from < kMinYear || to > kMaxYear)
      hotline::detail::fail_at("/cache",
                               fmt::format("years must lie within {}..{}", kMinYear, kMaxYear));
    b.cache_years(static_cast<int>(from), static_cast<int>(to));
  }
  root.finish();
  return b.build();
}

Calendar Calendar::load(const std::filesystem::path& path) {
  const std::string text = hotline::detail::read_file(path);
  try {
    return from_json(text);
  } catch (const Error& e) {
    std::vector<Diagnostic> located = e.diagnostics();
    for (auto& d : located)
      d.where = fmt::format("{}: {}", path.string(), d.where.empty() ? "/" : d.where);
    throw Error(e.code(), std::move(located));
  }
}

std::string Calendar::to_json() const {
  const detail::CalendarData& c = *data_;
  Json out = Json::object();
  if (!c.name.empty()) out["name"] = c.name;
  out["time_zone"] = c.zone_name;
  auto hours_json = [](const WeeklyHours& h) {
    Json j = Json::object();
    for (std::size_t wd = 0; wd < 7; ++wd) {
      Json list = Json::array();
      for (Interval iv : h[wd]) list.push_back(interval_text(iv));
      j[kDayNames[wd]] = std::move(list);
    }
    return j;
  };
  const auto& v0 = c.versions.front();
  if (v0.always_open) {
    out["always_open"] = true;
  } else {
    out["hours"] = hours_json(v0.hours);
  }
  if (c.versions.size() > 1) {
    Json versions = Json::array();
    for (std::size_t k = 1; k < c.versions.size(); ++k) {
      const auto& v = c.versions[k];
      Json jv = Json::object();
      jv["effective_from"] = format_date(
          std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{v.from}}});
      if (v.always_open) {
        jv["always_open"] = true;
      } else {
        jv["hours"] = hours_json(v.hours);
      }
      versions.push_back(std::move(jv));
    }
    out["versions"] = std::move(versions);
  }
  if (!c.days.empty()) {
    Json day_list = Json::array();
    for (const auto& [key, rule] : c.days) {
      Json jd = Json::object();
      jd["date"] =
          format_date(std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{key}}});
      jd["kind"] = to_string(rule.kind);
      if (!rule.name.empty()) jd["name"] = rule.name;
      if (rule.kind == DayKind::half_day) {
        Json list = Json::array();
        for (Interval iv : rule.hours) list.push_back(interval_text(iv));
        jd["hours"] = std::move(list);
      }
      if (rule.kind == DayKind::workday && rule.as != Weekday::mon) {
        jd["as"] = kDayNames[static_cast<std::size_t>(rule.as)];
      }
      day_list.push_back(std::move(jd));
    }
    out["days"] = std::move(day_list);
  }
  if (c.cache_set) {
    out["cache"] = Json{{"from_year", c.cache_from_year}, {"to_year", c.cache_to_year}};
  }
  return out.dump(2);
}

namespace {

WeeklyHours read_hours(const Json& j, const std::string& where) {
  WeeklyHours hours;
  std::array<std::string, 7> key_of;                // the key each weekday was given under
  std::array<std::vector<Interval>, 7> as_written;  // its intervals in document order
  ObjectReader r(j, where);
  for (const auto& [key, value] : j.items()) {
    // "mon", or a range such as "mon-fri".
    std::optional<Weekday> first = weekday_from_name(key), last = first;
    if (!first && key.size() == 7 && key[3] == '-') {
      first = weekday_from_name(std::string_view(key).substr(0, 3));
      last = weekday_from_name(std::string_view(key).substr(4));
    }
    const std::string at = r.at(key);
    if (!first || !last || *last < *first) {
      hotline::detail::fail_at(at, fmt::format("unknown day \"{}\" (mon..sun, or a range such as "
                                               "mon-fri)",
                                               key));
    }
    if (!value.is_array()) hotline::detail::fail_at(at, "expected an array of \"HH:MM-HH:MM\"");
    std::vector<Interval> intervals;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string iat = pointer_child(at, i);
      if (!value[i].is_string()) hotline::detail::fail_at(iat, "expected a string \"HH:MM-HH:MM\"");
      intervals.push_back(parse_interval_at(value[i].get<std::string>(), iat));
    }
    // Check here, where the pointer still names the key as written ("mon-fri").
    const std::vector<Interval> written = intervals;
    Diagnostics diag;
    check_intervals(intervals, at, diag);
    diag.throw_if_any();
    for (int d = static_cast<int>(*first); d <= static_cast<int>(*last); ++d) {
      auto& slot = hours[static_cast<std::size_t>(d)];
      if (!slot.empty()) {
        hotline::detail::fail_at(
            at, fmt::format("{} is given twice", kDayNames[static_cast<std::size_t>(d)]));
      }
      slot = intervals;
      key_of[static_cast<std::size_t>(d)] = key;
      as_written[static_cast<std::size_t>(d)] = written;
    }
    r.allow({key});
  }
  // Overnight intervals must not run into the next day's (build() checks this too, but knows
  // only weekdays and sorted indices, not "mon-fri/0" as written).
  for (std::size_t wd = 0; wd < 7; ++wd) {
    const std::size_t next = (wd + 1) % 7;
    for (std::size_t i = 0; i < as_written[wd].size(); ++i) {
      const Interval iv = as_written[wd][i];
      if (iv.end <= 1440) continue;
      for (const Interval& n : hours[next]) {
        if (n.start + 1440 < iv.end) {
          hotline::detail::fail_at(
              pointer_child(r.at(key_of[wd]), i),
              fmt::format("{} runs past midnight into {} {}", interval_text(iv), kDayNames[next],
                          interval_text(n)));
        }
      }
    }
  }
  return hours;
}

}  // namespace

}  // namespace hotline::calendar
