// hotline sla: a streaming service level over the last N minutes, per tier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <hotline/core/time.hpp>
#include <hotline/sla/service_level.hpp>

namespace hotline::sla {

/// One tier (customer class, e.g. "vip" / "ordinary") and its target.
struct TierTarget {
  std::string tier;
  Target target;
  friend bool operator==(const TierTarget&, const TierTarget&) = default;
};

/// Options of a SlidingWindow (a plain aggregate with defaults).
struct SlidingWindowOptions {
  /// Length N of the window: a contact counts while now - N < outcome instant <= now.
  Duration window{std::chrono::minutes{15}};
  /// Which service-level definition service_level() / gap() / calls_to_target() use.
  ServiceLevelVariant variant = ServiceLevelVariant::answered;
  /// Abandons with a wait strictly below this are "short" (offered_excl_short_abandoned).
  Duration short_abandon{std::chrono::seconds{5}};
};

/// What a window holds for one tier at a given instant.
struct WindowStats {
  Counts counts;                  ///< Contacts whose outcome fell inside the window.
  std::int64_t arrivals = 0;      ///< arrived() events inside the window (live load).
  Duration total_answer_wait{0};  ///< Sum of the waits of the answered contacts (ASA numerator).
  double service_level = 1.0;     ///< As SlidingWindow::service_level().
};

/// A live, per-tier service level over the last N minutes, for wallboards and SLA-aware routing.
///
/// The host feeds one event per contact outcome, stamped with the instant the outcome happened
/// and the contact's queue wait (outcome instant - arrival instant): answered(), abandoned(),
/// exited() (left the queue another way: timeout, queue closed, transfer out). A contact is
/// counted in the window by its *outcome* instant, so the live figure never waits for calls still
/// queued (interval reports, by contrast, count contacts by arrival: see records.hpp).
///
/// Cost: each event is stored once and expired once, so updates and queries are O(1) amortised;
/// memory is proportional to the events inside the window. Events must come in time order
/// (non-decreasing instants, across all tiers, also after a query at `now`); an earlier instant
/// throws invalid_argument and changes nothing. Not thread-safe (one thread at a time).
///
///   SlidingWindow w({{"vip", {15s, 0.85}}, {"ordinary", {20s, 0.75}}}, {.window = 15min});
///   w.answered(w.tier_index("vip"), t, 12s);
///   if (w.gap(0, now) > 0) { /* vip below target: raise its priority */ }
class SlidingWindow {
 public:
  /// Throws hotline::Error (invalid_argument) when there is no tier, a tier name is empty or
  /// repeated, a threshold is negative, a fraction is outside (0, 1], the window is not positive
  /// or the short-abandon threshold is negative. where() names the field ("tiers/1/fraction").
  explicit SlidingWindow(std::vector<TierTarget> tiers, SlidingWindowOptions options = {});

  /// The telecom-hotline preset: "vip" 85% within 15 s (index 0), "ordinary" 75% within 20 s
  /// (index 1).
  static SlidingWindow hotline_preset(SlidingWindowOptions options = {});

  std::size_t tier_count() const noexcept { return tiers_.size(); }
  const TierTarget& tier(std::size_t index) const;  ///< Throws invalid_argument when out of range.
  /// Index of a tier by name; throws hotline::Error (not_found).
  std::size_t tier_index(std::string_view name) const;
  const SlidingWindowOptions& options() const noexcept { return options_; }
  /// The latest instant seen (event or query); events before it are rejected.
  Instant latest() const noexcept { return latest_; }

  /// A contact of `tier` entered the queue at `at` (counts only towards WindowStats::arrivals).
  void arrived(std::size_t tier, Instant at);
  /// The longest wait an event may carry (kMaxContactDuration): sums of waits cannot overflow.
  static constexpr Duration kMaxWait = kMaxContactDuration;

  /// A contact of `tier` was answered at `at` after waiting `wait` (>= 0) in queue.
  void answered(std::size_t tier, Instant at, Duration wait);
  /// A contact of `tier` hung up in queue at `at` after waiting `wait` (>= 0).
  void abandoned(std::size_t tier, Instant at, Duration wait);
  /// A contact of `tier` left the queue unanswered for another reason at `at` (counts as offered).
  void exited(std::size_t tier, Instant at, Duration wait);

  /// Moves the window's end to `now`, expiring older events (queries do this themselves).
  void advance(Instant now);
  /// Forgets every event (the tiers and options stay).
  void clear() noexcept;

  /// The service level of `tier` over (now - N, now] in the configured variant. 1.0 when no
  /// contact is in the denominator yet (nothing has missed), so that routing can use it directly.
  double service_level(std::size_t tier, Instant now);
  /// target fraction - service_level(): > 0 means below target (the larger, the more urgent).
  double gap(std::size_t tier, Instant now);
  /// How far the tier is from its target in contacts. Positive: the number of consecutive
  /// contacts answered within T needed to reach the target (+infinity for a 100% target that has
  /// missed). Zero or negative: minus the number of further misses the tier can absorb and still
  /// be at or above target. A usable dynamic-priority figure: it weighs the gap by volume.
  double calls_to_target(std::size_t tier, Instant now);
  /// Every count of `tier` over (now - N, now].
  WindowStats stats(std::size_t tier, Instant now);

  /// The service level of `tier` as of the latest event, query or advance() (the window is not
  /// moved). Throws invalid_argument when out of range.
  double current_level(std::size_t tier) const {
    check_tier(tier, "tier");
    return level(tier);
  }
  /// A counter that changes whenever the counts behind the tier's service level change (an
  /// answered, abandoned or exited contact entering or leaving the window; arrivals do not count).
  /// Equal revisions mean an equal current_level(), so a caller can cache what it derives from
  /// the level (SLA-aware routing recomputes a tier's boost only when its revision moved).
  std::uint64_t revision(std::size_t tier) const {
    check_tier(tier, "tier");
    return state_[tier].revision;
  }

 private:
  // 16 bytes: a 30-minute window at a hundred contacts a second holds 180,000 of them, and the
  // ring is streamed through the cache as it fills and expires.
  struct Event {
    std::int64_t at_ms;
    std::uint64_t wait_kind;  // wait in ms (<= kMaxWait < 2^40) << 8 | detail bit flags
    std::int64_t wait_ms() const noexcept { return static_cast<std::int64_t>(wait_kind >> 8); }
    std::uint32_t kind() const noexcept { return static_cast<std::uint32_t>(wait_kind & 0xFFu); }
  };
  // A growable ring buffer: O(1) amortised push_back / pop_front, contiguous storage.
  struct Ring {
    std::vector<Event> slots;
    std::size_t head = 0;
    std::size_t size = 0;
    void push_back(const Event& e);
    const Event& front() const noexcept { return slots[head]; }
    void pop_front() noexcept;
  };
  struct TierState {
    Ring events;
    WindowStats stats;
    std::uint64_t revision = 0;
  };

  // The checks run on every call: the comparison is inline, the throw out of line.
  void check_tier(std::size_t tier, const char* what) const {
    if (tier >= tiers_.size()) [[unlikely]]
      tier_out_of_range(tier, what);
  }
  void check_time(Instant at) const {
    if (started_ && at < latest_) [[unlikely]]
      time_went_back(at);
  }
  [[noreturn]] void tier_out_of_range(std::size_t tier, const char* what) const;
  [[noreturn]] void time_went_back(Instant at) const;
  void push(std::size_t tier, Instant at, Duration wait, std::uint32_t kind);
  void apply(TierState& s, const Event& e, std::int64_t sign) const noexcept;
  void expire(TierState& s, Instant now) const noexcept;
  void touch(std::size_t tier, Instant now);
  double level(std::size_t tier) const noexcept;

  std::vector<TierTarget> tiers_;
  SlidingWindowOptions options_;
  std::vector<TierState> state_;
  Instant latest_{};
  bool started_ = false;
  // A lower bound on the oldest event's time in any tier (see advance()).
  std::int64_t next_expiry_ms_ = std::numeric_limits<std::int64_t>::max();
};

}  // namespace hotline::sla
