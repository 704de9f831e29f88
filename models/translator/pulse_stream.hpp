// Pulse streams, the numerics of the translators that drive the update: each line gets a
// stream of `length` (BL) slots, bit-packed into one 64-bit word per line, so the array counts
// coincidences with AND and popcount. Two schemes: the stochastic one of Gokmen & Vlasov
// (2016), with independent Bernoulli slots, and a deterministic one with a fixed pulse count
// per line at fixed positions. No SystemC.
#pragma once

#include <cstdint>
#include <string_view>
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

enum class PulseScheme { stochastic, deterministic };

// The side of the array a stream drives: input lines carry x, output lines carry d. The
// deterministic scheme places the pulses of the two sides differently.
enum class PulseLineSide { input, output };

// Returns the configuration name of `scheme`: "stochastic" or "deterministic".
const char* pulse_scheme_name(PulseScheme scheme);
// Returns the scheme named `name`. Throws std::invalid_argument for any other name.
PulseScheme parse_pulse_scheme(std::string_view name);

// Fills `out` with `count` streams: line i pulses in each slot independently with
// probability min(1, probability_scale * |values[i]|), polarity sign(values[i]).
// Throws std::invalid_argument if length is outside 1..kMaxBitLength, count < 0, or the
// scale is negative or NaN.
void generate_pulse_streams(const float* values, int count, double probability_scale, int length,
                            RandomEngine& rng, PulseStreams& out);

// Returns the deterministic scheme's pulse count of one line, round(length min(1, scale |v|))
// with halves rounded up; 0 for NaN.
int deterministic_pulse_count(float value, double probability_scale, int length);

// Fills `out` with `count` deterministic streams of n_i = deterministic_pulse_count(values[i])
// pulses, polarity sign(values[i]). Input lines pulse in the first n slots, 0..n-1. Output
// lines spread theirs evenly: pulse k (k = 0..n-1) sits in slot floor((2k + 1) BL / (2n)).
// An input line of n_x pulses and an output line of n_d pulses then coincide in
//   c = #{k < n_d : (2k + 1) BL / (2 n_d) < n_x} = ceil(n_x n_d / BL - 1/2)
// slots: n_x n_d / BL rounded to the nearest integer, halves rounded down, so
// |c - n_x n_d / BL| <= 1/2, with equality only for a remainder of exactly BL / 2. c is exact
// when BL divides n_x n_d (for example n_x or n_d is 0 or BL).
// With ConstantStep devices of step dw and learning rate eta = BL dw C^2 (C the probability
// scale), c dw approximates eta |x d| within
//   dw (1/2 + (C |x| + C |d|) / 2 + 1 / (4 BL))   for C |x| <= 1 and C |d| <= 1,
// because n = BL C |v| + e with |e| <= 1/2 on each side. The update is exact where BL C |x| and
// BL C |d| are integers whose product BL divides; values below 1 / (2 BL C) send no pulses.
// Throws std::invalid_argument as generate_pulse_streams does.
void generate_deterministic_pulse_streams(const float* values, int count, double probability_scale,
                                          int length, PulseLineSide side, PulseStreams& out);

// Fills `out` by `scheme`; the stochastic scheme draws from `rng`, the deterministic one
// ignores it and uses `side`.
void generate_pulse_streams(PulseScheme scheme, PulseLineSide side, const float* values, int count,
                            double probability_scale, int length, RandomEngine& rng,
                            PulseStreams& out);

}  // namespace rpusim
