// hotline::ivr — IVR tree definitions: documents (a national first layer, provincial sub-flows)
// composed into one tree, verified at load (every problem at once, each with its location), with
// per-node reachability, key presses and worst-case seconds to a human. JSON: docs/ivr.md.
#pragma once

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::ivr {

/// What a node does.
enum class NodeKind : std::uint8_t {
  menu,      ///< Prompts, then one key chooses a target; no-input / no-match retries.
  play,      ///< Prompts, then `next`.
  collect,   ///< Collect digits (length, terminator, pattern, confirm) into a variable.
  branch,    ///< First matching condition's target, else `otherwise`.
  action,    ///< A host self-service action; its declared outcomes choose the target.
  transfer,  ///< To a queue (a human) with routing attributes: ends the IVR leg.
  subflow,   ///< Calls another document's flow; `next` when it returns.
  ret,       ///< Returns from a subflow (at top level: like hangup).
  language,  ///< Language choice: key -> language, then `next`.
  survey,    ///< Survey hook: the host runs the named survey, then `next`.
  hangup,    ///< Ends the call in the IVR (self-service completed).
};
/// "menu", "play", ...
const char* to_string(NodeKind k) noexcept;

/// One recorded prompt in one language.
struct PromptText {
  std::string text;
  Duration length{};  ///< How long it plays (for the worst-case time to a human).
};

/// A branch condition. Kinds: tier / language equal to `value`; calendar `value` open / closed;
/// variable `name` equal to `value`; host attribute `name` equal to `value`, >= or < `number`.
struct Condition {
  enum class Kind : std::uint8_t {
    tier,
    language,
    open,
    closed,
    var_eq,
    attr_eq,
    attr_ge,
    attr_lt
  };
  Kind kind = Kind::tier;
  std::string name;
  std::string value;
  double number = 0;
  int target = -1;
};

/// A node of the composed tree. Targets are node indexes (-1: none).
struct Node {
  std::string id;        ///< "document/node", unique in the tree.
  std::string document;  ///< The document it came from.
  NodeKind kind = NodeKind::play;
  std::vector<std::string> prompts;  ///< Prompt ids, played in order.
  int next = -1;
  // menu / language: key -> target (language nodes: key -> language in `languages`)
  std::vector<std::pair<char, int>> options;
  std::vector<std::pair<char, std::string>> languages;
  Duration timeout{std::chrono::seconds{5}};
  Duration inter_digit{std::chrono::seconds{3}};
  int max_noinput = 3;  ///< Retries after silence before `exhausted`.
  int max_nomatch = 3;  ///< Retries after a wrong key before `exhausted`.
  /// Count-indexed (tapered) prompts: retry i plays entry min(i, size - 1); empty: `prompts`.
  std::vector<std::vector<std::string>> noinput_prompts, nomatch_prompts;
  int exhausted = -1;
  // collect
  int min_digits = 1, max_digits = 1;
  char terminator = 0;
  std::string pattern;   ///< ECMAScript regex the digits must match ("" = any).
  bool confirm = false;  ///< Read back and ask 1 = yes / 2 = no.
  std::string into;      ///< Session variable receiving the digits.
  // action
  std::string action;
  std::vector<std::pair<std::string, int>> outcomes;
  bool verifies = false;         ///< A successful outcome ("ok") verifies the caller.
  bool changes_account = false;  ///< Needs a prior verification on every path.
  // transfer
  std::string queue;
  std::vector<std::pair<std::string, std::string>> attributes;
  // branch
  std::vector<Condition> conditions;
  int otherwise = -1;
  // subflow
  int callee = -1;  ///< Entry node of the called flow.
  // survey
  std::string survey;
};

/// Per-node results of the verification.
struct NodeMetrics {
  bool reachable = false;
  /// Fewest key presses from this node to a transfer (a human); -1 when none can be reached.
  int keys_to_agent = -1;
  /// Worst-case seconds on that best route: every prompt played in full, and every wait at a
  /// menu or collect counted as its timeout times (retries + 1) when the route goes by timeout.
  double seconds_to_agent = -1;
  int depth = -1;  ///< Key presses from the start (shortest), -1 when unreachable.
};

/// Verification limits (from the root document's "limits").
struct Limits {
  int max_options = 5;  ///< Per menu (ISO/IEC 13714 suggests 4 to 5).
  int max_steps = 100;  ///< Per call; then the call goes to the agent target.
  std::optional<int> max_keys_to_agent;
  std::optional<double> max_seconds_to_agent;
  /// L1 callers must reach a human from the start without any menu or collect.
  bool l1_direct = false;
};

/// A problem found at load; warnings do not stop loading.
struct Finding {
  std::string where;  ///< "document/node", "document/node/options/2", or a JSON pointer.
  std::string message;
};

/// One document: a flow with its owner and version (JSON).
struct Document {
  std::string name;
  std::string version;
  std::string owner;
  std::string json;                ///< The source text.
  std::filesystem::path base_dir;  ///< For calendar files.
  /// Internal: the validated parse, reused by Tree::compose (reset it after editing `json`).
  struct Parsed;
  std::shared_ptr<const Parsed> parsed;

  static Document from_json(std::string_view json, const std::filesystem::path& base_dir = {});
  static Document load(const std::filesystem::path& path);
};

/// A composed, verified IVR tree. Immutable; share it between sessions (shared_ptr).
///
///   auto tree = hotline::ivr::Tree::compose({Document::load("national.json"),
///                                            Document::load("province-gd.json")});
class Tree {
 public:
  /// Composes the documents (the first is the root) and verifies the result. Throws
  /// Error(invalid_definition) listing every problem at its location.
  static std::shared_ptr<const Tree> compose(const std::vector<Document>& documents);
  /// As compose(), but returns the tree and the findings even when there are errors (for
  /// `hotline ivr validate`); nullptr when a document cannot be parsed at all (the error is
  /// in `errors`).
  static std::shared_ptr<const Tree> inspect(const std::vector<Document>& documents,
                                             std::vector<Finding>& errors,
                                             std::vector<Finding>& warnings);

  const std::vector<Node>& nodes() const noexcept { return nodes_; }
  const std::vector<NodeMetrics>& metrics() const noexcept { return metrics_; }
  int start() const noexcept { return start_; }
  int agent() const noexcept { return agent_; }           ///< The agent target (0 key, step limit).
  char agent_key() const noexcept { return agent_key_; }  ///< 0 when disabled.
  char back_key() const noexcept { return back_key_; }    ///< 0 when disabled.
  const Limits& limits() const noexcept { return limits_; }
  const std::vector<std::string>& languages() const noexcept { return languages_; }
  const std::string& fallback_language() const noexcept { return fallback_; }
  /// Name, version and owner of each composed document, root first.
  const std::vector<Document>& documents() const noexcept { return documents_; }
  /// Index of a node by id ("document/node", or "node" in the root document), -1 if none.
  int find(std::string_view id) const noexcept;
  /// The prompt in `language`, falling back to the fallback language; nullptr when neither.
  const PromptText* prompt(std::string_view id, std::string_view language) const noexcept;
  /// The summed length of prompts `ids` in `language` (each with the fallback rule of
  /// prompt(); unknown prompts count 0). Precomputed for the tree's own prompt lists.
  Duration prompts_length(std::span<const std::string> ids, std::string_view language) const;
  /// The most digits a collect node takes (min_digits / max_digits lie within 1..32).
  static constexpr std::size_t kMaxCollectDigits = 32;
  /// Whether `digits` match the collect pattern of node `node` (true when it has none or is
  /// not a collect node; false for more than kMaxCollectDigits digits against a pattern).
  /// Patterns are compiled once, when the tree is composed.
  bool digits_match(int node, std::string_view digits) const;
  /// A calendar named in a document; nullptr if unknown.
  const calendar::Calendar* calendar(std::string_view name) const noexcept;
  /// "national 2025.1 + province-gd 2025.3".
  const std::string& version_label() const noexcept { return version_label_; }

  /// Graphviz DOT of the tree (menus as boxes, transfers as double octagons, edges labelled).
  std::string to_dot() const;

  struct Build;

 private:
  friend struct Build;
  std::vector<Node> nodes_;
  std::vector<NodeMetrics> metrics_;
  int start_ = 0, agent_ = -1;
  char agent_key_ = '0', back_key_ = '*';
  Limits limits_;
  std::vector<std::string> languages_;
  std::string fallback_;
  std::vector<Document> documents_;
  std::string version_label_;
  std::map<std::string, std::map<std::string, PromptText, std::less<>>, std::less<>> prompts_;
  std::map<std::string, calendar::Calendar, std::less<>> calendars_;
  struct Compiled;  // collect patterns compiled, prompts hashed (built once, at compose)
  std::shared_ptr<const Compiled> compiled_;
};

/// One difference between two versions of a tree.
struct Change {
  enum class Kind : std::uint8_t {
    node_added,
    node_removed,
    option_added,
    option_removed,
    option_rerouted,
    reachability,
    keys_to_agent,
    seconds_to_agent,
    depth,  ///< Key presses from the start changed.
  };
  Kind kind;
  std::string node;
  std::string detail;  ///< Human-readable: "key 3: billing -> billing_v2", "4 -> 2 keys", ...
};
/// "node_added", ...
const char* to_string(Change::Kind k) noexcept;

/// The verification report of Tree::inspect as JSON: {"tree": "national 2025.1 + ...",
/// "errors": [{where, message}], "warnings": [...], "nodes": [{id, kind, reachable,
/// keys_to_agent, seconds_to_agent, depth}]} (tree may be null: no nodes).
std::string report_json(const Tree* tree, const std::vector<Finding>& errors,
                        const std::vector<Finding>& warnings);

/// The semantic difference of two trees, matched by node id.
std::vector<Change> diff(const Tree& before, const Tree& after);

}  // namespace hotline::ivr
