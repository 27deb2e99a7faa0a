// hotline C ABI: the workforce component. Every entry point runs inside hotline::capi::guard.
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <hotline/workforce/capacity.hpp>
#include <hotline/workforce/schedule.hpp>

#include "guard.hpp"
#include "hotline_workforce.h"

struct hotline_workforce_problem {
  hotline::workforce::ScheduleProblem p;
};
struct hotline_workforce_schedule {
  hotline::workforce::Schedule s;
  std::vector<double> required;
  std::vector<std::string> names;                        // per template
  std::vector<std::vector<hotline_duration_ms>> breaks;  // per shift
};
struct hotline_workforce_plan {
  hotline::workforce::CapacityPlan plan;
};

namespace {

using hotline::Duration;
using hotline::Error;
using hotline::ErrorCode;
using hotline::capi::guard;
using hotline::capi::require;
namespace wf = hotline::workforce;

using hotline::capi::raw;

void require_text(const char* p, std::size_t len, const char* name) {
  if (p == nullptr && len > 0) require(p, name);
}

}  // namespace

int hotline_workforce_problem_from_json(hotline_workforce_problem** out, const char* json,
                                        size_t len) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require_text(json, len, "json");
    *out = new hotline_workforce_problem{
        wf::ScheduleProblem::from_json(std::string_view(json == nullptr ? "" : json, len))};
  });
}

int hotline_workforce_problem_load(hotline_workforce_problem** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    *out = new hotline_workforce_problem{wf::ScheduleProblem::load(path)};
  });
}

void hotline_workforce_problem_free(hotline_workforce_problem* problem) { delete problem; }

int hotline_workforce_problem_required(double* out, size_t capacity, size_t* count,
                                       const hotline_workforce_problem* problem) {
  return guard([&] {
    require(count, "count");
    require(problem, "problem");
    if (capacity > 0) require(out, "out");
    const auto& r = problem->p.required;
    *count = r.size();
    if (capacity < r.size()) {
      throw Error(ErrorCode::buffer_too_small, "capacity",
                  "the buffer is too small; *count has the size needed");
    }
    std::copy(r.begin(), r.end(), out);
  });
}

int hotline_workforce_solve(hotline_workforce_schedule** out,
                            const hotline_workforce_problem* problem,
                            const hotline_workforce_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(problem, "problem");
    wf::SolveOptions o;
    if (options != nullptr) {
      if (options->version != HOTLINE_WORKFORCE_OPTIONS_VERSION) {
        throw Error(ErrorCode::invalid_argument, "options.version",
                    "set options.version to HOTLINE_WORKFORCE_OPTIONS_VERSION");
      }
      const int obj = raw(options->objective);
      if (obj != HOTLINE_WORKFORCE_MIN_COST && obj != HOTLINE_WORKFORCE_MAX_SERVICE_LEVEL) {
        throw Error(ErrorCode::invalid_argument, "options.objective", "unknown objective");
      }
      o.objective = obj == HOTLINE_WORKFORCE_MIN_COST ? wf::Objective::min_cost
                                                      : wf::Objective::max_service_level;
      if (options->max_shifts >= 0) o.max_shifts = options->max_shifts;
      if (std::isnan(options->budget)) {
        throw Error(ErrorCode::invalid_argument, "options.budget", "must be a number");
      }
      if (options->budget >= 0) o.budget = options->budget;
      o.keep_requirements = options->keep_requirements;
      if (options->time_limit < 0) {
        throw Error(ErrorCode::invalid_argument, "options.time_limit", "must be >= 0");
      }
      if (options->time_limit > 0) o.time_limit = Duration{options->time_limit};
    }
    auto h = std::make_unique<hotline_workforce_schedule>();
    h->s = wf::solve(problem->p, o);
    h->required = problem->p.required;
    for (const auto& t : problem->p.templates) h->names.push_back(t.name);
    for (const auto& st : h->s.shifts) {
      std::vector<hotline_duration_ms> b;
      for (Duration d : st.breaks) b.push_back(d.count());
      h->breaks.push_back(std::move(b));
    }
    *out = h.release();
  });
}

void hotline_workforce_schedule_free(hotline_workforce_schedule* schedule) { delete schedule; }

int hotline_workforce_schedule_summary(hotline_workforce_summary* out,
                                       const hotline_workforce_schedule* schedule) {
  return guard([&] {
    require(out, "out");
    require(schedule, "schedule");
    const wf::Schedule& s = schedule->s;
    *out = {s.cost,      s.total_shifts, s.paid_hours,    s.overall_service_level, s.optimal,
            s.objective, s.variants,     s.shifts.size(), s.coverage.size()};
  });
}

int hotline_workforce_schedule_shift(hotline_workforce_shift* out,
                                     const hotline_workforce_schedule* schedule, size_t index) {
  return guard([&] {
    require(out, "out");
    require(schedule, "schedule");
    if (index >= schedule->s.shifts.size()) {
      throw Error(ErrorCode::invalid_argument, "index",
                  fmt::format("{} is out of range (the schedule has {} shifts)", index,
                              schedule->s.shifts.size()));
    }
    const wf::ShiftStart& st = schedule->s.shifts[index];
    const auto& b = schedule->breaks[index];
    *out = {schedule->names[st.template_index].c_str(),
            st.template_index,
            st.start.count(),
            st.count,
            b.size(),
            b.empty() ? nullptr : b.data()};
  });
}

int hotline_workforce_schedule_interval(hotline_workforce_interval* out,
                                        const hotline_workforce_schedule* schedule, size_t index) {
  return guard([&] {
    require(out, "out");
    require(schedule, "schedule");
    const wf::Schedule& s = schedule->s;
    if (index >= s.coverage.size()) {
      throw Error(ErrorCode::invalid_argument, "index",
                  fmt::format("{} is out of range (the schedule has {} intervals)", index,
                              s.coverage.size()));
    }
    *out = {schedule->required[index], s.coverage[index], s.shortfall[index],
            s.service_level.empty() ? std::numeric_limits<double>::quiet_NaN()
                                    : s.service_level[index]};
  });
}

int hotline_workforce_plan_from_json(hotline_workforce_plan** out, const char* json, size_t len) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require_text(json, len, "json");
    const auto in =
        wf::CapacityPlanInput::from_json(std::string_view(json == nullptr ? "" : json, len));
    *out = new hotline_workforce_plan{wf::plan_capacity(in)};
  });
}

void hotline_workforce_plan_free(hotline_workforce_plan* plan) { delete plan; }

int hotline_workforce_plan_summary(hotline_workforce_plan_totals* out,
                                   const hotline_workforce_plan* plan) {
  return guard([&] {
    require(out, "out");
    require(plan, "plan");
    *out = {plan->plan.months.size(), plan->plan.lead_months, plan->plan.total_hires,
            plan->plan.months_meeting_target};
  });
}

int hotline_workforce_plan_month(hotline_workforce_month* out, const hotline_workforce_plan* plan,
                                 size_t index) {
  return guard([&] {
    require(out, "out");
    require(plan, "plan");
    if (index >= plan->plan.months.size()) {
      throw Error(ErrorCode::invalid_argument, "index",
                  fmt::format("{} is out of range (the plan has {} months)", index,
                              plan->plan.months.size()));
    }
    const wf::MonthPlan& m = plan->plan.months[index];
    *out = {static_cast<int>(m.month.year()),
            static_cast<int>(static_cast<unsigned>(m.month.month())),
            m.calls,
            m.required_fte,
            m.productive,
            m.in_training,
            m.hires,
            m.leavers,
            m.attrition,
            m.overtime,
            m.shortfall_fte,
            m.service_level};
  });
}
