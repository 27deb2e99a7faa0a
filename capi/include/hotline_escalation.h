/* hotline C ABI: complaint escalation — policies, the work-order engine, durable stores. */
#ifndef HOTLINE_ESCALATION_H
#define HOTLINE_ESCALATION_H

#include "hotline_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An immutable, validated escalation policy. Thread-safe to share. */
typedef struct hotline_escalation_policy hotline_escalation_policy;
/* A work-order engine. Not thread-safe: one thread at a time per engine. */
typedef struct hotline_escalation_engine hotline_escalation_engine;

typedef enum hotline_escalation_channel {
  HOTLINE_CHANNEL_HOTLINE = 0,
  HOTLINE_CHANNEL_GENERAL_MANAGER = 1,
  HOTLINE_CHANNEL_MAILBOX = 2,
  HOTLINE_CHANNEL_WEB = 3
} hotline_escalation_channel;

typedef enum hotline_escalation_severity {
  HOTLINE_SEVERITY_LOW = 0,
  HOTLINE_SEVERITY_NORMAL = 1,
  HOTLINE_SEVERITY_HIGH = 2,
  HOTLINE_SEVERITY_URGENT = 3
} hotline_escalation_severity;

typedef enum hotline_escalation_role {
  HOTLINE_ROLE_TEAM_LEAD = 0,
  HOTLINE_ROLE_DEPARTMENT_HEAD = 1,
  HOTLINE_ROLE_GENERAL_MANAGER = 2
} hotline_escalation_role;

typedef enum hotline_escalation_notice_kind {
  HOTLINE_NOTICE_WARNING = 0,    /* a clock used `fraction` of its time */
  HOTLINE_NOTICE_BREACH = 1,     /* a deadline passed: first ladder rung */
  HOTLINE_NOTICE_ESCALATION = 2, /* a further rung */
  HOTLINE_NOTICE_IMMEDIATE = 3,  /* immediate escalation at creation */
  HOTLINE_NOTICE_REPEAT = 4      /* repeat complaint: severity raised, regulator risk */
} hotline_escalation_notice_kind;

typedef enum hotline_escalation_durability {
  HOTLINE_DURABILITY_FULL = 0,  /* every command fsynced before it returns */
  HOTLINE_DURABILITY_GROUP = 1, /* durable once hotline_escalation_flush returns */
  HOTLINE_DURABILITY_NORMAL = 2 /* survives a process crash, not a power failure */
} hotline_escalation_durability;

typedef enum hotline_escalation_clock_state {
  HOTLINE_CLOCK_IDLE = 0,
  HOTLINE_CLOCK_RUNNING = 1,
  HOTLINE_CLOCK_PAUSED = 2,
  HOTLINE_CLOCK_STOPPED = 3
} hotline_escalation_clock_state;

/* A notification due. Strings are owned by the engine and valid while it lives. */
typedef struct hotline_escalation_notice {
  hotline_escalation_notice_kind kind;
  uint64_t order;
  const char* clock; /* "" for immediate and repeat notices */
  hotline_time_ms due;
  hotline_time_ms deliver_at; /* due, or the end of quiet hours */
  double fraction;            /* warnings */
  int count;                  /* repeat: the customer's orders within the window */
  int level;                  /* ladder rung, -1 for warnings and repeat notices */
  hotline_escalation_role role;
  const char* recipient; /* the person at that rung, "" when the policy names none */
} hotline_escalation_notice;

typedef struct hotline_escalation_field {
  const char* key;
  const char* value;
} hotline_escalation_field;

typedef struct hotline_escalation_actor {
  const char* id;
  const char* role; /* "agent", "supervisor", "department", "system", ... */
} hotline_escalation_actor;

#define HOTLINE_ESCALATION_NEW_ORDER_VERSION 1u

/* A new work order. Start from version = HOTLINE_ESCALATION_NEW_ORDER_VERSION. */
typedef struct hotline_escalation_new_order {
  unsigned int version;
  const char* customer;
  hotline_escalation_channel channel;
  const char* category;
  hotline_escalation_severity severity;
  const char* owner;      /* the first-contact agent (required) */
  const char* department; /* NULL or "": not dispatched yet */
  const char* handler;    /* NULL or "": the owner */
  bool has_promised;
  hotline_time_ms promised;
  bool has_special;
  hotline_time_ms special;
  const hotline_escalation_field* fields;
  size_t field_count;
} hotline_escalation_new_order;

/* What a command did. Its notices (immediate escalation, repeat flags) are read with
 * hotline_escalation_notices. */
typedef struct hotline_escalation_result {
  uint64_t order;
  uint64_t seq;
  bool duplicate; /* a retry of an idempotency key: nothing changed */
  size_t notice_count;
} hotline_escalation_result;

#define HOTLINE_ESCALATION_SQLITE_OPTIONS_VERSION 1u

typedef struct hotline_escalation_sqlite_options {
  unsigned int version;
  hotline_escalation_durability durability;
  int group_size; /* commands per group transaction (group mode); <= 0: 512 */
} hotline_escalation_sqlite_options;

/* A work order's summary. Strings are owned by the engine and valid until the next call that
 * changes it. */
typedef struct hotline_escalation_order {
  uint64_t id;
  const char* customer;
  const char* category;
  const char* state;
  const char* owner;
  const char* department; /* "" when not dispatched */
  const char* handler;
  hotline_escalation_channel channel;
  hotline_escalation_severity severity;
  bool closed, paused, repeat_complaint, regulator_risk, resolved, replied;
  int satisfied; /* -1 not asked, 0 no, 1 yes */
  int level;     /* highest escalation rung reached, -1 none */
  hotline_time_ms created;
  bool has_closed_at;
  hotline_time_ms closed_at;
  uint32_t policy_version;
} hotline_escalation_order;

typedef struct hotline_escalation_clock {
  hotline_escalation_clock_state state;
  hotline_time_ms started;
  hotline_time_ms deadline; /* effective deadline (valid once started) */
  hotline_duration_ms target;
  hotline_duration_ms consumed; /* business time used before the current stretch */
  int warnings;
  int level;
  bool breached;
} hotline_escalation_clock;

typedef struct hotline_escalation_policy_change {
  uint32_t version;
  bool applied; /* false: scheduled for `effective`; moved_count is then a preview */
  size_t moved_count;
  size_t kept_count;
} hotline_escalation_policy_change;

/* Parses and validates a policy of len bytes; calendar files are read relative to base_dir (NULL:
 * the current directory). HOTLINE_EDEFINITION with hotline_error_where() = the JSON pointer; the
 * message lists every problem. */
HOTLINE_API int hotline_escalation_policy_from_json(hotline_escalation_policy** out,
                                                    const char* json, size_t len,
                                                    const char* base_dir);
/* As above, from a file (calendar files relative to it). */
HOTLINE_API int hotline_escalation_policy_load(hotline_escalation_policy** out, const char* path);
HOTLINE_API void hotline_escalation_policy_free(hotline_escalation_policy* policy);

/* An engine keeping its history in memory. The policy is copied (free it when you like). */
HOTLINE_API int hotline_escalation_engine_new(hotline_escalation_engine** out,
                                              const hotline_escalation_policy* policy);
/* An engine on a SQLite file (created if missing; recovered otherwise). options may be NULL
 * (full durability). HOTLINE_EIO naming the file; HOTLINE_ESTATE when the store was written under
 * another policy version. */
HOTLINE_API int hotline_escalation_engine_open_sqlite(
    hotline_escalation_engine** out, const hotline_escalation_policy* policy, const char* path,
    const hotline_escalation_sqlite_options* options);
HOTLINE_API void hotline_escalation_engine_free(hotline_escalation_engine* engine);

/* Commands. key (NULL or "": none) makes a command idempotent: a retry returns the first result
 * with duplicate = true. On error nothing changes. */
HOTLINE_API int hotline_escalation_create(hotline_escalation_result* out,
                                          hotline_escalation_engine* engine,
                                          const hotline_escalation_new_order* order,
                                          hotline_time_ms now, const char* key);
HOTLINE_API int hotline_escalation_transition(
    hotline_escalation_result* out, hotline_escalation_engine* engine, uint64_t order,
    const char* name, const hotline_escalation_actor* actor, const hotline_escalation_field* fields,
    size_t field_count, hotline_time_ms now, const char* key);
HOTLINE_API int hotline_escalation_assign(hotline_escalation_result* out,
                                          hotline_escalation_engine* engine, uint64_t order,
                                          const char* department, const char* handler,
                                          const hotline_escalation_actor* actor,
                                          hotline_time_ms now, const char* key);
HOTLINE_API int hotline_escalation_add_co_handler(hotline_escalation_result* out,
                                                  hotline_escalation_engine* engine, uint64_t order,
                                                  const char* person,
                                                  const hotline_escalation_actor* actor,
                                                  hotline_time_ms now, const char* key);
HOTLINE_API int hotline_escalation_pause(hotline_escalation_result* out,
                                         hotline_escalation_engine* engine, uint64_t order,
                                         const char* reason, const hotline_escalation_actor* actor,
                                         hotline_time_ms now, const char* key);
HOTLINE_API int hotline_escalation_resume(hotline_escalation_result* out,
                                          hotline_escalation_engine* engine, uint64_t order,
                                          const hotline_escalation_actor* actor,
                                          hotline_time_ms now, const char* key);
/* special = false: the deadline promised to the customer; true: the customer's own deadline. */
HOTLINE_API int hotline_escalation_set_deadline(hotline_escalation_result* out,
                                                hotline_escalation_engine* engine, uint64_t order,
                                                bool special, hotline_time_ms deadline,
                                                const hotline_escalation_actor* actor,
                                                hotline_time_ms now, const char* key);

/* Fires every timer due at or before now; *count = how many notices (read them with
 * hotline_escalation_notices). */
HOTLINE_API int hotline_escalation_advance(size_t* count, hotline_escalation_engine* engine,
                                           hotline_time_ms now);
/* The notices of the last command or advance, with the EBUFFER protocol: capacity too small ->
 * nothing written, *count set, HOTLINE_EBUFFER. */
HOTLINE_API int hotline_escalation_notices(hotline_escalation_notice* out, size_t capacity,
                                           size_t* count, const hotline_escalation_engine* engine);
/* *out = the earliest pending timer; *found = false when there is none. */
HOTLINE_API int hotline_escalation_next_due(hotline_time_ms* out, bool* found,
                                            const hotline_escalation_engine* engine);
/* Group commit: makes every command so far durable. */
HOTLINE_API int hotline_escalation_flush(hotline_escalation_engine* engine);

/* Schedules a policy version effective at `effective` (>= now). */
HOTLINE_API int hotline_escalation_change_policy(hotline_escalation_policy_change* out,
                                                 hotline_escalation_engine* engine,
                                                 const hotline_escalation_policy* policy,
                                                 hotline_time_ms effective, hotline_time_ms now);

HOTLINE_API int hotline_escalation_order_count(size_t* out,
                                               const hotline_escalation_engine* engine);
HOTLINE_API int hotline_escalation_open_count(size_t* out, const hotline_escalation_engine* engine);
/* HOTLINE_ENOTFOUND for an unknown id. */
HOTLINE_API int hotline_escalation_get_order(hotline_escalation_order* out,
                                             const hotline_escalation_engine* engine, uint64_t id);
HOTLINE_API int hotline_escalation_get_clock(hotline_escalation_clock* out,
                                             const hotline_escalation_engine* engine, uint64_t id,
                                             const char* clock);

/* Text outputs (NUL-terminated into buf of size cap; *needed = length without the NUL;
 * HOTLINE_EBUFFER when cap is too small). */
/* How a clock's deadline was computed, one fact per line. */
HOTLINE_API int hotline_escalation_explain(char* buf, size_t cap, size_t* needed,
                                           const hotline_escalation_engine* engine, uint64_t id,
                                           const char* clock);
/* The order's state as JSON. */
HOTLINE_API int hotline_escalation_order_json(char* buf, size_t cap, size_t* needed,
                                              const hotline_escalation_engine* engine, uint64_t id);
/* The order's history as a JSON array of {seq, at, kind, derived, body}. */
HOTLINE_API int hotline_escalation_history_json(char* buf, size_t cap, size_t* needed,
                                                const hotline_escalation_engine* engine,
                                                uint64_t id);
/* KPIs as JSON: {"timeliness": [...], "three": {...}, "resolution": [...]}. */
HOTLINE_API int hotline_escalation_kpis_json(char* buf, size_t cap, size_t* needed,
                                             const hotline_escalation_engine* engine);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_ESCALATION_H */
