// The simulator's event calendar (src/core/quad_heap.hpp) pops in exactly the order of
// std::priority_queue over long random sequences of pushes and pops (ties broken by a sequence
// number, as the simulator does).
#include "core/quad_heap.hpp"

#include <gtest/gtest.h>

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
