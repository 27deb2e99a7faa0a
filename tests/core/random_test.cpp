// hotline::Rng: published reference outputs, determinism, streams and distributions.
//
// Reference vectors come from tests/core/gen_xoshiro_vectors.py, an independent Python
// transcription of the public-domain reference C code of xoshiro256** 1.0 (Blackman & Vigna,
// "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021;
// prng.di.unimi.it/xoshiro256starstar.c) and of SplitMix64 (prng.di.unimi.it/splitmix64.c).
// Statistical checks use fixed seeds, so they are deterministic; their bounds are several
// standard errors wide so that a correct generator passes with any seed.
#include <hotline/core/random.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <set>
#include <vector>

namespace {

using hotline::Rng;

static_assert(std::uniform_random_bit_generator<Rng>);
static_assert(Rng::min() == 0 && Rng::max() == UINT64_MAX);

// The generator is usable at compile time: the first published output from state {1, 2, 3, 4}.
static_assert([] {
  Rng r = Rng::from_state(1, 2, 3, 4);
  return r();
}() == 0x2d00);

TEST(Rng, Xoshiro256StarStarReferenceOutputsFromState1234) {
  // gen_xoshiro_vectors.py: xoshiro256** from state {1, 2, 3, 4}, outputs 1..10 and 1000.
  constexpr std::array<std::uint64_t, 10> expected{
      0x0000000000002d00ULL, 0x0000000000000000ULL, 0x000000005a007080ULL, 0x10e0000000009d80ULL,
      0x10e0b61ce1009d80ULL, 0x0870021ce143ad00ULL, 0xe071c3c2e143f089ULL, 0x75a1690ef7a20380ULL,
      0x9309685b465c23f9ULL, 0x284f3cc2e13e3c88ULL};
  Rng r = Rng::from_state(1, 2, 3, 4);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r(), expected[i]) << "output " << i + 1;
  }
  for (int i = 11; i < 1000; ++i) r();
  EXPECT_EQ(r(), 0x3039d010986d012dULL);
}

TEST(Rng, SplitMix64ReferenceOutputsFromSeed1234567) {
  // gen_xoshiro_vectors.py; the first value, 6457827717110365317, is also the one quoted in the
  // Rosetta Code task "Pseudo-random numbers/Splitmix64".
  std::uint64_t state = 1234567;
  EXPECT_EQ(hotline::splitmix64(state), 0x599ed017fb08fc85ULL);
  EXPECT_EQ(hotline::splitmix64(state), 0x2c73f08458540fa5ULL);
  EXPECT_EQ(hotline::splitmix64(state), 0x883ebce5a3f27c77ULL);
  EXPECT_EQ(hotline::splitmix64(state), 0x3fbef740e9177b3fULL);
  EXPECT_EQ(hotline::splitmix64(state), 0xe3b8346708cb5ecdULL);
  EXPECT_EQ(6457827717110365317ULL, 0x599ed017fb08fc85ULL);
}

TEST(Rng, SeedIsExpandedWithSplitMix64AsTheAuthorsRecommend) {
  // Rng{seed} has the state of four SplitMix64 outputs from seed.
  EXPECT_EQ(Rng{0}, Rng::from_state(0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL,
                                    0x06c45d188009454fULL, 0xf88bb8a8724c81ecULL));
  // gen_xoshiro_vectors.py: xoshiro256** seeded by SplitMix64(42).
  Rng r{42};
  EXPECT_EQ(r(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(r(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(r(), 0xae17533239e499a1ULL);
  EXPECT_EQ(r(), 0xecb8ad4703b360a1ULL);
  EXPECT_EQ(r(), 0xfde6dc7fe2ec5e64ULL);
}

TEST(Rng, AllZeroStateIsReplacedByAValidOne) {
  Rng zero = Rng::from_state(0, 0, 0, 0);
  EXPECT_EQ(zero, Rng{0});
  // An all-zero xoshiro state would output zeros forever.
  bool any_nonzero = false;
  for (int i = 0; i < 4; ++i) any_nonzero = any_nonzero || zero() != 0;
  EXPECT_TRUE(any_nonzero);
}

TEST(Rng, UniformUsesTheTop53Bits) {
  // gen_xoshiro_vectors.py: (x >> 11) * 2^-53 of the first outputs of Rng{42}, exact.
  Rng r{42};
  EXPECT_EQ(r.uniform(), 0x1.5780b2e0c2ec0p-4);
  EXPECT_EQ(r.uniform(), 0x1.84136619b444ep-2);
  EXPECT_EQ(r.uniform(), 0x1.5c2ea66473c93p-1);
}

TEST(Rng, SameSeedSameSequenceDifferentSeedDifferentSequence) {
  Rng a{2025}, b{2025}, c{2026};
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  int equal_to_c = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    EXPECT_EQ(x, b());
    equal_to_c += x == c() ? 1 : 0;
  }
  EXPECT_EQ(equal_to_c, 0);
  EXPECT_EQ(a, b);
  // Copies continue identically: the state is the whole story.
  Rng copy = a;
  EXPECT_EQ(copy(), a());
}

TEST(Rng, StreamsArePinnedAcrossReleases) {
  // Replays depend on stream derivation never changing. Values from gen_xoshiro_vectors.py,
  // which transcribes the derivation documented in random.hpp (FNV-1a of the name, then
  // SplitMix64 of the mixed state).
  const Rng root{42};
  Rng arrivals = root.stream("arrivals");
  EXPECT_EQ(arrivals(), 0xcd244a6dc57ce4a1ULL);
  EXPECT_EQ(arrivals(), 0x5265346032711a8bULL);
  EXPECT_EQ(arrivals(), 0x861b33d9030e9d5dULL);
  Rng seven = root.stream(std::uint64_t{7});
  EXPECT_EQ(seven(), 0x2c3b85f6789bce94ULL);
  EXPECT_EQ(seven(), 0x19f108fd53f86369ULL);
  EXPECT_EQ(seven(), 0x16e1414cc90ad3eaULL);
}

TEST(Rng, StreamDoesNotAdvanceTheParentAndIsStable) {
  Rng root{7};
  const Rng before = root;
  Rng s1 = root.stream("service-times");
  EXPECT_EQ(root, before);
  Rng s2 = root.stream("service-times");
  EXPECT_EQ(s1, s2);
  // Drawing from a sibling stream does not disturb this one (common random numbers).
  Rng other = root.stream("arrivals");
  for (int i = 0; i < 12345; ++i) other();
  EXPECT_EQ(root.stream("service-times"), s1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(s1(), s2());
  // Same seed in another run, same stream.
  EXPECT_EQ(Rng{7}.stream("service-times"), root.stream("service-times"));
}

TEST(Rng, StreamsAreDistinctAndUncorrelated) {
  const Rng root{99};
  EXPECT_NE(root.stream("a"), root.stream("b"));
  EXPECT_NE(root.stream("a"), root);
  EXPECT_NE(Rng{1}.stream("a"), Rng{2}.stream("a"));
  EXPECT_NE(root.stream(std::uint64_t{0}), root.stream(std::uint64_t{1}));

  std::set<std::uint64_t> first_outputs;
  for (std::uint64_t k = 0; k < 2000; ++k) {
    Rng s = root.stream(k);
    first_outputs.insert(s());
  }
  EXPECT_EQ(first_outputs.size(), 2000u);

  // Pearson correlation of paired uniforms from two streams; for independent streams its
  // standard error is 1/sqrt(n) = 0.01.
  Rng x = root.stream("arrivals"), y = root.stream("patience");
  constexpr int n = 10000;
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; ++i) {
    const double u = x.uniform(), v = y.uniform();
    sx += u, sy += v, sxx += u * u, syy += v * v, sxy += u * v;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double r =
      cov / std::sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
  EXPECT_LT(std::abs(r), 0.05);
}

TEST(Rng, BelowStaysInBounds) {
  Rng r{1};
  EXPECT_EQ(r.below(0), 0u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(r.below(1), 0u);
  for (std::uint64_t bound :
       std::array<std::uint64_t, 6>{2, 3, 7, 1000, (1ULL << 32) + 1, UINT64_MAX}) {
    for (int i = 0; i < 2000; ++i) EXPECT_LT(r.below(bound), bound) << bound;
  }
}

TEST(Rng, BelowIsUniformChiSquare) {
  // 100 000 draws into 10 cells; the chi-square statistic has 9 degrees of freedom, and its
  // 0.999 quantile is 27.88 (NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
  Rng r{20250127};
  constexpr int cells = 10, n = 100000;
  std::array<int, cells> count{};
  for (int i = 0; i < n; ++i) ++count[static_cast<std::size_t>(r.below(cells))];
  double chi2 = 0;
  for (int c : count) {
    const double e = static_cast<double>(n) / cells;
    chi2 += (c - e) * (c - e) / e;
  }
  EXPECT_LT(chi2, 27.88);
}

TEST(Rng, BelowHasNoModuloBias) {
  // With bound = 3 * 2^62, plain `x % bound` maps two 2^62-wide input ranges onto [0, 2^62), so
  // that third of the range would get half of all draws. Without bias it gets one third
  // (standard error sqrt(p(1-p)/n) = 0.0015 for n = 100 000).
  Rng r{5};
  const std::uint64_t bound = 3ULL << 62;
  constexpr int n = 100000;
  std::array<int, 3> thirds{};
  for (int i = 0; i < n; ++i) ++thirds[static_cast<std::size_t>(r.below(bound) >> 62)];
  for (int t : thirds) EXPECT_NEAR(static_cast<double>(t) / n, 1.0 / 3.0, 0.01);
}

TEST(Rng, UniformIsInUnitIntervalWithMeanOneHalf) {
  Rng r{3};
  constexpr int n = 200000;
  double sum = 0, lo = 1, hi = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // Standard error of the mean: sqrt(1/12) / sqrt(n) = 0.00065.
  EXPECT_NEAR(sum / n, 0.5, 0.004);
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1 - 1e-3);
}

TEST(Rng, Bernoulli) {
  Rng r{11};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(r.bernoulli(0.0));
    EXPECT_FALSE(r.bernoulli(-1.0));
    EXPECT_TRUE(r.bernoulli(1.0));
    EXPECT_TRUE(r.bernoulli(2.0));
  }
  constexpr int n = 100000;
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += r.bernoulli(0.3) ? 1 : 0;
  // Standard error sqrt(0.3 * 0.7 / n) = 0.00145.
  EXPECT_NEAR(static_cast<double>(hits) / n, 0.3, 0.01);
}

TEST(Rng, ExponentialSampleMean) {
  Rng r{17};
  constexpr int n = 100000;
  const double mean = 180.0;  // e.g. a 3-minute average handling time, in seconds
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.exponential(mean);
    ASSERT_GE(x, 0.0);
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum2 += x * x;
  }
  // The exponential distribution has standard deviation equal to its mean, so the standard
  // error of the sample mean is 180 / sqrt(n) = 0.57.
  EXPECT_NEAR(sum / n, mean, 3.0);
  const double var = sum2 / n - (sum / n) * (sum / n);
  EXPECT_NEAR(std::sqrt(var), mean, 0.03 * mean);
  EXPECT_EQ(r.exponential(0.0), 0.0);
  EXPECT_EQ(r.exponential(-1.0), 0.0);
}

TEST(Rng, NormalSampleMoments) {
  Rng r{23};
  constexpr int n = 100000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);   // standard error 0.0032
  EXPECT_NEAR(sum2 / n, 1.0, 0.03);  // standard error sqrt(2/n) = 0.0045
}

TEST(Rng, LognormalIsParameterisedByItsOwnMeanAndStddev) {
  Rng r{29};
  constexpr int n = 200000;
  const double mean = 300.0, sd = 120.0;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.lognormal(mean, sd);
    ASSERT_GT(x, 0.0);
    sum += x;
    sum2 += x * x;
  }
  // Standard error of the mean: 120 / sqrt(n) = 0.27.
  EXPECT_NEAR(sum / n, mean, 2.0);
  const double var = sum2 / n - (sum / n) * (sum / n);
  EXPECT_NEAR(std::sqrt(var), sd, 0.05 * sd);
  EXPECT_EQ(r.lognormal(0.0, 1.0), 0.0);
  // Zero spread is the constant mean.
  EXPECT_NEAR(r.lognormal(42.0, 0.0), 42.0, 1e-9);
}

TEST(Rng, WorksWithStandardAlgorithms) {
  std::vector<int> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<int> w = v;
  Rng a{8}, b{8};
  std::shuffle(v.begin(), v.end(), a);
  std::shuffle(w.begin(), w.end(), b);
  EXPECT_EQ(v, w);
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

}  // namespace
