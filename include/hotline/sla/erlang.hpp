// hotline sla: Erlang B, Erlang C and Erlang A (M/M/N+M) workforce math and staffing solvers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <hotline/core/time.hpp>

namespace hotline::sla {

/// Largest agent count accepted by the Erlang functions.
inline constexpr std::int64_t kMaxAgents = 10'000'000;

/// Erlang B blocking probability for `agents` servers offered `load` Erlangs (any real load >= 0).
/// Exact to ~1e-15 relative for agents up to kMaxAgents: no factorials, no overflow (the
/// incomplete-gamma form, with Loader's saddle-point Poisson term; see docs/sla.md).
/// Throws hotline::Error (invalid_argument) for agents < 0, load < 0 or non-finite values.
///   `erlang_b(14, 10.0)  // 0.03548...`
double erlang_b(std::int64_t agents, double load);

/// Erlang C probability that a call waits (M/M/N). Requires agents > load (a stable queue);
/// throws hotline::Error (invalid_argument) otherwise.   `erlang_c(14, 10.0)  // 0.17413...`
double erlang_c(std::int64_t agents, double load);

/// Every Erlang C metric for one staffing level. Durations in seconds.
struct ErlangCMetrics {
  double load = 0;           ///< Offered load in Erlangs.
  double p_wait = 0;         ///< P(wait > 0).
  double service_level = 0;  ///< P(wait <= threshold) (no abandons: offered = answered).
  double asa = 0;            ///< Mean wait of all (= answered) calls, seconds.
  double occupancy = 0;      ///< load / agents.
};
/// Erlang C metrics for `agents` serving `load` Erlangs with mean handle time `aht` seconds and
/// service-level threshold `threshold` seconds.
///   `auto m = erlang_c_metrics(14, 10.0, 180, 20);  // m.service_level == 0.88835...`
ErlangCMetrics erlang_c_metrics(std::int64_t agents, double load, double aht, double threshold);

/// Every Erlang A (M/M/N+M, exponential patience) metric for one staffing level.
/// Durations in seconds. "Within" is wait <= threshold.
struct ErlangAMetrics {
  double load = 0;                      ///< Offered load in Erlangs.
  double p_wait = 0;                    ///< P(an arrival has to wait) = P(virtual wait > 0).
  double p_abandon = 0;                 ///< P(an arrival abandons).
  double sl_virtual = 0;                ///< P(virtual wait <= threshold): a patient caller's view.
  double sl_offered = 0;                ///< P(answered within threshold) over all offered calls.
  double sl_answered = 0;               ///< Answered within threshold / answered.
  double sl_excl_abandoned_within = 0;  ///< Answered within / (offered - abandoned within).
  double asa = 0;                       ///< Mean wait of answered calls, seconds.
  double mean_wait = 0;                 ///< Mean wait of all calls incl. abandoned, seconds.
  double occupancy = 0;  ///< Busy fraction of agents = load (1 - p_abandon) / agents.
};
/// Erlang A metrics. patience = mean patience in seconds (> 0; +infinity gives Erlang C values,
/// which then needs agents > load). Any agents >= 1 is valid with finite patience, up to
/// agents x patience / aht and load x patience / aht of 1e12 (a limit error beyond: patience that
/// long is Erlang C in all but name).
///   `auto m = erlang_a(14, 10.0, 180, 300, 20);`
ErlangAMetrics erlang_a(std::int64_t agents, double load, double aht, double patience,
                        double threshold);

/// One interval of demand.
struct Workload {
  double calls = 0;                             ///< Calls offered in the interval.
  Duration interval{std::chrono::minutes{30}};  ///< Interval length.
  Duration aht{std::chrono::seconds{180}};      ///< Average handle time.
  /// Mean patience; nullopt = infinitely patient callers (Erlang C).
  std::optional<Duration> patience{};
  /// Offered load in Erlangs: calls * aht / interval.
  double load() const noexcept;
};

/// What the staffing must achieve; every goal given must hold (at least one is required).
struct StaffingGoal {
  std::optional<Duration> threshold{};    ///< Service-level threshold T (with service_level).
  std::optional<double> service_level{};  ///< Minimum fraction answered within T, in (0, 1).
  std::optional<Duration> max_asa{};      ///< Maximum ASA of answered calls.
  std::optional<double> max_occupancy{};  ///< Maximum occupancy, in (0, 1].
  std::optional<double> max_abandon{};    ///< Maximum abandon rate (Erlang A only), in (0, 1).
  /// Which service-level definition the target refers to for Erlang A (Erlang C: all equal):
  /// "offered" (default, the strict one), "answered" or "virtual".
  enum class Basis { offered, answered, virtual_wait } basis = Basis::offered;
  double shrinkage = 0;  ///< Fraction of paid time not on the phones, in [0, 1).
};

/// The answer for one interval.
struct Staffing {
  std::int64_t agents = 0;     ///< Agents on the phones needed (the minimum meeting every goal).
  std::int64_t scheduled = 0;  ///< agents / (1 - shrinkage), rounded up.
  double load = 0;             ///< Offered load in Erlangs.
  double p_wait = 0;           ///< At `agents`.
  double service_level = 0;    ///< At `agents`, in the goal's basis (NaN without a threshold).
  double asa = 0;              ///< Seconds, at `agents`.
  double occupancy = 0;        ///< At `agents`.
  double p_abandon = 0;        ///< At `agents` (0 for Erlang C).
};

/// The minimum number of agents meeting every goal for the workload (Erlang C without patience,
/// Erlang A with it), plus shrinkage. Throws hotline::Error (invalid_argument) naming the bad
/// field (negative calls, target > 1, shrinkage >= 1, no goal, ...) and (limit) when more than
/// kMaxAgents would be needed.
///   `required_agents({.calls = 100, .interval = 30min, .aht = 180s},
///                    {.threshold = 20s, .service_level = 0.8, .shrinkage = 0.3})  // 14, 20`
Staffing required_agents(const Workload& workload, const StaffingGoal& goal);

/// required_agents for every interval of a forecast, in one call (same goal for all).
std::vector<Staffing> required_agents(std::span<const Workload> forecast, const StaffingGoal& goal);

}  // namespace hotline::sla
