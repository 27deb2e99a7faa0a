// hotline: the seeded random number generator every component and the simulator use.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace hotline {

namespace detail {
__extension__ typedef unsigned __int128 uint128;  // GCC/Clang builtin; silences -Wpedantic
}  // namespace detail

/// SplitMix64 (Steele, Lea, Flood 2014; public-domain reference by S. Vigna). Used to expand one
/// 64-bit seed into generator state and to derive independent stream seeds.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Rng: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 2021). 256 bits of state, period 2^256 - 1, passes BigCrush, ~1 ns per draw.
/// The state is seeded by running SplitMix64 from the 64-bit seed, as the authors recommend.
/// Not cryptographic. Satisfies std::uniform_random_bit_generator, but prefer the members below:
/// the standard distributions are not bit-identical across standard libraries, these are.
///   `hotline::Rng rng{42}; double u = rng.uniform(); auto s = rng.stream("arrivals");`
class Rng {
 public:
  using result_type = std::uint64_t;

  explicit constexpr Rng(std::uint64_t seed = 0) noexcept : s_{} {
    std::uint64_t x = seed;
    for (auto& word : s_) word = splitmix64(x);
  }

  /// Builds a generator from raw state words (for reproducing published test vectors).
  /// The all-zero state is invalid for xoshiro; it is replaced by the state of Rng{0}.
  static constexpr Rng from_state(std::uint64_t a, std::uint64_t b, std::uint64_t c,
                                  std::uint64_t d) noexcept {
    Rng r{0};
    if ((a | b | c | d) != 0) r.s_[0] = a, r.s_[1] = b, r.s_[2] = c, r.s_[3] = d;
    return r;
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// The next 64 random bits.
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  constexpr double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, bound) without modulo bias (Lemire 2019, "Fast random integer
  /// generation in an interval"). bound == 0 returns 0.
  constexpr std::uint64_t below(std::uint64_t bound) noexcept {
    if (bound == 0) return 0;
    detail::uint128 m = static_cast<detail::uint128>((*this)()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<detail::uint128>((*this)()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// True with probability p (p <= 0 never, p >= 1 always).
  constexpr bool bernoulli(double p) noexcept { return uniform() < p; }

  /// Exponential variate with the given mean (inversion; mean <= 0 gives 0).
  double exponential(double mean) noexcept {
    if (!(mean > 0)) return 0.0;
    return -mean * std::log1p(-uniform());
  }

  /// Standard normal variate (Marsaglia polar method; deterministic, no cached spare).
  double normal() noexcept {
    for (;;) {
      const double u = 2.0 * uniform() - 1.0;
      const double v = 2.0 * uniform() - 1.0;
      const double s = u * u + v * v;
      if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
    }
  }

  /// Log-normal variate parameterised by its own mean and standard deviation (not mu/sigma).
  double lognormal(double mean, double stddev) noexcept {
    if (!(mean > 0)) return 0.0;
    const double cv2 = (stddev / mean) * (stddev / mean);
    const double sigma2 = std::log1p(cv2);
    const double mu = std::log(mean) - 0.5 * sigma2;
    return std::exp(mu + std::sqrt(sigma2) * normal());
  }

  /// An independent generator for a named purpose, derived from this generator's seed material
  /// without advancing it. Two runs that ask for stream("arrivals") get the same stream even if
  /// they draw different amounts from other streams: the basis of common random numbers.
  constexpr Rng stream(std::string_view name) const noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the name
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return stream(h);
  }

  /// As stream(name), keyed by a number (e.g. a replication or contact index).
  constexpr Rng stream(std::uint64_t key) const noexcept {
    std::uint64_t x = s_[0] ^ rotl(s_[1], 17) ^ rotl(s_[2], 31) ^ rotl(s_[3], 47) ^ key;
    x = splitmix64(x) ^ key;
    return Rng{x};
  }

  friend constexpr bool operator==(const Rng&, const Rng&) = default;

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4];
};

}  // namespace hotline
