// hotline.sim for Python.
#include <pybind11/functional.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/sim.hpp>

#include "bindings.hpp"

namespace hotline::python {

void init_sim(py::module_& m) {
  using namespace hotline::sim;
  py::class_<Scenario>(m, "Scenario",
                       "A simulation scenario (docs/sim.md). Immutable once loaded.\n\n"
                       "    s = sim.Scenario.load('examples/scenarios/provincial-day.json')")
      .def_static(
          "from_json",
          [](std::string_view text, const std::filesystem::path& base_dir) {
            return Scenario::from_json(text, base_dir);
          },
          py::arg("text"), py::arg("base_dir") = std::filesystem::path{},
          "Reads a scenario from JSON text; files it names resolve against base_dir.")
      .def_static("load", &Scenario::load, py::arg("path"), "Reads a scenario file.")
      .def_property_readonly("name", [](const Scenario& s) { return s.name; })
      .def_property_readonly("agents", &Scenario::agent_count)
      .def_property_readonly("replications", [](const Scenario& s) { return s.replications; })
      .def_property_readonly("seed", [](const Scenario& s) { return s.seed; })
      .def("__repr__", [](const Scenario& s) {
        return "<hotline.sim.Scenario '" + s.name + "' " + std::to_string(s.agent_count()) +
               " agents>";
      });
  py::class_<Report>(m, "Report", "The report of a run.")
      .def(
          "to_json", [](const Report& r) { return to_json(r); }, "The report as JSON text.")
      .def(
          "to_text", [](const Report& r) { return to_text(r); }, "The terminal table.")
      .def(
          "to_html", [](const Report& r) { return to_html(r); },
          "One self-contained HTML page with SVG charts.")
      .def_property_readonly("replications", [](const Report& r) { return r.replications; })
      .def_property_readonly("calls", [](const Report& r) { return r.calls; });
  m.def(
      "run_report",
      [](const Scenario& s, std::optional<int> replications, std::optional<std::uint64_t> seed,
         std::optional<std::function<void(int, int, double)>> progress,
         std::optional<std::int64_t> max_events) {
        RunOptions o;
        o.replications = replications;
        o.seed = seed;
        o.max_events = max_events;
        if (progress && *progress) {
          auto fn = *progress;
          o.progress = [fn](int done, int total, double fraction) {
            py::gil_scoped_acquire gil;
            fn(done, total, fraction);
          };
        }
        py::gil_scoped_release release;
        return run(s, o);
      },
      py::arg("scenario"), py::kw_only(), py::arg("replications") = py::none(),
      py::arg("seed") = py::none(), py::arg("progress") = py::none(),
      py::arg("max_events") = py::none(),
      "Runs the scenario's replications; returns a Report. max_events: raise LimitError when a "
      "replication needs more events (a bound for untrusted scenarios).");
}

}  // namespace hotline::python
