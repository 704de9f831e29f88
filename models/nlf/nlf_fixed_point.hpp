// Data words of the RTL NLF datapath (rtl/nlf_sigmoid.sv): signed two's-complement fixed
// point of 24 bits with 16 fraction bits, range [-128, 128 - 2^-16], resolution 2^-16.
// Conversions between binary32 floats and these words, as RtlNlfUnit drives the pins, and a
// bit-exact reference model of the datapath's two operations, which the RTL tests compare
// the Verilated block against. Plain C++, no SystemC.
#pragma once

#include <cstdint>

namespace rpusim::nlf_fixed {

constexpr int kWordBits = 24;
constexpr int kFractionBits = 16;
constexpr std::int32_t kMaxWord = (1 << (kWordBits - 1)) - 1;
constexpr std::int32_t kMinWord = -(1 << (kWordBits - 1));
constexpr std::uint32_t kWordMask = (1u << kWordBits) - 1;

// Rounds `value` to the nearest word, ties away from zero, and saturates at the ends of the
// range (infinities included). NaN gives 0.
std::int32_t to_word(float value);

// Returns the word's value. Every word is exactly representable as a float.
float from_word(std::int32_t word);

// The word's 24 bits as they sit in a lane of a pin bus, and back with sign extension.
inline std::uint32_t to_bits(std::int32_t word) {
  return static_cast<std::uint32_t>(word) & kWordMask;
}
std::int32_t from_bits(std::uint32_t bits);

// Reference model of rtl/nlf_sigmoid.sv, operation 0: the sigmoid of word `x` by linear
// interpolation between knots sigmoid(k / 16), rounded as the datapath rounds.
std::int32_t sigmoid_word(std::int32_t x);

// Reference model of rtl/nlf_sigmoid.sv, operation 1: e s (1 - s) of the error word `e` and
// the saved sigmoid word `s`. s is clamped to [0, 1], and s (1 - s) is rounded to 16
// fraction bits before the multiply.
std::int32_t derivative_word(std::int32_t e, std::int32_t s);

}  // namespace rpusim::nlf_fixed
