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
