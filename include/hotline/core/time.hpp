// hotline: time vocabulary shared by every component.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotline {

/// A span of time with millisecond resolution.
using Duration = std::chrono::milliseconds;

/// An instant in UTC with millisecond resolution (leap seconds are not counted, as in Unix time).
/// Every component takes time as an argument; nothing reads a wall clock.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

/// Milliseconds since 1970-01-01T00:00:00Z, the representation used by the C ABI.
///   `Instant t = hotline::from_unix_ms(1735689600000);`
constexpr Instant from_unix_ms(std::int64_t ms) noexcept { return Instant{Duration{ms}}; }

/// The inverse of from_unix_ms.
constexpr std::int64_t to_unix_ms(Instant t) noexcept { return t.time_since_epoch().count(); }

/// Parses a duration such as "90s", "1h30m", "250ms", "1.5h" or "2d" (d = 24 h).
/// A bare number is seconds. Throws hotline::Error (invalid_argument) naming the text.
///   `hotline::parse_duration("8h") == std::chrono::hours{8}`
Duration parse_duration(std::string_view text);

/// Formats a duration compactly: "1h30m", "15s", "250ms", "0s"; negative values get a leading '-'.
std::string format_duration(Duration d);

/// Parses an ISO 8601 instant with an explicit offset, e.g. "2025-01-27T09:00:00+08:00",
/// "2025-01-27T01:00:00Z", or with fractional seconds. Throws hotline::Error on anything else.
/// (Local times without an offset need a time zone: see hotline::calendar::parse_local.)
Instant parse_instant(std::string_view text);

/// Formats an instant as ISO 8601 UTC, e.g. "2025-01-27T01:00:00Z" (milliseconds only when
/// non-zero).
std::string format_instant(Instant t);

}  // namespace hotline
