// Random streams: each block draws from its own engine, seeded from the run's seed and
// the block's hierarchical name. Results therefore depend on the seed alone, not on the
// order in which blocks run, the time quantum or the thread count.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace rpusim {

// 64-bit Mersenne Twister from the standard library.
using RandomEngine = std::mt19937_64;

// Returns the engine of the block named `stream_name` for run seed `seed`. The same pair
// always yields the same sequence; different names give independent-looking streams.
RandomEngine make_random_stream(std::uint64_t seed, std::string_view stream_name);

// Returns a 64-bit FNV-1a hash of `text` (stable across platforms and builds).
std::uint64_t stable_hash(std::string_view text);

}  // namespace rpusim
