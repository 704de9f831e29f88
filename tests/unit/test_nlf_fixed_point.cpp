// Conversions between binary32 floats and the RTL NLF datapath's 24-bit words with 16
// fraction bits: rounding, saturation, NaN, and the 24-bit lane field with sign extension.
#include "models/nlf/nlf_fixed_point.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rpusim::nlf_fixed
