#include "core/time_parse.hpp"

namespace hotline::detail {

namespace {

bool digits(std::string_view text, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += count;
  out = v;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

bool parse_civil(std::string_view text, std::size_t& pos, CivilTime& out) {
  using namespace std::chrono;
  int y = 0, m = 0, d = 0;
  if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, m) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, d)) {
    return false;
  }
  out.date = year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)};
  if (!out.date.ok()) return false;
  out.hour = out.minute = out.second = out.millisecond = 0;
  if (pos == text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) return true;
  ++pos;
  if (!digits(text, pos, 2, out.hour) || !expect(text, pos, ':') ||
      !digits(text, pos, 2, out.minute)) {
    return false;
  }
  if (expect(text, pos, ':')) {
    if (!digits(text, pos, 2, out.second)) return false;
    if (expect(text, pos, '.')) {
      int frac = 0;
      std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (pos - start < 3) frac = frac * 10 + (text[pos] - '0');
        ++pos;
      }
      if (pos == start) return false;
      for (std::size_t n = pos - start; n < 3; ++n) frac *= 10;
      out.millisecond = frac;
    }
  }
  return out.hour < 24 && out.minute < 60 && out.second < 60;
}

std::optional<int> parse_offset(std::string_view text, std::size_t& pos) {
  if (pos >= text.size()) return std::nullopt;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
    return 0;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  std::size_t p = pos + 1;
  const int sign = text[pos] == '-' ? -1 : 1;
  int h = 0, m = 0;
  if (!digits(text, p, 2, h)) return std::nullopt;
  if (expect(text, p, ':')) {
    if (!digits(text, p, 2, m)) return std::nullopt;
  } else if (p < text.size()) {
    if (!digits(text, p, 2, m)) return std::nullopt;
  }
  if (h > 18 || m > 59) return std::nullopt;
  pos = p;
  return sign * (h * 60 + m);
}

Instant to_instant(const CivilTime& c) {
  using namespace std::chrono;
  return Instant{sys_days{c.date}} + hours{c.hour} + minutes{c.minute} + seconds{c.second} +
         milliseconds{c.millisecond};
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  CivilTime c;
  std::size_t pos = 0;
  if (text.size() != 10 || !parse_civil(text, pos, c) || pos != text.size()) return std::nullopt;
  return c.date;
}

}  // namespace hotline::detail
