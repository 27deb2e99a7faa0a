/* hotline C ABI: IVR trees — composed documents verified at load, sessions, analytics. */
#ifndef HOTLINE_IVR_H
#define HOTLINE_IVR_H

#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A composed, verified, immutable tree. Thread-safe to share; sessions keep it alive. */
typedef struct hotline_ivr_tree hotline_ivr_tree;
/* One call's walk through a tree. One thread at a time. */
typedef struct hotline_ivr_session hotline_ivr_session;
/* Versions of a tree: new calls get the newest. One thread at a time. */
typedef struct hotline_ivr_registry hotline_ivr_registry;

/* One document of len bytes; base_dir (may be NULL) locates its calendar files. */
typedef struct hotline_ivr_document {
  const char* json;
  size_t len;
  const char* base_dir;
} hotline_ivr_document;

typedef enum hotline_ivr_node_kind {
  HOTLINE_IVR_MENU = 0,
  HOTLINE_IVR_PLAY = 1,
  HOTLINE_IVR_COLLECT = 2,
  HOTLINE_IVR_BRANCH = 3,
  HOTLINE_IVR_ACTION = 4,
  HOTLINE_IVR_TRANSFER = 5,
  HOTLINE_IVR_SUBFLOW = 6,
  HOTLINE_IVR_RETURN = 7,
  HOTLINE_IVR_LANGUAGE = 8,
  HOTLINE_IVR_SURVEY = 9,
  HOTLINE_IVR_HANGUP = 10
} hotline_ivr_node_kind;

/* A node and its verification metrics. Strings owned by the tree. */
typedef struct hotline_ivr_node {
  const char* id; /* "document/node" */
  hotline_ivr_node_kind kind;
  bool reachable;
  int keys_to_agent;       /* fewest key presses to a human, -1 none */
  double seconds_to_agent; /* worst-case seconds on the fastest route, -1 none */
  int depth;               /* key presses from the start, -1 unreachable */
} hotline_ivr_node;

typedef enum hotline_ivr_action_kind {
  HOTLINE_IVR_DO_PLAY = 0,
  HOTLINE_IVR_DO_COLLECT = 1,
  HOTLINE_IVR_DO_INVOKE = 2,
  HOTLINE_IVR_DO_TRANSFER = 3,
  HOTLINE_IVR_DO_SURVEY = 4,
  HOTLINE_IVR_DO_HANGUP = 5
} hotline_ivr_action_kind;

typedef struct hotline_ivr_attribute {
  const char* name;
  const char* value;
} hotline_ivr_attribute;

/* One instruction to the host. Pointers are valid until the session's next event. */
typedef struct hotline_ivr_action {
  hotline_ivr_action_kind kind;
  const char* const* prompts; /* play: prompt ids, in order */
  size_t prompt_count;
  const char* language;
  const char* name; /* invoke: action; transfer: queue; survey: survey; play: digits to read back */
  int max_digits;   /* collect */
  char terminator;  /* collect: 0 none */
  hotline_duration_ms timeout, inter_digit;
  const hotline_ivr_attribute* attributes; /* transfer */
  size_t attribute_count;
} hotline_ivr_action;

typedef enum hotline_ivr_outcome {
  HOTLINE_IVR_IN_PROGRESS = 0,
  HOTLINE_IVR_SELF_SERVICE = 1,
  HOTLINE_IVR_TRANSFERRED = 2,
  HOTLINE_IVR_ABANDONED = 3,
  HOTLINE_IVR_STEP_LIMIT = 4
} hotline_ivr_outcome;

typedef struct hotline_ivr_status {
  bool finished;
  hotline_ivr_outcome outcome;
  const char* node;     /* current node id */
  const char* language; /* current language */
  const char* queue;    /* transfers: the queue */
  bool verified;
  int keys;
} hotline_ivr_status;

#define HOTLINE_IVR_CALL_VERSION 1u

/* What the host knows when the call arrives. */
typedef struct hotline_ivr_call {
  unsigned int version; /* HOTLINE_IVR_CALL_VERSION */
  const char* tier;     /* "L1", "L3", "VIP", ... (NULL: "") */
  const char* language; /* NULL: the tree's fallback */
  const hotline_ivr_attribute* attributes;
  size_t attribute_count;
} hotline_ivr_call;

/* Composes documents (the first is the root) and verifies the tree. HOTLINE_EDEFINITION with
 * hotline_error_where() = the first problem's location; hotline_error_last() lists them all. */
HOTLINE_API int hotline_ivr_tree_compose(hotline_ivr_tree** out, const hotline_ivr_document* docs,
                                         size_t count);
/* As above, reading files (calendar files relative to each). */
HOTLINE_API int hotline_ivr_tree_load(hotline_ivr_tree** out, const char* const* paths,
                                      size_t count);
HOTLINE_API void hotline_ivr_tree_free(hotline_ivr_tree* tree);
/* Verification report as JSON even when there are errors: {"errors": [{where, message}],
 * "warnings": [...], "nodes": [{id, kind, reachable, keys_to_agent, seconds_to_agent, depth}]}. */
HOTLINE_API int hotline_ivr_validate_json(char* buf, size_t cap, size_t* needed,
                                          const hotline_ivr_document* docs, size_t count);
HOTLINE_API int hotline_ivr_tree_node_count(size_t* out, const hotline_ivr_tree* tree);
/* HOTLINE_EINVALID for index >= node count. */
HOTLINE_API int hotline_ivr_tree_node(hotline_ivr_node* out, const hotline_ivr_tree* tree,
                                      size_t index);
/* Graphviz DOT. */
HOTLINE_API int hotline_ivr_tree_dot(char* buf, size_t cap, size_t* needed,
                                     const hotline_ivr_tree* tree);
/* Semantic differences, one per line: "kind<TAB>node<TAB>detail". */
HOTLINE_API int hotline_ivr_tree_diff(char* buf, size_t cap, size_t* needed,
                                      const hotline_ivr_tree* before,
                                      const hotline_ivr_tree* after);
/* A prompt's text in a language (fallback applied); HOTLINE_ENOTFOUND when none. */
HOTLINE_API int hotline_ivr_prompt(const char** text, hotline_duration_ms* length,
                                   const hotline_ivr_tree* tree, const char* id,
                                   const char* language);

/* The summed length of prompts `ids` (count of them) in a language, each with the fallback of
 * hotline_ivr_prompt; unknown ids count 0. For a host timing a play action. */
HOTLINE_API int hotline_ivr_prompts_length(hotline_duration_ms* out, const hotline_ivr_tree* tree,
                                           const char* const* ids, size_t count,
                                           const char* language);
/* Whether digits match the collect pattern of node `node` ("document/node" or "node" in the root
 * document); true when it has none. HOTLINE_ENOTFOUND for an unknown node. */
HOTLINE_API int hotline_ivr_digits_match(bool* out, const hotline_ivr_tree* tree, const char* node,
                                         const char* digits);

HOTLINE_API int hotline_ivr_registry_new(hotline_ivr_registry** out);
HOTLINE_API void hotline_ivr_registry_free(hotline_ivr_registry* registry);
/* Adds a version (the registry keeps its own reference); *version = 1, 2, ... */
HOTLINE_API int hotline_ivr_registry_publish(int* version, hotline_ivr_registry* registry,
                                             const hotline_ivr_tree* tree);
/* A new handle on the newest version (release with hotline_ivr_tree_free). */
HOTLINE_API int hotline_ivr_registry_latest(hotline_ivr_tree** out,
                                            const hotline_ivr_registry* registry);

/* Starts a call at `now`; the first actions are ready (hotline_ivr_session_actions). */
HOTLINE_API int hotline_ivr_session_new(hotline_ivr_session** out, const hotline_ivr_tree* tree,
                                        const hotline_ivr_call* call, hotline_time_ms now);
HOTLINE_API void hotline_ivr_session_free(hotline_ivr_session* session);
/* Events. HOTLINE_ESTATE when the session is not waiting for that event (nothing changes). */
HOTLINE_API int hotline_ivr_session_digits(hotline_ivr_session* session, const char* digits,
                                           hotline_time_ms now);
HOTLINE_API int hotline_ivr_session_timeout(hotline_ivr_session* session, hotline_time_ms now);
HOTLINE_API int hotline_ivr_session_result(hotline_ivr_session* session, const char* outcome,
                                           hotline_time_ms now);
HOTLINE_API int hotline_ivr_session_hangup(hotline_ivr_session* session, hotline_time_ms now);
/* The actions to perform now, with the EBUFFER protocol. */
HOTLINE_API int hotline_ivr_session_actions(hotline_ivr_action* out, size_t capacity, size_t* count,
                                            const hotline_ivr_session* session);
HOTLINE_API int hotline_ivr_session_status(hotline_ivr_status* out,
                                           const hotline_ivr_session* session);
/* The trajectory (node visits, inputs, timestamps, outcome) as JSON. */
HOTLINE_API int hotline_ivr_session_trajectory_json(char* buf, size_t cap, size_t* needed,
                                                    const hotline_ivr_session* session);

/* Runs `calls` simulated callers (model: JSON, see docs/ivr.md; NULL = defaults) and writes the
 * analytics as JSON (containment, abandonment, transfers per queue, drop-off per node, paths). */
HOTLINE_API int hotline_ivr_simulate_json(char* buf, size_t cap, size_t* needed,
                                          const hotline_ivr_tree* tree, const char* model_json,
                                          int calls, uint64_t seed, hotline_time_ms start);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_IVR_H */
