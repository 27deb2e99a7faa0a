// The work-order engine: commands, clocks, the due-time index and durable commits.
//
// Every command runs the same way: idempotency check, validation, mutation with a backup of what
// it touches, one Commit to the store, and on any exception (including the store's) the backup is
// restored, so a failed command leaves no trace. Timers live in a min-heap keyed by (due, order,
// clock) with lazy invalidation: a clock's `generation` names its one live timer; rescheduling
// takes a fresh engine-wide generation, so a superseded entry is skipped when it surfaces.
#include <hotline/core/error.hpp>
#include <hotline/escalation/engine.hpp>

#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "core/json.hpp"
#include "escalation/engine_impl.hpp"

namespace hotline::escalation {

using detail::Json;

namespace {

constexpr const char* kClockStates[] = {"idle", "running", "paused", "stopped"};
constexpr const char* kNoticeKinds[] = {"warning", "breach", "escalation", "immediate", "repeat"};

/// to - from for from <= to, saturated at Duration::max(): orders may be created at any 64-bit
/// instant (the C ABI takes milliseconds), so the plain difference can overflow.
Duration elapsed(Instant from, Instant to) noexcept {
  std::int64_t d = 0;
  if (__builtin_sub_overflow(to.time_since_epoch().count(), from.time_since_epoch().count(), &d))
    return Duration::max();
  return Duration{d};
}

bool contains(const std::vector<std::uint16_t>& v, std::uint16_t x) noexcept {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += fmt::format("{}{}", out.empty() ? "" : ", ", s);
  return out;
}

Json fields_json(const std::map<std::string, std::string, std::less<>>& f) {
  Json j = Json::object();
  for (const auto& [k, v] : f) j[k] = v;
  return j;
}

Json actor_json(const Actor& a) { return Json{{"id", a.id}, {"role", a.role}}; }

Actor actor_from(const Json& j) {
  return Actor{j.at("id").get<std::string>(), j.at("role").get<std::string>()};
}

std::map<std::string, std::string, std::less<>> fields_from(const Json& j) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& [k, v] : j.items()) out[k] = v.get<std::string>();
  return out;
}

}  // namespace

const char* to_string(ClockState s) noexcept { return kClockStates[static_cast<int>(s)]; }
const char* to_string(NoticeKind k) noexcept { return kNoticeKinds[static_cast<int>(k)]; }

// ---------------------------------------------------------------------------------------------
// Impl: policies and lookups

const Policy& Engine::Impl::policy_of(const Order& o) const { return policies[o.policy_version]; }

const Workflow& Engine::Impl::workflow_of(const Order& o) const {
  const Policy& p = policy_of(o);
  return p.workflows()[p.categories()[o.category].second];
}

const calendar::Calendar& Engine::Impl::calendar_of(const Order& o, const ClockDef& def) const {
  const Policy& p = policy_of(o);
  if (!def.calendar.empty()) return p.calendar(def.calendar);
  if (o.department < 0) {
    throw Error(ErrorCode::invalid_state, fmt::format("order {}", o.id),
                fmt::format("clock \"{}\" runs on the department's calendar: dispatch the order to "
                            "a department first",
                            def.id));
  }
  return p.calendar(p.departments()[static_cast<std::size_t>(o.department)].calendar);
}

Order& Engine::Impl::get(OrderId id) {
  if (id == 0 || id > orders.size()) {
    throw Error(ErrorCode::not_found, "order", fmt::format("unknown work order {}", id));
  }
  return orders[id - 1];
}

void Engine::Impl::check_time(Instant now) const {
  if (now < last_now) {
    throw Error(ErrorCode::invalid_argument, "now",
                fmt::format("time went backwards: {} is before the last command or advance ({})",
                            format_instant(now), format_instant(last_now)));
  }
}

std::string_view Engine::Impl::recipient(const Order& o, Role r) const {
  const Policy& p = policy_of(o);
  if (r == Role::general_manager) return p.general_manager();
  const int dep = o.department >= 0 ? o.department : p.home_department();
  if (dep < 0) return {};
  const Department& d = p.departments()[static_cast<std::size_t>(dep)];
  return r == Role::team_lead ? std::string_view(d.team_lead) : std::string_view(d.department_head);
}

Instant Engine::Impl::deliver_at(const Order& o, Instant due) const {
  const Policy& p = policy_of(o);
  const calendar::Calendar* quiet = p.quiet_hours();
  if (!quiet) return due;
  const auto& ex = p.quiet_hours_except();
  if (std::find(ex.begin(), ex.end(), o.severity) != ex.end()) return due;
  if (quiet->is_open(due)) return due;
  return quiet->next_open(due).value_or(due);
}

// ---------------------------------------------------------------------------------------------
// Clocks

Instant Engine::Impl::compute_deadline(const Order& o, const ClockDef& def, const Clock& c,
                                       Instant since, Duration consumed, std::string* bound) const {
  const calendar::Calendar& cal = calendar_of(o, def);
  const Duration remaining = std::max(Duration::zero(), c.target - consumed);
  Instant eff = cal.add_business(since, remaining);
  if (bound) *bound = "policy";
  if (def.customer_deadline) {
    if (o.promised && *o.promised < eff) {
      eff = *o.promised;
      if (bound) *bound = "promised";
    }
    if (o.special && *o.special < eff) {
      eff = *o.special;
      if (bound) *bound = "special";
    }
  }
  return eff;
}

void Engine::Impl::schedule(Order& o, std::size_t ci) {
  Clock& c = o.clocks[ci];
  c.generation = ++generation;
  if (c.state != ClockState::running) return;
  const Workflow& w = workflow_of(o);
  const ClockDef& def = w.clocks[ci];
  const calendar::Calendar& cal = calendar_of(o, def);
  c.deadline = compute_deadline(o, def, c, c.since, c.consumed, nullptr);
  Instant due;
  if (c.warnings < def.warn_at.size()) {
    const Duration total = c.consumed + cal.business_between(c.since, c.deadline);
    const auto need = Duration{static_cast<std::int64_t>(
        std::llround(def.warn_at[c.warnings] * static_cast<double>(total.count())))};
    due = need > c.consumed ? cal.add_business(c.since, need - c.consumed) : c.since;
    due = std::min(due, c.deadline);
  } else if (!c.breached) {
    due = c.deadline;
  } else {
    const std::size_t rungs = std::max<std::size_t>(1, def.ladder.size());
    if (static_cast<std::size_t>(c.level + 1) >= rungs) return;  // top of the ladder
    due = cal.add_business(std::max(c.deadline, c.since), def.every * (c.level + 1));
  }
  timers.push(Timer{due, o.id, static_cast<std::uint16_t>(ci), c.generation});
}

void Engine::Impl::run_stretch(Order& o, std::size_t ci, Instant now) {
  Clock& c = o.clocks[ci];
  if (c.state != ClockState::running) return;
  const ClockDef& def = workflow_of(o).clocks[ci];
  c.consumed += calendar_of(o, def).business_between(c.since, now);
  c.since = now;
}

void Engine::Impl::start_clock(Order& o, std::size_t ci, Instant now) {
  const ClockDef& def = workflow_of(o).clocks[ci];
  Clock& c = o.clocks[ci];
  c = Clock{};
  c.state = ClockState::running;
  c.started = c.since = now;
  c.target = def.target[static_cast<std::size_t>(o.severity)];
  (void)calendar_of(o, def);  // a department clock needs a department
}

void Engine::Impl::sync_clocks(Order& o, Instant now, bool reopen) {
  const Workflow& w = workflow_of(o);
  const bool final_state = w.final_state[o.state];
  for (std::size_t ci = 0; ci < w.clocks.size(); ++ci) {
    const ClockDef& def = w.clocks[ci];
    Clock& c = o.clocks[ci];
    const bool active = c.state == ClockState::running || c.state == ClockState::paused;
    if (active && (final_state || contains(def.stop, o.state))) {
      run_stretch(o, ci, now);
      c.state = ClockState::stopped;
      c.stopped_at = now;
      schedule(o, ci);
      continue;
    }
    if (contains(def.start, o.state) && !final_state &&
        (c.state == ClockState::idle || (reopen && c.state == ClockState::stopped))) {
      start_clock(o, ci, now);
    }
    const bool should_pause = o.paused || contains(def.pause, o.state);
    if (c.state == ClockState::running && should_pause) {
      run_stretch(o, ci, now);
      c.state = ClockState::paused;
      schedule(o, ci);
    } else if (c.state == ClockState::paused && !should_pause) {
      c.state = ClockState::running;
      c.since = now;
      schedule(o, ci);
    } else if (c.state == ClockState::running && c.generation == 0) {
      schedule(o, ci);  // just started
    }
  }
}

void Engine::Impl::reschedule_all(Order& o, Instant now) {
  for (std::size_t ci = 0; ci < o.clocks.size(); ++ci) {
    if (o.clocks[ci].state == ClockState::running) {
      run_stretch(o, ci, now);
      schedule(o, ci);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

template <class Body, class Fn>
Result Engine::Impl::command(std::string_view kind, OrderId target, Instant now,
                             std::string_view key, Body&& make_body, Fn&& fn) {
  // The command's JSON is built only when something keeps it (a store, an idempotency key).
  const bool persist = store != nullptr && !replaying;
  std::uint64_t digest = 0;
  std::string text;
  if (persist || !key.empty()) {
    Json body = make_body();
    body["kind"] = std::string(kind);
    if (target != 0) body["order"] = target;
    // The digest leaves the time out: a retry comes later than the first attempt.
    if (!key.empty())
      digest = detail::fnv1a(body.dump(-1, ' ', false, Json::error_handler_t::replace));
    body["now"] = to_unix_ms(now);
    if (persist) text = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  if (!key.empty()) {
    auto it = keys.find(std::string(key));
    if (it != keys.end()) {
      if (it->second.digest != digest) {
        throw Error(ErrorCode::already_exists, "key",
                    fmt::format("idempotency key \"{}\" was already used for a different command "
                                "(sequence {})",
                                key, it->second.seq));
      }
      Result r;
      r.order = it->second.order;
      r.seq = it->second.seq;
      r.duplicate = true;
      return r;
    }
  }
  check_time(now);
  // Backups: the target order, or the order count for a creation.
  const std::size_t count_before = orders.size();
  std::optional<Order> backup;
  if (target != 0) backup = get(target);
  const std::uint64_t seq_before = seq;
  const Instant last_before = last_now;
  const std::size_t customers_before = target == 0 ? 1 : 0;
  (void)customers_before;
  try {
    Result r = fn();
    const std::uint64_t my_seq = ++seq;
    r.seq = my_seq;
    last_now = now;
    if (store && !replaying) {
      Commit commit;
      StoredEvent ev;
      ev.seq = my_seq;
      ev.order = r.order;
      ev.at = now;
      ev.kind = std::string(kind);
      ev.body = text;
      commit.events.push_back(std::move(ev));
      for (const Notice& n : r.notices) commit.events.push_back(derived_event(n, now));
      if (store->keeps_states() && r.order != 0) {
        commit.states.emplace_back(r.order, order_to_json(orders[r.order - 1]));
        commit.states.emplace_back(0, engine_state_json());
      }
      commit.idempotency_key = std::string(key);
      commit.digest = digest;
      commit.key_order = r.order;
      store->write(commit);
    }
    if (!key.empty()) keys.emplace(std::string(key), KeyEntry{digest, r.order, my_seq});
    return r;
  } catch (...) {
    seq = seq_before;
    last_now = last_before;
    if (backup) {
      orders[target - 1] = std::move(*backup);
    } else if (orders.size() > count_before) {
      const Order& o = orders.back();
      auto& list = by_customer[o.customer];
      if (!list.empty() && list.back().second == o.id) list.pop_back();
      if (!o.closed) --open;
      orders.pop_back();
    }
    throw;
  }
}

StoredEvent Engine::Impl::derived_event(const Notice& n, Instant now) {
  StoredEvent ev;
  ev.seq = ++seq;
  ev.order = n.order;
  ev.at = now;
  ev.kind = to_string(n.kind);
  Json b{{"due", to_unix_ms(n.due)}, {"deliver_at", to_unix_ms(n.deliver_at)}, {"level", n.level}};
  if (!n.clock.empty()) b["clock"] = std::string(n.clock);
  if (n.kind == NoticeKind::warning) b["fraction"] = n.fraction;
  if (n.kind == NoticeKind::repeat) b["count"] = n.count;
  if (n.level >= 0) {
    b["role"] = to_string(n.role);
    b["recipient"] = std::string(n.recipient);
  }
  ev.body = b.dump(-1, ' ', false, Json::error_handler_t::replace);
  ev.derived = true;
  return ev;
}

Result Engine::Impl::do_create(const NewOrder& in, Instant now) {
  const Policy& p = policies[current];
  const int cat = p.category_index(in.category);
  if (cat < 0) {
    std::vector<std::string> names;
    for (const auto& c : p.categories()) names.push_back(c.first);
    throw Error(ErrorCode::not_found, "category",
                fmt::format("unknown category \"{}\" (known: {})", in.category, join(names)));
  }
  int dep = -1;
  if (!in.department.empty()) {
    dep = p.department_index(in.department);
    if (dep < 0) {
      throw Error(ErrorCode::not_found, "department",
                  fmt::format("unknown department \"{}\"", in.department));
    }
  }
  if (in.customer.empty())
    throw Error(ErrorCode::invalid_argument, "customer", "customer is empty");
  if (in.owner.empty()) {
    throw Error(ErrorCode::invalid_argument, "owner",
                "the first-contact owner (the agent who took the order) is required");
  }
  for (auto [d, what] : {std::pair{in.promised, "promised"}, std::pair{in.special, "special"}}) {
    if (d && *d < now) {
      throw Error(ErrorCode::invalid_argument, what,
                  fmt::format("the {} deadline {} is before the order's creation ({})", what,
                              format_instant(*d), format_instant(now)));
    }
  }
  if (orders.size() >= kMaxOrders) {
    throw Error(ErrorCode::limit, "orders", fmt::format("at most {} work orders", kMaxOrders));
  }
  Order o;
  o.id = orders.size() + 1;
  o.customer = in.customer;
  o.channel = in.channel;
  o.category = static_cast<std::uint16_t>(cat);
  o.severity = in.severity;
  o.owner = in.owner;
  o.department = dep;
  o.handler = in.handler.empty() ? in.owner : in.handler;
  o.promised = in.promised;
  o.special = in.special;
  o.fields = in.fields;
  o.created = now;
  o.policy_version = current;
  const Workflow& w = p.workflows()[p.categories()[o.category].second];
  o.state = w.initial;
  o.clocks.resize(w.clocks.size());
  Result r;
  r.order = o.id;

  // Repeat complaints: this order included, `count` within the window.
  auto& history = by_customer[o.customer];
  if (const auto& rule = p.repeat_rule()) {
    auto counts = [&](std::uint16_t c) {
      return rule->categories.empty() ||
             std::find(rule->categories.begin(), rule->categories.end(), p.categories()[c].first) !=
                 rule->categories.end();
    };
    if (counts(o.category)) {
      int n = 1;
      for (auto it = history.rbegin();
           it != history.rend() && elapsed(it->first, now) < rule->window; ++it) {
        if (counts(orders[it->second - 1].category)) ++n;
      }
      if (n >= rule->count) {
        o.repeat_complaint = true;
        o.severity = std::max(o.severity, rule->raise_to);
        o.regulator_risk = o.regulator_risk || rule->flag_regulator_risk;
        Notice nt;
        nt.kind = NoticeKind::repeat;
        nt.order = o.id;
        nt.due = now;
        nt.deliver_at = now;
        nt.count = n;
        r.notices.push_back(nt);
      }
    }
  }
  // Immediate escalation.
  int level = -1;
  for (const ImmediateRule& rule : p.immediate_rules()) {
    auto any = [](const auto& v, const auto& x) {
      return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
    };
    if (any(rule.severities, o.severity) && any(rule.channels, o.channel) &&
        any(rule.categories, p.categories()[o.category].first) &&
        (!rule.regulator_risk_only || o.regulator_risk)) {
      level = std::max(level, static_cast<int>(rule.level));
    }
  }
  orders.push_back(std::move(o));
  history.emplace_back(now, orders.back().id);
  ++open;
  Order& ord = orders.back();
  ord.level = level;
  for (int l = 0; l <= level; ++l) {
    Notice nt;
    nt.kind = NoticeKind::immediate;
    nt.order = ord.id;
    nt.due = now;
    nt.deliver_at = deliver_at(ord, now);
    nt.level = l;
    nt.role = static_cast<Role>(l);
    nt.recipient = recipient(ord, nt.role);
    r.notices.push_back(nt);
  }
  sync_clocks(ord, now, false);
  return r;
}

Result Engine::Impl::do_transition(OrderId id, std::string_view name, const Actor& actor,
                                   const std::map<std::string, std::string, std::less<>>& fields,
                                   Instant now) {
  Order& o = get(id);
  const Workflow& w = workflow_of(o);
  const int ti = w.transition_index(name);
  auto allowed_here = [&] {
    std::vector<std::string> names;
    for (const Transition& t : w.transitions) {
      if (contains(t.from, o.state)) names.push_back(t.name);
    }
    return names.empty() ? std::string("none") : join(names);
  };
  if (ti < 0) {
    throw Error(ErrorCode::not_found, "transition",
                fmt::format("order {}: workflow \"{}\" has no transition \"{}\" (from \"{}\": {})",
                            id, w.id, name, w.states[o.state], allowed_here()));
  }
  const Transition& t = w.transitions[static_cast<std::size_t>(ti)];
  if (!contains(t.from, o.state)) {
    throw Error(ErrorCode::invalid_state, "transition",
                fmt::format("order {}: \"{}\" is not allowed from state \"{}\" (allowed: {})", id,
                            name, w.states[o.state], allowed_here()));
  }
  if (!t.roles.empty()) {
    bool ok = false;
    for (const std::string& role : t.roles) {
      if (role == "owner") {
        ok = ok || actor.id == o.owner;
      } else if (role == "handler") {
        ok = ok || actor.id == o.handler ||
             std::find(o.co_handlers.begin(), o.co_handlers.end(), actor.id) != o.co_handlers.end();
      } else {
        ok = ok || role == actor.role;
      }
    }
    if (!ok) {
      throw Error(ErrorCode::invalid_argument, "actor",
                  fmt::format("order {}: {} (role \"{}\") may not take \"{}\" (allowed: {})", id,
                              actor.id.empty() ? "(anonymous)" : actor.id, actor.role, name,
                              join(t.roles)));
    }
  }
  for (const std::string& f : t.requires_fields) {
    auto it = fields.find(f);
    if (it == fields.end() || it->second.empty()) {
      throw Error(ErrorCode::invalid_argument, fmt::format("fields/{}", f),
                  fmt::format("order {}: \"{}\" requires the field \"{}\"", id, name, f));
    }
  }
  std::optional<bool> satisfied;
  if (t.records_satisfaction) {
    const std::string& v = fields.find("satisfied")->second;
    if (v != "yes" && v != "no") {
      throw Error(ErrorCode::invalid_argument, "fields/satisfied",
                  fmt::format("order {}: satisfied must be \"yes\" or \"no\", not \"{}\"", id, v));
    }
    satisfied = v == "yes";
  }
  const bool was_closed = o.closed;
  for (const auto& [k, v] : fields) o.fields[k] = v;
  o.state = t.to;
  o.closed = w.final_state[t.to];
  if (t.reopens) {
    o.resolved = o.replied = false;
    o.satisfied.reset();
  }
  if (t.marks_resolved) o.resolved = true;
  if (t.marks_replied) o.replied = true;
  if (satisfied) o.satisfied = satisfied;
  if (o.closed) {
    o.closed_at = now;
    o.paused = false;
  } else {
    o.closed_at.reset();
  }
  if (was_closed != o.closed) open += o.closed ? std::size_t(-1) : 1;
  sync_clocks(o, now, t.reopens || was_closed);
  Result r;
  r.order = id;
  return r;
}

Result Engine::Impl::do_assign(OrderId id, std::string_view department, std::string_view handler,
                               Instant now) {
  Order& o = get(id);
  if (o.closed) {
    throw Error(ErrorCode::invalid_state, "order", fmt::format("order {} is closed", id));
  }
  const Policy& p = policy_of(o);
  const int dep = p.department_index(department);
  if (dep < 0) {
    throw Error(ErrorCode::not_found, "department",
                fmt::format("unknown department \"{}\"", department));
  }
  if (handler.empty()) throw Error(ErrorCode::invalid_argument, "handler", "handler is empty");
  // Department clocks: close the stretch on the old calendar, continue on the new one.
  const Workflow& w = workflow_of(o);
  for (std::size_t ci = 0; ci < w.clocks.size(); ++ci) {
    if (w.clocks[ci].calendar.empty() && o.department >= 0) run_stretch(o, ci, now);
  }
  o.department = dep;
  o.handler = std::string(handler);
  for (std::size_t ci = 0; ci < w.clocks.size(); ++ci) {
    if (w.clocks[ci].calendar.empty() && o.clocks[ci].state == ClockState::running) {
      o.clocks[ci].since = now;
      schedule(o, ci);
    }
  }
  sync_clocks(o, now, false);
  Result r;
  r.order = id;
  return r;
}

Result Engine::Impl::do_co_handler(OrderId id, std::string_view person) {
  Order& o = get(id);
  if (person.empty()) throw Error(ErrorCode::invalid_argument, "person", "person is empty");
  if (std::find(o.co_handlers.begin(), o.co_handlers.end(), person) != o.co_handlers.end()) {
    throw Error(ErrorCode::already_exists, "person",
                fmt::format("order {}: {} is already a co-handler", id, person));
  }
  o.co_handlers.emplace_back(person);
  Result r;
  r.order = id;
  return r;
}

Result Engine::Impl::do_pause(OrderId id, bool pause, Instant now) {
  Order& o = get(id);
  if (o.closed)
    throw Error(ErrorCode::invalid_state, "order", fmt::format("order {} is closed", id));
  if (o.paused == pause) {
    throw Error(ErrorCode::invalid_state, "order",
                fmt::format("order {} is {} paused", id, pause ? "already" : "not"));
  }
  o.paused = pause;
  sync_clocks(o, now, false);
  Result r;
  r.order = id;
  return r;
}

Result Engine::Impl::do_deadline(OrderId id, bool special, Instant deadline, Instant now) {
  Order& o = get(id);
  if (o.closed)
    throw Error(ErrorCode::invalid_state, "order", fmt::format("order {} is closed", id));
  if (deadline < now) {
    throw Error(ErrorCode::invalid_argument, "deadline",
                fmt::format("order {}: the deadline {} is in the past (now {})", id,
                            format_instant(deadline), format_instant(now)));
  }
  (special ? o.special : o.promised) = deadline;
  reschedule_all(o, now);
  Result r;
  r.order = id;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Timers

void Engine::Impl::fire(Order& o, std::size_t ci, Instant due, std::vector<Notice>& out) {
  Clock& c = o.clocks[ci];
  const ClockDef& def = workflow_of(o).clocks[ci];
  Notice n;
  n.order = o.id;
  n.clock = def.id;
  n.due = due;
  if (c.warnings < def.warn_at.size()) {
    n.kind = NoticeKind::warning;
    n.fraction = def.warn_at[c.warnings];
    ++c.warnings;
  } else if (!c.breached) {
    n.kind = NoticeKind::breach;
    c.breached = true;
    c.level = 0;
  } else {
    n.kind = NoticeKind::escalation;
    ++c.level;
  }
  if (n.kind != NoticeKind::warning) {
    n.level = c.level;
    n.role = def.ladder.empty() ? Role::team_lead : def.ladder[static_cast<std::size_t>(c.level)];
    n.recipient = recipient(o, n.role);
    o.level = std::max(o.level, static_cast<int>(n.role));
  }
  n.deliver_at = deliver_at(o, due);
  out.push_back(n);
  schedule(o, ci);
}

void Engine::Impl::advance(Instant now, std::vector<Notice>& out) {
  check_time(now);
  const std::size_t first = out.size();
  std::vector<OrderId> changed;
  bool policy_applied = false;
  for (;;) {
    while (!timers.empty()) {
      const Timer& t = timers.top();
      const Order& o = orders[t.order - 1];
      if (o.clocks[t.clock].generation == t.generation) break;
      timers.pop();
    }
    const PolicyChange* pending = nullptr;
    for (const PolicyChange& pc : changes) {
      if (!pc.applied && (!pending || pc.effective < pending->effective)) pending = &pc;
    }
    if (pending && pending->effective <= now &&
        (timers.empty() || pending->effective <= timers.top().due)) {
      apply_policy(pending->version);
      policy_applied = true;
      continue;
    }
    if (timers.empty() || timers.top().due > now) break;
    const Timer t = timers.top();
    timers.pop();
    Order& o = orders[t.order - 1];
    fire(o, t.clock, t.due, out);
    if (store && store->keeps_states()) changed.push_back(o.id);
  }
  const bool fired = out.size() > first || policy_applied;
  if (!fired) {
    last_now = std::max(last_now, now);
    return;
  }
  last_now = now;
  ++seq;
  if (!store || replaying) return;
  Commit commit;
  StoredEvent ev;
  ev.seq = seq;
  ev.at = now;
  ev.kind = "advance";
  ev.body = Json{{"kind", "advance"}, {"now", to_unix_ms(now)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  commit.events.push_back(std::move(ev));
  for (std::size_t i = first; i < out.size(); ++i)
    commit.events.push_back(derived_event(out[i], now));
  if (store->keeps_states()) {
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    if (policy_applied) {
      changed.clear();
      for (const Order& o : orders) changed.push_back(o.id);
    }
    for (OrderId id : changed) commit.states.emplace_back(id, order_to_json(orders[id - 1]));
    commit.states.emplace_back(0, engine_state_json());
  }
  // The timers have fired and cannot be taken back: a store failure here is reported, and the
  // same notices are produced again by recovery (the advance event is not in the store).
  store->write(commit);
}

// ---------------------------------------------------------------------------------------------
// Policy changes

bool Engine::Impl::compatible(const Order& o, const Policy& np, int& cat, int& dep) const {
  const Policy& op = policy_of(o);
  cat = np.category_index(op.categories()[o.category].first);
  if (cat < 0) return false;
  const Workflow& ow = workflow_of(o);
  const Workflow& nw = np.workflows()[np.categories()[static_cast<std::size_t>(cat)].second];
  if (ow.states != nw.states || ow.clocks.size() != nw.clocks.size()) return false;
  for (std::size_t i = 0; i < ow.clocks.size(); ++i) {
    if (ow.clocks[i].id != nw.clocks[i].id) return false;
  }
  dep = -1;
  if (o.department >= 0) {
    dep = np.department_index(op.departments()[static_cast<std::size_t>(o.department)].id);
    if (dep < 0) return false;
  }
  return true;
}

std::vector<TimerMove> Engine::Impl::retarget(std::uint32_t version, bool apply,
                                              std::vector<OrderId>* kept) {
  std::vector<TimerMove> moves;
  const Policy& np = policies[version];
  for (Order& o : orders) {
    if (o.closed || o.policy_version >= version) continue;
    int cat = 0, dep = -1;
    if (!compatible(o, np, cat, dep)) {
      if (kept) kept->push_back(o.id);
      continue;
    }
    Order moved = o;
    moved.policy_version = version;
    moved.category = static_cast<std::uint16_t>(cat);
    moved.department = dep;
    const Workflow& w = workflow_of(moved);
    for (std::size_t ci = 0; ci < w.clocks.size(); ++ci) {
      Clock& c = moved.clocks[ci];
      if (c.state != ClockState::running && c.state != ClockState::paused) continue;
      // Business time is additive, so the deadline from the current stretch's start is the
      // same as one split at `at`; a target already exceeded gives a deadline in the past,
      // which fires when the change applies.
      const Instant old_deadline = c.deadline;
      c.target = w.clocks[ci].target[static_cast<std::size_t>(moved.severity)];
      c.deadline = compute_deadline(moved, w.clocks[ci], c, c.since, c.consumed, nullptr);
      if (c.deadline != old_deadline)
        moves.push_back({o.id, w.clocks[ci].id, old_deadline, c.deadline});
    }
    if (apply) {
      o = std::move(moved);
      for (std::size_t ci = 0; ci < o.clocks.size(); ++ci) {
        if (o.clocks[ci].state == ClockState::running) schedule(o, ci);
      }
    }
  }
  return moves;
}

void Engine::Impl::apply_policy(std::uint32_t version) {
  PolicyChange& pc = changes[version - 1];
  pc.kept.clear();
  pc.moved = retarget(version, true, &pc.kept);
  pc.applied = true;
  current = std::max(current, version);
}

PolicyChange Engine::Impl::change_policy(Policy np, Instant effective, Instant now,
                                         bool from_replay) {
  check_time(now);
  if (effective < now) {
    throw Error(ErrorCode::invalid_argument, "effective",
                fmt::format("a policy change cannot be back-dated ({} is before now, {})",
                            format_instant(effective), format_instant(now)));
  }
  if (policies.size() >= kMaxPolicies) {
    throw Error(ErrorCode::limit, "policy",
                fmt::format("at most {} policy versions", kMaxPolicies));
  }
  const auto version = static_cast<std::uint32_t>(policies.size());
  policies.push_back(std::move(np));
  PolicyChange pc;
  pc.version = version;
  pc.effective = effective;
  changes.push_back(pc);
  try {
    if (effective == now) {
      apply_policy(version);
    } else {
      changes.back().moved = retarget(version, false, &changes.back().kept);
    }
    ++seq;
    last_now = now;
    if (store && !replaying && !from_replay) {
      Commit commit;
      StoredEvent ev;
      ev.seq = seq;
      ev.at = now;
      ev.kind = "policy";
      ev.body = Json{{"kind", "policy"},
                     {"now", to_unix_ms(now)},
                     {"effective", to_unix_ms(effective)},
                     {"policy", Json::parse(policies.back().canonical_json())}}
                    .dump(-1, ' ', false, Json::error_handler_t::replace);
      commit.events.push_back(std::move(ev));
      commit.policy_json = policies.back().canonical_json();
      commit.policy_effective = effective;
      if (store->keeps_states()) {
        if (changes.back().applied) {
          for (const Order& o : orders) commit.states.emplace_back(o.id, order_to_json(o));
        }
        commit.states.emplace_back(0, engine_state_json());
      }
      store->write(commit);
    }
  } catch (...) {
    // Applied changes touch many orders: a failure here is rare (store I/O); rebuild from the
    // store would be the safe answer, so report it as such.
    policies.pop_back();
    changes.pop_back();
    throw;
  }
  return changes.back();
}

// ---------------------------------------------------------------------------------------------
// Engine

Engine::Engine(Policy policy) : Engine(std::move(policy), memory_store()) {}

Engine::Engine(Policy policy, std::unique_ptr<Store> store) : impl_(std::make_unique<Impl>()) {
  impl_->policies.push_back(std::move(policy));
  impl_->store = std::move(store);
  if (impl_->store) impl_->recover();
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

Result Engine::create(const NewOrder& in, Instant now, std::string_view key) {
  auto body = [&] {
    Json b{{"customer", in.customer}, {"channel", to_string(in.channel)},
           {"category", in.category}, {"severity", to_string(in.severity)},
           {"owner", in.owner},       {"department", in.department},
           {"handler", in.handler},   {"fields", fields_json(in.fields)}};
    if (in.promised) b["promised"] = to_unix_ms(*in.promised);
    if (in.special) b["special"] = to_unix_ms(*in.special);
    return b;
  };
  return impl_->command("create", 0, now, key, body, [&] { return impl_->do_create(in, now); });
}

Result Engine::transition(OrderId id, std::string_view name, const Actor& actor,
                          const std::map<std::string, std::string, std::less<>>& fields,
                          Instant now, std::string_view key) {
  impl_->get(id);
  auto b = [&] {
    return Json{{"name", name}, {"actor", actor_json(actor)}, {"fields", fields_json(fields)}};
  };
  return impl_->command("transition", id, now, key, b,
                        [&] { return impl_->do_transition(id, name, actor, fields, now); });
}

Result Engine::assign(OrderId id, std::string_view department, std::string_view handler,
                      const Actor& actor, Instant now, std::string_view key) {
  impl_->get(id);
  auto b = [&] {
    return Json{{"department", department}, {"handler", handler}, {"actor", actor_json(actor)}};
  };
  return impl_->command("assign", id, now, key, b,
                        [&] { return impl_->do_assign(id, department, handler, now); });
}

Result Engine::add_co_handler(OrderId id, std::string_view person, const Actor& actor, Instant now,
                              std::string_view key) {
  impl_->get(id);
  auto b = [&] { return Json{{"person", person}, {"actor", actor_json(actor)}}; };
  return impl_->command("co_handler", id, now, key, b,
                        [&] { return impl_->do_co_handler(id, person); });
}

Result Engine::pause(OrderId id, std::string_view reason, const Actor& actor, Instant now,
                     std::string_view key) {
  impl_->get(id);
  auto b = [&] { return Json{{"reason", reason}, {"actor", actor_json(actor)}}; };
  return impl_->command("pause", id, now, key, b, [&] { return impl_->do_pause(id, true, now); });
}

Result Engine::resume(OrderId id, const Actor& actor, Instant now, std::string_view key) {
  impl_->get(id);
  auto b = [&] { return Json{{"actor", actor_json(actor)}}; };
  return impl_->command("resume", id, now, key, b, [&] { return impl_->do_pause(id, false, now); });
}

Result Engine::set_promised(OrderId id, Instant deadline, const Actor& actor, Instant now,
                            std::string_view key) {
  impl_->get(id);
  auto b = [&] { return Json{{"deadline", to_unix_ms(deadline)}, {"actor", actor_json(actor)}}; };
  return impl_->command("promised", id, now, key, b,
                        [&] { return impl_->do_deadline(id, false, deadline, now); });
}

Result Engine::set_special(OrderId id, Instant deadline, const Actor& actor, Instant now,
                           std::string_view key) {
  impl_->get(id);
  auto b = [&] { return Json{{"deadline", to_unix_ms(deadline)}, {"actor", actor_json(actor)}}; };
  return impl_->command("special", id, now, key, b,
                        [&] { return impl_->do_deadline(id, true, deadline, now); });
}

std::vector<Notice> Engine::advance(Instant now) {
  std::vector<Notice> out;
  impl_->advance(now, out);
  return out;
}

void Engine::advance(Instant now, std::vector<Notice>& out) { impl_->advance(now, out); }

std::optional<Instant> Engine::next_due() const {
  auto& timers = impl_->timers;
  while (!timers.empty()) {
    const Timer& t = timers.top();
    if (impl_->orders[t.order - 1].clocks[t.clock].generation == t.generation) return t.due;
    timers.pop();  // stale: dropping it changes nothing observable
  }
  return std::nullopt;
}

PolicyChange Engine::change_policy(Policy policy, Instant effective, Instant now) {
  return impl_->change_policy(std::move(policy), effective, now, false);
}

const std::vector<PolicyChange>& Engine::policy_changes() const noexcept { return impl_->changes; }

void Engine::flush() {
  if (impl_->store) impl_->store->flush();
}

const Order& Engine::order(OrderId id) const { return impl_->get(id); }
const Order* Engine::find(OrderId id) const noexcept {
  return id == 0 || id > impl_->orders.size() ? nullptr : &impl_->orders[id - 1];
}
std::size_t Engine::order_count() const noexcept { return impl_->orders.size(); }
std::size_t Engine::open_count() const noexcept { return impl_->open; }
Instant Engine::last_time() const noexcept { return impl_->last_now; }
const Policy& Engine::policy() const noexcept { return impl_->policies.back(); }
const Policy& Engine::policy_of(const Order& o) const { return impl_->policy_of(o); }
std::string_view Engine::state_name(const Order& o) const {
  return impl_->workflow_of(o).states[o.state];
}
std::string_view Engine::category_name(const Order& o) const {
  return impl_->policy_of(o).categories()[o.category].first;
}
std::string_view Engine::department_name(const Order& o) const {
  if (o.department < 0) return {};
  return impl_->policy_of(o).departments()[static_cast<std::size_t>(o.department)].id;
}

DeadlineExplanation Engine::explain(OrderId id, std::string_view clock) const {
  const Order& o = impl_->get(id);
  const Workflow& w = impl_->workflow_of(o);
  std::size_t ci = 0;
  while (ci < w.clocks.size() && w.clocks[ci].id != clock) ++ci;
  if (ci == w.clocks.size()) {
    throw Error(ErrorCode::not_found, "clock",
                fmt::format("workflow \"{}\" has no clock \"{}\"", w.id, clock));
  }
  const ClockDef& def = w.clocks[ci];
  const Clock& c = o.clocks[ci];
  if (c.state == ClockState::idle) {
    throw Error(ErrorCode::invalid_state, "clock",
                fmt::format("order {}: clock \"{}\" has not started", id, clock));
  }
  const calendar::Calendar& cal = impl_->calendar_of(o, def);
  DeadlineExplanation e;
  e.clock = def.id;
  e.calendar =
      def.calendar.empty()
          ? impl_->policy_of(o).departments()[static_cast<std::size_t>(o.department)].calendar
          : def.calendar;
  e.target = c.target;
  e.consumed = c.consumed;
  e.since = c.since;
  e.policy_deadline = cal.add_business(c.since, std::max(Duration::zero(), c.target - c.consumed));
  if (def.customer_deadline) {
    e.promised = o.promised;
    e.special = o.special;
  }
  e.effective = impl_->compute_deadline(o, def, c, c.since, c.consumed, &e.bound);
  if (e.effective > c.since) e.segments = cal.explain(c.since, e.effective);
  return e;
}

std::string DeadlineExplanation::text(const calendar::Calendar& cal) const {
  std::string out = fmt::format("clock {} on calendar \"{}\": target {} of business time\n", clock,
                                calendar, format_duration(target));
  out += fmt::format("  used before {}: {}\n", cal.format_time(since), format_duration(consumed));
  out += fmt::format("  policy deadline: {} (+{} of business time)\n",
                     cal.format_time(policy_deadline),
                     format_duration(std::max(Duration::zero(), target - consumed)));
  if (promised) out += fmt::format("  promised to the customer: {}\n", cal.format_time(*promised));
  if (special) out += fmt::format("  customer's special deadline: {}\n", cal.format_time(*special));
  out += fmt::format("  effective deadline: {} ({})\n", cal.format_time(effective), bound);
  for (const calendar::Segment& s : segments) {
    out += fmt::format("    open {} .. {}  {} {}\n", cal.format_time(s.start),
                       cal.format_time(s.end), calendar::to_string(s.kind), s.name);
  }
  return out;
}

std::vector<StoredEvent> Engine::history(OrderId id) const {
  impl_->get(id);
  if (!impl_->store) {
    throw Error(ErrorCode::invalid_state, "history",
                "this engine has no store (constructed with a null store): no history is kept");
  }
  return impl_->store->history(id);
}

std::string Engine::order_json(OrderId id) const { return impl_->order_to_json(impl_->get(id)); }

std::string Engine::durability() const {
  return impl_->store ? impl_->store->durability() : "nothing is kept (no store)";
}

Kpis Engine::kpis() const {
  Kpis k;
  struct Acc {
    int due = 0, met = 0;
  };
  std::map<std::tuple<std::string, std::string, int>, Acc> acc;
  std::map<std::string, std::vector<Duration>> times;
  const Instant now = impl_->last_now;
  for (const Order& o : impl_->orders) {
    const Workflow& w = impl_->workflow_of(o);
    const std::string cat(category_name(o));
    const std::string dep =
        o.department < 0 ? std::string("(none)") : std::string(department_name(o));
    for (std::size_t ci = 0; ci < w.clocks.size(); ++ci) {
      const Clock& c = o.clocks[ci];
      if (!w.clocks[ci].kpi || c.state == ClockState::idle) continue;
      const bool stopped = c.state == ClockState::stopped;
      if (!stopped && c.deadline > now) continue;  // not due yet
      const auto ymd = impl_->calendar_of(o, w.clocks[ci]).local_date(c.deadline);
      const int month =
          static_cast<int>(ymd.year()) * 12 + static_cast<int>(unsigned(ymd.month())) - 1;
      Acc& a = acc[{dep, cat, month}];
      ++a.due;
      if (stopped && *c.stopped_at <= c.deadline) ++a.met;
    }
    if (o.closed) {
      ++k.three.closed;
      k.three.resolved += o.resolved;
      k.three.replied += o.replied;
      if (o.satisfied) {
        ++k.three.surveyed;
        k.three.satisfied += *o.satisfied;
      }
      times[cat].push_back(elapsed(o.created, *o.closed_at));
    }
  }
  const double target = policy().timeliness_target();
  for (const auto& [key, a] : acc) {
    TimelinessRow row;
    row.department = std::get<0>(key);
    row.category = std::get<1>(key);
    const int m = std::get<2>(key);
    row.month = std::chrono::year{m / 12} / std::chrono::month{static_cast<unsigned>(m % 12 + 1)};
    row.due = a.due;
    row.met = a.met;
    row.rate = static_cast<double>(a.met) / a.due;
    row.pass = row.rate >= target - 1e-12;
    k.timeliness.push_back(row);
  }
  auto ratio = [](int a, int b) { return b == 0 ? std::nan("") : static_cast<double>(a) / b; };
  k.three.resolved_rate = ratio(k.three.resolved, k.three.closed);
  k.three.replied_rate = ratio(k.three.replied, k.three.closed);
  k.three.satisfied_rate = ratio(k.three.satisfied, k.three.surveyed);
  for (auto& entry : times) {
    const std::string& cat = entry.first;
    std::vector<Duration>& v = entry.second;  // a plain reference: clang 14 cannot capture bindings
    std::sort(v.begin(), v.end());
    ResolutionStats s;
    s.category = cat;
    s.count = static_cast<int>(v.size());
    // Summed in long double (exact to 2^64 ms): the durations may be as long as 64 bits allow.
    long double sum = 0;
    for (Duration d : v) sum += static_cast<long double>(d.count());
    s.mean = Duration{static_cast<std::int64_t>(sum / static_cast<long double>(v.size()))};
    // Nearest-rank percentiles.
    auto pct = [&](double p) {
      const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
      return v[std::max<std::size_t>(rank, 1) - 1];
    };
    s.p50 = pct(0.50);
    s.p90 = pct(0.90);
    s.p95 = pct(0.95);
    s.max = v.back();
    k.resolution.push_back(s);
  }
  return k;
}

std::vector<std::string> Engine::verify_replay() const {
  if (!impl_->store) return {"no store: nothing to replay"};
  Impl fresh;
  fresh.policies.push_back(impl_->policies.front());
  fresh.replaying = true;
  std::vector<std::string> problems;
  impl_->store->for_each_event([&](const StoredEvent& ev) {
    if (ev.derived) return;
    try {
      fresh.replay(ev);
    } catch (const Error& e) {
      problems.push_back(fmt::format("event {} ({}): {}", ev.seq, ev.kind, e.what()));
    }
  });
  if (fresh.orders.size() != impl_->orders.size()) {
    problems.push_back(fmt::format("replay has {} orders, the engine {}", fresh.orders.size(),
                                   impl_->orders.size()));
  }
  for (std::size_t i = 0; i < std::min(fresh.orders.size(), impl_->orders.size()); ++i) {
    const std::string a = fresh.order_to_json(fresh.orders[i]);
    const std::string b = impl_->order_to_json(impl_->orders[i]);
    if (a != b) problems.push_back(fmt::format("order {}: replay {} != state {}", i + 1, a, b));
  }
  return problems;
}

// Replay of one stored command (recovery from events, verify_replay).
void Engine::Impl::replay(const StoredEvent& ev) {
  const Json b = Json::parse(ev.body);
  const std::string kind = b.at("kind").get<std::string>();
  const Instant now = from_unix_ms(b.at("now").get<std::int64_t>());
  const OrderId id = b.contains("order") ? b.at("order").get<OrderId>() : 0;
  auto run = [&](auto&& fn) {
    command(
        kind, id, now, {}, [&] { return b; }, fn);
  };
  if (kind == "create") {
    NewOrder in;
    in.customer = b.at("customer").get<std::string>();
    in.channel = parse_channel(b.at("channel").get<std::string>());
    in.category = b.at("category").get<std::string>();
    in.severity = parse_severity(b.at("severity").get<std::string>());
    in.owner = b.at("owner").get<std::string>();
    in.department = b.at("department").get<std::string>();
    in.handler = b.at("handler").get<std::string>();
    in.fields = fields_from(b.at("fields"));
    if (b.contains("promised")) in.promised = from_unix_ms(b.at("promised").get<std::int64_t>());
    if (b.contains("special")) in.special = from_unix_ms(b.at("special").get<std::int64_t>());
    run([&] { return do_create(in, now); });
  } else if (kind == "transition") {
    const std::string name = b.at("name").get<std::string>();
    const Actor actor = actor_from(b.at("actor"));
    const auto fields = fields_from(b.at("fields"));
    run([&] { return do_transition(id, name, actor, fields, now); });
  } else if (kind == "assign") {
    const std::string dep = b.at("department").get<std::string>();
    const std::string handler = b.at("handler").get<std::string>();
    run([&] { return do_assign(id, dep, handler, now); });
  } else if (kind == "co_handler") {
    const std::string person = b.at("person").get<std::string>();
    run([&] { return do_co_handler(id, person); });
  } else if (kind == "pause" || kind == "resume") {
    run([&] { return do_pause(id, kind == "pause", now); });
  } else if (kind == "promised" || kind == "special") {
    const Instant d = from_unix_ms(b.at("deadline").get<std::int64_t>());
    run([&] { return do_deadline(id, kind == "special", d, now); });
  } else if (kind == "advance") {
    std::vector<Notice> ignored;
    advance(now, ignored);
  } else if (kind == "policy") {
    change_policy(
        Policy::from_json(b.at("policy").dump(-1, ' ', false, Json::error_handler_t::replace)),
        from_unix_ms(b.at("effective").get<std::int64_t>()), now, true);
  } else {
    throw Error(ErrorCode::invalid_state, fmt::format("event {}", ev.seq),
                fmt::format("unknown event kind \"{}\"", kind));
  }
}

}  // namespace hotline::escalation
