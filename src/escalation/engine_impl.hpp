// Internal: the engine's state and helpers (engine.cpp: commands and timers; engine_state.cpp:
// JSON of orders, recovery and replay).
#pragma once

#include <hotline/escalation/engine.hpp>

#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json.hpp"

namespace hotline::escalation {

/// One entry of the due-time index.
struct Timer {
  Instant due;
  OrderId order = 0;
  std::uint16_t clock = 0;
  std::uint64_t generation = 0;
  // Min-heap on (due, order, clock): ties resolve the same way every run.
  friend bool operator>(const Timer& a, const Timer& b) noexcept {
    if (a.due != b.due) return a.due > b.due;
    if (a.order != b.order) return a.order > b.order;
    return a.clock > b.clock;
  }
};

struct KeyEntry {
  std::uint64_t digest = 0;
  OrderId order = 0;
  std::uint64_t seq = 0;
};

struct Engine::Impl {
  static constexpr std::size_t kMaxOrders = std::size_t{1} << 32;
  static constexpr std::size_t kMaxPolicies = 10'000;

  std::vector<Policy> policies;       // version = index
  std::uint32_t current = 0;          // version new orders use
  std::vector<PolicyChange> changes;  // changes[v - 1] introduced version v
  std::vector<Order> orders;          // id = index + 1
  std::size_t open = 0;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
  std::uint64_t generation = 0;
  std::unordered_map<std::string, KeyEntry> keys;
  // customer -> (created, order) in creation order: the repeat-complaint window.
  std::unordered_map<std::string, std::vector<std::pair<Instant, OrderId>>> by_customer;
  std::unique_ptr<Store> store;
  std::uint64_t seq = 0;
  Instant last_now = Instant::min();
  bool replaying = false;

  const Policy& policy_of(const Order& o) const;
  const Workflow& workflow_of(const Order& o) const;
  const calendar::Calendar& calendar_of(const Order& o, const ClockDef& def) const;
  Order& get(OrderId id);
  const Order& get(OrderId id) const { return const_cast<Impl*>(this)->get(id); }
  void check_time(Instant now) const;
  std::string_view recipient(const Order& o, Role r) const;
  Instant deliver_at(const Order& o, Instant due) const;

  Instant compute_deadline(const Order& o, const ClockDef& def, const Clock& c, Instant since,
                           Duration consumed, std::string* bound) const;
  void schedule(Order& o, std::size_t ci);
  void run_stretch(Order& o, std::size_t ci, Instant now);
  void start_clock(Order& o, std::size_t ci, Instant now);
  void sync_clocks(Order& o, Instant now, bool reopen);
  void reschedule_all(Order& o, Instant now);

  template <class Body, class Fn>
  Result command(std::string_view kind, OrderId target, Instant now, std::string_view key,
                 Body&& make_body, Fn&& fn);
  StoredEvent derived_event(const Notice& n, Instant now);
  Result do_create(const NewOrder& in, Instant now);
  Result do_transition(OrderId id, std::string_view name, const Actor& actor,
                       const std::map<std::string, std::string, std::less<>>& fields, Instant now);
  Result do_assign(OrderId id, std::string_view department, std::string_view handler, Instant now);
  Result do_co_handler(OrderId id, std::string_view person);
  Result do_pause(OrderId id, bool pause, Instant now);
  Result do_deadline(OrderId id, bool special, Instant deadline, Instant now);

  void fire(Order& o, std::size_t ci, Instant due, std::vector<Notice>& out);
  void advance(Instant now, std::vector<Notice>& out);

  bool compatible(const Order& o, const Policy& np, int& cat, int& dep) const;
  std::vector<TimerMove> retarget(std::uint32_t version, bool apply, std::vector<OrderId>* kept);
  void apply_policy(std::uint32_t version);
  PolicyChange change_policy(Policy np, Instant effective, Instant now, bool from_replay);

  // engine_state.cpp
  std::string order_to_json(const Order& o) const;
  Order order_from_json(const std::string& text) const;
  std::string engine_state_json() const;
  void recover();
  void replay(const StoredEvent& ev);
  void index_order(const Order& o);
};

}  // namespace hotline::escalation
