// The incomplete-gamma series behind Erlang A (src/sla/erlang_series.hpp): its three evaluations
// (term by term, the dominant closed form, Gauss-Legendre quadrature of the integral form) agree
// where their ranges overlap, and Erlang A in the large regime they serve matches an independent
// reference: the M/M/N+M birth-death chain summed state by state.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>

#include "sla/erlang_series.hpp"

namespace {

using namespace hotline::sla::detail;

const double kLogBig = 900.0 * std::numbers::ln2;

// log of the represented value g * 2^(900 scale).
double log_value(double v, int scale) { return std::log(v) + scale * kLogBig; }

void expect_close(const Series& got, const Series& want, bool with_d, double tol, const char* what,
                  double s, double z) {
  EXPECT_NEAR(log_value(got.g, got.scale), log_value(want.g, want.scale), tol)
      << what << " G at s=" << s << " z=" << z;
  if (with_d) {
    EXPECT_NEAR(log_value(got.d, got.scale), log_value(want.d, want.scale), tol)
        << what << " D at s=" << s << " z=" << z;
  }
}

// Digamma at points with closed forms (Abramowitz and Stegun 6.3.2, 6.3.3: psi(1) = -gamma,
// psi(1/2) = -gamma - 2 log 2, psi(n) = -gamma + sum_{k<n} 1/k).
TEST(ErlangSeries, LogMinusDigammaAtClosedForms) {
  constexpr double euler_gamma = 0.57721566490153286061;
  EXPECT_NEAR(log_minus_digamma(1.0), euler_gamma, 1e-15);
  EXPECT_NEAR(log_minus_digamma(0.5), std::log(0.5) + euler_gamma + 2 * std::numbers::ln2, 1e-15);
  double h = 0;
  for (int k = 1; k < 10; ++k) h += 1.0 / k;
  EXPECT_NEAR(log_minus_digamma(10.0), std::log(10.0) - (h - euler_gamma), 1e-15);
  double h1000 = 0;
  for (int k = 1; k < 1000; ++k) h1000 += 1.0 / k;
  // (The reference itself loses digits to cancellation here: about 7.48 - 6.91 - 0.58.)
  EXPECT_NEAR(log_minus_digamma(1000.0), std::log(1000.0) - (h1000 - euler_gamma), 1e-14);
}

TEST(ErlangSeries, DominantFormAgreesWithTheSum) {
  for (double s : {2.0, 10.0, 1e3, 1e5, 2e6}) {
    const double edge = 12 * std::sqrt(s) + 50;
    for (double extra : {1.0, 10.0, 3 * std::sqrt(s), 50 * std::sqrt(s)}) {
      const double z = s + edge + extra;
      ASSERT_TRUE(series_dominated(s, z));
      // The sum's own rounding grows with its length (about z terms): 1e-11 in the log.
      expect_close(series_dominant(s, z, true), series_sum(s, z, true), true, 1e-11, "dominant", s,
                   z);
    }
  }
}

TEST(ErlangSeries, QuadratureAgreesWithTheSum) {
  for (double s : {1e5, 1e6, 1e7}) {
    const double root = std::sqrt(s);
    for (double c : {-1e3, -200.0, -50.0, -12.0, -3.0, -0.5, 0.0, 0.5, 3.0, 8.0, 12.0}) {
      const double z = s + c * root + (c == 12.0 ? 49.0 : 0.0);
      if (z <= 0) continue;
      ASSERT_FALSE(series_dominated(s, z));
      expect_close(series_quadrature(s, z, true), series_sum(s, z, true), true, 1e-11, "quadrature",
                   s, z);
      expect_close(series_quadrature(s, z, false), series_sum(s, z, false), false, 1e-11,
                   "quadrature (G only)", s, z);
    }
  }
  // Far below s the terms fall off geometrically: both are about 1 / (s - z).
  expect_close(series_quadrature(1e6, 1.0, true), series_sum(1e6, 1.0, true), true, 1e-12,
               "quadrature", 1e6, 1.0);
}

// Erlang B from kQuadratureFrom agents near the critical load takes G (below it) or H (above it)
// from quadrature (the series and the continued fraction took O(sqrt(N)) steps): checked against
// the classic recurrence B(k) = a B(k-1) / (k + a B(k-1)) run in long double from k = 1, an
// independent computation (all terms positive, ~1e-12 relative error after ten million steps).
TEST(ErlangSeries, ErlangBAtLargeNMatchesTheRecurrence) {
  for (std::int64_t n : {100'000, 1'000'000, 4'000'000}) {
    const double root = std::sqrt(static_cast<double>(n));
    for (double c : {-30.0, -3.0, -0.5, 0.0, 0.9, 3.0, 11.9, 12.5, 40.0}) {
      const double a = static_cast<double>(n) + c * root;
      long double b = 1.0L;
      for (std::int64_t k = 1; k <= n; ++k) b = a * b / (static_cast<long double>(k) + a * b);
      EXPECT_NEAR(hotline::sla::erlang_b(n, a) / static_cast<double>(b), 1.0, 1e-10)
          << "n=" << n << " a=" << a;
    }
  }
}

// H = Gamma(s, z) e^z z^-s: the quadrature against the continued fraction, from z = s (Erlang B
// with a load of N + 1) up to where the dominant form takes over.
TEST(ErlangSeries, UpperQuadratureAgreesWithTheContinuedFraction) {
  for (double s : {1e5, 1e6, 1e7}) {
    const double root = std::sqrt(s);
    for (double c : {0.0, 0.1 / root, 0.5, 3.0, 8.0, 12.0}) {
      const double z = s + c * root + (c == 12.0 ? 49.0 : 0.0);  // a >= N + 1 in Erlang B
      ASSERT_FALSE(series_dominated(s, z));
      EXPECT_NEAR(std::log(upper_quadrature(s, z)), std::log(upper_cf(s, z)), 1e-12)
          << "s=" << s << " z=" << z;
    }
  }
}

// The stationary M/M/N+M chain: pi_k proportional to a^k / k! up to N, then each step up
// multiplies by lambda / (N mu + j theta). P(wait) = P(K >= N); P(abandon) = sum_{k > N} pi_k
// (k - N) theta / lambda. Summed in long double from the mode outwards, far past where terms
// vanish: an independent reference for any size.
struct Chain {
  double p_wait = 0, p_abandon = 0;
};
Chain birth_death(std::int64_t n, double a, double aht, double patience) {
  const long double mu = 1.0L / aht, theta = 1.0L / patience, lambda = a * mu;
  // log pi_k (unnormalised), k = 0 .. kmax.
  std::vector<long double> lp;
  lp.push_back(0);
  const std::int64_t kmax =
      n + static_cast<std::int64_t>(std::max(0.0L, (lambda - n * mu) / theta) +
                                    60 * std::sqrt(static_cast<long double>(a) * patience / aht) +
                                    1000);
  for (std::int64_t k = 1; k <= kmax; ++k) {
    const long double rate_down =
        k <= n ? k * mu : n * mu + static_cast<long double>(k - n) * theta;
    lp.push_back(lp.back() + std::log(lambda / rate_down));
  }
  long double top = lp[0];
  for (long double v : lp) top = std::max(top, v);
  long double total = 0, wait = 0, abandon = 0;
  for (std::int64_t k = 0; k <= kmax; ++k) {
    const long double p = std::exp(lp[static_cast<std::size_t>(k)] - top);
    total += p;
    if (k >= n) wait += p;
    if (k > n) abandon += p * static_cast<long double>(k - n) * theta / lambda;
  }
  return {static_cast<double>(wait / total), static_cast<double>(abandon / total)};
}

TEST(ErlangSeries, ErlangAInTheLargeRegimeMatchesTheBirthDeathChain) {
  // patience / aht = 4,725 (315 h against 240 s, the fuzz finding below): x = N patience / aht
  // runs to 10^5 - 10^6, where the quadrature (and, understaffed, the dominant form) take over.
  const double aht = 240, patience = 315 * 3600.0;
  for (std::int64_t n : {30, 100, 250}) {
    for (double a : {0.8 * n, 1.0 * n, 1.02 * n, 1.5 * n}) {
      const auto m = hotline::sla::erlang_a(n, a, aht, patience, 20);
      const Chain c = birth_death(n, a, aht, patience);
      EXPECT_NEAR(m.p_wait, c.p_wait, 1e-9 + 1e-9 * c.p_wait) << "n=" << n << " a=" << a;
      EXPECT_NEAR(m.p_abandon, c.p_abandon, 1e-9 + 1e-8 * c.p_abandon) << "n=" << n << " a=" << a;
    }
  }
}

TEST(ErlangSeries, PatienceBeyondTheNumericalRangeIsALimitError) {
  // 1e300 s of patience made z infinite: the term-by-term sum ran its 1e9-term cap (seconds) and
  // the closed form's exponent would not fit. x = N patience / aht and y = A patience / aht are
  // computed up to 1e12.
  using hotline::Error;
  using hotline::ErrorCode;
  for (double patience : {1e300, 1e16, 2e12}) {
    try {
      (void)hotline::sla::erlang_a(10, 5.0, 1.0, patience, 20);
      ADD_FAILURE() << "patience " << patience << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::limit);
      EXPECT_EQ(e.where(), "patience");
    }
  }
  // At the limit: a deeply overloaded queue (y = 1e12, handled by the closed form) and a
  // near-critical one (quadrature), both finite and sane.
  const auto over = hotline::sla::erlang_a(500'000, 1e6, 1.0, 1e6, 20);
  EXPECT_DOUBLE_EQ(over.p_wait, 1.0);
  EXPECT_NEAR(over.p_abandon, 0.5, 1e-6);
  const auto crit = hotline::sla::erlang_a(1'000'000, 1e6, 1.0, 1e6, 20);
  EXPECT_GT(crit.p_wait, 0.0);
  EXPECT_LT(crit.p_abandon, 1e-3);
  EXPECT_TRUE(std::isfinite(crit.asa));
}

}  // namespace
