// hotline sla: service-level variants.
#include <hotline/core/error.hpp>
#include <hotline/sla/service_level.hpp>

#include <array>
#include <limits>
#include <string>

namespace hotline::sla {

namespace {
constexpr std::array<const char*, 5> kVariantNames = {"answered", "answered_abandoned", "offered",
                                                      "offered_excl_abandoned_within",
                                                      "offered_excl_short_abandoned"};
}  // namespace

const char* to_string(ServiceLevelVariant variant) noexcept {
  const auto i = static_cast<std::size_t>(variant);
  return i < kVariantNames.size() ? kVariantNames[i] : "unknown";
}

ServiceLevelVariant parse_service_level_variant(std::string_view text) {
  for (std::size_t i = 0; i < kVariantNames.size(); ++i) {
    if (text == kVariantNames[i]) return static_cast<ServiceLevelVariant>(i);
  }
  throw Error(ErrorCode::invalid_argument, "variant",
              "unknown service-level variant '" + std::string(text) +
                  "' (expected answered, answered_abandoned, offered, "
                  "offered_excl_abandoned_within or offered_excl_short_abandoned)");
}

Ratio service_level_ratio(const Counts& c, ServiceLevelVariant variant) noexcept {
  switch (variant) {
    case ServiceLevelVariant::answered:
      return {c.answered_within, c.answered};
    case ServiceLevelVariant::answered_abandoned:
      return {c.answered_within + c.abandoned_within, c.answered + c.abandoned};
    case ServiceLevelVariant::offered:
      return {c.answered_within, c.offered};
    case ServiceLevelVariant::offered_excl_abandoned_within:
      return {c.answered_within, c.offered - c.abandoned_within};
    case ServiceLevelVariant::offered_excl_short_abandoned:
      return {c.answered_within, c.offered - c.short_abandoned};
  }
  return {0, 0};
}

double service_level(const Counts& counts, ServiceLevelVariant variant) noexcept {
  const Ratio r = service_level_ratio(counts, variant);
  if (r.denominator <= 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(r.numerator) / static_cast<double>(r.denominator);
}

}  // namespace hotline::sla
