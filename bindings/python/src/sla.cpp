// hotline.sla for Python.
#include <cmath>
#include <limits>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/sla/records.hpp>
#include <hotline/sla/sliding_window.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using namespace hotline::sla;

// Seconds as a double from a timedelta or a number (the Erlang math keeps sub-millisecond
// precision and accepts float("inf") for endless patience).
double seconds_of(const py::handle& h, const char* what) {
  if (py::isinstance(h, py::module_::import("datetime").attr("timedelta"))) {
    return h.attr("total_seconds")().cast<double>();
  }
  if (py::isinstance<py::bool_>(h) ||
      !(py::isinstance<py::float_>(h) || py::isinstance<py::int_>(h))) {
    throw py::type_error(std::string(what) + " must be a timedelta or a number of seconds");
  }
  return h.cast<double>();
}

py::dict row_dict(const Report& rep, const IntervalRow& r) {
  py::dict d;
  d["start"] = r.start;
  d["end"] = r.end;
  d["queue"] = rep.queues[r.queue];
  d["tier"] = rep.tiers[r.tier];
  d["offered"] = r.counts.offered;
  d["answered"] = r.counts.answered;
  d["abandoned"] = r.counts.abandoned;
  d["answered_within"] = r.counts.answered_within;
  d["abandoned_within"] = r.counts.abandoned_within;
  d["short_abandoned"] = r.counts.short_abandoned;
  d["timeouts"] = r.timeouts;
  d["service_level"] = rep.service_level(r);
  for (auto v : {ServiceLevelVariant::answered, ServiceLevelVariant::answered_abandoned,
                 ServiceLevelVariant::offered, ServiceLevelVariant::offered_excl_abandoned_within,
                 ServiceLevelVariant::offered_excl_short_abandoned}) {
    d[py::str(std::string("sl_") + to_string(v))] = service_level(r.counts, v);
  }
  d["meets_target"] = rep.meets_target(r);
  d["answer_rate"] = r.answer_rate();
  d["abandon_rate"] = r.abandon_rate();
  d["asa"] = r.asa_seconds();
  d["aht"] = r.aht_seconds();
  d["max_wait"] = r.max_wait;
  return d;
}

StaffingGoal make_goal(std::optional<double> service_level, std::optional<Duration> threshold,
                       std::optional<Duration> max_asa, std::optional<double> max_occupancy,
                       std::optional<double> max_abandon, double shrinkage,
                       const std::string& basis) {
  StaffingGoal g;
  g.service_level = service_level;
  g.threshold = threshold;
  g.max_asa = max_asa;
  g.max_occupancy = max_occupancy;
  g.max_abandon = max_abandon;
  g.shrinkage = shrinkage;
  if (basis == "offered") {
    g.basis = StaffingGoal::Basis::offered;
  } else if (basis == "answered") {
    g.basis = StaffingGoal::Basis::answered;
  } else if (basis == "virtual") {
    g.basis = StaffingGoal::Basis::virtual_wait;
  } else {
    throw Error(ErrorCode::invalid_argument, "basis",
                "basis must be 'offered', 'answered' or 'virtual'");
  }
  return g;
}

}  // namespace

void init_sla(py::module_& m) {
  m.def("erlang_b", &erlang_b, py::arg("agents"), py::arg("load"),
        "Erlang B blocking probability for `agents` servers and `load` Erlangs (real load).");
  m.def("erlang_c", &erlang_c, py::arg("agents"), py::arg("load"),
        "Erlang C probability of waiting; needs agents > load.");

  py::class_<ErlangCMetrics>(m, "ErlangCMetrics", "Erlang C metrics of one staffing level.")
      .def_readonly("load", &ErlangCMetrics::load)
      .def_readonly("p_wait", &ErlangCMetrics::p_wait)
      .def_readonly("service_level", &ErlangCMetrics::service_level)
      .def_readonly("asa", &ErlangCMetrics::asa, "Mean wait, seconds.")
      .def_readonly("occupancy", &ErlangCMetrics::occupancy);
  m.def(
      "erlang_c_metrics",
      [](std::int64_t agents, double load, py::handle aht, py::handle threshold) {
        return erlang_c_metrics(agents, load, seconds_of(aht, "aht"),
                                seconds_of(threshold, "threshold"));
      },
      py::arg("agents"), py::arg("load"), py::arg("aht"), py::arg("threshold"),
      "P(wait), service level within threshold, ASA and occupancy (Erlang C).");

  py::class_<ErlangAMetrics>(m, "ErlangAMetrics", "Erlang A (M/M/N+M) metrics.")
      .def_readonly("load", &ErlangAMetrics::load)
      .def_readonly("p_wait", &ErlangAMetrics::p_wait)
      .def_readonly("p_abandon", &ErlangAMetrics::p_abandon)
      .def_readonly("sl_virtual", &ErlangAMetrics::sl_virtual)
      .def_readonly("sl_offered", &ErlangAMetrics::sl_offered)
      .def_readonly("sl_answered", &ErlangAMetrics::sl_answered)
      .def_readonly("sl_excl_abandoned_within", &ErlangAMetrics::sl_excl_abandoned_within)
      .def_readonly("asa", &ErlangAMetrics::asa, "Mean wait of answered calls, seconds.")
      .def_readonly("mean_wait", &ErlangAMetrics::mean_wait)
      .def_readonly("occupancy", &ErlangAMetrics::occupancy);
  m.def(
      "erlang_a",
      [](std::int64_t agents, double load, py::handle aht, py::handle patience,
         py::handle threshold) {
        return erlang_a(agents, load, seconds_of(aht, "aht"), seconds_of(patience, "patience"),
                        seconds_of(threshold, "threshold"));
      },
      py::arg("agents"), py::arg("load"), py::arg("aht"), py::arg("patience"), py::arg("threshold"),
      "Erlang A metrics; patience = mean patience (float('inf') gives Erlang C).");

  py::class_<Workload>(m, "Workload", "Calls offered in one interval.")
      .def(py::init(
               [](double calls, Duration interval, Duration aht, std::optional<Duration> patience) {
                 return Workload{calls, interval, aht, patience};
               }),
           py::arg("calls"), py::arg("interval") = Duration{std::chrono::minutes{30}},
           py::arg("aht") = Duration{std::chrono::seconds{180}}, py::arg("patience") = py::none())
      .def_readwrite("calls", &Workload::calls)
      .def_readwrite("interval", &Workload::interval)
      .def_readwrite("aht", &Workload::aht)
      .def_readwrite("patience", &Workload::patience)
      .def_property_readonly("load", &Workload::load);

  py::class_<Staffing>(m, "Staffing", "Agents needed for one interval.")
      .def_readonly("agents", &Staffing::agents)
      .def_readonly("scheduled", &Staffing::scheduled)
      .def_readonly("load", &Staffing::load)
      .def_readonly("p_wait", &Staffing::p_wait)
      .def_readonly("service_level", &Staffing::service_level)
      .def_readonly("asa", &Staffing::asa)
      .def_readonly("occupancy", &Staffing::occupancy)
      .def_readonly("p_abandon", &Staffing::p_abandon)
      .def("__repr__", [](const Staffing& s) {
        return "Staffing(agents=" + std::to_string(s.agents) +
               ", scheduled=" + std::to_string(s.scheduled) + ")";
      });

  m.def(
      "required_agents",
      [](double calls, Duration interval, Duration aht, std::optional<double> service_level,
         std::optional<Duration> threshold, std::optional<Duration> max_asa,
         std::optional<double> max_occupancy, std::optional<double> max_abandon,
         std::optional<Duration> patience, double shrinkage, const std::string& basis) {
        const StaffingGoal g = make_goal(service_level, threshold, max_asa, max_occupancy,
                                         max_abandon, shrinkage, basis);
        return required_agents(Workload{calls, interval, aht, patience}, g);
      },
      py::arg("calls"), py::arg("interval"), py::arg("aht"), py::kw_only(),
      py::arg("service_level") = py::none(), py::arg("threshold") = py::none(),
      py::arg("max_asa") = py::none(), py::arg("max_occupancy") = py::none(),
      py::arg("max_abandon") = py::none(), py::arg("patience") = py::none(),
      py::arg("shrinkage") = 0.0, py::arg("basis") = "offered",
      "Minimum agents meeting every goal given (Erlang C, or Erlang A with patience).");
  m.def(
      "required_agents_forecast",
      [](const std::vector<Workload>& forecast, std::optional<double> service_level,
         std::optional<Duration> threshold, std::optional<Duration> max_asa,
         std::optional<double> max_occupancy, std::optional<double> max_abandon, double shrinkage,
         const std::string& basis) {
        const StaffingGoal g = make_goal(service_level, threshold, max_asa, max_occupancy,
                                         max_abandon, shrinkage, basis);
        py::gil_scoped_release release;
        return required_agents(std::span<const Workload>(forecast), g);
      },
      py::arg("forecast"), py::kw_only(), py::arg("service_level") = py::none(),
      py::arg("threshold") = py::none(), py::arg("max_asa") = py::none(),
      py::arg("max_occupancy") = py::none(), py::arg("max_abandon") = py::none(),
      py::arg("shrinkage") = 0.0, py::arg("basis") = "offered",
      "required_agents for every Workload of a forecast in one call.");

  m.def(
      "service_level",
      [](std::int64_t offered, std::int64_t answered, std::int64_t abandoned,
         std::int64_t answered_within, std::int64_t abandoned_within, std::int64_t short_abandoned,
         const std::string& variant) {
        return service_level(Counts{offered, answered, abandoned, answered_within, abandoned_within,
                                    short_abandoned},
                             parse_service_level_variant(variant));
      },
      py::arg("offered"), py::arg("answered"), py::arg("abandoned"), py::arg("answered_within"),
      py::arg("abandoned_within") = 0, py::arg("short_abandoned") = 0,
      py::arg("variant") = "answered",
      "Service level of counts in a named variant (NaN when nothing to judge).");

  py::class_<SlidingWindow>(m, "SlidingWindow",
                            "Live per-tier service level over the last N minutes.")
      .def(py::init([](const std::vector<std::tuple<std::string, Duration, double>>& tiers,
                       Duration window, const std::string& variant, Duration short_abandon) {
             std::vector<TierTarget> ts;
             for (const auto& [name, threshold, target] : tiers) {
               ts.push_back({name, {threshold, target}});
             }
             return SlidingWindow(std::move(ts),
                                  {window, parse_service_level_variant(variant), short_abandon});
           }),
           py::arg("tiers"), py::arg("window") = Duration{std::chrono::minutes{15}},
           py::arg("variant") = "answered",
           py::arg("short_abandon") = Duration{std::chrono::seconds{5}},
           "tiers: [(name, threshold, target fraction), ...]; indexes follow that order.")
      .def_static(
          "preset",
          [](Duration window) {
            SlidingWindowOptions o;
            o.window = window;
            return SlidingWindow::hotline_preset(o);
          },
          py::arg("window") = Duration{std::chrono::minutes{15}},
          "vip (0): 85% in 15 s; ordinary (1): 75% in 20 s.")
      .def("tier_index", &SlidingWindow::tier_index, py::arg("name"), "Index of a tier.")
      .def_property_readonly("tier_count", &SlidingWindow::tier_count)
      .def("arrived", &SlidingWindow::arrived, py::arg("tier"), py::arg("at"),
           "A contact entered the queue.")
      .def("answered", &SlidingWindow::answered, py::arg("tier"), py::arg("at"), py::arg("wait"),
           "A contact was answered at `at` after `wait`.")
      .def("abandoned", &SlidingWindow::abandoned, py::arg("tier"), py::arg("at"), py::arg("wait"),
           "A caller hung up in queue.")
      .def("exited", &SlidingWindow::exited, py::arg("tier"), py::arg("at"), py::arg("wait"),
           "A contact left the queue another way.")
      .def("service_level", &SlidingWindow::service_level, py::arg("tier"), py::arg("now"),
           "Service level over (now - N, now]; 1.0 when empty.")
      .def("gap", &SlidingWindow::gap, py::arg("tier"), py::arg("now"),
           "target - service level (> 0 = below target).")
      .def("calls_to_target", &SlidingWindow::calls_to_target, py::arg("tier"), py::arg("now"),
           "Hits needed to reach target (> 0) or -misses that can be absorbed.")
      .def("current_level", &SlidingWindow::current_level, py::arg("tier"),
           "Service level as of the latest event or query (the window is not moved).")
      .def("revision", &SlidingWindow::revision, py::arg("tier"),
           "Changes whenever the counts behind the tier's level change (cache key).")
      .def(
          "stats",
          [](SlidingWindow& w, std::size_t tier, Instant now) {
            const WindowStats s = w.stats(tier, now);
            py::dict d;
            d["offered"] = s.counts.offered;
            d["answered"] = s.counts.answered;
            d["abandoned"] = s.counts.abandoned;
            d["answered_within"] = s.counts.answered_within;
            d["abandoned_within"] = s.counts.abandoned_within;
            d["short_abandoned"] = s.counts.short_abandoned;
            d["arrivals"] = s.arrivals;
            d["total_answer_wait"] = s.total_answer_wait;
            d["service_level"] = s.service_level;
            return d;
          },
          py::arg("tier"), py::arg("now"), "Every count of the tier in the window, as a dict.");

  py::class_<RecordSet>(m, "RecordSet", "Contact records with interned names.")
      .def(py::init<>())
      .def_static(
          "read_csv",
          [](const std::string& text, const calendar::Calendar& cal,
             const std::string& default_tier) { return read_csv(text, cal, default_tier); },
          py::arg("text"), py::arg("calendar"), py::arg("default_tier") = "ordinary",
          py::call_guard<py::gil_scoped_release>(), "Parses contact records from CSV text.")
      .def_static(
          "read_queue_log",
          [](const std::string& text, const std::string& default_tier,
             const std::vector<std::string>& tier_queues) {
            return read_queue_log(text, default_tier, tier_queues);
          },
          py::arg("text"), py::arg("default_tier") = "ordinary",
          py::arg("tier_queues") = std::vector<std::string>{},
          py::call_guard<py::gil_scoped_release>(), "Parses an Asterisk queue_log.")
      .def(
          "add",
          [](RecordSet& rs, Instant arrival, Duration wait, const std::string& outcome,
             const std::string& queue, const std::string& tier, const std::string& agent,
             Duration talk, Duration hold, Duration wrap) {
            ContactRecord r;
            r.arrival = arrival;
            r.wait = wait;
            r.outcome = parse_outcome(outcome);
            r.talk = talk;
            r.hold = hold;
            r.wrap = wrap;
            rs.add(r, queue, tier, agent);
          },
          py::arg("arrival"), py::arg("wait"), py::arg("outcome") = "answered",
          py::arg("queue") = "default", py::arg("tier") = "ordinary", py::arg("agent") = "",
          py::arg("talk") = Duration{0}, py::arg("hold") = Duration{0},
          py::arg("wrap") = Duration{0}, "Appends one contact.")
      .def("add_agent_span", &RecordSet::add_agent_span, py::arg("agent"), py::arg("start"),
           py::arg("end"), py::arg("paused") = false,
           "Adds a logged-in (staffed) or paused span of an agent, for occupancy.")
      .def("__len__", [](const RecordSet& rs) { return rs.records().size(); })
      .def_readonly("incomplete", &RecordSet::incomplete)
      .def_property_readonly("queues", [](const RecordSet& rs) { return rs.queues(); })
      .def_property_readonly("tiers", [](const RecordSet& rs) { return rs.tiers(); });

  py::class_<Targets>(m, "Targets", "Service-level targets per tier.")
      .def_static("preset", &Targets::hotline_preset,
                  "VIP 85% within 15 s, ordinary 75% within 20 s, pass line 85%.")
      .def_static("from_json", &Targets::from_json, py::arg("json"), "Parses targets JSON.")
      .def_static("load", &Targets::load, py::arg("path"), "Reads a targets JSON file.")
      .def_property_readonly("tiers",
                             [](const Targets& t) {
                               std::vector<std::tuple<std::string, Duration, double>> out;
                               for (const auto& x : t.tiers) {
                                 out.emplace_back(x.tier, x.target.threshold, x.target.fraction);
                               }
                               return out;
                             })
      .def_property_readonly("variant", [](const Targets& t) { return to_string(t.variant); })
      .def_readonly("pass_line", &Targets::pass_line)
      .def_readonly("default_tier", &Targets::default_tier);

  m.def(
      "report",
      [](const RecordSet& records, std::optional<Targets> targets,
         std::optional<calendar::Calendar> cal, const std::string& granularity) {
        const Targets t = targets ? *targets : Targets::hotline_preset();
        const calendar::Calendar c = cal ? *cal : calendar::Calendar::always_open();
        Report rep;
        {
          py::gil_scoped_release release;
          rep = aggregate(records, t, c, {parse_granularity(granularity)});
        }
        py::list rows;
        for (const auto& r : rep.rows) rows.append(row_dict(rep, r));
        return rows;
      },
      py::arg("records"), py::arg("targets") = py::none(), py::arg("calendar") = py::none(),
      py::arg("granularity") = "30m",
      "Interval report: a list of dicts, one per interval x queue x tier (calendar default: "
      "7x24 Asia/Shanghai; targets default: the hotline preset).");

  m.def(
      "daily_compliance",
      [](const RecordSet& records, std::optional<Targets> targets,
         std::optional<calendar::Calendar> cal, bool count_idle_days_as_met) {
        const Targets t = targets ? *targets : Targets::hotline_preset();
        const calendar::Calendar c = cal ? *cal : calendar::Calendar::always_open();
        py::list out;
        for (const auto& mc : daily_compliance(records, t, c, count_idle_days_as_met)) {
          py::dict d;
          d["year"] = static_cast<int>(mc.month.year());
          d["month"] = static_cast<unsigned>(mc.month.month());
          d["tier"] = records.tiers()[mc.tier];
          d["days_in_month"] = mc.days_in_month;
          d["days_with_traffic"] = mc.days_with_traffic;
          d["days_met"] = mc.days_met;
          d["ratio"] = mc.ratio;
          d["pass"] = mc.pass;
          out.append(d);
        }
        return out;
      },
      py::arg("records"), py::arg("targets") = py::none(), py::arg("calendar") = py::none(),
      py::arg("count_idle_days_as_met") = true,
      "Days meeting target / days in the month, per tier and month.");

  m.def(
      "occupancy",
      [](const RecordSet& records, std::optional<calendar::Calendar> cal,
         const std::string& granularity) {
        const calendar::Calendar c = cal ? *cal : calendar::Calendar::always_open();
        py::list out;
        for (const auto& r : occupancy(records, c, parse_granularity(granularity))) {
          py::dict d;
          d["start"] = r.start;
          d["end"] = r.end;
          d["staffed"] = r.staffed;
          d["paused"] = r.paused;
          d["busy"] = r.busy;
          d["occupancy"] = r.occupancy();
          out.append(d);
        }
        return out;
      },
      py::arg("records"), py::arg("calendar") = py::none(), py::arg("granularity") = "30m",
      "Agent occupancy per interval: busy / (staffed - paused).");

  m.def("mystery_call_score", &mystery_call_score, py::arg("result"), py::arg("national_min"),
        py::arg("national_average"),
        "1 x (result - national min) / (national average - national min).");
  m.def("satisfaction_rate", &satisfaction_rate, py::arg("satisfied"), py::arg("responses"),
        "satisfied / responses (NaN when there are none).");
  m.def(
      "on_time_ratio",
      [](const std::vector<std::pair<Instant, std::optional<Instant>>>& items, Instant as_of) {
        std::vector<Deadline> ds;
        for (const auto& [due, done] : items) ds.push_back({due, done});
        const OnTime r = on_time_ratio(ds, as_of);
        py::dict d;
        d["on_time"] = r.on_time;
        d["late"] = r.late;
        d["pending"] = r.pending;
        d["ratio"] = r.ratio;
        d["meets_98"] = r.meets();
        return d;
      },
      py::arg("items"), py::arg("as_of"),
      "Timeliness of [(due, done or None), ...] judged at as_of.");
}

}  // namespace hotline::python
