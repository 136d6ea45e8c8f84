// A small seeded PRNG for splits and the demo generator. Our own, because the
// standard distributions and std::shuffle are implementation-defined: the same
// seed must give the same split and the same demo videos on every platform.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace vidrnn::data {

// splitmix64 step (Steele, Lea & Flood 2014); also the seed mixer below.
inline std::uint64_t splitMix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// FNV-1a: a stable string hash (std::hash is not stable across platforms).
inline std::uint64_t stableHash(std::string_view text) {
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (unsigned char c : text) {
        h = (h ^ c) * 0x100000001B3ull;
    }
    return h;
}

// Derives an independent stream seed from a base seed and a few keys, so that
// every clip or fold gets its own stream regardless of generation order.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                             std::uint64_t c = 0) {
    std::uint64_t s = seed;
    std::uint64_t h = splitMix64(s);
    for (std::uint64_t k : {a, b, c}) {
        s = h ^ (k + 0x632BE59BD9B4E019ull);
        h = splitMix64(s);
    }
    return h;
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : mState(seed) {}

    std::uint64_t next() { return splitMix64(mState); }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, n), unbiased (rejection sampling); n must be > 0.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
        std::uint64_t x = next();
        while (x >= limit) {
            x = next();
        }
        return x % n;
    }

    // Uniform integer in [lo, hi].
    int range(int lo, int hi) {
        return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    bool chance(double p) { return uniform() < p; }

    // Standard normal (Box-Muller; one value per call keeps the stream simple).
    double normal() {
        const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // Fisher-Yates with our own index draws.
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) {
            std::size_t j = static_cast<std::size_t>(below(i));
            std::swap(v[i - 1], v[j]);
        }
    }

private:
    std::uint64_t mState;
};

// The trainer's stream for a run's seed, and its order of the training clips
// each epoch: Fisher-Yates drawing next() % i (not below(i)). Every stored
// run was trained in this order, so a seed keeps giving the same batches.
inline Rng trainingRng(std::int64_t seed) {
    return Rng(static_cast<std::uint64_t>(seed) * 0x9E3779B97F4A7C15ull + 1);
}
inline void shuffleEpoch(Rng& rng, std::vector<int>& order) {
    for (std::size_t i = order.size(); i > 1; --i) {
        std::swap(order[i - 1], order[static_cast<std::size_t>(rng.next() % i)]);
    }
}

}  // namespace vidrnn::data
