// The simulator's event calendar: its heap (src/core/quad_heap.hpp), and the calendar with its
// same-instant FIFO (src/core/event_calendar.hpp), pop in exactly the order of
// std::priority_queue over long random sequences of pushes and pops (ties broken by a sequence
// number, as the simulator does).
#include "core/quad_heap.hpp"
#include "core/event_calendar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <queue>
#include <random>
#include <tuple>
#include <vector>

namespace {

struct Item {
  std::int64_t at;
  std::uint64_t seq;
};
struct Earlier {
  bool operator()(const Item& a, const Item& b) const noexcept {
    return std::tie(a.at, a.seq) < std::tie(b.at, b.seq);
  }
};
struct Later {
  bool operator()(const Item& a, const Item& b) const noexcept { return Earlier{}(b, a); }
};

}  // namespace

TEST(QuadHeap, PopsInTheOrderOfAPriorityQueue) {
  std::mt19937_64 rng(8);
  hotline::detail::QuadHeap<Item, Earlier> heap;
  std::priority_queue<Item, std::vector<Item>, Later> oracle;
  std::uint64_t seq = 0;
  std::int64_t now = 0;
  for (int i = 0; i < 200000; ++i) {
    // Phases of growth and decay; many equal times (ties go by sequence).
    const bool grow = (i / 20000) % 2 == 0;
    if (oracle.empty() || rng() % 100 < (grow ? 65u : 35u)) {
      const Item x{now + static_cast<std::int64_t>(rng() % 50), seq++};
      heap.push(x);
      oracle.push(x);
    } else {
      ASSERT_FALSE(heap.empty());
      ASSERT_EQ(heap.top().seq, oracle.top().seq) << i;
      ASSERT_EQ(heap.top().at, oracle.top().at) << i;
      now = heap.top().at;
      heap.pop();
      oracle.pop();
    }
    ASSERT_EQ(heap.size(), oracle.size());
  }
  while (!oracle.empty()) {
    ASSERT_EQ(heap.top().seq, oracle.top().seq);
    heap.pop();
    oracle.pop();
  }
  EXPECT_TRUE(heap.empty());
}

namespace {

using Tp = std::chrono::sys_time<std::chrono::milliseconds>;
struct Event {
  Tp at;
  std::uint64_t seq;
};
struct EventEarlier {
  bool operator()(const Event& a, const Event& b) const noexcept {
    return std::tie(a.at, a.seq) < std::tie(b.at, b.seq);
  }
};
struct EventLater {
  bool operator()(const Event& a, const Event& b) const noexcept { return EventEarlier{}(b, a); }
};

}  // namespace

// Driven the way the simulator drives it: the processing instant follows each pop and sometimes
// moves on its own (a router timer between events); half the pushes are due at that instant and
// take the FIFO, the others land a few milliseconds later in the heap, so the heap often holds
// events due at the instant with smaller sequence numbers than the FIFO's. Now and then the
// caller's clock goes back and an event is pushed at that earlier instant. Both calendars, the
// FIFO one and the heap-only reference, must pop exactly what std::priority_queue pops.
TEST(EventCalendar, PopsInTheOrderOfAPriorityQueueWithOrWithoutTheFifo) {
  for (const bool fifo : {true, false}) {
    std::mt19937_64 rng(9);
    hotline::detail::EventCalendar<Event, EventEarlier, Tp> cal(fifo);
    std::priority_queue<Event, std::vector<Event>, EventLater> oracle;
    std::uint64_t seq = 0;
    Tp now{std::chrono::milliseconds{1000}};
    cal.set_now(now);
    std::size_t popped = 0;
    for (int i = 0; i < 300000; ++i) {
      const bool grow = (i / 30000) % 2 == 0;
      const unsigned r = static_cast<unsigned>(rng() % 100);
      if (r == 99) {
        // A caller's clock that goes back: set_now() keeps the later instant, and an event due
        // at the earlier one still pops first (it takes the heap, not the FIFO's tail).
        const Tp back = now - std::chrono::milliseconds{1 + rng() % 3};
        cal.set_now(back);
        const Event x{back, seq++};
        cal.push(x);
        oracle.push(x);
      } else if (r < 5 && !oracle.empty()) {
        // A timer between events: the instant moves, at most to the next event.
        const Tp next = oracle.top().at;
        const Tp t = std::min(next, now + std::chrono::milliseconds{rng() % 3});
        if (t > now) now = t;
        cal.set_now(now);
      } else if (oracle.empty() || r < (grow ? 60u : 35u)) {
        const Tp at = rng() % 2 == 0 ? now : now + std::chrono::milliseconds{rng() % 4};
        const Event x{at, seq++};
        cal.push(x);
        oracle.push(x);
      } else {
        ASSERT_FALSE(cal.empty());
        ASSERT_EQ(cal.top().seq, oracle.top().seq) << i << (fifo ? " fifo" : " heap");
        const Event e = cal.pop();
        ASSERT_EQ(e.seq, oracle.top().seq) << i;
        ASSERT_EQ(e.at, oracle.top().at) << i;
        oracle.pop();
        ++popped;
        now = e.at;
        cal.set_now(now);
      }
      ASSERT_EQ(cal.size(), oracle.size());
    }
    while (!oracle.empty()) {
      ASSERT_EQ(cal.pop().seq, oracle.top().seq);
      oracle.pop();
    }
    EXPECT_TRUE(cal.empty());
    EXPECT_GT(popped, 100000u);
  }
}
