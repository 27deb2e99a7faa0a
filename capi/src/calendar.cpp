#include <string>

#include <hotline/calendar/calendar.hpp>

#include "guard.hpp"
#include "handles.hpp"
#include "hotline_calendar.h"


namespace {

using hotline::from_unix_ms;
using hotline::to_unix_ms;
using hotline::capi::guard;
using hotline::capi::require;

int emit(hotline_calendar** out, hotline::calendar::Calendar cal) {
  *out = new hotline_calendar{std::move(cal)};
  return HOTLINE_OK;
}

}  // namespace

extern "C" {

int hotline_calendar_from_json(hotline_calendar** out, const char* json, size_t len) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(json, "json");
    return emit(out, hotline::calendar::Calendar::from_json(std::string_view(json, len)));
  });
}

int hotline_calendar_load(hotline_calendar** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    return emit(out, hotline::calendar::Calendar::load(path));
  });
}

int hotline_calendar_new_always_open(hotline_calendar** out, const char* time_zone) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(time_zone, "time_zone");
    return emit(out, hotline::calendar::Calendar::always_open(time_zone));
  });
}

void hotline_calendar_free(hotline_calendar* cal) { delete cal; }

const char* hotline_calendar_time_zone(const hotline_calendar* cal) {
  return cal == nullptr ? nullptr : cal->cal.time_zone().c_str();
}

int hotline_calendar_is_open(bool* out, const hotline_calendar* cal, hotline_time_ms t) {
  return guard([&] {
    require(out, "out");
    require(cal, "cal");
    *out = cal->cal.is_open(from_unix_ms(t));
  });
}

int hotline_calendar_next_open(hotline_time_ms* out, bool* found, const hotline_calendar* cal,
                               hotline_time_ms t) {
  return guard([&] {
    require(out, "out");
    require(cal, "cal");
    const auto r = cal->cal.next_open(from_unix_ms(t));
    *out = r ? to_unix_ms(*r) : t;
    if (found != nullptr) *found = r.has_value();
  });
}

int hotline_calendar_next_close(hotline_time_ms* out, bool* found, const hotline_calendar* cal,
                                hotline_time_ms t) {
  return guard([&] {
    require(out, "out");
    require(cal, "cal");
    const auto r = cal->cal.next_close(from_unix_ms(t));
    *out = r ? to_unix_ms(*r) : t;
    if (found != nullptr) *found = r.has_value();
  });
}

int hotline_calendar_add_business(hotline_time_ms* out, const hotline_calendar* cal,
                                  hotline_time_ms t, hotline_duration_ms d) {
  return guard([&] {
    require(out, "out");
    require(cal, "cal");
    *out = to_unix_ms(cal->cal.add_business(from_unix_ms(t), hotline::Duration{d}));
  });
}

int hotline_calendar_business_between(hotline_duration_ms* out, const hotline_calendar* cal,
                                      hotline_time_ms a, hotline_time_ms b) {
  return guard([&] {
    require(out, "out");
    require(cal, "cal");
    *out = cal->cal.business_between(from_unix_ms(a), from_unix_ms(b)).count();
  });
}

int hotline_calendar_explain(hotline_calendar_segment* out, size_t capacity, size_t* count,
                             const hotline_calendar* cal, hotline_time_ms a, hotline_time_ms b) {
  return guard([&] {
    require(count, "count");
    require(cal, "cal");
    if (capacity > 0) require(out, "out");
    const auto segments = cal->cal.explain(from_unix_ms(a), from_unix_ms(b));
    *count = segments.size();
    if (segments.size() > capacity) {
      throw hotline::Error(
          hotline::ErrorCode::buffer_too_small, "capacity",
          "buffer too small: " + std::to_string(segments.size()) + " segments needed");
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& s = segments[i];
      hotline_calendar_segment& o = out[i];
      o.start = to_unix_ms(s.start);
      o.end = to_unix_ms(s.end);
      o.year = static_cast<int>(s.date.year());
      o.month = static_cast<int>(static_cast<unsigned>(s.date.month()));
      o.day = static_cast<int>(static_cast<unsigned>(s.date.day()));
      o.kind = static_cast<hotline_day_kind>(s.kind);
      o.version = s.version;
      o.name = cal->cal.day_name(s.date).data();
      if (o.name == nullptr) o.name = "";
    }
  });
}

int hotline_calendar_format_time(char* buf, size_t cap, size_t* needed, const hotline_calendar* cal,
                                 hotline_time_ms t) {
  return guard([&] {
    require(cal, "cal");
    return hotline::capi::copy_out(cal->cal.format_time(from_unix_ms(t)), buf, cap, needed);
  });
}

int hotline_calendar_parse_time(hotline_time_ms* out, const hotline_calendar* cal,
                                const char* text) {
  return guard([&] {
    require(out, "out");
    require(cal, "cal");
    require(text, "text");
    *out = to_unix_ms(cal->cal.parse_time(text));
  });
}

}  // extern "C"
