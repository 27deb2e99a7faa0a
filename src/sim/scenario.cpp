// Scenario loading and validation.
#include <hotline/sim/scenario.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <hotline/core/error.hpp>

#include "core/json.hpp"
#include "sim/internal.hpp"

namespace hotline::sim {

namespace {

using hotline::detail::fail_at;
using hotline::detail::Json;
using hotline::detail::ObjectReader;
using hotline::detail::pointer_child;

constexpr int kMaxAgents = 100'000;
constexpr int kMaxReplications = 1000;
constexpr double kMaxCalls = 1e8;
constexpr std::size_t kMaxEmpirical = 100'000;

Duration duration_at(const Json& v, const std::string& where) {
  if (v.is_number()) {
    const double s = v.get<double>();
    if (!(s >= 0) || s > 1e9) fail_at(where, "expected a duration between 0 and 1e9 seconds");
    return Duration{static_cast<std::int64_t>(std::llround(s * 1000.0))};
  }
  if (!v.is_string()) {
    fail_at(where, fmt::format("expected a duration such as \"90s\", found {}",
                               hotline::detail::json_type_name(v)));
  }
  Duration d{};
  try {
    d = parse_duration(v.get<std::string>());
  } catch (const Error& e) {
    fail_at(where, e.message());
  }
  if (d < Duration{0}) fail_at(where, "a duration must not be negative");
  return d;
}

Duration duration(ObjectReader& r, std::string_view key) {
  return duration_at(r.require(key), r.at(key));
}

double probability(ObjectReader& r, std::string_view key, double fallback) {
  const auto v = r.optional_number(key);
  if (!v) return fallback;
  if (!(*v >= 0 && *v <= 1)) fail_at(r.at(key), "expected a probability in [0, 1]");
  return *v;
}

Distribution distribution_at(const Json& v, const std::string& where, bool allow_never = false) {
  Distribution d;
  if (!v.is_object()) {
    d = Distribution::constant_of(duration_at(v, where));
    return d;
  }
  ObjectReader r(v, where);
  const std::string kind = r.string("dist");
  if (kind == "constant") {
    d.kind = Distribution::Kind::constant;
    d.mean = sim::detail::secs(duration(r, "value"));
  } else if (kind == "exponential") {
    d.kind = Distribution::Kind::exponential;
    d.mean = sim::detail::secs(duration(r, "mean"));
  } else if (kind == "lognormal") {
    d.kind = Distribution::Kind::lognormal;
    d.mean = sim::detail::secs(duration(r, "mean"));
    d.sd = sim::detail::secs(duration(r, "sd"));
    if (!(d.mean > 0)) fail_at(r.at("mean"), "a log-normal mean must be positive");
  } else if (kind == "empirical") {
    d.kind = Distribution::Kind::empirical;
    const Json& values = r.array("values");
    if (values.empty()) fail_at(r.at("values"), "expected at least one value");
    if (values.size() > kMaxEmpirical) {
      throw Error(ErrorCode::limit, r.at("values"),
                  fmt::format("at most {} empirical values", kMaxEmpirical));
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      d.values.push_back(
          sim::detail::secs(duration_at(values[i], pointer_child(r.at("values"), i))));
    }
    double sum = 0;
    for (double x : d.values) sum += x;
    d.mean = sum / static_cast<double>(d.values.size());
  } else if (kind == "never" && allow_never) {
    d.kind = Distribution::Kind::never;
  } else {
    fail_at(r.at("dist"),
            fmt::format("unknown distribution \"{}\" (constant, exponential, lognormal, "
                        "empirical{})",
                        kind, allow_never ? ", never" : ""));
  }
  r.finish();
  return d;
}

/// Runs a nested loader and prefixes the places of its errors with the scenario's field.
template <class F>
auto nested(const std::string& where, F&& load) -> decltype(load()) {
  try {
    return load();
  } catch (const Error& e) {
    std::vector<Diagnostic> ds = e.diagnostics();
    for (Diagnostic& d : ds) d.where = d.where.empty() ? where : where + ": " + d.where;
    throw Error(e.code(), std::move(ds));
  }
}

/// A member that is either a file name (relative to base) or the inline document.
struct Source {
  std::string text;
  std::filesystem::path base;
};
Source source(const Json& v, const std::string& where, const std::filesystem::path& base) {
  if (v.is_string()) {
    const std::filesystem::path p = base / v.get<std::string>();
    return nested(where, [&] { return Source{hotline::detail::read_file(p), p.parent_path()}; });
  }
  if (v.is_object()) return Source{v.dump(), base};
  fail_at(where, "expected a file name or an inline object");
}

std::vector<std::pair<std::string, double>> shares(const Json& v, const std::string& where) {
  if (!v.is_object()) fail_at(where, "expected an object: name -> share");
  std::vector<std::pair<std::string, double>> out;
  double total = 0;
  for (const auto& [k, x] : v.items()) {
    if (!x.is_number() || !(x.get<double>() >= 0)) {
      fail_at(pointer_child(where, k), "expected a non-negative share");
    }
    out.emplace_back(k, x.get<double>());
    total += x.get<double>();
  }
  if (out.empty()) fail_at(where, "expected at least one entry");
  if (std::abs(total - 1.0) > 1e-6) {
    fail_at(where, fmt::format("shares add up to {:.6g}, not 1", total));
  }
  return out;
}

template <class E>
E enum_named(std::string_view text, const std::string& where, std::initializer_list<E> values) {
  for (E e : values) {
    if (routing::to_string(e) == text) return e;
  }
  std::string list;
  for (E e : values) list += (list.empty() ? "" : ", ") + std::string(routing::to_string(e));
  fail_at(where, fmt::format("unknown value \"{}\" (one of {})", text, list));
}

std::vector<routing::AgentSkill> agent_skills(const Json& v, const std::string& where) {
  if (!v.is_array()) fail_at(where, "expected an array of skills");
  std::vector<routing::AgentSkill> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = pointer_child(where, i);
    if (v[i].is_string()) {
      out.push_back({v[i].get<std::string>(), 3});
      continue;
    }
    ObjectReader r(v[i], at);
    routing::AgentSkill s{r.string("skill"), 3};
    if (auto p = r.optional_integer("proficiency")) {
      if (*p < 1 || *p > 5) fail_at(r.at("proficiency"), "proficiency is 1..5");
      s.proficiency = static_cast<int>(*p);
    }
    r.finish();
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Shift> shifts(const Json& v, const std::string& where) {
  if (!v.is_array() || v.empty()) fail_at(where, "expected a non-empty array of shifts");
  std::vector<Shift> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    ObjectReader r(v[i], pointer_child(where, i));
    Shift s;
    s.start = duration(r, "start");
    s.end = duration(r, "end");
    if (s.end <= s.start) fail_at(r.at("end"), "a shift must end after it starts");
    if (const Json* b = r.optional_array("breaks")) {
      for (std::size_t k = 0; k < b->size(); ++k) {
        ObjectReader br((*b)[k], pointer_child(r.at("breaks"), k));
        Break brk{duration(br, "at"), duration(br, "length")};
        if (brk.at < s.start || brk.at + brk.length > s.end) {
          fail_at(br.pointer(), "a break must lie inside its shift");
        }
        if (!s.breaks.empty() && brk.at < s.breaks.back().at + s.breaks.back().length) {
          fail_at(br.pointer(), "breaks must be in order and must not overlap");
        }
        br.finish();
        s.breaks.push_back(brk);
      }
    }
    r.finish();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Duration Distribution::sample(Rng& rng) const {
  double s = 0;
  switch (kind) {
    case Kind::constant:
      s = mean;
      break;
    case Kind::exponential:
      s = rng.exponential(mean);
      break;
    case Kind::lognormal:
      s = rng.lognormal(mean, sd);
      break;
    case Kind::empirical:
      s = values.empty() ? 0 : values[rng.below(values.size())];
      break;
    case Kind::never:
      return Duration::max();
  }
  return Duration{static_cast<std::int64_t>(std::llround(std::min(s, 1e12) * 1000.0))};
}

double Distribution::mean_seconds() const noexcept {
  return kind == Kind::never ? std::numeric_limits<double>::infinity() : mean;
}

Distribution Distribution::constant_of(Duration d) {
  Distribution x;
  x.kind = Kind::constant;
  x.mean = sim::detail::secs(d);
  return x;
}

Distribution Distribution::exponential_of(Duration mean) {
  Distribution x;
  x.kind = Kind::exponential;
  x.mean = sim::detail::secs(mean);
  return x;
}

int Scenario::agent_count() const noexcept {
  int n = 0;
  for (const AgentGroup& g : agents) n += g.count;
  return n;
}

Scenario Scenario::load(const std::filesystem::path& path) {
  const std::string text = hotline::detail::read_file(path);
  return nested(path.filename().string(), [&] { return from_json(text, path.parent_path()); });
}

Scenario Scenario::from_json(std::string_view text, const std::filesystem::path& base) {
  const Json j = hotline::detail::parse_json(text);
  ObjectReader r(j, "");
  r.allow({"$schema", "description"});
  Scenario s;
  s.name = r.string("name");
  if (auto tz = r.optional_string("time_zone")) {
    s.zone = nested(r.at("time_zone"), [&] { return calendar::Calendar::always_open(*tz); });
  }
  {
    const std::string st = r.string("start");
    try {
      s.start =
          st.find_first_of("Zz+") != std::string::npos || (st.size() > 19 && st.rfind('-') > 10)
              ? parse_instant(st)
              : s.zone.parse_time(st);
    } catch (const Error& e) {
      fail_at(r.at("start"), e.message());
    }
  }
  if (r.has("length")) s.length = duration(r, "length");
  if (s.length <= Duration{0} || s.length > std::chrono::days{31}) {
    fail_at(r.at("length"), "the length must be between 1 ms and 31 days");
  }
  if (r.has("interval")) s.interval = duration(r, "interval");
  if (s.interval < std::chrono::minutes{1} || s.length % s.interval != Duration{0}) {
    fail_at(r.at("interval"), "the interval must be at least 1 minute and divide the length");
  }
  if (r.has("warmup")) s.warmup = duration(r, "warmup");
  if (s.warmup >= s.length) fail_at(r.at("warmup"), "the warm-up must be shorter than the day");
  if (auto seed = r.optional_integer("seed")) s.seed = static_cast<std::uint64_t>(*seed);
  if (auto reps = r.optional_integer("replications")) {
    if (*reps < 1 || *reps > kMaxReplications) {
      fail_at(r.at("replications"), fmt::format("expected 1 .. {}", kMaxReplications));
    }
    s.replications = static_cast<int>(*reps);
  }

  {
    const Source src = source(r.require("routing"), r.at("routing"), base);
    s.routing =
        nested(r.at("routing"), [&] { return routing::Policy::from_json(src.text, src.base); });
  }
  if (const Json* t = r.find("targets")) {
    const Source src = source(*t, r.at("targets"), base);
    s.targets = nested(r.at("targets"), [&] { return sla::Targets::from_json(src.text); });
  }

  // Traffic.
  {
    ObjectReader a(r.require("arrivals"), r.at("arrivals"));
    s.calls = a.number("calls");
    if (!(s.calls >= 0 && s.calls <= kMaxCalls)) {
      throw Error(ErrorCode::limit, a.at("calls"),
                  fmt::format("expected 0 .. {:.0f} calls", kMaxCalls));
    }
    const auto intervals = static_cast<std::size_t>(s.length / s.interval);
    if (const Json* p = a.optional_array("profile")) {
      if (p->size() != intervals) {
        fail_at(a.at("profile"), fmt::format("expected {} weights (one per interval), found {}",
                                             intervals, p->size()));
      }
      double total = 0;
      for (std::size_t i = 0; i < p->size(); ++i) {
        if (!(*p)[i].is_number() || !((*p)[i].get<double>() >= 0)) {
          fail_at(pointer_child(a.at("profile"), i), "expected a non-negative weight");
        }
        s.profile.push_back((*p)[i].get<double>());
        total += s.profile.back();
      }
      if (!(total > 0)) fail_at(a.at("profile"), "the weights add up to 0");
    }
    Distribution default_patience = Distribution::exponential_of(std::chrono::minutes{2});
    if (const Json* p = a.find("patience")) {
      default_patience = distribution_at(*p, a.at("patience"), true);
    }
    if (const Json* segs = a.optional_array("segments")) {
      double total = 0;
      for (std::size_t i = 0; i < segs->size(); ++i) {
        ObjectReader g((*segs)[i], pointer_child(a.at("segments"), i));
        Segment seg;
        seg.name = g.optional_string("name").value_or(fmt::format("segment{}", i + 1));
        seg.share = g.number("share");
        if (!(seg.share >= 0)) fail_at(g.at("share"), "expected a non-negative share");
        total += seg.share;
        if (const Json* at = g.find("attributes")) {
          if (!at->is_object()) fail_at(g.at("attributes"), "expected an object of strings");
          for (const auto& [k, v] : at->items()) {
            if (v.is_string()) {
              seg.attributes[k] = v.get<std::string>();
            } else if (v.is_number()) {
              seg.attributes[k] = v.dump();
            } else {
              fail_at(pointer_child(g.at("attributes"), k), "expected a string or a number");
            }
          }
        }
        if (auto tier = g.optional_string("tier")) {
          seg.tier = *tier;
          nested(g.at("tier"), [&] { return s.routing->tier_index(*tier); });
        } else {
          seg.tier = s.routing->definition().tiers.at(s.routing->classify(seg.attributes)).name;
        }
        seg.patience = default_patience;
        if (const Json* p = g.find("patience"))
          seg.patience = distribution_at(*p, g.at("patience"), true);
        g.finish();
        s.segments.push_back(std::move(seg));
      }
      if (std::abs(total - 1.0) > 1e-6) {
        fail_at(a.at("segments"), fmt::format("shares add up to {:.6g}, not 1", total));
      }
    } else {
      Segment seg;
      seg.name = "all";
      seg.share = 1;
      seg.tier = s.routing->definition().tiers.at(s.routing->classify({})).name;
      seg.patience = default_patience;
      s.segments.push_back(std::move(seg));
    }
    if (const Json* l = a.find("languages")) {
      s.languages = shares(*l, a.at("languages"));
      for (const auto& entry : s.languages) {
        const std::string& lang = entry.first;
        nested(pointer_child(a.at("languages"), lang),
               [&] { return s.routing->language_index(lang); });
      }
    }
    if (const Json* q = a.find("queues")) {
      s.queues = shares(*q, a.at("queues"));
      for (const auto& entry : s.queues) {
        const std::string& name = entry.first;
        nested(pointer_child(a.at("queues"), name), [&] { return s.routing->queue_index(name); });
      }
    }
    a.finish();
  }
  if (const Json* h = r.find("handle")) {
    if (!h->is_object()) fail_at(r.at("handle"), "expected an object: queue -> distribution");
    for (const auto& item : h->items()) {
      const std::string q = item.key();
      const Json& d = item.value();
      const std::string at = pointer_child(r.at("handle"), q);
      if (q == "default") {
        s.default_handle = distribution_at(d, at);
        continue;
      }
      nested(at, [&] { return s.routing->queue_index(q); });
      s.handle[q] = distribution_at(d, at);
    }
  }
  if (const Json* d = r.find("answer_delay"))
    s.answer_delay = distribution_at(*d, r.at("answer_delay"));

  // People.
  {
    const Json& groups = r.array("agents");
    int total = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      ObjectReader g(groups[i], pointer_child(r.at("agents"), i));
      AgentGroup ag;
      ag.name = g.string("name");
      const auto count = g.integer("count");
      if (count < 0 || count > kMaxAgents) {
        throw Error(ErrorCode::limit, g.at("count"), fmt::format("expected 0 .. {}", kMaxAgents));
      }
      ag.count = static_cast<int>(count);
      total += ag.count;
      if (total > kMaxAgents) {
        throw Error(ErrorCode::limit, g.at("count"),
                    fmt::format("more than {} agents in the scenario", kMaxAgents));
      }
      ag.skills = agent_skills(g.require("skills"), g.at("skills"));
      for (std::size_t k = 0; k < ag.skills.size(); ++k) {
        nested(pointer_child(g.at("skills"), k),
               [&] { return s.routing->skill_index(ag.skills[k].skill); });
      }
      if (const Json* l = g.optional_array("languages")) {
        for (std::size_t k = 0; k < l->size(); ++k) {
          const std::string at = pointer_child(g.at("languages"), k);
          if (!(*l)[k].is_string()) fail_at(at, "expected a language name");
          ag.languages.push_back((*l)[k].get<std::string>());
          nested(at, [&] { return s.routing->language_index(ag.languages.back()); });
        }
      }
      if (auto grade = g.optional_string("grade")) {
        ag.grade = enum_named(*grade, g.at("grade"),
                              {routing::Grade::junior, routing::Grade::intermediate,
                               routing::Grade::senior, routing::Grade::expert});
      }
      if (auto pool = g.optional_string("pool")) {
        ag.pool =
            enum_named(*pool, g.at("pool"),
                       {routing::Pool::inbound, routing::Pool::outbound, routing::Pool::blended});
      }
      if (const Json* sh = g.find("shifts")) {
        ag.shifts = shifts(*sh, g.at("shifts"));
      } else {
        ag.shifts.push_back({Duration{0}, s.length, {}});
      }
      g.finish();
      s.agents.push_back(std::move(ag));
    }
  }

  if (const Json* v = r.find("ivr")) {
    ObjectReader o(*v, r.at("ivr"));
    IvrModel m;
    const Json& docs = o.array("documents");
    if (docs.empty()) fail_at(o.at("documents"), "expected at least one IVR document");
    std::vector<ivr::Document> documents;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const std::string at = pointer_child(o.at("documents"), i);
      const Source src = source(docs[i], at, base);
      documents.push_back(nested(at, [&] { return ivr::Document::from_json(src.text, src.base); }));
    }
    m.tree = nested(o.at("documents"), [&] { return ivr::Tree::compose(documents); });
    if (const Json* c = o.find("callers")) {
      const Source src = source(*c, o.at("callers"), base);
      m.callers = nested(o.at("callers"), [&] { return ivr::CallerModel::from_json(src.text); });
    }
    if (const Json* q = o.find("queues")) {
      if (!q->is_object()) fail_at(o.at("queues"), "expected an object: transfer -> queue");
      for (const auto& item : q->items()) {
        const std::string from = item.key();
        const Json& to = item.value();
        const std::string at = pointer_child(o.at("queues"), from);
        if (!to.is_string()) fail_at(at, "expected a routing queue name");
        nested(at, [&] { return s.routing->queue_index(to.get<std::string>()); });
        m.queues[from] = to.get<std::string>();
      }
    }
    for (const ivr::Node& n : m.tree->nodes()) {
      if (n.kind != ivr::NodeKind::transfer) continue;
      auto it = m.queues.find(n.queue);
      const std::string& q = it == m.queues.end() ? n.queue : it->second;
      if (!s.routing->find_queue(q)) {
        fail_at(o.at("queues"), fmt::format("IVR node {} transfers to \"{}\", which is not a "
                                            "routing queue: map it here",
                                            n.id, n.queue));
      }
    }
    if (auto a = o.optional_string("callback_action")) m.callback_action = *a;
    o.finish();
    s.ivr = std::move(m);
  }

  if (const Json* v = r.find("callbacks")) {
    ObjectReader o(*v, r.at("callbacks"));
    s.callbacks.accept = probability(o, "accept", s.callbacks.accept);
    s.callbacks.answer = probability(o, "answer", s.callbacks.answer);
    if (auto q = o.optional_string("queue")) {
      nested(o.at("queue"), [&] { return s.routing->queue_index(*q); });
      s.callbacks.queue = *q;
    }
    if (const Json* d = o.find("delay")) s.callbacks.delay = distribution_at(*d, o.at("delay"));
    if (o.has("ring")) s.callbacks.ring = duration(o, "ring");
    o.finish();
  }

  if (const Json* v = r.find("survey")) {
    ObjectReader o(*v, r.at("survey"));
    SurveyModel m;
    const Source src = source(o.require("definition"), o.at("definition"), base);
    m.definition = std::make_shared<const survey::Definition>(
        nested(o.at("definition"), [&] { return survey::Definition::from_json(src.text); }));
    m.tree =
        nested(o.at("definition"), [&] { return ivr::Tree::compose({m.definition->to_ivr()}); });
    m.respond = probability(o, "respond", m.respond);
    m.dissatisfied = probability(o, "dissatisfied", m.dissatisfied);
    m.dissatisfied_per_minute =
        probability(o, "dissatisfied_per_minute", m.dissatisfied_per_minute);
    m.dissatisfied_max = probability(o, "dissatisfied_max", m.dissatisfied_max);
    m.at_fault = probability(o, "at_fault", m.at_fault);
    if (const Json* d = o.find("explain")) m.explain = distribution_at(*d, o.at("explain"));
    if (const Json* d = o.find("review")) m.review = distribution_at(*d, o.at("review"));
    const Json& sup = o.array("supervisors");
    for (std::size_t i = 0; i < sup.size(); ++i) {
      ObjectReader sr(sup[i], pointer_child(o.at("supervisors"), i));
      const Duration from = duration(sr, "from"), to = duration(sr, "to");
      if (to <= from) fail_at(sr.at("to"), "a supervisor's shift must end after it starts");
      m.supervisors.emplace_back(from, to, sr.string("supervisor"));
      sr.finish();
    }
    if (m.supervisors.empty()) fail_at(o.at("supervisors"), "expected at least one supervisor");
    o.finish();
    s.survey = std::move(m);
  }

  if (const Json* v = r.find("complaints")) {
    ObjectReader o(*v, r.at("complaints"));
    const Source src = source(o.require("policy"), o.at("policy"), base);
    ComplaintModel m{
        nested(o.at("policy"), [&] { return escalation::Policy::from_json(src.text, src.base); })};
    if (const Json* f = o.find("from_queues")) {
      if (!f->is_object()) fail_at(o.at("from_queues"), "expected an object: queue -> probability");
      for (const auto& item : f->items()) {
        const std::string q = item.key();
        const Json& p = item.value();
        const std::string at = pointer_child(o.at("from_queues"), q);
        nested(at, [&] { return s.routing->queue_index(q); });
        if (!p.is_number() || !(p.get<double>() >= 0 && p.get<double>() <= 1)) {
          fail_at(at, "expected a probability in [0, 1]");
        }
        m.from_queues[q] = p.get<double>();
      }
    }
    if (auto c = o.optional_string("category")) m.category = *c;
    if (m.policy.category_index(m.category) < 0) {
      fail_at(o.at("category"),
              fmt::format("\"{}\" is not a category of the escalation policy", m.category));
    }
    m.urgent = probability(o, "urgent", m.urgent);
    m.satisfied = probability(o, "satisfied", m.satisfied);
    const Json& deps = o.array("departments");
    double total = 0;
    for (std::size_t i = 0; i < deps.size(); ++i) {
      ObjectReader d(deps[i], pointer_child(o.at("departments"), i));
      DepartmentModel dm;
      dm.id = d.string("id");
      if (m.policy.department_index(dm.id) < 0) {
        fail_at(d.at("id"),
                fmt::format("\"{}\" is not a department of the escalation policy", dm.id));
      }
      dm.share = d.number("share");
      if (!(dm.share >= 0)) fail_at(d.at("share"), "expected a non-negative share");
      total += dm.share;
      dm.reply = distribution_at(d.require("reply"), d.at("reply"));
      d.finish();
      m.departments.push_back(std::move(dm));
    }
    if (deps.empty() || std::abs(total - 1.0) > 1e-6) {
      fail_at(o.at("departments"), "expected departments whose shares add up to 1");
    }
    const escalation::Workflow* wf = nullptr;
    for (const auto& [cat, w] : m.policy.categories()) {
      if (cat == m.category) wf = &m.policy.workflows().at(w);
    }
    const Json& steps = o.array("steps");
    if (steps.empty()) fail_at(o.at("steps"), "expected at least one step");
    for (std::size_t i = 0; i < steps.size(); ++i) {
      ObjectReader st(steps[i], pointer_child(o.at("steps"), i));
      ComplaintStep cs;
      cs.transition = st.string("do");
      if (wf != nullptr && wf->transition_index(cs.transition) < 0) {
        fail_at(st.at("do"), fmt::format("\"{}\" is not a transition of the {} workflow",
                                         cs.transition, m.category));
      }
      const std::string by = st.optional_string("by").value_or("owner");
      if (by == "owner") {
        cs.by = ComplaintStep::By::owner;
      } else if (by == "supervisor") {
        cs.by = ComplaintStep::By::supervisor;
      } else if (by == "handler") {
        cs.by = ComplaintStep::By::handler;
      } else {
        fail_at(st.at("by"), fmt::format("unknown actor \"{}\" (owner, supervisor, handler)", by));
      }
      const Json& after = st.require("after");
      if (after.is_string() && after.get<std::string>() == "department") {
        cs.department_time = true;
      } else {
        cs.after = distribution_at(after, st.at("after"));
      }
      cs.assign = st.boolean("assign", false);
      cs.satisfied = st.boolean("satisfied", false);
      if (const Json* f = st.find("fields")) {
        if (!f->is_object()) fail_at(st.at("fields"), "expected an object of strings");
        for (const auto& [k, value] : f->items()) {
          if (!value.is_string()) fail_at(pointer_child(st.at("fields"), k), "expected a string");
          cs.fields[k] = value.get<std::string>();
        }
      }
      st.finish();
      m.steps.push_back(std::move(cs));
    }
    o.finish();
    s.complaints = std::move(m);
  }
  r.finish();
  s.validate();
  return s;
}

void Scenario::validate() const {
  hotline::detail::Diagnostics diag;
  if (!routing) {
    diag.add("/routing", "a routing policy is required");
    diag.throw_if_any();
  }
  if (segments.empty()) diag.add("/arrivals/segments", "expected at least one customer segment");
  if (!ivr && queues.empty()) {
    diag.add("/arrivals/queues", "without an IVR, give the queue mix of the calls");
  }
  if (!profile.empty() && profile.size() != static_cast<std::size_t>(length / interval)) {
    diag.add("/arrivals/profile", "expected one weight per interval");
  }
  for (std::size_t i = 0; i < agents.size(); ++i) {
    for (const Shift& sh : agents[i].shifts) {
      if (sh.end > length + std::chrono::hours{24}) {
        diag.add(fmt::format("/agents/{}/shifts", i), "a shift ends more than 24 h after the day");
      }
    }
  }
  if (agent_count() == 0) diag.add("/agents", "expected at least one agent");
  if (survey && complaints == std::nullopt) {
    diag.add("/survey", "the dissatisfaction loop needs the escalation policy of \"complaints\"");
  }
  if (survey && complaints && survey->definition->follow_up() &&
      complaints->policy.category_index(survey->definition->follow_up()->category) < 0) {
    diag.add("/survey/definition",
             fmt::format("follow-up category \"{}\" is not in the escalation policy",
                         survey->definition->follow_up()->category));
  }
  diag.throw_if_any();
}

}  // namespace hotline::sim
