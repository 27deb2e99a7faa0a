// The report as JSON, as a terminal table and as one self-contained HTML page with SVG charts.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <hotline/calendar/calendar.hpp>
#include <hotline/sim/simulator.hpp>

#include "core/json.hpp"
#include "sim/internal.hpp"

namespace hotline::sim {

namespace {

using hotline::detail::Json;

using sim::detail::secs;

Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json est(const Estimate& e) {
  Json j = Json::object();
  j["mean"] = num(e.mean);
  j["low"] = num(e.low());
  j["high"] = num(e.high());
  j["replications"] = e.n;
  return j;
}

/// "HH:MM" of an instant in the report's zone.
std::string clock(const calendar::Calendar& zone, Instant t) {
  const std::string s = zone.format_time(t);  // 2025-03-03T08:30:00+08:00
  return s.size() >= 16 ? s.substr(11, 5) : s;
}

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : "-"; }
std::string pct_ci(const Estimate& e) {
  if (!std::isfinite(e.mean)) return "-";
  if (e.n < 2) return pct(e.mean);
  return fmt::format("{:.1f}% ±{:.1f}", 100 * e.mean, 100 * e.half_width);
}
std::string fixed(double v, int digits = 1) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : "-";
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Series {
  std::string name, color;
  std::vector<double> y;  // NaN: gap
  bool dashed = false;
};

/// A line chart over the report's intervals.
std::string svg_chart(const std::string& title, const std::vector<std::string>& labels,
                      const std::vector<Series>& series, double y_min, double y_max, bool percent) {
  const double W = 960, H = 260, L = 50, R = 190, Tp = 28, B = 30;
  const double pw = W - L - R, ph = H - Tp - B;
  const std::size_t n = std::max<std::size_t>(labels.size(), 2);
  if (!(y_max > y_min)) y_max = y_min + 1;
  auto X = [&](std::size_t i) {
    return L + pw * (static_cast<double>(i) + 0.5) / static_cast<double>(n);
  };
  auto Y = [&](double v) {
    return Tp + ph * (1 - (std::clamp(v, y_min, y_max) - y_min) / (y_max - y_min));
  };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"100%\" "
      "role=\"img\" aria-label=\"{}\">\n<text x=\"{}\" y=\"18\" class=\"t\">{}</text>\n",
      W, H, html_escape(title), L, html_escape(title));
  for (int g = 0; g <= 4; ++g) {
    const double v = y_min + (y_max - y_min) * g / 4.0;
    s += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"g\"/><text x=\"{}\" "
        "y=\"{:.1f}\" class=\"a\" text-anchor=\"end\">{}</text>\n",
        L, L + pw, Y(v), Y(v), L - 4, Y(v) + 4,
        percent ? fmt::format("{:.0f}%", 100 * v) : fmt::format("{:.0f}", v));
  }
  const std::size_t step = std::max<std::size_t>(1, labels.size() / 12);
  for (std::size_t i = 0; i < labels.size(); i += step) {
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"a\" text-anchor=\"middle\">{}</text>\n",
                     X(i), H - 10, html_escape(labels[i]));
  }
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& se = series[k];
    std::string path;
    bool pen = false;
    for (std::size_t i = 0; i < se.y.size(); ++i) {
      if (!std::isfinite(se.y[i])) {
        pen = false;
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f} ", pen ? "L" : "M", X(i), Y(se.y[i]));
      pen = true;
    }
    s += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n"
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>"
        "<text x=\"{}\" y=\"{}\" class=\"a\">{}</text>\n",
        path, se.color, se.dashed ? " stroke-dasharray=\"6 4\"" : "", W - R + 10, W - R + 30,
        Tp + 6 + 16 * k, Tp + 6 + 16 * k, se.color, se.dashed ? " stroke-dasharray=\"6 4\"" : "",
        W - R + 34, Tp + 10 + 16 * k, html_escape(se.name));
  }
  s += "</svg>\n";
  return s;
}

/// The smallest "round" number (1, 2, 2.5 or 5 times a power of ten, times 4 grid lines) >= v.
double nice_ceiling(double v) {
  if (!(v > 0)) return 1;
  const double unit = std::pow(10.0, std::floor(std::log10(v / 4)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (4 * m * unit >= v) return 4 * m * unit;
  }
  return v;
}

constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c",
                                   "#9467bd", "#ff7f0e", "#8c564b"};

}  // namespace

std::string to_json(const Report& r) {
  const calendar::Calendar zone = calendar::Calendar::always_open(r.time_zone);
  Json j = Json::object();
  j["scenario"] = r.scenario;
  j["start"] = zone.format_time(r.start);
  j["length_s"] = secs(r.length);
  j["interval_s"] = secs(r.interval);
  j["time_zone"] = r.time_zone;
  j["seed"] = r.seed;
  j["replications"] = r.replications;
  j["agents"] = r.agents;
  j["calls"] = num(r.calls);
  j["events"] = r.events;
  j["peak_calls_in_flight"] = r.peak_calls_in_flight;
  Json tiers = Json::array();
  for (const TierDay& d : r.tiers) {
    Json t = Json::object();
    t["tier"] = d.tier;
    t["target"] = d.target;
    t["threshold_s"] = secs(d.threshold);
    t["offered"] = num(d.offered);
    t["service_level"] = est(d.service_level);
    t["answer_rate"] = est(d.answer_rate);
    t["abandon_rate"] = est(d.abandon_rate);
    t["asa_s"] = est(d.asa_seconds);
    t["intervals_met"] = d.intervals_met;
    t["intervals_judged"] = d.intervals_judged;
    t["met"] = d.met;
    tiers.push_back(std::move(t));
  }
  j["tiers"] = std::move(tiers);
  j["occupancy"] = est(r.occupancy);
  Json ivs = Json::array();
  for (const Interval& iv : r.intervals) {
    Json i = Json::object();
    i["start"] = zone.format_time(iv.start);
    i["offered"] = num(iv.offered);
    i["staffed"] = num(iv.staffed);
    i["required"] = num(iv.required);
    i["occupancy"] = num(iv.occupancy);
    i["queue_mean"] = num(iv.queue_mean);
    i["queue_max"] = num(iv.queue_max);
    i["satisfaction"] = est(iv.satisfaction);
    ivs.push_back(std::move(i));
  }
  j["intervals"] = std::move(ivs);
  Json tis = Json::array();
  for (const TierInterval& t : r.tier_intervals) {
    Json i = Json::object();
    i["start"] = zone.format_time(t.start);
    i["tier"] = t.tier;
    i["offered"] = num(t.offered);
    i["answered"] = num(t.answered);
    i["abandoned"] = num(t.abandoned);
    i["short_abandoned"] = num(t.short_abandoned);
    i["other"] = num(t.other);
    i["service_level"] = est(t.service_level);
    i["target"] = t.target;
    i["asa_s"] = num(t.asa_seconds);
    i["abandon_rate"] = num(t.abandon_rate);
    tis.push_back(std::move(i));
  }
  j["tier_intervals"] = std::move(tis);
  auto pairs = [](const std::vector<std::pair<std::string, double>>& v) {
    Json o = Json::object();
    for (const auto& [k, x] : v) o[k] = num(x);
    return o;
  };
  j["ivr"] = {{"calls", num(r.ivr.calls)},
              {"self_service", num(r.ivr.self_service)},
              {"transferred", num(r.ivr.transferred)},
              {"abandoned", num(r.ivr.abandoned)},
              {"step_limit", num(r.ivr.step_limit)},
              {"containment", est(r.ivr.containment)},
              {"abandonment", est(r.ivr.abandonment)},
              {"mean_seconds_to_agent", num(r.ivr.mean_seconds_to_agent)},
              {"drop_off", pairs(r.ivr.drop_off)},
              {"transfers", pairs(r.ivr.transfers)}};
  j["survey"] = {{"offered", num(r.survey.offered)},
                 {"responded", num(r.survey.responded)},
                 {"response_rate", est(r.survey.response_rate)},
                 {"satisfaction", est(r.survey.satisfaction)},
                 {"csat", est(r.survey.csat)},
                 {"nps", est(r.survey.nps)},
                 {"alerts", num(r.survey.alerts)},
                 {"explained_in_time", num(r.survey.explained_in_time)},
                 {"overdue", num(r.survey.overdue)},
                 {"yellow_cards", num(r.survey.yellow_cards)}};
  j["complaints"] = {{"created", num(r.complaints.created)},
                     {"closed", num(r.complaints.closed)},
                     {"timeliness", est(r.complaints.timeliness)},
                     {"due", num(r.complaints.due)},
                     {"met", num(r.complaints.met)},
                     {"warnings", num(r.complaints.warnings)},
                     {"breaches", num(r.complaints.breaches)},
                     {"escalations", num(r.complaints.escalations)},
                     {"immediate", num(r.complaints.immediate)},
                     {"resolution_p50_hours", num(r.complaints.resolution_p50_hours)},
                     {"resolution_p90_hours", num(r.complaints.resolution_p90_hours)}};
  j["callbacks"] = {
      {"offered", num(r.callbacks.offered)},       {"accepted", num(r.callbacks.accepted)},
      {"booked", num(r.callbacks.booked)},         {"completed", num(r.callbacks.completed)},
      {"unanswered", num(r.callbacks.unanswered)}, {"not_dialled", num(r.callbacks.not_dialled)}};
  j["prediction"] = {{"scored", num(r.prediction.scored)},
                     {"mean_abs_error_s", num(r.prediction.mean_abs_error_s)},
                     {"bias_s", num(r.prediction.bias_s)},
                     {"within_30s", num(r.prediction.within_30s)}};
  return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string to_text(const Report& r) {
  const calendar::Calendar zone = calendar::Calendar::always_open(r.time_zone);
  std::string s;
  s += fmt::format("{} — {} ({}), {} agents, {} replication{} (seed {}), {:.0f} calls each\n\n",
                   r.scenario, zone.format_time(r.start).substr(0, 10), r.time_zone, r.agents,
                   r.replications, r.replications == 1 ? "" : "s", r.seed, r.calls);
  s += fmt::format(
      "{:<6} {:<5} {:>8} {:>8} {:>7} {:>8} {:>7} {:>7} | {:>7} {:>8} {:>6} {:>6} {:>5}\n", "time",
      "tier", "offered", "answered", "aband", "SL", "target", "ASA s", "staffed", "required", "occ",
      "queue", "max");
  std::size_t ti = 0;
  for (const Interval& iv : r.intervals) {
    bool first = true;
    const std::string time = clock(zone, iv.start);
    auto right =
        fmt::format("{:>7} {:>8} {:>6} {:>6} {:>5}", fixed(iv.staffed), fixed(iv.required, 0),
                    pct(iv.occupancy), fixed(iv.queue_mean), fixed(iv.queue_max, 0));
    while (ti < r.tier_intervals.size() && r.tier_intervals[ti].start == iv.start) {
      const TierInterval& t = r.tier_intervals[ti++];
      s += fmt::format("{:<6} {:<5} {:>8.1f} {:>8.1f} {:>7.1f} {:>8} {:>7} {:>7} | {}\n",
                       first ? time : "", t.tier, t.offered, t.answered, t.abandoned,
                       pct(t.service_level.mean), pct(t.target), fixed(t.asa_seconds),
                       first ? right : "");
      first = false;
    }
    if (first && (iv.staffed > 0 || iv.offered > 0)) {
      s += fmt::format("{:<6} {:<5} {:>8} {:>8} {:>7} {:>8} {:>7} {:>7} | {}\n", time, "", "", "",
                       "", "", "", "", right);
    }
  }
  s += "\nThe day (mean ± 95% half-width over replications):\n";
  for (const TierDay& d : r.tiers) {
    s += fmt::format(
        "  {:<5} offered {:>8.1f}  SL {:<14} target {} in {}s {}  answered {}  abandoned {}  ASA "
        "{} s  intervals met {}/{}\n",
        d.tier, d.offered, pct_ci(d.service_level), pct(d.target), secs(d.threshold),
        d.met ? "MET" : "MISSED", pct_ci(d.answer_rate), pct_ci(d.abandon_rate),
        fixed(d.asa_seconds.mean), d.intervals_met, d.intervals_judged);
  }
  s += fmt::format("  occupancy {}\n", pct_ci(r.occupancy));
  if (r.ivr.calls > 0) {
    s += fmt::format(
        "IVR: {:.0f} calls, containment {}, abandoned in IVR {}, to an agent {:.0f} (mean {:.0f} s "
        "in "
        "the IVR)\n",
        r.ivr.calls, pct_ci(r.ivr.containment), pct_ci(r.ivr.abandonment),
        r.ivr.transferred + r.ivr.step_limit, r.ivr.mean_seconds_to_agent);
    if (!r.ivr.drop_off.empty()) {
      s += "  drop-off:";
      for (std::size_t i = 0; i < std::min<std::size_t>(5, r.ivr.drop_off.size()); ++i) {
        s += fmt::format(" {} {:.0f};", r.ivr.drop_off[i].first, r.ivr.drop_off[i].second);
      }
      s += "\n";
    }
  }
  if (r.survey.offered > 0) {
    s += fmt::format(
        "Survey: {:.0f} sampled, response rate {}, satisfaction {}, CSAT {}, NPS {:.0f}; {:.0f} "
        "dissatisfied -> follow-up ({:.0f} explained in time, {:.0f} overdue), {:.0f} yellow "
        "cards\n",
        r.survey.offered, pct_ci(r.survey.response_rate), pct_ci(r.survey.satisfaction),
        pct_ci(r.survey.csat), r.survey.nps.mean, r.survey.alerts, r.survey.explained_in_time,
        r.survey.overdue, r.survey.yellow_cards);
  }
  if (r.complaints.created > 0) {
    s += fmt::format(
        "Complaints: {:.0f} raised, {:.0f} closed; timeliness {} ({:.0f} of {:.0f} deadlines); "
        "{:.0f} warnings, {:.0f} breaches, {:.0f} escalations, {:.0f} immediate; resolution p50 "
        "{:.1f} h, p90 {:.1f} h\n",
        r.complaints.created, r.complaints.closed, pct_ci(r.complaints.timeliness),
        r.complaints.met, r.complaints.due, r.complaints.warnings, r.complaints.breaches,
        r.complaints.escalations, r.complaints.immediate, r.complaints.resolution_p50_hours,
        r.complaints.resolution_p90_hours);
  }
  if (r.callbacks.offered + r.callbacks.booked > 0) {
    s += fmt::format(
        "Callbacks: {:.0f} offered, {:.0f} accepted, {:.0f} booked in the IVR; {:.0f} completed, "
        "{:.0f} unanswered, {:.0f} not dialled by the end of the run\n",
        r.callbacks.offered, r.callbacks.accepted, r.callbacks.booked, r.callbacks.completed,
        r.callbacks.unanswered, r.callbacks.not_dialled);
  }
  if (r.prediction.scored > 0) {
    s += fmt::format(
        "Predicted wait (router estimate on arrival) vs simulated wait: mean |error| {:.1f} s, "
        "bias {:+.1f} s, within 30 s {} ({:.0f} calls)\n",
        r.prediction.mean_abs_error_s, r.prediction.bias_s, pct(r.prediction.within_30s),
        r.prediction.scored);
  }
  return s;
}

std::string to_html(const Report& r) {
  const calendar::Calendar zone = calendar::Calendar::always_open(r.time_zone);
  std::vector<std::string> labels;
  for (const Interval& iv : r.intervals) labels.push_back(clock(zone, iv.start));
  auto index_of = [&](Instant t) { return static_cast<std::size_t>((t - r.start) / r.interval); };

  std::vector<Series> sl;
  std::size_t c = 0;
  for (const TierDay& d : r.tiers) {
    Series s{d.tier, kColors[c % 6], std::vector<double>(labels.size(), std::nan("")), false};
    for (const TierInterval& t : r.tier_intervals) {
      if (t.tier == d.tier) s.y[index_of(t.start)] = t.service_level.mean;
    }
    sl.push_back(std::move(s));
    sl.push_back({fmt::format("{} target", d.tier), kColors[c % 6],
                  std::vector<double>(labels.size(), d.target), true});
    ++c;
  }
  std::vector<Series> staff{{"staffed", kColors[0], {}, false},
                            {"required (Erlang A)", kColors[1], {}, true}};
  std::vector<Series> queue{{"mean waiting", kColors[0], {}, false},
                            {"max waiting", kColors[1], {}, true}};
  double staff_max = 1, queue_max = 1;
  for (const Interval& iv : r.intervals) {
    staff[0].y.push_back(iv.staffed);
    staff[1].y.push_back(iv.offered > 0 ? iv.required : std::nan(""));
    queue[0].y.push_back(iv.queue_mean);
    queue[1].y.push_back(iv.queue_max);
    staff_max = std::max({staff_max, iv.staffed, iv.required});
    queue_max = std::max({queue_max, iv.queue_max});
  }

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<title>{} — hotline simulation</title>\n", html_escape(r.scenario));
  h += R"(<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4} td:first-child,th:first-child{text-align:left}
.miss{color:#b00020;font-weight:600} .met{color:#1b7f2a;font-weight:600}
svg .t{font-size:15px;font-weight:600} svg .a{font-size:11px;fill:#555} svg .g{stroke:#e5e5e5}
</style></head><body>
)";
  h += fmt::format(
      "<h1>{}</h1>\n<p>{} ({}), {} agents, {} replication{} (seed {}), {:.0f} calls "
      "per replication. Figures are means over replications; ± is the 95% "
      "confidence half-width.</p>\n",
      html_escape(r.scenario), zone.format_time(r.start).substr(0, 10), html_escape(r.time_zone),
      r.agents, r.replications, r.replications == 1 ? "" : "s", r.seed, r.calls);
  h += "<h2>Service level by tier</h2>\n<table><tr><th>tier</th><th>offered</th><th>service "
       "level</th><th>target</th><th>answered</th><th>abandoned</th><th>ASA s</th><th>intervals "
       "met</th></tr>\n";
  for (const TierDay& d : r.tiers) {
    h += fmt::format(
        "<tr><td>{}</td><td>{:.0f}</td><td class=\"{}\">{}</td><td>{} in {:.0f} s</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}/{}</td></tr>\n",
        html_escape(d.tier), d.offered, d.met ? "met" : "miss", pct_ci(d.service_level),
        pct(d.target), secs(d.threshold), pct_ci(d.answer_rate), pct_ci(d.abandon_rate),
        fixed(d.asa_seconds.mean), d.intervals_met, d.intervals_judged);
  }
  h += "</table>\n";
  h += svg_chart("Service level per interval against the target", labels, sl, 0, 1, true);
  h += svg_chart("Staffing: agents on the phones vs the Erlang A requirement", labels, staff, 0,
                 nice_ceiling(staff_max * 1.05), false);
  h += svg_chart("Queue length", labels, queue, 0, nice_ceiling(queue_max * 1.05), false);
  h += fmt::format("<p>Occupancy over the day: {}.</p>\n", pct_ci(r.occupancy));
  h += "<h2>IVR</h2>\n";
  h += fmt::format(
      "<p>{:.0f} calls; containment {}; abandoned in the IVR {}; {:.0f} to an agent "
      "after {:.0f} s on average.</p>\n",
      r.ivr.calls, pct_ci(r.ivr.containment), pct_ci(r.ivr.abandonment),
      r.ivr.transferred + r.ivr.step_limit, r.ivr.mean_seconds_to_agent);
  if (!r.ivr.drop_off.empty()) {
    h += "<table><tr><th>drop-off node</th><th>abandons</th></tr>\n";
    for (const auto& [node, v] : r.ivr.drop_off) {
      h += fmt::format("<tr><td>{}</td><td>{:.1f}</td></tr>\n", html_escape(node), v);
    }
    h += "</table>\n";
  }
  h += "<h2>Satisfaction survey</h2>\n";
  h += fmt::format(
      "<p>{:.0f} sampled, response rate {}; satisfaction {}; CSAT (top-2-box) {}; NPS {:.0f}. "
      "{:.0f} dissatisfied answers opened a follow-up: {:.0f} explained in time, {:.0f} overdue "
      "(submitted automatically to the supervisor on duty), {:.0f} yellow cards.</p>\n",
      r.survey.offered, pct_ci(r.survey.response_rate), pct_ci(r.survey.satisfaction),
      pct_ci(r.survey.csat), r.survey.nps.mean, r.survey.alerts, r.survey.explained_in_time,
      r.survey.overdue, r.survey.yellow_cards);
  h += "<h2>Complaints</h2>\n";
  h += fmt::format(
      "<p>{:.0f} raised, {:.0f} closed. Timeliness {} ({:.0f} of {:.0f} deadlines met); {:.0f} "
      "warnings, {:.0f} breaches, {:.0f} escalations, {:.0f} immediate escalations. Resolution "
      "p50 {:.1f} h, p90 {:.1f} h.</p>\n",
      r.complaints.created, r.complaints.closed, pct_ci(r.complaints.timeliness), r.complaints.met,
      r.complaints.due, r.complaints.warnings, r.complaints.breaches, r.complaints.escalations,
      r.complaints.immediate, r.complaints.resolution_p50_hours, r.complaints.resolution_p90_hours);
  h += "<h2>Callbacks and wait prediction</h2>\n";
  h += fmt::format(
      "<p>Callbacks: {:.0f} offered, {:.0f} accepted, {:.0f} booked in the IVR, {:.0f} completed, "
      "{:.0f} unanswered, {:.0f} not dialled by the end of the run. The router's predicted wait on "
      "arrival against the simulated wait: mean absolute error {} s, bias {} s, within 30 s "
      "{}.</p>\n",
      r.callbacks.offered, r.callbacks.accepted, r.callbacks.booked, r.callbacks.completed,
      r.callbacks.unanswered, r.callbacks.not_dialled, fixed(r.prediction.mean_abs_error_s),
      fixed(r.prediction.bias_s), pct(r.prediction.within_30s));
  h += "<h2>Intervals</h2>\n<table><tr><th>time</th><th>tier</th><th>offered</th><th>answered</th>"
       "<th>abandoned</th><th>SL</th><th>target</th><th>ASA s</th></tr>\n";
  for (const TierInterval& t : r.tier_intervals) {
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{:.1f}</td><td>{:.1f}</td><td>{:.1f}</td><td "
        "class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
        clock(zone, t.start), html_escape(t.tier), t.offered, t.answered, t.abandoned,
        t.service_level.mean >= t.target ? "met" : "miss", pct_ci(t.service_level), pct(t.target),
        fixed(t.asa_seconds));
  }
  h += "</table>\n</body></html>\n";
  return h;
}

}  // namespace hotline::sim
