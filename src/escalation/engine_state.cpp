// The engine's durable side: order state as JSON, recovery from a store (states, or a replay of
// the command events), and the replay itself.
#include <hotline/core/error.hpp>

#include <cmath>

#include <fmt/format.h>

#include "escalation/engine_impl.hpp"

namespace hotline::escalation {

using detail::Json;

namespace {

Json opt_time(const std::optional<Instant>& t) { return t ? Json(to_unix_ms(*t)) : Json(nullptr); }

std::optional<Instant> opt_time(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return from_unix_ms(j.get<std::int64_t>());
}

std::map<std::string, std::string, std::less<>> fields_from(const Json& j) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& [k, v] : j.items()) out[k] = v.get<std::string>();
  return out;
}

}  // namespace

std::string Engine::Impl::order_to_json(const Order& o) const {
  const Policy& p = policy_of(o);
  const Workflow& w = workflow_of(o);
  Json clocks = Json::array();
  for (std::size_t i = 0; i < o.clocks.size(); ++i) {
    const Clock& c = o.clocks[i];
    clocks.push_back(Json{{"id", w.clocks[i].id},
                          {"state", to_string(c.state)},
                          {"started", to_unix_ms(c.started)},
                          {"since", to_unix_ms(c.since)},
                          {"consumed", c.consumed.count()},
                          {"target", c.target.count()},
                          {"deadline", to_unix_ms(c.deadline)},
                          {"warnings", c.warnings},
                          {"level", c.level},
                          {"breached", c.breached},
                          {"stopped_at", opt_time(c.stopped_at)}});
  }
  Json fields = Json::object();
  for (const auto& [k, v] : o.fields) fields[k] = v;
  Json j{{"id", o.id},
         {"customer", o.customer},
         {"channel", to_string(o.channel)},
         {"category", p.categories()[o.category].first},
         {"severity", to_string(o.severity)},
         {"owner", o.owner},
         {"department", o.department < 0
                            ? Json(nullptr)
                            : Json(p.departments()[static_cast<std::size_t>(o.department)].id)},
         {"handler", o.handler},
         {"co_handlers", o.co_handlers},
         {"promised", opt_time(o.promised)},
         {"special", opt_time(o.special)},
         {"repeat_complaint", o.repeat_complaint},
         {"regulator_risk", o.regulator_risk},
         {"paused", o.paused},
         {"state", w.states[o.state]},
         {"closed", o.closed},
         {"level", o.level},
         {"created", to_unix_ms(o.created)},
         {"closed_at", opt_time(o.closed_at)},
         {"resolved", o.resolved},
         {"replied", o.replied},
         {"satisfied", o.satisfied ? Json(*o.satisfied) : Json(nullptr)},
         {"policy_version", o.policy_version},
         {"fields", std::move(fields)},
         {"clocks", std::move(clocks)}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Order Engine::Impl::order_from_json(const std::string& text) const {
  const Json j = Json::parse(text);
  Order o;
  o.id = j.at("id").get<OrderId>();
  o.policy_version = j.at("policy_version").get<std::uint32_t>();
  if (o.policy_version >= policies.size()) {
    throw Error(ErrorCode::invalid_state, fmt::format("order {}", o.id), "unknown policy version");
  }
  const Policy& p = policies[o.policy_version];
  o.customer = j.at("customer").get<std::string>();
  o.channel = parse_channel(j.at("channel").get<std::string>());
  const int cat = p.category_index(j.at("category").get<std::string>());
  if (cat < 0)
    throw Error(ErrorCode::invalid_state, fmt::format("order {}", o.id), "unknown category");
  o.category = static_cast<std::uint16_t>(cat);
  o.severity = parse_severity(j.at("severity").get<std::string>());
  o.owner = j.at("owner").get<std::string>();
  o.department =
      j.at("department").is_null() ? -1 : p.department_index(j.at("department").get<std::string>());
  o.handler = j.at("handler").get<std::string>();
  o.co_handlers = j.at("co_handlers").get<std::vector<std::string>>();
  o.promised = opt_time(j.at("promised"));
  o.special = opt_time(j.at("special"));
  o.repeat_complaint = j.at("repeat_complaint").get<bool>();
  o.regulator_risk = j.at("regulator_risk").get<bool>();
  o.paused = j.at("paused").get<bool>();
  const Workflow& w = p.workflows()[p.categories()[o.category].second];
  const int st = w.state_index(j.at("state").get<std::string>());
  if (st < 0) throw Error(ErrorCode::invalid_state, fmt::format("order {}", o.id), "unknown state");
  o.state = static_cast<std::uint16_t>(st);
  o.closed = j.at("closed").get<bool>();
  o.level = j.at("level").get<int>();
  o.created = from_unix_ms(j.at("created").get<std::int64_t>());
  o.closed_at = opt_time(j.at("closed_at"));
  o.resolved = j.at("resolved").get<bool>();
  o.replied = j.at("replied").get<bool>();
  if (!j.at("satisfied").is_null()) o.satisfied = j.at("satisfied").get<bool>();
  o.fields = fields_from(j.at("fields"));
  const Json& clocks = j.at("clocks");
  if (clocks.size() != w.clocks.size()) {
    throw Error(ErrorCode::invalid_state, fmt::format("order {}", o.id), "clock count differs");
  }
  for (const Json& cj : clocks) {
    Clock c;
    const std::string s = cj.at("state").get<std::string>();
    for (int k = 0; k < 4; ++k) {
      if (s == to_string(static_cast<ClockState>(k))) c.state = static_cast<ClockState>(k);
    }
    c.started = from_unix_ms(cj.at("started").get<std::int64_t>());
    c.since = from_unix_ms(cj.at("since").get<std::int64_t>());
    c.consumed = Duration{cj.at("consumed").get<std::int64_t>()};
    c.target = Duration{cj.at("target").get<std::int64_t>()};
    c.deadline = from_unix_ms(cj.at("deadline").get<std::int64_t>());
    c.warnings = cj.at("warnings").get<std::uint8_t>();
    c.level = cj.at("level").get<std::int8_t>();
    c.breached = cj.at("breached").get<bool>();
    c.stopped_at = opt_time(cj.at("stopped_at"));
    o.clocks.push_back(c);
  }
  return o;
}

std::string Engine::Impl::engine_state_json() const {
  Json changes_j = Json::array();
  for (const PolicyChange& pc : changes) {
    Json moved = Json::array();
    for (const TimerMove& m : pc.moved) {
      moved.push_back(Json{{"order", m.order},
                           {"clock", m.clock},
                           {"old", to_unix_ms(m.old_deadline)},
                           {"new", to_unix_ms(m.new_deadline)}});
    }
    changes_j.push_back(Json{{"version", pc.version},
                             {"effective", to_unix_ms(pc.effective)},
                             {"applied", pc.applied},
                             {"moved", std::move(moved)},
                             {"kept", pc.kept}});
  }
  return Json{{"seq", seq},
              {"last_now", to_unix_ms(last_now)},
              {"current", current},
              {"changes", std::move(changes_j)}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

void Engine::Impl::index_order(const Order& o) {
  by_customer[o.customer].emplace_back(o.created, o.id);
  if (!o.closed) ++open;
}

void Engine::Impl::recover() {
  Recovered rec = store->recover();
  if (rec.policies.empty()) {
    if (rec.has_events) {
      throw Error(ErrorCode::invalid_state, "store", "the store has events but no policy version");
    }
    Commit c;  // a fresh store: keep the policy the engine starts with
    c.policy_json = policies.front().canonical_json();
    c.policy_effective = Instant::min();
    store->write(c);
    store->flush();
    return;
  }
  const Policy given = policies.front();
  if (given.canonical_json() != rec.policies.back().first) {
    const Policy stored = Policy::from_json(rec.policies.back().first);
    throw Error(ErrorCode::invalid_state, "policy",
                fmt::format("the store's current policy is \"{}\" version \"{}\", the engine was "
                            "given \"{}\" version \"{}\": open the store with its own policy, then "
                            "change_policy()",
                            stored.name(), stored.version(), given.name(), given.version()));
  }
  policies.clear();
  policies.push_back(Policy::from_json(rec.policies.front().first));
  for (const auto& k : rec.keys) keys.emplace(k.key, KeyEntry{k.digest, k.order, k.seq});
  if (rec.states.empty()) {
    // Events only (a host store that keeps no states): replay the commands.
    replaying = true;
    store->for_each_event([&](const StoredEvent& ev) {
      if (!ev.derived) replay(ev);
    });
    replaying = false;
    seq = std::max(seq, rec.last_seq);
    return;
  }
  for (std::size_t v = 1; v < rec.policies.size(); ++v) {
    policies.push_back(Policy::from_json(rec.policies[v].first));
  }
  std::vector<std::pair<std::uint64_t, std::string>> states = std::move(rec.states);
  std::sort(states.begin(), states.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [id, text] : states) {
    if (id == 0) {
      const Json j = Json::parse(text);
      seq = j.at("seq").get<std::uint64_t>();
      last_now = from_unix_ms(j.at("last_now").get<std::int64_t>());
      current = j.at("current").get<std::uint32_t>();
      for (const Json& c : j.at("changes")) {
        PolicyChange pc;
        pc.version = c.at("version").get<std::uint32_t>();
        pc.effective = from_unix_ms(c.at("effective").get<std::int64_t>());
        pc.applied = c.at("applied").get<bool>();
        for (const Json& m : c.at("moved")) {
          pc.moved.push_back({m.at("order").get<OrderId>(), m.at("clock").get<std::string>(),
                              from_unix_ms(m.at("old").get<std::int64_t>()),
                              from_unix_ms(m.at("new").get<std::int64_t>())});
        }
        pc.kept = c.at("kept").get<std::vector<OrderId>>();
        changes.push_back(std::move(pc));
      }
      continue;
    }
    if (id != orders.size() + 1) {
      throw Error(
          ErrorCode::invalid_state, "store",
          fmt::format("order ids are not contiguous: found {} after {}", id, orders.size()));
    }
    orders.push_back(order_from_json(text));
  }
  if (changes.size() + 1 != policies.size()) {
    throw Error(
        ErrorCode::invalid_state, "store",
        fmt::format("{} policy versions but {} recorded changes", policies.size(), changes.size()));
  }
  seq = std::max(seq, rec.last_seq);
  for (Order& o : orders) {
    index_order(o);
    for (std::size_t ci = 0; ci < o.clocks.size(); ++ci) {
      if (o.clocks[ci].state == ClockState::running) schedule(o, ci);
    }
  }
}

std::string to_json(const Kpis& k) {
  auto num = [](double v) { return std::isnan(v) ? Json(nullptr) : Json(v); };
  auto secs = [](Duration d) { return static_cast<double>(d.count()) / 1000.0; };
  Json t = Json::array();
  for (const TimelinessRow& r : k.timeliness) {
    t.push_back(Json{{"department", r.department},
                     {"category", r.category},
                     {"month", fmt::format("{:04}-{:02}", static_cast<int>(r.month.year()),
                                           static_cast<unsigned>(r.month.month()))},
                     {"due", r.due},
                     {"met", r.met},
                     {"rate", r.rate},
                     {"pass", r.pass}});
  }
  Json res = Json::array();
  for (const ResolutionStats& s : k.resolution) {
    res.push_back(Json{{"category", s.category},
                       {"count", s.count},
                       {"mean_s", secs(s.mean)},
                       {"p50_s", secs(s.p50)},
                       {"p90_s", secs(s.p90)},
                       {"p95_s", secs(s.p95)},
                       {"max_s", secs(s.max)}});
  }
  const ThreeHundred& h = k.three;
  return Json{{"timeliness", std::move(t)},
              {"three",
               {{"closed", h.closed},
                {"resolved", h.resolved},
                {"replied", h.replied},
                {"surveyed", h.surveyed},
                {"satisfied", h.satisfied},
                {"resolved_rate", num(h.resolved_rate)},
                {"replied_rate", num(h.replied_rate)},
                {"satisfied_rate", num(h.satisfied_rate)}}},
              {"resolution", std::move(res)}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string to_json(const std::vector<StoredEvent>& events) {
  Json out = Json::array();
  for (const StoredEvent& e : events) {
    out.push_back(Json{{"seq", e.seq},
                       {"order", e.order},
                       {"at", format_instant(e.at)},
                       {"kind", e.kind},
                       {"derived", e.derived},
                       {"body", Json::parse(e.body)}});
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace hotline::escalation
