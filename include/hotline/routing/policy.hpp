// hotline::routing — routing policies: tiers and their classification, queues with ordered
// steps (skill expansion, proficiency relaxation, overflow), agent-selection strategies,
// contact ordering (priority with aging, SLA-aware boosts, a starvation bound), callbacks,
// closed hours, first-contact responsibility. Loaded from JSON (docs/routing.md,
// examples/routing/policy.schema.json) or built in code; validated once, then immutable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/time.hpp>
#include <hotline/sla/service_level.hpp>

namespace hotline::routing {

/// Agent career grade (junior -> intermediate -> senior -> expert seat).
enum class Grade : std::uint8_t { junior = 0, intermediate, senior, expert };
/// Agent pool: inbound and outbound seats are separate; blended agents serve both.
enum class Pool : std::uint8_t { inbound = 0, outbound, blended };

/// How a queue picks among the agents who could take a contact now.
enum class Strategy : std::uint8_t {
  longest_idle = 0,  ///< The agent available for the longest time (ACD default).
  fewest_calls,      ///< Fewest contacts accepted since login; ties: longest idle.
  least_talk_time,   ///< Least talk time since login; ties: longest idle.
  round_robin,       ///< The agent offered a contact from this queue least recently.
  linear,            ///< Top-down by the agent's `order` (hunt group).
  random,            ///< Uniformly at random (deterministic from the router's seed).
  weighted_random,   ///< At random, weighted by the agent's proficiency on the queue's skills.
  ring_all,          ///< Offer to up to ring_all_limit agents at once; first accept wins.
  best_skill,        ///< Highest proficiency on the queue's skills; ties: longest idle.
};

/// What a queue does with a contact that arrives while its calendar is closed.
enum class ClosedAction : std::uint8_t {
  reject = 0,  ///< A `rejected` decision (reason closed): the host plays its closed message.
  callback,    ///< Queue the contact as a callback, served when agents are there.
  overflow,    ///< Send the contact to `closed_to` (another queue).
};

std::string_view to_string(Grade g) noexcept;
std::string_view to_string(Pool p) noexcept;
std::string_view to_string(Strategy s) noexcept;
std::string_view to_string(ClosedAction a) noexcept;

/// A skill a queue (or a contact) requires, with the minimum proficiency (1..5).
struct SkillNeed {
  std::string skill;
  int min_proficiency = 1;
  friend bool operator==(const SkillNeed&, const SkillNeed&) = default;
};

/// One condition of a tier rule on a host attribute (ARPU, service grade, ...). Numeric
/// operators read the attribute as a number; `in` compares text.
struct Condition {
  enum class Op : std::uint8_t { at_least = 0, below, equals, in };
  std::string attribute;
  Op op = Op::at_least;
  double number = 0;                ///< at_least / below
  std::vector<std::string> values;  ///< equals (one value) / in
  friend bool operator==(const Condition&, const Condition&) = default;
};

/// The first rule whose conditions all hold classifies the contact into `tier`.
struct TierRule {
  std::string tier;
  std::vector<Condition> when;
  friend bool operator==(const TierRule&, const TierRule&) = default;
};

/// A service tier: L1 (straight to a human, skipping the IVR), L2 (priority human), L3
/// (ordinary); VIP or ordinary with its SLA target (85% in 15 s, 75% in 20 s).
struct Tier {
  std::string name;
  int priority = 0;         ///< Points added to every contact of the tier.
  sla::Target target{};     ///< Live service-level target (SLA-aware ordering).
  bool vip = false;         ///< Reporting: VIP or ordinary.
  bool bypass_ivr = false;  ///< L1: the IVR transfers these callers to a human at once.
  friend bool operator==(const Tier&, const Tier&) = default;
};

/// One ring of a queue (Genesys bullseye, FreeSWITCH tier levels). A contact enters step 0 on
/// arrival and step k when it has waited `after`; at step k it may be offered to any agent who
/// matches steps 0..k (rings expand, the inner ones stay eligible).
struct Step {
  Duration after{0};                   ///< Step 0: 0; then strictly increasing.
  std::vector<SkillNeed> skills;       ///< Empty: the queue's skills.
  std::optional<int> min_proficiency;  ///< Relaxation: replaces every skill's minimum.
  Grade min_grade = Grade::junior;
  std::string overflow_to;  ///< Non-empty: at `after` the contact moves to this queue.
  friend bool operator==(const Step&, const Step&) = default;
};

/// A queue: what its contacts need and how they are ordered and served.
struct Queue {
  std::string name;
  std::string channel = "voice";  ///< A name in Definition::channels.
  std::vector<SkillNeed> skills;  ///< Required of every agent (step 0 ring).
  bool language_required = true;  ///< Agents must speak the contact's language.
  std::vector<Pool> pools{Pool::inbound, Pool::blended};
  Strategy strategy = Strategy::longest_idle;
  int ring_all_limit = 16;     ///< ring_all: most agents offered at once.
  std::vector<Step> steps;     ///< Empty: one step, the queue's skills.
  int priority = 0;            ///< Points added to the queue's contacts.
  double aging_per_s = 1.0;    ///< Points a contact gains per second of waiting.
  std::size_t max_length = 0;  ///< Waiting contacts; 0 = unlimited.
  Duration max_wait{0};        ///< 0 = none; else the contact times out.
  std::string timeout_to;      ///< At max_wait: overflow here (empty: time out).
  Duration callback_over{0};  ///< Offer a callback when the predicted wait exceeds this (0: never).
  std::string calendar;       ///< Opening hours (a name in calendars); empty: 7x24.
  ClosedAction closed = ClosedAction::reject;
  std::string closed_to;  ///< overflow target when closed.
  Duration wrap_up{
      std::chrono::seconds{10}};  ///< After-contact work; ends earlier on wrap_up_done.
  Duration expected_handle{std::chrono::seconds{300}};  ///< Prior for the predicted wait.
  Duration owner_wait{std::chrono::seconds{30}};        ///< First-contact responsibility hold.
  friend bool operator==(const Queue&, const Queue&) = default;
};

/// A channel and the default number of contacts of it an agent holds at once.
struct Channel {
  std::string name;
  int default_capacity = 1;
  friend bool operator==(const Channel&, const Channel&) = default;
};

/// Policy-wide rules.
struct Rules {
  Duration offer_timeout{std::chrono::seconds{15}};  ///< Ring-no-answer after this.
  Duration reject_cooldown{
      std::chrono::seconds{5}};  ///< No offers to an agent after a reject / RNA.
  int rna_limit = 3;  ///< Consecutive ring-no-answers that put the agent not ready (0: never).
  std::string rna_reason = "ring-no-answer";
  /// Starvation bound: a contact that has waited this long is served before every contact that
  /// has not (FIFO among such contacts), across queues. 0 disables (aging alone then bounds it).
  Duration max_wait{std::chrono::seconds{300}};
  bool sla_aware = true;      ///< Boost tiers whose live service level is below target.
  double sla_weight = 100.0;  ///< Points added per unit of gap (target - live level), at most this.
  Duration sla_window{std::chrono::minutes{15}};  ///< The live sliding window.
  Duration announce_every{0};  ///< Position / wait announcements while queued (0: on arrival only).
  bool announce = true;        ///< Emit position / predicted-wait announcements.
  friend bool operator==(const Rules&, const Rules&) = default;
};

/// The whole definition as plain data: build it in code, then Policy::build validates it.
struct Definition {
  std::string name = "policy";
  std::string version = "1";
  std::vector<std::string> skills;     ///< Every skill name used anywhere.
  std::vector<std::string> languages;  ///< Every language code used anywhere.
  std::vector<Channel> channels{{"voice", 1}};
  std::vector<Tier> tiers;
  std::vector<TierRule> tier_rules;  ///< First match wins.
  std::string default_tier;          ///< When no rule matches.
  std::vector<Queue> queues;
  std::map<std::string, calendar::Calendar, std::less<>> calendars;
  Rules rules;
};

/// A validated, immutable routing policy. Share it between routers and threads freely.
///
///   auto policy = hotline::routing::Policy::load("examples/routing/policy.json");
///   hotline::routing::Router router(policy);
class Policy {
 public:
  /// Validates a definition; every problem is reported at once, each at its JSON pointer
  /// ("/queues/2/steps/1/after"), as Error(invalid_definition).
  static std::shared_ptr<const Policy> build(Definition definition);
  /// Parses and validates JSON text (calendar files relative to base_dir).
  static std::shared_ptr<const Policy> from_json(std::string_view json,
                                                 const std::filesystem::path& base_dir = {});
  /// Reads a file (calendar files relative to it).
  static std::shared_ptr<const Policy> load(const std::filesystem::path& path);

  const Definition& definition() const noexcept { return def_; }
  /// Canonical JSON (calendars inlined): loads back to an equal policy.
  std::string to_json() const;

  std::size_t queue_count() const noexcept { return def_.queues.size(); }
  const Queue& queue(std::size_t index) const { return def_.queues.at(index); }
  /// Index of a queue / tier / skill / language / channel by name; throws not_found.
  std::size_t queue_index(std::string_view name) const;
  std::size_t tier_index(std::string_view name) const;
  std::size_t skill_index(std::string_view name) const;
  std::size_t language_index(std::string_view name) const;
  std::size_t channel_index(std::string_view name) const;
  /// Index of a queue / skill / language / tier by name, or nothing.
  std::optional<std::size_t> find_queue(std::string_view name) const noexcept {
    return NameIndex::wrap(queue_ix_.find(name));
  }
  std::optional<std::size_t> find_skill(std::string_view name) const noexcept {
    return NameIndex::wrap(skill_ix_.find(name));
  }
  std::optional<std::size_t> find_language(std::string_view name) const noexcept {
    return NameIndex::wrap(language_ix_.find(name));
  }
  std::optional<std::size_t> find_tier(std::string_view name) const noexcept {
    return NameIndex::wrap(tier_ix_.find(name));
  }

  /// The tier the rules give for host attributes (ARPU, service grade, ...): the first rule
  /// whose conditions all hold, else the default tier. Missing attributes fail their condition;
  /// a numeric condition on a non-numeric value fails too.
  std::size_t classify(const std::map<std::string, std::string, std::less<>>& attributes) const;

  /// Steps of a queue after defaulting (never empty).
  const std::vector<Step>& steps(std::size_t queue) const { return steps_.at(queue); }
  /// The queue's opening-hours calendar, or nullptr for 7x24.
  const calendar::Calendar* queue_calendar(std::size_t queue) const;

  /// Rough upper bound on how long a younger contact can be preferred to an older one that
  /// both fit the same agent: min(rules.max_wait, (priority spread + sla_weight) / min aging).
  std::optional<Duration> starvation_bound() const noexcept { return starvation_bound_; }

 private:
  explicit Policy(Definition d);
  Definition def_;
  std::vector<std::vector<Step>> steps_;
  std::vector<const calendar::Calendar*> queue_calendars_;
  std::optional<Duration> starvation_bound_;
  /// Name -> index, open addressing (linear probing, at most half full): the router looks a
  /// queue, a tier and a language up on every arrival. A name of up to 16 bytes is held in its
  /// slot, so that a lookup compares two words and reads no string.
  class NameIndex {
   public:
    void build(const std::vector<std::string>& names);  ///< names are unique
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    /// The index, or npos. A plain integer: an optional built in an out-of-line call goes
    /// through memory (byte store, word load) and stalls every arrival.
    std::size_t find(std::string_view name) const noexcept;
    static std::optional<std::size_t> wrap(std::size_t i) noexcept {
      return i == npos ? std::nullopt : std::optional<std::size_t>(i);
    }

   private:
    struct Slot {
      std::uint64_t w0 = 0, w1 = 0;  // the first 16 bytes, zero-padded
      std::uint32_t len = 0;
      std::uint32_t index = 0;  // + 1; 0: empty
    };
    std::vector<Slot> slots_;
    std::vector<std::string> names_;
    std::uint64_t mask_ = 0;
  };
  NameIndex queue_ix_, skill_ix_, language_ix_, tier_ix_;
};

}  // namespace hotline::routing
