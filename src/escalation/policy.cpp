// Escalation policies: the JSON format (docs/escalation.md) and validation. Structural errors
// (wrong types, unknown keys) stop at the first; reference errors are collected and reported
// together, each at its JSON pointer.
#include <hotline/core/error.hpp>
#include <hotline/escalation/policy.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "calendar/embedded.hpp"
#include "core/json.hpp"
#include "escalation/policy_data.hpp"

namespace hotline::escalation {

namespace {

using detail::Diagnostics;
using detail::fail_at;
using detail::Json;
using detail::ObjectReader;
using detail::pointer_child;

constexpr std::array<const char*, 4> kChannels = {"hotline", "general_manager", "mailbox", "web"};
constexpr std::array<const char*, 4> kSeverities = {"low", "normal", "high", "urgent"};
constexpr std::array<const char*, 3> kRoles = {"team_lead", "department_head", "general_manager"};

template <std::size_t N>
int index_of(const std::array<const char*, N>& names, std::string_view text) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<int>(i);
  }
  return -1;
}

template <std::size_t N>
std::string list(const std::array<const char*, N>& names) {
  std::string out;
  for (const char* n : names) out += fmt::format("{}{}", out.empty() ? "" : ", ", n);
  return out;
}

Duration duration_at(const Json& j, const std::string& where) {
  if (!j.is_string()) {
    fail_at(where, fmt::format("expected a duration such as \"48h\", found {}",
                               detail::json_type_name(j)));
  }
  try {
    const Duration d = parse_duration(j.get<std::string>());
    if (d <= Duration::zero()) fail_at(where, "a duration here must be positive");
    return d;
  } catch (const Error& e) {
    if (e.where() == where) throw;
    fail_at(where, e.message());
  }
}

std::vector<std::string> strings_at(const Json& j, const std::string& where) {
  std::vector<std::string> out;
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
    return out;
  }
  if (!j.is_array()) {
    fail_at(where, fmt::format("expected a string or an array of strings, found {}",
                               detail::json_type_name(j)));
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) {
      fail_at(pointer_child(where, i),
              fmt::format("expected a string, found {}", detail::json_type_name(j[i])));
    }
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

template <std::size_t N>
int named_at(const std::array<const char*, N>& names, const std::string& text,
             const std::string& where, const char* what) {
  const int i = index_of(names, text);
  if (i < 0) {
    fail_at(where, fmt::format("unknown {} \"{}\" (expected one of: {})", what, text, list(names)));
  }
  return i;
}

std::vector<std::uint16_t> states_at(const Json& j, const std::string& where, const Workflow& w,
                                     Diagnostics& diag) {
  std::vector<std::uint16_t> out;
  const auto names = strings_at(j, where);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "*" && names.size() == 1) {
      for (std::size_t s = 0; s < w.states.size(); ++s)
        out.push_back(static_cast<std::uint16_t>(s));
      return out;
    }
    const int s = w.state_index(names[i]);
    if (s < 0) {
      diag.add(j.is_array() ? pointer_child(where, i) : where,
               fmt::format("unknown state \"{}\" in workflow \"{}\"", names[i], w.id));
    } else {
      out.push_back(static_cast<std::uint16_t>(s));
    }
  }
  return out;
}

void read_workflow(const Json& j, const std::string& where, Policy::Data& d, Diagnostics& diag) {
  ObjectReader r(j, where);
  Workflow w;
  w.id = r.string("id");
  const Json& states = r.array("states");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const std::string at = pointer_child(r.at("states"), i);
    if (!states[i].is_string()) fail_at(at, "expected a state name (string)");
    const std::string s = states[i].get<std::string>();
    if (!seen.insert(s).second) diag.add(at, fmt::format("duplicate state \"{}\"", s));
    w.states.push_back(s);
  }
  if (w.states.empty()) fail_at(r.at("states"), "a workflow needs at least one state");
  if (w.states.size() > 1000) fail_at(r.at("states"), "at most 1000 states");
  w.final_state.assign(w.states.size(), false);
  const std::string initial = r.string("initial");
  const int init = w.state_index(initial);
  if (init < 0) diag.add(r.at("initial"), fmt::format("unknown state \"{}\"", initial));
  w.initial = static_cast<std::uint16_t>(std::max(init, 0));
  for (std::uint16_t s : states_at(r.require("final"), r.at("final"), w, diag)) {
    w.final_state[s] = true;
  }

  const Json& ts = r.array("transitions");
  if (ts.size() > 10'000) fail_at(r.at("transitions"), "at most 10000 transitions");
  std::set<std::string> transition_names;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    ObjectReader t(ts[i], pointer_child(r.at("transitions"), i));
    Transition tr;
    tr.name = t.string("name");
    if (!transition_names.insert(tr.name).second) {
      diag.add(t.at("name"), fmt::format("duplicate transition \"{}\"", tr.name));
    }
    tr.from = states_at(t.require("from"), t.at("from"), w, diag);
    const std::string to = t.string("to");
    const int ti = w.state_index(to);
    if (ti < 0) diag.add(t.at("to"), fmt::format("unknown state \"{}\"", to));
    tr.to = static_cast<std::uint16_t>(std::max(ti, 0));
    if (const Json* roles = t.find("roles")) tr.roles = strings_at(*roles, t.at("roles"));
    if (const Json* req = t.find("requires"))
      tr.requires_fields = strings_at(*req, t.at("requires"));
    if (const Json* marks = t.find("marks")) {
      const auto ms = strings_at(*marks, t.at("marks"));
      for (std::size_t m = 0; m < ms.size(); ++m) {
        if (ms[m] == "resolved") {
          tr.marks_resolved = true;
        } else if (ms[m] == "replied") {
          tr.marks_replied = true;
        } else if (ms[m] == "satisfaction") {
          tr.records_satisfaction = true;
        } else if (ms[m] == "reopen") {
          tr.reopens = true;
        } else {
          diag.add(
              marks->is_array() ? pointer_child(t.at("marks"), m) : t.at("marks"),
              fmt::format("unknown mark \"{}\" (resolved, replied, satisfaction, reopen)", ms[m]));
        }
      }
    }
    if (tr.records_satisfaction && std::find(tr.requires_fields.begin(), tr.requires_fields.end(),
                                             "satisfied") == tr.requires_fields.end()) {
      tr.requires_fields.push_back("satisfied");
    }
    t.finish();
    w.transitions.push_back(std::move(tr));
  }

  if (const Json* cs = r.optional_array("clocks")) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < cs->size(); ++i) {
      ObjectReader c((*cs)[i], pointer_child(r.at("clocks"), i));
      ClockDef def;
      def.id = c.string("id");
      if (!ids.insert(def.id).second)
        diag.add(c.at("id"), fmt::format("duplicate clock \"{}\"", def.id));
      def.calendar = c.string("calendar");
      if (def.calendar == "department") {
        def.calendar.clear();
      } else if (!d.calendars.contains(def.calendar)) {
        diag.add(c.at("calendar"),
                 fmt::format("unknown calendar \"{}\" (a name in /calendars, or \"department\")",
                             def.calendar));
      }
      def.start = states_at(c.require("start"), c.at("start"), w, diag);
      def.stop = states_at(c.require("stop"), c.at("stop"), w, diag);
      if (const Json* p = c.find("pause")) def.pause = states_at(*p, c.at("pause"), w, diag);
      const Json& target = c.require("target");
      if (target.is_object()) {
        ObjectReader tr(target, c.at("target"));
        const Duration normal = duration_at(tr.require("normal"), tr.at("normal"));
        for (std::size_t s = 0; s < kSeverities.size(); ++s) {
          const Json* v = tr.find(kSeverities[s]);
          def.target[s] = v ? duration_at(*v, tr.at(kSeverities[s])) : normal;
        }
        tr.finish();
      } else {
        def.target.fill(duration_at(target, c.at("target")));
      }
      if (const Json* warn = c.optional_array("warn_at")) {
        double prev = 0;
        for (std::size_t k = 0; k < warn->size(); ++k) {
          const std::string at = pointer_child(c.at("warn_at"), k);
          if (!(*warn)[k].is_number()) fail_at(at, "expected a fraction of the target (number)");
          const double f = (*warn)[k].get<double>();
          if (!(f > prev && f < 1)) {
            diag.add(at, "warning fractions must increase strictly within (0, 1)");
          }
          prev = f;
          def.warn_at.push_back(f);
        }
      }
      if (const Json* ladder = c.find("ladder")) {
        for (const std::string& role : strings_at(*ladder, c.at("ladder"))) {
          def.ladder.push_back(static_cast<Role>(named_at(kRoles, role, c.at("ladder"), "role")));
        }
      }
      if (const Json* every = c.find("every")) def.every = duration_at(*every, c.at("every"));
      def.customer_deadline = c.boolean("customer_deadline", false);
      def.kpi = c.boolean("kpi", false);
      c.finish();
      w.clocks.push_back(std::move(def));
    }
  }
  if (w.clocks.size() > 64) fail_at(r.at("clocks"), "at most 64 clocks per workflow");
  r.finish();
  d.workflows.push_back(std::move(w));
}

template <class Enum, std::size_t N>
std::vector<Enum> enums_at(const ObjectReader& r, const Json* j, std::string_view key,
                           const std::array<const char*, N>& names, const char* what) {
  std::vector<Enum> out;
  if (!j) return out;
  for (const std::string& s : strings_at(*j, r.at(key))) {
    out.push_back(static_cast<Enum>(named_at(names, s, r.at(key), what)));
  }
  return out;
}

}  // namespace

const char* to_string(Channel c) noexcept { return kChannels[static_cast<std::size_t>(c)]; }
const char* to_string(Severity s) noexcept { return kSeverities[static_cast<std::size_t>(s)]; }
const char* to_string(Role r) noexcept { return kRoles[static_cast<std::size_t>(r)]; }

Channel parse_channel(std::string_view text) {
  const int i = index_of(kChannels, text);
  if (i < 0) {
    throw Error(ErrorCode::invalid_argument, "channel",
                fmt::format("unknown channel \"{}\" (expected one of: {})", text, list(kChannels)));
  }
  return static_cast<Channel>(i);
}

Severity parse_severity(std::string_view text) {
  const int i = index_of(kSeverities, text);
  if (i < 0) {
    throw Error(
        ErrorCode::invalid_argument, "severity",
        fmt::format("unknown severity \"{}\" (expected one of: {})", text, list(kSeverities)));
  }
  return static_cast<Severity>(i);
}

int Workflow::state_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int Workflow::transition_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    if (transitions[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Policy Policy::from_json(std::string_view json, const std::filesystem::path& base_dir) {
  const Json root = detail::parse_json(json);
  auto d = std::make_shared<Data>();
  Diagnostics diag;
  ObjectReader r(root, "");
  d->name = r.string("name");
  d->version = r.string("version");
  d->general_manager = r.optional_string("general_manager").value_or("");
  if (auto t = r.optional_number("timeliness_target")) {
    if (!(*t > 0 && *t <= 1)) fail_at(r.at("timeliness_target"), "must be in (0, 1]");
    d->timeliness_target = *t;
  }
  Json canonical = root;
  {
    const Json& cals = r.require("calendars");
    if (!cals.is_object()) fail_at(r.at("calendars"), "expected an object of named calendars");
    for (const auto& [name, value] : cals.items()) {
      if (name == "department") {
        fail_at(pointer_child(r.at("calendars"), name),
                "\"department\" is reserved (a clock on the department's calendar)");
      }
      Json inlined;
      d->calendars.emplace(
          name, calendar::detail::read_embedded(value, pointer_child(r.at("calendars"), name),
                                                base_dir, inlined));
      canonical["calendars"][name] = std::move(inlined);
    }
  }
  if (const Json* q = r.find("quiet_hours")) {
    ObjectReader qr(*q, r.at("quiet_hours"));
    const std::string cal = qr.string("calendar");
    auto it = d->calendars.find(cal);
    if (it == d->calendars.end()) {
      diag.add(qr.at("calendar"), fmt::format("unknown calendar \"{}\"", cal));
    } else {
      d->quiet = it->second;
    }
    d->quiet_except = enums_at<Severity>(qr, qr.find("except"), "except", kSeverities, "severity");
    qr.finish();
  }
  const Json& departments = r.array("departments");
  if (departments.size() > 1000) fail_at(r.at("departments"), "at most 1000 departments");
  std::unordered_set<std::string> department_ids;
  for (std::size_t i = 0; const Json& dj : departments) {
    ObjectReader dr(dj, pointer_child(r.at("departments"), i++));
    Department dep;
    dep.id = dr.string("id");
    dep.name = dr.optional_string("name").value_or(dep.id);
    dep.calendar = dr.string("calendar");
    if (!d->calendars.contains(dep.calendar)) {
      diag.add(dr.at("calendar"), fmt::format("unknown calendar \"{}\"", dep.calendar));
    }
    dep.team_lead = dr.optional_string("team_lead").value_or("");
    dep.department_head = dr.optional_string("department_head").value_or("");
    dr.finish();
    if (!department_ids.insert(dep.id).second) {
      diag.add(dr.at("id"), fmt::format("duplicate department \"{}\"", dep.id));
    }
    d->departments.push_back(std::move(dep));
  }
  if (auto home = r.optional_string("home_department")) {
    for (std::size_t i = 0; i < d->departments.size(); ++i) {
      if (d->departments[i].id == *home) d->home_department = static_cast<int>(i);
    }
    if (d->home_department < 0) {
      diag.add(r.at("home_department"), fmt::format("unknown department \"{}\"", *home));
    }
  }
  {
    const Json& ws = r.array("workflows");
    if (ws.size() > 1000) fail_at(r.at("workflows"), "at most 1000 workflows");
    std::set<std::string> workflow_ids;
    for (std::size_t i = 0; i < ws.size(); ++i) {
      read_workflow(ws[i], pointer_child(r.at("workflows"), i), *d, diag);
      if (!workflow_ids.insert(d->workflows.back().id).second) {
        diag.add(pointer_child(pointer_child(r.at("workflows"), i), "id"),
                 fmt::format("duplicate workflow \"{}\"", d->workflows.back().id));
      }
    }
  }
  {
    const Json& cats = r.require("categories");
    if (!cats.is_object() || cats.empty()) {
      fail_at(r.at("categories"), "expected an object: category name -> workflow id");
    }
    for (const auto& [name, wf] : cats.items()) {
      const std::string at = pointer_child(r.at("categories"), name);
      if (!wf.is_string()) fail_at(at, "expected a workflow id (string)");
      int found = -1;
      for (std::size_t k = 0; k < d->workflows.size(); ++k) {
        if (d->workflows[k].id == wf.get<std::string>()) found = static_cast<int>(k);
      }
      if (found < 0) diag.add(at, fmt::format("unknown workflow \"{}\"", wf.get<std::string>()));
      d->categories.emplace_back(name, static_cast<std::uint16_t>(std::max(found, 0)));
    }
  }
  std::set<std::string_view> category_names;
  for (const auto& cat : d->categories) category_names.insert(cat.first);
  auto category_known = [&](const std::string& c) { return category_names.contains(c); };
  if (const Json* imm = r.optional_array("immediate")) {
    if (imm->size() > 1000) fail_at(r.at("immediate"), "at most 1000 rules");
    for (std::size_t i = 0; i < imm->size(); ++i) {
      ObjectReader ir((*imm)[i], pointer_child(r.at("immediate"), i));
      ImmediateRule rule;
      rule.severities =
          enums_at<Severity>(ir, ir.find("severity"), "severity", kSeverities, "severity");
      rule.channels = enums_at<Channel>(ir, ir.find("channel"), "channel", kChannels, "channel");
      if (const Json* c = ir.find("category")) rule.categories = strings_at(*c, ir.at("category"));
      for (const std::string& c : rule.categories) {
        if (!category_known(c))
          diag.add(ir.at("category"), fmt::format("unknown category \"{}\"", c));
      }
      rule.regulator_risk_only = ir.boolean("regulator_risk", false);
      rule.level = static_cast<Role>(named_at(kRoles, ir.string("level"), ir.at("level"), "role"));
      ir.finish();
      d->immediate.push_back(std::move(rule));
    }
  }
  if (const Json* rep = r.find("repeat")) {
    ObjectReader rr(*rep, r.at("repeat"));
    RepeatRule rule;
    if (const Json* c = rr.find("categories"))
      rule.categories = strings_at(*c, rr.at("categories"));
    for (const std::string& c : rule.categories) {
      if (!category_known(c))
        diag.add(rr.at("categories"), fmt::format("unknown category \"{}\"", c));
    }
    const std::int64_t count = rr.integer("count");
    if (count < 2 || count > 1000) fail_at(rr.at("count"), "must be between 2 and 1000");
    rule.count = static_cast<int>(count);
    rule.window = duration_at(rr.require("window"), rr.at("window"));
    if (auto s = rr.optional_string("raise_to")) {
      rule.raise_to =
          static_cast<Severity>(named_at(kSeverities, *s, rr.at("raise_to"), "severity"));
    }
    rule.flag_regulator_risk = rr.boolean("regulator_risk", true);
    rr.finish();
    d->repeat = std::move(rule);
  }
  r.finish();
  diag.throw_if_any();
  d->canonical = canonical.dump(-1, ' ', false, Json::error_handler_t::replace);
  return Policy(std::move(d));
}

Policy Policy::load(const std::filesystem::path& path) {
  return from_json(detail::read_file(path), path.parent_path());
}

const std::string& Policy::name() const noexcept { return d_->name; }
const std::string& Policy::version() const noexcept { return d_->version; }
const std::string& Policy::canonical_json() const noexcept { return d_->canonical; }
const std::vector<Workflow>& Policy::workflows() const noexcept { return d_->workflows; }
const std::vector<Department>& Policy::departments() const noexcept { return d_->departments; }
const std::vector<std::pair<std::string, std::uint16_t>>& Policy::categories() const noexcept {
  return d_->categories;
}
const std::vector<ImmediateRule>& Policy::immediate_rules() const noexcept { return d_->immediate; }
const std::optional<RepeatRule>& Policy::repeat_rule() const noexcept { return d_->repeat; }
const std::string& Policy::general_manager() const noexcept { return d_->general_manager; }
double Policy::timeliness_target() const noexcept { return d_->timeliness_target; }

const calendar::Calendar& Policy::calendar(std::string_view name) const {
  auto it = d_->calendars.find(name);
  if (it == d_->calendars.end()) {
    throw Error(ErrorCode::not_found, "calendar", fmt::format("unknown calendar \"{}\"", name));
  }
  return it->second;
}

std::vector<std::string> Policy::calendar_names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : d_->calendars) out.push_back(name);
  return out;
}

const calendar::Calendar* Policy::quiet_hours() const noexcept {
  return d_->quiet ? &*d_->quiet : nullptr;
}
const std::vector<Severity>& Policy::quiet_hours_except() const noexcept {
  return d_->quiet_except;
}

int Policy::department_index(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < d_->departments.size(); ++i) {
    if (d_->departments[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int Policy::home_department() const noexcept { return d_->home_department; }

int Policy::category_index(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < d_->categories.size(); ++i) {
    if (d_->categories[i].first == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace hotline::escalation
