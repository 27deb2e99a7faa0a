// IVR sessions, the version registry, trajectories, analytics and the offline simulation.
#include <hotline/ivr/session.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/json.hpp"

namespace hotline::ivr {

namespace {

using detail::Json;

constexpr const char* kActions[] = {"play", "collect", "invoke", "transfer", "survey", "hangup"};
constexpr const char* kOutcomes[] = {"in_progress", "self_service", "transferred", "abandoned",
                                     "step_limit"};

}  // namespace

const char* to_string(ActionKind k) noexcept { return kActions[static_cast<int>(k)]; }
const char* to_string(Outcome o) noexcept { return kOutcomes[static_cast<int>(o)]; }

// ---------------------------------------------------------------------------------------------
// Session

Session::Session(std::shared_ptr<const Tree> tree, CallInfo call, Instant now)
    : tree_(std::move(tree)), call_(std::move(call)) {
  if (!tree_) throw Error(ErrorCode::invalid_argument, "tree", "tree must not be null");
  set_language(call_.language);
  trajectory_.tree_version = tree_->version_label();
  trajectory_.started = now;
  actions_.reserve(4);
  trajectory_.visits.reserve(16);  // a typical call: about a dozen steps, one allocation
  enter(tree_->start(), now);
}

std::string_view Session::variable(std::string_view name) const noexcept {
  auto it = vars_.find(name);
  return it == vars_.end() ? std::string_view() : std::string_view(it->second);
}

void Session::set_language(std::string_view language) {
  const auto& langs = tree_->languages();
  auto it = std::find(langs.begin(), langs.end(), language);
  if (it == langs.end()) it = std::find(langs.begin(), langs.end(), tree_->fallback_language());
  language_view_ = it == langs.end() ? std::string_view() : std::string_view(*it);
  language_ = std::string(language_view_);
}

void Session::record(int node, Instant now, std::string_view input) {
  trajectory_.visits.push_back(Visit{node, now, std::string(input)});
}

void Session::play(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  Action a;
  a.kind = ActionKind::play;
  a.language = language_view_;
  a.prompts = ids;  // a view of the tree's vector: no copy per event
  actions_.push_back(std::move(a));
}

void Session::finish(Outcome o, Instant now) {
  trajectory_.outcome = o;
  trajectory_.ended = now;
  wait_ = Wait::done;
}

void Session::enter(int node, Instant now) {
  if (node < 0) node = tree_->agent();
  node_ = node;
  noinput_ = nomatch_ = 0;
  confirming_ = false;
  record(node, now, {});
  run(now);
}

void Session::run(Instant now) {
  const Tree& t = *tree_;
  for (;;) {
    if (++steps_ > t.limits().max_steps) {
      Action a;
      if (t.agent() >= 0) {
        const Node& agent = t.nodes()[static_cast<std::size_t>(t.agent())];
        a.kind = ActionKind::transfer;
        a.name = agent.queue;
        a.attributes = &agent.attributes;
        trajectory_.queue = agent.queue;
      } else {
        a.kind = ActionKind::hangup;  // a flow without humans
      }
      actions_.push_back(std::move(a));
      finish(Outcome::step_limit, now);
      return;
    }
    const Node& n = t.nodes()[static_cast<std::size_t>(node_)];
    auto go = [&](int to) {
      node_ = to < 0 ? t.agent() : to;
      noinput_ = nomatch_ = 0;
      record(node_, now, {});
    };
    switch (n.kind) {
      case NodeKind::play:
        play(n.prompts);
        go(n.next);
        continue;
      case NodeKind::menu:
      case NodeKind::language:
      case NodeKind::collect: {
        play(n.prompts);
        collect(n, n.kind == NodeKind::collect ? n.max_digits : 1);
        return;
      }
      case NodeKind::branch: {
        int to = n.otherwise;
        for (const Condition& c : n.conditions) {
          bool match = false;
          switch (c.kind) {
            case Condition::Kind::tier:
              match = call_.tier == c.value;
              break;
            case Condition::Kind::language:
              match = language_ == c.value;
              break;
            case Condition::Kind::open:
            case Condition::Kind::closed: {
              const calendar::Calendar* cal = t.calendar(c.value);
              const bool open = cal != nullptr && cal->is_open(now);
              match = c.kind == Condition::Kind::open ? open : !open;
              break;
            }
            case Condition::Kind::var_eq:
              match = variable(c.name) == c.value;
              break;
            case Condition::Kind::attr_eq:
            case Condition::Kind::attr_ge:
            case Condition::Kind::attr_lt: {
              auto it = call_.attributes.find(c.name);
              if (it == call_.attributes.end()) break;
              if (c.kind == Condition::Kind::attr_eq) {
                match = it->second == c.value;
              } else {
                char* end = nullptr;
                const double v = std::strtod(it->second.c_str(), &end);
                if (end == it->second.c_str() || !std::isfinite(v)) break;
                match = c.kind == Condition::Kind::attr_ge ? v >= c.number : v < c.number;
              }
              break;
            }
          }
          if (match) {
            to = c.target;
            break;
          }
        }
        go(to);
        continue;
      }
      case NodeKind::action: {
        Action a;
        a.kind = ActionKind::invoke;
        a.name = n.action;
        actions_.push_back(std::move(a));
        wait_ = Wait::result;
        return;
      }
      case NodeKind::survey: {
        Action a;
        a.kind = ActionKind::survey;
        a.name = n.survey;
        actions_.push_back(std::move(a));
        wait_ = Wait::result;
        return;
      }
      case NodeKind::transfer: {
        play(n.prompts);
        Action a;
        a.kind = ActionKind::transfer;
        a.name = n.queue;
        a.attributes = &n.attributes;
        actions_.push_back(std::move(a));
        trajectory_.queue = n.queue;
        finish(Outcome::transferred, now);
        return;
      }
      case NodeKind::subflow:
        returns_.push_back(n.next);
        go(n.callee);
        continue;
      case NodeKind::ret:
        if (!returns_.empty()) {
          const int to = returns_.back();
          returns_.pop_back();
          go(to);
          continue;
        }
        [[fallthrough]];
      case NodeKind::hangup: {
        play(n.prompts);
        Action a;
        a.kind = ActionKind::hangup;
        actions_.push_back(std::move(a));
        finish(Outcome::self_service, now);
        return;
      }
    }
  }
}

void Session::retry(bool noinput, Instant now) {
  const Node& n = tree_->nodes()[static_cast<std::size_t>(node_)];
  int& count = noinput ? noinput_ : nomatch_;
  ++count;
  if (count > (noinput ? n.max_noinput : n.max_nomatch)) {
    enter(n.exhausted, now);
    return;
  }
  const auto& tapered = noinput ? n.noinput_prompts : n.nomatch_prompts;
  if (tapered.empty()) {
    play(n.prompts);
  } else {
    play(tapered[std::min<std::size_t>(static_cast<std::size_t>(count) - 1, tapered.size() - 1)]);
  }
  collect(n, n.kind == NodeKind::collect ? n.max_digits : 1);
}

void Session::collect(const Node& n, int max_digits) {
  Action a;
  a.kind = ActionKind::collect;
  a.language = language_view_;
  a.max_digits = max_digits;
  a.terminator = max_digits > 1 ? n.terminator : 0;
  a.timeout = n.timeout;
  a.inter_digit = n.inter_digit;
  actions_.push_back(std::move(a));
  wait_ = Wait::digits;
}

void Session::on_digits(std::string_view digits, Instant now) {
  if (wait_ != Wait::digits) {
    throw Error(ErrorCode::invalid_state, "on_digits",
                finished() ? "the call has left the IVR" : "the session is not collecting digits");
  }
  if (digits.empty() || digits.size() > 64 ||
      digits.find_first_not_of("0123456789*#") != std::string_view::npos) {
    throw Error(ErrorCode::invalid_argument, "digits",
                fmt::format("\"{}\" is not a DTMF string (0-9, *, #; 1 to 64 keys)", digits));
  }
  actions_.clear();
  trajectory_.keys += static_cast<int>(digits.size());
  trajectory_.visits.back().input = std::string(digits);
  const Tree& t = *tree_;
  const Node& n = t.nodes()[static_cast<std::size_t>(node_)];
  if (n.kind == NodeKind::menu || n.kind == NodeKind::language) {
    const char k = digits.front();
    if (digits.size() == 1 && t.agent_key() != 0 && k == t.agent_key()) {
      enter(t.agent(), now);
      return;
    }
    if (digits.size() == 1 && t.back_key() != 0 && k == t.back_key() && !menus_.empty()) {
      const int back = menus_.back();
      menus_.pop_back();
      enter(back, now);
      return;
    }
    if (digits.size() == 1) {
      if (n.kind == NodeKind::menu) {
        for (const auto& [key, to] : n.options) {
          if (key == k) {
            menus_.push_back(node_);
            enter(to, now);
            return;
          }
        }
      } else {
        for (const auto& [key, lang] : n.languages) {
          if (key == k) {
            set_language(lang);
            enter(n.next, now);
            return;
          }
        }
      }
    }
    retry(false, now);
    return;
  }
  // collect
  if (confirming_) {
    confirming_ = false;
    if (digits == "1") {
      vars_[n.into] = pending_;
      enter(n.next, now);
    } else {
      retry(false, now);
    }
    return;
  }
  std::string_view d = digits;
  if (n.terminator != 0 && d.back() == n.terminator) d.remove_suffix(1);
  bool ok = static_cast<int>(d.size()) >= n.min_digits &&
            static_cast<int>(d.size()) <= n.max_digits &&
            d.find_first_not_of("0123456789") == std::string_view::npos;
  if (ok) ok = tree_->digits_match(node_, d);
  if (!ok) {
    retry(false, now);
    return;
  }
  if (n.confirm) {
    pending_ = std::string(d);
    confirming_ = true;
    Action readback;
    readback.kind = ActionKind::play;
    readback.language = language_view_;
    readback.readback = pending_;  // the host reads the digits back
    actions_.push_back(std::move(readback));
    collect(n, 1);  // 1 = yes, 2 = no
    return;
  }
  vars_[n.into] = std::string(d);
  enter(n.next, now);
}

void Session::on_timeout(Instant now) {
  if (wait_ != Wait::digits) {
    throw Error(ErrorCode::invalid_state, "on_timeout",
                finished() ? "the call has left the IVR" : "the session is not collecting digits");
  }
  actions_.clear();
  trajectory_.visits.back().input = "timeout";
  confirming_ = false;
  retry(true, now);
}

void Session::on_result(std::string_view outcome, Instant now) {
  if (wait_ != Wait::result) {
    throw Error(ErrorCode::invalid_state, "on_result",
                finished() ? "the call has left the IVR" : "no host action is pending");
  }
  const Node& n = tree_->nodes()[static_cast<std::size_t>(node_)];
  if (n.kind == NodeKind::survey) {
    actions_.clear();
    trajectory_.visits.back().input = std::string(outcome);
    enter(n.next, now);
    return;
  }
  for (const auto& [name, to] : n.outcomes) {
    if (name != outcome) continue;
    actions_.clear();
    trajectory_.visits.back().input = std::string(outcome);
    if (n.verifies && outcome == "ok") verified_ = true;
    enter(to, now);
    return;
  }
  std::string declared;
  for (const auto& o : n.outcomes) declared += (declared.empty() ? "" : ", ") + o.first;
  throw Error(ErrorCode::invalid_argument, "outcome",
              fmt::format("action \"{}\" has no outcome \"{}\" (declared: {})", n.action, outcome,
                          declared));
}

void Session::on_hangup(Instant now) {
  if (finished()) throw Error(ErrorCode::invalid_state, "on_hangup", "the call has left the IVR");
  actions_.clear();
  trajectory_.visits.back().input = "hangup";
  finish(Outcome::abandoned, now);
}

// ---------------------------------------------------------------------------------------------
// Registry

int Registry::publish(std::shared_ptr<const Tree> tree) {
  if (!tree) throw Error(ErrorCode::invalid_argument, "tree", "tree must not be null");
  versions_.push_back(std::move(tree));
  return static_cast<int>(versions_.size());
}

std::shared_ptr<const Tree> Registry::latest() const {
  if (versions_.empty()) throw Error(ErrorCode::not_found, "registry", "no version published");
  return versions_.back();
}

std::shared_ptr<const Tree> Registry::version(int number) const {
  if (number < 1 || number > count()) {
    throw Error(ErrorCode::not_found, "version", fmt::format("no version {}", number));
  }
  return versions_[static_cast<std::size_t>(number - 1)];
}

// ---------------------------------------------------------------------------------------------
// Trajectories

std::string Trajectory::to_json(const Tree& tree) const {
  Json visits_j = Json::array();
  for (const Visit& v : visits) {
    visits_j.push_back(
        Json{{"node", v.node >= 0 ? tree.nodes()[static_cast<std::size_t>(v.node)].id : ""},
             {"at", format_instant(v.at)},
             {"input", v.input}});
  }
  return Json{
      {"tree", tree_version},
      {"started", format_instant(started)},
      {"ended", outcome == Outcome::in_progress ? Json(nullptr) : Json(format_instant(ended))},
      {"outcome", to_string(outcome)},
      {"queue", queue},
      {"keys", keys},
      {"visits", std::move(visits_j)}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

Trajectory Trajectory::from_json(std::string_view json, const Tree& tree) {
  const Json j = detail::parse_json(json);
  detail::ObjectReader r(j, "");
  Trajectory t;
  t.tree_version = r.string("tree");
  t.started = parse_instant(r.string("started"));
  if (auto e = r.optional_string("ended")) t.ended = parse_instant(*e);
  const std::string outcome = r.string("outcome");
  bool known = false;
  for (int i = 0; i < 5; ++i) {
    if (outcome == kOutcomes[i]) {
      t.outcome = static_cast<Outcome>(i);
      known = true;
    }
  }
  if (!known) detail::fail_at(r.at("outcome"), fmt::format("unknown outcome \"{}\"", outcome));
  t.queue = r.optional_string("queue").value_or("");
  t.keys = static_cast<int>(r.optional_integer("keys").value_or(0));
  const Json& visits = r.array("visits");
  for (std::size_t i = 0; i < visits.size(); ++i) {
    detail::ObjectReader v(visits[i], detail::pointer_child(r.at("visits"), i));
    Visit visit;
    const std::string id = v.string("node");
    visit.node = tree.find(id);
    if (visit.node < 0) detail::fail_at(v.at("node"), fmt::format("unknown node \"{}\"", id));
    visit.at = parse_instant(v.string("at"));
    visit.input = v.optional_string("input").value_or("");
    v.finish();
    t.visits.push_back(std::move(visit));
  }
  r.finish();
  return t;
}

Analytics analyze(const Tree& tree, const std::vector<Trajectory>& trajectories, int top) {
  Analytics a;
  std::map<std::string, int> paths;
  std::vector<double> to_agent;
  for (const Trajectory& t : trajectories) {
    if (t.outcome == Outcome::in_progress) continue;
    ++a.calls;
    switch (t.outcome) {
      case Outcome::self_service:
        ++a.self_service;
        break;
      case Outcome::transferred:
        ++a.transferred;
        ++a.transfers_per_queue[t.queue];
        to_agent.push_back(static_cast<double>((t.ended - t.started).count()) / 1000.0);
        break;
      case Outcome::abandoned:
        ++a.abandoned;
        if (!t.visits.empty() && t.visits.back().node >= 0) {
          ++a.drop_off_per_node[tree.nodes()[static_cast<std::size_t>(t.visits.back().node)].id];
        }
        break;
      case Outcome::step_limit:
        ++a.step_limit;
        ++a.transfers_per_queue[t.queue];
        break;
      default:
        break;
    }
    std::string path;
    for (const Visit& v : t.visits) {
      if (v.node < 0) continue;
      const Node& n = tree.nodes()[static_cast<std::size_t>(v.node)];
      if (n.kind == NodeKind::branch || n.kind == NodeKind::subflow) continue;  // not heard
      path += (path.empty() ? "" : " > ") + n.id;
    }
    ++paths[path + " [" + to_string(t.outcome) + "]"];
  }
  if (a.calls > 0) {
    a.containment = static_cast<double>(a.self_service) / a.calls;
    a.abandonment = static_cast<double>(a.abandoned) / a.calls;
  }
  std::vector<std::pair<std::string, int>> sorted(paths.begin(), paths.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  if (static_cast<int>(sorted.size()) > top)
    sorted.resize(static_cast<std::size_t>(std::max(top, 0)));
  a.top_paths = std::move(sorted);
  if (!to_agent.empty()) {
    double sum = 0;
    for (double s : to_agent) sum += s;
    a.mean_seconds_to_agent = sum / static_cast<double>(to_agent.size());
    std::sort(to_agent.begin(), to_agent.end());
    const auto rank =
        static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(to_agent.size())));
    a.p90_seconds_to_agent = to_agent[std::max<std::size_t>(rank, 1) - 1];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Simulation

std::vector<Trajectory> simulate(std::shared_ptr<const Tree> tree, const CallerModel& model,
                                 int calls, std::uint64_t seed, Instant start) {
  if (!tree) throw Error(ErrorCode::invalid_argument, "tree", "tree must not be null");
  if (calls < 0 || calls > 10'000'000) {
    throw Error(ErrorCode::invalid_argument, "calls", "calls must be between 0 and 10,000,000");
  }
  if (!(model.timeout_probability >= 0 && model.timeout_probability <= 1)) {
    throw Error(ErrorCode::invalid_argument, "timeout_probability", "must be in [0, 1]");
  }
  const Rng root(seed);
  std::vector<Trajectory> out;
  out.reserve(static_cast<std::size_t>(calls));
  for (int i = 0; i < calls; ++i) {
    Rng rng = root.stream(static_cast<std::uint64_t>(i));
    Instant now = start + std::chrono::seconds{i};
    const Instant began = now;
    const Duration patience{static_cast<std::int64_t>(
        rng.exponential(static_cast<double>(model.mean_patience.count())))};
    Session s(tree, CallInfo{model.tier, "", {}}, now);
    for (int guard = 0; guard < 100'000 && !s.finished(); ++guard) {
      const CallerModel::Step step = model.next(s, rng);
      if (step.kind == CallerModel::Step::Kind::none) break;
      now += step.after;
      if (now - began > patience) {
        s.on_hangup(began + patience);
        break;
      }
      switch (step.kind) {
        case CallerModel::Step::Kind::digits:
          s.on_digits(step.input, now);
          break;
        case CallerModel::Step::Kind::timeout:
          s.on_timeout(now);
          break;
        default:
          s.on_result(step.input, now);
          break;
      }
    }
    out.push_back(s.trajectory());
  }
  return out;
}

Duration CallerModel::prompt_time(const Session& s) {
  Duration heard{};
  for (const Action& a : s.actions()) {
    if (a.kind != ActionKind::play) continue;
    heard += s.tree().prompts_length(a.prompts, s.language());
  }
  return heard;
}

CallerModel::Step CallerModel::next(const Session& s, Rng& rng, std::string_view language) const {
  Step step;
  const auto actions = s.actions();
  if (actions.empty()) return step;
  const Tree& tree = s.tree();
  step.after = prompt_time(s);
  if (s.finished()) return step;  // none, after the closing prompts
  const Action& last = actions.back();
  const Node& node = tree.nodes()[static_cast<std::size_t>(s.node())];
  auto timeout = [&] {
    step.kind = Step::Kind::timeout;
    step.after += last.timeout;
    return step;
  };
  if (last.kind == ActionKind::collect) {
    if (rng.bernoulli(timeout_probability)) return timeout();
    step.kind = Step::Kind::digits;
    step.after += think_time;
    if (node.kind == NodeKind::collect) {
      auto it = digits.find(node.id);
      step.input = it != digits.end() ? it->second
                                      : std::string(static_cast<std::size_t>(node.max_digits), '1');
      if (node.confirm && s.variable(node.into).empty() && last.max_digits == 1 &&
          actions.size() >= 2 && !actions[actions.size() - 2].readback.empty()) {
        step.input.assign(1, '1');  // confirming the read-back
      }
      return step;
    }
    if (node.kind == NodeKind::language && !language.empty()) {
      for (const auto& [key, lang] : node.languages) {
        if (lang == language) {
          step.input.assign(1, key);
          return step;
        }
      }
    }
    auto it = keys.find(node.id);
    if (it != keys.end()) {
      double u = rng.uniform() * (1.0 - timeout_probability);
      char pick = 0;
      for (const auto& [k, p] : it->second) {
        if (u < p) {
          pick = k;
          break;
        }
        u -= p;
      }
      if (pick == 0) {
        step.after -= think_time;
        return timeout();
      }
      step.input.assign(1, pick);
      return step;
    }
    const auto count = node.kind == NodeKind::menu ? node.options.size() : node.languages.size();
    if (count == 0) {
      step.input.assign(1, tree.agent_key());
    } else {
      const auto k = rng.below(count);
      step.input.assign(
          1, node.kind == NodeKind::menu ? node.options[k].first : node.languages[k].first);
    }
    return step;
  }
  if (last.kind == ActionKind::invoke) {
    std::string outcome = "ok";
    auto it = outcomes.find(node.action);
    if (it != outcomes.end()) {
      double u = rng.uniform();
      for (const auto& [name, p] : it->second) {
        if (u < p) {
          outcome = name;
          break;
        }
        u -= p;
      }
    }
    if (std::none_of(node.outcomes.begin(), node.outcomes.end(),
                     [&](const auto& o) { return o.first == outcome; }) &&
        !node.outcomes.empty()) {
      // Not in the model and no "ok": each declared outcome equally likely.
      outcome = node.outcomes[rng.below(node.outcomes.size())].first;
    }
    step.kind = Step::Kind::result;
    step.input = std::move(outcome);
    step.after += std::chrono::seconds{1};
    return step;
  }
  if (last.kind == ActionKind::survey) {
    step.kind = Step::Kind::result;
    step.input = "done";
  }
  return step;
}

CallerModel CallerModel::from_json(std::string_view json) {
  const Json j = detail::parse_json(json);
  detail::ObjectReader r(j, "");
  CallerModel m;
  auto probability = [](const Json& v, const std::string& where) {
    if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() <= 1)) {
      detail::fail_at(where, "expected a probability in [0, 1]");
    }
    return v.get<double>();
  };
  if (const Json* keys = r.find("keys")) {
    if (!keys->is_object()) detail::fail_at(r.at("keys"), "expected an object: node -> {key: p}");
    for (const auto& [node, dist] : keys->items()) {
      const std::string at = detail::pointer_child(r.at("keys"), node);
      if (!dist.is_object()) detail::fail_at(at, "expected an object: key -> probability");
      double total = 0;
      for (const auto& [key, p] : dist.items()) {
        const std::string kat = detail::pointer_child(at, key);
        if (key.size() != 1 ||
            std::string_view("0123456789*#").find(key[0]) == std::string_view::npos) {
          detail::fail_at(kat, "a key is one of 0-9, * or #");
        }
        total += m.keys[node][key[0]] = probability(p, kat);
      }
      if (total > 1 + 1e-9) detail::fail_at(at, "key probabilities add up to more than 1");
    }
  }
  if (const Json* t = r.find("timeout_probability")) {
    m.timeout_probability = probability(*t, r.at("timeout_probability"));
  }
  if (const Json* outs = r.find("outcomes")) {
    if (!outs->is_object()) detail::fail_at(r.at("outcomes"), "expected an object");
    for (const auto& [action, dist] : outs->items()) {
      const std::string at = detail::pointer_child(r.at("outcomes"), action);
      if (!dist.is_object()) detail::fail_at(at, "expected an object: outcome -> probability");
      for (const auto& [name, p] : dist.items()) {
        m.outcomes[action][name] = probability(p, detail::pointer_child(at, name));
      }
    }
  }
  if (const Json* digits = r.find("digits")) {
    if (!digits->is_object()) detail::fail_at(r.at("digits"), "expected an object: node -> digits");
    for (const auto& [node, d] : digits->items()) {
      if (!d.is_string())
        detail::fail_at(detail::pointer_child(r.at("digits"), node), "expected a string");
      m.digits[node] = d.get<std::string>();
    }
  }
  auto duration = [&](std::string_view key, Duration& out) {
    if (auto text = r.optional_string(key)) {
      try {
        out = parse_duration(*text);
      } catch (const Error& e) {
        detail::fail_at(r.at(key), e.message());
      }
      if (out < Duration::zero()) detail::fail_at(r.at(key), "must not be negative");
    }
  };
  duration("mean_patience", m.mean_patience);
  duration("think_time", m.think_time);
  m.tier = r.optional_string("tier").value_or(m.tier);
  r.finish();
  return m;
}

std::string to_json(const Analytics& a) {
  Json paths = Json::array();
  for (const auto& [p, n] : a.top_paths) paths.push_back(Json{{"path", p}, {"calls", n}});
  Json queues = Json::object();
  for (const auto& [q, n] : a.transfers_per_queue) queues[q] = n;
  Json drops = Json::object();
  for (const auto& [node, n] : a.drop_off_per_node) drops[node] = n;
  return Json{{"calls", a.calls},
              {"self_service", a.self_service},
              {"transferred", a.transferred},
              {"abandoned", a.abandoned},
              {"step_limit", a.step_limit},
              {"containment", a.containment},
              {"abandonment", a.abandonment},
              {"transfers_per_queue", std::move(queues)},
              {"drop_off_per_node", std::move(drops)},
              {"top_paths", std::move(paths)},
              {"mean_seconds_to_agent", a.mean_seconds_to_agent},
              {"p90_seconds_to_agent", a.p90_seconds_to_agent}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace hotline::ivr
