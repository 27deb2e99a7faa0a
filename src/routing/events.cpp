// Names, explanations and the JSON Lines form of router events (docs/routing.md "Replay").
#include <array>

#include <fmt/format.h>

#include <hotline/routing/router.hpp>

#include "core/json.hpp"
#include "routing/json_io.hpp"

namespace hotline::routing {

namespace {

using detail::fail_at;
using detail::Json;
using detail::ObjectReader;

constexpr std::array<const char*, 8> kKinds = {"offer",          "withdraw",       "announce",
                                               "callback_offer", "overflow",       "rejected",
                                               "timed_out",      "agent_not_ready"};
constexpr std::array<const char*, 17> kRules = {
    "strategy",  "priority",       "starvation", "owner",    "ring_all",      "accepted_elsewhere",
    "abandoned", "offer_timeout",  "agent_left", "step",     "max_wait",      "queue_full",
    "closed",    "predicted_wait", "arrival",    "periodic", "ring_no_answer"};
constexpr std::array<const char*, 13> kEvents = {"login",
                                                 "logout",
                                                 "ready",
                                                 "not_ready",
                                                 "arrive",
                                                 "abandon",
                                                 "accept",
                                                 "reject",
                                                 "end",
                                                 "wrap_up_done",
                                                 "callback_accepted",
                                                 "callback_declined",
                                                 "advance"};

/// The enumerator whose to_string() is text (Grade, Pool).
template <class E, int N>
E enum_named(const std::string& text, const std::string& where, const char* what) {
  for (int i = 0; i < N; ++i) {
    if (to_string(static_cast<E>(i)) == text) return static_cast<E>(i);
  }
  fail_at(where, fmt::format("unknown {} \"{}\"", what, text));
}

template <std::size_t N>
std::size_t find_name(const std::array<const char*, N>& names, const std::string& text,
                      const std::string& where, const char* what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return i;
  }
  fail_at(where, fmt::format("unknown {} \"{}\"", what, text));
}

std::uint64_t id_at(ObjectReader& r, std::string_view key) {
  const std::int64_t v = r.integer(key);
  if (v < 0) fail_at(r.at(key), "ids are non-negative integers");
  return static_cast<std::uint64_t>(v);
}

Json profile_json(const AgentProfile& p) {
  Json skills = Json::object();
  for (const AgentSkill& s : p.skills) skills[s.skill] = s.proficiency;
  Json j = {{"id", p.id}};
  if (!p.name.empty()) j["name"] = p.name;
  j["skills"] = skills;
  j["languages"] = p.languages;
  j["grade"] = to_string(p.grade);
  j["pool"] = to_string(p.pool);
  if (!p.capacity.empty()) {
    Json cap = Json::object();
    for (const auto& [k, v] : p.capacity) cap[k] = v;
    j["capacity"] = cap;
  }
  if (p.order != 0) j["order"] = p.order;
  return j;
}

Json spec_json(const ContactSpec& s) {
  Json j = {{"id", s.id}, {"queue", s.queue}};
  if (!s.tier.empty()) j["tier"] = s.tier;
  if (!s.attributes.empty()) {
    Json a = Json::object();
    for (const auto& [k, v] : s.attributes) a[k] = v;
    j["attributes"] = a;
  }
  if (!s.language.empty()) j["language"] = s.language;
  if (!s.skills.empty()) {
    Json k = Json::object();
    for (const SkillNeed& n : s.skills) k[n.skill] = n.min_proficiency;
    j["skills"] = k;
  }
  if (s.priority != 0) j["priority"] = s.priority;
  if (!s.customer.empty()) j["customer"] = s.customer;
  if (s.owner) j["owner"] = *s.owner;
  if (s.callback) j["callback"] = true;
  return j;
}

int small_int(ObjectReader& r, std::string_view key, int lo, int hi) {
  const std::int64_t v = r.integer(key);
  if (v < lo || v > hi) fail_at(r.at(key), fmt::format("must be {}..{}", lo, hi));
  return static_cast<int>(v);
}

std::map<std::string, int, std::less<>> int_map(const Json& j, const std::string& where, int lo,
                                                int hi) {
  if (!j.is_object())
    fail_at(where, fmt::format("expected an object, found {}", detail::json_type_name(j)));
  std::map<std::string, int, std::less<>> out;
  for (const auto& [k, v] : j.items()) {
    const std::string at = detail::pointer_child(where, k);
    if (!v.is_number_integer()) fail_at(at, "expected an integer");
    const auto x = v.get<std::int64_t>();
    if (x < lo || x > hi) fail_at(at, fmt::format("must be {}..{}", lo, hi));
    out.emplace(k, static_cast<int>(x));
  }
  return out;
}

}  // namespace

std::string_view to_string(DecisionKind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kKinds.size() ? kKinds[i] : "?";
}
std::string_view to_string(Rule r) noexcept {
  const auto i = static_cast<std::size_t>(r);
  return i < kRules.size() ? kRules[i] : "?";
}
std::string_view to_string(Event::Kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kEvents.size() ? kEvents[i] : "?";
}

namespace detail_io {

AgentProfile profile_from_json(const Json& j, const std::string& where) {
  ObjectReader r(j, where);
  AgentProfile p;
  p.id = id_at(r, "id");
  if (auto v = r.optional_string("name")) p.name = *v;
  if (const Json* s = r.find("skills")) {
    int_map(*s, r.at("skills"), 1, 5);  // validates; then read in the document's order
    for (const auto& [k, v] : s->items()) p.skills.push_back({k, v.get<int>()});
  }
  if (const Json* a = r.optional_array("languages")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string())
        fail_at(detail::pointer_child(r.at("languages"), i), "expected a string");
      p.languages.push_back((*a)[i].get<std::string>());
    }
  }
  if (auto v = r.optional_string("grade"))
    p.grade = enum_named<Grade, 4>(*v, r.at("grade"), "grade");
  if (auto v = r.optional_string("pool")) p.pool = enum_named<Pool, 3>(*v, r.at("pool"), "pool");
  if (const Json* c = r.find("capacity")) p.capacity = int_map(*c, r.at("capacity"), 0, 64);
  if (auto v = r.optional_integer("order")) p.order = *v;
  r.finish();
  return p;
}

ContactSpec spec_from_json(const Json& j, const std::string& where) {
  ObjectReader r(j, where);
  ContactSpec s;
  s.id = id_at(r, "id");
  s.queue = r.string("queue");
  if (auto v = r.optional_string("tier")) s.tier = *v;
  if (const Json* a = r.find("attributes")) {
    if (!a->is_object()) fail_at(r.at("attributes"), "expected an object");
    for (const auto& [k, v] : a->items()) {
      if (v.is_string()) {
        s.attributes.emplace(k, v.get<std::string>());
      } else if (v.is_number()) {
        s.attributes.emplace(k, v.dump());
      } else {
        fail_at(detail::pointer_child(r.at("attributes"), k), "expected a string or number");
      }
    }
  }
  if (auto v = r.optional_string("language")) s.language = *v;
  if (const Json* k = r.find("skills")) {
    int_map(*k, r.at("skills"), 1, 5);
    for (const auto& [name, v] : k->items()) s.skills.push_back({name, v.get<int>()});
  }
  if (r.has("priority")) s.priority = small_int(r, "priority", -1'000'000, 1'000'000);
  if (auto v = r.optional_string("customer")) s.customer = *v;
  if (r.has("owner")) s.owner = id_at(r, "owner");
  s.callback = r.boolean("callback", false);
  r.finish();
  return s;
}

Json decision_json(const Decision& d, const Policy& policy) {
  const auto qname = [&](std::uint32_t q) -> std::string {
    return q < policy.queue_count() ? policy.queue(q).name : std::string();
  };
  Json j = {{"kind", to_string(d.kind)}, {"rule", to_string(d.rule)}, {"at", format_instant(d.at)}};
  if (d.kind != DecisionKind::agent_not_ready) {
    j["contact"] = d.contact;
    j["queue"] = qname(d.queue);
    j["step"] = d.step;
  }
  if (d.kind == DecisionKind::offer || d.kind == DecisionKind::withdraw ||
      d.kind == DecisionKind::agent_not_ready) {
    j["agent"] = d.agent;
  }
  if (d.kind == DecisionKind::offer) {
    j["candidates"] = d.candidates;
    j["metric"] = d.metric;
  }
  if (d.kind == DecisionKind::overflow) j["from_queue"] = qname(d.from_queue);
  if (d.kind == DecisionKind::announce || d.kind == DecisionKind::callback_offer) {
    j["position"] = d.position;
    j["predicted_wait_ms"] = d.predicted_wait.count();
  }
  j["explain"] = explain(d, policy);
  return j;
}

}  // namespace detail_io

std::string event_to_json(const Event& e) {
  Json j = {{"kind", to_string(e.kind)}, {"at", format_instant(e.at)}};
  switch (e.kind) {
    case Event::Kind::login:
      if (e.profile) j["profile"] = profile_json(*e.profile);
      if (!e.ready) j["ready"] = false;
      break;
    case Event::Kind::arrive:
      if (e.spec) j["contact"] = spec_json(*e.spec);
      break;
    case Event::Kind::not_ready:
      j["agent"] = e.agent;
      j["reason"] = e.reason;
      break;
    case Event::Kind::logout:
    case Event::Kind::ready:
      j["agent"] = e.agent;
      break;
    case Event::Kind::accept:
    case Event::Kind::reject:
      j["contact"] = e.contact;
      j["agent"] = e.agent;
      break;
    case Event::Kind::abandon:
    case Event::Kind::end:
    case Event::Kind::wrap_up_done:
    case Event::Kind::callback_accepted:
    case Event::Kind::callback_declined:
      j["contact"] = e.contact;
      break;
    case Event::Kind::advance:
      break;
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Event event_from_json(std::string_view line) {
  const Json j = detail::parse_json(line, 16);
  ObjectReader r(j, "");
  Event e;
  e.kind =
      static_cast<Event::Kind>(find_name(kEvents, r.string("kind"), r.at("kind"), "event kind"));
  const std::string at = r.string("at");
  try {
    e.at = parse_instant(at);
  } catch (const Error& x) {
    fail_at(r.at("at"), x.message());
  }
  using K = Event::Kind;
  switch (e.kind) {
    case K::login:
      e.profile = detail_io::profile_from_json(r.require("profile"), r.at("profile"));
      e.agent = e.profile->id;
      e.ready = r.boolean("ready", true);
      break;
    case K::arrive:
      e.spec = detail_io::spec_from_json(r.require("contact"), r.at("contact"));
      e.contact = e.spec->id;
      break;
    case K::not_ready:
      e.agent = id_at(r, "agent");
      if (auto v = r.optional_string("reason")) e.reason = *v;
      break;
    case K::logout:
    case K::ready:
      e.agent = id_at(r, "agent");
      break;
    case K::accept:
    case K::reject:
      e.contact = id_at(r, "contact");
      e.agent = id_at(r, "agent");
      break;
    case K::abandon:
    case K::end:
    case K::wrap_up_done:
    case K::callback_accepted:
    case K::callback_declined:
      e.contact = id_at(r, "contact");
      break;
    case K::advance:
      break;
  }
  r.finish();
  return e;
}

std::string events_to_jsonl(const std::vector<Event>& events) {
  std::string out;
  for (const Event& e : events) {
    out += event_to_json(e);
    out += '\n';
  }
  return out;
}

std::vector<Event> events_from_jsonl(std::string_view text) {
  std::vector<Event> events;
  std::size_t start = 0;
  int line = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view one = text.substr(start, nl - start);
    ++line;
    if (one.find_first_not_of(" \t\r") != std::string_view::npos) {
      try {
        events.push_back(event_from_json(one));
      } catch (const Error& e) {
        throw Error(e.code(),
                    fmt::format("line {}{}{}", line, e.where().empty() ? "" : " ", e.where()),
                    e.message());
      }
    }
    start = nl + 1;
  }
  return events;
}

std::string decision_to_json(const Decision& d, const Policy& policy) {
  return detail_io::decision_json(d, policy).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string explain(const Decision& d, const Policy& policy) {
  const auto qname = [&](std::uint32_t q) -> std::string {
    return q < policy.queue_count() ? policy.queue(q).name : fmt::format("#{}", q);
  };
  const std::string where = fmt::format("queue {} step {}", qname(d.queue), d.step);
  switch (d.kind) {
    case DecisionKind::offer: {
      std::string why;
      switch (d.rule) {
        case Rule::strategy: {
          const Strategy s = d.queue < policy.queue_count() ? policy.queue(d.queue).strategy
                                                            : Strategy::longest_idle;
          why = fmt::format("{} (metric {:.3f}) among {} available", to_string(s), d.metric,
                            d.candidates);
          break;
        }
        case Rule::ring_all:
          why = fmt::format("ring-all, idle {:.1f} s, one of {} available", d.metric, d.candidates);
          break;
        case Rule::priority:
          why = fmt::format("highest effective priority {:.3f} points; {} waiting in the queue",
                            d.metric, d.candidates);
          break;
        case Rule::starvation:
          why = fmt::format("waited {:.1f} s, past the starvation bound: served first", d.metric);
          break;
        case Rule::owner:
          why = "first-contact responsibility: the open ticket's owner";
          break;
        default:
          why = std::string(to_string(d.rule));
      }
      return fmt::format("offer contact {} to agent {}: {}, {}", d.contact, d.agent, where, why);
    }
    case DecisionKind::withdraw:
      return fmt::format("withdraw contact {} from agent {}: {}", d.contact, d.agent,
                         to_string(d.rule));
    case DecisionKind::announce:
    case DecisionKind::callback_offer: {
      const std::string wait =
          d.predicted_wait < Duration::zero()
              ? std::string("unknown (nobody staffed)")
              : fmt::format("{:.0f} s", static_cast<double>(d.predicted_wait.count()) / 1000.0);
      return fmt::format("{} contact {}: {}, position {}, predicted wait {} ({})",
                         to_string(d.kind), d.contact, where, d.position, wait, to_string(d.rule));
    }
    case DecisionKind::overflow:
      return fmt::format("overflow contact {} from queue {} to queue {} ({})", d.contact,
                         qname(d.from_queue), qname(d.queue), to_string(d.rule));
    case DecisionKind::rejected:
      return fmt::format("reject contact {} at queue {} ({})", d.contact, qname(d.queue),
                         to_string(d.rule));
    case DecisionKind::timed_out:
      return fmt::format("contact {} timed out in {}", d.contact, where);
    case DecisionKind::agent_not_ready:
      return fmt::format("agent {} set not ready ({})", d.agent, to_string(d.rule));
  }
  return "?";
}

}  // namespace hotline::routing
