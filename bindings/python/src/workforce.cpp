// hotline.workforce for Python.
#include <cmath>
#include <limits>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/core/error.hpp>
#include <hotline/workforce/capacity.hpp>
#include <hotline/workforce/schedule.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using namespace hotline::workforce;

py::object maybe_nan(double v) { return std::isnan(v) ? py::none() : py::cast(v); }

py::dict month_dict(const MonthPlan& m) {
  py::dict d;
  d["month"] =
      py::str("{:04d}-{:02d}")
          .format(static_cast<int>(m.month.year()), static_cast<unsigned>(m.month.month()));
  d["calls"] = m.calls;
  d["required_fte"] = m.required_fte;
  d["productive"] = m.productive;
  d["in_training"] = m.in_training;
  d["hires"] = m.hires;
  d["leavers"] = m.leavers;
  d["attrition"] = m.attrition;
  d["overtime"] = m.overtime;
  d["shortfall_fte"] = m.shortfall_fte;
  d["service_level"] = m.service_level;
  return d;
}

}  // namespace

void init_workforce(py::module_& m) {
  py::class_<ScheduleProblem>(m, "ScheduleProblem",
                              "A shift-scheduling problem: requirements per interval and shift "
                              "templates (docs/workforce.md).")
      .def_static("from_json", &ScheduleProblem::from_json, py::arg("text"),
                  "Reads the JSON format; DefinitionError names the JSON pointer.")
      .def_static("load", &ScheduleProblem::load, py::arg("path"))
      .def_property_readonly("interval", [](const ScheduleProblem& p) { return p.interval; })
      .def_property_readonly("required", [](const ScheduleProblem& p) { return p.required; })
      .def_property_readonly("cyclic", [](const ScheduleProblem& p) { return p.cyclic; })
      .def_property_readonly("templates",
                             [](const ScheduleProblem& p) {
                               std::vector<std::string> names;
                               for (const auto& t : p.templates) names.push_back(t.name);
                               return names;
                             })
      .def_property_readonly("has_demand",
                             [](const ScheduleProblem& p) { return !p.demand.empty(); })
      .def("__repr__", [](const ScheduleProblem& p) {
        return py::str("ScheduleProblem({} intervals of {}, {} templates)")
            .format(p.required.size(), format_duration(p.interval), p.templates.size());
      });

  py::class_<Schedule>(m, "Schedule", "A solved schedule.")
      .def_readonly("coverage", &Schedule::coverage)
      .def_readonly("shortfall", &Schedule::shortfall)
      .def_property_readonly("service_level",
                             [](const Schedule& s) -> py::object {
                               if (s.service_level.empty()) return py::none();
                               return py::cast(s.service_level);
                             })
      .def_property_readonly("overall_service_level",
                             [](const Schedule& s) { return maybe_nan(s.overall_service_level); })
      .def_readonly("cost", &Schedule::cost)
      .def_readonly("total_shifts", &Schedule::total_shifts)
      .def_readonly("paid_hours", &Schedule::paid_hours)
      .def_readonly("optimal", &Schedule::optimal)
      .def_readonly("objective", &Schedule::objective)
      .def_readonly("variants", &Schedule::variants)
      .def_property_readonly("shifts",
                             [](const Schedule& s) {
                               py::list out;
                               for (const ShiftStart& st : s.shifts) {
                                 py::dict d;
                                 d["template_index"] = st.template_index;
                                 d["start"] = st.start;
                                 d["breaks"] = st.breaks;
                                 d["count"] = st.count;
                                 out.append(d);
                               }
                               return out;
                             })
      .def("__repr__", [](const Schedule& s) {
        return py::str("Schedule({} shifts, cost {:.2f}, optimal={})")
            .format(s.total_shifts, s.cost, s.optimal);
      });

  m.def(
      "solve",
      [](const ScheduleProblem& p, const std::string& objective,
         std::optional<std::int64_t> max_shifts, std::optional<double> budget,
         bool keep_requirements, Duration time_limit) {
        SolveOptions o;
        if (objective == "cost") {
          o.objective = Objective::min_cost;
        } else if (objective == "service_level") {
          o.objective = Objective::max_service_level;
        } else {
          throw Error(ErrorCode::invalid_argument, "objective",
                      "must be \"cost\" or \"service_level\"");
        }
        o.max_shifts = max_shifts;
        o.budget = budget;
        o.keep_requirements = keep_requirements;
        o.time_limit = time_limit;
        py::gil_scoped_release release;
        return solve(p, o);
      },
      py::arg("problem"), py::arg("objective") = "cost", py::arg("max_shifts") = py::none(),
      py::arg("budget") = py::none(), py::arg("keep_requirements") = false,
      py::arg("time_limit") = Duration{std::chrono::seconds{30}},
      "Exact optimum (COIN-OR CBC): objective \"cost\" covers every requirement at least cost; "
      "\"service_level\" maximises the day's service level within max_shifts and/or budget.");

  m.def(
      "service_levels",
      [](const ScheduleProblem& p, const std::vector<double>& coverage) {
        double overall = 0;
        auto per = service_levels(p, coverage, &overall);
        return py::make_tuple(per, overall);
      },
      py::arg("problem"), py::arg("coverage"),
      "(per-interval service levels, volume-weighted overall) for a coverage.");
  m.def("requirements_for", &requirements_for, py::arg("problem"), py::arg("target"),
        "Agents needed per interval for the target within the problem's threshold.");

  py::enum_<HiringPolicy>(m, "HiringPolicy")
      .value("planned", HiringPolicy::planned)
      .value("reactive", HiringPolicy::reactive)
      .value("fixed", HiringPolicy::fixed);

  py::class_<CapacityPlanInput>(m, "CapacityPlanInput",
                                "Inputs of a month-by-month capacity plan (docs/workforce.md).")
      .def_static("from_json", &CapacityPlanInput::from_json, py::arg("text"))
      .def_static("load", &CapacityPlanInput::load, py::arg("path"))
      .def_readwrite("months", &CapacityPlanInput::months)
      .def_readwrite("policy", &CapacityPlanInput::policy)
      .def_readwrite("agents", &CapacityPlanInput::agents)
      .def_readwrite("max_hires_per_month", &CapacityPlanInput::max_hires_per_month)
      .def("lead_months", &CapacityPlanInput::lead_months);

  m.def(
      "plan_capacity",
      [](const CapacityPlanInput& in) {
        const CapacityPlan plan = plan_capacity(in);
        py::dict d;
        d["lead_months"] = plan.lead_months;
        d["total_hires"] = plan.total_hires;
        d["months_meeting_target"] = plan.months_meeting_target;
        py::list months;
        for (const MonthPlan& mp : plan.months) months.append(month_dict(mp));
        d["months"] = months;
        return d;
      },
      py::arg("input"), "Runs the plan; returns plain data (a dict with a list of months).");
}

}  // namespace hotline::python
