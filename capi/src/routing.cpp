// C ABI of the router: events in; decisions out through a callback or a drained buffer.
#include <cstring>
#include <deque>
#include <string>

#include <fmt/format.h>

#include <hotline/routing/router.hpp>

#include "core/json.hpp"
#include "guard.hpp"
#include "hotline_routing.h"
#include "routing/json_io.hpp"

struct hotline_routing_policy {
  std::shared_ptr<const hotline::routing::Policy> policy;
};

struct hotline_router {
  hotline::routing::Router router;
  hotline_routing_callback callback = nullptr;
  void* user = nullptr;
  std::deque<hotline_routing_decision> buffer;
  bool busy = false;  // inside a callback
};

namespace {

namespace rt = hotline::routing;
using hotline::Error;
using hotline::ErrorCode;
using hotline::from_unix_ms;
using hotline::to_unix_ms;
using hotline::capi::copy_out;
using hotline::capi::guard;
using hotline::capi::require;

hotline_routing_decision to_c(const rt::Decision& d) {
  hotline_routing_decision c;
  std::memset(&c, 0, sizeof c);
  c.kind = static_cast<hotline_routing_decision_kind>(d.kind);
  c.rule = static_cast<hotline_routing_rule>(d.rule);
  c.contact = d.contact;
  c.agent = d.agent;
  c.queue = d.queue;
  c.from_queue = d.from_queue;
  c.step = d.step;
  c.candidates = d.candidates;
  c.metric = d.metric;
  c.position = d.position;
  c.predicted_wait = d.predicted_wait.count();
  c.at = to_unix_ms(d.at);
  return c;
}

rt::Decision from_c(const hotline_routing_decision& c) {
  int kind = 0, rule = 0;
  std::memcpy(&kind, &c.kind, sizeof kind);
  std::memcpy(&rule, &c.rule, sizeof rule);
  if (kind < 0 || kind > 7)
    throw Error(ErrorCode::invalid_argument, "decision.kind", "kind out of range");
  if (rule < 0 || rule > 16)
    throw Error(ErrorCode::invalid_argument, "decision.rule", "rule out of range");
  rt::Decision d;
  d.kind = static_cast<rt::DecisionKind>(kind);
  d.rule = static_cast<rt::Rule>(rule);
  d.contact = c.contact;
  d.agent = c.agent;
  d.queue = c.queue;
  d.from_queue = c.from_queue;
  d.step = static_cast<std::uint16_t>(c.step);
  d.candidates = c.candidates;
  d.metric = c.metric;
  d.position = c.position;
  d.predicted_wait = hotline::Duration{c.predicted_wait};
  d.at = from_unix_ms(c.at);
  return d;
}

hotline_router& live(hotline_router* r) {
  require(r, "router");
  if (r->busy)
    throw Error(ErrorCode::invalid_state, "router", "called from inside a decision callback");
  return *r;
}

/// Runs one event and hands its decisions to the callback or the buffer.
template <class F>
int event(hotline_router* r, F&& f) {
  return guard([&] {
    hotline_router& h = live(r);
    const std::span<const rt::Decision> d = f(h.router);
    if (h.callback) {
      h.busy = true;
      for (const rt::Decision& x : d) {
        const hotline_routing_decision c = to_c(x);
        h.callback(h.user, &c);
      }
      h.busy = false;
    } else {
      for (const rt::Decision& x : d) h.buffer.push_back(to_c(x));
    }
  });
}

hotline::Instant at(hotline_time_ms now) { return from_unix_ms(now); }

hotline::detail::Json parse(const char* text, const char* name) {
  require(text, name);
  return hotline::detail::parse_json(text, 16);
}

}  // namespace

extern "C" {

int hotline_routing_policy_from_json(hotline_routing_policy** out, const char* json, size_t len,
                                     const char* base_dir) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(json, "json");
    *out = new hotline_routing_policy{
        rt::Policy::from_json(std::string_view(json, len), base_dir ? base_dir : "")};
  });
}

int hotline_routing_policy_load(hotline_routing_policy** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    *out = new hotline_routing_policy{rt::Policy::load(path)};
  });
}

void hotline_routing_policy_free(hotline_routing_policy* policy) { delete policy; }

int hotline_routing_policy_queue_count(size_t* out, const hotline_routing_policy* policy) {
  return guard([&] {
    require(out, "out");
    require(policy, "policy");
    *out = policy->policy->queue_count();
  });
}

int hotline_routing_policy_queue_index(size_t* out, const hotline_routing_policy* policy,
                                       const char* name) {
  return guard([&] {
    require(out, "out");
    require(policy, "policy");
    require(name, "name");
    *out = policy->policy->queue_index(name);
  });
}

int hotline_routing_policy_queue_name(char* buf, size_t cap, size_t* needed,
                                      const hotline_routing_policy* policy, size_t queue) {
  return guard([&] {
    require(policy, "policy");
    if (queue >= policy->policy->queue_count()) {
      throw Error(ErrorCode::not_found, "queue", fmt::format("no queue {}", queue));
    }
    return copy_out(policy->policy->queue(queue).name, buf, cap, needed);
  });
}

int hotline_routing_policy_classify(char* buf, size_t cap, size_t* needed,
                                    const hotline_routing_policy* policy,
                                    const char* attributes_json) {
  return guard([&] {
    require(policy, "policy");
    const auto j = parse(attributes_json, "attributes_json");
    if (!j.is_object())
      throw Error(ErrorCode::invalid_argument, "attributes_json", "expected a JSON object");
    std::map<std::string, std::string, std::less<>> attrs;
    for (const auto& [k, v] : j.items()) {
      if (v.is_string()) {
        attrs.emplace(k, v.get<std::string>());
      } else if (v.is_number()) {
        attrs.emplace(k, v.dump());
      } else {
        throw Error(ErrorCode::invalid_argument, hotline::detail::pointer_child("", k),
                    "expected a string or number");
      }
    }
    const std::size_t t = policy->policy->classify(attrs);
    return copy_out(policy->policy->definition().tiers[t].name, buf, cap, needed);
  });
}

int hotline_routing_explain(char* buf, size_t cap, size_t* needed,
                            const hotline_routing_policy* policy,
                            const hotline_routing_decision* decision) {
  return guard([&] {
    require(policy, "policy");
    require(decision, "decision");
    return copy_out(rt::explain(from_c(*decision), *policy->policy), buf, cap, needed);
  });
}

int hotline_router_new(hotline_router** out, const hotline_routing_policy* policy,
                       const hotline_router_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(policy, "policy");
    rt::RouterOptions o;
    if (options) {
      o.seed = options->seed;
      o.indexed = !options->scan;
      o.record = options->record;
    }
    *out = new hotline_router{rt::Router(policy->policy, o), nullptr, nullptr, {}, false};
  });
}

void hotline_router_free(hotline_router* router) { delete router; }

int hotline_router_set_callback(hotline_router* router, hotline_routing_callback callback,
                                void* user) {
  return guard([&] {
    hotline_router& h = live(router);
    h.callback = callback;
    h.user = user;
  });
}

int hotline_router_drain(hotline_routing_decision* out, size_t capacity, size_t* count,
                         hotline_router* router) {
  if (count != nullptr) *count = 0;
  return guard([&] {
    require(count, "count");
    hotline_router& h = live(router);
    if (capacity > 0) require(out, "out");
    std::size_t n = 0;
    while (n < capacity && !h.buffer.empty()) {
      out[n++] = h.buffer.front();
      h.buffer.pop_front();
    }
    *count = n;
  });
}

int hotline_router_pending(size_t* out, const hotline_router* router) {
  return guard([&] {
    require(out, "out");
    require(router, "router");
    *out = router->buffer.size();
  });
}

int hotline_router_login(hotline_router* router, const char* profile_json, bool ready,
                         hotline_time_ms now) {
  return event(router, [&](rt::Router& r) {
    const auto j = parse(profile_json, "profile_json");
    return r.login(rt::detail_io::profile_from_json(j, ""), at(now), ready);
  });
}

int hotline_router_logout(hotline_router* router, uint64_t agent, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.logout(agent, at(now)); });
}

int hotline_router_ready(hotline_router* router, uint64_t agent, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.ready(agent, at(now)); });
}

int hotline_router_not_ready(hotline_router* router, uint64_t agent, const char* reason,
                             hotline_time_ms now) {
  return event(router,
               [&](rt::Router& r) { return r.not_ready(agent, reason ? reason : "", at(now)); });
}

int hotline_router_arrive(hotline_router* router, const char* contact_json, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) {
    const auto j = parse(contact_json, "contact_json");
    return r.arrive(rt::detail_io::spec_from_json(j, ""), at(now));
  });
}

int hotline_router_arrive_simple(hotline_router* router, uint64_t contact, const char* queue,
                                 const char* tier, const char* language, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) {
    require(queue, "queue");
    rt::ContactSpec s;
    s.id = contact;
    s.queue = queue;
    if (tier) s.tier = tier;
    if (language) s.language = language;
    return r.arrive(s, at(now));
  });
}

int hotline_router_abandon(hotline_router* router, uint64_t contact, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.abandon(contact, at(now)); });
}
int hotline_router_accept(hotline_router* router, uint64_t contact, uint64_t agent,
                          hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.accept(contact, agent, at(now)); });
}
int hotline_router_reject(hotline_router* router, uint64_t contact, uint64_t agent,
                          hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.reject(contact, agent, at(now)); });
}
int hotline_router_end(hotline_router* router, uint64_t contact, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.end(contact, at(now)); });
}
int hotline_router_wrap_up_done(hotline_router* router, uint64_t contact, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.wrap_up_done(contact, at(now)); });
}
int hotline_router_callback_accepted(hotline_router* router, uint64_t contact,
                                     hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.callback_accepted(contact, at(now)); });
}
int hotline_router_callback_declined(hotline_router* router, uint64_t contact,
                                     hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.callback_declined(contact, at(now)); });
}
int hotline_router_advance(hotline_router* router, hotline_time_ms now) {
  return event(router, [&](rt::Router& r) { return r.advance(at(now)); });
}

int hotline_router_next_due(hotline_time_ms* out, bool* has, const hotline_router* router) {
  return guard([&] {
    require(out, "out");
    require(has, "has");
    require(router, "router");
    const auto d = router->router.next_due();
    *has = d.has_value();
    *out = d ? to_unix_ms(*d) : 0;
  });
}

int hotline_router_apply(hotline_router* router, const char* event_json) {
  return event(router, [&](rt::Router& r) {
    require(event_json, "event_json");
    return r.apply(rt::event_from_json(event_json));
  });
}

int hotline_router_position(uint32_t* out, const hotline_router* router, uint64_t contact,
                            hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(router, "router");
    *out = router->router.position(contact, at(now));
  });
}

int hotline_router_predicted_wait(hotline_duration_ms* out, const hotline_router* router,
                                  uint64_t contact, hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(router, "router");
    *out = router->router.predicted_wait(contact, at(now)).count();
  });
}

int hotline_router_waiting_count(size_t* out, const hotline_router* router) {
  return guard([&] {
    require(out, "out");
    require(router, "router");
    *out = router->router.waiting_count();
  });
}

int hotline_router_queue_stats(hotline_routing_queue_stats* out, const hotline_router* router,
                               size_t queue) {
  return guard([&] {
    require(out, "out");
    require(router, "router");
    const rt::QueueStats s = router->router.queue_stats(queue);
    out->waiting = s.waiting;
    out->arrived = s.arrived;
    out->answered = s.answered;
    out->abandoned = s.abandoned;
    out->timed_out = s.timed_out;
    out->rejected = s.rejected;
    out->overflowed_out = s.overflowed_out;
    out->overflowed_in = s.overflowed_in;
    out->callbacks = s.callbacks;
    out->staffed = s.staffed;
    out->average_handle = s.average_handle.count();
  });
}

int hotline_router_agent_json(char* buf, size_t cap, size_t* needed, const hotline_router* router,
                              uint64_t agent) {
  return guard([&] {
    require(router, "router");
    const rt::AgentStatus s = router->router.agent(agent);
    static const char* presence[] = {"logged_out", "ready", "not_ready"};
    const hotline::detail::Json j = {{"presence", presence[static_cast<int>(s.presence)]},
                                     {"reason", s.reason},
                                     {"offered", s.offered},
                                     {"busy", s.busy},
                                     {"wrap_up", s.wrap_up},
                                     {"in_cooldown", s.in_cooldown},
                                     {"consecutive_no_answer", s.consecutive_no_answer},
                                     {"accepted", s.accepted},
                                     {"talk_time_ms", s.talk_time.count()}};
    return copy_out(j.dump(-1, ' ', false, hotline::detail::Json::error_handler_t::replace), buf,
                    cap, needed);
  });
}

int hotline_router_contact_json(char* buf, size_t cap, size_t* needed, const hotline_router* router,
                                uint64_t contact) {
  return guard([&] {
    require(router, "router");
    const rt::ContactStatus s = router->router.contact(contact);
    static const char* states[] = {"reserved", "waiting", "offered", "connected", "wrap_up"};
    hotline::detail::Json j = {{"state", states[static_cast<int>(s.state)]},
                               {"queue", router->router.policy().queue(s.queue).name},
                               {"step", s.step},
                               {"tier", router->router.policy().definition().tiers[s.tier].name},
                               {"arrived", hotline::format_instant(s.arrived)},
                               {"offered_to", s.offered_to},
                               {"callback", s.callback},
                               {"starving", s.starving}};
    if (s.agent) j["agent"] = *s.agent;
    return copy_out(j.dump(), buf, cap, needed);
  });
}

int hotline_router_events_jsonl(char* buf, size_t cap, size_t* needed,
                                const hotline_router* router) {
  return guard([&] {
    require(router, "router");
    return copy_out(rt::events_to_jsonl(router->router.events()), buf, cap, needed);
  });
}

int hotline_router_check(const hotline_router* router) {
  return guard([&] {
    require(router, "router");
    router->router.check_invariants();
  });
}

}  // extern "C"
