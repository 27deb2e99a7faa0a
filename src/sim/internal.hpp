// Internal: what one replication measures, and the functions shared by the simulator and report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <hotline/sim/simulator.hpp>
#include <hotline/sla/service_level.hpp>

namespace hotline::sim::detail {

/// A duration in (fractional) seconds.
inline double secs(Duration d) noexcept { return static_cast<double>(d.count()) / 1000.0; }

/// Time-weighted levels and counts of one report interval.
struct IntervalAcc {
  double staffed_s = 0;  // agent-seconds logged in and not on a break (inbound + blended)
  double busy_s = 0;     // agent-seconds between accept and the end of wrap-up
  double queue_s = 0;    // contact-seconds waiting
  double queue_max = 0;
  double offered = 0;                   // contacts that entered a queue (callers, not callbacks)
  std::int64_t sat_n = 0, sat_yes = 0;  // survey answers of calls ended in the interval
  friend bool operator==(const IntervalAcc&, const IntervalAcc&) = default;
};

/// Counts of one (interval, tier) cell, by queue entry.
struct TierAcc {
  sla::Counts counts;
  std::int64_t other = 0;  // timeouts, rejections, callbacks accepted
  double answered_wait_s = 0;
  double handle_s = 0;  // talk + wrap of the cell's handled contacts
  std::int64_t handled = 0;
  friend bool operator==(const TierAcc&, const TierAcc&) = default;
};

struct Replication {
  std::vector<IntervalAcc> intervals;  // one per interval, plus one after the day
  std::vector<TierAcc> cells;          // (interval, tier), row-major
  std::int64_t events = 0;
  std::int64_t peak_slots = 0;  // call records allocated (the most in flight at once)
  double calls = 0;
  double ivr_calls = 0, ivr_self_service = 0, ivr_transferred = 0, ivr_abandoned = 0,
         ivr_step_limit = 0, seconds_to_agent = 0;
  std::map<std::string, double> drop_off, transfers;
  double survey_offered = 0, survey_responded = 0;
  std::int64_t sat_n = 0, sat_yes = 0, csat_n = 0, csat_top = 0, nps_n = 0, nps_score = 0;
  double alerts = 0, explained_in_time = 0, overdue = 0, yellow_cards = 0;
  double complaints_created = 0, complaints_closed = 0, kpi_due = 0, kpi_met = 0;
  double warnings = 0, breaches = 0, escalations = 0, immediate = 0;
  double resolution_p50_h = 0, resolution_p90_h = 0;
  double callbacks_offered = 0, callbacks_accepted = 0, callbacks_booked = 0, callbacks_dialled = 0,
         callbacks_completed = 0;
  double pred_n = 0, pred_abs = 0, pred_bias = 0, pred_within30 = 0;

  void init(std::size_t n_intervals, std::size_t n_tiers);
  /// Exact equality (every double bit for bit): the tests' check that two runs are the same run.
  friend bool operator==(const Replication&, const Replication&) = default;
};

/// Report tier names: the routing policy's tiers, in order.
std::vector<std::string> tier_names(const Scenario& sc);
/// The scenario's targets, or the routing policy's tier targets.
sla::Targets effective_targets(const Scenario& sc);
/// How the event calendar orders events due at the instant being processed. The FIFO is the
/// fast path; the heap-only calendar is the reference the tests compare it with.
enum class Calendar : std::uint8_t { same_instant_fifo, heap_only };

/// Runs replication `rep` from its root generator into `out`.
void simulate_one(const Scenario& sc, Rng root, Replication& out, const RunOptions& options,
                  int rep, int reps, Calendar calendar = Calendar::same_instant_fifo);

}  // namespace hotline::sim::detail
