// hotline::escalation — the work-order engine: commands in (with idempotency keys), due
// warnings / breaches / escalations out of advance(now), deadlines that explain themselves,
// effective-dated policy changes, KPIs. Host-driven: time is always passed in.
#pragma once

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/time.hpp>
#include <hotline/escalation/policy.hpp>
#include <hotline/escalation/store.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::escalation {

using OrderId = std::uint64_t;

/// State of one clock of an order.
enum class ClockState : std::uint8_t { idle = 0, running = 1, paused = 2, stopped = 3 };
/// "idle", "running", "paused", "stopped".
const char* to_string(ClockState s) noexcept;

struct Clock {
  ClockState state = ClockState::idle;
  Instant started{};          ///< When it (last) started.
  Instant since{};            ///< Start of the current running stretch.
  Duration consumed{};        ///< Business time used before `since`.
  Duration target{};          ///< Business-time target (by severity).
  Instant deadline{};         ///< Effective deadline (valid once started).
  std::uint8_t warnings = 0;  ///< Warnings fired so far.
  std::int8_t level = -1;     ///< Ladder rung reached after a breach (-1: none).
  bool breached = false;
  std::optional<Instant> stopped_at;
  std::uint64_t generation = 0;  ///< Internal: invalidates superseded timers.
};

/// A work order. The first-contact owner keeps responsibility until it is closed.
struct Order {
  OrderId id = 0;
  std::string customer;
  Channel channel = Channel::hotline;
  std::uint16_t category = 0;  ///< Index in Policy::categories().
  Severity severity = Severity::normal;
  std::string owner;    ///< First-contact agent.
  int department = -1;  ///< Index in Policy::departments(), -1: not yet dispatched.
  std::string handler;
  std::vector<std::string> co_handlers;
  std::optional<Instant> promised;  ///< Deadline promised to the customer.
  std::optional<Instant> special;   ///< The customer's own deadline.
  bool repeat_complaint = false;
  bool regulator_risk = false;
  bool paused = false;      ///< Waiting for the customer.
  std::uint16_t state = 0;  ///< Index in the workflow's states.
  bool closed = false;
  int level = -1;  ///< Highest escalation rung reached (-1: none).
  Instant created{};
  std::optional<Instant> closed_at;
  bool resolved = false, replied = false;
  std::optional<bool> satisfied;
  std::vector<Clock> clocks;  ///< One per ClockDef of the workflow.
  std::map<std::string, std::string, std::less<>> fields;
  std::uint32_t policy_version = 0;
};

/// What advance() and commands report to the host.
enum class NoticeKind : std::uint8_t {
  warning = 0,     ///< A clock used `fraction` of its time.
  breach = 1,      ///< A deadline passed: the first ladder rung is notified.
  escalation = 2,  ///< A further rung, `every` business time after the breach.
  immediate = 3,   ///< Immediate escalation at creation (urgent / complex / regulator risk).
  repeat = 4,      ///< A repeat complaint raised severity and flagged regulator risk.
};
/// "warning", "breach", "escalation", "immediate", "repeat".
const char* to_string(NoticeKind k) noexcept;

/// A notification due. Views point into the engine's policies (valid while the engine lives).
struct Notice {
  NoticeKind kind = NoticeKind::warning;
  OrderId order = 0;
  std::string_view clock;  ///< Empty for immediate / repeat.
  Instant due{};           ///< When it became due.
  Instant deliver_at{};    ///< `due`, or the end of quiet hours.
  double fraction = 0;     ///< Warnings: the fraction reached.
  int count = 0;           ///< Repeat: the customer's orders within the window.
  int level = -1;          ///< Ladder rung (breach, escalation, immediate).
  Role role = Role::team_lead;
  std::string_view recipient;  ///< The person at that rung, when the policy names one.
};

/// Who issues a command.
struct Actor {
  std::string id;
  std::string role;  ///< "agent", "department", "supervisor", "system", ...
};

/// A new work order.
struct NewOrder {
  std::string customer;
  Channel channel = Channel::hotline;
  std::string category;
  Severity severity = Severity::normal;
  std::string owner;       ///< The agent who took it (first-contact responsibility).
  std::string department;  ///< Optional: dispatched at once.
  std::string handler;
  std::optional<Instant> promised;
  std::optional<Instant> special;
  std::map<std::string, std::string, std::less<>> fields;
};

/// Result of a command. A retry with the same idempotency key returns the first result with
/// `duplicate` set and changes nothing.
struct Result {
  OrderId order = 0;
  std::uint64_t seq = 0;  ///< Sequence number of the command's event.
  bool duplicate = false;
  std::vector<Notice> notices;  ///< Immediate escalations, repeat-complaint flags.
};

/// A clock whose deadline a policy change moved.
struct TimerMove {
  OrderId order = 0;
  std::string clock;
  Instant old_deadline{};
  Instant new_deadline{};
};

/// An effective-dated policy change: applied at `effective`; `moved` lists the deadlines moved
/// (a preview from the state at the time of the call while the change is still pending).
struct PolicyChange {
  std::uint32_t version = 0;
  Instant effective{};
  bool applied = false;
  std::vector<TimerMove> moved;
  std::vector<OrderId>
      kept;  ///< Orders whose workflow changed shape: they stay on the old version.
};

/// How a deadline was computed.
struct DeadlineExplanation {
  std::string clock;
  std::string calendar;
  Duration target{};
  Duration consumed{};        ///< Business time used before the current stretch.
  Instant since{};            ///< Start of the current stretch.
  Instant policy_deadline{};  ///< since + (target - consumed) in business time.
  std::optional<Instant> promised, special;
  Instant effective{};
  std::string bound;  ///< "policy", "promised" or "special": which one won.
  std::vector<calendar::Segment>
      segments;  ///< Business time from `since` to the effective deadline.
  /// Human-readable account, one line per fact.
  std::string text(const calendar::Calendar& cal) const;
};

/// Timeliness of KPI clocks for one (department, category, month).
struct TimelinessRow {
  std::string department;
  std::string category;
  std::chrono::year_month month;
  int due = 0;  ///< KPI clocks whose deadline fell in the month.
  int met = 0;  ///< ... stopped by their deadline.
  double rate = 0;
  bool pass = false;  ///< rate >= the policy's timeliness target.
};

/// Beijing 10086's "three 100%" over closed orders.
struct ThreeHundred {
  int closed = 0;
  int resolved = 0, replied = 0, satisfied = 0, surveyed = 0;
  double resolved_rate = 0, replied_rate = 0, satisfied_rate = 0;  ///< satisfied / surveyed.
};

/// Resolution time of closed orders of one category (elapsed, created -> closed).
struct ResolutionStats {
  std::string category;
  int count = 0;
  Duration mean{}, p50{}, p90{}, p95{}, max{};
};

struct Kpis {
  std::vector<TimelinessRow> timeliness;
  ThreeHundred three;
  std::vector<ResolutionStats> resolution;
};

/// KPIs as JSON: {"timeliness": [{department, category, month "2025-03", due, met, rate, pass}],
/// "three": {closed, resolved, replied, surveyed, satisfied, *_rate}, "resolution": [{category,
/// count, mean_s, p50_s, p90_s, p95_s, max_s}]}.
std::string to_json(const Kpis& kpis);
/// Events as a JSON array of {seq, order, at (ISO 8601), kind, derived, body (object)}.
std::string to_json(const std::vector<StoredEvent>& events);

/// The engine. Not thread-safe: one engine per thread, or the host serialises calls.
///
///   Engine engine(Policy::load("examples/escalation/policy.json"));
///   auto r = engine.create({.customer = "13800000001", .category = "complaint",
///                           .owner = "agent-7"}, now, "call-123");
///   for (const Notice& n : engine.advance(now + 2h)) notify(n);
class Engine {
 public:
  /// A new engine keeping history in memory.
  explicit Engine(Policy policy);
  /// An engine on a store; recovers what the store holds (the policy must then be the store's
  /// current one, or Error(invalid_state)). A null store keeps no history at all (simulation).
  Engine(Policy policy, std::unique_ptr<Store> store);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  /// Creates a work order. Errors (state unchanged): unknown category or department,
  /// a deadline before `now`, a time before the last command's.
  Result create(const NewOrder& order, Instant now, std::string_view key = {});
  /// Takes a workflow transition. Errors: unknown order or transition, not allowed from the
  /// current state, actor without a permitted role, a required field missing.
  Result transition(OrderId id, std::string_view name, const Actor& actor,
                    const std::map<std::string, std::string, std::less<>>& fields, Instant now,
                    std::string_view key = {});
  /// Dispatches to a department (its calendar then drives department clocks) and handler.
  Result assign(OrderId id, std::string_view department, std::string_view handler,
                const Actor& actor, Instant now, std::string_view key = {});
  Result add_co_handler(OrderId id, std::string_view person, const Actor& actor, Instant now,
                        std::string_view key = {});
  /// Waiting for the customer: every running clock pauses until resume().
  Result pause(OrderId id, std::string_view reason, const Actor& actor, Instant now,
               std::string_view key = {});
  Result resume(OrderId id, const Actor& actor, Instant now, std::string_view key = {});
  /// Sets the promised or the customer's special deadline (must not be before now).
  Result set_promised(OrderId id, Instant deadline, const Actor& actor, Instant now,
                      std::string_view key = {});
  Result set_special(OrderId id, Instant deadline, const Actor& actor, Instant now,
                     std::string_view key = {});

  /// Fires every timer due at or before `now`, in (due, order, clock) order, and applies
  /// pending policy changes at their effective time. Uses a due-time index: the cost is the
  /// number of timers fired, never the number of orders.
  std::vector<Notice> advance(Instant now);
  /// Same, appending to `out` (reuse the buffer on a hot path).
  void advance(Instant now, std::vector<Notice>& out);
  /// Earliest pending timer, if any.
  std::optional<Instant> next_due() const;

  /// Schedules a policy version effective at `effective` (>= now; Error otherwise). Running
  /// clocks of open orders whose workflow keeps its states and clocks are retargeted to the new
  /// version at that time; new orders use it from then on.
  PolicyChange change_policy(Policy policy, Instant effective, Instant now);
  /// Every policy change so far (applied ones carry the actual moves).
  const std::vector<PolicyChange>& policy_changes() const noexcept;

  /// Makes every command so far durable (group commit). Call before acknowledging a group.
  void flush();

  const Order& order(OrderId id) const;  ///< Error(not_found) for an unknown id.
  const Order* find(OrderId id) const noexcept;
  std::size_t order_count() const noexcept;
  /// The latest time the engine has seen (commands and advance; restored on recovery): the
  /// earliest `now` the next call may pass.
  Instant last_time() const noexcept;
  std::size_t open_count() const noexcept;
  const Policy& policy() const noexcept;  ///< The newest version.
  const Policy& policy_of(const Order& o) const;
  /// The workflow's name of the order's state, its category name, its department id ("" if none).
  std::string_view state_name(const Order& o) const;
  std::string_view category_name(const Order& o) const;
  std::string_view department_name(const Order& o) const;

  /// How the clock's deadline was computed. Error(not_found) for an unknown clock;
  /// Error(invalid_state) for a clock that has not started.
  DeadlineExplanation explain(OrderId id, std::string_view clock) const;
  /// The order's history from the store (commands and derived records).
  std::vector<StoredEvent> history(OrderId id) const;
  /// KPIs over every order: timeliness per department, category and month (in the month's
  /// calendar's zone), the "three 100%", resolution-time distributions.
  Kpis kpis() const;
  /// The order's state as JSON (what a store keeps).
  std::string order_json(OrderId id) const;
  /// Replays the store's command events into a fresh engine and compares every order with this
  /// one; returns the differences (empty: consistent). For audits and the crash test.
  std::vector<std::string> verify_replay() const;
  std::string durability() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::escalation
