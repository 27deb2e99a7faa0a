// hotline sla: contact records, their readers (CSV, Asterisk queue_log), interval reports, SLA
// targets and compliance, and the other hotline scorecard ratios.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/time.hpp>
#include <hotline/sla/service_level.hpp>
#include <hotline/sla/sliding_window.hpp>

namespace hotline::sla {

/// How a contact left the queue.
enum class Outcome : std::uint8_t {
  answered,   ///< Reached an agent (Asterisk CONNECT).
  abandoned,  ///< The caller hung up while queued (ABANDON).
  timeout,    ///< Left by the queue's own timeout (EXITWITHTIMEOUT).
  other,      ///< Any other exit: queue empty (EXITEMPTY), key pressed (EXITWITHKEY), ...
};
/// "answered", "abandoned", "timeout", "other".
const char* to_string(Outcome outcome) noexcept;
/// Inverse of to_string. Throws hotline::Error (invalid_argument).
Outcome parse_outcome(std::string_view text);

/// One contact. Names (queue, tier, agent) are indexes into the owning RecordSet's tables, so
/// that a record is 56 bytes and aggregation streams through memory.
struct ContactRecord {
  Instant arrival{};  ///< Entered the queue.
  Duration wait{0};   ///< Arrival to answer / abandon / exit.
  Duration talk{0};   ///< Answered calls: talk time.
  Duration hold{0};   ///< Answered calls: time on hold during the call.
  Duration wrap{0};   ///< Answered calls: after-call work.
  std::uint32_t queue = 0;
  std::uint32_t tier = 0;
  std::int32_t agent = -1;  ///< -1 = none.
  Outcome outcome = Outcome::answered;
};

/// A stretch of agent state time, for occupancy: logged in (staffed) or paused (not available
/// although logged in). Spans of one agent may overlap only as "paused inside staffed".
struct AgentSpan {
  std::int32_t agent = -1;
  Instant start{};
  Instant end{};
  bool paused = false;
};

/// Records plus the name tables they refer to. Usable from memory: add() interns names.
///   RecordSet rs; rs.add({.arrival = t, .wait = 12s, .talk = 200s}, "billing", "vip", "agent7");
class RecordSet {
 public:
  /// The longest wait, talk, hold or wrap-up a record may carry (kMaxContactDuration): longer
  /// would make interval reports span millennia.
  static constexpr Duration kMaxDuration = kMaxContactDuration;

  /// Appends a record; queue / tier / agent names are interned (agent "" = none). The indexes in
  /// `r` are overwritten. Throws invalid_argument for negative durations and durations beyond
  /// kMaxDuration.
  void add(ContactRecord r, std::string_view queue, std::string_view tier,
           std::string_view agent = {});
  std::uint32_t queue_index(std::string_view name);  ///< Interns a queue name.
  std::uint32_t tier_index(std::string_view name);   ///< Interns a tier name.
  std::int32_t agent_index(std::string_view name);   ///< Interns an agent name ("" -> -1).

  const std::vector<ContactRecord>& records() const noexcept { return records_; }
  std::vector<ContactRecord>& records() noexcept { return records_; }
  const std::vector<std::string>& queues() const noexcept { return queues_; }
  const std::vector<std::string>& tiers() const noexcept { return tiers_; }
  const std::vector<std::string>& agents() const noexcept { return agents_; }
  /// Appends an agent state span (staffed or paused). Throws invalid_argument when end < start
  /// or the span is longer than kMaxDuration.
  void add_agent_span(std::string_view agent, Instant start, Instant end, bool paused = false);
  const std::vector<AgentSpan>& agent_spans() const noexcept { return spans_; }
  /// Contacts still in progress when a queue_log ended (not in records()).
  std::int64_t incomplete = 0;

 private:
  std::vector<ContactRecord> records_;
  std::vector<AgentSpan> spans_;
  std::vector<std::string> queues_, tiers_, agents_;
  std::unordered_map<std::string, std::uint32_t> queue_ids_, tier_ids_, agent_ids_;
};

/// Reads contact records from CSV text (RFC 4180 quoting, first line = header). Columns, any
/// order, names case-sensitive:
///   arrival (required; ISO 8601 with offset, or local "YYYY-MM-DD HH:MM[:SS]" in the calendar's
///   zone), queue, tier, outcome (answered|abandoned|timeout|other), wait (duration: "12",
///   "12s", "1m30s"), answered / abandoned / ended (instants; give these or wait), talk, hold,
///   wrap (durations), agent. Missing queue / tier give "default" / the targets' default tier.
/// An unknown column, a bad value or an unordered pair of instants throws hotline::Error
/// (invalid_argument) whose where() is "line L, column C" (1-based).
RecordSet read_csv(std::string_view text, const calendar::Calendar& calendar,
                   std::string_view default_tier = "ordinary");
/// Reads an Asterisk queue_log ("epoch|callid|queue|agent|EVENT|data..."): ENTERQUEUE, CONNECT,
/// COMPLETECALLER, COMPLETEAGENT, TRANSFER, BLINDTRANSFER, ATTENDEDTRANSFER, ABANDON,
/// EXITWITHTIMEOUT, EXITEMPTY, EXITWITHKEY; other events (agent logins, pauses, RINGNOANSWER)
/// are skipped. Waits are taken from the holdtime / waittime fields, as app_queue counts them.
/// The tier of a call is its queue name when `tier_queues` lists it, else `default_tier`.
/// Lines out of time order, malformed numbers or unknown call ids in a CONNECT are errors with
/// where() = "line L, column C".
RecordSet read_queue_log(std::string_view text, std::string_view default_tier = "ordinary",
                         std::span<const std::string> tier_queues = {});

/// Service-level targets per tier plus the choices that go with them.
struct Targets {
  /// At most this many tiers (a hotline has a handful).
  static constexpr std::size_t kMaxTiers = 1000;
  std::vector<TierTarget> tiers;
  /// Target used for a tier not listed (by name); must be one of `tiers`.
  std::string default_tier = "ordinary";
  ServiceLevelVariant variant = ServiceLevelVariant::answered;
  Duration short_abandon{std::chrono::seconds{5}};
  /// Daily compliance pass line: the month passes when days met / days in month >= this.
  double pass_line = 0.85;

  /// The telecom-hotline preset: VIP 85% within 15 s, ordinary 75% within 20 s, pass line 85%.
  static Targets hotline_preset();
  /// Parses {"tiers": [{"tier": "vip", "threshold": "15s", "target": 0.85}, ...],
  /// "default_tier": "ordinary", "variant": "answered", "short_abandon": "5s",
  /// "pass_line": 0.85}. Errors name the JSON pointer (invalid_definition).
  static Targets from_json(std::string_view json);
  static Targets load(const std::filesystem::path& path);
  /// Throws invalid_definition naming the field when the targets are inconsistent.
  void validate() const;
  /// The target of a tier (the default tier's when not listed).
  const Target& target_for(std::string_view tier) const;
};

/// Interval length of a report.
enum class Granularity { minutes15, minutes30, minutes60, day, month };
/// "15m", "30m", "60m", "day", "month".
const char* to_string(Granularity g) noexcept;
Granularity parse_granularity(std::string_view text);

/// One row of a report: one interval x queue x tier, contacts counted by arrival.
struct IntervalRow {
  Instant start;  ///< UTC; the local boundary in the calendar's zone.
  Instant end;
  std::uint32_t queue = 0;
  std::uint32_t tier = 0;
  Counts counts;
  std::int64_t timeouts = 0;             ///< Outcome::timeout (part of offered).
  Duration answered_wait{0};             ///< Sum of waits of answered contacts.
  Duration abandoned_wait{0};            ///< Sum of waits of abandoned contacts.
  Duration handle{0};                    ///< Sum of talk + hold + wrap of answered contacts.
  Duration max_wait{0};                  ///< Longest wait of any contact.
  double answer_rate() const noexcept;   ///< answered / offered (NaN when nothing offered).
  double abandon_rate() const noexcept;  ///< abandoned / offered.
  double asa_seconds() const noexcept;   ///< Mean wait of answered contacts.
  double aht_seconds() const noexcept;   ///< Mean talk + hold + wrap of answered contacts.
};

struct ReportOptions {
  Granularity granularity = Granularity::minutes30;
};

/// The result of aggregate(): rows sorted by (start, queue, tier).
struct Report {
  std::vector<IntervalRow> rows;
  std::vector<std::string> queues;  ///< Names for IntervalRow::queue.
  std::vector<std::string> tiers;   ///< Names for IntervalRow::tier.
  Targets targets;
  /// The row's service level in the targets' variant against its tier's threshold.
  double service_level(const IntervalRow& row) const noexcept;
  /// Whether the row meets its tier's target (false when there is nothing to judge).
  bool meets_target(const IntervalRow& row) const noexcept;
};

/// Aggregates records into intervals whose boundaries are local to the calendar's zone (a local
/// day across a DST change is 23 or 25 hours). "Within" uses each tier's threshold from
/// `targets`. Throws invalid_definition when the targets are inconsistent.
///   auto rep = aggregate(records, Targets::hotline_preset(), cal, {.granularity = ...});
Report aggregate(const RecordSet& records, const Targets& targets,
                 const calendar::Calendar& calendar, ReportOptions options = {});

/// Agent occupancy of one interval: busy / (staffed - paused).
struct OccupancyRow {
  Instant start;
  Instant end;
  Duration staffed{0};  ///< Logged-in agent time inside the interval (summed over agents).
  Duration paused{0};   ///< Paused time inside the interval.
  Duration busy{0};     ///< Talk + hold + wrap of answered contacts, placed at their real time.
  /// busy / (staffed - paused); NaN when no available time.
  double occupancy() const noexcept;
};
/// Occupancy per interval from the agent spans (queue_log ADDMEMBER / REMOVEMEMBER, AGENTLOGIN /
/// AGENTLOGOFF, PAUSE / UNPAUSE, or add_agent_span) and the answered contacts' handle time, which
/// is placed from the answer instant (arrival + wait) onwards and split across intervals.
/// Intervals with staffed or busy time only, sorted.
std::vector<OccupancyRow> occupancy(const RecordSet& records, const calendar::Calendar& calendar,
                                    Granularity granularity = Granularity::minutes30);

/// The daily compliance of one tier in one local month.
struct MonthlyCompliance {
  std::chrono::year_month month;
  std::uint32_t tier = 0;  ///< Index into RecordSet::tiers().
  int days_in_month = 0;
  int days_with_traffic = 0;
  int days_met = 0;   ///< Days whose pooled service level met the target, plus
                      ///< days without traffic when count_idle_days_as_met.
  double ratio = 0;   ///< days_met / days_in_month.
  bool pass = false;  ///< ratio >= targets.pass_line.
};
/// Daily compliance ratio = days meeting target / days in the month, per tier and local month,
/// for every month the records touch.
std::vector<MonthlyCompliance> daily_compliance(const RecordSet& records, const Targets& targets,
                                                const calendar::Calendar& calendar,
                                                bool count_idle_days_as_met = true);

/// Mystery-call (secret shopper) normalisation: 1 x (result - national min) / (national average
/// - national min). Throws invalid_argument when average == min or a value is not finite.
///   `mystery_call_score(92, 80, 90) == 1.2`
double mystery_call_score(double result, double national_min, double national_average);

/// A piece of work with a deadline (a complaint reply, a callback).
struct Deadline {
  Instant due;
  std::optional<Instant> done;  ///< nullopt = still open.
};
struct OnTime {
  std::int64_t on_time = 0;  ///< Done at or before due.
  std::int64_t late = 0;     ///< Done after due, or still open after due at `as_of`.
  std::int64_t pending = 0;  ///< Open and not yet due: not judged.
  double ratio = 1.0;        ///< on_time / (on_time + late); 1 when nothing judged.
  bool meets(double line = 0.98) const noexcept { return ratio >= line; }
};
/// Timeliness ratio (complaint handling must be >= 98%).
OnTime on_time_ratio(std::span<const Deadline> items, Instant as_of);

/// Satisfaction rate = satisfied / responses (NaN when there are no responses). Throws
/// invalid_argument when satisfied > responses or a count is negative.
double satisfaction_rate(std::int64_t satisfied, std::int64_t responses);

}  // namespace hotline::sla
