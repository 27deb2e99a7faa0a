// hotline.routing for Python.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/core/error.hpp>
#include <hotline/routing/router.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using namespace hotline::routing;

using Decisions = std::vector<Decision>;

Decisions list(std::span<const Decision> d) { return Decisions(d.begin(), d.end()); }

std::size_t queue_of(const Router& r, const py::object& q) {
  if (py::isinstance<py::str>(q)) return r.policy().queue_index(q.cast<std::string>());
  return q.cast<std::size_t>();
}

}  // namespace

void init_routing(py::module_& m) {
  py::enum_<Grade>(m, "Grade")
      .value("JUNIOR", Grade::junior)
      .value("INTERMEDIATE", Grade::intermediate)
      .value("SENIOR", Grade::senior)
      .value("EXPERT", Grade::expert);
  py::enum_<Pool>(m, "Pool")
      .value("INBOUND", Pool::inbound)
      .value("OUTBOUND", Pool::outbound)
      .value("BLENDED", Pool::blended);
  py::enum_<Strategy>(m, "Strategy")
      .value("LONGEST_IDLE", Strategy::longest_idle)
      .value("FEWEST_CALLS", Strategy::fewest_calls)
      .value("LEAST_TALK_TIME", Strategy::least_talk_time)
      .value("ROUND_ROBIN", Strategy::round_robin)
      .value("LINEAR", Strategy::linear)
      .value("RANDOM", Strategy::random)
      .value("WEIGHTED_RANDOM", Strategy::weighted_random)
      .value("RING_ALL", Strategy::ring_all)
      .value("BEST_SKILL", Strategy::best_skill);
  py::enum_<DecisionKind>(m, "DecisionKind", "What a decision tells the host to do.")
      .value("OFFER", DecisionKind::offer)
      .value("WITHDRAW", DecisionKind::withdraw)
      .value("ANNOUNCE", DecisionKind::announce)
      .value("CALLBACK_OFFER", DecisionKind::callback_offer)
      .value("OVERFLOW", DecisionKind::overflow)
      .value("REJECTED", DecisionKind::rejected)
      .value("TIMED_OUT", DecisionKind::timed_out)
      .value("AGENT_NOT_READY", DecisionKind::agent_not_ready);
  py::enum_<Rule>(m, "Rule", "The rule that produced a decision.")
      .value("STRATEGY", Rule::strategy)
      .value("PRIORITY", Rule::priority)
      .value("STARVATION", Rule::starvation)
      .value("OWNER", Rule::owner)
      .value("RING_ALL", Rule::ring_all)
      .value("ACCEPTED_ELSEWHERE", Rule::accepted_elsewhere)
      .value("ABANDONED", Rule::abandoned)
      .value("OFFER_TIMEOUT", Rule::offer_timeout)
      .value("AGENT_LEFT", Rule::agent_left)
      .value("STEP", Rule::step)
      .value("MAX_WAIT", Rule::max_wait)
      .value("QUEUE_FULL", Rule::queue_full)
      .value("CLOSED", Rule::closed)
      .value("PREDICTED_WAIT", Rule::predicted_wait)
      .value("ARRIVAL", Rule::arrival)
      .value("PERIODIC", Rule::periodic)
      .value("RING_NO_ANSWER", Rule::ring_no_answer);
  py::enum_<Presence>(m, "Presence")
      .value("LOGGED_OUT", Presence::logged_out)
      .value("READY", Presence::ready)
      .value("NOT_READY", Presence::not_ready);
  py::enum_<ContactState>(m, "ContactState")
      .value("RESERVED", ContactState::reserved)
      .value("WAITING", ContactState::waiting)
      .value("OFFERED", ContactState::offered)
      .value("CONNECTED", ContactState::connected)
      .value("WRAP_UP", ContactState::wrap_up);

  py::class_<Policy, std::shared_ptr<Policy>>(
      m, "Policy",
      "A validated routing policy.\n\n"
      "    p = routing.Policy.load('examples/routing/policy.json')")
      .def_static(
          "from_json",
          [](std::string_view text, const std::filesystem::path& base_dir) {
            return std::const_pointer_cast<Policy>(Policy::from_json(text, base_dir));
          },
          py::arg("text"), py::arg("base_dir") = std::filesystem::path())
      .def_static(
          "load",
          [](const std::filesystem::path& p) {
            return std::const_pointer_cast<Policy>(Policy::load(p));
          },
          py::arg("path"))
      .def_property_readonly("name", [](const Policy& p) { return p.definition().name; })
      .def_property_readonly("version", [](const Policy& p) { return p.definition().version; })
      .def_property_readonly("queue_names",
                             [](const Policy& p) {
                               std::vector<std::string> out;
                               for (const Queue& q : p.definition().queues) out.push_back(q.name);
                               return out;
                             })
      .def_property_readonly("tier_names",
                             [](const Policy& p) {
                               std::vector<std::string> out;
                               for (const Tier& t : p.definition().tiers) out.push_back(t.name);
                               return out;
                             })
      .def("queue_index", &Policy::queue_index, py::arg("name"))
      .def(
          "strategy",
          [](const Policy& p, const std::string& q) { return p.queue(p.queue_index(q)).strategy; },
          py::arg("queue"))
      .def(
          "classify",
          [](const Policy& p, const std::map<std::string, py::object>& attrs) {
            std::map<std::string, std::string, std::less<>> a;
            for (const auto& [k, v] : attrs) a.emplace(k, py::str(v).cast<std::string>());
            return p.definition().tiers[p.classify(a)].name;
          },
          py::arg("attributes"),
          "The tier the rules give for host attributes (ARPU, service grade, ...).")
      .def("to_json", &Policy::to_json)
      .def_property_readonly("starvation_bound", &Policy::starvation_bound);

  py::class_<AgentProfile>(m, "AgentProfile", "Who an agent is, given at login.")
      .def(py::init([](AgentId id, const std::map<std::string, int>& skills,
                       std::vector<std::string> languages, Grade grade, Pool pool,
                       const std::map<std::string, int>& capacity, std::int64_t order,
                       std::string name) {
             AgentProfile p;
             p.id = id;
             for (const auto& [k, v] : skills) p.skills.push_back({k, v});
             p.languages = std::move(languages);
             p.grade = grade;
             p.pool = pool;
             for (const auto& [k, v] : capacity) p.capacity.emplace(k, v);
             p.order = order;
             p.name = std::move(name);
             return p;
           }),
           py::arg("id"), py::arg("skills") = std::map<std::string, int>{},
           py::arg("languages") = std::vector<std::string>{}, py::arg("grade") = Grade::junior,
           py::arg("pool") = Pool::inbound, py::arg("capacity") = std::map<std::string, int>{},
           py::arg("order") = 0, py::arg("name") = "")
      .def_readwrite("id", &AgentProfile::id)
      .def_readwrite("name", &AgentProfile::name)
      .def_property_readonly("skills",
                             [](const AgentProfile& p) {
                               std::map<std::string, int> out;
                               for (const auto& s : p.skills) out[s.skill] = s.proficiency;
                               return out;
                             })
      .def_readwrite("languages", &AgentProfile::languages)
      .def_readwrite("grade", &AgentProfile::grade)
      .def_readwrite("pool", &AgentProfile::pool)
      .def_readwrite("order", &AgentProfile::order);

  py::class_<ContactSpec>(m, "ContactSpec", "A contact entering a queue.")
      .def(py::init([](ContactId id, std::string queue, std::string tier,
                       const std::map<std::string, py::object>& attributes, std::string language,
                       const std::map<std::string, int>& skills, int priority, std::string customer,
                       std::optional<AgentId> owner, bool callback) {
             ContactSpec c;
             c.id = id;
             c.queue = std::move(queue);
             c.tier = std::move(tier);
             for (const auto& [k, v] : attributes)
               c.attributes.emplace(k, py::str(v).cast<std::string>());
             c.language = std::move(language);
             for (const auto& [k, v] : skills) c.skills.push_back({k, v});
             c.priority = priority;
             c.customer = std::move(customer);
             c.owner = owner;
             c.callback = callback;
             return c;
           }),
           py::arg("id"), py::arg("queue"), py::arg("tier") = "",
           py::arg("attributes") = std::map<std::string, py::object>{}, py::arg("language") = "",
           py::arg("skills") = std::map<std::string, int>{}, py::arg("priority") = 0,
           py::arg("customer") = "", py::arg("owner") = std::nullopt, py::arg("callback") = false)
      .def_readwrite("id", &ContactSpec::id)
      .def_readwrite("queue", &ContactSpec::queue)
      .def_readwrite("tier", &ContactSpec::tier)
      .def_readwrite("language", &ContactSpec::language)
      .def_readwrite("priority", &ContactSpec::priority)
      .def_readwrite("owner", &ContactSpec::owner);

  py::class_<Decision>(m, "Decision", "One decision and its explanation.")
      .def_readonly("kind", &Decision::kind)
      .def_readonly("rule", &Decision::rule)
      .def_readonly("contact", &Decision::contact)
      .def_readonly("agent", &Decision::agent)
      .def_readonly("queue", &Decision::queue)
      .def_readonly("from_queue", &Decision::from_queue)
      .def_readonly("step", &Decision::step)
      .def_readonly("candidates", &Decision::candidates)
      .def_readonly("metric", &Decision::metric)
      .def_readonly("position", &Decision::position)
      .def_property_readonly("predicted_wait",
                             [](const Decision& d) -> std::optional<Duration> {
                               if (d.predicted_wait < Duration::zero()) return std::nullopt;
                               return d.predicted_wait;
                             })
      .def_readonly("at", &Decision::at)
      .def(
          "explain", [](const Decision& d, const Policy& p) { return explain(d, p); },
          py::arg("policy"))
      .def("__eq__", [](const Decision& a, const Decision& b) { return a == b; })
      .def("__repr__", [](const Decision& d) {
        return "<Decision " + std::string(to_string(d.kind)) +
               " contact=" + std::to_string(d.contact) + " agent=" + std::to_string(d.agent) +
               " rule=" + std::string(to_string(d.rule)) + ">";
      });

  py::class_<AgentStatus>(m, "AgentStatus")
      .def_readonly("presence", &AgentStatus::presence)
      .def_readonly("reason", &AgentStatus::reason)
      .def_readonly("offered", &AgentStatus::offered)
      .def_readonly("busy", &AgentStatus::busy)
      .def_readonly("wrap_up", &AgentStatus::wrap_up)
      .def_readonly("in_cooldown", &AgentStatus::in_cooldown)
      .def_readonly("consecutive_no_answer", &AgentStatus::consecutive_no_answer)
      .def_readonly("accepted", &AgentStatus::accepted)
      .def_readonly("talk_time", &AgentStatus::talk_time);
  py::class_<ContactStatus>(m, "ContactStatus")
      .def_readonly("state", &ContactStatus::state)
      .def_readonly("queue", &ContactStatus::queue)
      .def_readonly("step", &ContactStatus::step)
      .def_readonly("tier", &ContactStatus::tier)
      .def_readonly("arrived", &ContactStatus::arrived)
      .def_readonly("offered_to", &ContactStatus::offered_to)
      .def_readonly("agent", &ContactStatus::agent)
      .def_readonly("callback", &ContactStatus::callback)
      .def_readonly("starving", &ContactStatus::starving);
  py::class_<QueueStats>(m, "QueueStats")
      .def_readonly("waiting", &QueueStats::waiting)
      .def_readonly("arrived", &QueueStats::arrived)
      .def_readonly("answered", &QueueStats::answered)
      .def_readonly("abandoned", &QueueStats::abandoned)
      .def_readonly("timed_out", &QueueStats::timed_out)
      .def_readonly("rejected", &QueueStats::rejected)
      .def_readonly("overflowed_out", &QueueStats::overflowed_out)
      .def_readonly("overflowed_in", &QueueStats::overflowed_in)
      .def_readonly("callbacks", &QueueStats::callbacks)
      .def_readonly("average_handle", &QueueStats::average_handle)
      .def_readonly("staffed", &QueueStats::staffed);

  py::class_<Router>(
      m, "Router",
      "The routing engine: every event returns the decisions it caused.\n\n"
      "    r = routing.Router(policy)\n"
      "    r.login(routing.AgentProfile(7, skills={'billing': 4}, languages=['zh']), now)\n"
      "    for d in r.arrive(routing.ContactSpec(1, 'billing', language='zh'), now):\n"
      "        print(d.explain(policy))")
      .def(py::init([](std::shared_ptr<Policy> p, std::uint64_t seed, bool indexed, bool record) {
             return Router(std::const_pointer_cast<const Policy>(p),
                           RouterOptions{seed, indexed, record});
           }),
           py::arg("policy"), py::arg("seed") = 0, py::arg("indexed") = true,
           py::arg("record") = false)
      .def(
          "login",
          [](Router& r, const AgentProfile& p, Instant now, bool ready) {
            return list(r.login(p, now, ready));
          },
          py::arg("profile"), py::arg("now"), py::arg("ready") = true)
      .def(
          "logout", [](Router& r, AgentId a, Instant now) { return list(r.logout(a, now)); },
          py::arg("agent"), py::arg("now"))
      .def(
          "ready", [](Router& r, AgentId a, Instant now) { return list(r.ready(a, now)); },
          py::arg("agent"), py::arg("now"))
      .def(
          "not_ready",
          [](Router& r, AgentId a, std::string_view reason, Instant now) {
            return list(r.not_ready(a, reason, now));
          },
          py::arg("agent"), py::arg("reason"), py::arg("now"))
      .def(
          "arrive",
          [](Router& r, const ContactSpec& c, Instant now) { return list(r.arrive(c, now)); },
          py::arg("contact"), py::arg("now"))
      .def(
          "abandon", [](Router& r, ContactId c, Instant now) { return list(r.abandon(c, now)); },
          py::arg("contact"), py::arg("now"))
      .def(
          "accept",
          [](Router& r, ContactId c, AgentId a, Instant now) { return list(r.accept(c, a, now)); },
          py::arg("contact"), py::arg("agent"), py::arg("now"))
      .def(
          "reject",
          [](Router& r, ContactId c, AgentId a, Instant now) { return list(r.reject(c, a, now)); },
          py::arg("contact"), py::arg("agent"), py::arg("now"))
      .def(
          "end", [](Router& r, ContactId c, Instant now) { return list(r.end(c, now)); },
          py::arg("contact"), py::arg("now"))
      .def(
          "wrap_up_done",
          [](Router& r, ContactId c, Instant now) { return list(r.wrap_up_done(c, now)); },
          py::arg("contact"), py::arg("now"))
      .def(
          "callback_accepted",
          [](Router& r, ContactId c, Instant now) { return list(r.callback_accepted(c, now)); },
          py::arg("contact"), py::arg("now"))
      .def(
          "callback_declined",
          [](Router& r, ContactId c, Instant now) { return list(r.callback_declined(c, now)); },
          py::arg("contact"), py::arg("now"))
      .def(
          "advance", [](Router& r, Instant now) { return list(r.advance(now)); }, py::arg("now"))
      .def_property_readonly("next_due", &Router::next_due)
      .def(
          "apply_json",
          [](Router& r, std::string_view line) { return list(r.apply(event_from_json(line))); },
          py::arg("line"), "Applies one recorded event line (JSON).")
      .def("events_jsonl", [](const Router& r) { return events_to_jsonl(r.events()); })
      .def("agent", &Router::agent, py::arg("agent"))
      .def("contact", &Router::contact, py::arg("contact"))
      .def(
          "queue_stats",
          [](const Router& r, const py::object& q) { return r.queue_stats(queue_of(r, q)); },
          py::arg("queue"))
      .def("position", &Router::position, py::arg("contact"), py::arg("now"))
      .def(
          "predicted_wait",
          [](const Router& r, ContactId c, Instant now) -> std::optional<Duration> {
            const Duration d = r.predicted_wait(c, now);
            if (d < Duration::zero()) return std::nullopt;
            return d;
          },
          py::arg("contact"), py::arg("now"))
      .def_property_readonly("waiting_count", &Router::waiting_count)
      .def_property_readonly("agent_count", &Router::agent_count)
      .def("check_invariants", &Router::check_invariants);

  m.def(
      "replay",
      [](std::shared_ptr<Policy> p, std::string_view jsonl, std::uint64_t seed, bool indexed) {
        const std::vector<Event> events = events_from_jsonl(jsonl);
        return replay(std::const_pointer_cast<const Policy>(p), events,
                      RouterOptions{seed, indexed, false});
      },
      py::arg("policy"), py::arg("jsonl"), py::arg("seed") = 0, py::arg("indexed") = true,
      "Replays recorded events (JSON Lines) into a fresh router; returns every decision.");
}

}  // namespace hotline::python
