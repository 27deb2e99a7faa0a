// hotline.survey for Python.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/core/error.hpp>
#include <hotline/survey.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using namespace hotline::survey;

}  // namespace

void init_survey(py::module_& m) {
  py::enum_<Scale>(m, "Scale", "Answer scale of a question.")
      .value("SATISFACTION", Scale::satisfaction)
      .value("YES_NO", Scale::yes_no)
      .value("FIVE_POINT", Scale::five_point)
      .value("NPS", Scale::nps)
      .value("CES", Scale::ces);
  py::enum_<Decision>(m, "Decision", "Why a contact was (not) surveyed.")
      .value("SAMPLED", Decision::sampled)
      .value("NOT_SAMPLED", Decision::not_sampled)
      .value("SUPPRESSED", Decision::suppressed)
      .value("TRANSFERRED", Decision::transferred)
      .value("CALLBACK", Decision::callback)
      .value("TOO_SHORT", Decision::too_short)
      .value("QUOTA", Decision::quota);
  py::enum_<GroupBy>(m, "GroupBy", "How responses are grouped.")
      .value("ALL", GroupBy::all)
      .value("AGENT", GroupBy::agent)
      .value("TEAM", GroupBy::team)
      .value("QUEUE", GroupBy::queue)
      .value("INTERVAL30", GroupBy::interval30)
      .value("DAY", GroupBy::day)
      .value("MONTH", GroupBy::month);
  py::enum_<Verdict>(m, "Verdict", "The supervisor's verdict on a dissatisfied call.")
      .value("AGENT_AT_FAULT", Verdict::agent_at_fault)
      .value("NOT_AT_FAULT", Verdict::not_at_fault);

  m.attr("NO_RESPONSE") = static_cast<int>(kNoResponse);

  py::class_<Definition>(m, "Definition",
                         "A survey definition.\n\n"
                         "    d = survey.Definition.load('examples/survey/post-call.json')\n"
                         "    tree = ivr.Tree.compose([d.to_ivr()])")
      .def_static("from_json", &Definition::from_json, py::arg("text"))
      .def_static("load", &Definition::load, py::arg("path"))
      .def_property_readonly("name", &Definition::name)
      .def_property_readonly("version", &Definition::version)
      .def_property_readonly("question_ids",
                             [](const Definition& d) {
                               std::vector<std::string> out;
                               for (const auto& q : d.questions()) out.push_back(q.id);
                               return out;
                             })
      .def("to_ivr", &Definition::to_ivr, "The survey as an IVR document.");

  py::class_<Contact>(m, "Contact", "A handled contact when the agent leg ends.")
      .def(py::init([](std::string id, std::string customer, std::string agent, Instant ended,
                       Duration talk, bool transferred, bool callback) {
             return Contact{std::move(id), std::move(customer), std::move(agent), ended,
                            talk,          transferred,         callback};
           }),
           py::arg("id"), py::arg("customer"), py::arg("agent"), py::arg("ended"), py::arg("talk"),
           py::arg("transferred") = false, py::arg("callback") = false)
      .def_readonly("id", &Contact::id)
      .def_readonly("customer", &Contact::customer)
      .def_readonly("agent", &Contact::agent);

  py::class_<Sampler>(m, "Sampler", "Deterministic sampling with suppression and quotas.")
      .def(py::init<const Definition&, calendar::Calendar>(), py::arg("definition"),
           py::arg("zone"))
      .def("decide", &Sampler::decide, py::arg("contact"))
      .def_static("in_sample", &Sampler::in_sample, py::arg("contact_id"), py::arg("seed"),
                  py::arg("percent"));

  py::class_<Response>(m, "Response", "One survey response (answers by question index).")
      .def(py::init([](std::vector<int> answers, std::uint32_t agent, std::uint32_t team,
                       std::uint32_t queue, Instant at) {
             if (answers.size() > kMaxQuestions) {
               throw Error(ErrorCode::invalid_argument, "answers", "at most 8 answers");
             }
             Response r;
             r.answers.fill(kNoResponse);
             for (std::size_t i = 0; i < answers.size(); ++i) {
               if (answers[i] < -1 || answers[i] > 10) {
                 throw Error(ErrorCode::invalid_argument, "answers",
                             "answers are -1 (no response) or 0 .. 10");
               }
               r.answers[i] = static_cast<std::int8_t>(answers[i]);
               r.responded = r.responded || answers[i] >= 0;
             }
             r.agent = agent;
             r.team = team;
             r.queue = queue;
             r.at = at;
             return r;
           }),
           py::arg("answers"), py::arg("agent") = 0, py::arg("team") = 0, py::arg("queue") = 0,
           py::arg("at") = Instant{})
      .def_property_readonly(
          "answers",
          [](const Response& r) { return std::vector<int>(r.answers.begin(), r.answers.end()); })
      .def_readwrite("agent", &Response::agent)
      .def_readwrite("team", &Response::team)
      .def_readwrite("queue", &Response::queue)
      .def_readonly("responded", &Response::responded);

  m.def("response_from", &response_from, py::arg("definition"), py::arg("session"),
        "The answers a finished survey session collected.");

  py::class_<Proportion>(m, "Proportion", "A proportion with its 95% Wilson interval.")
      .def_readonly("successes", &Proportion::successes)
      .def_readonly("n", &Proportion::n)
      .def_readonly("value", &Proportion::value)
      .def_readonly("low", &Proportion::low)
      .def_readonly("high", &Proportion::high);
  m.def("wilson", &wilson, py::arg("successes"), py::arg("n"), py::arg("z") = 1.96,
        "Wilson score interval (Newcombe 1998, method 3).");

  py::class_<Score>(m, "Score", "Scores of one group.")
      .def(py::init([](std::string group, int responses, int satisfied, int answered) {
             if (satisfied < 0 || satisfied > answered || responses < 0) {
               throw Error(ErrorCode::invalid_argument, "satisfied",
                           "need 0 <= satisfied <= answered and responses >= 0");
             }
             Score s;
             s.group = std::move(group);
             s.offered = s.responded = responses;
             s.satisfaction = wilson(satisfied, answered);
             return s;
           }),
           py::arg("group"), py::arg("responses"), py::arg("satisfied"), py::arg("answered"),
           "A score built by hand (e.g. an agent's month, for assess()).")
      .def_readonly("group", &Score::group)
      .def_readonly("offered", &Score::offered)
      .def_readonly("responded", &Score::responded)
      .def_readonly("response_rate", &Score::response_rate)
      .def_readonly("satisfaction", &Score::satisfaction)
      .def_readonly("csat", &Score::csat)
      .def_readonly("nps", &Score::nps)
      .def_readonly("nps_low", &Score::nps_low)
      .def_readonly("nps_high", &Score::nps_high)
      .def_readonly("nps_n", &Score::nps_n)
      .def_readonly("ces", &Score::ces)
      .def_readonly("ces_n", &Score::ces_n)
      .def_readonly("more_needed", &Score::more_needed);
  m.def(
      "aggregate",
      [](const Definition& d, const std::vector<Response>& rs, GroupBy by,
         const calendar::Calendar& zone, double precision) {
        py::gil_scoped_release release;
        return aggregate(d, rs, by, zone, precision);
      },
      py::arg("definition"), py::arg("responses"), py::arg("by"), py::arg("zone"),
      py::arg("precision") = 0.05, "Satisfaction, CSAT, NPS, CES and response rate per group.");

  py::class_<Roster>(m, "Roster", "The shift roster: who supervises when.")
      .def(py::init<>())
      .def("add", &Roster::add, py::arg("start"), py::arg("end"), py::arg("supervisor"))
      .def("on_duty", &Roster::on_duty, py::arg("t"))
      .def_static("from_json", &Roster::from_json, py::arg("text"));

  py::class_<Alert>(m, "Alert", "The agent's desktop alert.")
      .def_readonly("agent", &Alert::agent)
      .def_readonly("caller", &Alert::caller)
      .def_readonly("contact", &Alert::contact)
      .def_readonly("at", &Alert::at)
      .def_readonly("order", &Alert::order)
      .def_readonly("text", &Alert::text);

  py::class_<YellowCard>(m, "YellowCard", "A yellow card of the monthly assessment.")
      .def_readonly("agent", &YellowCard::agent)
      .def_readonly("order", &YellowCard::order)
      .def_readonly("at", &YellowCard::at)
      .def_readonly("reason", &YellowCard::reason)
      .def_property_readonly("month", [](const YellowCard& c) {
        return py::make_tuple(static_cast<int>(c.month.year()),
                              static_cast<unsigned>(c.month.month()));
      });

  py::class_<Loop>(m, "Loop",
                   "The dissatisfaction loop on an escalation engine (keep the engine alive).")
      .def(py::init<escalation::Engine&, Roster, calendar::Calendar, std::string, std::string>(),
           py::arg("engine"), py::arg("roster"), py::arg("zone"),
           py::arg("category") = "dissatisfaction_followup", py::arg("department") = "hotline",
           py::keep_alive<1, 2>())
      .def(
          "dissatisfied",
          [](Loop& l, const Contact& c, Instant now, const std::string& recording) {
            return l.dissatisfied(c, now, recording);
          },
          py::arg("contact"), py::arg("now"), py::arg("recording") = "")
      .def(
          "on_response",
          [](Loop& l, const Definition& d, const Response& r, const Contact& c, Instant now,
             const std::string& recording) { return l.on_response(d, r, c, now, recording); },
          py::arg("definition"), py::arg("response"), py::arg("contact"), py::arg("now"),
          py::arg("recording") = "")
      .def("explain", &Loop::explain, py::arg("order"), py::arg("agent"), py::arg("text"),
           py::arg("now"))
      .def("advance", &Loop::advance, py::arg("now"))
      .def("review", &Loop::review, py::arg("order"), py::arg("supervisor"), py::arg("recording"),
           py::arg("now"))
      .def("call_back", &Loop::call_back, py::arg("order"), py::arg("supervisor"), py::arg("note"),
           py::arg("now"))
      .def("verdict", &Loop::verdict, py::arg("order"), py::arg("supervisor"), py::arg("verdict"),
           py::arg("reason"), py::arg("now"))
      .def("overdue", &Loop::overdue, py::arg("order"))
      .def(
          "yellow_cards",
          [](const Loop& l, std::optional<std::pair<int, unsigned>> month) {
            std::optional<std::chrono::year_month> ym;
            if (month) ym = std::chrono::year{month->first} / std::chrono::month{month->second};
            return l.yellow_cards(ym);
          },
          py::arg("month") = py::none(), "Yellow cards, optionally of one (year, month).");

  py::class_<AssessmentWeights>(m, "AssessmentWeights", "Weights of the monthly assessment.")
      .def(py::init<>())
      .def_readwrite("survey", &AssessmentWeights::survey)
      .def_readwrite("qa", &AssessmentWeights::qa)
      .def_readwrite("per_yellow_card", &AssessmentWeights::per_yellow_card)
      .def_readwrite("stars", &AssessmentWeights::stars)
      .def_readwrite("min_responses", &AssessmentWeights::min_responses);
  py::class_<AgentMonth>(m, "AgentMonth", "One agent's line in the monthly assessment.")
      .def_readonly("agent", &AgentMonth::agent)
      .def_readonly("responses", &AgentMonth::responses)
      .def_readonly("satisfaction", &AgentMonth::satisfaction)
      .def_readonly("csat", &AgentMonth::csat)
      .def_readonly("yellow_cards", &AgentMonth::yellow_cards)
      .def_readonly("qa", &AgentMonth::qa)
      .def_readonly("score", &AgentMonth::score)
      .def_readonly("rank", &AgentMonth::rank)
      .def_readonly("star", &AgentMonth::star);
  m.def("assess", &assess, py::arg("by_agent"), py::arg("yellow_cards"), py::arg("qa"),
        py::arg("weights") = AssessmentWeights{},
        "The monthly table ranked by score, with the stars of the month.");
}

}  // namespace hotline::python
