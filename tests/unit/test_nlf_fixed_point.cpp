// Conversions between binary32 floats and the RTL NLF datapath's 24-bit words with 16
// fraction bits: rounding, saturation, NaN, and the 24-bit lane field with sign extension.
// Also the bit-exact reference model of the datapath's sigmoid and derivative, checked at
// exact points and against double-precision arithmetic within the datapath's error bounds.
#include "models/nlf/nlf_fixed_point.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rpusim::nlf_fixed {
namespace {

TEST(NlfFixedPoint, ExactValuesRoundTrip) {
  for (float value : {0.0f, 1.0f, -1.0f, 0.5f, -0.25f, 127.0f, -128.0f, 1.0f / 65536}) {
    EXPECT_EQ(from_word(to_word(value)), value) << value;
  }
  EXPECT_EQ(to_word(1.0f), 65536);
  EXPECT_EQ(to_word(-1.0f), -65536);
}

TEST(NlfFixedPoint, RoundsToNearest) {
  const float step = 1.0f / 65536;
  EXPECT_EQ(to_word(0.4f * step), 0);
  EXPECT_EQ(to_word(0.6f * step), 1);
  EXPECT_EQ(to_word(-0.6f * step), -1);
  // Ties go away from zero.
  EXPECT_EQ(to_word(0.5f * step), 1);
  EXPECT_EQ(to_word(-0.5f * step), -1);
  // The rounding error is at most half a step.
  for (float value = -3.0f; value < 3.0f; value += 0.0123f) {
    EXPECT_LE(std::fabs(from_word(to_word(value)) - value), 0.5f * step) << value;
  }
}

TEST(NlfFixedPoint, SaturatesAtRangeEnds) {
  EXPECT_EQ(to_word(128.0f), kMaxWord);
  EXPECT_EQ(to_word(1e9f), kMaxWord);
  EXPECT_EQ(to_word(std::numeric_limits<float>::infinity()), kMaxWord);
  EXPECT_EQ(to_word(-128.0f), kMinWord);
  EXPECT_EQ(to_word(-1e9f), kMinWord);
  EXPECT_EQ(to_word(-std::numeric_limits<float>::infinity()), kMinWord);
  EXPECT_EQ(from_word(kMaxWord), 128.0f - 1.0f / 65536);
}

TEST(NlfFixedPoint, NanGivesZero) {
  EXPECT_EQ(to_word(std::numeric_limits<float>::quiet_NaN()), 0);
}

TEST(NlfFixedPoint, LaneBitsSignExtend) {
  EXPECT_EQ(to_bits(-1), 0xFFFFFFu);
  EXPECT_EQ(to_bits(kMinWord), 0x800000u);
  EXPECT_EQ(from_bits(0xFFFFFFu), -1);
  EXPECT_EQ(from_bits(0x800000u), kMinWord);
  EXPECT_EQ(from_bits(0x7FFFFFu), kMaxWord);
  // Bits above the 24-bit field are ignored.
  EXPECT_EQ(from_bits(0xAB000001u), 1);
  for (std::int32_t word : {0, 1, -1, 65536, -65536, kMaxWord, kMinWord, 12345, -54321}) {
    EXPECT_EQ(from_bits(to_bits(word)), word) << word;
  }
}

TEST(NlfReference, SigmoidExactPoints) {
  EXPECT_EQ(sigmoid_word(0), 32768);                      // sigmoid(0) = 0.5
  EXPECT_EQ(sigmoid_word(16 << kFractionBits), 65536);    // saturates at |x| >= 16
  EXPECT_EQ(sigmoid_word(-(16 << kFractionBits)), 0);
  EXPECT_EQ(sigmoid_word(kMinWord), 0);
  EXPECT_EQ(sigmoid_word(kMaxWord), 65536);
}

TEST(NlfReference, SigmoidMirrorsAroundZero) {
  for (std::int32_t x = 1; x < (17 << kFractionBits); x += 997) {
    EXPECT_EQ(sigmoid_word(x) + sigmoid_word(-x), 65536) << x;
  }
}

TEST(NlfReference, SigmoidWithinBound) {
  // The datapath's bound on fixed-point inputs: interpolation h^2 / 8 max|sigmoid''| with
  // h = 1/16, the knot and step roundings of 2^-17 each, and saturation 1 - sigmoid(16).
  const double bound = (1.0 / 16) * (1.0 / 16) / 8 / (6 * std::sqrt(3.0)) +
                       2 * std::ldexp(1.0, -17) + 1.0 / (1.0 + std::exp(16.0));
  double largest = 0;
  for (std::int32_t x = -(20 << kFractionBits); x <= (20 << kFractionBits); x += 37) {
    const double exact = 1.0 / (1.0 + std::exp(-std::ldexp(x, -kFractionBits)));
    const double error = std::fabs(std::ldexp(sigmoid_word(x), -kFractionBits) - exact);
    largest = std::max(largest, error);
    ASSERT_LE(error, bound) << x;
  }
  EXPECT_GT(largest, bound / 2);  // the bound is not loose by an order of magnitude
}

TEST(NlfReference, DerivativeExactPoints) {
  EXPECT_EQ(derivative_word(65536, 32768), 16384);   // 1 x 0.5 x 0.5 = 0.25
  EXPECT_EQ(derivative_word(-65536, 32768), -16384);
  EXPECT_EQ(derivative_word(65536, 0), 0);
  EXPECT_EQ(derivative_word(65536, 65536), 0);
  EXPECT_EQ(derivative_word(65536, -5), 0);          // s clamps to [0, 1]
  EXPECT_EQ(derivative_word(65536, 70000), 0);
  EXPECT_EQ(derivative_word(kMinWord, 32768), kMinWord / 4);
}

TEST(NlfReference, DerivativeWithinBound) {
  for (std::int32_t e = -(64 << kFractionBits); e <= (64 << kFractionBits); e += 65521) {
    for (std::int32_t s = 0; s <= 65536; s += 251) {
      const double ed = std::ldexp(e, -kFractionBits);
      const double sd = std::ldexp(s, -kFractionBits);
      const double exact = ed * sd * (1 - sd);
      const double actual = std::ldexp(derivative_word(e, s), -kFractionBits);
      // s (1 - s) is rounded to 2^-17, then the product to 2^-17.
      ASSERT_LE(std::fabs(actual - exact), std::ldexp(1.0, -17) * (std::fabs(ed) + 1)) << e << ' ' << s;
    }
  }
}

}  // namespace
}  // namespace rpusim::nlf_fixed
