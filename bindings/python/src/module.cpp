// The private extension module behind the `hotline` Python package.
#include "bindings.hpp"

PYBIND11_MODULE(_hotline, m) {
  namespace hp = hotline::python;
  m.doc() = "hotline native module; import the `hotline` package instead.";
  hp::init_core(m);
  auto calendar = m.def_submodule("calendar", "Business calendars: hours, holidays, make-up days.");
  hp::init_calendar(calendar);
  auto sla = m.def_submodule("sla", "Service levels, Erlang staffing, contact-record reports.");
  hp::init_sla(sla);
  auto workforce = m.def_submodule("workforce", "Shift scheduling and capacity planning.");
  hp::init_workforce(workforce);
  auto escalation = m.def_submodule(
      "escalation", "Complaint escalation: work orders, business-calendar deadlines, ladders.");
  hp::init_escalation(escalation);
  auto ivr = m.def_submodule("ivr", "IVR trees: composed documents verified at load, sessions.");
  hp::init_ivr(ivr);
  auto survey = m.def_submodule("survey", "Post-call surveys, scoring, the dissatisfaction loop.");
  hp::init_survey(survey);
  auto routing = m.def_submodule(
      "routing", "Routing policies and the ACD router: tiers, skills, strategies, overflow.");
  hp::init_routing(routing);
  auto sim = m.def_submodule(
      "sim", "The discrete-event simulator: every component together on a simulated day.");
  hp::init_sim(sim);
}
