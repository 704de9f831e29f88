#include "models/periphery/read_path.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

namespace rpusim {
namespace {

TEST(ReadPath, QuantisationStepClosedForm) {
  EXPECT_DOUBLE_EQ(quantisation_step(9, 12.0), 24.0 / 510.0);
  EXPECT_DOUBLE_EQ(quantisation_step(7, 1.0), 2.0 / 126.0);
  EXPECT_DOUBLE_EQ(quantisation_step(2, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(quantisation_step(0, 12.0), 0.0);
}

TEST(ReadPath, InvalidResolutionThrows) {
  EXPECT_THROW(quantisation_step(1, 1.0), std::invalid_argument);
  EXPECT_THROW(quantisation_step(-3, 1.0), std::invalid_argument);
  EXPECT_THROW(quantisation_step(32, 1.0), std::invalid_argument);
  EXPECT_THROW(quantisation_step(8, 0.0), std::invalid_argument);
  float value = 0.5f;
  EXPECT_THROW(quantise_symmetric(&value, 1, 1, 1.0), std::invalid_argument);
  EXPECT_EQ(value, 0.5f);
}

TEST(ReadPath, QuantiseRoundsToNearestLevel) {
  const double step = 24.0 / 510.0;
  std::vector<float> values = {0.0f,
                               static_cast<float>(0.49 * step),
                               static_cast<float>(0.51 * step),
                               static_cast<float>(-0.51 * step),
                               static_cast<float>(7.3 * step),
                               static_cast<float>(-100.6 * step),
                               12.0f,
                               -12.0f};
  const std::vector<double> expected_levels = {0, 0, 1, -1, 7, -101, 255, -255};
  const int clipped = quantise_symmetric(values.data(), 8, 9, 12.0);
  EXPECT_EQ(clipped, 0);
  for (std::size_t k = 0; k < values.size(); ++k) {
    EXPECT_NEAR(values[k], expected_levels[k] * step, 1e-6) << "value " << k;
  }
  EXPECT_EQ(values[0], 0.0f);
  EXPECT_EQ(values[1], 0.0f);
}

TEST(ReadPath, QuantiseCountsClippedValues) {
  std::vector<float> values = {12.5f, -30.0f, 11.0f, 12.0f, -12.0f, 0.0f};
  const int clipped = quantise_symmetric(values.data(), 6, 9, 12.0);
  EXPECT_EQ(clipped, 2);
  EXPECT_FLOAT_EQ(values[0], 12.0f);
  EXPECT_FLOAT_EQ(values[1], -12.0f);
  EXPECT_FLOAT_EQ(values[3], 12.0f);
  EXPECT_FLOAT_EQ(values[4], -12.0f);
}

// A dense sweep over the whole range must hit every one of the 2^9 - 1 levels, and each
// result must lie within half a step of its input.
TEST(ReadPath, QuantiseHasAllLevels) {
  const double step = quantisation_step(9, 12.0);
  constexpr int kPoints = 100001;
  std::vector<float> values(kPoints);
  for (int k = 0; k < kPoints; ++k) {
    values[k] = -12.0f + 24.0f * static_cast<float>(k) / (kPoints - 1);
  }
  const std::vector<float> inputs = values;
  quantise_symmetric(values.data(), kPoints, 9, 12.0);

  std::set<float> levels(values.begin(), values.end());
  EXPECT_EQ(levels.size(), 511u);
  for (int k = 0; k < kPoints; ++k) {
    ASSERT_LE(std::fabs(values[k] - inputs[k]), 0.5 * step + 1e-6) << "input " << inputs[k];
    ASSERT_LE(std::fabs(values[k]), 12.0f);
    const double level = values[k] / step;
    ASSERT_NEAR(level, std::nearbyint(level), 1e-3) << "input " << inputs[k];
  }
}

TEST(ReadPath, ZeroBitsOnlyClips) {
  std::vector<float> values = {0.123456f, -0.98765f, 1.5f, -2.0f};
  const int clipped = quantise_symmetric(values.data(), 4, 0, 1.0);
  EXPECT_EQ(clipped, 2);
  EXPECT_EQ(values[0], 0.123456f);
  EXPECT_EQ(values[1], -0.98765f);
  EXPECT_EQ(values[2], 1.0f);
  EXPECT_EQ(values[3], -1.0f);
}

// 200,000 outputs: the mean's standard error is 0.06 / sqrt(2e5) = 1.3e-4 and the
// standard deviation's relative standard error 0.16 %; the bounds are about 5 sigma.
TEST(ReadPath, OutputNoiseStatistics) {
  constexpr int kOutputs = 200000;
  constexpr double kSigma = 0.06;
  std::vector<float> values(kOutputs, 0.0f);
  RandomEngine rng(31);
  const int saturated = integrate_outputs(values.data(), kOutputs, kSigma, 12.0, rng);
  EXPECT_EQ(saturated, 0);

  double sum = 0.0;
  double sum_squares = 0.0;
  for (float value : values) {
    sum += value;
    sum_squares += static_cast<double>(value) * value;
  }
  const double mean = sum / kOutputs;
  const double std_dev = std::sqrt(sum_squares / kOutputs - mean * mean);
  EXPECT_NEAR(mean, 0.0, 5.0 * kSigma / std::sqrt(double{kOutputs}));
  EXPECT_NEAR(std_dev, kSigma, 0.008 * kSigma);
}

// Outputs at 11.99 with sigma 0.06 cross the bound 12 with probability
// P(xi > 1/6) = 0.43381; the count's standard deviation is about 111 for 50,000 outputs.
TEST(ReadPath, OutputSaturationCount) {
  constexpr int kOutputs = 50000;
  std::vector<float> values(kOutputs);
  for (int k = 0; k < kOutputs; ++k) {
    values[k] = k % 2 == 0 ? 11.99f : -11.99f;
  }
  RandomEngine rng(32);
  const int saturated = integrate_outputs(values.data(), kOutputs, 0.06, 12.0, rng);
  EXPECT_NEAR(saturated, 0.43381 * kOutputs, 5.0 * 111.0);

  int at_bound = 0;
  for (float value : values) {
    ASSERT_LE(std::fabs(value), 12.0f);
    at_bound += std::fabs(value) == 12.0f;
  }
  EXPECT_EQ(at_bound, saturated);
}

TEST(ReadPath, ZeroNoiseOnlyClips) {
  std::vector<float> values = {0.5f, -3.25f, 20.0f, -12.0f};
  RandomEngine rng(33);
  const RandomEngine untouched = rng;
  const int saturated = integrate_outputs(values.data(), 4, 0.0, 12.0, rng);
  EXPECT_EQ(saturated, 2);
  EXPECT_EQ(values[0], 0.5f);
  EXPECT_EQ(values[1], -3.25f);
  EXPECT_EQ(values[2], 12.0f);
  EXPECT_EQ(values[3], -12.0f);
  EXPECT_TRUE(rng == untouched);
}

TEST(ReadPath, InvalidNoiseThrows) {
  float value = 0.0f;
  RandomEngine rng(34);
  EXPECT_THROW(integrate_outputs(&value, 1, -0.1, 12.0, rng), std::invalid_argument);
  EXPECT_THROW(integrate_outputs(&value, 1, 0.1, 0.0, rng), std::invalid_argument);
}

// Values at known fractions f of a step: each result is one of the two neighbouring levels,
// the upper one with probability f. The mean over 20,000 draws is then the value within 5
// standard errors of step sqrt(f (1 - f) / 20000).
TEST(ReadPath, StochasticRoundingIsUnbiased) {
  constexpr int kDraws = 20000;
  const double step = quantisation_step(7, 1.0);
  const std::vector<double> levels = {0.0, 0.25, 3.5, -7.1, 20.9, -62.75, 62.5};
  RandomEngine rng(35);
  for (double level : levels) {
    const auto value = static_cast<float>(level * step);
    std::vector<float> values(kDraws, value);
    const int clipped = quantise_symmetric_stochastic(values.data(), kDraws, 7, 1.0, rng);
    EXPECT_EQ(clipped, 0);

    const double scaled = static_cast<double>(value) / step;
    const double below = std::floor(scaled);
    const double fraction = scaled - below;
    double sum = 0.0;
    int up = 0;
    for (float result : values) {
      const double result_level = result / step;
      ASSERT_TRUE(std::fabs(result_level - below) < 1e-4 ||
                  std::fabs(result_level - below - 1.0) < 1e-4)
          << "value " << value << " gave " << result;
      up += std::fabs(result_level - below - 1.0) < 1e-4;
      sum += result;
    }
    const double tolerance = 5.0 * std::sqrt(fraction * (1.0 - fraction) / kDraws);
    EXPECT_NEAR(static_cast<double>(up) / kDraws, fraction, tolerance + 1e-12) << "value " << value;
    EXPECT_NEAR(sum / kDraws, value, step * tolerance + 1e-7) << "value " << value;
  }
}

// A value on a level stays on it; values beyond the bound are clipped to it and counted.
TEST(ReadPath, StochasticRoundingKeepsLevels) {
  const double step = quantisation_step(5, 1.0);
  std::vector<float> values = {
      0.0f, static_cast<float>(3 * step), static_cast<float>(-10 * step), 1.0f, -1.0f, 1.7f, -3.0f};
  RandomEngine rng(36);
  for (int repeat = 0; repeat < 100; ++repeat) {
    std::vector<float> rounded = values;
    const int clipped = quantise_symmetric_stochastic(rounded.data(), 7, 5, 1.0, rng);
    EXPECT_EQ(clipped, 2);
    EXPECT_EQ(rounded[0], 0.0f);
    EXPECT_NEAR(rounded[1], 3 * step, 1e-6);
    EXPECT_NEAR(rounded[2], -10 * step, 1e-6);
    EXPECT_EQ(rounded[3], 1.0f);
    EXPECT_EQ(rounded[4], -1.0f);
    EXPECT_EQ(rounded[5], 1.0f);
    EXPECT_EQ(rounded[6], -1.0f);
  }
}

TEST(ReadPath, StochasticRoundingZeroBitsOnlyClips) {
  std::vector<float> values = {0.123456f, -2.0f};
  RandomEngine rng(37);
  const RandomEngine untouched = rng;
  EXPECT_EQ(quantise_symmetric_stochastic(values.data(), 2, 0, 1.0, rng), 1);
  EXPECT_EQ(values[0], 0.123456f);
  EXPECT_EQ(values[1], -1.0f);
  EXPECT_TRUE(rng == untouched);
}

TEST(ReadPath, StochasticRoundingInvalidThrows) {
  float value = 0.5f;
  RandomEngine rng(38);
  EXPECT_THROW(quantise_symmetric_stochastic(&value, 1, 1, 1.0, rng), std::invalid_argument);
  EXPECT_THROW(quantise_symmetric_stochastic(&value, 1, 7, 0.0, rng), std::invalid_argument);
  EXPECT_EQ(value, 0.5f);
}

}  // namespace
}  // namespace rpusim
