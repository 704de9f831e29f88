// Stochastic pulse streams, the numerics of the stochastic translator: each line gets a
// Bernoulli stream of `length` (BL) slots, bit-packed into one 64-bit word per line, so
// the array counts coincidences with AND and popcount. No SystemC.
#pragma once

#include <cstdint>
#include <vector>

#include "models/common/random.hpp"

namespace rpusim {

constexpr int kMaxBitLength = 64;

struct PulseStreams {
  int length = 0;                    // BL, slots per stream, 1..kMaxBitLength
  std::vector<std::uint64_t> bits;   // bit k of bits[i] set: line i pulses in slot k
  std::vector<std::int8_t> sign;     // polarity per line: +1, -1, or 0 for a zero value
  std::uint64_t pulse_count = 0;     // pulses over all lines and slots
  std::uint32_t pulsed_lines = 0;    // lines with at least one pulse
};

// Fills `out` with `count` streams: line i pulses in each slot independently with
// probability min(1, probability_scale * |values[i]|), polarity sign(values[i]).
// Throws std::invalid_argument if length is outside 1..kMaxBitLength, count < 0, or the
// scale is negative or NaN.
void generate_pulse_streams(const float* values, int count, double probability_scale, int length,
                            RandomEngine& rng, PulseStreams& out);

}  // namespace rpusim
