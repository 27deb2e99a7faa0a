// The JSON format of a scheduling problem (docs/workforce.md, examples/workforce/).
#include <hotline/core/error.hpp>
#include <hotline/workforce/schedule.hpp>

#include <cctype>

#include <fmt/format.h>

#include "core/json.hpp"

namespace hotline::workforce {

namespace {

using detail::fail_at;
using detail::Json;
using detail::ObjectReader;
using detail::pointer_child;

constexpr std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

Duration duration_at(const std::string& text, const std::string& where) {
  try {
    return parse_duration(text);
  } catch (const Error& e) {
    fail_at(where, e.message());
  }
}

// "06:30" -> 6.5 hours.
Duration time_of_day_at(const std::string& text, const std::string& where) {
  int h = -1, m = -1;
  if (text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
      std::isdigit(static_cast<unsigned char>(text[1])) &&
      std::isdigit(static_cast<unsigned char>(text[3])) &&
      std::isdigit(static_cast<unsigned char>(text[4]))) {
    h = (text[0] - '0') * 10 + (text[1] - '0');
    m = (text[3] - '0') * 10 + (text[4] - '0');
  }
  if (h < 0 || h > 23 || m > 59) {
    fail_at(where, fmt::format("expected a time of day \"HH:MM\", found \"{}\"", text));
  }
  return std::chrono::hours{h} + std::chrono::minutes{m};
}

int day_index(std::string_view name, const std::string& where) {
  for (std::size_t i = 0; i < kDays.size(); ++i) {
    if (name == kDays[i]) return static_cast<int>(i);
  }
  fail_at(where, fmt::format("unknown weekday \"{}\" (mon, tue, wed, thu, fri, sat, sun)", name));
}

// "mon-fri", "sat", or an array of those.
std::array<bool, 7> read_days(const Json& j, const std::string& where) {
  std::array<bool, 7> days{};
  auto one = [&](const std::string& text, const std::string& at) {
    const auto dash = text.find('-');
    if (dash == std::string::npos) {
      days[static_cast<std::size_t>(day_index(text, at))] = true;
      return;
    }
    int a = day_index(text.substr(0, dash), at), b = day_index(text.substr(dash + 1), at);
    for (int d = a;; d = (d + 1) % 7) {
      days[static_cast<std::size_t>(d)] = true;
      if (d == b) break;
    }
  };
  if (j.is_string()) {
    one(j.get<std::string>(), where);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at = pointer_child(where, i);
      if (!j[i].is_string()) fail_at(at, "expected a weekday such as \"mon\" or \"mon-fri\"");
      one(j[i].get<std::string>(), at);
    }
  } else {
    fail_at(where, "expected \"mon-fri\" or an array of weekdays");
  }
  return days;
}

std::vector<double> number_array(const Json& j, const std::string& where) {
  std::vector<double> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_number()) fail_at(pointer_child(where, i), "expected a number");
    out.push_back(j[i].get<double>());
  }
  return out;
}

}  // namespace

ScheduleProblem ScheduleProblem::from_json(std::string_view text) {
  const Json doc = detail::parse_json(text);
  ObjectReader root(doc, "");
  ScheduleProblem p;
  if (auto s = root.optional_string("interval")) p.interval = duration_at(*s, "/interval");
  p.cyclic = root.boolean("cyclic", true);
  if (auto s = root.optional_string("threshold")) p.threshold = duration_at(*s, "/threshold");
  if (auto s = root.optional_string("patience")) p.patience = duration_at(*s, "/patience");
  Duration aht{std::chrono::seconds{180}};
  if (auto s = root.optional_string("aht")) aht = duration_at(*s, "/aht");
  if (const Json* calls = root.optional_array("calls")) {
    for (double c : number_array(*calls, "/calls")) p.demand.push_back({c, aht});
  }
  if (const Json* req = root.optional_array("required")) {
    p.required = number_array(*req, "/required");
  }
  const std::optional<double> target = root.optional_number("target");

  const Json& templates = root.array("templates");
  for (std::size_t k = 0; k < templates.size(); ++k) {
    ObjectReader r(templates[k], pointer_child("/templates", k));
    ShiftTemplate t;
    t.name = r.string("name");
    t.length = duration_at(r.string("length"), r.at("length"));
    {
      ObjectReader st(r.require("start"), r.at("start"));
      t.earliest_start = time_of_day_at(st.string("from"), st.at("from"));
      t.latest_start = time_of_day_at(st.string("to"), st.at("to"));
      if (auto s = st.optional_string("step")) t.start_step = duration_at(*s, st.at("step"));
      st.finish();
    }
    if (const Json* d = r.find("days")) t.days = read_days(*d, r.at("days"));
    if (const Json* br = r.optional_array("breaks")) {
      for (std::size_t b = 0; b < br->size(); ++b) {
        ObjectReader bb((*br)[b], pointer_child(r.at("breaks"), b));
        BreakRule rule;
        rule.length = duration_at(bb.string("length"), bb.at("length"));
        rule.earliest = duration_at(bb.string("from"), bb.at("from"));
        rule.latest = duration_at(bb.string("to"), bb.at("to"));
        bb.finish();
        t.breaks.push_back(rule);
      }
    }
    t.cost = r.optional_number("cost");
    if (auto v = r.optional_integer("min")) t.min = *v;
    t.max = r.optional_integer("max");
    r.finish();
    p.templates.push_back(std::move(t));
  }
  root.finish();

  try {
    if (p.required.empty() && !p.demand.empty()) {
      if (!target) fail_at("/target", "give \"required\", or \"calls\" with a \"target\"");
      if (!(*target > 0 && *target < 1)) fail_at("/target", "must be in (0, 1)");
      p.required.assign(p.demand.size(), 0.0);  // so that validate() checks everything else
      p.validate();
      p.required = requirements_for(p, *target);
    } else if (p.required.empty()) {
      fail_at("/required", "give \"required\", or \"calls\" with a \"target\"");
    } else if (target) {
      fail_at("/target", "give either \"required\" or a \"target\", not both");
    }
    p.validate();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid_argument) throw;
    // The same message, as a definition error at its pointer.
    throw Error(ErrorCode::invalid_definition, e.where(), e.message());
  }
  return p;
}

ScheduleProblem ScheduleProblem::load(const std::filesystem::path& path) {
  const std::string text = detail::read_file(path);
  try {
    return from_json(text);
  } catch (const Error& e) {
    std::vector<Diagnostic> d = e.diagnostics();
    for (auto& x : d) x.where = path.string() + ":" + x.where;
    throw Error(e.code(), std::move(d));
  }
}

}  // namespace hotline::workforce
