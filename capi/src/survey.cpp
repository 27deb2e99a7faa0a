#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <hotline/survey.hpp>

#include "core/json.hpp"
#include "guard.hpp"
#include "handles.hpp"
#include "hotline_survey.h"

struct hotline_survey_definition {
  hotline::survey::Definition def;
};

struct hotline_survey_sampler {
  hotline::survey::Sampler sampler;
};

struct hotline_survey_loop {
  hotline_escalation_engine* engine;
  hotline::survey::Loop loop;
  hotline::survey::Alert last;  // the strings behind the last hotline_survey_alert
};

namespace {

namespace sv = hotline::survey;
using hotline::Error;
using hotline::ErrorCode;
using hotline::from_unix_ms;
using hotline::to_unix_ms;
using hotline::capi::copy_out;
using hotline::capi::guard;
using hotline::capi::raw;
using hotline::capi::require;

sv::Contact contact_of(const hotline_survey_contact* c) {
  require(c, "contact");
  require(c->id, "contact.id");
  require(c->agent, "contact.agent");
  sv::Contact out;
  out.id = c->id;
  out.customer = c->customer ? c->customer : "";
  out.agent = c->agent;
  out.ended = from_unix_ms(c->ended);
  out.talk = hotline::Duration{c->talk};
  out.transferred = c->transferred;
  out.callback = c->callback;
  return out;
}

std::string str(const char* s) { return s ? std::string(s) : std::string(); }

}  // namespace

extern "C" {

int hotline_survey_definition_from_json(hotline_survey_definition** out, const char* json,
                                        size_t len) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(json, "json");
    *out = new hotline_survey_definition{sv::Definition::from_json(std::string_view(json, len))};
  });
}

int hotline_survey_definition_load(hotline_survey_definition** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    *out = new hotline_survey_definition{sv::Definition::load(path)};
  });
}

void hotline_survey_definition_free(hotline_survey_definition* def) { delete def; }

int hotline_survey_question_count(size_t* out, const hotline_survey_definition* def) {
  return guard([&] {
    require(out, "out");
    require(def, "def");
    *out = def->def.questions().size();
  });
}

int hotline_survey_ivr_json(char* buf, size_t cap, size_t* needed,
                            const hotline_survey_definition* def) {
  return guard([&] {
    require(def, "def");
    return copy_out(def->def.to_ivr().json, buf, cap, needed);
  });
}

int hotline_survey_response_from_session(hotline_survey_response* out,
                                         const hotline_survey_definition* def,
                                         const hotline_ivr_session* session) {
  return guard([&] {
    require(out, "out");
    require(def, "def");
    require(session, "session");
    const sv::Response r = sv::response_from(def->def, session->session);
    out->agent = out->team = out->queue = 0;
    out->at = to_unix_ms(r.at);
    std::memcpy(out->answers, r.answers.data(), sizeof out->answers);
    out->responded = r.responded;
  });
}

int hotline_survey_in_sample(bool* out, const char* contact_id, uint64_t seed, double percent) {
  return guard([&] {
    require(out, "out");
    require(contact_id, "contact_id");
    if (!(percent >= 0 && percent <= 100)) {
      throw Error(ErrorCode::invalid_argument, "percent", "percent must be in 0 .. 100");
    }
    *out = sv::Sampler::in_sample(contact_id, seed, percent);
  });
}

int hotline_survey_sampler_new(hotline_survey_sampler** out, const hotline_survey_definition* def,
                               const hotline_calendar* zone) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(def, "def");
    require(zone, "zone");
    *out = new hotline_survey_sampler{sv::Sampler(def->def, zone->cal)};
  });
}

void hotline_survey_sampler_free(hotline_survey_sampler* sampler) { delete sampler; }

int hotline_survey_sampler_decide(hotline_survey_decision* out, hotline_survey_sampler* sampler,
                                  const hotline_survey_contact* contact) {
  return guard([&] {
    require(out, "out");
    require(sampler, "sampler");
    *out = static_cast<hotline_survey_decision>(sampler->sampler.decide(contact_of(contact)));
  });
}

int hotline_survey_wilson(hotline_survey_proportion* out, int successes, int n, double z) {
  return guard([&] {
    require(out, "out");
    if (n < 0 || successes < 0 || successes > n || !(z > 0 && std::isfinite(z))) {
      throw Error(ErrorCode::invalid_argument, "successes",
                  "need 0 <= successes <= n and a positive, finite z");
    }
    const sv::Proportion p = sv::wilson(successes, n, z);
    *out = {p.successes, p.n, p.value, p.low, p.high};
  });
}

int hotline_survey_aggregate(hotline_survey_score* out, size_t capacity, size_t* count,
                             const hotline_survey_definition* def,
                             const hotline_survey_response* responses, size_t n,
                             hotline_survey_group_by by, const hotline_calendar* zone,
                             double precision) {
  return guard([&] {
    require(count, "count");
    require(def, "def");
    require(zone, "zone");
    if (n > 0) require(responses, "responses");
    const int g = raw(by);
    if (g < 0 || g > 6) throw Error(ErrorCode::invalid_argument, "by", "unknown grouping");
    std::vector<sv::Response> rs(n);
    for (size_t i = 0; i < n; ++i) {
      rs[i].agent = responses[i].agent;
      rs[i].team = responses[i].team;
      rs[i].queue = responses[i].queue;
      rs[i].at = from_unix_ms(responses[i].at);
      std::memcpy(rs[i].answers.data(), responses[i].answers, sizeof responses[i].answers);
      rs[i].responded = responses[i].responded;
    }
    const auto scores =
        sv::aggregate(def->def, rs, static_cast<sv::GroupBy>(g), zone->cal, precision);
    *count = scores.size();
    if (capacity < scores.size()) return HOTLINE_EBUFFER;
    if (!scores.empty()) require(out, "out");
    for (size_t i = 0; i < scores.size(); ++i) {
      const sv::Score& s = scores[i];
      hotline_survey_score& c = out[i];
      std::memset(&c, 0, sizeof c);
      std::snprintf(c.group, sizeof c.group, "%s", s.group.c_str());
      c.offered = s.offered;
      c.responded = s.responded;
      c.response_rate = s.response_rate;
      c.satisfaction = {s.satisfaction.successes, s.satisfaction.n, s.satisfaction.value,
                        s.satisfaction.low, s.satisfaction.high};
      c.csat = {s.csat.successes, s.csat.n, s.csat.value, s.csat.low, s.csat.high};
      c.nps = s.nps;
      c.nps_low = s.nps_low;
      c.nps_high = s.nps_high;
      c.nps_n = s.nps_n;
      c.ces = s.ces;
      c.ces_n = s.ces_n;
      c.more_needed = s.more_needed.value_or(0);
    }
    return HOTLINE_OK;
  });
}

int hotline_survey_loop_new(hotline_survey_loop** out, hotline_escalation_engine* engine,
                            const char* roster_json, const hotline_calendar* zone,
                            const char* category, const char* department) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(engine, "engine");
    require(zone, "zone");
    sv::Roster roster = roster_json ? sv::Roster::from_json(roster_json) : sv::Roster{};
    *out = new hotline_survey_loop{engine,
                                   sv::Loop(engine->engine, std::move(roster), zone->cal,
                                            category ? category : "dissatisfaction_followup",
                                            department ? department : "hotline"),
                                   {}};
  });
}

void hotline_survey_loop_free(hotline_survey_loop* loop) { delete loop; }

int hotline_survey_loop_dissatisfied(hotline_survey_alert* out, hotline_survey_loop* loop,
                                     const hotline_survey_contact* contact, const char* recording,
                                     hotline_time_ms now) {
  return guard([&] {
    require(out, "out");
    require(loop, "loop");
    loop->last = loop->loop.dissatisfied(contact_of(contact), from_unix_ms(now), str(recording));
    out->agent = loop->last.agent.c_str();
    out->caller = loop->last.caller.c_str();
    out->contact = loop->last.contact.c_str();
    out->text = loop->last.text.c_str();
    out->at = to_unix_ms(loop->last.at);
    out->order = loop->last.order;
  });
}

int hotline_survey_loop_explain(hotline_survey_loop* loop, uint64_t order, const char* agent,
                                const char* text, hotline_time_ms now) {
  return guard([&] {
    require(loop, "loop");
    require(agent, "agent");
    require(text, "text");
    loop->loop.explain(order, agent, text, from_unix_ms(now));
  });
}

int hotline_survey_loop_advance(size_t* count, hotline_survey_loop* loop, hotline_time_ms now) {
  return guard([&] {
    require(count, "count");
    require(loop, "loop");
    loop->engine->notices = loop->loop.advance(from_unix_ms(now));
    *count = loop->engine->notices.size();
  });
}

int hotline_survey_loop_review(hotline_survey_loop* loop, uint64_t order, const char* supervisor,
                               const char* recording, hotline_time_ms now) {
  return guard([&] {
    require(loop, "loop");
    require(supervisor, "supervisor");
    loop->loop.review(order, supervisor, str(recording), from_unix_ms(now));
  });
}

int hotline_survey_loop_call_back(hotline_survey_loop* loop, uint64_t order, const char* supervisor,
                                  const char* note, hotline_time_ms now) {
  return guard([&] {
    require(loop, "loop");
    require(supervisor, "supervisor");
    loop->loop.call_back(order, supervisor, str(note), from_unix_ms(now));
  });
}

int hotline_survey_loop_verdict(hotline_survey_loop* loop, uint64_t order, const char* supervisor,
                                hotline_survey_verdict verdict, const char* reason,
                                hotline_time_ms now) {
  return guard([&] {
    require(loop, "loop");
    require(supervisor, "supervisor");
    const int v = raw(verdict);
    if (v < 0 || v > 1) throw Error(ErrorCode::invalid_argument, "verdict", "unknown verdict");
    loop->loop.verdict(order, supervisor, static_cast<sv::Verdict>(v), str(reason),
                       from_unix_ms(now));
  });
}

int hotline_survey_loop_overdue(bool* out, const hotline_survey_loop* loop, uint64_t order) {
  return guard([&] {
    require(out, "out");
    require(loop, "loop");
    *out = loop->loop.overdue(order);
  });
}

int hotline_survey_loop_yellow_cards_json(char* buf, size_t cap, size_t* needed,
                                          const hotline_survey_loop* loop, int year,
                                          unsigned month) {
  return guard([&] {
    require(loop, "loop");
    std::optional<std::chrono::year_month> ym;
    if (year != 0) {
      if (month < 1 || month > 12) throw Error(ErrorCode::invalid_argument, "month", "1 .. 12");
      ym = std::chrono::year{year} / std::chrono::month{month};
    }
    hotline::detail::Json out = hotline::detail::Json::array();
    for (const sv::YellowCard& c : loop->loop.yellow_cards(ym)) {
      out.push_back({{"agent", c.agent},
                     {"order", c.order},
                     {"at", hotline::format_instant(c.at)},
                     {"month", fmt::format("{:04}-{:02}", static_cast<int>(c.month.year()),
                                           static_cast<unsigned>(c.month.month()))},
                     {"reason", c.reason}});
    }
    return copy_out(out.dump(-1, ' ', false, hotline::detail::Json::error_handler_t::replace), buf,
                    cap, needed);
  });
}

int hotline_survey_assess_json(char* buf, size_t cap, size_t* needed, const char* input_json) {
  return guard([&] {
    require(input_json, "input_json");
    return copy_out(sv::assess_json(input_json), buf, cap, needed);
  });
}

}  // extern "C"
