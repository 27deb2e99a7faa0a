// The router's id index (src/routing/id_map.hpp) against std::unordered_map over long random
// sequences of inserts and erases, for the id patterns hosts use: sequential, strided (by 2, 16
// and 2^20), random, and the extremes 0 and 2^64 - 1. Backward-shift deletion is exercised by
// erasing from the middle of probe runs. Each entry's aux word (set on insert or later) must follow
// its key through growth and backward shifts.
#include "routing/id_map.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <unordered_map>
#include <utility>
#include <vector>

using hotline::routing::detail_ids::IdMap;

namespace {

void check_against_oracle(std::uint64_t stride, bool random_keys, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  IdMap map;
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> oracle;
  std::vector<std::uint64_t> present;
  std::uint64_t next = stride == 0 ? 1 : 7;
  for (std::uint32_t i = 0; i < 40000; ++i) {
    const bool grow = (i / 10000) % 2 == 0;
    if (present.empty() || rng() % 100 < (grow ? 65u : 35u)) {
      std::uint64_t key = random_keys ? rng() : next;
      next += stride;
      if (oracle.contains(key)) continue;
      ASSERT_FALSE(map.contains(key)) << key;
      const auto aux = static_cast<std::uint32_t>(rng());
      map.insert(key, i, aux);
      oracle.emplace(key, std::pair{i, aux});
      present.push_back(key);
    } else if (rng() % 4 == 0) {
      const std::uint64_t key = present[rng() % present.size()];
      const auto aux = static_cast<std::uint32_t>(rng());
      map.set_aux(key, aux);
      oracle[key].second = aux;
      ASSERT_EQ(map.find_with_aux(key), oracle[key]) << key;
    } else {
      const std::size_t at = rng() % present.size();
      const std::uint64_t key = present[at];
      present[at] = present.back();
      present.pop_back();
      map.erase(key);
      oracle.erase(key);
      ASSERT_EQ(map.find(key), IdMap::kNone) << key;
      ASSERT_EQ(map.find_with_aux(key), (std::pair{IdMap::kNone, 0u})) << key;
      map.set_aux(key, 1);  // absent: no effect
      ASSERT_FALSE(map.contains(key)) << key;
    }
    ASSERT_EQ(map.size(), oracle.size());
    if (i % 997 == 0) {
      for (const auto& [k, v] : oracle) {
        ASSERT_EQ(map.find(k), v.first) << "key " << k;
        ASSERT_EQ(map.find_with_aux(k), v) << "key " << k;
      }
      // Absent neighbours of present keys are absent.
      for (std::size_t j = 0; j < present.size() && j < 64; ++j) {
        const std::uint64_t k = present[j] + 1;
        if (!oracle.contains(k)) {
          ASSERT_EQ(map.find(k), IdMap::kNone) << k;
        }
      }
    }
  }
  for (const auto& [k, v] : oracle) ASSERT_EQ(map.find_with_aux(k), v) << "key " << k;
}

}  // namespace

TEST(RoutingIdMap, SequentialIdsMatchAnUnorderedMap) { check_against_oracle(1, false, 1); }
TEST(RoutingIdMap, StridedIdsMatchAnUnorderedMap) {
  check_against_oracle(2, false, 2);
  check_against_oracle(16, false, 3);
  check_against_oracle(std::uint64_t{1} << 20, false, 4);
}
TEST(RoutingIdMap, RandomIdsMatchAnUnorderedMap) { check_against_oracle(0, true, 5); }

TEST(RoutingIdMap, ExtremeKeysAndABlockOfConsecutiveKeys) {
  IdMap map;
  EXPECT_EQ(map.find(0), IdMap::kNone);  // empty table
  map.erase(42);                         // erase from an empty table is a no-op
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  map.insert(0, 1);
  map.insert(top, 2);
  // A block of consecutive keys; erase from its middle and look up the rest.
  for (std::uint64_t k = 0x1230; k < 0x1240; ++k) map.insert(k, static_cast<std::uint32_t>(k));
  map.erase(0x1237);
  EXPECT_EQ(map.find(0), 1u);
  EXPECT_EQ(map.find(top), 2u);
  EXPECT_EQ(map.find(0x1237), IdMap::kNone);
  for (std::uint64_t k = 0x1230; k < 0x1240; ++k) {
    if (k != 0x1237) {
      EXPECT_EQ(map.find(k), k) << k;
    }
  }
  EXPECT_EQ(map.size(), 17u);
}
