// hotline C ABI: the sla component. Every entry point runs inside hotline::capi::guard.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <hotline/calendar/calendar.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/sla/records.hpp>
#include <hotline/sla/sliding_window.hpp>

#include "guard.hpp"
#include "handles.hpp"
#include "hotline_sla.h"

struct hotline_sla_window {
  hotline::sla::SlidingWindow w;
};
struct hotline_sla_records {
  hotline::sla::RecordSet rs;
};
struct hotline_sla_targets {
  hotline::sla::Targets t;
};
struct hotline_sla_report {
  hotline::sla::Report r;
};

namespace {

using hotline::Duration;
using hotline::Error;
using hotline::ErrorCode;
using hotline::from_unix_ms;
using hotline::to_unix_ms;
using hotline::capi::guard;
using hotline::capi::require;
namespace sla = hotline::sla;

using hotline::capi::raw;

sla::ServiceLevelVariant variant_of(int v) {
  if (v < 0 || v > 4) {
    throw Error(ErrorCode::invalid_argument, "variant", "unknown service-level variant");
  }
  return static_cast<sla::ServiceLevelVariant>(v);
}

hotline_sla_counts to_c(const sla::Counts& c) {
  return {c.offered,         c.answered,         c.abandoned,
          c.answered_within, c.abandoned_within, c.short_abandoned};
}

}  // namespace

extern "C" {

int hotline_sla_service_level(double* out, const hotline_sla_counts* counts,
                              hotline_sla_variant variant) {
  return guard([&] {
    require(out, "out");
    require(counts, "counts");
    const sla::Counts c{counts->offered,         counts->answered,         counts->abandoned,
                        counts->answered_within, counts->abandoned_within, counts->short_abandoned};
    *out = sla::service_level(c, variant_of(raw(variant)));
  });
}

int hotline_sla_erlang_b(double* out, int64_t agents, double load) {
  return guard([&] {
    require(out, "out");
    *out = sla::erlang_b(agents, load);
  });
}

int hotline_sla_erlang_c(double* out, int64_t agents, double load) {
  return guard([&] {
    require(out, "out");
    *out = sla::erlang_c(agents, load);
  });
}

int hotline_sla_erlang_c_metrics(hotline_sla_c_metrics* out, int64_t agents, double load,
                                 double aht, double threshold) {
  return guard([&] {
    require(out, "out");
    const auto m = sla::erlang_c_metrics(agents, load, aht, threshold);
    *out = {m.load, m.p_wait, m.service_level, m.asa, m.occupancy};
  });
}

int hotline_sla_erlang_a(hotline_sla_a_metrics* out, int64_t agents, double load, double aht,
                         double patience, double threshold) {
  return guard([&] {
    require(out, "out");
    const auto m = sla::erlang_a(agents, load, aht, patience, threshold);
    *out = {m.load,
            m.p_wait,
            m.p_abandon,
            m.sl_virtual,
            m.sl_offered,
            m.sl_answered,
            m.sl_excl_abandoned_within,
            m.asa,
            m.mean_wait,
            m.occupancy};
  });
}

int hotline_sla_required_agents(hotline_sla_staffing* out, const hotline_sla_workload* workloads,
                                size_t count, const hotline_sla_goal* goal) {
  return guard([&] {
    require(out, "out");
    require(workloads, "workloads");
    require(goal, "goal");
    if (goal->version != HOTLINE_SLA_GOAL_VERSION) {
      throw Error(ErrorCode::invalid_argument, "goal.version",
                  "set goal.version to HOTLINE_SLA_GOAL_VERSION");
    }
    sla::StaffingGoal g;
    if (goal->service_level != 0) g.service_level = goal->service_level;
    if (goal->service_level != 0 || goal->threshold != 0) g.threshold = Duration{goal->threshold};
    if (goal->max_asa != 0) g.max_asa = Duration{goal->max_asa};
    if (goal->max_occupancy != 0) g.max_occupancy = goal->max_occupancy;
    if (goal->max_abandon != 0) g.max_abandon = goal->max_abandon;
    if (raw(goal->basis) < 0 || raw(goal->basis) > 2) {
      throw Error(ErrorCode::invalid_argument, "goal.basis", "unknown basis");
    }
    g.basis = static_cast<sla::StaffingGoal::Basis>(raw(goal->basis));
    g.shrinkage = goal->shrinkage;
    std::vector<sla::Workload> ws(count);
    for (size_t i = 0; i < count; ++i) {
      ws[i].calls = workloads[i].calls;
      ws[i].interval = Duration{workloads[i].interval};
      ws[i].aht = Duration{workloads[i].aht};
      if (workloads[i].patience != 0) ws[i].patience = Duration{workloads[i].patience};
    }
    const auto res = sla::required_agents(std::span<const sla::Workload>(ws), g);
    for (size_t i = 0; i < count; ++i) {
      const auto& s = res[i];
      out[i] = {s.agents,        s.scheduled, s.load,      s.p_wait,
                s.service_level, s.asa,       s.occupancy, s.p_abandon};
    }
  });
}

int hotline_sla_window_new(hotline_sla_window** out, const hotline_sla_tier_target* tiers,
                           size_t count, hotline_duration_ms window, hotline_sla_variant variant,
                           hotline_duration_ms short_abandon) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(tiers, "tiers");
    std::vector<sla::TierTarget> ts;
    for (size_t i = 0; i < count; ++i) {
      require(tiers[i].tier, "tiers[].tier");
      ts.push_back({tiers[i].tier, {Duration{tiers[i].threshold}, tiers[i].target}});
    }
    sla::SlidingWindowOptions o;
    o.window = Duration{window};
    o.variant = variant_of(raw(variant));
    o.short_abandon = Duration{short_abandon};
    *out = new hotline_sla_window{sla::SlidingWindow(std::move(ts), o)};
  });
}

int hotline_sla_window_new_preset(hotline_sla_window** out, hotline_duration_ms window) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    sla::SlidingWindowOptions o;
    o.window = Duration{window};
    *out = new hotline_sla_window{sla::SlidingWindow::hotline_preset(o)};
  });
}

void hotline_sla_window_free(hotline_sla_window* w) { delete w; }

int hotline_sla_window_tier_index(size_t* out, const hotline_sla_window* w, const char* name) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    require(name, "name");
    *out = w->w.tier_index(name);
  });
}

int hotline_sla_window_arrived(hotline_sla_window* w, size_t tier, hotline_time_ms at) {
  return guard([&] {
    require(w, "w");
    w->w.arrived(tier, from_unix_ms(at));
  });
}
int hotline_sla_window_answered(hotline_sla_window* w, size_t tier, hotline_time_ms at,
                                hotline_duration_ms wait) {
  return guard([&] {
    require(w, "w");
    w->w.answered(tier, from_unix_ms(at), Duration{wait});
  });
}
int hotline_sla_window_abandoned(hotline_sla_window* w, size_t tier, hotline_time_ms at,
                                 hotline_duration_ms wait) {
  return guard([&] {
    require(w, "w");
    w->w.abandoned(tier, from_unix_ms(at), Duration{wait});
  });
}
int hotline_sla_window_exited(hotline_sla_window* w, size_t tier, hotline_time_ms at,
                              hotline_duration_ms wait) {
  return guard([&] {
    require(w, "w");
    w->w.exited(tier, from_unix_ms(at), Duration{wait});
  });
}
int hotline_sla_window_service_level(double* out, hotline_sla_window* w, size_t tier,
                                     hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    *out = w->w.service_level(tier, from_unix_ms(now));
  });
}
int hotline_sla_window_gap(double* out, hotline_sla_window* w, size_t tier, hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    *out = w->w.gap(tier, from_unix_ms(now));
  });
}
int hotline_sla_window_current_level(double* out, const hotline_sla_window* w, size_t tier) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    *out = w->w.current_level(tier);
  });
}
int hotline_sla_window_revision(uint64_t* out, const hotline_sla_window* w, size_t tier) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    *out = w->w.revision(tier);
  });
}
int hotline_sla_window_calls_to_target(double* out, hotline_sla_window* w, size_t tier,
                                       hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    *out = w->w.calls_to_target(tier, from_unix_ms(now));
  });
}
int hotline_sla_window_stats(hotline_sla_window_counts* out, hotline_sla_window* w, size_t tier,
                             hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(w, "w");
    const auto s = w->w.stats(tier, from_unix_ms(now));
    *out = {to_c(s.counts), s.arrivals, s.total_answer_wait.count(), s.service_level};
  });
}

int hotline_sla_records_new(hotline_sla_records** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    *out = new hotline_sla_records{};
  });
}

int hotline_sla_records_read_csv(hotline_sla_records** out, const char* text, size_t len,
                                 const hotline_calendar* cal) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(text, "text");
    require(cal, "cal");
    *out = new hotline_sla_records{sla::read_csv(std::string_view(text, len), cal->cal)};
  });
}

int hotline_sla_records_read_queue_log(hotline_sla_records** out, const char* text, size_t len,
                                       const char* default_tier, const char* const* tier_queues,
                                       size_t tier_queue_count) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(text, "text");
    std::vector<std::string> tq;
    if (tier_queue_count > 0) require(tier_queues, "tier_queues");
    for (size_t i = 0; i < tier_queue_count; ++i) {
      require(tier_queues[i], "tier_queues[]");
      tq.emplace_back(tier_queues[i]);
    }
    *out = new hotline_sla_records{sla::read_queue_log(
        std::string_view(text, len), default_tier ? default_tier : "ordinary", tq)};
  });
}

int hotline_sla_records_add(hotline_sla_records* records, const hotline_sla_record* r) {
  return guard([&] {
    require(records, "records");
    require(r, "record");
    if (raw(r->outcome) < 0 || raw(r->outcome) > 3) {
      throw Error(ErrorCode::invalid_argument, "outcome", "unknown outcome");
    }
    sla::ContactRecord c;
    c.arrival = from_unix_ms(r->arrival);
    c.wait = Duration{r->wait};
    c.talk = Duration{r->talk};
    c.hold = Duration{r->hold};
    c.wrap = Duration{r->wrap};
    c.outcome = static_cast<sla::Outcome>(raw(r->outcome));
    records->rs.add(c, r->queue ? r->queue : "default", r->tier ? r->tier : "ordinary",
                    r->agent ? r->agent : "");
  });
}

int hotline_sla_records_count(size_t* out, const hotline_sla_records* records) {
  return guard([&] {
    require(out, "out");
    require(records, "records");
    *out = records->rs.records().size();
  });
}

void hotline_sla_records_free(hotline_sla_records* records) { delete records; }

int hotline_sla_targets_new_preset(hotline_sla_targets** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    *out = new hotline_sla_targets{sla::Targets::hotline_preset()};
  });
}

int hotline_sla_targets_from_json(hotline_sla_targets** out, const char* json, size_t len) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(json, "json");
    *out = new hotline_sla_targets{sla::Targets::from_json(std::string_view(json, len))};
  });
}

void hotline_sla_targets_free(hotline_sla_targets* targets) { delete targets; }

int hotline_sla_report_new(hotline_sla_report** out, const hotline_sla_records* records,
                           const hotline_sla_targets* targets, const hotline_calendar* cal,
                           hotline_sla_granularity granularity) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(records, "records");
    require(targets, "targets");
    require(cal, "cal");
    if (raw(granularity) < 0 || raw(granularity) > 4) {
      throw Error(ErrorCode::invalid_argument, "granularity", "unknown granularity");
    }
    sla::ReportOptions o;
    o.granularity = static_cast<sla::Granularity>(raw(granularity));
    *out = new hotline_sla_report{sla::aggregate(records->rs, targets->t, cal->cal, o)};
  });
}

int hotline_sla_report_row_count(size_t* out, const hotline_sla_report* report) {
  return guard([&] {
    require(out, "out");
    require(report, "report");
    *out = report->r.rows.size();
  });
}

int hotline_sla_report_row(hotline_sla_row* out, const hotline_sla_report* report, size_t index) {
  return guard([&] {
    require(out, "out");
    require(report, "report");
    const auto& rep = report->r;
    if (index >= rep.rows.size()) {
      throw Error(ErrorCode::invalid_argument, "index", "row index out of range");
    }
    const auto& row = rep.rows[index];
    hotline_sla_row r{};
    r.start = to_unix_ms(row.start);
    r.end = to_unix_ms(row.end);
    r.queue = rep.queues[row.queue].c_str();
    r.tier = rep.tiers[row.tier].c_str();
    r.counts = to_c(row.counts);
    r.timeouts = row.timeouts;
    r.service_level = rep.service_level(row);
    r.meets_target = rep.meets_target(row);
    r.answer_rate = row.answer_rate();
    r.abandon_rate = row.abandon_rate();
    r.asa = row.asa_seconds();
    r.aht = row.aht_seconds();
    r.max_wait = row.max_wait.count();
    *out = r;
  });
}

void hotline_sla_report_free(hotline_sla_report* report) { delete report; }

int hotline_sla_daily_compliance(hotline_sla_compliance* out, size_t capacity, size_t* count,
                                 const hotline_sla_records* records,
                                 const hotline_sla_targets* targets, const hotline_calendar* cal) {
  return guard([&]() -> int {
    require(count, "count");
    require(records, "records");
    require(targets, "targets");
    require(cal, "cal");
    const auto months = sla::daily_compliance(records->rs, targets->t, cal->cal);
    *count = months.size();
    if (capacity < months.size()) {
      hotline::capi::set_error(HOTLINE_EBUFFER, "capacity",
                               "buffer too small: " + std::to_string(months.size()) + " needed");
      return HOTLINE_EBUFFER;
    }
    if (!months.empty()) require(out, "out");
    for (size_t i = 0; i < months.size(); ++i) {
      const auto& m = months[i];
      out[i] = {static_cast<int>(m.month.year()),
                static_cast<int>(static_cast<unsigned>(m.month.month())),
                records->rs.tiers()[m.tier].c_str(),
                m.days_in_month,
                m.days_with_traffic,
                m.days_met,
                m.ratio,
                m.pass};
    }
    return HOTLINE_OK;
  });
}

int hotline_sla_occupancy(hotline_sla_occupancy_row* out, size_t capacity, size_t* count,
                          const hotline_sla_records* records, const hotline_calendar* cal,
                          hotline_sla_granularity granularity) {
  return guard([&]() -> int {
    require(count, "count");
    require(records, "records");
    require(cal, "cal");
    if (raw(granularity) < 0 || raw(granularity) > 4) {
      throw Error(ErrorCode::invalid_argument, "granularity", "unknown granularity");
    }
    const auto rows =
        sla::occupancy(records->rs, cal->cal, static_cast<sla::Granularity>(raw(granularity)));
    *count = rows.size();
    if (capacity < rows.size()) {
      hotline::capi::set_error(HOTLINE_EBUFFER, "capacity",
                               "buffer too small: " + std::to_string(rows.size()) + " needed");
      return HOTLINE_EBUFFER;
    }
    if (!rows.empty()) require(out, "out");
    for (size_t i = 0; i < rows.size(); ++i) {
      out[i] = {to_unix_ms(rows[i].start), to_unix_ms(rows[i].end), rows[i].staffed.count(),
                rows[i].paused.count(),    rows[i].busy.count(),    rows[i].occupancy()};
    }
    return HOTLINE_OK;
  });
}

int hotline_sla_records_add_agent_span(hotline_sla_records* records, const char* agent,
                                       hotline_time_ms start, hotline_time_ms end, bool paused) {
  return guard([&] {
    require(records, "records");
    require(agent, "agent");
    records->rs.add_agent_span(agent, from_unix_ms(start), from_unix_ms(end), paused);
  });
}

int hotline_sla_mystery_call_score(double* out, double result, double national_min,
                                   double national_average) {
  return guard([&] {
    require(out, "out");
    *out = sla::mystery_call_score(result, national_min, national_average);
  });
}

int hotline_sla_satisfaction_rate(double* out, int64_t satisfied, int64_t responses) {
  return guard([&] {
    require(out, "out");
    *out = sla::satisfaction_rate(satisfied, responses);
  });
}

int hotline_sla_on_time_ratio(double* out, int64_t* late, int64_t* pending,
                              const hotline_time_ms* due, const hotline_time_ms* done, size_t count,
                              hotline_time_ms as_of) {
  return guard([&] {
    require(out, "out");
    if (count > 0) {
      require(due, "due");
      require(done, "done");
    }
    std::vector<sla::Deadline> items(count);
    for (size_t i = 0; i < count; ++i) {
      items[i].due = from_unix_ms(due[i]);
      if (done[i] != HOTLINE_SLA_OPEN) items[i].done = from_unix_ms(done[i]);
    }
    const auto r = sla::on_time_ratio(items, from_unix_ms(as_of));
    *out = r.ratio;
    if (late) *late = r.late;
    if (pending) *pending = r.pending;
  });
}

}  // extern "C"
