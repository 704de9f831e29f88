#include "models/translator/pulse_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "models/tile/crossbar_array.hpp"

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

TEST(PulseStream, SchemeNamesRoundTrip) {
  for (PulseScheme scheme : {PulseScheme::stochastic, PulseScheme::deterministic}) {
    EXPECT_EQ(parse_pulse_scheme(pulse_scheme_name(scheme)), scheme);
  }
  EXPECT_STREQ(pulse_scheme_name(PulseScheme::deterministic), "deterministic");
  EXPECT_THROW(parse_pulse_scheme("bernoulli"), std::invalid_argument);
}

TEST(PulseStream, DeterministicCountRounds) {
  EXPECT_EQ(deterministic_pulse_count(0.0f, 1.0, 10), 0);
  EXPECT_EQ(deterministic_pulse_count(0.04f, 1.0, 10), 0);
  EXPECT_EQ(deterministic_pulse_count(0.06f, 1.0, 10), 1);
  EXPECT_EQ(deterministic_pulse_count(-0.25f, 1.0, 10), 3);  // 2.5 rounds up
  EXPECT_EQ(deterministic_pulse_count(0.5f, 1.0, 10), 5);
  EXPECT_EQ(deterministic_pulse_count(0.3f, 2.0, 10), 6);
  EXPECT_EQ(deterministic_pulse_count(0.9f, 2.0, 10), 10);  // clipped at BL
  EXPECT_EQ(deterministic_pulse_count(-7.0f, 1.0, 64), 64);
  EXPECT_EQ(deterministic_pulse_count(std::nanf(""), 1.0, 10), 0);
}

// Input lines pulse in slots 0..n-1; output lines in slots floor((2k + 1) BL / (2n)).
TEST(PulseStream, DeterministicPositions) {
  const std::vector<float> values = {0.3f, -1.0f, 0.0f, 0.1f, -0.5f};
  RandomEngine rng(22);
  const RandomEngine untouched = rng;
  PulseStreams input;
  PulseStreams output;
  generate_pulse_streams(PulseScheme::deterministic, PulseLineSide::input, values.data(), 5, 1.0,
                         10, rng, input);
  generate_pulse_streams(PulseScheme::deterministic, PulseLineSide::output, values.data(), 5, 1.0,
                         10, rng, output);
  EXPECT_TRUE(rng == untouched);
  EXPECT_EQ(input.bits, (std::vector<std::uint64_t>{0b111, 0x3ff, 0, 0b1, 0b11111}));
  // n = 3: slots 1, 5, 8; n = 10: all; n = 1: slot 5; n = 5: slots 1, 3, 5, 7, 9.
  EXPECT_EQ(output.bits,
            (std::vector<std::uint64_t>{0b100100010, 0x3ff, 0, 0b100000, 0b1010101010}));
  EXPECT_EQ(input.sign, (std::vector<std::int8_t>{1, -1, 0, 1, -1}));
  EXPECT_EQ(output.sign, input.sign);
  EXPECT_EQ(input.pulse_count, 19u);
  EXPECT_EQ(output.pulse_count, 19u);
  EXPECT_EQ(input.pulsed_lines, 4u);
  EXPECT_EQ(output.pulsed_lines, 4u);
  EXPECT_EQ(input.length, 10);
}

// For every pair of counts the coincidences are c = ceil(n_x n_d / BL - 1/2), computed here
// as (2 n_x n_d + BL - 1) / (2 BL) in integers, and within 1/2 of n_x n_d / BL. The values
// (n + 0.25) / BL give exactly n pulses.
TEST(PulseStream, DeterministicCoincidenceCount) {
  for (int length : {1, 2, 7, 10, 16, 63, 64}) {
    std::vector<float> values;
    for (int n = 0; n <= length; ++n) {
      values.push_back(static_cast<float>((n + 0.25) / length));
    }
    const int count = length + 1;
    PulseStreams input;
    PulseStreams output;
    generate_deterministic_pulse_streams(values.data(), count, 1.0, length, PulseLineSide::input,
                                         input);
    generate_deterministic_pulse_streams(values.data(), count, 1.0, length, PulseLineSide::output,
                                         output);
    for (int n_x = 0; n_x <= length; ++n_x) {
      ASSERT_EQ(popcount(input.bits[n_x]), n_x) << "length " << length;
      ASSERT_EQ(popcount(output.bits[n_x]), n_x) << "length " << length;
      if (length < 64) {
        ASSERT_EQ(output.bits[n_x] >> length, 0u) << "length " << length;
      }
      for (int n_d = 0; n_d <= length; ++n_d) {
        const int c = popcount(input.bits[n_x] & output.bits[n_d]);
        ASSERT_EQ(c, (2 * n_x * n_d + length - 1) / (2 * length))
            << "n_x " << n_x << ", n_d " << n_d << ", length " << length;
        ASSERT_LE(std::fabs(c - static_cast<double>(n_x) * n_d / length), 0.5)
            << "n_x " << n_x << ", n_d " << n_d << ", length " << length;
      }
    }
  }
}

// A noise-free ConstantStep array updated with deterministic streams changes by c dw
// sign(x d). With C = 1, BL = 10 and eta = BL dw C^2 this equals eta x d exactly where
// BL |x| and BL |d| are integers whose product BL divides, and stays within
// dw (1/2 + (C |x| + C |d|) / 2 + 1 / (4 BL)) of it everywhere.
TEST(PulseStream, DeterministicUpdateApproximatesProduct) {
  constexpr int kLength = 10;
  constexpr double kDw = 0.001;
  constexpr double kEta = kLength * kDw;
  ConstantStepParams device;
  device.dw_min_dtod = 0.0;
  device.dw_min_std = 0.0;
  device.w_max = 100.0;
  device.w_min = -100.0;
  device.w_max_dtod = 0.0;
  device.w_min_dtod = 0.0;
  device.up_down_dtod = 0.0;

  // Exact cases: (n_x, n_d) = (10, k), (5, 2), (5, 4), (2, 5), (4, 5), (0, k).
  const std::vector<float> exact_x = {1.0f, -1.0f, 0.5f, -0.2f, 0.4f, 0.0f};
  const std::vector<float> exact_d = {0.3f, -0.7f, 0.2f, -0.4f, 0.5f, -1.0f};
  RandomEngine rng(23);
  CrossbarArray exact(6, 6, device, rng);
  PulseStreams input;
  PulseStreams output;
  generate_deterministic_pulse_streams(exact_x.data(), 6, 1.0, kLength, PulseLineSide::input,
                                       input);
  generate_deterministic_pulse_streams(exact_d.data(), 6, 1.0, kLength, PulseLineSide::output,
                                       output);
  exact.apply_pulses(input, output, rng);
  const std::vector<std::pair<int, int>> exact_pairs = {{0, 0}, {0, 1}, {1, 2}, {1, 3}, {2, 2},
                                                        {2, 5}, {3, 4}, {4, 4}, {5, 0}, {5, 3}};
  for (const auto& [i, j] : exact_pairs) {
    EXPECT_NEAR(exact.weight(j, i), kEta * exact_x[i] * exact_d[j], 1e-9)
        << "x " << exact_x[i] << ", d " << exact_d[j];
  }

  // A grid of values, most of them between the levels 1 / BL.
  std::vector<float> grid;
  for (int k = -20; k <= 20; ++k) {
    grid.push_back(static_cast<float>(k) / 20.0f + 0.013f);
  }
  const int lines = static_cast<int>(grid.size());
  CrossbarArray array(lines, lines, device, rng);
  generate_deterministic_pulse_streams(grid.data(), lines, 1.0, kLength, PulseLineSide::input,
                                       input);
  generate_deterministic_pulse_streams(grid.data(), lines, 1.0, kLength, PulseLineSide::output,
                                       output);
  array.apply_pulses(input, output, rng);
  double max_error = 0.0;
  double max_bound_fraction = 0.0;
  for (int j = 0; j < lines; ++j) {
    for (int i = 0; i < lines; ++i) {
      const double x = grid[i];
      const double d = grid[j];
      const double error = std::fabs(array.weight(j, i) - kEta * x * d);
      const double bound =
          kDw * (0.5 + (std::fabs(x) + std::fabs(d)) / 2.0 + 1.0 / (4.0 * kLength));
      ASSERT_LE(error, bound + 1e-9) << "x " << x << ", d " << d;
      max_error = std::max(max_error, error / kDw);
      max_bound_fraction = std::max(max_bound_fraction, error / bound);
    }
  }
  // The bound is not loose: on this grid the largest error is 1.03 dw, 85 % of its bound.
  EXPECT_GT(max_error, 1.0);
  EXPECT_GT(max_bound_fraction, 0.8);
}

TEST(PulseStream, DeterministicInvalidArgumentsThrow) {
  const float value = 0.5f;
  PulseStreams streams;
  EXPECT_THROW(
      generate_deterministic_pulse_streams(&value, 1, 1.0, 0, PulseLineSide::input, streams),
      std::invalid_argument);
  EXPECT_THROW(
      generate_deterministic_pulse_streams(&value, 1, -1.0, 10, PulseLineSide::output, streams),
      std::invalid_argument);
  EXPECT_THROW(
      generate_deterministic_pulse_streams(&value, -1, 1.0, 10, PulseLineSide::input, streams),
      std::invalid_argument);
}

}  // namespace
}  // namespace rpusim
