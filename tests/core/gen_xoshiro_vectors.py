#!/usr/bin/env python3
"""Reference vectors for hotline::Rng (tests/core/random_test.cpp).

An independent Python transcription of the public-domain reference C code by
David Blackman and Sebastiano Vigna:

  * xoshiro256** 1.0, https://prng.di.unimi.it/xoshiro256starstar.c, described in
    D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
    ACM Transactions on Mathematical Software 47(4), 2021.
  * SplitMix64, https://prng.di.unimi.it/splitmix64.c (Vigna), after G. L. Steele,
    D. Lea, C. H. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.

Only Python integers masked to 64 bits are used, so nothing is shared with the C++ code under
test. Run it and paste the output into random_test.cpp:

  python3 tests/core/gen_xoshiro_vectors.py
"""

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    def __init__(self, s):
        self.s = list(s)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result


class SplitMix64:
    def __init__(self, seed):
        self.x = seed & MASK

    def next(self):
        self.x = (self.x + 0x9E3779B97F4A7C15) & MASK
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def seeded(seed):
    """xoshiro256** seeded as the authors recommend: four SplitMix64 outputs."""
    sm = SplitMix64(seed)
    return Xoshiro256StarStar([sm.next() for _ in range(4)])


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & MASK
    return h


def stream(state, key):
    """hotline's documented stream derivation (include/hotline/core/random.hpp), transcribed:
    mix the four state words, add the key, one SplitMix64 step, seed a new generator."""
    s = state
    x = s[0] ^ rotl(s[1], 17) ^ rotl(s[2], 31) ^ rotl(s[3], 47) ^ key
    x = SplitMix64(x).next() ^ key
    return seeded(x)


def emit(name, values):
    print(f"// {name}")
    print("{" + ", ".join(f"0x{v:016x}ULL" for v in values) + "}")


def main():
    g = Xoshiro256StarStar([1, 2, 3, 4])
    emit("xoshiro256** from state {1, 2, 3, 4}, outputs 1..10", [g.next() for _ in range(10)])
    g = Xoshiro256StarStar([1, 2, 3, 4])
    for _ in range(999):
        g.next()
    emit("xoshiro256** from state {1, 2, 3, 4}, output 1000", [g.next()])
    sm = SplitMix64(1234567)
    emit("SplitMix64 from seed 1234567, outputs 1..5", [sm.next() for _ in range(5)])
    sm = SplitMix64(0)
    emit("SplitMix64 from seed 0, outputs 1..4 (the state of Rng{0})", [sm.next() for _ in range(4)])
    g = seeded(42)
    emit("xoshiro256** seeded by SplitMix64(42), outputs 1..5", [g.next() for _ in range(5)])
    base = seeded(42).s
    emit('Rng{42}.stream("arrivals"), outputs 1..3',
         [g.next() for g in [stream(base, fnv1a64(b"arrivals"))] for _ in range(3)])
    emit("Rng{42}.stream(7), outputs 1..3", [g.next() for g in [stream(base, 7)] for _ in range(3)])
    g = seeded(42)
    print("// uniform() of the same generator: (x >> 11) * 2^-53, exact, as hex floats")
    print("{" + ", ".join(float.hex((g.next() >> 11) * 2.0**-53) for _ in range(3)) + "}")


if __name__ == "__main__":
    main()
