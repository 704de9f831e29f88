#include "tests/unit/numerics_test_helpers.hpp"
#include "models/device/constant_step_device.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace rpusim {
namespace {

using testing::SampleMoments;
using testing::moments;

ConstantStepParams ideal_params() {
  ConstantStepParams params;
  params.dw_min_dtod = 0.0;
  params.dw_min_std = 0.0;
  params.w_max_dtod = 0.0;
  params.w_min_dtod = 0.0;
  params.up_down = 0.0;
  params.up_down_dtod = 0.0;
  return params;
}

TEST(ConstantStepDevice, SampleSizesMatchCount) {
  RandomEngine rng(1);
  const DeviceArrayState state = sample_device_array(ConstantStepParams{}, 123, rng);
  EXPECT_EQ(state.dw_up.size(), 123u);
  EXPECT_EQ(state.dw_down.size(), 123u);
  EXPECT_EQ(state.w_max.size(), 123u);
  EXPECT_EQ(state.w_min.size(), 123u);
}

TEST(ConstantStepDevice, IdealDevicesAreIdentical) {
  RandomEngine rng(2);
  const ConstantStepParams params = ideal_params();
  const DeviceArrayState state = sample_device_array(params, 100, rng);
  for (std::size_t k = 0; k < 100; ++k) {
    EXPECT_FLOAT_EQ(state.dw_up[k], 0.001f);
    EXPECT_FLOAT_EQ(state.dw_down[k], 0.001f);
    EXPECT_FLOAT_EQ(state.w_max[k], 0.6f);
    EXPECT_FLOAT_EQ(state.w_min[k], -0.6f);
  }
}

TEST(ConstantStepDevice, GlobalUpDownAsymmetry) {
  RandomEngine rng(3);
  ConstantStepParams params = ideal_params();
  params.up_down = 0.1;
  const DeviceArrayState state = sample_device_array(params, 50, rng);
  for (std::size_t k = 0; k < 50; ++k) {
    EXPECT_FLOAT_EQ(state.dw_up[k], 0.0011f);
    EXPECT_FLOAT_EQ(state.dw_down[k], 0.0009f);
  }
}

// 100,000 devices: the mean has a relative standard error of 0.3 / sqrt(1e5) = 0.1 % and
// the standard deviation one of about 0.22 %; the bounds below are about 5 sigma.
TEST(ConstantStepDevice, DeviceToDeviceSpreadStatistics) {
  constexpr std::size_t kDevices = 100000;
  RandomEngine rng(4);
  ConstantStepParams params;
  params.up_down = 0.05;
  params.up_down_dtod = 0.01;
  const DeviceArrayState state = sample_device_array(params, kDevices, rng);

  std::vector<double> step(kDevices);
  std::vector<double> beta;
  std::vector<double> upper(kDevices);
  std::vector<double> lower(kDevices);
  for (std::size_t k = 0; k < kDevices; ++k) {
    const double up = state.dw_up[k];
    const double down = state.dw_down[k];
    step[k] = 0.5 * (up + down);
    upper[k] = state.w_max[k];
    lower[k] = state.w_min[k];
    // About 0.04 % of the steps are clipped to 0, which hides their beta. Beta is drawn
    // independently of the step, so leaving these devices out does not bias it.
    if (up + down > 0.0) {
      beta.push_back((up - down) / (up + down));
    }
  }

  const SampleMoments step_moments = moments(step);
  EXPECT_NEAR(step_moments.mean, 0.001, 0.005 * 0.001);
  EXPECT_NEAR(step_moments.std_dev, 0.3 * 0.001, 0.012 * 0.3 * 0.001);

  const SampleMoments beta_moments = moments(beta);
  EXPECT_NEAR(beta_moments.mean, 0.05, 5.0 * 0.01 / std::sqrt(double{kDevices}));
  EXPECT_NEAR(beta_moments.std_dev, 0.01, 0.012 * 0.01);

  const SampleMoments upper_moments = moments(upper);
  EXPECT_NEAR(upper_moments.mean, 0.6, 0.005 * 0.6);
  EXPECT_NEAR(upper_moments.std_dev, 0.18, 0.012 * 0.18);

  const SampleMoments lower_moments = moments(lower);
  EXPECT_NEAR(lower_moments.mean, -0.6, 0.005 * 0.6);
  EXPECT_NEAR(lower_moments.std_dev, 0.18, 0.012 * 0.18);
}

// A spread of 150 % pushes about a quarter of all draws across zero, so every clipping
// rule is exercised.
TEST(ConstantStepDevice, LargeSpreadIsClippedAtZero) {
  constexpr std::size_t kDevices = 20000;
  RandomEngine rng(5);
  ConstantStepParams params;
  params.dw_min_dtod = 1.5;
  params.w_max_dtod = 1.5;
  params.w_min_dtod = 1.5;
  params.up_down_dtod = 1.5;
  const DeviceArrayState state = sample_device_array(params, kDevices, rng);

  int zero_steps = 0;
  int zero_upper = 0;
  int zero_lower = 0;
  for (std::size_t k = 0; k < kDevices; ++k) {
    ASSERT_GE(state.dw_up[k], 0.0f);
    ASSERT_GE(state.dw_down[k], 0.0f);
    ASSERT_GE(state.w_max[k], 0.0f);
    ASSERT_LE(state.w_min[k], 0.0f);
    zero_steps += state.dw_up[k] == 0.0f;
    zero_upper += state.w_max[k] == 0.0f;
    zero_lower += state.w_min[k] == 0.0f;
  }
  EXPECT_GT(zero_steps, 0);
  EXPECT_GT(zero_upper, 0);
  EXPECT_GT(zero_lower, 0);
}

TEST(ConstantStepDevice, SameSeedGivesSameDevices) {
  RandomEngine first_rng(6);
  RandomEngine second_rng(6);
  const DeviceArrayState first = sample_device_array(ConstantStepParams{}, 1000, first_rng);
  const DeviceArrayState second = sample_device_array(ConstantStepParams{}, 1000, second_rng);
  EXPECT_EQ(first.dw_up, second.dw_up);
  EXPECT_EQ(first.dw_down, second.dw_down);
  EXPECT_EQ(first.w_max, second.w_max);
  EXPECT_EQ(first.w_min, second.w_min);
}

TEST(ConstantStepDevice, ZeroCountGivesEmptyState) {
  RandomEngine rng(7);
  const DeviceArrayState state = sample_device_array(ConstantStepParams{}, 0, rng);
  EXPECT_TRUE(state.dw_up.empty());
  EXPECT_TRUE(state.w_min.empty());
}

// Each stored value is within half a scale of the value given (plus the float rounding of
// code * scale), the scale is the largest magnitude over 65535, and the largest value is kept.
TEST(QuantisedValues, StoresWithinHalfAScale) {
  std::mt19937_64 rng(8);
  for (const float sign : {1.0f, -1.0f}) {
    std::uniform_real_distribution<float> magnitude(0.0f, 0.0027f);
    std::vector<float> values(5000);
    for (float& value : values) {
      value = sign * magnitude(rng);
    }
    values[17] = 0.0f;
    values[99] = sign * 0.003f;
    const QuantisedValues quantised(values);

    ASSERT_EQ(quantised.size(), values.size());
    EXPECT_FLOAT_EQ(quantised.scale(), sign * 0.003f / 65535.0f);
    EXPECT_FLOAT_EQ(quantised[99], values[99]);
    EXPECT_EQ(quantised[17], 0.0f);
    const double half_scale = 0.5 * std::fabs(quantised.scale());
    for (std::size_t k = 0; k < values.size(); ++k) {
      EXPECT_EQ(quantised[k], static_cast<float>(quantised.codes()[k]) * quantised.scale());
      EXPECT_NEAR(quantised[k], values[k], half_scale + 1.2e-7 * std::fabs(values[k]))
          << "value " << k;
      EXPECT_GE(sign * quantised[k], 0.0f) << "value " << k;
    }
  }
}

TEST(QuantisedValues, ZerosAndEmpty) {
  const QuantisedValues zeros(std::vector<float>(10, 0.0f));
  EXPECT_EQ(zeros.scale(), 0.0f);
  for (std::size_t k = 0; k < zeros.size(); ++k) {
    EXPECT_EQ(zeros[k], 0.0f);
  }
  EXPECT_TRUE(QuantisedValues(std::vector<float>{}).empty());
  EXPECT_TRUE(QuantisedValues().empty());
}

// The quantised steps and bounds keep the mean and spread of the drawn ones: 16 bits resolve
// them to about 2e-5 of a typical value, far below the 0.1 % sampling error of 100,000
// devices that DeviceToDeviceSpreadStatistics allows.
TEST(ConstantStepDevice, QuantisationStepIsSmall) {
  RandomEngine rng(9);
  const DeviceArrayState state = sample_device_array(ConstantStepParams{}, 100000, rng);
  EXPECT_LT(state.dw_up.scale(), 2e-5 * 0.001 * 3.0);
  EXPECT_LT(state.w_max.scale(), 2e-5 * 0.6 * 3.0);
  EXPECT_GT(state.w_min.scale(), -2e-5 * 0.6 * 3.0);
}

}  // namespace
}  // namespace rpusim
