#include <string>
#include <vector>

#include <hotline/escalation.hpp>

#include "guard.hpp"
#include "handles.hpp"
#include "hotline_escalation.h"

struct hotline_escalation_policy {
  hotline::escalation::Policy policy;
};


namespace {

namespace esc = hotline::escalation;
using hotline::Error;
using hotline::ErrorCode;
using hotline::from_unix_ms;
using hotline::to_unix_ms;
using hotline::capi::copy_out;
using hotline::capi::guard;
using hotline::capi::require;
using Fields = std::map<std::string, std::string, std::less<>>;

std::string_view opt(const char* s) {
  return s == nullptr ? std::string_view() : std::string_view(s);
}

esc::Actor actor_of(const hotline_escalation_actor* a) {
  require(a, "actor");
  return esc::Actor{std::string(opt(a->id)), std::string(opt(a->role))};
}

Fields fields_of(const hotline_escalation_field* f, size_t n) {
  if (n > 0) require(f, "fields");
  Fields out;
  for (size_t i = 0; i < n; ++i) {
    if (f[i].key == nullptr || f[i].value == nullptr) {
      throw Error(ErrorCode::invalid_argument, "fields/" + std::to_string(i),
                  "a field's key and value must not be NULL");
    }
    out[f[i].key] = f[i].value;
  }
  return out;
}

using hotline::capi::raw;

template <class E>
E enum_of(int v, int max, const char* name) {
  if (v < 0 || v > max) {
    throw Error(ErrorCode::invalid_argument, name,
                std::string(name) + " is out of range (" + std::to_string(v) + ")");
  }
  return static_cast<E>(v);
}

int finish(hotline_escalation_result* out, hotline_escalation_engine* e, esc::Result r) {
  e->notices = std::move(r.notices);
  out->order = r.order;
  out->seq = r.seq;
  out->duplicate = r.duplicate;
  out->notice_count = e->notices.size();
  return HOTLINE_OK;
}

template <class Fn>
int command(hotline_escalation_result* out, hotline_escalation_engine* engine, Fn&& fn) {
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    return finish(out, engine, fn());
  });
}

}  // namespace

extern "C" {

int hotline_escalation_policy_from_json(hotline_escalation_policy** out, const char* json,
                                        size_t len, const char* base_dir) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(json, "json");
    *out = new hotline_escalation_policy{
        esc::Policy::from_json(std::string_view(json, len), base_dir ? base_dir : "")};
  });
}

int hotline_escalation_policy_load(hotline_escalation_policy** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    *out = new hotline_escalation_policy{esc::Policy::load(path)};
  });
}

void hotline_escalation_policy_free(hotline_escalation_policy* policy) { delete policy; }

int hotline_escalation_engine_new(hotline_escalation_engine** out,
                                  const hotline_escalation_policy* policy) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(policy, "policy");
    *out = new hotline_escalation_engine{esc::Engine(policy->policy), {}};
  });
}

int hotline_escalation_engine_open_sqlite(hotline_escalation_engine** out,
                                          const hotline_escalation_policy* policy, const char* path,
                                          const hotline_escalation_sqlite_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(policy, "policy");
    require(path, "path");
    esc::SqliteOptions o;
    if (options != nullptr) {
      if (options->version != HOTLINE_ESCALATION_SQLITE_OPTIONS_VERSION) {
        throw Error(ErrorCode::invalid_argument, "options.version",
                    "unknown options version " + std::to_string(options->version));
      }
      o.durability = enum_of<esc::Durability>(raw(options->durability), 2, "options.durability");
      if (options->group_size > 0) o.group_size = options->group_size;
    }
    *out =
        new hotline_escalation_engine{esc::Engine(policy->policy, esc::sqlite_store(path, o)), {}};
  });
}

void hotline_escalation_engine_free(hotline_escalation_engine* engine) { delete engine; }

int hotline_escalation_create(hotline_escalation_result* out, hotline_escalation_engine* engine,
                              const hotline_escalation_new_order* order, hotline_time_ms now,
                              const char* key) {
  return command(out, engine, [&] {
    require(order, "order");
    if (order->version != HOTLINE_ESCALATION_NEW_ORDER_VERSION) {
      throw Error(ErrorCode::invalid_argument, "order.version",
                  "unknown struct version " + std::to_string(order->version));
    }
    require(order->customer, "order.customer");
    require(order->category, "order.category");
    require(order->owner, "order.owner");
    esc::NewOrder n;
    n.customer = order->customer;
    n.channel = enum_of<esc::Channel>(raw(order->channel), 3, "order.channel");
    n.category = order->category;
    n.severity = enum_of<esc::Severity>(raw(order->severity), 3, "order.severity");
    n.owner = order->owner;
    n.department = opt(order->department);
    n.handler = opt(order->handler);
    if (order->has_promised) n.promised = from_unix_ms(order->promised);
    if (order->has_special) n.special = from_unix_ms(order->special);
    n.fields = fields_of(order->fields, order->field_count);
    return engine->engine.create(n, from_unix_ms(now), opt(key));
  });
}

int hotline_escalation_transition(hotline_escalation_result* out, hotline_escalation_engine* engine,
                                  uint64_t order, const char* name,
                                  const hotline_escalation_actor* actor,
                                  const hotline_escalation_field* fields, size_t field_count,
                                  hotline_time_ms now, const char* key) {
  return command(out, engine, [&] {
    require(name, "name");
    return engine->engine.transition(order, name, actor_of(actor), fields_of(fields, field_count),
                                     from_unix_ms(now), opt(key));
  });
}

int hotline_escalation_assign(hotline_escalation_result* out, hotline_escalation_engine* engine,
                              uint64_t order, const char* department, const char* handler,
                              const hotline_escalation_actor* actor, hotline_time_ms now,
                              const char* key) {
  return command(out, engine, [&] {
    require(department, "department");
    require(handler, "handler");
    return engine->engine.assign(order, department, handler, actor_of(actor), from_unix_ms(now),
                                 opt(key));
  });
}

int hotline_escalation_add_co_handler(hotline_escalation_result* out,
                                      hotline_escalation_engine* engine, uint64_t order,
                                      const char* person, const hotline_escalation_actor* actor,
                                      hotline_time_ms now, const char* key) {
  return command(out, engine, [&] {
    require(person, "person");
    return engine->engine.add_co_handler(order, person, actor_of(actor), from_unix_ms(now),
                                         opt(key));
  });
}

int hotline_escalation_pause(hotline_escalation_result* out, hotline_escalation_engine* engine,
                             uint64_t order, const char* reason,
                             const hotline_escalation_actor* actor, hotline_time_ms now,
                             const char* key) {
  return command(out, engine, [&] {
    return engine->engine.pause(order, opt(reason), actor_of(actor), from_unix_ms(now), opt(key));
  });
}

int hotline_escalation_resume(hotline_escalation_result* out, hotline_escalation_engine* engine,
                              uint64_t order, const hotline_escalation_actor* actor,
                              hotline_time_ms now, const char* key) {
  return command(out, engine, [&] {
    return engine->engine.resume(order, actor_of(actor), from_unix_ms(now), opt(key));
  });
}

int hotline_escalation_set_deadline(hotline_escalation_result* out,
                                    hotline_escalation_engine* engine, uint64_t order, bool special,
                                    hotline_time_ms deadline, const hotline_escalation_actor* actor,
                                    hotline_time_ms now, const char* key) {
  return command(out, engine, [&] {
    const esc::Actor a = actor_of(actor);
    return special ? engine->engine.set_special(order, from_unix_ms(deadline), a, from_unix_ms(now),
                                                opt(key))
                   : engine->engine.set_promised(order, from_unix_ms(deadline), a,
                                                 from_unix_ms(now), opt(key));
  });
}

int hotline_escalation_advance(size_t* count, hotline_escalation_engine* engine,
                               hotline_time_ms now) {
  return guard([&] {
    require(count, "count");
    require(engine, "engine");
    std::vector<esc::Notice> out;
    engine->engine.advance(from_unix_ms(now), out);
    engine->notices = std::move(out);
    *count = engine->notices.size();
  });
}

int hotline_escalation_notices(hotline_escalation_notice* out, size_t capacity, size_t* count,
                               const hotline_escalation_engine* engine) {
  return guard([&] {
    require(count, "count");
    require(engine, "engine");
    const auto& ns = engine->notices;
    *count = ns.size();
    if (capacity < ns.size()) return HOTLINE_EBUFFER;
    if (!ns.empty()) require(out, "out");
    for (size_t i = 0; i < ns.size(); ++i) {
      const esc::Notice& n = ns[i];
      hotline_escalation_notice& c = out[i];
      c.kind = static_cast<hotline_escalation_notice_kind>(n.kind);
      c.order = n.order;
      c.clock = n.clock.empty() ? "" : n.clock.data();  // views of NUL-terminated policy strings
      c.due = to_unix_ms(n.due);
      c.deliver_at = to_unix_ms(n.deliver_at);
      c.fraction = n.fraction;
      c.count = n.count;
      c.level = n.level;
      c.role = static_cast<hotline_escalation_role>(n.role);
      c.recipient = n.recipient.empty() ? "" : n.recipient.data();
    }
    return HOTLINE_OK;
  });
}

int hotline_escalation_next_due(hotline_time_ms* out, bool* found,
                                const hotline_escalation_engine* engine) {
  return guard([&] {
    require(out, "out");
    require(found, "found");
    require(engine, "engine");
    const auto d = engine->engine.next_due();
    *found = d.has_value();
    *out = d ? to_unix_ms(*d) : 0;
  });
}

int hotline_escalation_flush(hotline_escalation_engine* engine) {
  return guard([&] {
    require(engine, "engine");
    engine->engine.flush();
  });
}

int hotline_escalation_change_policy(hotline_escalation_policy_change* out,
                                     hotline_escalation_engine* engine,
                                     const hotline_escalation_policy* policy,
                                     hotline_time_ms effective, hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    require(policy, "policy");
    const esc::PolicyChange pc =
        engine->engine.change_policy(policy->policy, from_unix_ms(effective), from_unix_ms(now));
    out->version = pc.version;
    out->applied = pc.applied;
    out->moved_count = pc.moved.size();
    out->kept_count = pc.kept.size();
  });
}

int hotline_escalation_order_count(size_t* out, const hotline_escalation_engine* engine) {
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    *out = engine->engine.order_count();
  });
}

int hotline_escalation_open_count(size_t* out, const hotline_escalation_engine* engine) {
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    *out = engine->engine.open_count();
  });
}

int hotline_escalation_get_order(hotline_escalation_order* out,
                                 const hotline_escalation_engine* engine, uint64_t id) {
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    const esc::Engine& e = engine->engine;
    const esc::Order& o = e.order(id);
    out->id = o.id;
    out->customer = o.customer.c_str();
    out->category = e.category_name(o).data();
    out->state = e.state_name(o).data();
    out->owner = o.owner.c_str();
    out->department = o.department < 0 ? "" : e.department_name(o).data();
    out->handler = o.handler.c_str();
    out->channel = static_cast<hotline_escalation_channel>(o.channel);
    out->severity = static_cast<hotline_escalation_severity>(o.severity);
    out->closed = o.closed;
    out->paused = o.paused;
    out->repeat_complaint = o.repeat_complaint;
    out->regulator_risk = o.regulator_risk;
    out->resolved = o.resolved;
    out->replied = o.replied;
    out->satisfied = o.satisfied ? (*o.satisfied ? 1 : 0) : -1;
    out->level = o.level;
    out->created = to_unix_ms(o.created);
    out->has_closed_at = o.closed_at.has_value();
    out->closed_at = o.closed_at ? to_unix_ms(*o.closed_at) : 0;
    out->policy_version = o.policy_version;
  });
}

int hotline_escalation_get_clock(hotline_escalation_clock* out,
                                 const hotline_escalation_engine* engine, uint64_t id,
                                 const char* clock) {
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    require(clock, "clock");
    const esc::Engine& e = engine->engine;
    const esc::Order& o = e.order(id);
    const esc::Policy& p = e.policy_of(o);
    const esc::Workflow& w = p.workflows()[p.categories()[o.category].second];
    for (size_t i = 0; i < w.clocks.size(); ++i) {
      if (w.clocks[i].id != clock) continue;
      const esc::Clock& c = o.clocks[i];
      out->state = static_cast<hotline_escalation_clock_state>(c.state);
      out->started = to_unix_ms(c.started);
      out->deadline = to_unix_ms(c.deadline);
      out->target = c.target.count();
      out->consumed = c.consumed.count();
      out->warnings = c.warnings;
      out->level = c.level;
      out->breached = c.breached;
      return HOTLINE_OK;
    }
    throw Error(ErrorCode::not_found, "clock",
                "workflow \"" + w.id + "\" has no clock \"" + std::string(clock) + "\"");
  });
}

int hotline_escalation_explain(char* buf, size_t cap, size_t* needed,
                               const hotline_escalation_engine* engine, uint64_t id,
                               const char* clock) {
  return guard([&] {
    require(engine, "engine");
    require(clock, "clock");
    const esc::Engine& e = engine->engine;
    const esc::DeadlineExplanation ex = e.explain(id, clock);
    return copy_out(ex.text(e.policy_of(e.order(id)).calendar(ex.calendar)), buf, cap, needed);
  });
}

int hotline_escalation_order_json(char* buf, size_t cap, size_t* needed,
                                  const hotline_escalation_engine* engine, uint64_t id) {
  return guard([&] {
    require(engine, "engine");
    return copy_out(engine->engine.order_json(id), buf, cap, needed);
  });
}

int hotline_escalation_history_json(char* buf, size_t cap, size_t* needed,
                                    const hotline_escalation_engine* engine, uint64_t id) {
  return guard([&] {
    require(engine, "engine");
    return copy_out(esc::to_json(engine->engine.history(id)), buf, cap, needed);
  });
}

int hotline_escalation_kpis_json(char* buf, size_t cap, size_t* needed,
                                 const hotline_escalation_engine* engine) {
  return guard([&] {
    require(engine, "engine");
    return copy_out(esc::to_json(engine->engine.kpis()), buf, cap, needed);
  });
}

}  // extern "C"
