// hotline::routing — the router: a host-driven, deterministic ACD engine. Events in (contact
// arrived / abandoned / ended, agent login / ready / not ready, offer accepted / rejected,
// wrap-up done, advance(now)); decisions out (offer, withdraw, announce, callback offer,
// overflow, reject, time out), each with its explanation. docs/routing.md has the model.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <hotline/core/time.hpp>
#include <hotline/routing/policy.hpp>

namespace hotline::routing {

using AgentId = std::uint64_t;    ///< The host's agent id.
using ContactId = std::uint64_t;  ///< The host's contact (call, chat) id.

/// A skill an agent has, with proficiency 1..5.
struct AgentSkill {
  std::string skill;
  int proficiency = 1;
  friend bool operator==(const AgentSkill&, const AgentSkill&) = default;
};

/// Who an agent is, given at login.
struct AgentProfile {
  AgentId id = 0;
  std::string name;  ///< For explanations; may be empty.
  std::vector<AgentSkill> skills;
  std::vector<std::string> languages;
  Grade grade = Grade::junior;
  Pool pool = Pool::inbound;
  std::map<std::string, int, std::less<>> capacity;  ///< Per channel; missing: the channel default.
  std::int64_t order = 0;  ///< Position for the linear strategy (lower first).
  friend bool operator==(const AgentProfile&, const AgentProfile&) = default;
};

/// A contact entering a queue.
struct ContactSpec {
  ContactId id = 0;
  std::string queue;
  std::string tier;  ///< Empty: classified from `attributes` by the policy's tier rules.
  std::map<std::string, std::string, std::less<>> attributes;  ///< Host data (arpu, grade, ...).
  std::string language;                                        ///< Empty: any agent.
  std::vector<SkillNeed> skills;                               ///< Needed on top of the queue's.
  int priority = 0;                                            ///< Points on top of tier and queue.
  std::string customer;          ///< Caller identity (reporting, explanations).
  std::optional<AgentId> owner;  ///< First-contact responsibility: the open ticket's owner.
  bool callback = false;         ///< Already a callback request (no caller on the line).
  friend bool operator==(const ContactSpec&, const ContactSpec&) = default;
};

/// What a decision tells the host to do.
enum class DecisionKind : std::uint8_t {
  offer = 0,        ///< Ring `agent` with `contact` (ring_all: several offers, first accept wins).
  withdraw,         ///< Stop ringing `agent` for `contact` (taken elsewhere, abandoned, timed out).
  announce,         ///< Tell the caller `position` and `predicted_wait`.
  callback_offer,   ///< Offer the caller a callback (keeps the place); answer with callback_*().
  overflow,         ///< `contact` moved to queue `queue` (from `from_queue`).
  rejected,         ///< `contact` was not queued (rule: queue_full or closed); it is gone.
  timed_out,        ///< `contact` reached the queue's max wait; it is gone.
  agent_not_ready,  ///< `agent` was set not ready by the router (ring-no-answer limit).
};

/// Why: the rule that produced a decision.
enum class Rule : std::uint8_t {
  strategy = 0,        ///< The queue's agent-selection strategy chose the agent.
  priority,            ///< The agent took the waiting contact with the highest effective priority.
  starvation,          ///< The contact had waited past rules.max_wait and went first.
  owner,               ///< First-contact responsibility: the ticket's owner.
  ring_all,            ///< One of the offers of a ring-all.
  accepted_elsewhere,  ///< Withdraw: another agent accepted.
  abandoned,           ///< Withdraw: the caller hung up.
  offer_timeout,       ///< Withdraw: nobody answered in rules.offer_timeout.
  agent_left,          ///< Withdraw: the agent went not ready or logged out.
  step,                ///< Overflow at a step of the queue.
  max_wait,            ///< Overflow / time-out at the queue's max wait.
  queue_full,          ///< Reject / overflow: max_length reached.
  closed,              ///< Reject / overflow / callback: the queue's calendar is closed.
  predicted_wait,      ///< Callback offer: the predicted wait exceeds callback_over.
  arrival,             ///< Announce on arrival.
  periodic,            ///< Announce every rules.announce_every.
  ring_no_answer,      ///< agent_not_ready after rules.rna_limit unanswered offers.
};

std::string_view to_string(DecisionKind k) noexcept;
std::string_view to_string(Rule r) noexcept;

/// One decision and its explanation.
struct Decision {
  DecisionKind kind = DecisionKind::offer;
  Rule rule = Rule::strategy;
  ContactId contact = 0;
  AgentId agent = 0;
  std::uint32_t queue = 0;       ///< Queue index (Policy::queue()).
  std::uint32_t from_queue = 0;  ///< overflow: the queue left.
  std::uint16_t step = 0;        ///< The contact's step when decided.
  std::uint32_t candidates = 0;  ///< offer by strategy: available eligible agents; by priority:
                                 ///< contacts waiting in the queue.
  double metric = 0;  ///< The strategy's metric (see docs/routing.md) or the effective priority.
  std::uint32_t position = 0;   ///< announce / callback_offer: 1 = next.
  Duration predicted_wait{-1};  ///< announce / callback_offer; -1 ms: unknown (no agents).
  Instant at{};
  friend bool operator==(const Decision&, const Decision&) = default;
};

/// A one-line human explanation ("offer contact 17 to agent 4 (li.na): queue billing step 1,
/// longest idle 42.0 s among 7 available").
std::string explain(const Decision& d, const Policy& policy);

/// Agent presence as the host set it.
enum class Presence : std::uint8_t { logged_out = 0, ready, not_ready };

/// A snapshot of one agent.
struct AgentStatus {
  Presence presence = Presence::logged_out;
  std::string reason;                      ///< not_ready reason.
  int offered = 0, busy = 0, wrap_up = 0;  ///< Contacts in each state, all channels.
  bool in_cooldown = false;                ///< After a reject / no answer.
  int consecutive_no_answer = 0;
  std::int64_t accepted = 0;  ///< Since login.
  Duration talk_time{0};      ///< Since login.
};

/// Where a contact is.
enum class ContactState : std::uint8_t { reserved = 0, waiting, offered, connected, wrap_up };

/// A snapshot of one contact.
struct ContactStatus {
  ContactState state = ContactState::waiting;
  std::uint32_t queue = 0;
  std::uint16_t step = 0;
  std::size_t tier = 0;
  Instant arrived{};
  std::vector<AgentId> offered_to;
  std::optional<AgentId> agent;  ///< connected / wrap_up.
  bool callback = false;
  bool starving = false;
};

/// Live counters of a queue.
struct QueueStats {
  std::int64_t waiting = 0;  ///< In queue now (reserved + waiting + offered).
  std::int64_t arrived = 0, answered = 0, abandoned = 0, timed_out = 0, rejected = 0;
  std::int64_t overflowed_out = 0, overflowed_in = 0, callbacks = 0;
  Duration average_handle{0};  ///< The estimate the predicted wait uses.
  std::int64_t staffed = 0;    ///< Logged-in agents (ready or busy) matching the first step.
};

/// One input event, as recorded for replay (Router::events()).
struct Event {
  enum class Kind : std::uint8_t {
    login = 0,
    logout,
    ready,
    not_ready,
    arrive,
    abandon,
    accept,
    reject,
    end,
    wrap_up_done,
    callback_accepted,
    callback_declined,
    advance,
  };
  Kind kind = Kind::advance;
  Instant at{};
  AgentId agent = 0;
  ContactId contact = 0;
  std::string reason;                   ///< not_ready.
  std::optional<AgentProfile> profile;  ///< login.
  std::optional<ContactSpec> spec;      ///< arrive.
  bool ready = true;                    ///< login: ready at once.
  friend bool operator==(const Event&, const Event&) = default;
};

std::string_view to_string(Event::Kind k) noexcept;
/// One JSON object per event (JSON Lines); from_json reports the field at fault.
std::string event_to_json(const Event& e);
Event event_from_json(std::string_view json_line);
/// A whole log: one line per event, each ending in a newline.
std::string events_to_jsonl(const std::vector<Event>& events);
/// Reads JSON Lines (blank lines skipped); an error is located "line N /field".
std::vector<Event> events_from_jsonl(std::string_view text);
/// One decision as a JSON object (kind and rule names, queue names, the explanation).
std::string decision_to_json(const Decision& d, const Policy& policy);

/// Options of a Router.
struct RouterOptions {
  std::uint64_t seed = 0;  ///< random / weighted_random strategies.
  /// false: find agents and contacts by scanning every agent / waiting contact per decision
  /// (how app_queue and mod_callcenter work). For the benchmark baseline and as a test oracle:
  /// both modes make identical decisions.
  bool indexed = true;
  bool record = false;  ///< Keep every event for events() / replay.
};

/// The routing engine. Not thread-safe (see SharedRouter). Every event call returns the
/// decisions it caused, valid until the next call. A bad event (unknown agent, contact ended
/// twice, time going back) throws hotline::Error and leaves the router exactly as it was.
///
///   Router r(policy);
///   r.login({.id = 7, .skills = {{"billing", 4}}, .languages = {"zh"}}, t);
///   for (const Decision& d : r.arrive({.id = 1, .queue = "billing", .language = "zh"}, t))
///     if (d.kind == DecisionKind::offer) pbx.ring(d.agent, d.contact);
class Router {
 public:
  explicit Router(std::shared_ptr<const Policy> policy, RouterOptions options = {});
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  const Policy& policy() const noexcept;
  const RouterOptions& options() const noexcept;

  // Agents. Throws not_found (unknown agent), already_exists (login twice), invalid_state.
  std::span<const Decision> login(const AgentProfile& agent, Instant now, bool ready = true);
  /// Withdraws pending offers and ends wrap-ups; refuses (invalid_state) while connected.
  std::span<const Decision> logout(AgentId agent, Instant now);
  std::span<const Decision> ready(AgentId agent, Instant now);
  /// Pending offers are withdrawn; connected contacts continue.
  std::span<const Decision> not_ready(AgentId agent, std::string_view reason, Instant now);

  // Contacts.
  std::span<const Decision> arrive(const ContactSpec& contact, Instant now);
  /// The caller hung up before being connected.
  std::span<const Decision> abandon(ContactId contact, Instant now);
  std::span<const Decision> accept(ContactId contact, AgentId agent, Instant now);
  std::span<const Decision> reject(ContactId contact, AgentId agent, Instant now);
  /// The conversation ended: the agent's wrap-up starts.
  std::span<const Decision> end(ContactId contact, Instant now);
  std::span<const Decision> wrap_up_done(ContactId contact, Instant now);
  std::span<const Decision> callback_accepted(ContactId contact, Instant now);
  std::span<const Decision> callback_declined(ContactId contact, Instant now);

  /// At most this many timers fire in one advance() call, so that a call after a long pause
  /// stays short; next_due() <= now then says that more are due (call advance again).
  static constexpr std::size_t kMaxTimersPerAdvance = 10'000;

  /// Fires what is due at or before now (steps, timeouts, wrap-up ends, announcements), in due
  /// order, each at its due time (or at the previous event's time if that is later). Periodic
  /// announcements missed during a pause are made once.
  std::span<const Decision> advance(Instant now);
  /// The earliest pending timer that can still act, if any: call advance() then. Timers known
  /// to be void (the timeout of an offer already answered, the starvation bound of a contact
  /// gone) are dropped here rather than waking the host; firing them would change nothing.
  std::optional<Instant> next_due() const noexcept;
  /// Applies a recorded event.
  std::span<const Decision> apply(const Event& e);

  // Queries.
  AgentStatus agent(AgentId id) const;        ///< Throws not_found.
  ContactStatus contact(ContactId id) const;  ///< Throws not_found.
  QueueStats queue_stats(std::size_t queue) const;
  /// 1 + the waiting contacts of the same queue ahead of this one (higher effective priority
  /// now). O(contacts in the queue).
  std::uint32_t position(ContactId id, Instant now) const;
  /// position x average handle time / staffed agents (docs/routing.md); -1 ms when nobody is
  /// staffed.
  Duration predicted_wait(ContactId id, Instant now) const;
  std::size_t waiting_count() const noexcept;
  std::size_t agent_count() const noexcept;  ///< Logged in.
  /// The latest event time seen.
  Instant last_time() const noexcept;
  /// Events applied so far (options.record).
  const std::vector<Event>& events() const noexcept;

  /// Checks every internal invariant with full scans (tests, debugging): offers within
  /// capacity, one offer per contact outside ring-all, no offers to unavailable agents, no
  /// available agent left idle beside a waiting contact it fits, counters consistent. Throws
  /// Error(internal) naming the first violation.
  void check_invariants() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Replays recorded events into a fresh router and returns every decision in order.
std::vector<Decision> replay(std::shared_ptr<const Policy> policy, const std::vector<Event>& events,
                             RouterOptions options = {});

}  // namespace hotline::routing
