// Replications, confidence intervals and the report in JSON, text and HTML.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <hotline/core/error.hpp>
#include <hotline/sim/simulator.hpp>
#include <hotline/sla/erlang.hpp>

#include "core/json.hpp"
#include "sim/internal.hpp"

namespace hotline::sim {

namespace {

using detail::Replication;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using sim::detail::secs;
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

/// Two-sided 95% Student t quantiles t(0.975, df) for df = 1..30 (standard tables, e.g.
/// NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.2), then 40, 60, 120, inf.
double t975(int df) {
  static constexpr std::array<double, 30> small{
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return kNaN;
  if (df <= 30) return small[static_cast<std::size_t>(df - 1)];
  if (df <= 40) return 2.021;
  if (df <= 60) return 2.000;
  if (df <= 120) return 1.980;
  return 1.960;
}

/// Mean and 95% half-width of the finite values (one per replication).
Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  double sum = 0;
  for (double v : values) {
    if (std::isfinite(v)) {
      sum += v;
      ++e.n;
    }
  }
  if (e.n == 0) {
    e.mean = e.half_width = kNaN;
    return e;
  }
  e.mean = sum / e.n;
  if (e.n < 2) return e;
  double ss = 0;
  for (double v : values) {
    if (std::isfinite(v)) ss += (v - e.mean) * (v - e.mean);
  }
  e.half_width = t975(e.n - 1) * std::sqrt(ss / (e.n - 1)) / std::sqrt(static_cast<double>(e.n));
  return e;
}

template <class F>
Estimate over(const std::vector<Replication>& reps, F&& f) {
  std::vector<double> v;
  v.reserve(reps.size());
  for (const Replication& r : reps) v.push_back(f(r));
  return estimate(v);
}

template <class F>
double mean_of(const std::vector<Replication>& reps, F&& f) {
  double s = 0;
  for (const Replication& r : reps) s += f(r);
  return reps.empty() ? 0 : s / static_cast<double>(reps.size());
}

}  // namespace

Report run(const Scenario& sc, const RunOptions& options) {
  sc.validate();
  const std::uint64_t seed = options.seed.value_or(sc.seed);
  const int R = options.replications.value_or(sc.replications);
  if (R < 1 || R > 1000) {
    throw Error(ErrorCode::invalid_argument, "replications", "replications must be 1 .. 1000");
  }
  const Rng base(seed);
  std::vector<Replication> reps(static_cast<std::size_t>(R));
  for (int r = 0; r < R; ++r) {
    if (options.progress) options.progress(r, R, 0.0);
    detail::simulate_one(sc, base.stream(static_cast<std::uint64_t>(r)),
                         reps[static_cast<std::size_t>(r)], options, r, R);
  }
  if (options.progress) options.progress(R, R, 1.0);

  Report rep;
  rep.scenario = sc.name;
  rep.start = sc.start;
  rep.length = sc.length;
  rep.interval = sc.interval;
  rep.time_zone = sc.zone.time_zone();
  rep.seed = seed;
  rep.replications = R;
  rep.agents = sc.agent_count();
  rep.calls = mean_of(reps, [](const Replication& r) { return r.calls; });
  for (const Replication& r : reps) {
    rep.events += r.events;
    rep.peak_calls_in_flight = std::max(rep.peak_calls_in_flight, r.peak_slots);
  }

  const std::vector<std::string> tiers = detail::tier_names(sc);
  const sla::Targets targets = detail::effective_targets(sc);
  const auto n = static_cast<std::size_t>(sc.length / sc.interval);
  const std::size_t T = tiers.size();
  const double interval_s = secs(sc.interval);
  const auto variant = targets.variant;

  // Staffing requirement inputs: pooled handle time, mean finite patience, strictest target.
  double handle_s = 0, handled = 0;
  for (const Replication& r : reps) {
    for (const detail::TierAcc& c : r.cells) {
      handle_s += c.handle_s;
      handled += static_cast<double>(c.handled);
    }
  }
  const double aht = handled > 0 ? handle_s / handled : sc.default_handle.mean_seconds();
  double patience = 0, patience_share = 0;
  for (const Segment& s : sc.segments) {
    if (s.patience.kind != Distribution::Kind::never) {
      patience += s.share * s.patience.mean_seconds();
      patience_share += s.share;
    }
  }
  sla::Target strict{};
  strict.fraction = 0;
  for (const std::string& t : tiers) {
    const sla::Target& tt = targets.target_for(t);
    if (tt.fraction > strict.fraction ||
        (tt.fraction == strict.fraction && tt.threshold < strict.threshold)) {
      strict = tt;
    }
  }

  for (std::size_t k = 0; k < n; ++k) {
    const Instant start = sc.start + sc.interval * static_cast<std::int64_t>(k);
    for (std::size_t t = 0; t < T; ++t) {
      const auto cellof = [&](const Replication& r) -> const detail::TierAcc& {
        return r.cells[k * T + t];
      };
      const double offered = mean_of(reps, [&](const Replication& r) {
        return static_cast<double>(cellof(r).counts.offered + cellof(r).other);
      });
      if (offered == 0) continue;
      TierInterval row;
      row.start = start;
      row.tier = tiers[t];
      row.offered = offered;
      row.answered = mean_of(reps, [&](const Replication& r) {
        return static_cast<double>(cellof(r).counts.answered);
      });
      row.abandoned = mean_of(reps, [&](const Replication& r) {
        return static_cast<double>(cellof(r).counts.abandoned);
      });
      row.short_abandoned = mean_of(reps, [&](const Replication& r) {
        return static_cast<double>(cellof(r).counts.short_abandoned);
      });
      row.other =
          mean_of(reps, [&](const Replication& r) { return static_cast<double>(cellof(r).other); });
      row.service_level = over(reps, [&](const Replication& r) {
        return sla::service_level(cellof(r).counts, variant);
      });
      row.target = targets.target_for(tiers[t]).fraction;
      const double wait =
          mean_of(reps, [&](const Replication& r) { return cellof(r).answered_wait_s; });
      row.asa_seconds = ratio(wait, row.answered);
      row.abandon_rate = ratio(row.abandoned, offered);
      rep.tier_intervals.push_back(std::move(row));
    }
    Interval iv;
    iv.start = start;
    iv.offered = mean_of(reps, [&](const Replication& r) { return r.intervals[k].offered; });
    iv.staffed =
        mean_of(reps, [&](const Replication& r) { return r.intervals[k].staffed_s; }) / interval_s;
    iv.occupancy =
        ratio(mean_of(reps, [&](const Replication& r) { return r.intervals[k].busy_s; }),
              mean_of(reps, [&](const Replication& r) { return r.intervals[k].staffed_s; }));
    iv.queue_mean =
        mean_of(reps, [&](const Replication& r) { return r.intervals[k].queue_s; }) / interval_s;
    iv.queue_max = mean_of(reps, [&](const Replication& r) { return r.intervals[k].queue_max; });
    iv.satisfaction = over(reps, [&](const Replication& r) {
      return ratio(static_cast<double>(r.intervals[k].sat_yes),
                   static_cast<double>(r.intervals[k].sat_n));
    });
    if (iv.offered > 0) {
      sla::Workload w;
      w.calls = iv.offered;
      w.interval = sc.interval;
      w.aht = Duration{static_cast<std::int64_t>(std::llround(aht * 1000.0))};
      if (patience_share > 0) {
        w.patience =
            Duration{static_cast<std::int64_t>(std::llround(patience / patience_share * 1000.0))};
      }
      sla::StaffingGoal g;
      g.threshold = strict.threshold;
      g.service_level = std::min(strict.fraction, 0.999);
      g.basis = variant == sla::ServiceLevelVariant::answered ? sla::StaffingGoal::Basis::answered
                                                              : sla::StaffingGoal::Basis::offered;
      if (w.aht > Duration{0}) iv.required = static_cast<double>(sla::required_agents(w, g).agents);
    }
    rep.intervals.push_back(iv);
  }

  // The day per tier.
  for (std::size_t t = 0; t < T; ++t) {
    auto day = [&](const Replication& r) {
      sla::Counts c;
      double wait = 0;
      std::int64_t other = 0;
      for (std::size_t k = 0; k <= n; ++k) {
        const detail::TierAcc& a = r.cells[k * T + t];
        c.offered += a.counts.offered;
        c.answered += a.counts.answered;
        c.abandoned += a.counts.abandoned;
        c.answered_within += a.counts.answered_within;
        c.abandoned_within += a.counts.abandoned_within;
        c.short_abandoned += a.counts.short_abandoned;
        wait += a.answered_wait_s;
        other += a.other;
      }
      return std::tuple{c, wait, other};
    };
    const double offered = mean_of(reps, [&](const Replication& r) {
      auto [c, w, o] = day(r);
      return static_cast<double>(c.offered + o);
    });
    if (offered == 0) continue;
    TierDay d;
    d.tier = tiers[t];
    d.target = targets.target_for(tiers[t]).fraction;
    d.threshold = targets.target_for(tiers[t]).threshold;
    d.offered = offered;
    d.service_level = over(reps, [&](const Replication& r) {
      return sla::service_level(std::get<0>(day(r)), variant);
    });
    d.answer_rate = over(reps, [&](const Replication& r) {
      auto [c, w, o] = day(r);
      return ratio(static_cast<double>(c.answered), static_cast<double>(c.offered + o));
    });
    d.abandon_rate = over(reps, [&](const Replication& r) {
      auto [c, w, o] = day(r);
      return ratio(static_cast<double>(c.abandoned), static_cast<double>(c.offered + o));
    });
    d.asa_seconds = over(reps, [&](const Replication& r) {
      auto [c, w, o] = day(r);
      return ratio(w, static_cast<double>(c.answered));
    });
    double met = 0, judged = 0;
    for (const Replication& r : reps) {
      for (std::size_t k = 0; k < n; ++k) {
        const double sl = sla::service_level(r.cells[k * T + t].counts, variant);
        if (std::isfinite(sl)) {
          judged += 1;
          met += sl >= d.target ? 1 : 0;
        }
      }
    }
    d.intervals_met = static_cast<int>(std::lround(met / R));
    d.intervals_judged = static_cast<int>(std::lround(judged / R));
    d.met = d.service_level.mean >= d.target;
    rep.tiers.push_back(std::move(d));
  }

  rep.occupancy = over(reps, [&](const Replication& r) {
    double busy = 0, staffed = 0;
    for (std::size_t k = 0; k < n; ++k) {
      busy += r.intervals[k].busy_s;
      staffed += r.intervals[k].staffed_s;
    }
    return ratio(busy, staffed);
  });

  // IVR.
  IvrSummary& ivr = rep.ivr;
  ivr.calls = mean_of(reps, [](const Replication& r) { return r.ivr_calls; });
  ivr.self_service = mean_of(reps, [](const Replication& r) { return r.ivr_self_service; });
  ivr.transferred = mean_of(reps, [](const Replication& r) { return r.ivr_transferred; });
  ivr.abandoned = mean_of(reps, [](const Replication& r) { return r.ivr_abandoned; });
  ivr.step_limit = mean_of(reps, [](const Replication& r) { return r.ivr_step_limit; });
  ivr.containment =
      over(reps, [](const Replication& r) { return ratio(r.ivr_self_service, r.ivr_calls); });
  ivr.abandonment =
      over(reps, [](const Replication& r) { return ratio(r.ivr_abandoned, r.ivr_calls); });
  ivr.mean_seconds_to_agent =
      ratio(mean_of(reps, [](const Replication& r) { return r.seconds_to_agent; }),
            ivr.transferred + ivr.step_limit);
  {
    std::map<std::string, double> drop, transfers;
    for (const Replication& r : reps) {
      for (const auto& [k, v] : r.drop_off) drop[k] += v / R;
      for (const auto& [k, v] : r.transfers) transfers[k] += v / R;
    }
    ivr.drop_off.assign(drop.begin(), drop.end());
    ivr.transfers.assign(transfers.begin(), transfers.end());
    auto most = [](const auto& a, const auto& b) { return a.second > b.second; };
    std::stable_sort(ivr.drop_off.begin(), ivr.drop_off.end(), most);
    std::stable_sort(ivr.transfers.begin(), ivr.transfers.end(), most);
    if (ivr.drop_off.size() > 10) ivr.drop_off.resize(10);
  }

  // Survey.
  SurveySummary& sv = rep.survey;
  sv.offered = mean_of(reps, [](const Replication& r) { return r.survey_offered; });
  sv.responded = mean_of(reps, [](const Replication& r) { return r.survey_responded; });
  sv.response_rate =
      over(reps, [](const Replication& r) { return ratio(r.survey_responded, r.survey_offered); });
  sv.satisfaction = over(reps, [](const Replication& r) {
    return ratio(static_cast<double>(r.sat_yes), static_cast<double>(r.sat_n));
  });
  sv.csat = over(reps, [](const Replication& r) {
    return ratio(static_cast<double>(r.csat_top), static_cast<double>(r.csat_n));
  });
  sv.nps = over(reps, [](const Replication& r) {
    return 100.0 * ratio(static_cast<double>(r.nps_score), static_cast<double>(r.nps_n));
  });
  sv.alerts = mean_of(reps, [](const Replication& r) { return r.alerts; });
  sv.explained_in_time = mean_of(reps, [](const Replication& r) { return r.explained_in_time; });
  sv.overdue = mean_of(reps, [](const Replication& r) { return r.overdue; });
  sv.yellow_cards = mean_of(reps, [](const Replication& r) { return r.yellow_cards; });

  // Complaints.
  ComplaintSummary& cs = rep.complaints;
  cs.created = mean_of(reps, [](const Replication& r) { return r.complaints_created; });
  cs.closed = mean_of(reps, [](const Replication& r) { return r.complaints_closed; });
  cs.due = mean_of(reps, [](const Replication& r) { return r.kpi_due; });
  cs.met = mean_of(reps, [](const Replication& r) { return r.kpi_met; });
  cs.timeliness = over(reps, [](const Replication& r) { return ratio(r.kpi_met, r.kpi_due); });
  cs.warnings = mean_of(reps, [](const Replication& r) { return r.warnings; });
  cs.breaches = mean_of(reps, [](const Replication& r) { return r.breaches; });
  cs.escalations = mean_of(reps, [](const Replication& r) { return r.escalations; });
  cs.immediate = mean_of(reps, [](const Replication& r) { return r.immediate; });
  cs.resolution_p50_hours = mean_of(reps, [](const Replication& r) { return r.resolution_p50_h; });
  cs.resolution_p90_hours = mean_of(reps, [](const Replication& r) { return r.resolution_p90_h; });

  CallbackSummary& cb = rep.callbacks;
  cb.offered = mean_of(reps, [](const Replication& r) { return r.callbacks_offered; });
  cb.accepted = mean_of(reps, [](const Replication& r) { return r.callbacks_accepted; });
  cb.booked = mean_of(reps, [](const Replication& r) { return r.callbacks_booked; });
  cb.completed = mean_of(reps, [](const Replication& r) { return r.callbacks_completed; });
  cb.unanswered = mean_of(
      reps, [](const Replication& r) { return r.callbacks_dialled - r.callbacks_completed; });
  cb.not_dialled = mean_of(reps, [](const Replication& r) {
    return r.callbacks_accepted + r.callbacks_booked - r.callbacks_dialled;
  });

  PredictionScore& ps = rep.prediction;
  double pn = 0, pabs = 0, pbias = 0, p30 = 0;
  for (const Replication& r : reps) {
    pn += r.pred_n;
    pabs += r.pred_abs;
    pbias += r.pred_bias;
    p30 += r.pred_within30;
  }
  ps.scored = pn / R;
  ps.mean_abs_error_s = ratio(pabs, pn);
  ps.bias_s = ratio(pbias, pn);
  ps.within_30s = ratio(p30, pn);
  return rep;
}

}  // namespace hotline::sim
