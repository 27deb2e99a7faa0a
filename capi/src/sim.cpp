#include <cstring>
#include <string>

#include <fmt/format.h>

#include <hotline/sim.hpp>

#include "guard.hpp"
#include "hotline_sim.h"

struct hotline_sim_scenario {
  hotline::sim::Scenario scenario;
};

struct hotline_sim_report {
  hotline::sim::Report report;
};

namespace {

namespace sim = hotline::sim;
using hotline::Error;
using hotline::ErrorCode;
using hotline::capi::copy_out;
using hotline::capi::guard;
using hotline::capi::require;

hotline_sim_estimate est(const sim::Estimate& e) {
  return hotline_sim_estimate{e.mean, e.low(), e.high(), e.n};
}

}  // namespace

extern "C" {

int hotline_sim_scenario_from_json(hotline_sim_scenario** out, const char* json, size_t len,
                                   const char* base_dir) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(json, "json");
    *out = new hotline_sim_scenario{
        sim::Scenario::from_json(std::string_view(json, len), base_dir ? base_dir : "")};
  });
}

int hotline_sim_scenario_load(hotline_sim_scenario** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    *out = new hotline_sim_scenario{sim::Scenario::load(path)};
  });
}

void hotline_sim_scenario_free(hotline_sim_scenario* scenario) { delete scenario; }

int hotline_sim_scenario_name(char* buf, size_t cap, size_t* needed,
                              const hotline_sim_scenario* scenario) {
  return guard([&] {
    require(scenario, "scenario");
    return copy_out(scenario->scenario.name, buf, cap, needed);
  });
}

int hotline_sim_scenario_agents(int* out, const hotline_sim_scenario* scenario) {
  return guard([&] {
    require(out, "out");
    require(scenario, "scenario");
    *out = scenario->scenario.agent_count();
  });
}

int hotline_sim_run(hotline_sim_report** out, const hotline_sim_scenario* scenario,
                    const hotline_sim_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(scenario, "scenario");
    sim::RunOptions o;
    if (options != nullptr) {
      if (options->has_seed) o.seed = options->seed;
      if (options->replications != 0) {
        if (options->replications < 1 || options->replications > 1000) {
          throw Error(ErrorCode::invalid_argument, "options.replications",
                      "replications must be 0 (the scenario's) or 1 .. 1000");
        }
        o.replications = options->replications;
      }
      if (options->max_events > 0) o.max_events = options->max_events;
      if (options->progress != nullptr) {
        const hotline_sim_progress_fn fn = options->progress;
        void* user = options->user;
        o.progress = [fn, user](int done, int total, double fraction) {
          fn(user, done, total, fraction);
        };
      }
    }
    *out = new hotline_sim_report{sim::run(scenario->scenario, o)};
  });
}

void hotline_sim_report_free(hotline_sim_report* report) { delete report; }

int hotline_sim_report_render(char* buf, size_t cap, size_t* needed,
                              const hotline_sim_report* report, int format) {
  return guard([&] {
    require(report, "report");
    switch (format) {
      case HOTLINE_SIM_JSON:
        return copy_out(sim::to_json(report->report), buf, cap, needed);
      case HOTLINE_SIM_TEXT:
        return copy_out(sim::to_text(report->report), buf, cap, needed);
      case HOTLINE_SIM_HTML:
        return copy_out(sim::to_html(report->report), buf, cap, needed);
      default:
        throw Error(ErrorCode::invalid_argument, "format",
                    fmt::format("unknown format {} (HOTLINE_SIM_JSON, _TEXT or _HTML)", format));
    }
  });
}

int hotline_sim_report_summary(hotline_sim_summary* out, const hotline_sim_report* report) {
  return guard([&] {
    require(out, "out");
    require(report, "report");
    const sim::Report& r = report->report;
    hotline_sim_summary s{};
    s.replications = r.replications;
    s.agents = r.agents;
    s.seed = r.seed;
    s.calls = r.calls;
    s.events = r.events;
    s.peak_calls_in_flight = r.peak_calls_in_flight;
    s.occupancy = est(r.occupancy);
    s.ivr_containment = est(r.ivr.containment);
    s.survey_satisfaction = est(r.survey.satisfaction);
    s.complaint_timeliness = est(r.complaints.timeliness);
    s.survey_alerts = r.survey.alerts;
    s.survey_overdue = r.survey.overdue;
    s.complaints_created = r.complaints.created;
    s.escalations = r.complaints.escalations;
    s.prediction_mae_s = r.prediction.mean_abs_error_s;
    s.prediction_bias_s = r.prediction.bias_s;
    *out = s;
  });
}

int hotline_sim_report_tier_count(size_t* out, const hotline_sim_report* report) {
  return guard([&] {
    require(out, "out");
    require(report, "report");
    *out = report->report.tiers.size();
  });
}

int hotline_sim_report_tier(hotline_sim_tier* out, const hotline_sim_report* report, size_t index) {
  return guard([&] {
    require(out, "out");
    require(report, "report");
    const auto& tiers = report->report.tiers;
    if (index >= tiers.size()) {
      throw Error(ErrorCode::not_found, "index", fmt::format("tier {} of {}", index, tiers.size()));
    }
    const sim::TierDay& d = tiers[index];
    hotline_sim_tier t{};
    const std::size_t n = std::min(d.tier.size(), sizeof t.tier - 1);
    std::memcpy(t.tier, d.tier.data(), n);
    t.tier[n] = '\0';
    t.offered = d.offered;
    t.target = d.target;
    t.threshold_s = static_cast<double>(d.threshold.count()) / 1000.0;
    t.service_level = est(d.service_level);
    t.answer_rate = est(d.answer_rate);
    t.abandon_rate = est(d.abandon_rate);
    t.asa_s = est(d.asa_seconds);
    t.met = d.met;
    *out = t;
  });
}

}  // extern "C"
