#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/time_parse.hpp"

namespace hotline {

namespace {

[[noreturn]] void bad_duration(std::string_view text, std::string_view why) {
  throw Error(ErrorCode::invalid_argument, fmt::format("duration \"{}\"", text), std::string(why));
}

}  // namespace

Duration parse_duration(std::string_view text) {
  if (text.empty()) bad_duration(text, "empty");
  std::string_view rest = text;
  bool negative = false;
  if (rest.front() == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  double total_ms = 0;
  bool any = false;
  while (!rest.empty()) {
    std::size_t n = 0;
    bool dot = false;
    while (n < rest.size() && ((rest[n] >= '0' && rest[n] <= '9') || (rest[n] == '.' && !dot))) {
      dot = dot || rest[n] == '.';
      ++n;
    }
    if (n == 0 || (n == 1 && dot))
      bad_duration(text, "expected a number such as 90s, 1h30m or 250ms");
    double value = 0;  // from_chars: locale-independent ("1.5" even under a de_DE locale)
    std::from_chars(rest.data(), rest.data() + n, value);
    rest.remove_prefix(n);
    std::size_t u = 0;
    while (u < rest.size() &&
           ((rest[u] >= 'a' && rest[u] <= 'z') || (rest[u] >= 'A' && rest[u] <= 'Z')))
      ++u;
    const std::string_view unit = rest.substr(0, u);
    rest.remove_prefix(u);
    double scale = 0;
    if (unit.empty() || unit == "s") {
      if (unit.empty() && !rest.empty()) bad_duration(text, "a unit is required between parts");
      scale = 1000;
    } else if (unit == "ms") {
      scale = 1;
    } else if (unit == "m" || unit == "min") {
      scale = 60'000;
    } else if (unit == "h") {
      scale = 3'600'000;
    } else if (unit == "d") {
      scale = 86'400'000;
    } else {
      bad_duration(text, fmt::format("unknown unit \"{}\" (use ms, s, m, h or d)", unit));
    }
    total_ms += value * scale;
    any = true;
  }
  if (!any) bad_duration(text, "no value");
  if (!(total_ms < 9.2e18)) bad_duration(text, "too large");
  const auto ms = static_cast<std::int64_t>(std::llround(total_ms));
  return Duration{negative ? -ms : ms};
}

std::string format_duration(Duration d) {
  if (d.count() == 0) return "0s";
  std::string out;
  // The magnitude in unsigned arithmetic: negating Duration::min() would overflow.
  auto ms = static_cast<std::uint64_t>(d.count());
  if (d.count() < 0) {
    out += '-';
    ms = 0 - ms;
  }
  const std::uint64_t h = ms / 3'600'000;
  const std::uint64_t m = ms / 60'000 % 60;
  const std::uint64_t s = ms / 1000 % 60;
  const std::uint64_t rem = ms % 1000;
  if (h) out += fmt::format("{}h", h);
  if (m) out += fmt::format("{}m", m);
  if (s && rem) {
    out += fmt::format("{}.{:03}s", s, rem);
  } else if (s) {
    out += fmt::format("{}s", s);
  } else if (rem) {
    out += fmt::format("{}ms", rem);
  }
  return out;
}

Instant parse_instant(std::string_view text) {
  detail::CivilTime c;
  std::size_t pos = 0;
  if (!detail::parse_civil(text, pos, c)) {
    throw Error(ErrorCode::invalid_argument, fmt::format("time \"{}\"", text),
                "expected ISO 8601 such as 2025-01-27T09:00:00+08:00");
  }
  std::optional<int> offset = detail::parse_offset(text, pos);
  if (!offset || pos != text.size()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("time \"{}\"", text),
                "expected an offset (Z or +08:00) after the time");
  }
  return detail::to_instant(c) - std::chrono::minutes{*offset};
}

std::string format_instant(Instant t) {
  using namespace std::chrono;
  // Beyond about ±31,000 years the civil date no longer fits (and converting days back to
  // milliseconds would overflow): name the raw value instead.
  constexpr std::int64_t kCivilLimitMs = 1'000'000'000'000'000;
  const std::int64_t raw = t.time_since_epoch().count();
  if (raw > kCivilLimitMs || raw < -kCivilLimitMs) {
    return fmt::format("{} ms after 1970-01-01T00:00:00Z", raw);
  }
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{t - day};
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  tod.hours().count(), tod.minutes().count(), tod.seconds().count());
  if (tod.subseconds().count() != 0) out += fmt::format(".{:03}", tod.subseconds().count());
  out += 'Z';
  return out;
}

}  // namespace hotline
