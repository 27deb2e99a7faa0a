// hotline::workforce — shift scheduling: how many agents start each shift so that the coverage
// meets the per-interval requirement at least cost, or buys the best service level for a budget.
#pragma once

#include <hotline/core/time.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::workforce {

/// One break of a shift: `length` long, starting between `earliest` and `latest` after the shift
/// starts (the solver picks the start, on the problem's start step).
struct BreakRule {
  Duration length{};
  Duration earliest{};
  Duration latest{};
};

/// A family of shifts: one length, start times every `start_step` from `earliest_start` to
/// `latest_start` (time of day), on the weekdays in `days` (Monday = 0; used by a week horizon).
struct ShiftTemplate {
  std::string name;
  Duration length{};          ///< Paid length, breaks included.
  Duration earliest_start{};  ///< First start, time of day.
  Duration latest_start{};    ///< Last start, time of day (inclusive).
  Duration start_step{};      ///< 0 = the problem's interval.
  std::array<bool, 7> days{true, true, true, true, true, true, true};
  std::vector<BreakRule> breaks;
  std::optional<double> cost;       ///< Per shift, 0 to 1e12; default: paid hours.
  std::int64_t min = 0;             ///< At least this many shifts of the template in total.
  std::optional<std::int64_t> max;  ///< At most this many (none: unbounded).
};

/// Demand of one interval, for the service level a schedule buys (Erlang C, or Erlang A when
/// patience is given). Calls offered in the interval and their average handle time.
struct IntervalDemand {
  double calls = 0;
  Duration aht{std::chrono::seconds{180}};
};

/// What to schedule. `required` has one entry per interval (48 for a day of half hours, 336 for a
/// 7x24 week); the horizon is required.size() * interval. A week starts on Monday 00:00.
struct ScheduleProblem {
  Duration interval{std::chrono::minutes{30}};
  std::vector<double> required;  ///< Agents on the phones needed per interval (>= 0).
  /// The horizon repeats (a 7x24 week or day): shifts running past its end cover its start.
  /// Otherwise coverage past the end is lost.
  bool cyclic = true;
  std::vector<ShiftTemplate> templates;
  /// Optional, one per interval: enables service levels in the result and the service-level
  /// objective.
  std::vector<IntervalDemand> demand;
  Duration threshold{std::chrono::seconds{20}};  ///< T of "answered within T".
  std::optional<Duration> patience;              ///< Mean patience: Erlang A instead of C.

  /// Reads the JSON format of docs/workforce.md; errors name the JSON pointer.
  static ScheduleProblem from_json(std::string_view json);
  static ScheduleProblem load(const std::filesystem::path& path);
  /// Throws Error(invalid_argument) naming the field of the first problem found.
  void validate() const;
};

enum class Objective {
  min_cost,           ///< Cover every requirement at least cost.
  max_service_level,  ///< Best volume-weighted service level within a shift or cost budget.
};

struct SolveOptions {
  Objective objective = Objective::min_cost;
  /// max_service_level: at most this many shifts in the horizon (the head count for a day).
  std::optional<std::int64_t> max_shifts;
  /// max_service_level: at most this total cost.
  std::optional<double> budget;
  /// max_service_level: also keep the coverage >= required in every interval.
  bool keep_requirements = false;
  /// Wall-clock time for the solver; when it passes, the best schedule found so far is returned
  /// with optimal = false (a limit error if none was found).
  Duration time_limit{std::chrono::seconds{30}};
};

/// How many agents start one shift variant (a template, a start, break starts).
struct ShiftStart {
  std::size_t template_index = 0;
  Duration start{};              ///< From the start of the horizon.
  std::vector<Duration> breaks;  ///< Break starts, from the start of the horizon.
  std::int64_t count = 0;
};

struct Schedule {
  std::vector<ShiftStart> shifts;     ///< Only variants with count > 0, by start.
  std::vector<double> coverage;       ///< Agents on the phones per interval (breaks excluded).
  std::vector<double> shortfall;      ///< max(0, required - coverage) per interval.
  std::vector<double> service_level;  ///< Per interval at floor(coverage); empty without demand.
  double overall_service_level = 0;   ///< Volume-weighted; NaN without demand.
  double cost = 0;
  std::int64_t total_shifts = 0;
  double paid_hours = 0;
  bool optimal = false;  ///< Proven optimal for the objective (gap 0).
  /// The solver's objective: the cost, or for max_service_level the volume-weighted service
  /// level on the concave envelope of each interval's SL(agents) (docs/workforce.md).
  double objective = 0;
  std::size_t variants = 0;  ///< Shift variants the model considered.
};

/// Solves the problem exactly with an integer program (COIN-OR CBC branch-and-cut).
/// Throws Error: invalid_argument for a bad problem or options; invalid_definition when a
/// requirement cannot be covered by any template (naming the interval), or min/max are
/// inconsistent (infeasible); limit when the model would exceed 2,000,000 shift variants or the
/// time limit passes without any feasible schedule.
Schedule solve(const ScheduleProblem& problem, const SolveOptions& options = {});

/// Service level per interval and overall for a given coverage (the same evaluation solve uses).
std::vector<double> service_levels(const ScheduleProblem& problem,
                                   const std::vector<double>& coverage, double* overall = nullptr);

/// Requirements from demand: the fewest agents per interval meeting `target` within the
/// problem's threshold (Erlang C, or A with patience), via hotline::sla.
std::vector<double> requirements_for(const ScheduleProblem& problem, double target);

}  // namespace hotline::workforce
