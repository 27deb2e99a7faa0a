#include <memory>
#include <string>
#include <vector>

#include <hotline/core/error.hpp>
#include <hotline/ivr.hpp>

#include "guard.hpp"
#include "handles.hpp"
#include "hotline_ivr.h"

struct hotline_ivr_tree {
  std::shared_ptr<const hotline::ivr::Tree> tree;
};

struct hotline_ivr_registry {
  hotline::ivr::Registry registry;
};

namespace {

namespace ivr = hotline::ivr;
using hotline::Error;
using hotline::ErrorCode;
using hotline::from_unix_ms;
using hotline::capi::copy_out;
using hotline::capi::guard;
using hotline::capi::require;

std::vector<ivr::Document> documents_of(const hotline_ivr_document* docs, size_t count) {
  if (count == 0) throw Error(ErrorCode::invalid_argument, "count", "at least one document");
  require(docs, "docs");
  std::vector<ivr::Document> out;
  for (size_t i = 0; i < count; ++i) {
    if (docs[i].json == nullptr && docs[i].len > 0) {
      throw Error(ErrorCode::invalid_argument, "docs/" + std::to_string(i) + "/json",
                  "json must not be NULL");
    }
    ivr::Document d;
    d.json = docs[i].json ? std::string(docs[i].json, docs[i].len) : std::string();
    d.base_dir = docs[i].base_dir ? docs[i].base_dir : "";
    out.push_back(std::move(d));
  }
  return out;
}

void refresh(hotline_ivr_session* s) {
  const auto acts = s->session.actions();
  s->actions.assign(acts.size(), hotline_ivr_action{});
  s->prompts.assign(acts.size(), {});
  s->attributes.assign(acts.size(), {});
  s->names.assign(acts.size(), {});
  for (size_t i = 0; i < acts.size(); ++i) {
    const ivr::Action& a = acts[i];
    hotline_ivr_action& c = s->actions[i];
    c.kind = static_cast<hotline_ivr_action_kind>(a.kind);
    for (const std::string& p : a.prompts) s->prompts[i].push_back(p.c_str());
    c.prompts = s->prompts[i].data();
    c.prompt_count = s->prompts[i].size();
    c.language = s->session.language().c_str();
    s->names[i] = a.readback.empty() ? std::string(a.name) : a.readback;  // NUL-terminated copy
    c.name = s->names[i].c_str();
    c.max_digits = a.max_digits;
    c.terminator = a.terminator;
    c.timeout = a.timeout.count();
    c.inter_digit = a.inter_digit.count();
    if (a.attributes) {
      for (const auto& [k, v] : *a.attributes) s->attributes[i].push_back({k.c_str(), v.c_str()});
    }
    c.attributes = s->attributes[i].data();
    c.attribute_count = s->attributes[i].size();
  }
}

template <class Fn>
int event(hotline_ivr_session* session, Fn&& fn) {
  return guard([&] {
    require(session, "session");
    fn();
    refresh(session);
  });
}

}  // namespace

extern "C" {

int hotline_ivr_tree_compose(hotline_ivr_tree** out, const hotline_ivr_document* docs,
                             size_t count) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    *out = new hotline_ivr_tree{ivr::Tree::compose(documents_of(docs, count))};
  });
}

int hotline_ivr_tree_load(hotline_ivr_tree** out, const char* const* paths, size_t count) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    if (count == 0) throw Error(ErrorCode::invalid_argument, "count", "at least one document");
    require(paths, "paths");
    std::vector<ivr::Document> docs;
    for (size_t i = 0; i < count; ++i) {
      require(paths[i], "paths[i]");
      docs.push_back(ivr::Document::load(paths[i]));
    }
    *out = new hotline_ivr_tree{ivr::Tree::compose(docs)};
  });
}

void hotline_ivr_tree_free(hotline_ivr_tree* tree) { delete tree; }

int hotline_ivr_validate_json(char* buf, size_t cap, size_t* needed,
                              const hotline_ivr_document* docs, size_t count) {
  return guard([&] {
    std::vector<ivr::Finding> errors, warnings;
    auto tree = ivr::Tree::inspect(documents_of(docs, count), errors, warnings);
    return copy_out(ivr::report_json(tree.get(), errors, warnings), buf, cap, needed);
  });
}

int hotline_ivr_tree_node_count(size_t* out, const hotline_ivr_tree* tree) {
  return guard([&] {
    require(out, "out");
    require(tree, "tree");
    *out = tree->tree->nodes().size();
  });
}

int hotline_ivr_tree_node(hotline_ivr_node* out, const hotline_ivr_tree* tree, size_t index) {
  return guard([&] {
    require(out, "out");
    require(tree, "tree");
    const auto& t = *tree->tree;
    if (index >= t.nodes().size()) {
      throw Error(
          ErrorCode::invalid_argument, "index",
          "index " + std::to_string(index) + " >= node count " + std::to_string(t.nodes().size()));
    }
    const ivr::Node& n = t.nodes()[index];
    const ivr::NodeMetrics& m = t.metrics()[index];
    out->id = n.id.c_str();
    out->kind = static_cast<hotline_ivr_node_kind>(n.kind);
    out->reachable = m.reachable;
    out->keys_to_agent = m.keys_to_agent;
    out->seconds_to_agent = m.seconds_to_agent;
    out->depth = m.depth;
  });
}

int hotline_ivr_tree_dot(char* buf, size_t cap, size_t* needed, const hotline_ivr_tree* tree) {
  return guard([&] {
    require(tree, "tree");
    return copy_out(tree->tree->to_dot(), buf, cap, needed);
  });
}

int hotline_ivr_tree_diff(char* buf, size_t cap, size_t* needed, const hotline_ivr_tree* before,
                          const hotline_ivr_tree* after) {
  return guard([&] {
    require(before, "before");
    require(after, "after");
    std::string text;
    for (const ivr::Change& c : ivr::diff(*before->tree, *after->tree)) {
      text += std::string(ivr::to_string(c.kind)) + "\t" + c.node + "\t" + c.detail + "\n";
    }
    return copy_out(text, buf, cap, needed);
  });
}

int hotline_ivr_prompt(const char** text, hotline_duration_ms* length, const hotline_ivr_tree* tree,
                       const char* id, const char* language) {
  return guard([&] {
    require(text, "text");
    require(tree, "tree");
    require(id, "id");
    const ivr::PromptText* p = tree->tree->prompt(id, language ? language : "");
    if (!p) throw Error(ErrorCode::not_found, "id", std::string("no prompt \"") + id + "\"");
    *text = p->text.c_str();
    if (length) *length = p->length.count();
  });
}

int hotline_ivr_prompts_length(hotline_duration_ms* out, const hotline_ivr_tree* tree,
                               const char* const* ids, size_t count, const char* language) {
  return guard([&] {
    require(out, "out");
    require(tree, "tree");
    if (count > 0) require(ids, "ids");
    std::vector<std::string> list;
    list.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (ids[i] == nullptr)
        throw Error(ErrorCode::invalid_argument, "ids", "ids[" + std::to_string(i) + "] is NULL");
      list.emplace_back(ids[i]);
    }
    *out = tree->tree->prompts_length(list, language ? language : "").count();
  });
}

int hotline_ivr_digits_match(bool* out, const hotline_ivr_tree* tree, const char* node,
                             const char* digits) {
  return guard([&] {
    require(out, "out");
    require(tree, "tree");
    require(node, "node");
    require(digits, "digits");
    const int n = tree->tree->find(node);
    if (n < 0) throw Error(ErrorCode::not_found, "node", std::string("no node \"") + node + "\"");
    *out = tree->tree->digits_match(n, digits);
  });
}

int hotline_ivr_registry_new(hotline_ivr_registry** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    *out = new hotline_ivr_registry{};
  });
}

void hotline_ivr_registry_free(hotline_ivr_registry* registry) { delete registry; }

int hotline_ivr_registry_publish(int* version, hotline_ivr_registry* registry,
                                 const hotline_ivr_tree* tree) {
  return guard([&] {
    require(version, "version");
    require(registry, "registry");
    require(tree, "tree");
    *version = registry->registry.publish(tree->tree);
  });
}

int hotline_ivr_registry_latest(hotline_ivr_tree** out, const hotline_ivr_registry* registry) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(registry, "registry");
    *out = new hotline_ivr_tree{registry->registry.latest()};
  });
}

int hotline_ivr_session_new(hotline_ivr_session** out, const hotline_ivr_tree* tree,
                            const hotline_ivr_call* call, hotline_time_ms now) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(tree, "tree");
    ivr::CallInfo info;
    if (call != nullptr) {
      if (call->version != HOTLINE_IVR_CALL_VERSION) {
        throw Error(ErrorCode::invalid_argument, "call.version",
                    "unknown struct version " + std::to_string(call->version));
      }
      info.tier = call->tier ? call->tier : "";
      info.language = call->language ? call->language : "";
      if (call->attribute_count > 0) require(call->attributes, "call.attributes");
      for (size_t i = 0; i < call->attribute_count; ++i) {
        if (!call->attributes[i].name || !call->attributes[i].value) {
          throw Error(ErrorCode::invalid_argument, "call.attributes/" + std::to_string(i),
                      "name and value must not be NULL");
        }
        info.attributes[call->attributes[i].name] = call->attributes[i].value;
      }
    }
    auto* s = new hotline_ivr_session{
        ivr::Session(tree->tree, std::move(info), from_unix_ms(now)), {}, {}, {}, {}};
    try {
      refresh(s);
    } catch (...) {
      delete s;
      throw;
    }
    *out = s;
  });
}

void hotline_ivr_session_free(hotline_ivr_session* session) { delete session; }

int hotline_ivr_session_digits(hotline_ivr_session* session, const char* digits,
                               hotline_time_ms now) {
  return event(session, [&] {
    require(digits, "digits");
    session->session.on_digits(digits, from_unix_ms(now));
  });
}

int hotline_ivr_session_timeout(hotline_ivr_session* session, hotline_time_ms now) {
  return event(session, [&] { session->session.on_timeout(from_unix_ms(now)); });
}

int hotline_ivr_session_result(hotline_ivr_session* session, const char* outcome,
                               hotline_time_ms now) {
  return event(session, [&] {
    require(outcome, "outcome");
    session->session.on_result(outcome, from_unix_ms(now));
  });
}

int hotline_ivr_session_hangup(hotline_ivr_session* session, hotline_time_ms now) {
  return event(session, [&] { session->session.on_hangup(from_unix_ms(now)); });
}

int hotline_ivr_session_actions(hotline_ivr_action* out, size_t capacity, size_t* count,
                                const hotline_ivr_session* session) {
  return guard([&] {
    require(count, "count");
    require(session, "session");
    *count = session->actions.size();
    if (capacity < session->actions.size()) return HOTLINE_EBUFFER;
    if (!session->actions.empty()) require(out, "out");
    std::copy(session->actions.begin(), session->actions.end(), out);
    return HOTLINE_OK;
  });
}

int hotline_ivr_session_status(hotline_ivr_status* out, const hotline_ivr_session* session) {
  return guard([&] {
    require(out, "out");
    require(session, "session");
    const ivr::Session& s = session->session;
    out->finished = s.finished();
    out->outcome = static_cast<hotline_ivr_outcome>(s.trajectory().outcome);
    out->node = s.tree().nodes()[static_cast<size_t>(s.node())].id.c_str();
    out->language = s.language().c_str();
    out->queue = s.trajectory().queue.c_str();
    out->verified = s.verified();
    out->keys = s.trajectory().keys;
  });
}

int hotline_ivr_session_trajectory_json(char* buf, size_t cap, size_t* needed,
                                        const hotline_ivr_session* session) {
  return guard([&] {
    require(session, "session");
    return copy_out(session->session.trajectory().to_json(session->session.tree()), buf, cap,
                    needed);
  });
}

int hotline_ivr_simulate_json(char* buf, size_t cap, size_t* needed, const hotline_ivr_tree* tree,
                              const char* model_json, int calls, uint64_t seed,
                              hotline_time_ms start) {
  return guard([&] {
    require(tree, "tree");
    const ivr::CallerModel model =
        model_json ? ivr::CallerModel::from_json(model_json) : ivr::CallerModel{};
    const auto ts = ivr::simulate(tree->tree, model, calls, seed, from_unix_ms(start));
    return copy_out(ivr::to_json(ivr::analyze(*tree->tree, ts)), buf, cap, needed);
  });
}

}  // extern "C"
