// hotline.escalation for Python.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/core/error.hpp>
#include <hotline/escalation.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using namespace hotline::escalation;
using Fields = std::map<std::string, std::string, std::less<>>;
using Opt = std::optional<Instant>;

py::object json_loads(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

}  // namespace

void init_escalation(py::module_& m) {
  py::enum_<Channel>(m, "Channel", "Where a work order came in.")
      .value("HOTLINE", Channel::hotline)
      .value("GENERAL_MANAGER", Channel::general_manager)
      .value("MAILBOX", Channel::mailbox)
      .value("WEB", Channel::web);
  py::enum_<Severity>(m, "Severity", "How serious a work order is.")
      .value("LOW", Severity::low)
      .value("NORMAL", Severity::normal)
      .value("HIGH", Severity::high)
      .value("URGENT", Severity::urgent);
  py::enum_<Role>(m, "Role", "A rung of the escalation ladder.")
      .value("TEAM_LEAD", Role::team_lead)
      .value("DEPARTMENT_HEAD", Role::department_head)
      .value("GENERAL_MANAGER", Role::general_manager);
  py::enum_<NoticeKind>(m, "NoticeKind", "What a notice reports.")
      .value("WARNING", NoticeKind::warning)
      .value("BREACH", NoticeKind::breach)
      .value("ESCALATION", NoticeKind::escalation)
      .value("IMMEDIATE", NoticeKind::immediate)
      .value("REPEAT", NoticeKind::repeat);
  py::enum_<ClockState>(m, "ClockState", "State of a work order's clock.")
      .value("IDLE", ClockState::idle)
      .value("RUNNING", ClockState::running)
      .value("PAUSED", ClockState::paused)
      .value("STOPPED", ClockState::stopped);
  py::enum_<Durability>(m, "Durability", "How the SQLite store commits (see docs/escalation.md).")
      .value("FULL", Durability::full)
      .value("GROUP", Durability::group)
      .value("NORMAL", Durability::normal);

  py::class_<Policy>(m, "Policy",
                     "A validated escalation policy: workflows, clocks, ladders, rules.\n\n"
                     "    policy = escalation.Policy.load('examples/escalation/policy.json')")
      .def_static("from_json", &Policy::from_json, py::arg("text"),
                  py::arg("base_dir") = std::filesystem::path(),
                  "Parses and validates JSON; calendar files are read relative to base_dir. "
                  "Raises DefinitionError listing every problem at its JSON pointer.")
      .def_static("load", &Policy::load, py::arg("path"), "Reads a policy file.")
      .def_property_readonly("name", &Policy::name)
      .def_property_readonly("version", &Policy::version)
      .def_property_readonly("canonical_json", &Policy::canonical_json,
                             "Self-contained JSON (calendars inlined), as stores keep it.")
      .def_property_readonly(
          "categories",
          [](const Policy& p) {
            std::vector<std::string> out;
            for (const auto& c : p.categories()) out.push_back(c.first);
            return out;
          },
          "Category names.")
      .def_property_readonly(
          "departments",
          [](const Policy& p) {
            std::vector<std::string> out;
            for (const auto& d : p.departments()) out.push_back(d.id);
            return out;
          },
          "Department ids.")
      .def_property_readonly("calendar_names", &Policy::calendar_names)
      .def_property_readonly("timeliness_target", &Policy::timeliness_target);

  py::class_<Actor>(m, "Actor", "Who issues a command: an id and a role (agent, supervisor, ...).")
      .def(py::init([](std::string id, std::string role) {
             return Actor{std::move(id), std::move(role)};
           }),
           py::arg("id"), py::arg("role"))
      .def_readonly("id", &Actor::id)
      .def_readonly("role", &Actor::role)
      .def("__repr__", [](const Actor& a) { return "Actor(" + a.id + ", " + a.role + ")"; });

  py::class_<Notice>(m, "Notice", "A notification due: warning, breach, escalation, ...")
      .def_readonly("kind", &Notice::kind)
      .def_readonly("order", &Notice::order)
      .def_property_readonly("clock", [](const Notice& n) { return std::string(n.clock); })
      .def_readonly("due", &Notice::due)
      .def_readonly("deliver_at", &Notice::deliver_at, "due, or the end of quiet hours")
      .def_readonly("fraction", &Notice::fraction)
      .def_readonly("count", &Notice::count)
      .def_readonly("level", &Notice::level)
      .def_readonly("role", &Notice::role)
      .def_property_readonly("recipient", [](const Notice& n) { return std::string(n.recipient); })
      .def("__repr__", [](const Notice& n) {
        return "Notice(" + std::string(to_string(n.kind)) + ", order " + std::to_string(n.order) +
               (n.clock.empty() ? "" : ", " + std::string(n.clock)) + ", " + format_instant(n.due) +
               ")";
      });

  py::class_<Result>(m, "Result", "What a command did.")
      .def_readonly("order", &Result::order)
      .def_readonly("seq", &Result::seq)
      .def_readonly("duplicate", &Result::duplicate)
      .def_readonly("notices", &Result::notices);

  py::class_<Clock>(m, "Clock", "A work order's clock.")
      .def_readonly("state", &Clock::state)
      .def_readonly("started", &Clock::started)
      .def_readonly("since", &Clock::since)
      .def_readonly("consumed", &Clock::consumed)
      .def_readonly("target", &Clock::target)
      .def_readonly("deadline", &Clock::deadline)
      .def_readonly("warnings", &Clock::warnings)
      .def_readonly("level", &Clock::level)
      .def_readonly("breached", &Clock::breached)
      .def_readonly("stopped_at", &Clock::stopped_at);

  py::class_<TimerMove>(m, "TimerMove", "A deadline moved by a policy change.")
      .def_readonly("order", &TimerMove::order)
      .def_readonly("clock", &TimerMove::clock)
      .def_readonly("old_deadline", &TimerMove::old_deadline)
      .def_readonly("new_deadline", &TimerMove::new_deadline);

  py::class_<PolicyChange>(m, "PolicyChange", "An effective-dated policy change.")
      .def_readonly("version", &PolicyChange::version)
      .def_readonly("effective", &PolicyChange::effective)
      .def_readonly("applied", &PolicyChange::applied)
      .def_readonly("moved", &PolicyChange::moved)
      .def_readonly("kept", &PolicyChange::kept);

  py::class_<DeadlineExplanation>(m, "DeadlineExplanation", "How a deadline was computed.")
      .def_readonly("clock", &DeadlineExplanation::clock)
      .def_readonly("calendar", &DeadlineExplanation::calendar)
      .def_readonly("target", &DeadlineExplanation::target)
      .def_readonly("consumed", &DeadlineExplanation::consumed)
      .def_readonly("since", &DeadlineExplanation::since)
      .def_readonly("policy_deadline", &DeadlineExplanation::policy_deadline)
      .def_readonly("promised", &DeadlineExplanation::promised)
      .def_readonly("special", &DeadlineExplanation::special)
      .def_readonly("effective", &DeadlineExplanation::effective)
      .def_readonly("bound", &DeadlineExplanation::bound, "'policy', 'promised' or 'special'")
      .def_property_readonly(
          "segments",
          [](const DeadlineExplanation& e) {
            std::vector<std::pair<Instant, Instant>> out;
            for (const auto& s : e.segments) out.emplace_back(s.start, s.end);
            return out;
          },
          "Open business time (start, end) from `since` to the effective deadline.");

  py::class_<Engine>(
      m, "Engine",
      "The work-order engine. Host-driven: pass `now` to every call.\n\n"
      "    engine = escalation.Engine(policy)                       # in memory\n"
      "    engine = escalation.Engine(policy, 'orders.db')          # SQLite\n"
      "    r = engine.create('13800000001', 'complaint', 'agent-7', now, key='call-1')\n"
      "    for n in engine.advance(now + timedelta(hours=2)): notify(n)")
      .def(py::init([](Policy policy, std::optional<std::filesystem::path> path,
                       Durability durability, int group_size) {
             if (!path) return Engine(std::move(policy));
             SqliteOptions o;
             o.durability = durability;
             o.group_size = group_size;
             return Engine(std::move(policy), sqlite_store(*path, o));
           }),
           py::arg("policy"), py::arg("path") = py::none(),
           py::arg("durability") = Durability::full, py::arg("group_size") = 512,
           "An engine in memory, or on a SQLite file (created or recovered).")
      .def(
          "create",
          [](Engine& e, std::string customer, std::string category, std::string owner, Instant now,
             Channel channel, Severity severity, std::string department, std::string handler,
             Opt promised, Opt special, Fields fields, std::string key) {
            NewOrder o;
            o.customer = std::move(customer);
            o.category = std::move(category);
            o.owner = std::move(owner);
            o.channel = channel;
            o.severity = severity;
            o.department = std::move(department);
            o.handler = std::move(handler);
            o.promised = promised;
            o.special = special;
            o.fields = std::move(fields);
            py::gil_scoped_release release;
            return e.create(o, now, key);
          },
          py::arg("customer"), py::arg("category"), py::arg("owner"), py::arg("now"), py::kw_only(),
          py::arg("channel") = Channel::hotline, py::arg("severity") = Severity::normal,
          py::arg("department") = "", py::arg("handler") = "", py::arg("promised") = py::none(),
          py::arg("special") = py::none(), py::arg("fields") = Fields{}, py::arg("key") = "",
          "Creates a work order; `key` makes the call idempotent.")
      .def("transition", &Engine::transition, py::arg("order"), py::arg("name"), py::arg("actor"),
           py::arg("fields"), py::arg("now"), py::arg("key") = "",
           py::call_guard<py::gil_scoped_release>(), "Takes a workflow transition.")
      .def("assign", &Engine::assign, py::arg("order"), py::arg("department"), py::arg("handler"),
           py::arg("actor"), py::arg("now"), py::arg("key") = "",
           py::call_guard<py::gil_scoped_release>(), "Dispatches to a department and handler.")
      .def("add_co_handler", &Engine::add_co_handler, py::arg("order"), py::arg("person"),
           py::arg("actor"), py::arg("now"), py::arg("key") = "",
           py::call_guard<py::gil_scoped_release>())
      .def("pause", &Engine::pause, py::arg("order"), py::arg("reason"), py::arg("actor"),
           py::arg("now"), py::arg("key") = "", py::call_guard<py::gil_scoped_release>(),
           "Waiting for the customer: every running clock pauses.")
      .def("resume", &Engine::resume, py::arg("order"), py::arg("actor"), py::arg("now"),
           py::arg("key") = "", py::call_guard<py::gil_scoped_release>())
      .def("set_promised", &Engine::set_promised, py::arg("order"), py::arg("deadline"),
           py::arg("actor"), py::arg("now"), py::arg("key") = "",
           py::call_guard<py::gil_scoped_release>(), "The deadline promised to the customer.")
      .def("set_special", &Engine::set_special, py::arg("order"), py::arg("deadline"),
           py::arg("actor"), py::arg("now"), py::arg("key") = "",
           py::call_guard<py::gil_scoped_release>(), "The customer's own deadline.")
      .def(
          "advance",
          [](Engine& e, Instant now) {
            std::vector<Notice> out;
            {
              py::gil_scoped_release release;
              e.advance(now, out);
            }
            return out;
          },
          py::arg("now"), "Fires every timer due at or before now, in (due, order, clock) order.")
      .def("next_due", &Engine::next_due, "The earliest pending timer, or None.")
      .def("change_policy", &Engine::change_policy, py::arg("policy"), py::arg("effective"),
           py::arg("now"), "Schedules a policy version effective at `effective` (>= now).")
      .def_property_readonly("policy_changes", &Engine::policy_changes)
      .def("flush", &Engine::flush, py::call_guard<py::gil_scoped_release>(),
           "Group commit: makes every command so far durable.")
      .def_property_readonly("order_count", &Engine::order_count)
      .def_property_readonly("open_count", &Engine::open_count)
      .def_property_readonly("last_time", &Engine::last_time)
      .def_property_readonly("durability", &Engine::durability)
      .def(
          "order", [](const Engine& e, OrderId id) { return json_loads(e.order_json(id)); },
          py::arg("id"), "The order's state as a dict (the JSON a store keeps).")
      .def(
          "clock",
          [](const Engine& e, OrderId id, const std::string& name) {
            const Order& o = e.order(id);
            const Policy& p = e.policy_of(o);
            const Workflow& w = p.workflows()[p.categories()[o.category].second];
            for (std::size_t i = 0; i < w.clocks.size(); ++i) {
              if (w.clocks[i].id == name) return o.clocks[i];
            }
            throw hotline::Error(hotline::ErrorCode::not_found, "clock",
                                 "no clock \"" + name + "\"");
          },
          py::arg("id"), py::arg("clock"))
      .def("explain", &Engine::explain, py::arg("id"), py::arg("clock"))
      .def(
          "explain_text",
          [](const Engine& e, OrderId id, const std::string& clock) {
            const DeadlineExplanation ex = e.explain(id, clock);
            return ex.text(e.policy_of(e.order(id)).calendar(ex.calendar));
          },
          py::arg("id"), py::arg("clock"), "How the deadline was computed, as text.")
      .def(
          "history", [](const Engine& e, OrderId id) { return json_loads(to_json(e.history(id))); },
          py::arg("id"), "The order's events: list of dicts {seq, order, at, kind, derived, body}.")
      .def(
          "kpis", [](const Engine& e) { return json_loads(to_json(e.kpis())); },
          "Timeliness per department, category and month; the three 100%; resolution times.")
      .def("verify_replay", &Engine::verify_replay,
           "Replays the stored commands and lists differences (empty: consistent).");
}

}  // namespace hotline::python
