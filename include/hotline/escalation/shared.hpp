// hotline::escalation — a synchronised facade for hosts that call from several threads (a CRM's
// worker pool, a PBX's per-call threads).
#pragma once

#include <hotline/escalation/engine.hpp>

#include <algorithm>
#include <mutex>
#include <utility>

namespace hotline::escalation {

/// An Engine behind one mutex: every call is serialised, so any number of threads may use one
/// SharedEngine. Threads stamp commands with their own clocks, which race by a few milliseconds:
/// a command stamped before the engine's latest time is applied at that time (the engine's
/// clock never goes back) instead of failing. Tested under ThreadSanitizer
/// (tests/concurrency: Concurrent.SharedEscalationEngine).
///
///   SharedEngine shared(Engine(policy, sqlite_store("orders.db")));
///   // any thread:
///   shared.create(order, now, key);
///   shared.with([](Engine& e) { return e.open_count(); });
class SharedEngine {
 public:
  explicit SharedEngine(Engine engine) : engine_(std::move(engine)) {}

  /// Runs fn(Engine&) under the lock and returns its result (for anything not wrapped below).
  template <class Fn>
  decltype(auto) with(Fn&& fn) {
    std::lock_guard lock(mutex_);
    return std::forward<Fn>(fn)(engine_);
  }

  Result create(const NewOrder& order, Instant now, std::string_view key = {}) {
    return with([&](Engine& e) { return e.create(order, clamp(e, now), key); });
  }
  Result transition(OrderId id, std::string_view name, const Actor& actor,
                    const std::map<std::string, std::string, std::less<>>& fields, Instant now,
                    std::string_view key = {}) {
    return with(
        [&](Engine& e) { return e.transition(id, name, actor, fields, clamp(e, now), key); });
  }
  Result assign(OrderId id, std::string_view department, std::string_view handler,
                const Actor& actor, Instant now, std::string_view key = {}) {
    return with(
        [&](Engine& e) { return e.assign(id, department, handler, actor, clamp(e, now), key); });
  }
  Result pause(OrderId id, std::string_view reason, const Actor& actor, Instant now,
               std::string_view key = {}) {
    return with([&](Engine& e) { return e.pause(id, reason, actor, clamp(e, now), key); });
  }
  Result resume(OrderId id, const Actor& actor, Instant now, std::string_view key = {}) {
    return with([&](Engine& e) { return e.resume(id, actor, clamp(e, now), key); });
  }
  /// Fires what is due; notices are copies safe to hand to another thread (their views point
  /// into the engine's policies, which live as long as the engine).
  std::vector<Notice> advance(Instant now) {
    return with([&](Engine& e) { return e.advance(clamp(e, now)); });
  }
  void flush() {
    with([](Engine& e) { e.flush(); });
  }

 private:
  static Instant clamp(const Engine& e, Instant now) noexcept {
    return std::max(now, e.last_time());
  }
  std::mutex mutex_;
  Engine engine_;
};

}  // namespace hotline::escalation
