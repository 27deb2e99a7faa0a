// hotline sla: the streaming sliding-window service level.
#include <hotline/core/error.hpp>
#include <hotline/sla/sliding_window.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace hotline::sla {

namespace {
// Event kinds (bit flags) stored per event.
constexpr std::uint32_t kArrival = 1u << 0;
constexpr std::uint32_t kAnswered = 1u << 1;
constexpr std::uint32_t kAbandoned = 1u << 2;
constexpr std::uint32_t kExited = 1u << 3;
constexpr std::uint32_t kWithin = 1u << 4;
constexpr std::uint32_t kShort = 1u << 5;
static_assert(kShort < 0x100u, "the flags share a word with the wait (Event::wait_kind)");
}  // namespace

void SlidingWindow::Ring::push_back(const Event& e) {
  if (size == slots.size()) {
    // Grow by doubling, unrolling the ring so that head becomes 0.
    std::vector<Event> bigger;
    bigger.reserve(slots.empty() ? 64 : slots.size() * 2);
    for (std::size_t i = 0; i < size; ++i) bigger.push_back(slots[(head + i) % slots.size()]);
    bigger.resize(bigger.capacity());
    slots = std::move(bigger);
    head = 0;
  }
  std::size_t tail = head + size;
  if (tail >= slots.size()) tail -= slots.size();
  slots[tail] = e;
  ++size;
}

void SlidingWindow::Ring::pop_front() noexcept {
  ++head;
  if (head == slots.size()) head = 0;
  --size;
}

SlidingWindow::SlidingWindow(std::vector<TierTarget> tiers, SlidingWindowOptions options)
    : tiers_(std::move(tiers)), options_(options) {
  auto fail = [](std::string where, std::string message) {
    throw Error(ErrorCode::invalid_argument, std::move(where), std::move(message));
  };
  if (tiers_.empty()) fail("tiers", "a sliding window needs at least one tier");
  if (options_.window <= Duration::zero()) {
    fail("window",
         fmt::format("the window must be positive (got {})", format_duration(options_.window)));
  }
  if (options_.short_abandon < Duration::zero()) {
    fail("short_abandon", "the short-abandon threshold must not be negative");
  }
  if (static_cast<unsigned>(options_.variant) >
      static_cast<unsigned>(ServiceLevelVariant::offered_excl_short_abandoned)) {
    fail("variant", "unknown service-level variant");
  }
  for (std::size_t i = 0; i < tiers_.size(); ++i) {
    const TierTarget& t = tiers_[i];
    if (t.tier.empty()) fail(fmt::format("tiers/{}/tier", i), "the tier name must not be empty");
    for (std::size_t j = 0; j < i; ++j) {
      if (tiers_[j].tier == t.tier) {
        fail(fmt::format("tiers/{}/tier", i), fmt::format("duplicate tier '{}'", t.tier));
      }
    }
    if (t.target.threshold < Duration::zero()) {
      fail(fmt::format("tiers/{}/threshold", i), "the threshold must not be negative");
    }
    if (!(t.target.fraction > 0.0 && t.target.fraction <= 1.0)) {
      fail(fmt::format("tiers/{}/fraction", i),
           fmt::format("the target fraction must be in (0, 1] (got {})", t.target.fraction));
    }
  }
  state_.resize(tiers_.size());
}

SlidingWindow SlidingWindow::hotline_preset(SlidingWindowOptions options) {
  using std::chrono::seconds;
  return SlidingWindow({{"vip", {seconds{15}, 0.85}}, {"ordinary", {seconds{20}, 0.75}}}, options);
}

const TierTarget& SlidingWindow::tier(std::size_t index) const {
  check_tier(index, "tier");
  return tiers_[index];
}

std::size_t SlidingWindow::tier_index(std::string_view name) const {
  for (std::size_t i = 0; i < tiers_.size(); ++i) {
    if (tiers_[i].tier == name) return i;
  }
  throw Error(ErrorCode::not_found, "tier", fmt::format("no tier named '{}'", name));
}

void SlidingWindow::tier_out_of_range(std::size_t tier, const char* what) const {
  throw Error(
      ErrorCode::invalid_argument, what,
      fmt::format("tier index {} out of range (the window has {} tiers)", tier, tiers_.size()));
}

void SlidingWindow::time_went_back(Instant at) const {
  throw Error(ErrorCode::invalid_argument, "at",
              fmt::format("events must come in time order: {} is before the latest instant {}",
                          format_instant(at), format_instant(latest_)));
}

void SlidingWindow::apply(TierState& s, const Event& e, std::int64_t sign) const noexcept {
  WindowStats& st = s.stats;
  if (e.kind() & kArrival) {
    st.arrivals += sign;
    return;
  }
  ++s.revision;
  st.counts.offered += sign;
  if (e.kind() & kAnswered) {
    st.counts.answered += sign;
    st.total_answer_wait += Duration{sign * e.wait_ms()};
    if (e.kind() & kWithin) st.counts.answered_within += sign;
  } else if (e.kind() & kAbandoned) {
    st.counts.abandoned += sign;
    if (e.kind() & kWithin) st.counts.abandoned_within += sign;
    if (e.kind() & kShort) st.counts.short_abandoned += sign;
  }
}

void SlidingWindow::push(std::size_t tier, Instant at, Duration wait, std::uint32_t kind) {
  check_tier(tier, "tier");
  check_time(at);
  if (wait < Duration::zero() || wait > kMaxWait) {
    throw Error(ErrorCode::invalid_argument, "wait",
                fmt::format("the wait must lie within 0 .. {} (got {})", format_duration(kMaxWait),
                            format_duration(wait)));
  }
  if (kind & (kAnswered | kAbandoned)) {
    if (wait <= tiers_[tier].target.threshold) kind |= kWithin;
    if ((kind & kAbandoned) && wait < options_.short_abandon) kind |= kShort;
  }
  static_assert(kMaxWait.count() < (std::int64_t{1} << 40));
  const Event e{to_unix_ms(at), (static_cast<std::uint64_t>(wait.count()) << 8) | kind};
  TierState& s = state_[tier];
  s.events.push_back(e);  // may throw bad_alloc: nothing has changed yet
  next_expiry_ms_ = std::min(next_expiry_ms_, e.at_ms);
  apply(s, e, +1);
  latest_ = at;
  started_ = true;
  expire(s, at);
}

void SlidingWindow::arrived(std::size_t tier, Instant at) {
  push(tier, at, Duration::zero(), kArrival);
}
void SlidingWindow::answered(std::size_t tier, Instant at, Duration wait) {
  push(tier, at, wait, kAnswered);
}
void SlidingWindow::abandoned(std::size_t tier, Instant at, Duration wait) {
  push(tier, at, wait, kAbandoned);
}
void SlidingWindow::exited(std::size_t tier, Instant at, Duration wait) {
  push(tier, at, wait, kExited);
}

void SlidingWindow::expire(TierState& s, Instant now) const noexcept {
  // An event at e is inside the window when now - N < e, so it leaves once e <= now - N.
  // Only the tier touched is expired: each operation stays O(1) amortised whatever the number
  // of tiers, and a tier's counts are brought up to date before it is read.
  // Within N of INT64_MIN the window's start lies before every representable instant: nothing
  // has left it yet (and now - N must not overflow).
  std::int64_t horizon = 0;
  if (__builtin_sub_overflow(to_unix_ms(now), options_.window.count(), &horizon)) return;
  while (s.events.size > 0 && s.events.front().at_ms <= horizon) {
    apply(s, s.events.front(), -1);
    s.events.pop_front();
  }
}

void SlidingWindow::touch(std::size_t tier, Instant now) {
  check_tier(tier, "tier");
  check_time(now);
  latest_ = now;
  started_ = true;
  expire(state_[tier], now);
}

void SlidingWindow::advance(Instant now) {
  check_time(now);
  latest_ = now;
  started_ = true;
  // next_expiry_ms_ is at most the oldest event of any tier (push() lowers it; a single tier's
  // expiry may leave it lower than need be, which only costs this loop once): when the window's
  // start has not reached it, no event leaves and the tiers need not be visited. A host that
  // advances the window several times at one instant, or between expiries, pays one compare.
  std::int64_t horizon = 0;
  if (__builtin_sub_overflow(to_unix_ms(now), options_.window.count(), &horizon)) return;
  if (horizon < next_expiry_ms_) return;
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  for (TierState& s : state_) {
    expire(s, now);
    if (s.events.size > 0) next = std::min(next, s.events.front().at_ms);
  }
  next_expiry_ms_ = next;
}

void SlidingWindow::clear() noexcept {
  for (TierState& s : state_) s = TierState{.events = {}, .stats = {}, .revision = s.revision + 1};
  started_ = false;
  latest_ = Instant{};
  next_expiry_ms_ = std::numeric_limits<std::int64_t>::max();
}

double SlidingWindow::level(std::size_t tier) const noexcept {
  const double sl = sla::service_level(state_[tier].stats.counts, options_.variant);
  return std::isnan(sl) ? 1.0 : sl;
}

double SlidingWindow::service_level(std::size_t tier, Instant now) {
  touch(tier, now);
  return level(tier);
}

double SlidingWindow::gap(std::size_t tier, Instant now) {
  touch(tier, now);
  return tiers_[tier].target.fraction - level(tier);
}

double SlidingWindow::calls_to_target(std::size_t tier, Instant now) {
  touch(tier, now);
  const Ratio r = service_level_ratio(state_[tier].stats.counts, options_.variant);
  const double num = static_cast<double>(r.numerator);
  const double den = static_cast<double>(r.denominator);
  const double t = tiers_[tier].target.fraction;
  if (num >= t * den - 1e-9 * den) {
    // At or above target: misses m keep num / (den + m) >= t, so m <= num / t - den.
    return 0.0 - std::floor(num / t - den + 1e-9);
  }
  // Below target: x hits give (num + x) / (den + x) >= t, so x >= (t den - num) / (1 - t).
  if (t >= 1.0) return std::numeric_limits<double>::infinity();
  return std::ceil((t * den - num) / (1.0 - t) - 1e-9);
}

WindowStats SlidingWindow::stats(std::size_t tier, Instant now) {
  touch(tier, now);
  WindowStats s = state_[tier].stats;
  s.service_level = level(tier);
  return s;
}

}  // namespace hotline::sla
