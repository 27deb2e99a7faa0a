// hotline::sim — the discrete-event simulator. It drives the real routing::Router, ivr::Session,
// survey::Sampler / survey::Loop and escalation::Engine through their public host interfaces,
// exactly as a PBX would, on an event calendar; the SLA figures come from hotline::sla. Time is
// simulated: nothing reads a clock. Same scenario and seed, same report, on every machine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <hotline/sim/scenario.hpp>

namespace hotline::sim {

/// A mean over replications with its 95% confidence half-width (Student t; 0 for one
/// replication; NaN when no replication had data).
struct Estimate {
  double mean = 0;
  double half_width = 0;
  int n = 0;  ///< Replications with data.
  double low() const noexcept { return mean - half_width; }
  double high() const noexcept { return mean + half_width; }
};

/// One report interval of one tier (means over replications).
struct TierInterval {
  Instant start{};
  std::string tier;
  double offered = 0, answered = 0, abandoned = 0, short_abandoned = 0, other = 0;
  Estimate service_level;  ///< In the targets' variant against the tier's threshold.
  double target = 0;       ///< The tier's target fraction.
  double asa_seconds = 0;  ///< Mean wait of answered calls (pooled over replications).
  double abandon_rate = 0;
};

/// One report interval over all tiers.
struct Interval {
  Instant start{};
  double offered = 0;
  double staffed = 0;     ///< Mean agents logged in and not on a break (inbound + blended).
  double required = 0;    ///< Erlang A agents for the interval's traffic (strictest target).
  double occupancy = 0;   ///< Busy (talk + wrap) / staffed time.
  double queue_mean = 0;  ///< Time-average contacts waiting.
  double queue_max = 0;   ///< Largest number waiting (mean over replications).
  Estimate satisfaction;  ///< Survey satisfaction rate of calls ended in the interval.
};

/// A tier over the whole day.
struct TierDay {
  std::string tier;
  double target = 0;
  Duration threshold{};
  Estimate service_level, answer_rate, abandon_rate, asa_seconds;
  double offered = 0;
  int intervals_met = 0, intervals_judged = 0;  ///< Mean over replications, rounded.
  bool met = false;  ///< The day's pooled service level (mean) meets the target.
};

struct IvrSummary {
  double calls = 0, self_service = 0, transferred = 0, abandoned = 0, step_limit = 0;
  Estimate containment, abandonment;
  double mean_seconds_to_agent = 0;
  std::vector<std::pair<std::string, double>> drop_off;   ///< Node -> abandons, most first.
  std::vector<std::pair<std::string, double>> transfers;  ///< Queue -> transfers.
};

struct SurveySummary {
  double offered = 0, responded = 0;
  Estimate response_rate, satisfaction, csat, nps;
  double alerts = 0;             ///< Dissatisfied answers (follow-up orders opened).
  double explained_in_time = 0;  ///< Explanations before the deadline.
  double overdue = 0;            ///< Submitted automatically to the supervisor.
  double yellow_cards = 0;
};

struct ComplaintSummary {
  double created = 0, closed = 0;
  Estimate timeliness;  ///< KPI clocks met / due (escalation::Engine::kpis()).
  double due = 0, met = 0;
  double warnings = 0, breaches = 0, escalations = 0, immediate = 0;
  double resolution_p50_hours = 0, resolution_p90_hours = 0;
};

struct CallbackSummary {
  double offered = 0, accepted = 0, booked = 0, completed = 0, unanswered = 0;
  /// Accepted or booked but never dialled when the run ended (booked after the callback desk's
  /// last shift, or still waiting for an agent): accepted + booked = completed + unanswered +
  /// not_dialled.
  double not_dialled = 0;
};

/// The routing estimate (predicted wait on arrival) against the wait the caller then had.
struct PredictionScore {
  double scored = 0;  ///< Answered calls that had a prediction.
  double mean_abs_error_s = 0;
  double bias_s = 0;      ///< Mean (predicted - actual).
  double within_30s = 0;  ///< Share with |error| <= 30 s.
};

struct Report {
  std::string scenario;
  Instant start{};
  Duration length{}, interval{};
  std::string time_zone;
  std::uint64_t seed = 0;
  int replications = 0;
  double calls = 0;         ///< Calls simulated per replication (mean).
  std::int64_t events = 0;  ///< Simulation events processed (all replications).
  /// Most calls held at once (in the IVR, queued, talking or in the survey): the simulator's
  /// memory follows this and the agents, not the length of the day.
  std::int64_t peak_calls_in_flight = 0;
  int agents = 0;
  std::vector<TierInterval> tier_intervals;  ///< Sorted by (start, tier).
  std::vector<Interval> intervals;
  std::vector<TierDay> tiers;
  Estimate occupancy;
  IvrSummary ivr;
  SurveySummary survey;
  ComplaintSummary complaints;
  CallbackSummary callbacks;
  PredictionScore prediction;
};

/// Progress: replications done of total, and the fraction of the current one.
using Progress = std::function<void(int done, int total, double fraction)>;

struct RunOptions {
  std::optional<std::uint64_t> seed;  ///< Overrides the scenario's.
  std::optional<int> replications;    ///< Overrides the scenario's (1 .. 1000).
  Progress progress;                  ///< Called now and then; may be empty.
  /// Stop with Error(limit) after this many events in one replication (bounds a host's wait on
  /// an untrusted scenario); nullopt: no limit.
  std::optional<std::int64_t> max_events;
};

/// Runs the scenario's replications (replication r draws from Rng(seed).stream(r); within one,
/// each call draws from its own stream: common random numbers across policies).
Report run(const Scenario& scenario, const RunOptions& options = {});

/// The report as JSON (plain data: numbers, strings, arrays, objects).
std::string to_json(const Report& report);
/// A terminal table (fixed width, ASCII).
std::string to_text(const Report& report);
/// One self-contained HTML page with inline SVG charts (service level vs target per interval,
/// staffing vs requirement, queue length).
std::string to_html(const Report& report);

}  // namespace hotline::sim
