// hotline sla: Erlang B / C / A numerics and staffing solvers.
//
// Everything is expressed through two incomplete-gamma building blocks, so that no factorial,
// power or exponential of a large number is ever formed:
//   Poisson term   p(N; A) = e^-A A^N / N!, by Loader's saddle-point form (stirlerr + bd0),
//                   accurate to a few ulps whatever N (C. Loader, "Fast and Accurate Computation
//                   of Binomial Probabilities", 2000).
//   Scaled series  G(s, z) = gamma(s, z) e^z z^-s = sum_k z^k / (s (s+1) ... (s+k)), positive
//                   terms only, with a running rescale so it never overflows; for Erlang A by
//                   regime (erlang_series.hpp): a closed form far above s, Gauss-Legendre
//                   quadrature near it for large s, term by term elsewhere.
//   Continued fraction H(s, z) = Gamma(s, z) e^z z^-s (Legendre), for z >= s; from 1e5 agents
//                   near the critical load Erlang B takes G and H from quadrature instead.
// Erlang B: 1/B = A H(N+1, A); for A < N+1 it is evaluated as B = p / (1 - p A G(N+1, A))
// (p A G is the Poisson tail P(X > N) < 1/2, so there is no cancellation).
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>

#include "sla/erlang_series.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include <fmt/format.h>

namespace hotline::sla {

namespace detail {

namespace {
constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kBig = 0x1p+900;
constexpr double kSmall = 0x1p-900;
constexpr double kMaxPatienceRatioTimesLoad = 1e12;
const double kLogBig = 900.0 * std::numbers::ln2;

[[noreturn]] void fail(const char* where, std::string message) {
  throw Error(ErrorCode::invalid_argument, where, std::move(message));
}
}  // namespace

/// log(n!) - log(sqrt(2 pi n) (n/e)^n), n > 0.
double stirlerr(double n) noexcept {
  if (n > 15.0) {
    const double nn = n * n;
    constexpr double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680,
                     s4 = 1.0 / 1188;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
  }
  return std::lgamma(n + 1.0) - (n + 0.5) * std::log(n) + n -
         0.5 * std::log(2.0 * std::numbers::pi);
}

/// x log(x / m) + m - x, accurate also when x is close to m (Loader's bd0).
double bd0(double x, double m) noexcept {
  if (std::fabs(x - m) < 0.1 * (x + m)) {
    const double v = (x - m) / (x + m);
    double s = (x - m) * v;
    double ej = 2.0 * x * v;
    const double v2 = v * v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v2;
      const double s1 = s + ej / (2 * j + 1);
      if (s1 == s) return s1;
      s = s1;
    }
    return s;
  }
  return x * std::log(x / m) + m - x;
}

/// log of the Poisson probability p(n; a) = e^-a a^n / n!, n >= 1 real, a > 0.
double log_poisson(double n, double a) noexcept {
  return -stirlerr(n) - bd0(n, a) - 0.5 * std::log(2.0 * std::numbers::pi * n);
}

/// ln s - digamma(s), s > 0: the recurrence up to 20, then the asymptotic series (Abramowitz and
/// Stegun 6.3.18) to the t^-10 term; the first term left out is below 3e-19 from there on.
double log_minus_digamma(double s) noexcept {
  double acc = 0;
  double t = s;
  while (t < 20.0) {
    acc += 1.0 / t;
    t += 1.0;
  }
  const double i2 = 1.0 / (t * t);
  const double asym =
      0.5 / t +
      i2 * (1.0 / 12 - i2 * (1.0 / 120 - i2 * (1.0 / 252 - i2 * (1.0 / 240 - i2 * (1.0 / 132)))));
  return asym + acc - std::log(t / s);
}

Series series_sum(double s, double z, bool with_derivative) noexcept {
  Series out;
  double r = 1.0 / s;
  double t = r;
  double h = r;
  out.g = t;
  out.d = with_derivative ? t * h : 0.0;
  for (double k = 1;; k += 1) {
    r = 1.0 / (s + k);
    t *= z * r;
    out.g += t;
    if (with_derivative) {
      h += r;
      out.d += t * h;
    }
    if (t > kBig) {
      t *= kSmall;
      out.g *= kSmall;
      out.d *= kSmall;
      ++out.scale;
    }
    // Terms grow while z > s + k and shrink geometrically after; stop once they are negligible.
    if (s + k > z && t <= kEps * 0.25 * out.g && (!with_derivative || t * h <= kEps * 0.25 * out.d))
      break;
    if (k > 1e9) break;
  }
  return out;
}

bool series_dominated(double s, double z) noexcept { return z - s > 12.0 * std::sqrt(s) + 50.0; }

Series series_dominant(double s, double z, bool with_derivative) noexcept {
  // G(s, z) = e^z z^-s Gamma(s) - H(s, z), where 0 < H(s, z) = integral_0^inf (1 + t)^(s-1)
  // e^(-z t) dt < 1 / (z - s + 1). With L = log(e^z z^-s Gamma(s)) = -log p(s; z) - log s and
  // d = z - s > 12 sqrt(s) + 50, L is at least about 55 wherever it is used: for large s about
  // d^2 / (2 s) - log(s / 2 pi) / 2 >= 72 - 14 (s <= 1e12, erlang_a's range), for small s about
  // z - s log z >= 60. So H is below e^-50 of the first term: G = e^L to double precision. Likewise
  // D = -dG/ds = e^L (log z - digamma(s)) + dH/ds, with 0 < dH/ds < H / (z - s) and log z -
  // digamma(s) > 12 / sqrt(z).
  Series out;
  const double big_l = -log_poisson(s, z) - std::log(s);
  const double scale = std::floor(big_l / kLogBig);
  out.scale = static_cast<int>(scale);
  out.g = std::exp(big_l - scale * kLogBig);
  if (with_derivative) out.d = out.g * (std::log1p((z - s) / s) + log_minus_digamma(s));
  return out;
}

namespace {

constexpr int kGaussPoints = 16;
struct GaussLegendre {
  std::array<double, kGaussPoints> x{}, w{};  // nodes and weights on [-1, 1]
};

// Nodes by Newton's method on P_16 from Tricomi's initial guesses; weights 2 / ((1-x^2) P'(x)^2).
GaussLegendre gauss_legendre() noexcept {
  GaussLegendre q;
  constexpr int n = kGaussPoints;
  for (int i = 0; i < n; ++i) {
    double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    double dp = 0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1.0, p1 = x;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (x * p1 - p0) / (x * x - 1.0);
      const double dx = p1 / dp;
      x -= dx;
      if (std::fabs(dx) <= 1e-17) break;
    }
    q.x[static_cast<std::size_t>(i)] = x;
    q.w[static_cast<std::size_t>(i)] = 2.0 / ((1.0 - x * x) * dp * dp);
  }
  return q;
}

/// log(1 + u) - u for u > -1, accurate when u is small: the series below |u| = 0.01 (at most
/// nine terms), beyond it log1p, which then loses at most two digits of the difference.
double log1p_minus(double u) noexcept {
  if (std::fabs(u) < 0.01) {
    // -sum_{k >= 2} w^k / k with w = -u (for u < 0, the quadrature's case, all terms positive).
    const double w = -u;
    double term = w * w, sum = 0;
    for (int k = 2; k < 60; ++k) {
      sum += term / k;
      if (std::fabs(term) < 1e-18 * std::fabs(sum)) break;
      term *= w;
    }
    return -sum;
  }
  return std::log1p(u) - u;
}

/// The Gauss-Legendre rule on [0, end] cut into `panels` equal panels: f(x, weight) at each node
/// with the rule's weight on [-1, 1]; returns the factor the weighted sum takes (half a panel).
template <class F>
double gauss_panels(double end, int panels, F&& f) {
  static const GaussLegendre gl = gauss_legendre();
  const double h = end / panels;
  for (int p = 0; p < panels; ++p) {
    const double mid = (p + 0.5) * h;
    for (std::size_t i = 0; i < kGaussPoints; ++i) f(mid + 0.5 * h * gl.x[i], gl.w[i]);
  }
  return 0.5 * h;
}

}  // namespace

Series series_quadrature(double s, double z, bool with_derivative) noexcept {
  // With v = 1 - w the integrand is e^psi(w), psi(w) = (z - s + 1) w + (s - 1) (log(1-w) + w):
  // concave, psi'' <= -(s - 1), largest at w* = max(0, (z - s + 1) / z). Past w* + r, where
  // beta r + (s - 1) r^2 / 2 = 45 and beta = max(0, s - 1 - z) is the slope at 0 when w* = 0,
  // psi lies 45 below its top: the rest is under e^-45 of the whole. [0, w* + r] is cut into
  // panels of r / 4 (e^-15 of decay or 2.4 standard deviations each), 16 points per panel: the
  // Gauss-Legendre error bound for e^-15x or a Gaussian over such a panel is below 1e-17.
  const double a = z - s + 1.0;
  const double w_top = a > 0 ? a / z : 0.0;
  const double beta = a < 0 ? -a : 0.0;
  const double r = 90.0 / (beta + std::sqrt(beta * beta + 90.0 * (s - 1.0)));
  const double top = a > 0 ? a * w_top + (s - 1.0) * log1p_minus(-w_top) : 0.0;
  const double end = std::min(w_top + r, 1.0);
  const int panels = std::max(1, static_cast<int>(std::ceil(end / (r / 4.0))));
  double g = 0, d = 0;
  const double half = gauss_panels(end, panels, [&](double w, double weight) {
    const double f = weight * std::exp(a * w + (s - 1.0) * log1p_minus(-w) - top);
    g += f;
    if (with_derivative) d += f * -std::log1p(-w);
  });
  // Times e^top (top <= (12 sqrt(s) + 51)^2 / (2 (s - 1)) + 1, far below kBig).
  const double scale = half * std::exp(top);
  Series out;
  out.g = g * scale;
  out.d = d * scale;
  return out;
}

double upper_quadrature(double s, double z) noexcept {
  // H = Gamma(s, z) e^z z^-s = integral over u >= 0 of e^psi(u), psi(u) = (s - 1) log(1 + u) - z u
  // (t = z (1 + u) in Gamma's integral). For z >= s - 1 psi is concave, largest at 0 (psi = 0) with
  // slope -beta, beta = z - s + 1 >= 0, and log(1 + u) - u <= -u^2 / (2 (1 + u)), so psi lies 45
  // below its top once beta r + (s - 1) r^2 / (2 (1 + r)) >= 45: r0 solving it without the
  // (1 + r), times (1 + r0), does. Panels of r / 4, 16 points each, as in series_quadrature.
  const double beta = z - s + 1.0;
  const double r0 = 90.0 / (beta + std::sqrt(beta * beta + 90.0 * (s - 1.0)));
  double sum = 0;
  const double half = gauss_panels(r0 * (1.0 + r0), 4, [&](double u, double weight) {
    sum += weight * std::exp((s - 1.0) * log1p_minus(u) - beta * u);
  });
  return sum * half;
}

Series series(double s, double z, bool with_derivative) noexcept {
  if (series_dominated(s, z)) return series_dominant(s, z, with_derivative);
  if (s >= kQuadratureFrom) return series_quadrature(s, z, with_derivative);
  return series_sum(s, z, with_derivative);
}

/// G(s, z) for z < s, where the terms shrink from the first one on and never overflow: the hot
/// loop of Erlang B. Two terms per step with one division (the division throughput, not the
/// arithmetic, bounds this loop).
double series_decreasing(double s, double z) noexcept {
  double t = 1.0 / s;
  double g = t;
  const double z2 = z * z;
  for (double k = 1; k < 1e9; k += 2) {
    const double a = s + k;
    const double inv = 1.0 / (a * (a + 1.0));
    const double t1 = t * z * (a + 1.0) * inv;  // t z / (s + k)
    t *= z2 * inv;                              // t z^2 / ((s + k)(s + k + 1))
    g += t1 + t;
    if (t <= kEps * 0.125 * g) break;
  }
  return g;
}

/// H(s, z) = Gamma(s, z) e^z z^-s by the modified Lentz continued fraction; for z > s - 1.
double upper_cf(double s, double z) noexcept {
  constexpr double tiny = 1e-300;
  double b = z + 1.0 - s;
  double c = 1.0 / tiny;
  double d = 1.0 / b;
  double h = d;
  for (double i = 1; i < 1e9; i += 1) {
    const double an = -i * (i - s);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) <= kEps) break;
  }
  return h;
}

double erlang_b_unchecked(std::int64_t n_agents, double a) noexcept {
  if (n_agents == 0) return 1.0;
  if (a == 0.0) return 0.0;
  const double n = static_cast<double>(n_agents);
  if (n_agents <= 32) {
    // The classic recurrence B(k) = A B(k-1) / (k + A B(k-1)): all terms positive, stable.
    double b = 1.0;
    for (std::int64_t k = 1; k <= n_agents; ++k) b = a * b / (static_cast<double>(k) + a * b);
    return b;
  }
  if (a < n + 1.0) {
    const double p = std::exp(log_poisson(n, a));
    if (p == 0.0) return 0.0;
    // p * A * G is the Poisson tail P(X > N) <= 1/2 here. G term by term takes about
    // 8.6 sqrt(N) terms near the critical load (8,600 at a million agents, tens of
    // microseconds); from kQuadratureFrom agents there, the quadrature's fixed ~80 points.
    const double s = n + 1.0;
    const double g = s >= kQuadratureFrom && a >= 0.9 * s ? series_quadrature(s, a, false).g
                                                          : series_decreasing(s, a);
    const double tail = p * a * g;
    return p / (1.0 - tail);
  }
  // The continued fraction takes O(sqrt(N)) steps near the critical load: from kQuadratureFrom
  // agents up to where the dominant form starts, the quadrature instead.
  const double s = n + 1.0;
  if (s >= kQuadratureFrom && !series_dominated(s, a)) return 1.0 / (a * upper_quadrature(s, a));
  return 1.0 / (a * upper_cf(s, a));
}

void check_common(std::int64_t agents, double load) {
  if (agents < 0) fail("agents", fmt::format("agents must not be negative (got {})", agents));
  if (agents > kMaxAgents) {
    throw Error(ErrorCode::limit, "agents",
                fmt::format("agents must not exceed {} (got {})", kMaxAgents, agents));
  }
  if (!std::isfinite(load) || load < 0) {
    fail("load", fmt::format("the load must be a finite number >= 0 (got {})", load));
  }
}

void check_positive(const char* where, double v) {
  if (!std::isfinite(v) || v <= 0) {
    fail(where, fmt::format("{} must be a finite number > 0 (got {})", where, v));
  }
}
void check_non_negative(const char* where, double v) {
  if (!std::isfinite(v) || v < 0) {
    fail(where, fmt::format("{} must be a finite number >= 0 (got {})", where, v));
  }
}

double erlang_c_from_b(double n, double a, double b) noexcept {
  return n * b / (n - a * (1.0 - b));
}

void fill_c(ErlangCMetrics& m, double n, double a, double b, double aht, double threshold) {
  m.load = a;
  m.p_wait = erlang_c_from_b(n, a, b);
  m.service_level = 1.0 - m.p_wait * std::exp(-(n - a) * threshold / aht);
  m.asa = m.p_wait * aht / (n - a);
  m.occupancy = a / n;
}

ErlangAMetrics erlang_a_unchecked(std::int64_t agents, double a, double aht, double patience,
                                  double threshold) {
  ErlangAMetrics m;
  m.load = a;
  const double n = static_cast<double>(agents);
  if (a == 0.0) {
    m.sl_virtual = m.sl_offered = m.sl_answered = m.sl_excl_abandoned_within = 1.0;
    return m;
  }
  const double b = erlang_b_unchecked(agents, a);
  const double theta = 1.0 / patience;  // abandonment rate
  const double mu = 1.0 / aht;
  const double lambda = a * mu;
  const double x = n * mu / theta;  // n mu / theta
  const double y = lambda / theta;  // lambda / theta
  // Beyond this the model's own conditioning is gone (G varies like e^y: a rounding of y moves it
  // by y ulps) and the scaled form's exponent would not fit: patience so long against the handle
  // time is Erlang C (infinite patience) in all but name.
  if (!(x <= kMaxPatienceRatioTimesLoad && y <= kMaxPatienceRatioTimesLoad)) {
    throw Error(ErrorCode::limit, "patience",
                fmt::format("agents x patience / aht = {:.3g} and load x patience / aht = {:.3g}: "
                            "Erlang A is computed up to {:.0e} (use infinite patience: Erlang C)",
                            x, y, kMaxPatienceRatioTimesLoad));
  }
  const double u = std::exp(-theta * threshold);

  // G0 = G(x, y) = 1/x + (y/x) G(x+1, y): positive terms only.
  const Series s1 = series(x + 1.0, y, true);
  const double g1 = s1.g;                                       // times kBig^s1.scale
  const double g0 = (std::pow(kSmall, s1.scale) + y * g1) / x;  // same scale
  const double d1 = s1.d;
  // A(x, y) = x G0: P(V > 0) = A B / (1 + (A - 1) B) = 1 / (1 + (1/B - 1) / A).
  const double inv_big_a = (1.0 / (x * g0)) * std::pow(kSmall, s1.scale);
  const double p_wait = b >= 1.0 ? 1.0 : 1.0 / (1.0 + (1.0 / b - 1.0) * inv_big_a);
  const double p_nowait = 1.0 - p_wait;
  const double served_if_wait = g1 / g0;  // P(served | V > 0) = G(x+1,y) / G(x,y)
  m.p_wait = p_wait;
  m.p_abandon = p_wait * (1.0 - served_if_wait);
  const double p_served = 1.0 - m.p_abandon;
  m.mean_wait = m.p_abandon * patience;  // E[W] = P(Ab) / theta (Little's law on the queue)
  // E[W 1{served}] = P(V > 0) D(x+1, y) / (theta G(x, y)).
  m.asa = p_wait * (d1 / g0) * patience / p_served;
  m.occupancy = a * p_served / n;

  // Tail pieces at the threshold: G(x+1, y u), G(x, y u) and K = u^(x+1) e^(y (1-u)).
  const double yu = y * u;
  const Series s1u = series(x + 1.0, yu, false);
  const double g1u = s1u.g;
  const double g0u = (std::pow(kSmall, s1u.scale) + yu * g1u) / x;
  const double log_k = -(x + 1.0) * theta * threshold + y * (1.0 - u) +
                       static_cast<double>(s1u.scale - s1.scale) * kLogBig;
  const double k = std::exp(log_k);
  const double r1u = k * (g1u / g0);  // K G(x+1,yu) / G(x,y)
  const double r0u = k * (g0u / g0);  // K G(x,yu) / G(x,y)
  const double p_v_gt_t = p_wait * (r0u / u);
  m.sl_virtual = 1.0 - p_v_gt_t;
  const double served_within = p_nowait + p_wait * (served_if_wait - r1u);
  m.sl_offered = served_within;
  m.sl_answered = served_within / p_served;
  const double ab_within = p_wait * (1.0 - served_if_wait - (r0u - r1u));
  m.sl_excl_abandoned_within = served_within / (1.0 - ab_within);
  return m;
}

}  // namespace detail

using namespace detail;

double erlang_b(std::int64_t agents, double load) {
  check_common(agents, load);
  return erlang_b_unchecked(agents, load);
}

double erlang_c(std::int64_t agents, double load) {
  check_common(agents, load);
  if (!(static_cast<double>(agents) > load)) {
    fail("agents", fmt::format("Erlang C needs more agents than Erlangs of load (agents {} <= "
                               "load {}): the queue would grow without bound",
                               agents, load));
  }
  return erlang_c_from_b(static_cast<double>(agents), load, erlang_b_unchecked(agents, load));
}

ErlangCMetrics erlang_c_metrics(std::int64_t agents, double load, double aht, double threshold) {
  const double c = erlang_c(agents, load);
  check_positive("aht", aht);
  check_non_negative("threshold", threshold);
  ErlangCMetrics m;
  const double n = static_cast<double>(agents);
  m.load = load;
  m.p_wait = c;
  m.service_level = 1.0 - c * std::exp(-(n - load) * threshold / aht);
  m.asa = c * aht / (n - load);
  m.occupancy = load / n;
  return m;
}

ErlangAMetrics erlang_a(std::int64_t agents, double load, double aht, double patience,
                        double threshold) {
  check_common(agents, load);
  check_positive("aht", aht);
  check_non_negative("threshold", threshold);
  if (std::isnan(patience) || patience <= 0) {
    fail("patience", fmt::format("patience must be > 0 seconds (got {})", patience));
  }
  if (std::isinf(patience)) {
    const ErlangCMetrics c = erlang_c_metrics(agents, load, aht, threshold);
    ErlangAMetrics m;
    m.load = load;
    m.p_wait = c.p_wait;
    m.sl_virtual = m.sl_offered = m.sl_answered = m.sl_excl_abandoned_within = c.service_level;
    m.asa = m.mean_wait = c.asa;
    m.occupancy = c.occupancy;
    return m;
  }
  if (agents < 1) fail("agents", "Erlang A needs at least one agent");
  return erlang_a_unchecked(agents, load, aht, patience, threshold);
}

double Workload::load() const noexcept {
  const double interval_s = static_cast<double>(interval.count());
  return interval_s > 0 ? calls * static_cast<double>(aht.count()) / interval_s : 0.0;
}

namespace {

double seconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

void validate(const Workload& w) {
  if (!std::isfinite(w.calls) || w.calls < 0) {
    fail("calls", fmt::format("calls must be a finite number >= 0 (got {})", w.calls));
  }
  if (w.interval <= Duration::zero()) fail("interval", "the interval must be positive");
  if (w.aht <= Duration::zero()) fail("aht", "the average handle time must be positive");
  if (w.patience && *w.patience <= Duration::zero()) fail("patience", "patience must be positive");
}

void validate(const StaffingGoal& g) {
  if (g.service_level) {
    if (!g.threshold) fail("threshold", "a service-level goal needs a threshold");
    if (!(*g.service_level > 0 && *g.service_level < 1)) {
      fail("service_level",
           fmt::format("the service-level target must be in (0, 1) (got {})", *g.service_level));
    }
  }
  if (g.threshold && *g.threshold < Duration::zero()) {
    fail("threshold", "the threshold must not be negative");
  }
  if (g.max_asa && *g.max_asa <= Duration::zero()) fail("max_asa", "max_asa must be positive");
  if (g.max_occupancy && !(*g.max_occupancy > 0 && *g.max_occupancy <= 1)) {
    fail("max_occupancy",
         fmt::format("max_occupancy must be in (0, 1] (got {})", *g.max_occupancy));
  }
  if (g.max_abandon && !(*g.max_abandon > 0 && *g.max_abandon < 1)) {
    fail("max_abandon", fmt::format("max_abandon must be in (0, 1) (got {})", *g.max_abandon));
  }
  if (!(g.shrinkage >= 0 && g.shrinkage < 1)) {
    fail("shrinkage", fmt::format("shrinkage must be in [0, 1) (got {})", g.shrinkage));
  }
  if (!g.service_level && !g.max_asa && !g.max_occupancy && !g.max_abandon) {
    fail("goal", "give at least one goal: service level, max ASA, max occupancy or max abandon");
  }
}

[[noreturn]] void too_many() {
  throw Error(ErrorCode::limit, "agents",
              fmt::format("the goal needs more than {} agents", kMaxAgents));
}

// An agent count from a double that may lie far outside the int64 range (a load of 1e90
// Erlangs, a ratio with a tiny denominator): anything above kMaxAgents (and NaN) is a limit error
// rather than the undefined behaviour of an out-of-range cast.
std::int64_t agents_at_most_max(double x) {
  if (!(x <= static_cast<double>(kMaxAgents))) too_many();
  return static_cast<std::int64_t>(x);
}

// Heads to schedule: agents / (1 - shrinkage). A shrinkage within an ulp of 1 would need more
// than 1e15 heads (beyond any int64 a host should be handed): a limit error naming shrinkage.
std::int64_t with_shrinkage(std::int64_t agents, double shrinkage) {
  if (shrinkage == 0) return agents;
  const double raw = static_cast<double>(agents) / (1.0 - shrinkage);
  // Guard against 14 / 0.7 = 20.000000000000004 rounding up to 21.
  const double heads = std::ceil(raw * (1.0 - 4 * kEps));
  if (!(heads <= 1e15)) {
    throw Error(
        ErrorCode::limit, "shrinkage",
        fmt::format("{} agents at shrinkage {} need more than 1e15 scheduled", agents, shrinkage));
  }
  return static_cast<std::int64_t>(heads);
}

Staffing staff_erlang_c(const Workload& w, const StaffingGoal& g) {
  if (g.max_abandon) fail("max_abandon", "an abandon-rate goal needs the callers' patience");
  const double a = w.load();
  const double aht = seconds(w.aht);
  Staffing out;
  out.load = a;
  // Erlang C needs more agents than Erlangs: a load beyond kMaxAgents is a limit error here,
  // before any cast.
  std::int64_t n = agents_at_most_max(std::floor(a)) + 1;
  if (g.max_occupancy) {
    n = std::max(n, agents_at_most_max(std::ceil(a / *g.max_occupancy * (1 - 4 * kEps))));
  }
  if (n > kMaxAgents) too_many();
  const double t = g.threshold ? seconds(*g.threshold) : 0.0;
  double b = erlang_b_unchecked(n, a);
  // e^{-(N - A) T / AHT}, advanced by a constant factor per agent instead of an exp per step.
  double decay = std::exp(-(static_cast<double>(n) - a) * t / aht);
  const double step = std::exp(-t / aht);
  for (;;) {
    const double nd = static_cast<double>(n);
    const double c = erlang_c_from_b(nd, a, b);
    bool ok = true;
    if (g.service_level) ok = 1.0 - c * decay >= *g.service_level;
    if (ok && g.max_asa) ok = c * aht / (nd - a) <= seconds(*g.max_asa);
    if (ok && g.max_occupancy) ok = a / nd <= *g.max_occupancy;
    if (ok) break;
    if (++n > kMaxAgents) too_many();
    b = a * b / (static_cast<double>(n) + a * b);
    decay *= step;
  }
  out.agents = n;
  ErlangCMetrics m;
  fill_c(m, static_cast<double>(n), a, b, aht, t);
  out.p_wait = m.p_wait;
  out.service_level = g.threshold ? m.service_level : std::numeric_limits<double>::quiet_NaN();
  out.asa = m.asa;
  out.occupancy = m.occupancy;
  out.p_abandon = 0;
  out.scheduled = with_shrinkage(n, g.shrinkage);
  return out;
}

bool meets(const ErlangAMetrics& m, const StaffingGoal& g) {
  if (g.service_level) {
    double sl = m.sl_offered;
    if (g.basis == StaffingGoal::Basis::answered) sl = m.sl_answered;
    if (g.basis == StaffingGoal::Basis::virtual_wait) sl = m.sl_virtual;
    if (!(sl >= *g.service_level)) return false;
  }
  if (g.max_asa && !(m.asa <= seconds(*g.max_asa))) return false;
  if (g.max_occupancy && !(m.occupancy <= *g.max_occupancy)) return false;
  if (g.max_abandon && !(m.p_abandon <= *g.max_abandon)) return false;
  return true;
}

// How far a result is from the goal, in log-odds and log-ratios, which are close to linear in the
// number of agents on both sides of the goal (a service level's log-odds: log(1 - SL) falls by
// about T / aht per agent above the knee, log(SL) rises below it): the smallest over the goal's
// criteria. It only steers the staffing search (meets() decides); NaN or infinite where a
// criterion saturates (SL exactly 0 or 1), and then the search bisects.
double margin(const ErlangAMetrics& m, const StaffingGoal& g) {
  auto logit = [](double p) { return std::log(p) - std::log1p(-p); };
  // A criterion rounded just outside its range (SL -1e-17) gives NaN: saturated, as at 0 or 1.
  double out = std::numeric_limits<double>::infinity();
  auto take = [&](double v) { out = std::isnan(v) ? v : std::min(out, v); };  // NaN stays
  if (g.service_level) {
    double sl = m.sl_offered;
    if (g.basis == StaffingGoal::Basis::answered) sl = m.sl_answered;
    if (g.basis == StaffingGoal::Basis::virtual_wait) sl = m.sl_virtual;
    take(logit(sl) - logit(*g.service_level));
  }
  if (g.max_asa) take(std::log(seconds(*g.max_asa) / m.asa));
  if (g.max_occupancy) take(std::log(*g.max_occupancy / m.occupancy));
  if (g.max_abandon) take(std::log(*g.max_abandon / m.p_abandon));
  return out;
}

Staffing staff_erlang_a(const Workload& w, const StaffingGoal& g) {
  const double a = w.load();
  const double aht = seconds(w.aht);
  const double patience = seconds(*w.patience);
  const double t = g.threshold ? seconds(*g.threshold) : 0.0;
  // Every goal is monotone in the number of agents: find the smallest n that meets it, keeping a
  // bracket (lo fails, hi meets) with each end's margin.
  std::int64_t lo = 0, hi = 0;
  double m_lo = std::numeric_limits<double>::quiet_NaN(), m_hi = m_lo;
  ErlangAMetrics at_hi;
  auto probe = [&](std::int64_t n) {
    const ErlangAMetrics m = erlang_a_unchecked(n, a, aht, patience, t);
    const bool ok = meets(m, g);
    (ok ? hi : lo) = n;
    (ok ? m_hi : m_lo) = margin(m, g);
    if (ok) at_hi = m;
    return ok;
  };
  // Gallop from a guess in steps of about sqrt(a), doubling, until the bracket holds; zero agents
  // is known to fail (nobody answers). The guess: square-root staffing (a + sqrt(a)), or, when
  // the goal can be met overloaded (fewer agents than Erlangs, the abandons keeping the queue
  // finite), the fluid limit of that regime: callers who are served wait about
  // w = (a / N - 1) x patience and a fraction 1 - N / a abandons, so SL within T needs
  // w <= T (and N / a >= the target when abandons count as missed), an ASA goal w <= ASA, an
  // abandon goal 1 - N / a <= the goal. The answer lies within a few sqrt(a) of either guess.
  const double root = std::sqrt(a);
  double fluid = 0;
  bool overloaded = !g.max_occupancy;  // an occupancy below 1 needs more agents than Erlangs
  if (g.service_level) {
    fluid = a / (1.0 + t / patience);
    if (g.basis == StaffingGoal::Basis::offered) fluid = std::max(fluid, *g.service_level * a);
  }
  if (g.max_asa) fluid = std::max(fluid, a / (1.0 + seconds(*g.max_asa) / patience));
  if (g.max_abandon) fluid = std::max(fluid, a * (1.0 - *g.max_abandon));
  overloaded = overloaded && fluid < a;
  // Near the critical load the fluid guess is off by about the distance to it (at most sqrt(a)).
  // Both in doubles clamped to kMaxAgents before the cast: at 1e90 Erlangs sqrt(a) alone is
  // beyond int64 (the overloaded regime may still be staffed within kMaxAgents).
  const double cap = static_cast<double>(kMaxAgents);
  std::int64_t step = std::max<std::int64_t>(
      1,
      static_cast<std::int64_t>(std::min(overloaded ? std::min(root / 2, a - fluid) : root, cap)));
  const double want = overloaded ? fluid : a + root;
  const std::int64_t guess = std::clamp<std::int64_t>(
      static_cast<std::int64_t>(std::ceil(want < cap ? want : cap)), 1, kMaxAgents);
  if (probe(guess)) {
    for (;;) {
      const std::int64_t next = hi > step ? hi - step : 0;
      if (next == 0 || !probe(next)) break;  // lo stays 0 (margin unknown) or becomes next
      step *= 2;
    }
  } else {
    for (;;) {
      if (lo >= kMaxAgents) too_many();
      if (probe(std::min(kMaxAgents, lo + step))) break;
      step *= 2;
    }
  }
  // Then the Illinois variant of regula falsi on the margin, safeguarded: the margin is close to
  // linear in n, so interpolating between the ends lands near the answer; an end kept twice in a
  // row has its margin halved in the interpolation (so the other end moves too), and two probes
  // that do not halve the bracket make the next one bisect. The answer is the one bisection gives
  // (the same bracket invariant); only the number of evaluations changes.
  int kept_lo = 0, kept_hi = 0;  // probes in a row that left this end in place
  int window = 0;                // probes since w_ref
  std::int64_t w_ref = hi - lo;
  bool bisect = false;
  while (hi - lo > 1) {
    const std::int64_t width = hi - lo;
    std::int64_t p = lo + width / 2;
    if (!bisect && std::isfinite(m_lo) && std::isfinite(m_hi) && m_lo < 0 && m_hi >= 0) {
      const double f_lo = std::ldexp(m_lo, -std::max(0, kept_lo - 1));
      const double f_hi = std::ldexp(m_hi, -std::max(0, kept_hi - 1));
      const double x =
          static_cast<double>(lo) + static_cast<double>(width) * (-f_lo / (f_hi - f_lo));
      // Within the bracket unless both margins underflowed (0 / 0): then the midpoint stays.
      if (x > static_cast<double>(lo) && x < static_cast<double>(hi)) {
        p = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(x)), lo + 1, hi - 1);
      }
    }
    if (probe(p)) {
      ++kept_lo, kept_hi = 0;
    } else {
      ++kept_hi, kept_lo = 0;
    }
    bisect = false;
    if (++window == 2) {
      bisect = hi - lo > w_ref / 2;
      window = 0;
      w_ref = hi - lo;
    }
  }
  const ErlangAMetrics& m = at_hi;
  Staffing out;
  out.agents = hi;
  out.load = a;
  out.p_wait = m.p_wait;
  double sl = m.sl_offered;
  if (g.basis == StaffingGoal::Basis::answered) sl = m.sl_answered;
  if (g.basis == StaffingGoal::Basis::virtual_wait) sl = m.sl_virtual;
  out.service_level = g.threshold ? sl : std::numeric_limits<double>::quiet_NaN();
  out.asa = m.asa;
  out.occupancy = m.occupancy;
  out.p_abandon = m.p_abandon;
  out.scheduled = with_shrinkage(hi, g.shrinkage);
  return out;
}

}  // namespace

Staffing required_agents(const Workload& workload, const StaffingGoal& goal) {
  validate(workload);
  validate(goal);
  if (workload.calls == 0) {
    Staffing s;
    s.service_level = goal.threshold ? 1.0 : std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  return workload.patience ? staff_erlang_a(workload, goal) : staff_erlang_c(workload, goal);
}

std::vector<Staffing> required_agents(std::span<const Workload> forecast,
                                      const StaffingGoal& goal) {
  validate(goal);
  std::vector<Staffing> out;
  out.reserve(forecast.size());
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    try {
      out.push_back(required_agents(forecast[i], goal));
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("intervals/{}/{}", i, e.where()), e.message());
    }
  }
  return out;
}

}  // namespace hotline::sla
