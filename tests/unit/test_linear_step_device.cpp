#include "tests/unit/numerics_test_helpers.hpp"
#include "models/device/linear_step_device.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "models/tile/crossbar_array.hpp"
#include "models/translator/pulse_stream.hpp"

namespace rpusim {
namespace {

using testing::SampleMoments;
using testing::moments;

// A device of `model` without any spread or noise, bounds +-0.6 and dw_min 0.001.
DeviceParams ideal_device(DeviceModel model) {
  DeviceParams params;
  params.model = model;
  params.dw_min_dtod = 0.0;
  params.dw_min_std = 0.0;
  params.w_max_dtod = 0.0;
  params.w_min_dtod = 0.0;
  params.up_down = 0.0;
  params.up_down_dtod = 0.0;
  params.gamma_up_dtod = 0.0;
  params.gamma_down_dtod = 0.0;
  return params;
}

// Streams in which every line pulses in every one of `length` slots with the sign of its
// value, so cross-point (j, i) gets `length` coincidences in direction sign(x_i d_j).
void full_streams(const std::vector<float>& values, int length, PulseStreams& streams) {
  RandomEngine unused(0);
  std::vector<float> saturated(values.size());
  std::transform(values.begin(), values.end(), saturated.begin(),
                 [](float value) { return value > 0.0f ? 1.0f : (value < 0.0f ? -1.0f : 0.0f); });
  generate_pulse_streams(saturated.data(), static_cast<int>(values.size()), 1.0, length, unused,
                         streams);
}

TEST(LinearStepDevice, ModelNamesRoundTrip) {
  for (DeviceModel model : kDeviceModels) {
    EXPECT_EQ(parse_device_model(device_model_name(model)), model);
  }
  EXPECT_STREQ(device_model_name(DeviceModel::soft_bounds), "soft_bounds");
  EXPECT_THROW(parse_device_model("SoftBounds"), std::invalid_argument);
}

TEST(LinearStepDevice, InvalidParamsThrow) {
  DeviceParams params;
  EXPECT_NO_THROW(validate_device_params(params));
  params.half_select_factor = 1.0;
  EXPECT_NO_THROW(validate_device_params(params));
  params.half_select_factor = 1.5;
  EXPECT_THROW(validate_device_params(params), std::invalid_argument);
  params.half_select_factor = -0.1;
  EXPECT_THROW(validate_device_params(params), std::invalid_argument);
  params = DeviceParams{};
  params.gamma_up_dtod = -0.01;
  EXPECT_THROW(validate_device_params(params), std::invalid_argument);
  params = DeviceParams{};
  params.gamma_down = std::nan("");
  EXPECT_THROW(validate_device_params(params), std::invalid_argument);

  RandomEngine rng(1);
  params = DeviceParams{};
  params.half_select_factor = 2.0;
  EXPECT_THROW(CrossbarArray(2, 2, params, rng), std::invalid_argument);
}

TEST(LinearStepDevice, SoftBoundsFixesGamma) {
  DeviceParams params;
  params.model = DeviceModel::soft_bounds;
  params.gamma_up = 0.3;
  params.gamma_down_dtod = 0.2;
  params.allow_increasing = true;
  params.mult_noise = false;
  const DeviceParams resolved = linear_step_params(params);
  EXPECT_EQ(resolved.gamma_up, 1.0);
  EXPECT_EQ(resolved.gamma_down, 1.0);
  EXPECT_EQ(resolved.gamma_up_dtod, 0.0);
  EXPECT_EQ(resolved.gamma_down_dtod, 0.0);
  EXPECT_FALSE(resolved.allow_increasing);
  EXPECT_FALSE(resolved.mean_bound_reference);
  EXPECT_FALSE(resolved.mult_noise);

  params.model = DeviceModel::linear_step;
  EXPECT_EQ(linear_step_params(params).gamma_up, 0.3);
  EXPECT_TRUE(linear_step_params(params).allow_increasing);
}

// The state-dependent models draw the ConstantStep part first, so the same seed gives the
// same steps and bounds as a ConstantStep array. Only they carry slopes.
TEST(LinearStepDevice, SharesConstantStepDraws) {
  for (DeviceModel model : {DeviceModel::linear_step, DeviceModel::soft_bounds}) {
    DeviceParams params;
    params.model = model;
    RandomEngine constant_rng(2);
    RandomEngine linear_rng(2);
    const DeviceArrayState constant =
        sample_device_array(static_cast<const ConstantStepParams&>(params), 500, constant_rng);
    const DeviceArrayState linear = sample_device_array(params, 500, linear_rng);
    EXPECT_EQ(linear.dw_up, constant.dw_up);
    EXPECT_EQ(linear.dw_down, constant.dw_down);
    EXPECT_EQ(linear.w_max, constant.w_max);
    EXPECT_EQ(linear.w_min, constant.w_min);
    EXPECT_EQ(linear.slope_up.size(), 500u);
    EXPECT_EQ(linear.slope_down.size(), 500u);
    EXPECT_TRUE(constant.slope_up.empty());
  }
  RandomEngine rng(3);
  EXPECT_TRUE(sample_device_array(DeviceParams{}, 10, rng).slope_down.empty());
}

// SoftBounds uses each device's own bounds: the step reaches zero exactly there. A bound
// clipped to 0 (a 3.3 sigma draw at 30 % spread) gives a slope of 0.
TEST(LinearStepDevice, SoftBoundsSlopesReachZeroAtBounds) {
  DeviceParams params;
  params.model = DeviceModel::soft_bounds;
  RandomEngine rng(4);
  const DeviceArrayState state = sample_device_array(params, 2000, rng);
  for (std::size_t k = 0; k < 2000; ++k) {
    ASSERT_LE(state.slope_up[k], 0.0f);
    ASSERT_GE(state.slope_down[k], 0.0f);
    if (state.w_max[k] == 0.0f) {
      EXPECT_EQ(state.slope_up[k], 0.0f) << "device " << k;
    } else {
      const double up_at_bound = state.dw_up[k] + state.slope_up[k] * state.w_max[k];
      ASSERT_NEAR(up_at_bound, 0.0, 1e-9) << "device " << k;
    }
    if (state.w_min[k] == 0.0f) {
      EXPECT_EQ(state.slope_down[k], 0.0f) << "device " << k;
    } else {
      const double down_at_bound = state.dw_down[k] + state.slope_down[k] * state.w_min[k];
      ASSERT_NEAR(down_at_bound, 0.0, 1e-9) << "device " << k;
    }
  }
}

// gamma_ij = -slope ref / dw recovers each device's draw. 50,000 devices: the mean's standard
// error is 0.05 / sqrt(5e4) = 2.2e-4 and the standard deviation's about 0.32 %; the bounds
// are 5 standard errors.
TEST(LinearStepDevice, GammaSpreadStatistics) {
  constexpr std::size_t kDevices = 50000;
  DeviceParams params = ideal_device(DeviceModel::linear_step);
  params.gamma_up = 0.3;
  params.gamma_down = 0.2;
  params.gamma_up_dtod = 0.05;
  params.gamma_down_dtod = 0.05;
  RandomEngine rng(5);
  const DeviceArrayState state = sample_device_array(params, kDevices, rng);

  std::vector<double> gamma_up(kDevices);
  std::vector<double> gamma_down(kDevices);
  for (std::size_t k = 0; k < kDevices; ++k) {
    gamma_up[k] = -static_cast<double>(state.slope_up[k]) * params.w_max / state.dw_up[k];
    gamma_down[k] = -static_cast<double>(state.slope_down[k]) * params.w_min / state.dw_down[k];
  }
  const double mean_tolerance = 5.0 * 0.05 / std::sqrt(double{kDevices});
  const SampleMoments up = moments(gamma_up);
  EXPECT_NEAR(up.mean, 0.3, mean_tolerance);
  EXPECT_NEAR(up.std_dev, 0.05, 0.016 * 0.05);
  const SampleMoments down = moments(gamma_down);
  EXPECT_NEAR(down.mean, 0.2, mean_tolerance);
  EXPECT_NEAR(down.std_dev, 0.05, 0.016 * 0.05);
}

// With gamma = 0 the draws are |N(0, 0.05)| unless allow_increasing keeps their sign:
// E|xi| = 0.05 sqrt(2 / pi) = 0.039894.
TEST(LinearStepDevice, AllowIncreasingKeepsSign) {
  constexpr std::size_t kDevices = 50000;
  DeviceParams params = ideal_device(DeviceModel::linear_step);
  params.gamma_up_dtod = 0.05;
  for (const bool allow_increasing : {false, true}) {
    params.allow_increasing = allow_increasing;
    RandomEngine rng(6);
    const DeviceArrayState state = sample_device_array(params, kDevices, rng);
    std::vector<double> gamma(kDevices);
    int negative = 0;
    for (std::size_t k = 0; k < kDevices; ++k) {
      gamma[k] = -static_cast<double>(state.slope_up[k]) * params.w_max / state.dw_up[k];
      negative += gamma[k] < 0.0;
    }
    const double mean = moments(gamma).mean;
    if (allow_increasing) {
      EXPECT_NEAR(mean, 0.0, 5.0 * 0.05 / std::sqrt(double{kDevices}));
      EXPECT_NEAR(negative, kDevices / 2, 5.0 * std::sqrt(kDevices / 4.0));
    } else {
      EXPECT_NEAR(mean, 0.039894, 5.0 * 0.05 * 0.6028 / std::sqrt(double{kDevices}));
      EXPECT_EQ(negative, 0);
    }
  }
}

// mean_bound_reference divides by the mean bound w_max, not by the device's own w_max_ij.
TEST(LinearStepDevice, MeanBoundReference) {
  DeviceParams params = ideal_device(DeviceModel::linear_step);
  params.w_max_dtod = 0.3;
  params.w_min_dtod = 0.3;
  params.gamma_up = 0.5;
  params.gamma_down = 0.5;
  for (const bool mean_reference : {true, false}) {
    params.mean_bound_reference = mean_reference;
    RandomEngine rng(7);
    const DeviceArrayState state = sample_device_array(params, 100, rng);
    for (std::size_t k = 0; k < 100; ++k) {
      const double reference_up = mean_reference ? params.w_max : state.w_max[k];
      const double reference_down = mean_reference ? params.w_min : state.w_min[k];
      EXPECT_FLOAT_EQ(state.slope_up[k], static_cast<float>(-0.5 * 0.001 / reference_up));
      EXPECT_FLOAT_EQ(state.slope_down[k], static_cast<float>(-0.5 * 0.001 / reference_down));
    }
  }
}

// One coincidence at weight w moves a LinearStep device by dw (1 - gamma w / 0.6) up and by
// dw (1 - gamma w / -0.6) down: up steps shrink as w grows and down steps as w falls.
TEST(LinearStepDevice, StepShrinksTowardsBound) {
  const std::vector<float> start = {-0.5f, -0.25f, 0.0f, 0.25f, 0.5f};
  const int count = static_cast<int>(start.size());
  DeviceParams params = ideal_device(DeviceModel::linear_step);
  params.gamma_up = 0.5;
  params.gamma_down = 0.4;
  RandomEngine rng(8);
  CrossbarArray array(2, count, params, rng);
  std::vector<float> weights(start);
  weights.insert(weights.end(), start.begin(), start.end());

  PulseStreams input_streams;
  PulseStreams output_streams;
  full_streams(std::vector<float>(count, 1.0f), 1, input_streams);
  full_streams({1.0f, -1.0f}, 1, output_streams);
  array.set_weights(weights);
  array.apply_pulses(input_streams, output_streams, rng);

  double previous_up = 1.0;
  double previous_down = 0.0;
  for (int i = 0; i < count; ++i) {
    const double w = start[i];
    const double up_step = array.weight(0, i) - w;
    const double down_step = w - array.weight(1, i);
    // The tolerance is two float ulps of w.
    EXPECT_NEAR(up_step, 0.001 * (1.0 - 0.5 * w / 0.6), 1.2e-7) << "w = " << w;
    EXPECT_NEAR(down_step, 0.001 * (1.0 + 0.4 * w / 0.6), 1.2e-7) << "w = " << w;
    EXPECT_LT(up_step, previous_up) << "w = " << w;
    EXPECT_GT(down_step, previous_down) << "w = " << w;
    previous_up = up_step;
    previous_down = down_step;
  }
}

// With allow_increasing a negative gamma makes the steps grow towards the bound.
TEST(LinearStepDevice, NegativeGammaGrowsSteps) {
  DeviceParams params = ideal_device(DeviceModel::linear_step);
  params.gamma_up = -0.5;
  params.allow_increasing = true;
  RandomEngine rng(9);
  CrossbarArray array(1, 2, params, rng);
  array.set_weights({0.0f, 0.3f});
  PulseStreams input_streams;
  PulseStreams output_streams;
  full_streams({1.0f, 1.0f}, 1, input_streams);
  full_streams({1.0f}, 1, output_streams);
  array.apply_pulses(input_streams, output_streams, rng);
  EXPECT_NEAR(array.weight(0, 0), 0.001, 1e-9);
  EXPECT_NEAR(array.weight(0, 1) - 0.3, 0.001 * 1.25, 6e-8);

  params.allow_increasing = false;  // the same gamma then counts as +0.5
  RandomEngine second_rng(9);
  CrossbarArray decreasing(1, 2, params, second_rng);
  decreasing.set_weights({0.0f, 0.3f});
  decreasing.apply_pulses(input_streams, output_streams, second_rng);
  EXPECT_NEAR(decreasing.weight(0, 1) - 0.3, 0.001 * 0.75, 6e-8);
}

// From w = 0, m pulses take a SoftBounds device of step dw towards bound b to
// b (1 - (1 - dw / |b|)^m): a geometric approach that never crosses b. Devices keep their
// spread of steps and bounds; each follows its own closed form. The tolerance is far above
// the float rounding of 1,000 steps and far below one step.
TEST(LinearStepDevice, SoftBoundsApproachIsGeometric) {
  constexpr int kLines = 32;
  constexpr int kLength = 50;
  DeviceParams params;
  params.model = DeviceModel::soft_bounds;
  params.dw_min = 0.01;
  params.dw_min_std = 0.0;
  RandomEngine rng(10);
  CrossbarArray array(2, kLines, params, rng);
  const DeviceArrayState& devices = array.devices();
  PulseStreams input_streams;
  PulseStreams output_streams;
  full_streams(std::vector<float>(kLines, 1.0f), kLength, input_streams);
  full_streams({1.0f, -1.0f}, kLength, output_streams);

  for (int update = 1; update <= 20; ++update) {
    array.apply_pulses(input_streams, output_streams, rng);
    const int pulses = update * kLength;
    for (int i = 0; i < kLines; ++i) {
      const std::size_t up = static_cast<std::size_t>(i);
      const std::size_t down = static_cast<std::size_t>(kLines + i);
      const double upper = devices.w_max[up];
      const double lower = devices.w_min[down];
      const double expected_up =
          upper == 0.0 ? 0.0 : upper * (1.0 - std::pow(1.0 - devices.dw_up[up] / upper, pulses));
      const double expected_down =
          lower == 0.0 ? 0.0
                       : lower * (1.0 - std::pow(1.0 + devices.dw_down[down] / lower, pulses));
      ASSERT_NEAR(array.weight(0, i), expected_up, 1e-5) << "input " << i;
      ASSERT_NEAR(array.weight(1, i), expected_down, 1e-5) << "input " << i;
      ASSERT_LE(array.weight(0, i), devices.w_max[up]);
      ASSERT_GE(array.weight(1, i), devices.w_min[down]);
    }
  }
}

// Cycle-to-cycle noise and device spread of the default SoftBounds device: 400 updates of 64
// pulses drive every weight far towards its bound, and none ever crosses it.
TEST(LinearStepDevice, SoftBoundsNeverCrossBounds) {
  constexpr int kInputs = 24;
  constexpr int kOutputs = 16;
  DeviceParams params;
  params.model = DeviceModel::soft_bounds;
  params.dw_min = 0.01;
  params.dw_min_std = 1.0;  // mult_noise: some steps reverse, none may overshoot the bound
  RandomEngine rng(11);
  CrossbarArray array(kOutputs, kInputs, params, rng);
  const DeviceArrayState& devices = array.devices();
  PulseStreams input_streams;
  PulseStreams output_streams;
  full_streams(std::vector<float>(kInputs, 1.0f), 64, input_streams);

  for (const float error : {1.0f, -1.0f}) {
    full_streams(std::vector<float>(kOutputs, error), 64, output_streams);
    for (int update = 0; update < 400; ++update) {
      array.apply_pulses(input_streams, output_streams, rng);
      for (std::size_t k = 0; k < array.weights().size(); ++k) {
        ASSERT_LE(array.weights()[k], devices.w_max[k]) << "cross-point " << k;
        ASSERT_GE(array.weights()[k], devices.w_min[k]) << "cross-point " << k;
      }
    }

    // A device whose step was clipped to 0 (a 3.3 sigma draw) does not move.
    for (std::size_t k = 0; k < array.weights().size(); ++k) {
      const bool moves = error > 0 ? devices.dw_up[k] > 0.0f : devices.dw_down[k] > 0.0f;
      const double bound = error > 0 ? devices.w_max[k] : devices.w_min[k];
      if (moves) {
        EXPECT_NEAR(array.weights()[k], bound, 0.05 * std::fabs(bound) + 1e-6)
            << "cross-point " << k;
      }
    }
  }
}

// With gamma = 0 a LinearStep device is a ConstantStep device whose n pulses draw their noise
// one at a time. Mean BL dw C^2 x d within 5 standard errors and variance
// dw^2 (BL q (1 - q) + dw_min_std^2 BL q), q = C^2 |x d|, within 10 %, for both noise types.
TEST(LinearStepDevice, ZeroGammaMatchesConstantStep) {
  const std::vector<float> x = {0.9f, -0.5f, 0.7f};
  const std::vector<float> d = {0.8f, -0.6f};
  constexpr double kScale = 0.8;
  constexpr int kLength = 10;
  constexpr int kRepetitions = 20000;
  constexpr double kStepStd = 0.3;
  for (const bool mult_noise : {true, false}) {
    DeviceParams params = ideal_device(DeviceModel::linear_step);
    params.w_max = 100.0;
    params.w_min = -100.0;
    params.dw_min_std = kStepStd;
    params.mult_noise = mult_noise;
    RandomEngine rng(12);
    CrossbarArray array(2, 3, params, rng);
    const std::vector<float> zeros(6, 0.0f);
    std::vector<double> sum(6, 0.0);
    std::vector<double> sum_squares(6, 0.0);
    PulseStreams input_streams;
    PulseStreams output_streams;
    for (int rep = 0; rep < kRepetitions; ++rep) {
      array.set_weights(zeros);
      generate_pulse_streams(x.data(), 3, kScale, kLength, rng, input_streams);
      generate_pulse_streams(d.data(), 2, kScale, kLength, rng, output_streams);
      array.apply_pulses(input_streams, output_streams, rng);
      for (std::size_t k = 0; k < 6; ++k) {
        sum[k] += array.weights()[k];
        sum_squares[k] += static_cast<double>(array.weights()[k]) * array.weights()[k];
      }
    }
    for (int j = 0; j < 2; ++j) {
      for (int i = 0; i < 3; ++i) {
        const std::size_t k = static_cast<std::size_t>(j) * 3 + i;
        const double q = kScale * kScale * std::fabs(x[i] * d[j]);
        const double expected_mean = kLength * 0.001 * kScale * kScale * x[i] * d[j];
        const double expected_variance =
            0.001 * 0.001 * kLength * q * (1.0 - q + kStepStd * kStepStd);
        const double mean = sum[k] / kRepetitions;
        const double variance = (sum_squares[k] - kRepetitions * mean * mean) / (kRepetitions - 1);
        EXPECT_NEAR(mean, expected_mean, 5.0 * std::sqrt(expected_variance / kRepetitions))
            << "mult_noise " << mult_noise << ", output " << j << ", input " << i;
        EXPECT_NEAR(variance, expected_variance, 0.1 * expected_variance)
            << "mult_noise " << mult_noise << ", output " << j << ", input " << i;
      }
    }
  }
}

// One up pulse at w = 0.3 with gamma 0.5 (step 0.75 dw): multiplicative noise scales the
// step, so the change has std. dev. 0.75 dw dw_min_std; additive noise has dw dw_min_std.
// 20,000 devices: the std. dev. has a relative standard error of 0.5 %, the mean one of
// 0.2 to 0.3 % of the step.
TEST(LinearStepDevice, NoiseTypeSetsStepSpread) {
  constexpr int kDevices = 20000;
  constexpr double kStepStd = 0.3;
  for (const bool mult_noise : {true, false}) {
    DeviceParams params = ideal_device(DeviceModel::linear_step);
    params.gamma_up = 0.5;
    params.dw_min_std = kStepStd;
    params.mult_noise = mult_noise;
    RandomEngine rng(13);
    CrossbarArray array(1, kDevices, params, rng);
    array.set_weights(std::vector<float>(kDevices, 0.3f));
    PulseStreams input_streams;
    PulseStreams output_streams;
    full_streams(std::vector<float>(kDevices, 1.0f), 1, input_streams);
    full_streams({1.0f}, 1, output_streams);
    array.apply_pulses(input_streams, output_streams, rng);

    std::vector<double> changes(kDevices);
    for (int i = 0; i < kDevices; ++i) {
      changes[i] = array.weight(0, i) - 0.3;
    }
    const SampleMoments result = moments(changes);
    const double step = 0.001 * 0.75;
    const double expected_std = (mult_noise ? step : 0.001) * kStepStd;
    EXPECT_NEAR(result.mean, step, 5.0 * expected_std / std::sqrt(double{kDevices}))
        << "mult_noise " << mult_noise;
    EXPECT_NEAR(result.std_dev, expected_std, 0.025 * expected_std) << "mult_noise " << mult_noise;
  }
}

TEST(LinearStepDevice, SameSeedGivesSameWeights) {
  for (DeviceModel model : {DeviceModel::linear_step, DeviceModel::soft_bounds}) {
    std::vector<std::vector<float>> results;
    for (int run = 0; run < 2; ++run) {
      DeviceParams params;
      params.model = model;
      params.gamma_up = 0.2;
      params.half_select_factor = 0.05;
      RandomEngine rng(14);
      CrossbarArray array(12, 20, params, rng);
      std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
      PulseStreams input_streams;
      PulseStreams output_streams;
      for (int update = 0; update < 20; ++update) {
        std::vector<float> x(20);
        std::vector<float> d(12);
        for (float& value : x) value = uniform(rng);
        for (float& value : d) value = 0.5f * uniform(rng);
        generate_pulse_streams(x.data(), 20, 1.0, 10, rng, input_streams);
        generate_pulse_streams(d.data(), 12, 1.0, 10, rng, output_streams);
        array.apply_pulses(input_streams, output_streams, rng);
      }
      results.push_back(array.weights());
    }
    EXPECT_EQ(results[0], results[1]) << device_model_name(model);
  }
}

}  // namespace
}  // namespace rpusim
