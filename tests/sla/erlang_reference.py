#!/usr/bin/env python3
"""Independent high-precision reference values for the Erlang tests (mpmath, 50 digits).

Run with an interpreter that has mpmath (the pyenv `python3`):
    python3 tests/sla/erlang_reference.py > tests/sla/erlang_reference.csv

Erlang B uses mpmath's upper incomplete gamma: 1/B(N, A) = e^A A^-N Gamma(N+1, A), checked
against the textbook recurrence B(k) = A B(k-1) / (k + A B(k-1)) for N <= 2000.
Erlang C = N B / (N - A (1 - B)).
Erlang A (M/M/N+M) is computed from the birth-death chain itself (P(wait), P(abandon) from the
stationary distribution truncated where its terms fall below 1e-60) and by numerical quadrature of
the virtual-wait density f(v) ~ exp(-N mu v + (lambda/theta)(1 - e^(-theta v))) for the
threshold metrics; the script asserts that the density's mass matches the chain's P(wait).
Every line: kind,agents,load,aht,patience,threshold,metric,value
"""
import sys

import mpmath as mp

mp.mp.dps = 50


def erlang_b(n, a):
    n = int(n)
    a = mp.mpf(a)
    if n == 0:
        return mp.mpf(1)
    inv = mp.e ** a * a ** (-n) * mp.gammainc(n + 1, a)
    b = 1 / inv
    if n <= 2000:
        r = mp.mpf(1)
        for k in range(1, n + 1):
            r = a * r / (k + a * r)
        assert abs(r - b) <= mp.mpf(10) ** -40 * b, (n, a)
    return b


def erlang_a(n, a, aht, patience, t):
    a, aht, patience, t = (mp.mpf(v) for v in (a, aht, patience, t))
    mu, theta = 1 / aht, 1 / patience
    lam = a * mu
    # Stationary distribution relative to pi_n = 1.
    below = mp.mpf(0)  # sum_{k<n} pi_k / pi_n
    r = mp.mpf(1)
    for k in range(n, 0, -1):  # pi_{k-1} / pi_k = k mu / lam
        r *= k * mu / lam
        below += r
        if r < mp.mpf(10) ** -60 * (below + 1):
            break
    above = mp.mpf(0)  # sum_{j>=0} pi_{n+j} / pi_n
    queue = mp.mpf(0)  # sum_j j pi_{n+j} / pi_n
    term = mp.mpf(1)
    j = 0
    while True:
        above += term
        queue += j * term
        j += 1
        term *= lam / (n * mu + j * theta)
        if j > lam / theta and term < mp.mpf(10) ** -60 * above:
            break
    total = below + above
    p_wait = above / total
    p_ab = theta * (queue / total) / lam
    x = n * mu
    f = lambda v: mp.e ** (-x * v + (lam / theta) * (1 - mp.e ** (-theta * v)))
    mass = mp.quad(f, [0, t, mp.inf]) if t > 0 else mp.quad(f, [0, mp.inf])
    norm = p_wait / mass  # density of V on (0, inf) is norm * f
    assert abs(x * mass - above) <= mp.mpf(10) ** -30 * above, (n, a)
    p_v_gt_t = norm * mp.quad(f, [t, mp.inf])
    served = lambda v: mp.e ** (-theta * v) * f(v)
    served_within = (1 - p_wait) + (norm * mp.quad(served, [0, t]) if t > 0 else 0)
    served_all = (1 - p_wait) + norm * mp.quad(served, [0, t, mp.inf])
    assert abs(served_all - (1 - p_ab)) <= mp.mpf(10) ** -30, (n, a)
    wait_served = norm * mp.quad(lambda v: v * served(v), [0, t, mp.inf])
    surv = lambda s: theta * mp.e ** (-theta * s) * norm * mp.quad(f, [s, mp.inf])
    ab_within = mp.quad(surv, [0, t]) if t > 0 else mp.mpf(0)
    return {
        "p_wait": p_wait,
        "p_abandon": p_ab,
        "sl_virtual": 1 - p_v_gt_t,
        "sl_offered": served_within,
        "sl_answered": served_within / (1 - p_ab),
        "sl_excl_abandoned_within": served_within / (1 - ab_within),
        "asa": wait_served / (1 - p_ab),
        "mean_wait": p_ab / theta,
        "occupancy": a * (1 - p_ab) / n,
    }


def main():
    out = sys.stdout
    out.write("kind,agents,load,aht,patience,threshold,metric,value\n")
    fmt = lambda v: mp.nstr(v, 20, min_fixed=-1000, max_fixed=1000)
    agents = [1, 2, 5, 14, 31, 33, 50, 100, 150, 200, 500, 1000, 2000, 10000, 100000, 1000000]
    ratios = ["0.3", "0.8", "0.95", "0.999", "1.2", "2.5"]
    for n in agents:
        for ratio in ratios:
            a = mp.mpf(n) * mp.mpf(ratio) + mp.mpf("0.37")  # non-integer loads
            a = mp.mpf(mp.nstr(a, 17))  # exactly representable as the C++ test parses it
            b = erlang_b(n, a)
            if b < mp.mpf(10) ** -290:
                continue
            out.write(f"B,{n},{mp.nstr(a, 17)},,,,b,{fmt(b)}\n")
            if n > a:
                c = n * b / (n - a * (1 - b))
                out.write(f"C,{n},{mp.nstr(a, 17)},,,,c,{fmt(c)}\n")
    # Call Centre Helper example: 100 calls / 30 min, AHT 180 s -> 10 Erlangs, 14 agents.
    for n in (11, 12, 13, 14, 15, 20):
        b = erlang_b(n, 10)
        out.write(f"B,{n},10,,,,b,{fmt(b)}\n")
        out.write(f"C,{n},10,,,,c,{fmt(n * b / (n - 10 * (1 - b)))}\n")
    cases = [
        (14, "10", 180, 300, 20),
        (12, "10", 180, 300, 20),
        (9, "10", 180, 120, 20),
        (3, "2.5", 240, 60, 30),
        (50, "48.3", 300, 200, 15),
        (105, "100.7", 180, 300, 20),
        (1000, "1000", 180, 300, 20),
        (1030, "1000", 180, 300, 20),
        (950, "1000", 180, 300, 20),
    ]
    for n, a, aht, patience, t in cases:
        for k, v in erlang_a(n, mp.mpf(a), aht, patience, t).items():
            out.write(f"A,{n},{a},{aht},{patience},{t},{k},{fmt(v)}\n")


if __name__ == "__main__":
    main()
