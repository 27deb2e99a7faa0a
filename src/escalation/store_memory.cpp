// The in-memory store: history and replay for tests and simulation; nothing survives the process.
#include <hotline/escalation/store.hpp>

#include <unordered_map>

namespace hotline::escalation {

namespace {

class MemoryStore final : public Store {
 public:
  Recovered recover() override {
    Recovered r;
    r.policies = policies_;
    r.keys = keys_;
    r.last_seq = events_.empty() ? 0 : events_.back().seq;
    r.has_events = !events_.empty();
    return r;  // no states: an engine reopened on it replays the events
  }

  void write(const Commit& c) override {
    // Reserve first so that the appends below cannot throw half-way (all or nothing).
    events_.reserve(events_.size() + c.events.size());
    if (!c.policy_json.empty()) policies_.reserve(policies_.size() + 1);
    if (!c.idempotency_key.empty()) keys_.reserve(keys_.size() + 1);
    std::vector<std::vector<std::size_t>*> lists;
    for (const StoredEvent& e : c.events) {
      auto& list = by_order_[e.order];
      list.reserve(list.size() + 1);
      lists.push_back(&list);
    }
    for (std::size_t i = 0; i < c.events.size(); ++i) {
      lists[i]->push_back(events_.size());
      events_.push_back(c.events[i]);
    }
    if (!c.policy_json.empty()) policies_.emplace_back(c.policy_json, c.policy_effective);
    if (!c.idempotency_key.empty()) {
      const std::uint64_t seq = c.events.empty() ? 0 : c.events.front().seq;
      keys_.push_back({c.idempotency_key, c.digest, c.key_order, seq});
    }
  }

  void flush() override {}

  std::vector<StoredEvent> history(std::uint64_t order) const override {
    std::vector<StoredEvent> out;
    auto it = by_order_.find(order);
    if (it == by_order_.end()) return out;
    for (std::size_t i : it->second) out.push_back(events_[i]);
    return out;
  }

  void for_each_event(const std::function<void(const StoredEvent&)>& fn) const override {
    for (const StoredEvent& e : events_) fn(e);
  }

  std::string durability() const override { return "in memory: nothing survives the process"; }
  bool keeps_states() const override { return false; }

 private:
  std::vector<StoredEvent> events_;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_order_;
  std::vector<std::pair<std::string, Instant>> policies_;
  std::vector<Recovered::Key> keys_;
};

}  // namespace

std::unique_ptr<Store> memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace hotline::escalation
