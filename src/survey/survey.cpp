// Survey definitions, their IVR flow, sampling, responses and scoring (docs/survey.md).
#include <hotline/core/random.hpp>
#include <hotline/survey/survey.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

#include <date/tz.h>
#include <fmt/format.h>

#include "core/hash.hpp"
#include "core/json.hpp"

namespace hotline::survey {

namespace {

using detail::fail_at;
using detail::Json;
using detail::ObjectReader;
using detail::pointer_child;

constexpr const char* kScales[] = {"satisfaction", "yes_no", "five_point", "nps", "ces"};
constexpr const char* kDecisions[] = {"sampled",  "not_sampled", "suppressed", "transferred",
                                      "callback", "too_short",   "quota"};

Duration duration_at(ObjectReader& r, std::string_view key, Duration fallback) {
  auto text = r.optional_string(key);
  if (!text) return fallback;
  try {
    const Duration d = parse_duration(*text);
    if (d < Duration::zero()) fail_at(r.at(key), "must not be negative");
    return d;
  } catch (const Error& e) {
    if (e.where() == r.at(key)) throw;
    fail_at(r.at(key), e.message());
  }
}

std::vector<std::string> ids_at(ObjectReader& r, std::string_view key, const Json& prompts,
                                bool required) {
  std::vector<std::string> out;
  const Json* j = required ? &r.require(key) : r.find(key);
  if (!j) return out;
  if (!j->is_array()) fail_at(r.at(key), "expected an array of prompt ids");
  for (std::size_t i = 0; i < j->size(); ++i) {
    const std::string at = pointer_child(r.at(key), i);
    if (!(*j)[i].is_string()) fail_at(at, "expected a prompt id");
    const std::string id = (*j)[i].get<std::string>();
    if (!prompts.contains(id)) fail_at(at, fmt::format("unknown prompt \"{}\"", id));
    out.push_back(id);
  }
  if (required && out.empty()) fail_at(r.at(key), "at least one prompt");
  return out;
}

}  // namespace

const char* to_string(Scale s) noexcept { return kScales[static_cast<int>(s)]; }
const char* to_string(Decision d) noexcept { return kDecisions[static_cast<int>(d)]; }

Definition Definition::from_json(std::string_view json) {
  const Json root = detail::parse_json(json);
  ObjectReader r(root, "");
  Definition d;
  d.name_ = r.string("name");
  if (d.name_.empty() || d.name_.find('/') != std::string::npos) {
    fail_at(r.at("name"), "a survey name must be non-empty and must not contain '/'");
  }
  d.version_ = r.string("version");
  const Json& langs = r.require("languages");
  if (!langs.is_array() || langs.empty()) fail_at(r.at("languages"), "expected a non-empty array");
  for (std::size_t i = 0; i < langs.size(); ++i) {
    if (!langs[i].is_string()) fail_at(pointer_child(r.at("languages"), i), "expected a string");
    d.languages_.push_back(langs[i].get<std::string>());
  }
  d.fallback_ = r.optional_string("fallback_language").value_or(d.languages_.front());
  const Json& prompts = r.require("prompts");
  if (!prompts.is_object()) fail_at(r.at("prompts"), "expected the prompt library (an object)");
  d.prompts_json_ = prompts.dump(-1, ' ', false, Json::error_handler_t::replace);
  d.intro_ = ids_at(r, "intro", prompts, false);
  d.thanks_ = ids_at(r, "thanks", prompts, false);
  if (auto retries = r.optional_integer("retries")) {
    if (*retries < 0 || *retries > 5) fail_at(r.at("retries"), "must be between 0 and 5");
    d.retries_ = static_cast<int>(*retries);
  }
  d.timeout_ = duration_at(r, "timeout", d.timeout_);
  if (d.timeout_ <= Duration::zero() || d.timeout_ > std::chrono::minutes{1}) {
    fail_at(r.at("timeout"), "must be between 0 and 1 minute");
  }
  const Json& qs = r.array("questions");
  if (qs.empty() || qs.size() > kMaxQuestions) {
    fail_at(r.at("questions"), fmt::format("1 to {} questions", kMaxQuestions));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    ObjectReader q(qs[i], pointer_child(r.at("questions"), i));
    Question question;
    question.id = q.string("id");
    if (question.id.empty() || question.id.find_first_of("/ ") != std::string::npos) {
      fail_at(q.at("id"), "a question id must be non-empty, without '/' or spaces");
    }
    if (!ids.insert(question.id).second) fail_at(q.at("id"), "duplicate question id");
    const std::string scale = q.string("scale");
    int k = -1;
    for (int s = 0; s < 5; ++s) {
      if (scale == kScales[s]) k = s;
    }
    if (k < 0) {
      fail_at(q.at("scale"), fmt::format("unknown scale \"{}\" (satisfaction, yes_no, five_point, "
                                         "nps, ces)",
                                         scale));
    }
    question.scale = static_cast<Scale>(k);
    question.prompts = ids_at(q, "prompts", prompts, true);
    q.finish();
    d.questions_.push_back(std::move(question));
  }
  if (const Json* s = r.find("sampling")) {
    ObjectReader sr(*s, r.at("sampling"));
    if (auto p = sr.optional_number("percent")) {
      if (!(*p >= 0 && *p <= 100)) fail_at(sr.at("percent"), "must be between 0 and 100");
      d.sampling_.percent = *p;
    }
    if (auto seed = sr.optional_integer("seed")) {
      if (*seed < 0) fail_at(sr.at("seed"), "must not be negative");
      d.sampling_.seed = static_cast<std::uint64_t>(*seed);
    }
    d.sampling_.suppression = duration_at(sr, "suppression", {});
    d.sampling_.exclude_transferred = sr.boolean("exclude_transferred", true);
    d.sampling_.exclude_callbacks = sr.boolean("exclude_callbacks", true);
    d.sampling_.min_talk = duration_at(sr, "min_talk", {});
    if (auto quota = sr.optional_integer("quota_per_agent_per_day")) {
      if (*quota < 0 || *quota > 100000) fail_at(sr.at("quota_per_agent_per_day"), "0 to 100000");
      d.sampling_.quota_per_agent_per_day = static_cast<int>(*quota);
    }
    sr.finish();
  }
  if (const Json* f = r.find("follow_up")) {
    ObjectReader fr(*f, r.at("follow_up"));
    FollowUp fu;
    fu.question = fr.string("question");
    const int qi = d.question_index(fu.question);
    if (qi < 0) fail_at(fr.at("question"), fmt::format("unknown question \"{}\"", fu.question));
    if (d.questions_[static_cast<std::size_t>(qi)].scale != Scale::satisfaction) {
      fail_at(fr.at("question"), "the follow-up question must use the satisfaction scale");
    }
    fu.category = fr.optional_string("category").value_or(fu.category);
    fr.finish();
    d.follow_up_ = std::move(fu);
  }
  r.finish();
  d.json_ = std::string(json);
  (void)ivr::Tree::compose({d.to_ivr()});  // the compiled flow must verify too
  return d;
}

Definition Definition::load(const std::filesystem::path& path) {
  return from_json(detail::read_file(path));
}

int Definition::question_index(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < questions_.size(); ++i) {
    if (questions_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

ivr::Document Definition::to_ivr() const {
  Json nodes = Json::array();
  auto qid = [&](std::size_t i) { return "q_" + questions_[i].id; };
  const std::string after_questions = thanks_.empty() ? "end" : "thanks";
  if (!intro_.empty()) {
    nodes.push_back(Json{{"id", "intro"}, {"kind", "play"}, {"prompts", intro_}, {"next", qid(0)}});
  }
  for (std::size_t i = 0; i < questions_.size(); ++i) {
    const Question& q = questions_[i];
    const std::string next = i + 1 < questions_.size() ? qid(i + 1) : after_questions;
    const char* pattern = q.scale == Scale::satisfaction || q.scale == Scale::yes_no ? "[12]"
                          : q.scale == Scale::five_point                             ? "[1-5]"
                          : q.scale == Scale::ces                                    ? "[1-7]"
                                                                                     : "[0-9]|10";
    Json node{{"id", qid(i)},
              {"kind", "collect"},
              {"prompts", q.prompts},
              {"min_digits", 1},
              {"max_digits", q.scale == Scale::nps ? 2 : 1},
              {"pattern", pattern},
              {"into", q.id},
              {"timeout", fmt::format("{}ms", timeout_.count())},
              {"max_noinput", retries_},
              {"max_nomatch", retries_},
              {"exhausted", next},
              {"next", next}};
    if (q.scale == Scale::nps) node["terminator"] = "#";
    nodes.push_back(std::move(node));
  }
  if (!thanks_.empty()) {
    nodes.push_back(
        Json{{"id", "thanks"}, {"kind", "play"}, {"prompts", thanks_}, {"next", "end"}});
  }
  nodes.push_back(Json{{"id", "end"}, {"kind", "return"}});
  Json doc{{"name", name_},
           {"version", version_},
           {"owner", "survey"},
           {"languages", languages_},
           {"fallback_language", fallback_},
           {"global", {{"agent_key", nullptr}, {"back_key", nullptr}}},
           {"prompts", Json::parse(prompts_json_)},
           {"start", intro_.empty() ? qid(0) : std::string("intro")},
           {"nodes", std::move(nodes)}};
  return ivr::Document::from_json(doc.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// ---------------------------------------------------------------------------------------------
// Sampling

Sampler::Sampler(const Definition& def, calendar::Calendar zone)
    : s_(def.sampling()), zone_(std::move(zone)) {}

bool Sampler::in_sample(std::string_view contact_id, std::uint64_t seed, double percent) noexcept {
  std::uint64_t state = seed ^ detail::fnv1a(contact_id);
  const std::uint64_t bits = splitmix64(state);
  const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
  return u * 100.0 < percent;
}

Decision Sampler::decide(const Contact& c) {
  if (s_.exclude_transferred && c.transferred) return Decision::transferred;
  if (s_.exclude_callbacks && c.callback) return Decision::callback;
  if (c.talk < s_.min_talk) return Decision::too_short;
  if (!in_sample(c.id, s_.seed, s_.percent)) return Decision::not_sampled;
  if (s_.suppression > Duration::zero()) {
    auto it = last_surveyed_.find(c.customer);
    if (it != last_surveyed_.end() && c.ended - it->second < s_.suppression) {
      return Decision::suppressed;
    }
  }
  const auto day = std::chrono::sys_days{zone_.local_date(c.ended)}.time_since_epoch().count();
  if (s_.quota_per_agent_per_day > 0) {
    auto& n = per_agent_day_[{c.agent, day}];
    if (n >= s_.quota_per_agent_per_day) return Decision::quota;
    ++n;
  }
  last_surveyed_[c.customer] = c.ended;
  return Decision::sampled;
}

// ---------------------------------------------------------------------------------------------
// Responses and scores

Response response_from(const Definition& def, const ivr::Session& session) {
  Response r;
  r.answers.fill(kNoResponse);
  r.at = session.trajectory().started;
  for (std::size_t i = 0; i < def.questions().size(); ++i) {
    const Question& q = def.questions()[i];
    const std::string_view v = session.variable(q.id);
    if (v.empty()) continue;
    int x = 0;
    for (char c : v) x = x * 10 + (c - '0');
    if (q.scale == Scale::satisfaction || q.scale == Scale::yes_no) x = x == 1 ? 1 : 0;
    r.answers[i] = static_cast<std::int8_t>(x);
    r.responded = true;
  }
  return r;
}

Proportion wilson(int successes, int n, double z) {
  Proportion p;
  p.successes = successes;
  p.n = n;
  if (n <= 0) {
    p.value = p.low = p.high = std::nan("");
    return p;
  }
  const double nn = n, ph = successes / nn, z2 = z * z;
  const double centre = (ph + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z * std::sqrt(ph * (1 - ph) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  p.value = ph;
  p.low = std::max(0.0, centre - half);
  p.high = std::min(1.0, centre + half);
  return p;
}

namespace {

struct Acc {
  int offered = 0, responded = 0;
  int sat = 0, sat_n = 0, top2 = 0, csat_n = 0, pro = 0, det = 0, nps_n = 0, ces_n = 0;
  long long ces_sum = 0;
};

}  // namespace

std::vector<Score> aggregate(const Definition& def, std::span<const Response> responses, GroupBy by,
                             const calendar::Calendar& zone, double precision) {
  if (!(precision > 0 && precision < 1)) {
    throw Error(ErrorCode::invalid_argument, "precision",
                fmt::format("precision must be in (0, 1) (got {})", precision));
  }
  int sat_q = -1, csat_q = -1, nps_q = -1, ces_q = -1;
  for (std::size_t i = 0; i < def.questions().size(); ++i) {
    const auto s = def.questions()[i].scale;
    const int idx = static_cast<int>(i);
    if (s == Scale::satisfaction && sat_q < 0) sat_q = idx;
    if (s == Scale::five_point && csat_q < 0) csat_q = idx;
    if (s == Scale::nps && nps_q < 0) nps_q = idx;
    if (s == Scale::ces && ces_q < 0) ces_q = idx;
  }
  auto add = [&](Acc& a, const Response& r) {
    ++a.offered;
    if (!r.responded) return;
    ++a.responded;
    if (sat_q >= 0) {
      const int v = r.answers[static_cast<std::size_t>(sat_q)];
      a.sat_n += v >= 0;
      a.sat += v == 1;
    }
    if (csat_q >= 0) {
      const int v = r.answers[static_cast<std::size_t>(csat_q)];
      a.csat_n += v >= 1;
      a.top2 += v >= 4;
    }
    if (nps_q >= 0) {
      const int v = r.answers[static_cast<std::size_t>(nps_q)];
      a.nps_n += v >= 0;
      a.pro += v >= 9;
      a.det += v >= 0 && v <= 6;
    }
    if (ces_q >= 0) {
      const int v = r.answers[static_cast<std::size_t>(ces_q)];
      a.ces_n += v >= 1;
      a.ces_sum += v >= 1 ? v : 0;
    }
  };
  std::vector<std::pair<std::string, Acc>> groups;
  if (by == GroupBy::all || by == GroupBy::agent || by == GroupBy::team || by == GroupBy::queue) {
    // Dense arrays indexed by the interned id: the hot path.
    std::vector<Acc> accs;
    for (const Response& r : responses) {
      const std::uint32_t g = by == GroupBy::agent   ? r.agent
                              : by == GroupBy::team  ? r.team
                              : by == GroupBy::queue ? r.queue
                                                     : 0;
      if (g >= accs.size()) {
        if (g > 10'000'000) {
          throw Error(ErrorCode::limit, "group", fmt::format("group id {} is above 10,000,000", g));
        }
        accs.resize(g + 1);
      }
      add(accs[g], r);
    }
    for (std::size_t g = 0; g < accs.size(); ++g) {
      if (accs[g].offered > 0)
        groups.emplace_back(by == GroupBy::all ? "all" : std::to_string(g), accs[g]);
    }
  } else {
    const date::time_zone* tz = date::locate_zone(zone.time_zone());
    std::map<std::int64_t, Acc> by_time;
    // The zone's offset is constant between transitions: look it up only when leaving the
    // current stretch (responses are usually in time order).
    date::sys_info info{};
    info.begin = info.end = date::sys_seconds{};
    Acc* last_acc = nullptr;
    std::int64_t last_key = std::numeric_limits<std::int64_t>::min();
    for (const Response& r : responses) {
      const auto sec = std::chrono::floor<std::chrono::seconds>(r.at);
      if (sec < info.begin || sec >= info.end) info = tz->get_info(sec);
      const date::local_seconds local{sec.time_since_epoch() + info.offset};
      std::int64_t key = 0;
      if (by == GroupBy::interval30) {
        key = std::chrono::floor<std::chrono::minutes>(local).time_since_epoch().count() / 30;
      } else {
        const auto days = std::chrono::floor<date::days>(local);
        if (by == GroupBy::day) {
          key = days.time_since_epoch().count();
        } else {
          const date::year_month_day ymd{days};
          key = static_cast<int>(ymd.year()) * 12 + static_cast<int>(unsigned(ymd.month())) - 1;
        }
      }
      if (key != last_key || !last_acc) {
        last_acc = &by_time[key];
        last_key = key;
      }
      add(*last_acc, r);
    }
    for (const auto& [key, acc] : by_time) {
      std::string label;
      if (by == GroupBy::interval30) {
        const date::local_seconds ls{std::chrono::minutes{key * 30}};
        const auto d = std::chrono::floor<date::days>(ls);
        const date::year_month_day ymd{d};
        const auto mins = std::chrono::duration_cast<std::chrono::minutes>(ls - d).count();
        label = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", static_cast<int>(ymd.year()),
                            unsigned(ymd.month()), unsigned(ymd.day()), mins / 60, mins % 60);
      } else if (by == GroupBy::day) {
        const date::year_month_day ymd{date::sys_days{date::days{key}}};
        label = fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                            unsigned(ymd.month()), unsigned(ymd.day()));
      } else {
        label = fmt::format("{:04}-{:02}", key / 12, key % 12 + 1);
      }
      groups.emplace_back(std::move(label), acc);
    }
  }
  std::vector<Score> out;
  out.reserve(groups.size());
  constexpr double z = 1.96;
  for (const auto& [label, a] : groups) {
    Score s;
    s.group = label;
    s.offered = a.offered;
    s.responded = a.responded;
    s.response_rate = a.offered ? static_cast<double>(a.responded) / a.offered : std::nan("");
    s.satisfaction = wilson(a.sat, a.sat_n, z);
    s.csat = wilson(a.top2, a.csat_n, z);
    s.nps_n = a.nps_n;
    if (a.nps_n > 0) {
      const double p = static_cast<double>(a.pro) / a.nps_n,
                   d = static_cast<double>(a.det) / a.nps_n;
      const double var = (p + d - (p - d) * (p - d)) / a.nps_n;
      s.nps = 100 * (p - d);
      s.nps_low = 100 * (p - d - z * std::sqrt(var));
      s.nps_high = 100 * (p - d + z * std::sqrt(var));
    } else {
      s.nps = s.nps_low = s.nps_high = std::nan("");
    }
    s.ces_n = a.ces_n;
    s.ces = a.ces_n ? static_cast<double>(a.ces_sum) / a.ces_n : std::nan("");
    if (a.sat_n > 0 && (s.satisfaction.high - s.satisfaction.low) / 2 > precision) {
      const double p = std::clamp(s.satisfaction.value, 0.05, 0.95);
      // In doubles first: a precision of 1e-200 asks for more answers than an int holds.
      const double total = std::ceil(z * z * p * (1 - p) / (precision * precision));
      const double more = total - static_cast<double>(a.sat_n);
      constexpr double kMost = std::numeric_limits<int>::max();
      s.more_needed =
          more >= kMost ? std::numeric_limits<int>::max() : std::max(1, static_cast<int>(more));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace hotline::survey
