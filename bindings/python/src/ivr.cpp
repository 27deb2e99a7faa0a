// hotline.ivr for Python.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/core/error.hpp>
#include <hotline/ivr.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using namespace hotline::ivr;
using TreePtr = std::shared_ptr<Tree>;

TreePtr mutable_ptr(std::shared_ptr<const Tree> t) {
  return std::const_pointer_cast<Tree>(std::move(t));
}

py::object json_loads(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

py::dict action_dict(const Action& a) {
  py::dict d;
  d["kind"] = to_string(a.kind);
  py::list prompts;
  for (const std::string& p : a.prompts) prompts.append(p);
  d["prompts"] = prompts;
  d["language"] = std::string(a.language);
  d["name"] = std::string(a.name);
  d["readback"] = a.readback;
  d["max_digits"] = a.max_digits;
  d["terminator"] = a.terminator ? std::string(1, a.terminator) : std::string();
  d["timeout"] = py::cast(a.timeout);
  d["inter_digit"] = py::cast(a.inter_digit);
  py::dict attrs;
  if (a.attributes) {
    for (const auto& [k, v] : *a.attributes) attrs[py::str(k)] = v;
  }
  d["attributes"] = attrs;
  return d;
}

}  // namespace

void init_ivr(py::module_& m) {
  py::enum_<NodeKind>(m, "NodeKind", "What a node does.")
      .value("MENU", NodeKind::menu)
      .value("PLAY", NodeKind::play)
      .value("COLLECT", NodeKind::collect)
      .value("BRANCH", NodeKind::branch)
      .value("ACTION", NodeKind::action)
      .value("TRANSFER", NodeKind::transfer)
      .value("SUBFLOW", NodeKind::subflow)
      .value("RETURN", NodeKind::ret)
      .value("LANGUAGE", NodeKind::language)
      .value("SURVEY", NodeKind::survey)
      .value("HANGUP", NodeKind::hangup);
  py::enum_<Outcome>(m, "Outcome", "How a call left the IVR.")
      .value("IN_PROGRESS", Outcome::in_progress)
      .value("SELF_SERVICE", Outcome::self_service)
      .value("TRANSFERRED", Outcome::transferred)
      .value("ABANDONED", Outcome::abandoned)
      .value("STEP_LIMIT", Outcome::step_limit);

  py::class_<Document>(m, "Document", "One IVR document (a flow with its owner and version).")
      .def_static("from_json", &Document::from_json, py::arg("text"),
                  py::arg("base_dir") = std::filesystem::path(),
                  "Parses a document; raises DefinitionError at the bad place.")
      .def_static("load", &Document::load, py::arg("path"))
      .def_readonly("name", &Document::name)
      .def_readonly("version", &Document::version)
      .def_readonly("owner", &Document::owner);

  py::class_<Finding>(m, "Finding", "A verification problem and its location.")
      .def_readonly("where", &Finding::where)
      .def_readonly("message", &Finding::message)
      .def("__repr__", [](const Finding& f) { return f.where + ": " + f.message; });

  py::class_<Tree, TreePtr>(m, "Tree",
                            "A composed, verified IVR tree.\n\n"
                            "    tree = ivr.Tree.compose([ivr.Document.load('national.json'),\n"
                            "                             ivr.Document.load('guangdong.json')])")
      .def_static(
          "compose",
          [](const std::vector<Document>& docs) { return mutable_ptr(Tree::compose(docs)); },
          py::arg("documents"),
          "Composes documents (the first is the root) and verifies the tree; raises "
          "DefinitionError listing every problem.")
      .def_static(
          "inspect",
          [](const std::vector<Document>& docs) {
            std::vector<Finding> errors, warnings;
            auto t = Tree::inspect(docs, errors, warnings);
            return py::make_tuple(t ? py::cast(mutable_ptr(t)) : py::none(), errors, warnings);
          },
          py::arg("documents"), "(tree or None, errors, warnings) even when there are errors.")
      .def_property_readonly("version_label", &Tree::version_label)
      .def_property_readonly("languages", &Tree::languages)
      .def_property_readonly("fallback_language", &Tree::fallback_language)
      .def_property_readonly("node_ids",
                             [](const Tree& t) {
                               std::vector<std::string> out;
                               for (const Node& n : t.nodes()) out.push_back(n.id);
                               return out;
                             })
      .def(
          "node",
          [](const Tree& t, const std::string& id) {
            const int i = t.find(id);
            if (i < 0) throw Error(ErrorCode::not_found, "id", "no node \"" + id + "\"");
            const Node& n = t.nodes()[static_cast<std::size_t>(i)];
            const NodeMetrics& mt = t.metrics()[static_cast<std::size_t>(i)];
            py::dict d;
            d["id"] = n.id;
            d["kind"] = n.kind;
            d["reachable"] = mt.reachable;
            d["keys_to_agent"] = mt.keys_to_agent;
            d["seconds_to_agent"] = mt.seconds_to_agent;
            d["depth"] = mt.depth;
            return d;
          },
          py::arg("id"), "A node's kind and metrics (keys and worst-case seconds to a human).")
      .def(
          "report", [](const Tree& t) { return json_loads(report_json(&t, {}, {})); },
          "The verification report of every node as a dict.")
      .def("to_dot", &Tree::to_dot, "Graphviz DOT.")
      .def(
          "prompt",
          [](const Tree& t, const std::string& id, const std::string& language) -> py::object {
            const PromptText* p = t.prompt(id, language);
            if (!p) return py::none();
            return py::make_tuple(p->text, py::cast(p->length));
          },
          py::arg("id"), py::arg("language"), "(text, length) with the fallback applied, or None.")
      .def(
          "prompts_length",
          [](const Tree& t, const std::vector<std::string>& ids, const std::string& language) {
            return t.prompts_length(ids, language);
          },
          py::arg("ids"), py::arg("language"),
          "Summed length of the prompts in the language (fallback applied; unknown ids count 0).")
      .def(
          "digits_match",
          [](const Tree& t, const std::string& node, const std::string& digits) {
            const int n = t.find(node);
            if (n < 0) throw Error(ErrorCode::not_found, "node", "no node \"" + node + "\"");
            return t.digits_match(n, digits);
          },
          py::arg("node"), py::arg("digits"),
          "Whether the digits match the node's collect pattern (True when it has none).")
      .def(
          "diff",
          [](const Tree& a, const Tree& b) {
            std::vector<std::tuple<std::string, std::string, std::string>> out;
            for (const Change& c : diff(a, b))
              out.emplace_back(to_string(c.kind), c.node, c.detail);
            return out;
          },
          py::arg("after"), "Semantic differences to another version: (kind, node, detail).");

  py::class_<Trajectory>(m, "Trajectory", "What a session left behind.")
      .def_readonly("tree_version", &Trajectory::tree_version)
      .def_readonly("started", &Trajectory::started)
      .def_readonly("ended", &Trajectory::ended)
      .def_readonly("outcome", &Trajectory::outcome)
      .def_readonly("queue", &Trajectory::queue)
      .def_readonly("keys", &Trajectory::keys)
      .def("to_json", &Trajectory::to_json, py::arg("tree"))
      .def_static("from_json", &Trajectory::from_json, py::arg("text"), py::arg("tree"));

  py::class_<Session>(
      m, "Session",
      "One call's walk through a tree; pinned to that tree's version.\n\n"
      "    s = ivr.Session(tree, now, tier='L3', language='zh')\n"
      "    s.actions()   # [{'kind': 'play', 'prompts': [...]}, {'kind': 'collect', ...}]\n"
      "    s.on_digits('1', now + timedelta(seconds=8))")
      .def(py::init([](TreePtr tree, Instant now, std::string tier, std::string language,
                       std::map<std::string, std::string, std::less<>> attributes) {
             return Session(std::move(tree),
                            CallInfo{std::move(tier), std::move(language), std::move(attributes)},
                            now);
           }),
           py::arg("tree"), py::arg("now"), py::arg("tier") = "", py::arg("language") = "",
           py::arg("attributes") = std::map<std::string, std::string, std::less<>>{})
      .def(
          "actions",
          [](const Session& s) {
            py::list out;
            for (const Action& a : s.actions()) out.append(action_dict(a));
            return out;
          },
          "The actions to perform now, as dicts (copies).")
      .def("on_digits", &Session::on_digits, py::arg("digits"), py::arg("now"))
      .def("on_timeout", &Session::on_timeout, py::arg("now"))
      .def("on_result", &Session::on_result, py::arg("outcome"), py::arg("now"))
      .def("on_hangup", &Session::on_hangup, py::arg("now"))
      .def_property_readonly("finished", &Session::finished)
      .def_property_readonly("verified", &Session::verified)
      .def_property_readonly("language", &Session::language)
      .def_property_readonly(
          "node",
          [](const Session& s) { return s.tree().nodes()[static_cast<std::size_t>(s.node())].id; })
      .def(
          "variable",
          [](const Session& s, const std::string& n) { return std::string(s.variable(n)); },
          py::arg("name"))
      .def_property_readonly("trajectory", &Session::trajectory);

  py::class_<Registry>(m, "Registry", "Versions of a tree: new calls get the newest.")
      .def(py::init<>())
      .def(
          "publish", [](Registry& r, TreePtr t) { return r.publish(std::move(t)); },
          py::arg("tree"))
      .def("latest", [](const Registry& r) { return mutable_ptr(r.latest()); })
      .def(
          "version", [](const Registry& r, int n) { return mutable_ptr(r.version(n)); },
          py::arg("number"))
      .def_property_readonly("count", &Registry::count);

  m.def(
      "analyze",
      [](const Tree& tree, const std::vector<Trajectory>& ts, int top) {
        return json_loads(to_json(analyze(tree, ts, top)));
      },
      py::arg("tree"), py::arg("trajectories"), py::arg("top") = 10,
      "Containment, abandonment, transfers per queue, drop-off per node, top paths.");
  m.def(
      "simulate",
      [](TreePtr tree, const std::string& model_json, int calls, std::uint64_t seed,
         Instant start) {
        const CallerModel model = CallerModel::from_json(model_json);
        py::gil_scoped_release release;
        return simulate(std::move(tree), model, calls, seed, start);
      },
      py::arg("tree"), py::arg("model_json"), py::arg("calls"), py::arg("seed"), py::arg("start"),
      "Simulated callers (model as JSON, docs/ivr.md); reproducible from the seed.");
}

}  // namespace hotline::python
