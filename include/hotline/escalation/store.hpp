// hotline::escalation — durable state: the store interface, an in-memory store and SQLite.
#pragma once

#include <hotline/core/time.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hotline::escalation {

/// One record of a work order's history. Commands are stored as the JSON the engine replays;
/// timer firings (warnings, breaches, escalations) are stored as `derived` records: they follow
/// from the "advance" commands and are skipped by replay.
struct StoredEvent {
  std::uint64_t seq = 0;    ///< Engine-wide, increasing.
  std::uint64_t order = 0;  ///< 0: engine-wide (advance, policy change).
  Instant at;
  std::string kind;  ///< "create", "transition", "assign", ..., "advance", "policy", "breach", ...
  std::string body;  ///< JSON.
  bool derived = false;
};

/// What one command changed; a store writes it atomically (all or nothing).
struct Commit {
  std::vector<StoredEvent> events;
  /// (order id, state JSON) of every order the command changed (see Engine::order_json); id 0
  /// carries the engine's own state (clock, policy versions in force).
  std::vector<std::pair<std::uint64_t, std::string>> states;
  std::string idempotency_key;  ///< Empty: none.
  std::uint64_t digest = 0;     ///< Hash of the command, to tell a retry from a key reused.
  std::uint64_t key_order = 0;  ///< The order the key's command created or changed.
  std::string policy_json;      ///< A new policy version (canonical JSON), or empty.
  Instant policy_effective;
};

/// What a store hands back on open.
struct Recovered {
  std::vector<std::pair<std::string, Instant>> policies;  ///< Canonical JSON, effective from.
  /// Current state of every order. Empty while events exist: the engine replays the events.
  std::vector<std::pair<std::uint64_t, std::string>> states;
  struct Key {
    std::string key;
    std::uint64_t digest = 0, order = 0, seq = 0;
  };
  std::vector<Key> keys;
  std::uint64_t last_seq = 0;
  bool has_events = false;
};

/// Persistence behind an Engine. Implement it to keep work orders in a CRM's own database:
/// write() must be atomic and, once flush() returns, durable; recover() returns what was written
/// (states may be left empty: the engine then replays the command events). Called from the
/// engine's thread only. See docs/escalation.md, "Host storage".
class Store {
 public:
  virtual ~Store() = default;
  virtual Recovered recover() = 0;
  virtual void write(const Commit& commit) = 0;
  /// Makes every written commit durable (a group commit); a no-op for per-commit durability.
  virtual void flush() = 0;
  /// The events of one order in sequence (commands and derived records).
  virtual std::vector<StoredEvent> history(std::uint64_t order) const = 0;
  /// Every event in sequence.
  virtual void for_each_event(const std::function<void(const StoredEvent&)>& fn) const = 0;
  /// A one-line statement of what survives a crash, e.g. "each commit fsynced (synchronous=FULL)".
  virtual std::string durability() const = 0;
  /// Whether the store wants Commit::states (false: it recovers by replaying events).
  virtual bool keeps_states() const { return true; }
};

/// Keeps events in memory (history and replay); nothing survives the process.
std::unique_ptr<Store> memory_store();

/// How the SQLite store commits.
enum class Durability {
  full,    ///< Every command is its own transaction, fsynced (WAL, synchronous=FULL).
  group,   ///< Commands share a transaction committed (fsynced) by flush() or every group_size
           ///< commands: acknowledged only once flushed; a crash loses the unflushed group whole.
  normal,  ///< Every command committed, WAL synchronous=NORMAL: survives a process crash, the last
           ///< commits may be lost on power failure.
};

struct SqliteOptions {
  Durability durability = Durability::full;
  int group_size = 512;  ///< Commands per group transaction (group mode).
};

/// A SQLite database file (created if missing): events, current order states, idempotency keys
/// and policy versions. Recovery on open rolls back any unfinished transaction (WAL). Throws
/// Error(io) naming the file when it cannot be opened or is not a hotline store.
std::unique_ptr<Store> sqlite_store(const std::filesystem::path& file, SqliteOptions options = {});

}  // namespace hotline::escalation
