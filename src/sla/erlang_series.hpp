// Internal: the scaled incomplete-gamma series behind Erlang A (src/sla/erlang.cpp), exposed for
// white-box tests that check the three ways of evaluating it against each other.
//
//   G(s, z) = sum_k z^k / (s (s+1) ... (s+k)) = integral_0^1 v^(s-1) e^(z (1-v)) dv
//   D(s, z) = -dG/ds                          = integral_0^1 -log(v) v^(s-1) e^(z (1-v)) dv
//
// Both are returned times kBig^-scale (kBig = 2^900) so that they never overflow.
#pragma once

namespace hotline::sla::detail {

struct Series {
  double g = 0;
  double d = 0;
  int scale = 0;
};

/// The sum term by term: O(max(z - s, 0) + sqrt(s)) terms.
Series series_sum(double s, double z, bool with_derivative) noexcept;
/// z - s > 12 sqrt(s) + 50: G is e^z z^-s Gamma(s) to double precision, O(1).
bool series_dominated(double s, double z) noexcept;
Series series_dominant(double s, double z, bool with_derivative) noexcept;
/// Gauss-Legendre quadrature of the integral form (s >= kQuadratureFrom, not dominated): a fixed
/// number of points whatever s.
inline constexpr double kQuadratureFrom = 1e5;
Series series_quadrature(double s, double z, bool with_derivative) noexcept;
/// H(s, z) = Gamma(s, z) e^z z^-s for z >= s - 1 by Gauss-Legendre quadrature of its integral form
/// (s >= kQuadratureFrom, not dominated; the continued fraction elsewhere): 64 points.
double upper_quadrature(double s, double z) noexcept;
/// H(s, z) by the modified Lentz continued fraction, z >= s (z = s - 1 divides by zero).
double upper_cf(double s, double z) noexcept;
/// The method for (s, z): the above by regime.
Series series(double s, double z, bool with_derivative) noexcept;

/// log(s) - digamma(s), s > 0.
double log_minus_digamma(double s) noexcept;

}  // namespace hotline::sla::detail
