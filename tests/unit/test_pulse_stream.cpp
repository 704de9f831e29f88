#include "models/translator/pulse_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace rpusim {
namespace {

int popcount(std::uint64_t bits) {
  return __builtin_popcountll(bits);
}

// Frequency of pulses in each slot over many lines of the same value. With 40,000 lines
// the standard error of one slot's frequency is at most 0.0025, so 0.0125 is 5 sigma.
void expect_slot_frequencies(float value, double scale, int length) {
  constexpr int kLines = 40000;
  const std::vector<float> values(kLines, value);
  RandomEngine rng(11);
  PulseStreams streams;
  generate_pulse_streams(values.data(), kLines, scale, length, rng, streams);

  const double probability = std::min(1.0, scale * std::fabs(value));
  const double tolerance = 5.0 * std::sqrt(probability * (1.0 - probability) / kLines) + 1e-9;
  for (int slot = 0; slot < length; ++slot) {
    int pulses = 0;
    for (std::uint64_t bits : streams.bits) {
      pulses += static_cast<int>((bits >> slot) & 1u);
    }
    EXPECT_NEAR(static_cast<double>(pulses) / kLines, probability, tolerance)
        << "value " << value << ", slot " << slot << " of " << length;
  }

  // Neighbouring slots come from the two halves of one engine output (or from two
  // outputs); they must coincide with probability p^2, as independent draws do.
  if (length >= 2) {
    int both = 0;
    for (std::uint64_t bits : streams.bits) {
      both += static_cast<int>(bits & (bits >> 1) & 1u);
    }
    const double expected = probability * probability;
    EXPECT_NEAR(static_cast<double>(both) / kLines, expected,
                5.0 * std::sqrt(expected * (1.0 - expected) / kLines) + 1e-9);
  }
}

TEST(PulseStream, SlotFrequencyMatchesProbability) {
  expect_slot_frequencies(0.1f, 1.0, 10);
  expect_slot_frequencies(-0.5f, 1.0, 10);
  expect_slot_frequencies(0.9f, 1.0, 64);
  expect_slot_frequencies(0.3f, 0.5, 7);
  expect_slot_frequencies(0.02f, 1.0, 1);
}

TEST(PulseStream, ProbabilityClippedAtOne) {
  const std::vector<float> values = {1.0f, 2.0f, -1.5f, 0.5f};
  RandomEngine rng(12);
  PulseStreams streams;
  generate_pulse_streams(values.data(), 4, 2.0, 10, rng, streams);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(streams.bits[i], 0x3ffu) << "line " << i;
  }
  generate_pulse_streams(values.data(), 4, 2.0, 64, rng, streams);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(streams.bits[i], ~std::uint64_t{0}) << "line " << i;
  }
  EXPECT_EQ(streams.pulse_count, 4u * 64u);
}

TEST(PulseStream, ZeroValueGivesNoPulses) {
  const std::vector<float> values = {0.0f, -0.0f, 0.7f, -0.7f};
  RandomEngine rng(13);
  PulseStreams streams;
  generate_pulse_streams(values.data(), 4, 1.0, 32, rng, streams);
  EXPECT_EQ(streams.bits[0], 0u);
  EXPECT_EQ(streams.bits[1], 0u);
  EXPECT_EQ(streams.sign[0], 0);
  EXPECT_EQ(streams.sign[1], 0);
  EXPECT_EQ(streams.sign[2], 1);
  EXPECT_EQ(streams.sign[3], -1);
}

TEST(PulseStream, ZeroScaleKeepsSign) {
  const std::vector<float> values = {0.4f, -0.4f};
  RandomEngine rng(14);
  PulseStreams streams;
  generate_pulse_streams(values.data(), 2, 0.0, 10, rng, streams);
  EXPECT_EQ(streams.bits[0], 0u);
  EXPECT_EQ(streams.bits[1], 0u);
  EXPECT_EQ(streams.sign[0], 1);
  EXPECT_EQ(streams.sign[1], -1);
  EXPECT_EQ(streams.pulse_count, 0u);
  EXPECT_EQ(streams.pulsed_lines, 0u);
}

TEST(PulseStream, NoBitsAboveLength) {
  constexpr int kLines = 5000;
  std::vector<float> values(kLines);
  RandomEngine value_rng(15);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (float& value : values) {
    value = uniform(value_rng);
  }
  RandomEngine rng(16);
  PulseStreams streams;
  for (int length : {1, 2, 7, 10, 33, 63}) {
    generate_pulse_streams(values.data(), kLines, 1.5, length, rng, streams);
    EXPECT_EQ(streams.length, length);
    for (int i = 0; i < kLines; ++i) {
      ASSERT_EQ(streams.bits[i] >> length, 0u) << "line " << i << ", length " << length;
    }
  }
}

TEST(PulseStream, CountsMatchBits) {
  constexpr int kLines = 3000;
  std::vector<float> values(kLines);
  RandomEngine value_rng(17);
  std::uniform_real_distribution<float> uniform(-0.2f, 0.2f);
  for (int i = 0; i < kLines; ++i) {
    values[i] = i % 3 == 0 ? 0.0f : uniform(value_rng);
  }
  RandomEngine rng(18);
  PulseStreams streams;
  generate_pulse_streams(values.data(), kLines, 1.0, 10, rng, streams);

  std::uint64_t pulses = 0;
  std::uint32_t pulsed_lines = 0;
  for (std::uint64_t bits : streams.bits) {
    pulses += static_cast<std::uint64_t>(popcount(bits));
    pulsed_lines += bits != 0;
  }
  EXPECT_EQ(streams.pulse_count, pulses);
  EXPECT_EQ(streams.pulsed_lines, pulsed_lines);
  EXPECT_GT(pulsed_lines, 0u);
  EXPECT_LT(pulsed_lines, static_cast<std::uint32_t>(kLines));
}

TEST(PulseStream, ReuseResetsPreviousStreams) {
  const std::vector<float> many(100, 1.0f);
  const std::vector<float> few = {0.0f, 1.0f};
  RandomEngine rng(19);
  PulseStreams streams;
  generate_pulse_streams(many.data(), 100, 1.0, 10, rng, streams);
  generate_pulse_streams(few.data(), 2, 1.0, 4, rng, streams);
  ASSERT_EQ(streams.bits.size(), 2u);
  ASSERT_EQ(streams.sign.size(), 2u);
  EXPECT_EQ(streams.bits[0], 0u);
  EXPECT_EQ(streams.bits[1], 0xfu);
  EXPECT_EQ(streams.pulse_count, 4u);
  EXPECT_EQ(streams.pulsed_lines, 1u);
  EXPECT_EQ(streams.length, 4);
}

TEST(PulseStream, InvalidArgumentsThrow) {
  const float value = 0.5f;
  RandomEngine rng(20);
  PulseStreams streams;
  EXPECT_THROW(generate_pulse_streams(&value, 1, 1.0, 0, rng, streams), std::invalid_argument);
  EXPECT_THROW(generate_pulse_streams(&value, 1, 1.0, kMaxBitLength + 1, rng, streams),
               std::invalid_argument);
  EXPECT_THROW(generate_pulse_streams(&value, 1, -1.0, 10, rng, streams), std::invalid_argument);
  EXPECT_THROW(generate_pulse_streams(&value, 1, std::nan(""), 10, rng, streams),
               std::invalid_argument);
  EXPECT_THROW(generate_pulse_streams(&value, -1, 1.0, 10, rng, streams), std::invalid_argument);
}

TEST(PulseStream, SameSeedGivesSameStreams) {
  std::vector<float> values(500);
  for (int i = 0; i < 500; ++i) {
    values[i] = static_cast<float>(i % 17) / 17.0f - 0.5f;
  }
  RandomEngine first_rng(21);
  RandomEngine second_rng(21);
  PulseStreams first;
  PulseStreams second;
  generate_pulse_streams(values.data(), 500, 1.0, 10, first_rng, first);
  generate_pulse_streams(values.data(), 500, 1.0, 10, second_rng, second);
  EXPECT_EQ(first.bits, second.bits);
  EXPECT_EQ(first.sign, second.sign);
}

}  // namespace
}  // namespace rpusim
