// The queue-position index (src/routing/rank_set.hpp) against std::multiset over long random
// sequences that split and empty chunks many times.
#include "routing/rank_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

using hotline::routing::detail::RankSet;

namespace {

struct Before {
  bool operator()(std::int64_t a, std::int64_t b) const noexcept { return a < b; }
};

}  // namespace

TEST(RoutingRankSet, CountsAndMembershipMatchAnOrderedMultiset) {
  std::mt19937_64 rng(20261123);
  RankSet<std::int64_t, Before> set;
  std::multiset<std::int64_t> oracle;
  std::vector<std::int64_t> present;
  for (int i = 0; i < 60000; ++i) {
    // Grow to about 6,000 elements, then drain, then grow again (chunks split and vanish).
    const bool grow = (i / 15000) % 2 == 0;
    if (present.empty() || rng() % 100 < (grow ? 70u : 30u)) {
      const auto k = static_cast<std::int64_t>(rng() % 2000);  // duplicates on purpose
      set.insert(k);
      oracle.insert(k);
      present.push_back(k);
    } else {
      const std::size_t at = rng() % present.size();
      const std::int64_t k = present[at];
      present[at] = present.back();
      present.pop_back();
      ASSERT_TRUE(set.erase(k));
      oracle.erase(oracle.find(k));
    }
    ASSERT_EQ(set.size(), oracle.size());
    if (i % 97 == 0) {
      const auto probe = static_cast<std::int64_t>(rng() % 2100) - 50;
      const auto expect =
          static_cast<std::size_t>(std::distance(oracle.begin(), oracle.lower_bound(probe)));
      EXPECT_EQ(set.count_prefix([&](std::int64_t k) { return k < probe; }), expect) << i;
      if (!oracle.empty()) {
        EXPECT_EQ(set.front(), *oracle.begin());
        EXPECT_EQ(set.back(), *oracle.rbegin());
      }
    }
  }
  std::vector<std::int64_t> all;
  set.for_each([&](std::int64_t k) { all.push_back(k); });
  EXPECT_TRUE(std::equal(all.begin(), all.end(), oracle.begin(), oracle.end()));
  EXPECT_FALSE(set.erase(-1));  // absent
  EXPECT_EQ(set.size(), oracle.size());
}

// A queue's pattern: most keys arrive in order (appended without a search), a few jump ahead
// (priority) or tie with the last; most removals take the front, some any element. The full order
// is compared often, so an append in the wrong place (past a chunk boundary, into a full chunk)
// shows at once.
TEST(RoutingRankSet, InOrderAppendsKeepTheOrderAcrossChunkSplits) {
  std::mt19937_64 rng(20261125);
  RankSet<std::int64_t, Before> set;
  std::multiset<std::int64_t> oracle;
  std::int64_t next = 0;
  for (int i = 0; i < 40000; ++i) {
    const bool grow = (i / 5000) % 2 == 0;
    if (oracle.empty() || rng() % 100 < (grow ? 75u : 35u)) {
      std::int64_t k = next;
      const auto r = rng() % 20;
      if (r == 0) k = next - static_cast<std::int64_t>(rng() % 500);  // jumps ahead
      if (r == 1 && !oracle.empty()) k = *oracle.rbegin();            // ties with the last
      if (r > 1) next += 1 + static_cast<std::int64_t>(rng() % 3);
      set.insert(k);
      oracle.insert(k);
    } else {
      auto it = oracle.begin();
      if (rng() % 4 == 0) std::advance(it, static_cast<std::ptrdiff_t>(rng() % oracle.size()));
      ASSERT_TRUE(set.erase(*it));
      oracle.erase(it);
    }
    ASSERT_EQ(set.size(), oracle.size());
    if (i % 251 == 0 || i == 39999) {
      std::vector<std::int64_t> all;
      set.for_each([&](std::int64_t k) { all.push_back(k); });
      ASSERT_TRUE(std::equal(all.begin(), all.end(), oracle.begin(), oracle.end())) << i;
      const std::int64_t probe = next - static_cast<std::int64_t>(rng() % 600);
      const auto expect =
          static_cast<std::size_t>(std::distance(oracle.begin(), oracle.lower_bound(probe)));
      EXPECT_EQ(set.count_prefix([&](std::int64_t k) { return k < probe; }), expect) << i;
    }
  }
}
