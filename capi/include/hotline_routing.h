/* hotline C ABI: routing policies and the router (ACD). Events in, decisions out: through a
 * callback, or kept in the router's buffer until drained. docs/routing.md has the model. */
#ifndef HOTLINE_ROUTING_H
#define HOTLINE_ROUTING_H

#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A validated routing policy. Immutable; share it between routers and threads. */
typedef struct hotline_routing_policy hotline_routing_policy;
/* The routing engine. One thread at a time (serialise calls yourself, or use one router per
 * thread). */
typedef struct hotline_router hotline_router;

typedef enum hotline_routing_decision_kind {
  HOTLINE_ROUTING_OFFER = 0,          /* ring agent with contact */
  HOTLINE_ROUTING_WITHDRAW = 1,       /* stop ringing agent for contact */
  HOTLINE_ROUTING_ANNOUNCE = 2,       /* tell the caller position and predicted wait */
  HOTLINE_ROUTING_CALLBACK_OFFER = 3, /* offer a callback; answer with callback_accepted/declined */
  HOTLINE_ROUTING_OVERFLOW = 4,       /* contact moved from from_queue to queue */
  HOTLINE_ROUTING_REJECTED = 5,       /* contact not queued (full, closed); it is gone */
  HOTLINE_ROUTING_TIMED_OUT = 6,      /* contact reached the queue's max wait; it is gone */
  HOTLINE_ROUTING_AGENT_NOT_READY = 7 /* agent set not ready (ring-no-answer limit) */
} hotline_routing_decision_kind;

typedef enum hotline_routing_rule {
  HOTLINE_ROUTING_RULE_STRATEGY = 0,
  HOTLINE_ROUTING_RULE_PRIORITY = 1,
  HOTLINE_ROUTING_RULE_STARVATION = 2,
  HOTLINE_ROUTING_RULE_OWNER = 3,
  HOTLINE_ROUTING_RULE_RING_ALL = 4,
  HOTLINE_ROUTING_RULE_ACCEPTED_ELSEWHERE = 5,
  HOTLINE_ROUTING_RULE_ABANDONED = 6,
  HOTLINE_ROUTING_RULE_OFFER_TIMEOUT = 7,
  HOTLINE_ROUTING_RULE_AGENT_LEFT = 8,
  HOTLINE_ROUTING_RULE_STEP = 9,
  HOTLINE_ROUTING_RULE_MAX_WAIT = 10,
  HOTLINE_ROUTING_RULE_QUEUE_FULL = 11,
  HOTLINE_ROUTING_RULE_CLOSED = 12,
  HOTLINE_ROUTING_RULE_PREDICTED_WAIT = 13,
  HOTLINE_ROUTING_RULE_ARRIVAL = 14,
  HOTLINE_ROUTING_RULE_PERIODIC = 15,
  HOTLINE_ROUTING_RULE_RING_NO_ANSWER = 16
} hotline_routing_rule;

/* One decision and its explanation (hotline_routing_explain renders it as text). */
typedef struct hotline_routing_decision {
  hotline_routing_decision_kind kind;
  hotline_routing_rule rule;
  uint64_t contact;
  uint64_t agent;
  uint32_t queue;      /* queue index (hotline_routing_policy_queue_name) */
  uint32_t from_queue; /* overflow: the queue left */
  uint32_t step;       /* the contact's step when decided */
  uint32_t candidates; /* offer: available agents (strategy) or waiting contacts (priority) */
  double metric;       /* the strategy's metric or the effective priority in points */
  uint32_t position;   /* announce / callback_offer: 1 = next */
  hotline_duration_ms predicted_wait; /* -1: unknown (nobody staffed) */
  hotline_time_ms at;
} hotline_routing_decision;

typedef struct hotline_router_options {
  uint64_t seed; /* random / weighted_random strategies */
  bool scan;     /* true: scan every agent per decision (baseline / oracle); same decisions */
  bool record;   /* keep the event log (hotline_router_events_jsonl) */
} hotline_router_options;

typedef struct hotline_routing_queue_stats {
  int64_t waiting, arrived, answered, abandoned, timed_out, rejected;
  int64_t overflowed_out, overflowed_in, callbacks, staffed;
  hotline_duration_ms average_handle; /* the estimate behind predicted waits */
} hotline_routing_queue_stats;

/* Called once per decision, in order, during the event call that made it. It must not call the
 * router (such a call fails with HOTLINE_ESTATE). */
typedef void (*hotline_routing_callback)(void* user, const hotline_routing_decision* decision);

/* Policies: JSON text (calendar files relative to base_dir, which may be NULL) or a file. Errors
 * name the JSON pointer (hotline_error_where). */
HOTLINE_API int hotline_routing_policy_from_json(hotline_routing_policy** out, const char* json,
                                                 size_t len, const char* base_dir);
HOTLINE_API int hotline_routing_policy_load(hotline_routing_policy** out, const char* path);
HOTLINE_API void hotline_routing_policy_free(hotline_routing_policy* policy);
HOTLINE_API int hotline_routing_policy_queue_count(size_t* out,
                                                   const hotline_routing_policy* policy);
HOTLINE_API int hotline_routing_policy_queue_index(size_t* out,
                                                   const hotline_routing_policy* policy,
                                                   const char* name);
HOTLINE_API int hotline_routing_policy_queue_name(char* buf, size_t cap, size_t* needed,
                                                  const hotline_routing_policy* policy,
                                                  size_t queue);
/* The tier the policy's rules give for host attributes, as JSON {"arpu": "650", ...}. */
HOTLINE_API int hotline_routing_policy_classify(char* buf, size_t cap, size_t* needed,
                                                const hotline_routing_policy* policy,
                                                const char* attributes_json);
/* One-line explanation of a decision. */
HOTLINE_API int hotline_routing_explain(char* buf, size_t cap, size_t* needed,
                                        const hotline_routing_policy* policy,
                                        const hotline_routing_decision* decision);

/* options may be NULL (seed 0, indexed, no log). The router keeps its own reference to the
 * policy: the policy may be freed first. */
HOTLINE_API int hotline_router_new(hotline_router** out, const hotline_routing_policy* policy,
                                   const hotline_router_options* options);
HOTLINE_API void hotline_router_free(hotline_router* router);

/* Decisions go to the callback when one is set (NULL removes it), else into the buffer. */
HOTLINE_API int hotline_router_set_callback(hotline_router* router,
                                            hotline_routing_callback callback, void* user);
/* Moves up to capacity buffered decisions, oldest first, into out; *count says how many. */
HOTLINE_API int hotline_router_drain(hotline_routing_decision* out, size_t capacity, size_t* count,
                                     hotline_router* router);
HOTLINE_API int hotline_router_pending(size_t* out, const hotline_router* router);

/* Events. A failed call changes nothing and buffers no decision. */
/* profile: {"id": 7, "name": "li.na", "skills": {"billing": 4}, "languages": ["zh"],
 *           "grade": "senior", "pool": "inbound", "capacity": {"chat": 3}, "order": 2} */
HOTLINE_API int hotline_router_login(hotline_router* router, const char* profile_json, bool ready,
                                     hotline_time_ms now);
HOTLINE_API int hotline_router_logout(hotline_router* router, uint64_t agent, hotline_time_ms now);
HOTLINE_API int hotline_router_ready(hotline_router* router, uint64_t agent, hotline_time_ms now);
HOTLINE_API int hotline_router_not_ready(hotline_router* router, uint64_t agent, const char* reason,
                                         hotline_time_ms now);
/* contact: {"id": 1, "queue": "billing", "tier": "L1" | absent (classified from "attributes"),
 *           "attributes": {"arpu": 650}, "language": "zh", "skills": {"english": 3},
 *           "priority": 0, "customer": "138...", "owner": 7, "callback": false} */
HOTLINE_API int hotline_router_arrive(hotline_router* router, const char* contact_json,
                                      hotline_time_ms now);
/* The common case without JSON: tier and language may be NULL (classified / any). */
HOTLINE_API int hotline_router_arrive_simple(hotline_router* router, uint64_t contact,
                                             const char* queue, const char* tier,
                                             const char* language, hotline_time_ms now);
HOTLINE_API int hotline_router_abandon(hotline_router* router, uint64_t contact,
                                       hotline_time_ms now);
HOTLINE_API int hotline_router_accept(hotline_router* router, uint64_t contact, uint64_t agent,
                                      hotline_time_ms now);
HOTLINE_API int hotline_router_reject(hotline_router* router, uint64_t contact, uint64_t agent,
                                      hotline_time_ms now);
HOTLINE_API int hotline_router_end(hotline_router* router, uint64_t contact, hotline_time_ms now);
HOTLINE_API int hotline_router_wrap_up_done(hotline_router* router, uint64_t contact,
                                            hotline_time_ms now);
HOTLINE_API int hotline_router_callback_accepted(hotline_router* router, uint64_t contact,
                                                 hotline_time_ms now);
HOTLINE_API int hotline_router_callback_declined(hotline_router* router, uint64_t contact,
                                                 hotline_time_ms now);
/* Fires timers due at or before now. */
HOTLINE_API int hotline_router_advance(hotline_router* router, hotline_time_ms now);
/* *has = false when no timer is pending. */
HOTLINE_API int hotline_router_next_due(hotline_time_ms* out, bool* has,
                                        const hotline_router* router);
/* One recorded event line (JSON), as hotline_router_events_jsonl writes them. */
HOTLINE_API int hotline_router_apply(hotline_router* router, const char* event_json);

/* Queries. */
HOTLINE_API int hotline_router_position(uint32_t* out, const hotline_router* router,
                                        uint64_t contact, hotline_time_ms now);
HOTLINE_API int hotline_router_predicted_wait(hotline_duration_ms* out,
                                              const hotline_router* router, uint64_t contact,
                                              hotline_time_ms now);
HOTLINE_API int hotline_router_waiting_count(size_t* out, const hotline_router* router);
HOTLINE_API int hotline_router_queue_stats(hotline_routing_queue_stats* out,
                                           const hotline_router* router, size_t queue);
/* Agent / contact snapshots as JSON objects. */
HOTLINE_API int hotline_router_agent_json(char* buf, size_t cap, size_t* needed,
                                          const hotline_router* router, uint64_t agent);
HOTLINE_API int hotline_router_contact_json(char* buf, size_t cap, size_t* needed,
                                            const hotline_router* router, uint64_t contact);
/* The recorded events (options.record) as JSON Lines, for hotline_router_apply / replay. */
HOTLINE_API int hotline_router_events_jsonl(char* buf, size_t cap, size_t* needed,
                                            const hotline_router* router);
/* Full invariant check (tests): HOTLINE_EINTERNAL names the first violation. */
HOTLINE_API int hotline_router_check(const hotline_router* router);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_ROUTING_H */
