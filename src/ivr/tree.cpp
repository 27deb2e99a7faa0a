// IVR documents, composition and verification (docs/ivr.md). Structural errors in a document
// (bad JSON, wrong types, unknown keys or node kinds) stop at the first; everything about the
// composed graph is collected and reported together, each finding at "document/node/...".
#include <hotline/ivr/tree.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/json.hpp"
#include "ivr/digit_pattern.hpp"

namespace hotline::ivr {

namespace {

using detail::fail_at;
using detail::Json;
using detail::ObjectReader;
using detail::pointer_child;

constexpr const char* kKinds[] = {"menu",    "play",   "collect",  "branch", "action", "transfer",
                                  "subflow", "return", "language", "survey", "hangup"};

Duration seconds_at(ObjectReader& r, std::string_view key, Duration fallback) {
  const Json* j = r.find(key);
  if (!j) return fallback;
  if (j->is_number()) {
    const double s = j->get<double>();
    if (!(s > 0 && s <= 600)) fail_at(r.at(key), "must be between 0 and 600 seconds");
    return Duration{static_cast<std::int64_t>(std::llround(s * 1000))};
  }
  if (!j->is_string()) fail_at(r.at(key), "expected seconds (number) or a duration (\"5s\")");
  try {
    const Duration d = parse_duration(j->get<std::string>());
    if (d <= Duration::zero() || d > std::chrono::minutes{10}) {
      fail_at(r.at(key), "must be between 0 and 10 minutes");
    }
    return d;
  } catch (const Error& e) {
    if (e.where() == r.at(key)) throw;
    fail_at(r.at(key), e.message());
  }
}

int bounded_int(ObjectReader& r, std::string_view key, int fallback, int lo, int hi) {
  const auto v = r.optional_integer(key);
  if (!v) return fallback;
  if (*v < lo || *v > hi) fail_at(r.at(key), fmt::format("must be between {} and {}", lo, hi));
  return static_cast<int>(*v);
}

char key_at(const Json& j, const std::string& where) {
  if (!j.is_string()) fail_at(where, "expected a key: one of 0-9, * or #");
  const std::string s = j.get<std::string>();
  if (s.size() != 1 || std::string_view("0123456789*#").find(s[0]) == std::string_view::npos) {
    fail_at(where, fmt::format("\"{}\" is not a key (0-9, * or #)", s));
  }
  return s[0];
}

std::vector<std::string> string_list(const Json& j, const std::string& where) {
  std::vector<std::string> out;
  if (!j.is_array()) fail_at(where, "expected an array of strings");
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) fail_at(pointer_child(where, i), "expected a string");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

// A node as parsed, before targets are resolved.
struct RawNode {
  Node node;
  std::string where;  // JSON pointer in its document
  std::string next, exhausted, otherwise, flow;
  std::vector<std::pair<char, std::string>> options;          // key -> target name
  std::vector<std::pair<std::string, std::string>> outcomes;  // outcome -> target name
  std::vector<std::string> condition_targets;
  std::shared_ptr<const internal::DigitPattern> pattern;  // compiled once, while validating
};

struct RawDoc {
  Document doc;
  std::string start;
  std::vector<std::string> languages;
  std::string fallback;
  std::optional<Limits> limits;
  std::optional<char> agent_key, back_key;
  std::string agent;
  std::map<std::string, std::map<std::string, PromptText, std::less<>>, std::less<>> prompts;
  std::map<std::string, calendar::Calendar, std::less<>> calendars;
  std::vector<RawNode> nodes;
};

RawNode parse_node(const Json& j, const std::string& where, const std::string& doc) {
  ObjectReader r(j, where);
  RawNode rn;
  rn.where = where;
  Node& n = rn.node;
  n.document = doc;
  n.id = r.string("id");
  if (n.id.empty() || n.id.find('/') != std::string::npos) {
    fail_at(r.at("id"), "a node id must be non-empty and must not contain '/'");
  }
  const std::string kind = r.string("kind");
  int k = -1;
  for (int i = 0; i < 11; ++i) {
    if (kind == kKinds[i]) k = i;
  }
  if (k < 0) {
    fail_at(r.at("kind"),
            fmt::format("unknown node kind \"{}\" (menu, play, collect, branch, action, "
                        "transfer, subflow, return, language, survey, hangup)",
                        kind));
  }
  n.kind = static_cast<NodeKind>(k);
  if (const Json* p = r.find("prompts")) n.prompts = string_list(*p, r.at("prompts"));
  if (auto s = r.optional_string("next")) rn.next = *s;
  auto tapered = [&](std::string_view key, std::vector<std::vector<std::string>>& out) {
    if (const Json* t = r.optional_array(key)) {
      for (std::size_t i = 0; i < t->size(); ++i) {
        out.push_back(string_list((*t)[i], pointer_child(r.at(key), i)));
      }
    }
  };
  auto retries = [&] {
    n.timeout = seconds_at(r, "timeout", n.timeout);
    n.inter_digit = seconds_at(r, "inter_digit", n.inter_digit);
    n.max_noinput = bounded_int(r, "max_noinput", 3, 0, 10);
    n.max_nomatch = bounded_int(r, "max_nomatch", 3, 0, 10);
    tapered("noinput", n.noinput_prompts);
    tapered("nomatch", n.nomatch_prompts);
    if (auto s = r.optional_string("exhausted")) rn.exhausted = *s;
  };
  switch (n.kind) {
    case NodeKind::menu: {
      const Json& opts = r.array("options");
      for (std::size_t i = 0; i < opts.size(); ++i) {
        ObjectReader o(opts[i], pointer_child(r.at("options"), i));
        rn.options.emplace_back(key_at(o.require("key"), o.at("key")), o.string("to"));
        o.finish();
      }
      retries();
      break;
    }
    case NodeKind::language: {
      const Json& opts = r.array("options");
      for (std::size_t i = 0; i < opts.size(); ++i) {
        ObjectReader o(opts[i], pointer_child(r.at("options"), i));
        n.languages.emplace_back(key_at(o.require("key"), o.at("key")), o.string("language"));
        o.finish();
      }
      retries();
      break;
    }
    case NodeKind::collect:
      n.min_digits = bounded_int(r, "min_digits", 1, 1, static_cast<int>(Tree::kMaxCollectDigits));
      n.max_digits =
          bounded_int(r, "max_digits", n.min_digits, 1, static_cast<int>(Tree::kMaxCollectDigits));
      if (n.max_digits < n.min_digits) fail_at(r.at("max_digits"), "must be >= min_digits");
      if (const Json* t = r.find("terminator")) n.terminator = key_at(*t, r.at("terminator"));
      n.pattern = r.optional_string("pattern").value_or("");
      if (!n.pattern.empty()) {
        try {
          rn.pattern = std::make_shared<const internal::DigitPattern>(n.pattern);
        } catch (const internal::PatternError& e) {
          fail_at(r.at("pattern"), fmt::format("invalid pattern: {}", e.what()));
        }
      }
      n.confirm = r.boolean("confirm", false);
      n.into = r.string("into");
      retries();
      break;
    case NodeKind::branch: {
      const Json& cs = r.array("conditions");
      for (std::size_t i = 0; i < cs.size(); ++i) {
        ObjectReader c(cs[i], pointer_child(r.at("conditions"), i));
        Condition cond;
        if (auto v = c.optional_string("tier")) {
          cond.kind = Condition::Kind::tier;
          cond.value = *v;
        } else if (auto lang = c.optional_string("language")) {
          cond.kind = Condition::Kind::language;
          cond.value = *lang;
        } else if (auto open = c.optional_string("open")) {
          cond.kind = Condition::Kind::open;
          cond.value = *open;
        } else if (auto closed = c.optional_string("closed")) {
          cond.kind = Condition::Kind::closed;
          cond.value = *closed;
        } else if (auto var = c.optional_string("var")) {
          cond.kind = Condition::Kind::var_eq;
          cond.name = *var;
          cond.value = c.string("equals");
        } else if (auto attr = c.optional_string("attr")) {
          cond.name = *attr;
          if (auto eq = c.optional_string("equals")) {
            cond.kind = Condition::Kind::attr_eq;
            cond.value = *eq;
          } else if (auto ge = c.optional_number("gte")) {
            cond.kind = Condition::Kind::attr_ge;
            cond.number = *ge;
          } else if (auto lt = c.optional_number("lt")) {
            cond.kind = Condition::Kind::attr_lt;
            cond.number = *lt;
          } else {
            fail_at(c.pointer(), "an attribute condition needs \"equals\", \"gte\" or \"lt\"");
          }
        } else {
          fail_at(c.pointer(),
                  "a condition needs one of tier, language, open, closed, var (+ equals) or attr");
        }
        rn.condition_targets.push_back(c.string("to"));
        c.finish();
        n.conditions.push_back(std::move(cond));
      }
      rn.otherwise = r.string("otherwise");
      break;
    }
    case NodeKind::action: {
      n.action = r.string("action");
      const Json& outs = r.require("outcomes");
      if (!outs.is_object() || outs.empty()) {
        fail_at(r.at("outcomes"), "expected an object: outcome -> target");
      }
      for (const auto& [name, target] : outs.items()) {
        if (!target.is_string())
          fail_at(pointer_child(r.at("outcomes"), name), "expected a target");
        rn.outcomes.emplace_back(name, target.get<std::string>());
      }
      n.verifies = r.boolean("verifies", false);
      n.changes_account = r.boolean("changes_account", false);
      if (n.verifies && std::none_of(rn.outcomes.begin(), rn.outcomes.end(),
                                     [](const auto& o) { return o.first == "ok"; })) {
        fail_at(r.at("outcomes"), "a verifying action needs an \"ok\" outcome");
      }
      break;
    }
    case NodeKind::transfer: {
      n.queue = r.string("queue");
      if (const Json* a = r.find("attributes")) {
        if (!a->is_object()) fail_at(r.at("attributes"), "expected an object of strings");
        for (const auto& [name, v] : a->items()) {
          if (!v.is_string()) fail_at(pointer_child(r.at("attributes"), name), "expected a string");
          n.attributes.emplace_back(name, v.get<std::string>());
        }
      }
      break;
    }
    case NodeKind::subflow:
      rn.flow = r.string("flow");
      break;
    case NodeKind::survey:
      n.survey = r.string("survey");
      break;
    default:
      break;
  }
  r.finish();
  return rn;
}

RawDoc parse_document(const Document& d) {
  RawDoc rd;
  rd.doc = d;
  const Json root = detail::parse_json(d.json);
  ObjectReader r(root, "");
  rd.doc.name = r.string("name");
  if (rd.doc.name.empty() || rd.doc.name.find('/') != std::string::npos) {
    fail_at(r.at("name"), "a document name must be non-empty and must not contain '/'");
  }
  rd.doc.version = r.string("version");
  rd.doc.owner = r.optional_string("owner").value_or("");
  rd.start = r.string("start");
  if (const Json* l = r.find("languages")) rd.languages = string_list(*l, r.at("languages"));
  rd.fallback = r.optional_string("fallback_language").value_or("");
  if (const Json* lim = r.find("limits")) {
    ObjectReader lr(*lim, r.at("limits"));
    Limits L;
    L.max_options = bounded_int(lr, "max_options", 5, 1, 12);
    L.max_steps = bounded_int(lr, "max_steps", 100, 1, 100000);
    if (auto k = lr.optional_integer("max_keys_to_agent"))
      L.max_keys_to_agent = static_cast<int>(*k);
    L.max_seconds_to_agent = lr.optional_number("max_seconds_to_agent");
    L.l1_direct = lr.boolean("l1_direct", false);
    lr.finish();
    rd.limits = L;
  }
  if (const Json* g = r.find("global")) {
    ObjectReader gr(*g, r.at("global"));
    auto key = [&](std::string_view name) -> std::optional<char> {
      const Json* k = gr.find(name);
      if (!k) return std::nullopt;
      if (k->is_null()) return char{0};
      return key_at(*k, gr.at(name));
    };
    rd.agent_key = key("agent_key");
    rd.back_key = key("back_key");
    rd.agent = gr.optional_string("agent").value_or("");
    gr.finish();
  }
  if (const Json* cals = r.find("calendars")) {
    if (!cals->is_object()) fail_at(r.at("calendars"), "expected an object of named calendars");
    for (const auto& [name, value] : cals->items()) {
      const std::string at = pointer_child(r.at("calendars"), name);
      try {
        if (value.is_object() && value.contains("file")) {
          std::filesystem::path p(value.at("file").get<std::string>());
          if (p.is_relative()) p = d.base_dir / p;
          rd.calendars.emplace(name, calendar::Calendar::load(p));
        } else {
          rd.calendars.emplace(name, calendar::Calendar::from_json(value.dump(
                                         -1, ' ', false, Json::error_handler_t::replace)));
        }
      } catch (const Error& e) {
        fail_at(at, e.what());
      } catch (const Json::exception& e) {
        fail_at(at, e.what());
      }
    }
  }
  if (const Json* ps = r.find("prompts")) {
    if (!ps->is_object()) fail_at(r.at("prompts"), "expected an object: prompt id -> languages");
    for (const auto& [id, langs] : ps->items()) {
      const std::string at = pointer_child(r.at("prompts"), id);
      if (!langs.is_object()) fail_at(at, "expected an object: language -> {text, seconds}");
      for (const auto& [lang, pt] : langs.items()) {
        ObjectReader pr(pt, pointer_child(at, lang));
        PromptText t;
        t.text = pr.string("text");
        t.length = seconds_at(pr, "seconds", Duration{std::chrono::seconds{3}});
        pr.finish();
        rd.prompts[id][lang] = std::move(t);
      }
    }
  }
  const Json& nodes = r.array("nodes");
  if (nodes.size() > 200'000) fail_at(r.at("nodes"), "at most 200,000 nodes per document");
  rd.nodes.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    rd.nodes.push_back(parse_node(nodes[i], pointer_child(r.at("nodes"), i), rd.doc.name));
  }
  r.finish();
  return rd;
}

}  // namespace

struct Document::Parsed {
  RawDoc raw;
};

const char* to_string(NodeKind k) noexcept { return kKinds[static_cast<int>(k)]; }

Document Document::from_json(std::string_view json, const std::filesystem::path& base_dir) {
  Document d;
  d.json = std::string(json);
  d.base_dir = base_dir;
  auto parsed = std::make_shared<Parsed>();
  parsed->raw = parse_document(d);  // validates the document on its own
  d.name = parsed->raw.doc.name;
  d.version = parsed->raw.doc.version;
  d.owner = parsed->raw.doc.owner;
  d.parsed = std::move(parsed);
  return d;
}

Document Document::load(const std::filesystem::path& path) {
  return from_json(detail::read_file(path), path.parent_path());
}

// ---------------------------------------------------------------------------------------------
// Composition and verification

struct Tree::Build {
  static std::shared_ptr<Tree> run(const std::vector<Document>& docs, std::vector<Finding>& errors,
                                   std::vector<Finding>& warnings);
  static void verify(Tree& t, std::vector<Finding>& errors, std::vector<Finding>& warnings);
};

struct Tree::Compiled {
  std::vector<std::shared_ptr<const internal::DigitPattern>>
      patterns;  // per node; null: no pattern
  // Prompt id -> its texts by language (views of prompts_' keys).
  std::unordered_map<std::string_view, const std::map<std::string, PromptText, std::less<>>*>
      prompts;
  // The nodes' prompt lists (by address of their first id) -> their length per language
  // (indexes of languages_).
  struct Lengths {
    std::size_t count = 0;  // ids in the list
    std::vector<Duration> by_language;
  };
  std::unordered_map<const std::string*, Lengths> lengths;
};

std::shared_ptr<Tree> Tree::Build::run(const std::vector<Document>& docs,
                                       std::vector<Finding>& errors,
                                       std::vector<Finding>& warnings) {
  if (docs.empty()) {
    throw Error(ErrorCode::invalid_argument, "documents", "at least one document is needed");
  }
  // Reuse the parse made by Document::from_json when the text is unchanged (no copy).
  std::vector<std::shared_ptr<const Document::Parsed>> parsed;
  std::vector<const RawDoc*> raws;
  for (const Document& d : docs) {
    try {
      if (d.parsed && d.parsed->raw.doc.json.size() == d.json.size() &&
          d.parsed->raw.doc.json == d.json) {
        parsed.push_back(d.parsed);
      } else {
        auto p = std::make_shared<Document::Parsed>();
        p->raw = parse_document(d);
        parsed.push_back(std::move(p));
      }
      raws.push_back(&parsed.back()->raw);
    } catch (const Error& e) {
      // Structural errors: locate them in their document.
      for (const Diagnostic& dg : e.diagnostics()) {
        errors.push_back({fmt::format("{}{}{}", d.name.empty() ? "document" : d.name,
                                      dg.where.empty() || dg.where[0] == '/' ? "" : " ", dg.where),
                          dg.message});
      }
      return nullptr;
    }
  }
  auto t = std::make_shared<Tree>();
  const RawDoc& root = *raws.front();
  t->languages_ = root.languages;
  t->fallback_ =
      root.fallback.empty() && !root.languages.empty() ? root.languages.front() : root.fallback;
  if (t->languages_.empty())
    errors.push_back({root.doc.name + " /languages", "declare at least one language"});
  if (!t->fallback_.empty() &&
      std::find(t->languages_.begin(), t->languages_.end(), t->fallback_) == t->languages_.end()) {
    errors.push_back({root.doc.name + " /fallback_language",
                      fmt::format("\"{}\" is not a declared language", t->fallback_)});
  }
  t->limits_ = root.limits.value_or(Limits{});
  t->agent_key_ = root.agent_key.value_or('0');
  t->back_key_ = root.back_key.value_or('*');
  std::set<std::string> names;
  std::vector<const RawNode*> all;
  std::size_t total = 0;
  for (const RawDoc* rd : raws) total += rd->nodes.size();
  all.reserve(total);
  t->nodes_.reserve(total);
  for (const RawDoc* rdp : raws) {
    const RawDoc& rd = *rdp;
    if (!names.insert(rd.doc.name).second) {
      errors.push_back({rd.doc.name, "two documents have this name"});
    }
    for (const auto& [id, langs] : rd.prompts) {
      for (const auto& [lang, text] : langs) t->prompts_[id][lang] = text;
    }
    for (const auto& [name, cal] : rd.calendars) t->calendars_.insert_or_assign(name, cal);
    for (const RawNode& rn : rd.nodes) {
      all.push_back(&rn);
      t->nodes_.push_back(rn.node);
      t->nodes_.back().id = rd.doc.name + "/" + rn.node.id;
    }
    t->documents_.push_back(rd.doc);
    t->documents_.back().parsed.reset();
    t->documents_.back().json.clear();  // the tree keeps names and versions, not the text
  }
  // Index, duplicates.
  std::map<std::string, int, std::less<>> index;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!index.emplace(t->nodes_[i].id, static_cast<int>(i)).second) {
      errors.push_back({t->nodes_[i].id, "duplicate node id"});
    }
  }
  auto resolve = [&](const std::string& doc, const std::string& name, const std::string& where,
                     const char* field) -> int {
    if (name.empty()) return -1;
    const std::string full = name.find('/') == std::string::npos ? doc + "/" + name : name;
    auto it = index.find(full);
    if (it == index.end()) {
      errors.push_back({where + "/" + field, fmt::format("dangling reference to \"{}\"", name)});
      return -1;
    }
    return it->second;
  };
  std::map<std::string, int, std::less<>> doc_start;
  for (const RawDoc* rd : raws) {
    doc_start[rd->doc.name] = resolve(rd->doc.name, rd->start, rd->doc.name, "start");
  }
  t->start_ = doc_start[root.doc.name];
  if (!root.agent.empty()) {
    t->agent_ = resolve(root.doc.name, root.agent, root.doc.name + "/global", "agent");
    if (t->agent_ >= 0 &&
        t->nodes_[static_cast<std::size_t>(t->agent_)].kind != NodeKind::transfer) {
      errors.push_back(
          {root.doc.name + "/global/agent", "the agent target must be a transfer node"});
    }
  } else if (t->agent_key_ != 0) {
    errors.push_back(
        {root.doc.name + "/global/agent",
         "name the agent target (a transfer node): the 0 key and the step limit use it"});
  }  // else: a flow without humans (a survey): the step limit hangs up
  for (std::size_t i = 0; i < all.size(); ++i) {
    const RawNode& rn = *all[i];
    Node& n = t->nodes_[i];
    const std::string& doc = n.document;
    n.next = resolve(doc, rn.next, n.id, "next");
    n.exhausted = resolve(doc, rn.exhausted, n.id, "exhausted");
    n.otherwise = resolve(doc, rn.otherwise, n.id, "otherwise");
    std::set<char> keys;
    for (std::size_t o = 0; o < rn.options.size(); ++o) {
      const auto& [key, target] = rn.options[o];
      if (!keys.insert(key).second) {
        errors.push_back(
            {fmt::format("{}/options/{}", n.id, o), fmt::format("duplicate key {}", key)});
      }
      n.options.emplace_back(key,
                             resolve(doc, target, fmt::format("{}/options/{}", n.id, o), "to"));
    }
    for (std::size_t o = 0; o < n.languages.size(); ++o) {
      if (!keys.insert(n.languages[o].first).second) {
        errors.push_back({fmt::format("{}/options/{}", n.id, o),
                          fmt::format("duplicate key {}", n.languages[o].first)});
      }
      if (std::find(t->languages_.begin(), t->languages_.end(), n.languages[o].second) ==
          t->languages_.end()) {
        errors.push_back({fmt::format("{}/options/{}", n.id, o),
                          fmt::format("\"{}\" is not a declared language", n.languages[o].second)});
      }
    }
    for (const auto& [name, target] : rn.outcomes) {
      n.outcomes.emplace_back(name, resolve(doc, target, n.id + "/outcomes", name.c_str()));
    }
    for (std::size_t c = 0; c < rn.condition_targets.size(); ++c) {
      n.conditions[c].target =
          resolve(doc, rn.condition_targets[c], fmt::format("{}/conditions/{}", n.id, c), "to");
      const Condition& cond = n.conditions[c];
      if ((cond.kind == Condition::Kind::open || cond.kind == Condition::Kind::closed) &&
          !t->calendars_.contains(cond.value)) {
        errors.push_back({fmt::format("{}/conditions/{}", n.id, c),
                          fmt::format("unknown calendar \"{}\"", cond.value)});
      }
    }
    if (n.kind == NodeKind::subflow) {
      auto it = doc_start.find(rn.flow);
      if (it == doc_start.end()) {
        errors.push_back({n.id + "/flow", fmt::format("no document named \"{}\"", rn.flow)});
      } else {
        n.callee = it->second;
      }
    }
    // Required targets per kind.
    auto need = [&](int target, const char* field) {
      if (target < 0 && errors.empty()) {
        errors.push_back({n.id, fmt::format("a {} node needs \"{}\"", to_string(n.kind), field)});
      }
    };
    switch (n.kind) {
      case NodeKind::play:
      case NodeKind::collect:
      case NodeKind::language:
      case NodeKind::survey:
      case NodeKind::subflow:
        if (rn.next.empty())
          errors.push_back({n.id, fmt::format("a {} node needs \"next\"", to_string(n.kind))});
        break;
      default:
        break;
    }
    (void)need;
    if ((n.kind == NodeKind::menu || n.kind == NodeKind::language || n.kind == NodeKind::collect) &&
        rn.exhausted.empty()) {
      n.exhausted = t->agent_;  // retries run out: to a human
      if (n.exhausted < 0) {
        errors.push_back({n.id, "needs \"exhausted\": there is no agent target to fall back to"});
      }
    }
  }
  t->metrics_.assign(t->nodes_.size(), NodeMetrics{});
  auto compiled = std::make_shared<Compiled>();
  compiled->patterns.resize(t->nodes_.size());
  compiled->prompts.reserve(t->prompts_.size());
  for (const auto& [id, langs] : t->prompts_) compiled->prompts.emplace(id, &langs);
  // Patterns were compiled (and validated) when their documents were parsed.
  for (std::size_t i = 0; i < t->nodes_.size(); ++i) compiled->patterns[i] = all[i]->pattern;
  {
    // prompts_length()'s slow path, once per list and language (compiled_ is not set yet).
    auto add = [&](const std::vector<std::string>& ids) {
      if (ids.empty() || compiled->lengths.contains(ids.data())) return;
      std::vector<Duration> per(t->languages_.size());
      for (std::size_t l = 0; l < per.size(); ++l)
        per[l] = t->prompts_length(ids, t->languages_[l]);
      compiled->lengths.emplace(ids.data(), Compiled::Lengths{ids.size(), std::move(per)});
    };
    for (const Node& n : t->nodes_) {
      add(n.prompts);
      for (const auto& v : n.noinput_prompts) add(v);
      for (const auto& v : n.nomatch_prompts) add(v);
    }
  }
  t->compiled_ = std::move(compiled);
  for (const Document& d : t->documents_) {
    t->version_label_ +=
        fmt::format("{}{} {}", t->version_label_.empty() ? "" : " + ", d.name, d.version);
  }
  // Graph checks run even after reference errors (a dangling target is just a missing edge), so
  // that every problem shows at once.
  if (t->start_ >= 0) verify(*t, errors, warnings);
  return t;
}

namespace {

struct Edge {
  int to;
  int keys;
  double seconds;
};

}  // namespace

void Tree::Build::verify(Tree& t, std::vector<Finding>& errors, std::vector<Finding>& warnings) {
  const auto n = t.nodes_.size();
  auto prompt_seconds = [&](const std::vector<std::string>& ids) {
    double s = 0;
    for (const std::string& id : ids) {
      if (const PromptText* p = t.prompt(id, t.fallback_)) {
        s += static_cast<double>(p->length.count()) / 1000.0;
      }
    }
    return s;
  };
  // Forward edges with the cost of taking them.
  std::vector<std::vector<Edge>> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Node& nd = t.nodes_[i];
    const double play = prompt_seconds(nd.prompts);
    const double wait = static_cast<double>(nd.timeout.count()) / 1000.0;
    auto add = [&](int to, int keys, double secs) {
      if (to >= 0) out[i].push_back({to, keys, secs});
    };
    switch (nd.kind) {
      case NodeKind::menu:
        for (const auto& [key, to] : nd.options) add(to, 1, play);
        if (t.agent_key_ != 0) add(t.agent_, 1, play);
        add(nd.exhausted, 0, (play + wait) * (nd.max_noinput + 1));
        break;
      case NodeKind::language:
        add(nd.next, 1, play);
        if (t.agent_key_ != 0) add(t.agent_, 1, play);
        add(nd.exhausted, 0, (play + wait) * (nd.max_noinput + 1));
        break;
      case NodeKind::collect:
        add(nd.next, nd.min_digits, play);
        add(nd.exhausted, 0, (play + wait) * (nd.max_noinput + 1));
        break;
      case NodeKind::branch:
        for (const Condition& c : nd.conditions) add(c.target, 0, 0);
        add(nd.otherwise, 0, 0);
        break;
      case NodeKind::action:
        for (const auto& [name, to] : nd.outcomes) add(to, 0, 0);
        break;
      case NodeKind::subflow:
        add(nd.callee, 0, 0);
        add(nd.next, 0, 0);
        break;
      case NodeKind::play:
      case NodeKind::survey:
        add(nd.next, 0, play);
        break;
      default:
        break;
    }
  }
  // Reachability and depth (0-1 BFS on key presses) from the start.
  std::deque<int> dq;
  if (t.start_ >= 0) {
    t.metrics_[static_cast<std::size_t>(t.start_)].depth = 0;
    dq.push_back(t.start_);
  }
  while (!dq.empty()) {
    const int u = dq.front();
    dq.pop_front();
    for (const Edge& e : out[static_cast<std::size_t>(u)]) {
      const int d = t.metrics_[static_cast<std::size_t>(u)].depth + e.keys;
      int& cur = t.metrics_[static_cast<std::size_t>(e.to)].depth;
      if (cur < 0 || d < cur) {
        cur = d;
        e.keys ? dq.push_back(e.to) : dq.push_front(e.to);
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    t.metrics_[i].reachable = t.metrics_[i].depth >= 0;
    if (!t.metrics_[i].reachable) errors.push_back({t.nodes_[i].id, "unreachable from the start"});
  }
  // Distances to a human: Dijkstra on the reverse graph from every transfer node.
  std::vector<std::vector<Edge>> in(n);
  for (std::size_t u = 0; u < n; ++u) {
    for (const Edge& e : out[u])
      in[static_cast<std::size_t>(e.to)].push_back({static_cast<int>(u), e.keys, e.seconds});
  }
  auto dijkstra = [&](bool by_keys) {
    std::vector<double> dist(n, std::numeric_limits<double>::infinity());
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
    for (std::size_t i = 0; i < n; ++i) {
      if (t.nodes_[i].kind == NodeKind::transfer) {
        dist[i] = 0;
        pq.emplace(0.0, static_cast<int>(i));
      }
    }
    while (!pq.empty()) {
      const auto [d, u] = pq.top();
      pq.pop();
      if (d > dist[static_cast<std::size_t>(u)]) continue;
      for (const Edge& e : in[static_cast<std::size_t>(u)]) {
        const double nd = d + (by_keys ? e.keys : e.seconds);
        if (nd < dist[static_cast<std::size_t>(e.to)]) {
          dist[static_cast<std::size_t>(e.to)] = nd;
          pq.emplace(nd, e.to);
        }
      }
    }
    return dist;
  };
  const auto keys = dijkstra(true);
  const auto secs = dijkstra(false);
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isfinite(keys[i])) t.metrics_[i].keys_to_agent = static_cast<int>(keys[i]);
    if (std::isfinite(secs[i])) t.metrics_[i].seconds_to_agent = secs[i];
  }
  // Cycles that cannot exit: nodes from which no end (transfer, hangup, return) is reachable.
  std::vector<bool> exits(n, false);
  std::vector<int> stack;
  for (std::size_t i = 0; i < n; ++i) {
    const NodeKind k = t.nodes_[i].kind;
    if (k == NodeKind::transfer || k == NodeKind::hangup || k == NodeKind::ret) {
      exits[i] = true;
      stack.push_back(static_cast<int>(i));
    }
  }
  while (!stack.empty()) {
    const int u = stack.back();
    stack.pop_back();
    for (const Edge& e : in[static_cast<std::size_t>(u)]) {
      if (!exits[static_cast<std::size_t>(e.to)]) {
        exits[static_cast<std::size_t>(e.to)] = true;
        stack.push_back(e.to);
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!exits[i] && t.metrics_[i].reachable) {
      errors.push_back({t.nodes_[i].id,
                        "in a cycle that cannot exit (no transfer, hangup or return "
                        "is reachable from here)"});
    }
  }
  // Per-node rules.
  std::set<std::string> checked_prompts;
  for (std::size_t i = 0; i < n; ++i) {
    const Node& nd = t.nodes_[i];
    if (nd.kind == NodeKind::menu || nd.kind == NodeKind::language) {
      const auto count = nd.options.size() + nd.languages.size();
      if (static_cast<int>(count) > t.limits_.max_options) {
        errors.push_back({nd.id, fmt::format("{} options, more than the limit of {} (ISO/IEC 13714 "
                                             "suggests 4 to 5)",
                                             count, t.limits_.max_options)});
      }
      for (const auto& [key, to] : nd.options) {
        if (key == t.agent_key_ || key == t.back_key_) {
          errors.push_back({nd.id, fmt::format("key {} is reserved by the global rules", key)});
        }
      }
    }
    if ((nd.kind == NodeKind::menu || nd.kind == NodeKind::collect ||
         nd.kind == NodeKind::language) &&
        nd.exhausted == static_cast<int>(i)) {
      errors.push_back(
          {nd.id + "/exhausted", "unbounded retries: exhausted leads back to the same node"});
    }
    if (nd.kind == NodeKind::branch && nd.otherwise < 0) {
      errors.push_back({nd.id, "a branch needs \"otherwise\""});
    }
    // Prompts in every declared language.
    auto check = [&](const std::string& id, const std::string& where) {
      auto it = t.prompts_.find(id);
      if (it == t.prompts_.end()) {
        errors.push_back({where, fmt::format("unknown prompt \"{}\"", id)});
        return;
      }
      if (!checked_prompts.insert(id).second) return;
      for (const std::string& lang : t.languages_) {
        if (it->second.contains(lang)) continue;
        if (it->second.contains(t.fallback_)) {
          warnings.push_back(
              {"prompts/" + id,
               fmt::format("no \"{}\" recording: the {} fallback plays", lang, t.fallback_)});
        } else {
          errors.push_back({"prompts/" + id,
                            fmt::format("missing in \"{}\" and in the fallback language", lang)});
        }
      }
    };
    for (const auto& p : nd.prompts) check(p, nd.id + "/prompts");
    for (const auto& v : nd.noinput_prompts) {
      for (const auto& p : v) check(p, nd.id + "/noinput");
    }
    for (const auto& v : nd.nomatch_prompts) {
      for (const auto& p : v) check(p, nd.id + "/nomatch");
    }
    // Limits on the way to a human, for every reachable menu.
    if (nd.kind == NodeKind::menu && t.metrics_[i].reachable) {
      const NodeMetrics& m = t.metrics_[i];
      if (t.limits_.max_keys_to_agent && m.keys_to_agent > *t.limits_.max_keys_to_agent) {
        errors.push_back({nd.id, fmt::format("{} key presses to a human, more than {}",
                                             m.keys_to_agent, *t.limits_.max_keys_to_agent)});
      }
      if (t.limits_.max_seconds_to_agent && m.seconds_to_agent > *t.limits_.max_seconds_to_agent) {
        errors.push_back({nd.id, fmt::format("{:.1f} s worst case to a human, more than {:.0f} s",
                                             m.seconds_to_agent, *t.limits_.max_seconds_to_agent)});
      }
      if (m.keys_to_agent < 0) errors.push_back({nd.id, "no way to a human from this menu"});
    }
  }
  // Verification before account actions: walk (node, verified) states from the start.
  {
    std::vector<std::array<bool, 2>> seen(n, {false, false});
    std::vector<std::pair<int, int>> work;
    if (t.start_ >= 0) work.emplace_back(t.start_, 0);
    std::set<int> reported;
    while (!work.empty()) {
      const auto [u, v] = work.back();
      work.pop_back();
      auto& s = seen[static_cast<std::size_t>(u)][static_cast<std::size_t>(v)];
      if (s) continue;
      s = true;
      const Node& nd = t.nodes_[static_cast<std::size_t>(u)];
      if (nd.kind == NodeKind::action && nd.changes_account && v == 0 &&
          reported.insert(u).second) {
        errors.push_back({nd.id, fmt::format("action \"{}\" changes the account but can be reached "
                                             "without verification",
                                             nd.action)});
      }
      if (nd.kind == NodeKind::action) {
        for (const auto& [name, to] : nd.outcomes) {
          if (to >= 0) work.emplace_back(to, nd.verifies && name == "ok" ? 1 : v);
        }
        continue;
      }
      for (const Edge& e : out[static_cast<std::size_t>(u)]) work.emplace_back(e.to, v);
    }
  }
  // L1 callers straight to a human: from the start through play and branch nodes only, taking
  // a branch's tier == L1 condition when there is one (other conditions count as false).
  if (t.limits_.l1_direct && t.start_ >= 0) {
    int u = t.start_;
    std::string why;
    for (int steps = 0; steps < 1000; ++steps) {
      const Node& nd = t.nodes_[static_cast<std::size_t>(u)];
      if (nd.kind == NodeKind::transfer) break;
      if (nd.kind == NodeKind::play) {
        u = nd.next;
      } else if (nd.kind == NodeKind::branch) {
        int to = nd.otherwise;
        for (const Condition& c : nd.conditions) {
          if (c.kind == Condition::Kind::tier && c.value == "L1") {
            to = c.target;
            break;
          }
        }
        u = to;
      } else {
        why = fmt::format("an L1 caller reaches {} node {}", to_string(nd.kind), nd.id);
        break;
      }
      if (u < 0) {
        why = "an L1 caller reaches a dead end";
        break;
      }
    }
    if (!why.empty()) {
      errors.push_back({t.documents_.front().name + "/limits/l1_direct",
                        why + " before a human (L1 must go straight to an agent)"});
    }
  }
}

std::shared_ptr<const Tree> Tree::compose(const std::vector<Document>& documents) {
  std::vector<Finding> errors, warnings;
  auto t = Build::run(documents, errors, warnings);
  if (!errors.empty()) {
    std::vector<Diagnostic> ds;
    for (auto& f : errors) ds.push_back({std::move(f.where), std::move(f.message)});
    throw Error(ErrorCode::invalid_definition, std::move(ds));
  }
  return t;
}

std::shared_ptr<const Tree> Tree::inspect(const std::vector<Document>& documents,
                                          std::vector<Finding>& errors,
                                          std::vector<Finding>& warnings) {
  return Build::run(documents, errors, warnings);
}

Duration Tree::prompts_length(std::span<const std::string> ids, std::string_view language) const {
  if (ids.empty()) return Duration::zero();
  if (compiled_) {
    auto it = compiled_->lengths.find(ids.data());
    if (it != compiled_->lengths.end() && it->second.count == ids.size()) {
      for (std::size_t l = 0; l < languages_.size(); ++l) {
        if (languages_[l] == language) return it->second.by_language[l];
      }
    }
  }
  Duration total{};
  for (const std::string& id : ids) {
    if (const PromptText* p = prompt(id, language)) total += p->length;
  }
  return total;
}

bool Tree::digits_match(int node, std::string_view digits) const {
  if (node < 0 || !compiled_ || static_cast<std::size_t>(node) >= compiled_->patterns.size())
    return true;
  const auto& re = compiled_->patterns[static_cast<std::size_t>(node)];
  // No collect takes more than 32 digits: longer input never matches.
  return !re || (digits.size() <= kMaxCollectDigits && re->matches(digits));
}

int Tree::find(std::string_view id) const noexcept {
  const std::string full = id.find('/') == std::string_view::npos
                               ? documents_.front().name + "/" + std::string(id)
                               : std::string(id);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].id == full) return static_cast<int>(i);
  }
  return -1;
}

const PromptText* Tree::prompt(std::string_view id, std::string_view language) const noexcept {
  const std::map<std::string, PromptText, std::less<>>* texts = nullptr;
  if (compiled_) {
    auto it = compiled_->prompts.find(id);
    if (it == compiled_->prompts.end()) return nullptr;
    texts = it->second;
  } else {
    auto it = prompts_.find(id);
    if (it == prompts_.end()) return nullptr;
    texts = &it->second;
  }
  auto l = texts->find(language);
  if (l != texts->end()) return &l->second;
  l = texts->find(fallback_);
  return l == texts->end() ? nullptr : &l->second;
}

const calendar::Calendar* Tree::calendar(std::string_view name) const noexcept {
  auto it = calendars_.find(name);
  return it == calendars_.end() ? nullptr : &it->second;
}

std::string Tree::to_dot() const {
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  };
  std::string out =
      fmt::format("digraph ivr {{\n  label={};\n  rankdir=LR;\n  node [fontsize=10];\n",
                  quote(version_label()));
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    const char* shape = n.kind == NodeKind::menu       ? "box"
                        : n.kind == NodeKind::transfer ? "doubleoctagon"
                        : n.kind == NodeKind::hangup   ? "oval"
                        : n.kind == NodeKind::branch   ? "diamond"
                        : n.kind == NodeKind::action   ? "component"
                                                       : "ellipse";
    std::string label = fmt::format("{}\\n{}", n.id, to_string(n.kind));
    if (metrics_[i].keys_to_agent >= 0) {
      label += fmt::format("\\nagent: {} keys, {:.0f} s", metrics_[i].keys_to_agent,
                           metrics_[i].seconds_to_agent);
    }
    out += fmt::format("  n{} [shape={}, label=\"{}\"];\n", i, shape, label);
  }
  auto edge = [&](std::size_t from, int to, const std::string& label) {
    if (to >= 0) out += fmt::format("  n{} -> n{} [label={}];\n", from, to, quote(label));
  };
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    for (const auto& [k, to] : n.options) edge(i, to, std::string(1, k));
    for (const auto& [name, to] : n.outcomes) edge(i, to, name);
    for (const Condition& c : n.conditions) edge(i, c.target, c.value.empty() ? c.name : c.value);
    edge(i, n.otherwise, "else");
    edge(i, n.next, "");
    edge(i, n.callee, "call");
    if (n.kind != NodeKind::transfer) edge(i, n.exhausted, "retries out");
  }
  out += "}\n";
  return out;
}

const char* to_string(Change::Kind k) noexcept {
  constexpr const char* names[] = {"node_added",     "node_removed",     "option_added",
                                   "option_removed", "option_rerouted",  "reachability",
                                   "keys_to_agent",  "seconds_to_agent", "depth"};
  return names[static_cast<int>(k)];
}

std::vector<Change> diff(const Tree& a, const Tree& b) {
  std::vector<Change> out;
  auto target = [](const Tree& t, int i) {
    return i < 0 ? std::string("-") : t.nodes()[static_cast<std::size_t>(i)].id;
  };
  for (std::size_t i = 0; i < a.nodes().size(); ++i) {
    const Node& na = a.nodes()[i];
    const int j = b.find(na.id);
    if (j < 0) {
      out.push_back({Change::Kind::node_removed, na.id, to_string(na.kind)});
      continue;
    }
    const Node& nb = b.nodes()[static_cast<std::size_t>(j)];
    for (const auto& option : na.options) {
      const char key = option.first;  // a plain variable: clang 14 cannot capture bindings
      const int to = option.second;
      auto it = std::find_if(nb.options.begin(), nb.options.end(),
                             [&](const auto& o) { return o.first == key; });
      if (it == nb.options.end()) {
        out.push_back({Change::Kind::option_removed, na.id,
                       fmt::format("key {} (was {})", key, target(a, to))});
      } else if (target(a, to) != target(b, it->second)) {
        out.push_back({Change::Kind::option_rerouted, na.id,
                       fmt::format("key {}: {} -> {}", key, target(a, to), target(b, it->second))});
      }
    }
    for (const auto& option : nb.options) {
      const char key = option.first;
      const int to = option.second;
      if (std::none_of(na.options.begin(), na.options.end(),
                       [&](const auto& o) { return o.first == key; })) {
        out.push_back(
            {Change::Kind::option_added, na.id, fmt::format("key {} -> {}", key, target(b, to))});
      }
    }
    const NodeMetrics& ma = a.metrics()[i];
    const NodeMetrics& mb = b.metrics()[static_cast<std::size_t>(j)];
    if (ma.reachable != mb.reachable) {
      out.push_back(
          {Change::Kind::reachability, na.id, mb.reachable ? "now reachable" : "now unreachable"});
    }
    if (ma.keys_to_agent != mb.keys_to_agent) {
      out.push_back({Change::Kind::keys_to_agent, na.id,
                     fmt::format("{} -> {} keys", ma.keys_to_agent, mb.keys_to_agent)});
    }
    if (ma.depth != mb.depth) {
      out.push_back(
          {Change::Kind::depth, na.id, fmt::format("depth {} -> {}", ma.depth, mb.depth)});
    }
    if (std::fabs(ma.seconds_to_agent - mb.seconds_to_agent) >= 0.5) {
      out.push_back({Change::Kind::seconds_to_agent, na.id,
                     fmt::format("{:.1f} -> {:.1f} s", ma.seconds_to_agent, mb.seconds_to_agent)});
    }
  }
  for (const Node& nb : b.nodes()) {
    if (a.find(nb.id) < 0) out.push_back({Change::Kind::node_added, nb.id, to_string(nb.kind)});
  }
  return out;
}

std::string report_json(const Tree* tree, const std::vector<Finding>& errors,
                        const std::vector<Finding>& warnings) {
  auto list = [](const std::vector<Finding>& fs) {
    Json out = Json::array();
    for (const Finding& f : fs) out.push_back(Json{{"where", f.where}, {"message", f.message}});
    return out;
  };
  Json nodes = Json::array();
  if (tree) {
    for (std::size_t i = 0; i < tree->nodes().size(); ++i) {
      const Node& n = tree->nodes()[i];
      const NodeMetrics& m = tree->metrics()[i];
      nodes.push_back(Json{{"id", n.id},
                           {"kind", to_string(n.kind)},
                           {"reachable", m.reachable},
                           {"keys_to_agent", m.keys_to_agent},
                           {"seconds_to_agent", m.seconds_to_agent},
                           {"depth", m.depth}});
    }
  }
  return Json{{"tree", tree ? Json(tree->version_label()) : Json(nullptr)},
              {"errors", list(errors)},
              {"warnings", list(warnings)},
              {"nodes", std::move(nodes)}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace hotline::ivr
