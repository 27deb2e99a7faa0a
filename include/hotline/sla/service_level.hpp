// hotline sla: service-level vocabulary shared by the sliding window and the interval reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <hotline/core/time.hpp>

namespace hotline::sla {

/// The longest wait, talk, hold or wrap-up any sla input may carry (ten years of 366 days):
/// longer is a corrupt field, not a contact; it bounds sums of durations and the span of
/// interval reports. Records (CSV, queue_log, RecordSet::add) and the sliding window refuse more.
inline constexpr Duration kMaxContactDuration = std::chrono::hours{24 * 366 * 10};

/// A service-level target: at least `fraction` of contacts answered within `threshold`.
/// "Within" means a wait <= threshold (the convention of Asterisk's app_queue and of most ACDs).
///   `Target vip{std::chrono::seconds{15}, 0.85};  // 85% within 15 s`
struct Target {
  Duration threshold{std::chrono::seconds{20}};
  double fraction = 0.8;  ///< In (0, 1].
  friend bool operator==(const Target&, const Target&) = default;
};

/// The named ways of turning counts into a service level. Every variant's numerator is
/// `answered_within` (plus `abandoned_within` for answered_abandoned); they differ in which
/// abandons count against the centre. See docs/sla.md for when each is used.
enum class ServiceLevelVariant {
  /// answered_within / answered. Asterisk's "SL" (QUEUE_SHOW / queue_log reports).
  answered,
  /// (answered_within + abandoned_within) / (answered + abandoned). Asterisk's "SL2": an abandon
  /// within T counts as met (the caller gave up before the centre could have been late).
  answered_abandoned,
  /// answered_within / offered: every contact counts, abandons are misses.
  offered,
  /// answered_within / (offered - abandoned_within): abandons within T are excluded (neutral).
  offered_excl_abandoned_within,
  /// answered_within / (offered - short_abandoned): only "short" abandons (wait below the
  /// short-abandon threshold, typically a few seconds: misdials, callers who change their mind)
  /// are excluded; every other abandon is a miss.
  offered_excl_short_abandoned,
};

/// Stable short name: "answered", "answered_abandoned", "offered",
/// "offered_excl_abandoned_within", "offered_excl_short_abandoned".
const char* to_string(ServiceLevelVariant variant) noexcept;
/// Inverse of to_string. Throws hotline::Error (invalid_argument) naming the text.
ServiceLevelVariant parse_service_level_variant(std::string_view text);

/// Contact counts from which every service-level variant is computed.
/// Invariants: answered_within <= answered, short_abandoned <= abandoned,
/// abandoned_within <= abandoned, answered + abandoned <= offered (the rest left the queue some
/// other way: timeout, queue closed, transferred out).
struct Counts {
  std::int64_t offered = 0;
  std::int64_t answered = 0;
  std::int64_t abandoned = 0;
  std::int64_t answered_within = 0;   ///< Answered with wait <= T.
  std::int64_t abandoned_within = 0;  ///< Abandoned with wait <= T.
  std::int64_t short_abandoned = 0;   ///< Abandoned with wait < the short-abandon threshold.
  friend bool operator==(const Counts&, const Counts&) = default;
};

/// Numerator and denominator of a variant (exposed so that callers can pool counts correctly:
/// the service level of a day is the ratio of summed numerators and denominators, never the mean
/// of interval percentages).
struct Ratio {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
};
Ratio service_level_ratio(const Counts& counts, ServiceLevelVariant variant) noexcept;

/// The service level of `counts` in the given variant, in [0, 1]; NaN when the denominator is 0
/// (no contact to judge).   `service_level(c, ServiceLevelVariant::answered)`
double service_level(const Counts& counts, ServiceLevelVariant variant) noexcept;

}  // namespace hotline::sla
