// hotline::escalation — escalation policies: workflows as data (states, transitions, roles,
// required fields), clocks on business calendars, warning percentages, escalation ladders,
// immediate-escalation and repeat-complaint rules, quiet hours. JSON format: docs/escalation.md.
#pragma once

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/time.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::escalation {

/// Where a work order came in.
enum class Channel : std::uint8_t {
  hotline = 0,          ///< The hotline itself (10000, 10010, 10086).
  general_manager = 1,  ///< The general manager's complaint hotline.
  mailbox = 2,          ///< The general manager's mailbox, letters.
  web = 3,              ///< Web, app, social media.
};

/// How serious a work order is; a repeat complaint raises it.
enum class Severity : std::uint8_t { low = 0, normal = 1, high = 2, urgent = 3 };

/// "hotline", "general_manager", "mailbox", "web".
const char* to_string(Channel c) noexcept;
/// "low", "normal", "high", "urgent".
const char* to_string(Severity s) noexcept;
/// Parses the names above; throws Error(invalid_argument) naming the accepted values.
Channel parse_channel(std::string_view text);
Severity parse_severity(std::string_view text);

/// Who gets an escalation notice at a ladder level.
enum class Role : std::uint8_t {
  team_lead = 0,
  department_head = 1,
  general_manager = 2,
};
/// "team_lead", "department_head", "general_manager".
const char* to_string(Role r) noexcept;

/// One transition of a workflow: from any of `from` to `to`, allowed to `roles`.
/// Role names are free text matched against the actor's role, except two that match people:
/// "owner" (the first-contact owner of the order) and "handler" (its current handler).
struct Transition {
  std::string name;
  std::vector<std::uint16_t> from;           ///< State indexes.
  std::uint16_t to = 0;                      ///< State index.
  std::vector<std::string> roles;            ///< Empty: anyone.
  std::vector<std::string> requires_fields;  ///< Fields the command must carry (non-empty).
  bool marks_resolved = false;               ///< "three 100%": the problem is resolved.
  bool marks_replied = false;                ///< ... the resolution was reported to the customer.
  bool records_satisfaction = false;         ///< ... reads field "satisfied" ("yes" / "no").
  bool reopens = false;  ///< Restarts the clocks that start in the target state.
};

/// A clock of a workflow (first response, department reply, resolution, callback). It runs while
/// the order is in a state between `start` and `stop`, pauses in `pause` states and while the
/// order is paused by command (waiting for the customer), and is measured on a calendar.
struct ClockDef {
  std::string id;
  /// Calendar name in Policy::calendars, or empty: the current department's calendar.
  std::string calendar;
  std::vector<std::uint16_t> start;  ///< Entering one of these states starts (or restarts) it.
  std::vector<std::uint16_t> stop;   ///< Entering one of these stops it.
  std::vector<std::uint16_t> pause;  ///< Being in one of these pauses it.
  /// Business-time target per severity (low, normal, high, urgent).
  std::array<Duration, 4> target{};
  std::vector<double> warn_at;  ///< Fractions of the target, increasing, in (0, 1).
  /// The ladder after a breach: the first level at the deadline, each next one `every` business
  /// time later. Empty: a breach notifies the team lead only.
  std::vector<Role> ladder;
  Duration every{std::chrono::hours{4}};
  /// Bounded by the order's promised and special deadlines (the customer-facing clock).
  bool customer_deadline = false;
  /// Counted in the timeliness KPI (e.g. department reply, resolution).
  bool kpi = false;
};

/// A workflow: states, transitions and clocks. State 0..n-1; `initial` on creation.
struct Workflow {
  std::string id;
  std::vector<std::string> states;
  std::vector<bool> final_state;  ///< Per state: the order is closed there.
  std::uint16_t initial = 0;
  std::vector<Transition> transitions;
  std::vector<ClockDef> clocks;

  /// Index of a state by name, or -1.
  int state_index(std::string_view name) const noexcept;
  /// Index of a transition by name, or -1.
  int transition_index(std::string_view name) const noexcept;
};

/// A department work orders are dispatched to; its calendar drives department clocks.
struct Department {
  std::string id;
  std::string name;
  std::string calendar;         ///< Name in Policy::calendars.
  std::string team_lead;        ///< Person notified at ladder level team_lead.
  std::string department_head;  ///< ... at level department_head.
};

/// Immediate escalation at creation (urgent or complex cases): when the order matches every
/// given condition, it starts at `level` (notices up to that rung are sent at once).
struct ImmediateRule {
  std::vector<Severity> severities;     ///< Empty: any.
  std::vector<std::string> categories;  ///< Empty: any.
  std::vector<Channel> channels;        ///< Empty: any.
  bool regulator_risk_only = false;     ///< Only orders flagged as regulator risk.
  Role level = Role::team_lead;
};

/// Repeat-complaint detection: `count` orders of these categories by one customer within
/// `window` (elapsed time) raise the new order's severity and flag regulator risk.
struct RepeatRule {
  std::vector<std::string> categories;
  int count = 3;
  Duration window{std::chrono::hours{24 * 30}};
  Severity raise_to = Severity::high;
  bool flag_regulator_risk = true;
};

/// An immutable, validated policy. Cheap to copy (shared). Load with from_json / load, which
/// report every problem at once with its JSON pointer.
///
///   auto policy = hotline::escalation::Policy::load("examples/escalation/policy.json");
class Policy {
 public:
  /// Parses and validates; throws Error(invalid_definition) listing each problem at its pointer.
  /// Calendars given as {"file": "..."} are read relative to `base_dir`.
  static Policy from_json(std::string_view json, const std::filesystem::path& base_dir = {});
  /// Reads a file (calendar files relative to it).
  static Policy load(const std::filesystem::path& path);

  const std::string& name() const noexcept;
  const std::string& version() const noexcept;
  /// Canonical, self-contained JSON (calendars inlined): what a durable store keeps.
  const std::string& canonical_json() const noexcept;

  const std::vector<Workflow>& workflows() const noexcept;
  const std::vector<Department>& departments() const noexcept;
  /// Category names and the workflow index of each.
  const std::vector<std::pair<std::string, std::uint16_t>>& categories() const noexcept;
  const std::vector<ImmediateRule>& immediate_rules() const noexcept;
  const std::optional<RepeatRule>& repeat_rule() const noexcept;
  const std::string& general_manager() const noexcept;
  /// Timeliness target of the KPI (0.98 at 10000).
  double timeliness_target() const noexcept;

  /// Calendar by name; throws Error(not_found).
  const calendar::Calendar& calendar(std::string_view name) const;
  /// Names of the calendars, sorted.
  std::vector<std::string> calendar_names() const;
  /// Notifications are delivered only while this calendar is open (quiet hours otherwise);
  /// nullptr when the policy has no quiet hours.
  const calendar::Calendar* quiet_hours() const noexcept;
  /// Severities whose notices ignore quiet hours.
  const std::vector<Severity>& quiet_hours_except() const noexcept;

  int department_index(std::string_view id) const noexcept;
  /// The department whose team lead and head are notified for orders not yet dispatched
  /// ("home_department", e.g. the hotline centre's shift supervisor); -1 when none.
  int home_department() const noexcept;
  int category_index(std::string_view id) const noexcept;

  struct Data;

 private:
  explicit Policy(std::shared_ptr<const Data> d) noexcept : d_(std::move(d)) {}
  std::shared_ptr<const Data> d_;
};

}  // namespace hotline::escalation
