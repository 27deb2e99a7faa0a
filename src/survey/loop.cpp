// The dissatisfaction loop on the escalation engine, the roster and the monthly assessment.
#include <hotline/survey/loop.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/json.hpp"

namespace hotline::survey {

namespace esc = hotline::escalation;

// ---------------------------------------------------------------------------------------------
// Roster

void Roster::add(Instant from, Instant to, std::string supervisor) {
  if (to <= from) {
    throw Error(ErrorCode::invalid_argument, "to",
                fmt::format("a shift must end after it starts ({} .. {})", format_instant(from),
                            format_instant(to)));
  }
  if (supervisor.empty())
    throw Error(ErrorCode::invalid_argument, "supervisor", "supervisor is empty");
  shifts_.push_back({from, to, std::move(supervisor)});
}

std::optional<std::string> Roster::on_duty(Instant t) const {
  const Shift* best = nullptr;
  for (const Shift& s : shifts_) {
    if (s.from <= t && t < s.to && (!best || s.from > best->from)) best = &s;
  }
  if (!best) return std::nullopt;
  return best->supervisor;
}

Roster Roster::from_json(std::string_view json) {
  const detail::Json j = detail::parse_json(json);
  if (!j.is_array()) detail::fail_at("/", "expected an array of shifts");
  Roster r;
  for (std::size_t i = 0; i < j.size(); ++i) {
    detail::ObjectReader s(j[i], detail::pointer_child("", i));
    Instant from, to;
    try {
      from = parse_instant(s.string("from"));
      to = parse_instant(s.string("to"));
    } catch (const Error& e) {
      if (e.where().rfind('/', 0) == 0) throw;
      detail::fail_at(s.pointer(), e.message());
    }
    const std::string who = s.string("supervisor");
    s.finish();
    try {
      r.add(from, to, who);
    } catch (const Error& e) {
      detail::fail_at(s.pointer(), e.message());
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Loop

Loop::Loop(esc::Engine& engine, Roster roster, calendar::Calendar zone, std::string category,
           std::string department)
    : engine_(engine),
      roster_(std::move(roster)),
      zone_(std::move(zone)),
      category_(std::move(category)),
      department_(std::move(department)) {
  const esc::Policy& p = engine_.policy();
  if (p.category_index(category_) < 0) {
    throw Error(ErrorCode::not_found, "category",
                fmt::format("the escalation policy has no category \"{}\"", category_));
  }
  if (p.department_index(department_) < 0) {
    throw Error(ErrorCode::not_found, "department",
                fmt::format("the escalation policy has no department \"{}\"", department_));
  }
}

std::string Loop::supervisor_at(Instant t) const {
  auto who = roster_.on_duty(t);
  if (!who) {
    throw Error(ErrorCode::invalid_state, "roster",
                fmt::format("no supervisor on duty at {}", format_instant(t)));
  }
  return *who;
}

Alert Loop::dissatisfied(const Contact& c, Instant now, std::string_view recording) {
  if (c.agent.empty() || c.id.empty()) {
    throw Error(ErrorCode::invalid_argument, "contact", "the contact needs an id and an agent");
  }
  esc::NewOrder o;
  o.customer = c.customer;
  o.category = category_;
  o.owner = c.agent;
  o.fields = {{"contact", c.id}, {"recording", std::string(recording)}};
  // Idempotent per contact: a repeated survey result does not open a second order.
  const esc::Result r = engine_.create(o, now, "survey-dissatisfied-" + c.id);
  Alert a;
  a.agent = c.agent;
  a.caller = c.customer;
  a.contact = c.id;
  a.at = now;
  a.order = r.order;
  a.text = fmt::format(
      "caller {} was not satisfied with your service just now (contact {}): "
      "explain within the deadline",
      c.customer, c.id);
  return a;
}

std::optional<Alert> Loop::on_response(const Definition& def, const Response& r, const Contact& c,
                                       Instant now, std::string_view recording) {
  if (!def.follow_up()) return std::nullopt;
  const int q = def.question_index(def.follow_up()->question);
  if (q < 0 || r.answers[static_cast<std::size_t>(q)] != 0) return std::nullopt;
  return dissatisfied(c, now, recording);
}

void Loop::explain(esc::OrderId order, std::string_view agent, std::string_view text, Instant now) {
  const std::string sup = supervisor_at(now);
  engine_.transition(order, "explain", esc::Actor{std::string(agent), "agent"},
                     {{"explanation", std::string(text)}, {"submitted_to", sup}}, now);
  engine_.assign(order, department_, sup, esc::Actor{"system", "system"}, now);
}

std::vector<esc::Notice> Loop::advance(Instant now) {
  std::vector<esc::Notice> notices = engine_.advance(now);
  for (const esc::Notice& n : notices) {
    if (n.kind != esc::NoticeKind::breach || n.clock != "explanation") continue;
    const esc::Order& o = engine_.order(n.order);
    if (engine_.category_name(o) != category_ || engine_.state_name(o) != "explanation_due")
      continue;
    // The deadline passed: submit to the supervisor on duty at the deadline, marked overdue.
    const std::string sup = supervisor_at(n.due);
    engine_.transition(n.order, "auto_submit", esc::Actor{"system", "system"},
                       {{"overdue", "yes"}, {"submitted_to", sup}}, now,
                       fmt::format("survey-auto-submit-{}", n.order));
    engine_.assign(n.order, department_, sup, esc::Actor{"system", "system"}, now);
  }
  return notices;
}

void Loop::review(esc::OrderId order, std::string_view supervisor, std::string_view recording,
                  Instant now) {
  engine_.transition(order, "review", esc::Actor{std::string(supervisor), "supervisor"},
                     {{"recording", std::string(recording)}}, now);
}

void Loop::call_back(esc::OrderId order, std::string_view supervisor, std::string_view note,
                     Instant now) {
  engine_.transition(order, "call_back", esc::Actor{std::string(supervisor), "supervisor"},
                     {{"callback_note", std::string(note)}}, now);
}

void Loop::verdict(esc::OrderId order, std::string_view supervisor, Verdict v,
                   std::string_view reason, Instant now) {
  engine_.transition(order, "verdict", esc::Actor{std::string(supervisor), "supervisor"},
                     {{"verdict", v == Verdict::agent_at_fault ? "agent_at_fault" : "not_at_fault"},
                      {"verdict_reason", std::string(reason)}},
                     now);
}

bool Loop::overdue(esc::OrderId order) const {
  const esc::Order& o = engine_.order(order);
  auto it = o.fields.find("overdue");
  return it != o.fields.end() && it->second == "yes";
}

std::vector<YellowCard> Loop::yellow_cards(std::optional<std::chrono::year_month> month) const {
  std::vector<YellowCard> out;
  for (esc::OrderId id = 1; id <= engine_.order_count(); ++id) {
    const esc::Order& o = engine_.order(id);
    if (engine_.category_name(o) != category_ || !o.closed_at) continue;
    auto v = o.fields.find("verdict");
    if (v == o.fields.end() || v->second != "agent_at_fault") continue;
    const auto ymd = zone_.local_date(*o.closed_at);
    YellowCard card;
    card.agent = o.owner;
    card.order = id;
    card.at = *o.closed_at;
    card.month = ymd.year() / ymd.month();
    auto reason = o.fields.find("verdict_reason");
    if (reason != o.fields.end()) card.reason = reason->second;
    if (!month || card.month == *month) out.push_back(std::move(card));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assessment

std::vector<AgentMonth> assess(const std::vector<Score>& by_agent,
                               const std::vector<YellowCard>& cards,
                               const std::vector<std::pair<std::string, double>>& qa,
                               const AssessmentWeights& w) {
  std::map<std::string, AgentMonth> rows;
  for (const Score& s : by_agent) {
    AgentMonth& m = rows[s.group];
    m.agent = s.group;
    m.responses = s.responded;
    m.satisfaction = s.satisfaction.value;
    m.csat = s.csat.value;
  }
  for (const YellowCard& c : cards) {
    AgentMonth& m = rows[c.agent];
    m.agent = c.agent;
    ++m.yellow_cards;
  }
  for (const auto& [agent, score] : qa) {
    if (!(score >= 0 && score <= 100)) {
      throw Error(ErrorCode::invalid_argument, "qa",
                  fmt::format("QA score of {} must be in 0 .. 100 (got {})", agent, score));
    }
    AgentMonth& m = rows[agent];
    m.agent = agent;
    m.qa = score;
  }
  std::vector<AgentMonth> out;
  for (auto& [name, m] : rows) {
    if (m.responses == 0 && !m.qa && m.yellow_cards == 0) continue;
    const bool has_survey = !std::isnan(m.satisfaction) && m.responses > 0;
    const double survey = has_survey ? 100 * m.satisfaction : 0;
    if (has_survey && m.qa) {
      m.score = (w.survey * survey + w.qa * *m.qa) / (w.survey + w.qa);
    } else if (has_survey) {
      m.score = survey;
    } else if (m.qa) {
      m.score = *m.qa;
    }
    m.score -= w.per_yellow_card * m.yellow_cards;
    if (!has_survey) m.satisfaction = std::nan("");
    out.push_back(m);
  }
  std::stable_sort(out.begin(), out.end(), [](const AgentMonth& a, const AgentMonth& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.agent < b.agent;
  });
  int stars = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].rank = static_cast<int>(i) + 1;
    if (stars < w.stars && out[i].yellow_cards == 0 && out[i].responses >= w.min_responses) {
      out[i].star = true;
      ++stars;
    }
  }
  return out;
}

std::string assess_json(std::string_view input) {
  using detail::Json;
  const Json root = detail::parse_json(input);
  detail::ObjectReader r(root, "");
  std::vector<Score> scores;
  std::vector<std::pair<std::string, double>> qa;
  const Json& agents = r.array("agents");
  for (std::size_t i = 0; i < agents.size(); ++i) {
    detail::ObjectReader a(agents[i], detail::pointer_child(r.at("agents"), i));
    Score s;
    s.group = a.string("agent");
    const auto count = [&](std::string_view key) {
      const auto v = a.optional_integer(key).value_or(0);
      if (v < 0 || v > 100'000'000) detail::fail_at(a.at(key), "must be a count >= 0");
      return static_cast<int>(v);
    };
    s.responded = count("responses");
    const int satisfied = count("satisfied"), answered = count("answered");
    if (satisfied > answered) detail::fail_at(a.at("satisfied"), "more than answered");
    s.satisfaction = wilson(satisfied, answered);
    if (auto q = a.optional_number("qa")) qa.emplace_back(s.group, *q);
    a.finish();
    scores.push_back(std::move(s));
  }
  std::vector<YellowCard> cards;
  if (const Json* yc = r.optional_array("yellow_cards")) {
    for (std::size_t i = 0; i < yc->size(); ++i) {
      detail::ObjectReader c((*yc)[i], detail::pointer_child(r.at("yellow_cards"), i));
      YellowCard card;
      card.agent = c.string("agent");
      c.allow({"order", "at", "month", "reason"});
      c.finish();
      cards.push_back(std::move(card));
    }
  }
  AssessmentWeights w;
  if (const Json* wj = r.find("weights")) {
    detail::ObjectReader wr(*wj, r.at("weights"));
    w.survey = wr.optional_number("survey").value_or(w.survey);
    w.qa = wr.optional_number("qa").value_or(w.qa);
    w.per_yellow_card = wr.optional_number("per_yellow_card").value_or(w.per_yellow_card);
    w.stars = static_cast<int>(wr.optional_integer("stars").value_or(w.stars));
    w.min_responses =
        static_cast<int>(wr.optional_integer("min_responses").value_or(w.min_responses));
    if (w.survey < 0 || w.qa < 0 || w.survey + w.qa <= 0) {
      detail::fail_at(wr.pointer(), "weights must be >= 0 with a positive sum");
    }
    wr.finish();
  }
  r.finish();
  Json out = Json::array();
  for (const AgentMonth& m : assess(scores, cards, qa, w)) {
    out.push_back(
        Json{{"agent", m.agent},
             {"responses", m.responses},
             {"satisfaction", std::isnan(m.satisfaction) ? Json(nullptr) : Json(m.satisfaction)},
             {"yellow_cards", m.yellow_cards},
             {"qa", m.qa ? Json(*m.qa) : Json(nullptr)},
             {"score", m.score},
             {"rank", m.rank},
             {"star", m.star}});
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace hotline::survey
