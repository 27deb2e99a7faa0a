// Routing policies: the JSON format (docs/routing.md), validation of definitions built in code or
// read from JSON (every problem at once, each at its JSON pointer), canonical output.
#include <hotline/routing/policy.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "calendar/embedded.hpp"
#include "core/hash.hpp"
#include "core/json.hpp"

namespace hotline::routing {

namespace {

using detail::Diagnostics;
using detail::fail_at;
using detail::Json;
using detail::ObjectReader;
using detail::pointer_child;

constexpr std::array<const char*, 4> kGrades = {"junior", "intermediate", "senior", "expert"};
constexpr std::array<const char*, 3> kPools = {"inbound", "outbound", "blended"};
constexpr std::array<const char*, 9> kStrategies = {
    "longest_idle", "fewest_calls",    "least_talk_time", "round_robin", "linear",
    "random",       "weighted_random", "ring_all",        "best_skill"};
constexpr std::array<const char*, 3> kClosed = {"reject", "callback", "overflow"};
constexpr std::array<const char*, 4> kOps = {"at_least", "below", "equals", "in"};

constexpr int kMaxLanguages = 64;
constexpr int kMaxChannels = 8;
constexpr int kMaxProficiency = 5;
constexpr double kMaxPoints = 1e6;
constexpr double kMaxAging = 1000.0;
constexpr std::size_t kMaxSteps = 32;
constexpr std::size_t kMaxQueues = 10000;
constexpr std::size_t kMaxSkills = 10000;

template <std::size_t N>
int named(const std::array<const char*, N>& names, std::string_view text, const std::string& where,
          const char* what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<int>(i);
  }
  std::string list;
  for (const char* n : names) list += fmt::format("{}{}", list.empty() ? "" : ", ", n);
  fail_at(where, fmt::format("unknown {} \"{}\" (expected one of: {})", what, text, list));
}

Duration duration_at(const Json& j, const std::string& where) {
  if (!j.is_string()) {
    fail_at(where, fmt::format("expected a duration such as \"20s\", found {}",
                               detail::json_type_name(j)));
  }
  try {
    return parse_duration(j.get<std::string>());
  } catch (const Error& e) {
    fail_at(where, e.message());
  }
}

std::optional<Duration> optional_duration(ObjectReader& r, std::string_view key) {
  const Json* j = r.find(key);
  if (!j) return std::nullopt;
  return duration_at(*j, r.at(key));
}

std::vector<std::string> string_list(ObjectReader& r, std::string_view key) {
  std::vector<std::string> out;
  const Json* a = r.optional_array(key);
  if (!a) return out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const Json& v = (*a)[i];
    if (!v.is_string()) {
      fail_at(pointer_child(r.at(key), i),
              fmt::format("expected a string, found {}", detail::json_type_name(v)));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

int int_in(ObjectReader& r, std::string_view key, int fallback) {
  auto v = r.optional_integer(key);
  if (!v) return fallback;
  if (*v < -2'000'000'000 || *v > 2'000'000'000) fail_at(r.at(key), "integer out of range");
  return static_cast<int>(*v);
}

std::vector<SkillNeed> read_needs(ObjectReader& r, std::string_view key) {
  std::vector<SkillNeed> out;
  const Json* a = r.optional_array(key);
  if (!a) return out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string where = pointer_child(r.at(key), i);
    if ((*a)[i].is_string()) {
      out.push_back({(*a)[i].get<std::string>(), 1});
      continue;
    }
    ObjectReader s((*a)[i], where);
    SkillNeed n;
    n.skill = s.string("skill");
    n.min_proficiency = int_in(s, "min_proficiency", 1);
    s.finish();
    out.push_back(std::move(n));
  }
  return out;
}

Json needs_json(const std::vector<SkillNeed>& needs) {
  Json a = Json::array();
  for (const SkillNeed& n : needs) {
    a.push_back({{"skill", n.skill}, {"min_proficiency", n.min_proficiency}});
  }
  return a;
}

Queue read_queue(const Json& j, const std::string& where) {
  ObjectReader r(j, where);
  Queue q;
  q.name = r.string("name");
  if (auto v = r.optional_string("channel")) q.channel = *v;
  q.skills = read_needs(r, "skills");
  q.language_required = r.boolean("language_required", true);
  if (r.has("pools")) {
    q.pools.clear();
    const auto names = string_list(r, "pools");
    for (std::size_t i = 0; i < names.size(); ++i) {
      q.pools.push_back(
          static_cast<Pool>(named(kPools, names[i], pointer_child(r.at("pools"), i), "pool")));
    }
  }
  if (auto v = r.optional_string("strategy")) {
    q.strategy = static_cast<Strategy>(named(kStrategies, *v, r.at("strategy"), "strategy"));
  }
  q.ring_all_limit = int_in(r, "ring_all_limit", q.ring_all_limit);
  if (const Json* steps = r.optional_array("steps")) {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      ObjectReader s((*steps)[i], pointer_child(r.at("steps"), i));
      Step st;
      if (auto d = optional_duration(s, "after")) st.after = *d;
      st.skills = read_needs(s, "skills");
      if (s.has("min_proficiency")) st.min_proficiency = int_in(s, "min_proficiency", 1);
      if (auto g = s.optional_string("min_grade")) {
        st.min_grade = static_cast<Grade>(named(kGrades, *g, s.at("min_grade"), "grade"));
      }
      if (auto o = s.optional_string("overflow_to")) st.overflow_to = *o;
      s.finish();
      q.steps.push_back(std::move(st));
    }
  }
  q.priority = int_in(r, "priority", 0);
  if (auto v = r.optional_number("aging_per_s")) q.aging_per_s = *v;
  if (auto v = r.optional_integer("max_length")) {
    if (*v < 0) fail_at(r.at("max_length"), "must be >= 0");
    q.max_length = static_cast<std::size_t>(*v);
  }
  if (auto d = optional_duration(r, "max_wait")) q.max_wait = *d;
  if (auto v = r.optional_string("timeout_to")) q.timeout_to = *v;
  if (auto d = optional_duration(r, "callback_over")) q.callback_over = *d;
  if (auto v = r.optional_string("calendar")) q.calendar = *v;
  if (auto v = r.optional_string("closed")) {
    q.closed = static_cast<ClosedAction>(named(kClosed, *v, r.at("closed"), "closed action"));
  }
  if (auto v = r.optional_string("closed_to")) q.closed_to = *v;
  if (auto d = optional_duration(r, "wrap_up")) q.wrap_up = *d;
  if (auto d = optional_duration(r, "expected_handle")) q.expected_handle = *d;
  if (auto d = optional_duration(r, "owner_wait")) q.owner_wait = *d;
  r.finish();
  return q;
}

Definition read_definition(const Json& root, const std::filesystem::path& base_dir) {
  ObjectReader r(root, "");
  Definition d;
  if (auto v = r.optional_string("name")) d.name = *v;
  if (auto v = r.optional_string("version")) d.version = *v;
  r.allow({"$schema", "description"});
  d.skills = string_list(r, "skills");
  d.languages = string_list(r, "languages");
  if (const Json* a = r.optional_array("channels")) {
    d.channels.clear();
    for (std::size_t i = 0; i < a->size(); ++i) {
      ObjectReader c((*a)[i], pointer_child(r.at("channels"), i));
      Channel ch;
      ch.name = c.string("name");
      ch.default_capacity = int_in(c, "capacity", 1);
      c.finish();
      d.channels.push_back(std::move(ch));
    }
  }
  const Json& tiers = r.array("tiers");
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    ObjectReader t(tiers[i], pointer_child(r.at("tiers"), i));
    Tier tier;
    tier.name = t.string("name");
    tier.priority = int_in(t, "priority", 0);
    tier.vip = t.boolean("vip", false);
    tier.bypass_ivr = t.boolean("bypass_ivr", false);
    if (const Json* target = t.find("target")) {
      ObjectReader tr(*target, t.at("target"));
      tier.target.threshold = duration_at(tr.require("threshold"), tr.at("threshold"));
      tier.target.fraction = tr.number("fraction");
      tr.finish();
    }
    t.finish();
    d.tiers.push_back(std::move(tier));
  }
  if (const Json* rules = r.optional_array("tier_rules")) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      ObjectReader tr((*rules)[i], pointer_child(r.at("tier_rules"), i));
      TierRule rule;
      rule.tier = tr.string("tier");
      const Json& when = tr.array("when");
      for (std::size_t k = 0; k < when.size(); ++k) {
        ObjectReader c(when[k], pointer_child(tr.at("when"), k));
        Condition cond;
        cond.attribute = c.string("attribute");
        int ops = 0;
        for (std::size_t o = 0; o < kOps.size(); ++o) {
          if (!c.has(kOps[o])) continue;
          ++ops;
          cond.op = static_cast<Condition::Op>(o);
          const std::string at = c.at(kOps[o]);
          const Json& v = c.require(kOps[o]);
          if (cond.op == Condition::Op::at_least || cond.op == Condition::Op::below) {
            if (!v.is_number()) {
              fail_at(at, fmt::format("expected a number, found {}", detail::json_type_name(v)));
            }
            cond.number = v.get<double>();
          } else if (cond.op == Condition::Op::equals) {
            if (v.is_string()) {
              cond.values = {v.get<std::string>()};
            } else if (v.is_number()) {
              cond.values = {v.dump()};
            } else {
              fail_at(at, fmt::format("expected a string or number, found {}",
                                      detail::json_type_name(v)));
            }
          } else {
            cond.values = string_list(c, kOps[o]);
          }
        }
        if (ops != 1) {
          fail_at(c.pointer(), "a condition needs exactly one of at_least, below, equals, in");
        }
        c.finish();
        rule.when.push_back(std::move(cond));
      }
      tr.finish();
      d.tier_rules.push_back(std::move(rule));
    }
  }
  if (auto v = r.optional_string("default_tier")) d.default_tier = *v;
  if (const Json* cals = r.find("calendars")) {
    if (!cals->is_object()) fail_at(r.at("calendars"), "expected an object of named calendars");
    for (const auto& [name, value] : cals->items()) {
      Json canonical;
      d.calendars.emplace(
          name, calendar::detail::read_embedded(value, pointer_child(r.at("calendars"), name),
                                                base_dir, canonical));
    }
  }
  if (const Json* rules = r.find("rules")) {
    ObjectReader rr(*rules, r.at("rules"));
    Rules& x = d.rules;
    if (auto v = optional_duration(rr, "offer_timeout")) x.offer_timeout = *v;
    if (auto v = optional_duration(rr, "reject_cooldown")) x.reject_cooldown = *v;
    x.rna_limit = int_in(rr, "rna_limit", x.rna_limit);
    if (auto v = rr.optional_string("rna_reason")) x.rna_reason = *v;
    if (auto v = optional_duration(rr, "max_wait")) x.max_wait = *v;
    x.sla_aware = rr.boolean("sla_aware", x.sla_aware);
    if (auto v = rr.optional_number("sla_weight")) x.sla_weight = *v;
    if (auto v = optional_duration(rr, "sla_window")) x.sla_window = *v;
    x.announce = rr.boolean("announce", x.announce);
    if (auto v = optional_duration(rr, "announce_every")) x.announce_every = *v;
    rr.finish();
  }
  const Json& queues = r.array("queues");
  for (std::size_t i = 0; i < queues.size(); ++i) {
    d.queues.push_back(read_queue(queues[i], pointer_child(r.at("queues"), i)));
  }
  r.finish();
  return d;
}

void check_names(const std::vector<std::string>& names, const std::string& where, const char* what,
                 Diagnostics& diag) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) diag.add(pointer_child(where, i), fmt::format("empty {} name", what));
    if (!seen.insert(names[i]).second) {
      diag.add(pointer_child(where, i), fmt::format("duplicate {} \"{}\"", what, names[i]));
    }
  }
}

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

using NameSet = std::unordered_set<std::string_view>;

void check_needs(const std::vector<SkillNeed>& needs, const std::string& where,
                 const NameSet& skills, Diagnostics& diag) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < needs.size(); ++i) {
    const std::string at = pointer_child(where, i);
    if (!skills.contains(needs[i].skill)) {
      diag.add(pointer_child(at, "skill"),
               fmt::format("unknown skill \"{}\" (not in /skills)", needs[i].skill));
    }
    if (!seen.insert(needs[i].skill).second) {
      diag.add(pointer_child(at, "skill"),
               fmt::format("skill \"{}\" listed twice", needs[i].skill));
    }
    if (needs[i].min_proficiency < 1 || needs[i].min_proficiency > kMaxProficiency) {
      diag.add(pointer_child(at, "min_proficiency"), "proficiency must be 1..5");
    }
  }
}

void validate(const Definition& d, Diagnostics& diag) {
  check_names(d.skills, "/skills", "skill", diag);
  if (d.skills.size() > kMaxSkills) diag.add("/skills", "at most 10000 skills");
  check_names(d.languages, "/languages", "language", diag);
  if (d.languages.size() > kMaxLanguages) diag.add("/languages", "at most 64 languages");
  if (d.channels.empty()) diag.add("/channels", "at least one channel");
  if (d.channels.size() > kMaxChannels) diag.add("/channels", "at most 8 channels");
  {
    std::vector<std::string> names;
    for (const Channel& c : d.channels) names.push_back(c.name);
    check_names(names, "/channels", "channel", diag);
    for (std::size_t i = 0; i < d.channels.size(); ++i) {
      if (d.channels[i].default_capacity < 0 || d.channels[i].default_capacity > 64) {
        diag.add(pointer_child(pointer_child("/channels", i), "capacity"),
                 "capacity must be 0..64");
      }
    }
  }
  if (d.tiers.empty()) diag.add("/tiers", "at least one tier");
  std::vector<std::string> tier_names;
  for (std::size_t i = 0; i < d.tiers.size(); ++i) {
    const Tier& t = d.tiers[i];
    const std::string at = pointer_child("/tiers", i);
    tier_names.push_back(t.name);
    if (std::abs(static_cast<double>(t.priority)) > kMaxPoints) {
      diag.add(pointer_child(at, "priority"), "priority must be within +-1000000");
    }
    if (t.target.threshold < Duration::zero()) {
      diag.add(at + "/target/threshold", "threshold must be >= 0");
    }
    if (!(t.target.fraction > 0 && t.target.fraction <= 1)) {
      diag.add(at + "/target/fraction", "fraction must be in (0, 1]");
    }
  }
  check_names(tier_names, "/tiers", "tier", diag);
  for (std::size_t i = 0; i < d.tier_rules.size(); ++i) {
    const std::string at = pointer_child("/tier_rules", i);
    if (!contains(tier_names, d.tier_rules[i].tier)) {
      diag.add(pointer_child(at, "tier"), fmt::format("unknown tier \"{}\"", d.tier_rules[i].tier));
    }
    for (std::size_t k = 0; k < d.tier_rules[i].when.size(); ++k) {
      const Condition& c = d.tier_rules[i].when[k];
      const std::string cat = pointer_child(pointer_child(at, "when"), k);
      if (c.attribute.empty()) diag.add(pointer_child(cat, "attribute"), "empty attribute name");
      if ((c.op == Condition::Op::at_least || c.op == Condition::Op::below) &&
          !std::isfinite(c.number)) {
        diag.add(cat, "the bound must be a finite number");
      }
      if (c.op == Condition::Op::equals && c.values.size() != 1) {
        diag.add(cat, "equals takes one value");
      }
    }
  }
  if (!d.default_tier.empty() && !contains(tier_names, d.default_tier)) {
    diag.add("/default_tier", fmt::format("unknown tier \"{}\"", d.default_tier));
  }
  const Rules& x = d.rules;
  // Bounds that keep timers meaningful and arithmetic far from overflow: a ring shorter than a
  // second or announcements more often than every 5 s are mistakes, and nothing is planned for
  // more than a year.
  constexpr Duration kYear = std::chrono::hours{24 * 366};
  auto bounded = [&](const std::string& at, Duration v, Duration lo) {
    if (v < lo || v > kYear)
      diag.add(at, fmt::format("must be between {} and 366d", format_duration(lo)));
  };
  bounded("/rules/offer_timeout", x.offer_timeout, std::chrono::seconds{1});
  bounded("/rules/reject_cooldown", x.reject_cooldown, Duration::zero());
  bounded("/rules/max_wait", x.max_wait, Duration::zero());
  bounded("/rules/sla_window", x.sla_window, std::chrono::seconds{1});
  if (x.announce_every != Duration::zero())
    bounded("/rules/announce_every", x.announce_every, std::chrono::seconds{5});
  for (std::size_t i = 0; i < d.queues.size(); ++i) {
    const Queue& q = d.queues[i];
    const std::string at = pointer_child("/queues", i);
    bounded(pointer_child(at, "max_wait"), q.max_wait, Duration::zero());
    bounded(pointer_child(at, "callback_over"), q.callback_over, Duration::zero());
    bounded(pointer_child(at, "wrap_up"), q.wrap_up, Duration::zero());
    bounded(pointer_child(at, "expected_handle"), q.expected_handle, Duration{1});
    bounded(pointer_child(at, "owner_wait"), q.owner_wait, Duration::zero());
    for (std::size_t k = 0; k < q.steps.size(); ++k) {
      bounded(pointer_child(pointer_child(pointer_child(at, "steps"), k), "after"),
              q.steps[k].after, Duration::zero());
    }
  }
  if (x.offer_timeout <= Duration::zero()) diag.add("/rules/offer_timeout", "must be positive");
  if (x.reject_cooldown < Duration::zero()) diag.add("/rules/reject_cooldown", "must be >= 0");
  if (x.rna_limit < 0) diag.add("/rules/rna_limit", "must be >= 0");
  if (x.max_wait < Duration::zero()) diag.add("/rules/max_wait", "must be >= 0");
  if (!(x.sla_weight >= 0 && x.sla_weight <= kMaxPoints)) {
    diag.add("/rules/sla_weight", "must be within 0..1000000");
  }
  if (x.sla_window <= Duration::zero()) diag.add("/rules/sla_window", "must be positive");
  if (x.announce_every < Duration::zero()) diag.add("/rules/announce_every", "must be >= 0");

  if (d.queues.empty()) diag.add("/queues", "at least one queue");
  std::vector<std::string> queue_names;
  for (const Queue& q : d.queues) queue_names.push_back(q.name);
  check_names(queue_names, "/queues", "queue", diag);
  if (d.queues.size() > kMaxQueues) diag.add("/queues", "at most 10000 queues");
  std::unordered_map<std::string_view, std::size_t> queue_index;
  for (std::size_t i = 0; i < queue_names.size(); ++i) queue_index.emplace(queue_names[i], i);
  const NameSet skill_set(d.skills.begin(), d.skills.end());
  auto queue_ref = [&](const std::string& name, const std::string& at, const Queue& self) {
    if (name.empty()) return;
    if (!queue_index.contains(name)) {
      diag.add(at, fmt::format("unknown queue \"{}\"", name));
    } else if (name == self.name) {
      diag.add(at, "a queue cannot overflow to itself");
    }
  };
  for (std::size_t i = 0; i < d.queues.size(); ++i) {
    const Queue& q = d.queues[i];
    const std::string at = pointer_child("/queues", i);
    auto field = [&](std::string_view f) { return pointer_child(at, f); };
    if (std::none_of(d.channels.begin(), d.channels.end(),
                     [&](const Channel& c) { return c.name == q.channel; })) {
      diag.add(field("channel"), fmt::format("unknown channel \"{}\"", q.channel));
    }
    check_needs(q.skills, field("skills"), skill_set, diag);
    if (q.pools.empty()) diag.add(field("pools"), "at least one pool");
    if (q.ring_all_limit < 1 || q.ring_all_limit > 1000) {
      diag.add(field("ring_all_limit"), "must be 1..1000");
    }
    if (std::abs(static_cast<double>(q.priority)) > kMaxPoints) {
      diag.add(field("priority"), "priority must be within +-1000000");
    }
    if (!(q.aging_per_s >= 0 && q.aging_per_s <= kMaxAging)) {
      diag.add(field("aging_per_s"), "must be within 0..1000 points per second");
    }
    if (q.steps.size() > kMaxSteps) diag.add(field("steps"), "at most 32 steps");
    for (std::size_t k = 0; k < q.steps.size(); ++k) {
      const Step& s = q.steps[k];
      const std::string sat = pointer_child(field("steps"), k);
      if (k == 0 && s.after != Duration::zero()) {
        diag.add(pointer_child(sat, "after"), "the first step starts at 0s");
      }
      if (k > 0 && s.after <= q.steps[k - 1].after) {
        diag.add(pointer_child(sat, "after"),
                 fmt::format("step timeouts must increase ({} is not after {})",
                             format_duration(s.after), format_duration(q.steps[k - 1].after)));
      }
      check_needs(s.skills, pointer_child(sat, "skills"), skill_set, diag);
      if (s.min_proficiency && (*s.min_proficiency < 1 || *s.min_proficiency > kMaxProficiency)) {
        diag.add(pointer_child(sat, "min_proficiency"), "proficiency must be 1..5");
      }
      if (!s.overflow_to.empty()) {
        queue_ref(s.overflow_to, pointer_child(sat, "overflow_to"), q);
        if (k == 0) diag.add(pointer_child(sat, "overflow_to"), "the first step cannot overflow");
        if (k + 1 != q.steps.size()) {
          diag.add(pointer_child(sat, "overflow_to"), "only the last step can overflow");
        }
      }
    }
    if (q.max_wait < Duration::zero()) diag.add(field("max_wait"), "must be >= 0");
    queue_ref(q.timeout_to, field("timeout_to"), q);
    if (!q.timeout_to.empty() && q.max_wait == Duration::zero()) {
      diag.add(field("timeout_to"), "timeout_to needs a max_wait");
    }
    if (q.callback_over < Duration::zero()) diag.add(field("callback_over"), "must be >= 0");
    if (!q.calendar.empty() && !d.calendars.contains(q.calendar)) {
      diag.add(field("calendar"), fmt::format("unknown calendar \"{}\"", q.calendar));
    }
    if (q.closed == ClosedAction::overflow) {
      if (q.closed_to.empty()) diag.add(field("closed_to"), "closed: overflow needs closed_to");
      queue_ref(q.closed_to, field("closed_to"), q);
    }
    if (q.wrap_up < Duration::zero()) diag.add(field("wrap_up"), "must be >= 0");
    if (q.expected_handle <= Duration::zero())
      diag.add(field("expected_handle"), "must be positive");
    if (q.owner_wait < Duration::zero()) diag.add(field("owner_wait"), "must be >= 0");
  }
  // Overflow graph (steps, time-outs, closed hours) must not loop: a contact would bounce forever.
  if (diag.empty()) {
    const std::size_t n = d.queues.size();
    std::vector<std::vector<std::size_t>> next(n);
    auto idx = [&](const std::string& name) { return queue_index.at(name); };
    for (std::size_t i = 0; i < n; ++i) {
      const Queue& q = d.queues[i];
      if (!q.steps.empty() && !q.steps.back().overflow_to.empty()) {
        next[i].push_back(idx(q.steps.back().overflow_to));
      }
      if (!q.timeout_to.empty()) next[i].push_back(idx(q.timeout_to));
      if (q.closed == ClosedAction::overflow) next[i].push_back(idx(q.closed_to));
    }
    // Iterative depth-first search (a chain of 10,000 queues must not exhaust the stack).
    std::vector<int> color(n, 0);
    std::vector<std::pair<std::size_t, std::size_t>> stack;  // queue, next edge to follow
    bool found = false;
    for (std::size_t i = 0; i < n && !found; ++i) {
      if (color[i] != 0) continue;
      stack.assign(1, {i, 0});
      color[i] = 1;
      while (!stack.empty() && !found) {
        auto& [u, e] = stack.back();
        if (e == next[u].size()) {
          color[u] = 2;
          stack.pop_back();
          continue;
        }
        const std::size_t v = next[u][e++];
        if (color[v] == 1) {
          std::string cycle;
          std::size_t from = 0;
          while (stack[from].first != v) ++from;
          for (std::size_t k = from; k < stack.size() && cycle.size() < 1000; ++k) {
            cycle += d.queues[stack[k].first].name + " -> ";
          }
          diag.add(pointer_child("/queues", v),
                   fmt::format("overflow cycle: {}{}", cycle, d.queues[v].name));
          found = true;
        } else if (color[v] == 0) {
          color[v] = 1;
          stack.emplace_back(v, 0);
        }
      }
    }
  }
}

bool holds(const Condition& c, const std::map<std::string, std::string, std::less<>>& attrs) {
  auto it = attrs.find(c.attribute);
  if (it == attrs.end()) return false;
  const std::string& v = it->second;
  switch (c.op) {
    case Condition::Op::at_least:
    case Condition::Op::below: {
      double x = 0;
      const auto* end = v.data() + v.size();
      auto res = std::from_chars(v.data(), end, x);
      if (res.ec != std::errc{} || res.ptr != end || !std::isfinite(x)) return false;
      return c.op == Condition::Op::at_least ? x >= c.number : x < c.number;
    }
    case Condition::Op::equals:
      return !c.values.empty() && v == c.values.front();
    case Condition::Op::in:
      return std::find(c.values.begin(), c.values.end(), v) != c.values.end();
  }
  return false;
}

}  // namespace

std::string_view to_string(Grade g) noexcept { return kGrades[static_cast<std::size_t>(g) % 4]; }
std::string_view to_string(Pool p) noexcept { return kPools[static_cast<std::size_t>(p) % 3]; }
std::string_view to_string(Strategy s) noexcept {
  return kStrategies[static_cast<std::size_t>(s) % kStrategies.size()];
}
std::string_view to_string(ClosedAction a) noexcept {
  return kClosed[static_cast<std::size_t>(a) % 3];
}

Policy::Policy(Definition d) : def_(std::move(d)) {
  {
    std::vector<std::string> names;
    for (const Queue& q : def_.queues) names.push_back(q.name);
    queue_ix_.build(names);
  }
  skill_ix_.build(def_.skills);
  language_ix_.build(def_.languages);
  {
    std::vector<std::string> names;
    for (const Tier& t : def_.tiers) names.push_back(t.name);
    tier_ix_.build(names);
  }
  if (def_.default_tier.empty()) def_.default_tier = def_.tiers.back().name;
  for (const Queue& q : def_.queues) {
    std::vector<Step> steps = q.steps;
    if (steps.empty()) steps.push_back(Step{});
    steps_.push_back(std::move(steps));
    queue_calendars_.push_back(q.calendar.empty() ? nullptr : &def_.calendars.at(q.calendar));
  }
  // Starvation bound (docs/routing.md): the explicit max_wait, else the time aging needs to
  // cover the spread of static priorities plus the largest SLA boost.
  if (def_.rules.max_wait > Duration::zero()) {
    starvation_bound_ = def_.rules.max_wait;
  } else {
    double min_aging = kMaxAging;
    int lo = 0, hi = 0;
    for (const Queue& q : def_.queues) {
      min_aging = std::min(min_aging, q.aging_per_s);
      lo = std::min(lo, q.priority);
      hi = std::max(hi, q.priority);
    }
    int tlo = def_.tiers.front().priority, thi = tlo;
    for (const Tier& t : def_.tiers)
      tlo = std::min(tlo, t.priority), thi = std::max(thi, t.priority);
    if (min_aging > 0) {
      const double spread =
          (hi - lo) + (thi - tlo) + (def_.rules.sla_aware ? def_.rules.sla_weight : 0.0);
      // Aging so slow that the bound passes a century (1e-300 points a second) promises nothing
      // a host can use: no bound, as without aging (and no cast of a double beyond int64).
      const double ms = std::ceil(spread / min_aging * 1000);
      if (ms <= 3.2e12) starvation_bound_ = Duration{static_cast<std::int64_t>(ms)};
    }
  }
}

std::shared_ptr<const Policy> Policy::build(Definition definition) {
  Diagnostics diag;
  validate(definition, diag);
  diag.throw_if_any();
  return std::shared_ptr<const Policy>(new Policy(std::move(definition)));
}

std::shared_ptr<const Policy> Policy::from_json(std::string_view json,
                                                const std::filesystem::path& base_dir) {
  const Json root = detail::parse_json(json);
  return build(read_definition(root, base_dir));
}

std::shared_ptr<const Policy> Policy::load(const std::filesystem::path& path) {
  return from_json(detail::read_file(path), path.parent_path());
}

std::string Policy::to_json() const {
  Json j;
  j["name"] = def_.name;
  j["version"] = def_.version;
  j["skills"] = def_.skills;
  j["languages"] = def_.languages;
  j["channels"] = Json::array();
  for (const Channel& c : def_.channels) {
    j["channels"].push_back({{"name", c.name}, {"capacity", c.default_capacity}});
  }
  j["tiers"] = Json::array();
  for (const Tier& t : def_.tiers) {
    j["tiers"].push_back(
        {{"name", t.name},
         {"priority", t.priority},
         {"target",
          {{"threshold", format_duration(t.target.threshold)}, {"fraction", t.target.fraction}}},
         {"vip", t.vip},
         {"bypass_ivr", t.bypass_ivr}});
  }
  j["tier_rules"] = Json::array();
  for (const TierRule& r : def_.tier_rules) {
    Json when = Json::array();
    for (const Condition& c : r.when) {
      Json cj{{"attribute", c.attribute}};
      const char* op = kOps[static_cast<std::size_t>(c.op)];
      if (c.op == Condition::Op::at_least || c.op == Condition::Op::below) {
        cj[op] = c.number;
      } else if (c.op == Condition::Op::equals) {
        cj[op] = c.values.empty() ? std::string() : c.values.front();
      } else {
        cj[op] = c.values;
      }
      when.push_back(std::move(cj));
    }
    j["tier_rules"].push_back({{"tier", r.tier}, {"when", std::move(when)}});
  }
  j["default_tier"] = def_.default_tier;
  j["calendars"] = Json::object();
  for (const auto& [name, cal] : def_.calendars) j["calendars"][name] = Json::parse(cal.to_json());
  const Rules& x = def_.rules;
  j["rules"] = {{"offer_timeout", format_duration(x.offer_timeout)},
                {"reject_cooldown", format_duration(x.reject_cooldown)},
                {"rna_limit", x.rna_limit},
                {"rna_reason", x.rna_reason},
                {"max_wait", format_duration(x.max_wait)},
                {"sla_aware", x.sla_aware},
                {"sla_weight", x.sla_weight},
                {"sla_window", format_duration(x.sla_window)},
                {"announce", x.announce},
                {"announce_every", format_duration(x.announce_every)}};
  j["queues"] = Json::array();
  for (const Queue& q : def_.queues) {
    Json qj;
    qj["name"] = q.name;
    qj["channel"] = q.channel;
    qj["skills"] = needs_json(q.skills);
    qj["language_required"] = q.language_required;
    qj["pools"] = Json::array();
    for (Pool p : q.pools) qj["pools"].push_back(to_string(p));
    qj["strategy"] = to_string(q.strategy);
    qj["ring_all_limit"] = q.ring_all_limit;
    qj["steps"] = Json::array();
    for (const Step& s : q.steps) {
      Json sj{{"after", format_duration(s.after)}, {"skills", needs_json(s.skills)}};
      if (s.min_proficiency) sj["min_proficiency"] = *s.min_proficiency;
      sj["min_grade"] = to_string(s.min_grade);
      if (!s.overflow_to.empty()) sj["overflow_to"] = s.overflow_to;
      qj["steps"].push_back(std::move(sj));
    }
    qj["priority"] = q.priority;
    qj["aging_per_s"] = q.aging_per_s;
    qj["max_length"] = q.max_length;
    qj["max_wait"] = format_duration(q.max_wait);
    if (!q.timeout_to.empty()) qj["timeout_to"] = q.timeout_to;
    qj["callback_over"] = format_duration(q.callback_over);
    if (!q.calendar.empty()) qj["calendar"] = q.calendar;
    qj["closed"] = to_string(q.closed);
    if (!q.closed_to.empty()) qj["closed_to"] = q.closed_to;
    qj["wrap_up"] = format_duration(q.wrap_up);
    qj["expected_handle"] = format_duration(q.expected_handle);
    qj["owner_wait"] = format_duration(q.owner_wait);
    j["queues"].push_back(std::move(qj));
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::size_t Policy::queue_index(std::string_view name) const {
  if (auto i = find_queue(name)) return *i;
  throw Error(ErrorCode::not_found, "", fmt::format("unknown queue \"{}\"", name));
}
std::size_t Policy::tier_index(std::string_view name) const {
  if (auto i = find_tier(name)) return *i;
  throw Error(ErrorCode::not_found, "", fmt::format("unknown tier \"{}\"", name));
}
std::size_t Policy::skill_index(std::string_view name) const {
  if (auto i = find_skill(name)) return *i;
  throw Error(ErrorCode::not_found, "", fmt::format("unknown skill \"{}\"", name));
}
std::size_t Policy::language_index(std::string_view name) const {
  if (auto i = find_language(name)) return *i;
  throw Error(ErrorCode::not_found, "", fmt::format("unknown language \"{}\"", name));
}
std::size_t Policy::channel_index(std::string_view name) const {
  for (std::size_t i = 0; i < def_.channels.size(); ++i) {
    if (def_.channels[i].name == name) return i;
  }
  throw Error(ErrorCode::not_found, "", fmt::format("unknown channel \"{}\"", name));
}
namespace {
/// The first 16 bytes of a name as two little-endian words, zero-padded.
std::pair<std::uint64_t, std::uint64_t> name_words(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  if constexpr (std::endian::native == std::endian::little) {
    // Whole-word loads that never read past the name; overlapping bytes land where they
    // belong, so the words equal those of the byte loop below.
    const auto load = [](const char* q, auto width) {
      decltype(width) v;
      std::memcpy(&v, q, sizeof v);
      return static_cast<std::uint64_t>(v);
    };
    if (n >= 16) return {load(p, std::uint64_t{}), load(p + 8, std::uint64_t{})};
    if (n > 8)
      return {load(p, std::uint64_t{}), load(p + n - 8, std::uint64_t{}) >> (8 * (16 - n))};
    if (n == 8) return {load(p, std::uint64_t{}), 0};
    if (n >= 4) {
      return {load(p, std::uint32_t{}) | (load(p + n - 4, std::uint32_t{}) << (8 * (n - 4))), 0};
    }
    if (n == 0) return {0, 0};
    const auto byte = [&](std::size_t i) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    };
    return {byte(0) | byte(n / 2) | byte(n - 1), 0};
  }
  std::uint64_t w[2] = {0, 0};
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 16); ++i) {
    w[i >> 3] |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << ((i & 7) * 8);
  }
  return {w[0], w[1]};
}
/// Mixes the words and the length (and, past 16 bytes, an FNV-1a of the whole name); the table
/// masks the low bits.
std::uint64_t name_hash(std::string_view s, std::uint64_t w0, std::uint64_t w1) noexcept {
  if (s.size() > 16) w1 ^= detail::fnv1a(s);
  std::uint64_t h = (w0 * 0x9E3779B97F4A7C15ULL) ^ (w1 * 0xC2B2AE3D27D4EB4FULL) ^ s.size();
  h ^= h >> 32;
  h *= 0xFF51AFD7ED558CCDULL;
  return h ^ (h >> 29);
}
}  // namespace

void Policy::NameIndex::build(const std::vector<std::string>& names) {
  names_ = names;
  std::size_t n = 8;
  while (n < 2 * names.size()) n *= 2;
  slots_.assign(n, Slot{});
  mask_ = n - 1;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto [w0, w1] = name_words(names[i]);
    std::size_t k = static_cast<std::size_t>(name_hash(names[i], w0, w1) & mask_);
    while (slots_[k].index != 0) k = (k + 1) & mask_;
    slots_[k] = {w0, w1, static_cast<std::uint32_t>(names[i].size()),
                 static_cast<std::uint32_t>(i + 1)};
  }
}

std::size_t Policy::NameIndex::find(std::string_view name) const noexcept {
  if (slots_.empty() || name.size() > 0xFFFFFFFFu) return npos;
  const auto [w0, w1] = name_words(name);
  const auto len = static_cast<std::uint32_t>(name.size());
  for (std::size_t k = static_cast<std::size_t>(name_hash(name, w0, w1) & mask_);;
       k = (k + 1) & mask_) {
    const Slot& s = slots_[k];
    if (s.index == 0) return npos;
    if (s.w0 == w0 && s.w1 == w1 && s.len == len && (len <= 16 || names_[s.index - 1] == name)) {
      return s.index - 1;
    }
  }
}

std::size_t Policy::classify(
    const std::map<std::string, std::string, std::less<>>& attributes) const {
  for (const TierRule& r : def_.tier_rules) {
    if (std::all_of(r.when.begin(), r.when.end(),
                    [&](const Condition& c) { return holds(c, attributes); })) {
      return tier_index(r.tier);
    }
  }
  return tier_index(def_.default_tier);
}

const calendar::Calendar* Policy::queue_calendar(std::size_t queue) const {
  return queue_calendars_.at(queue);
}

}  // namespace hotline::routing
