// Internal: ISO 8601 pieces shared by core (instants with offsets) and calendar (local times).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <hotline/core/time.hpp>

namespace hotline::detail {

struct CivilTime {
  std::chrono::year_month_day date{};
  int hour = 0, minute = 0, second = 0, millisecond = 0;
};

/// Parses "YYYY-MM-DD", then optionally "THH:MM[:SS[.fff]]" (or a space for T), from pos.
/// Advances pos; false on any malformed or out-of-range field.
bool parse_civil(std::string_view text, std::size_t& pos, CivilTime& out);

/// Parses "Z", "+HH:MM", "+HHMM" or "+HH" at pos, returning minutes east of UTC; nullopt when
/// there is no offset at pos (pos unchanged) or it is malformed.
std::optional<int> parse_offset(std::string_view text, std::size_t& pos);

/// The civil time read as if it were UTC.
Instant to_instant(const CivilTime& c);

/// Parses "YYYY-MM-DD" exactly.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

}  // namespace hotline::detail
