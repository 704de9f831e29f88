#include "tests/unit/numerics_test_helpers.hpp"
#include "models/tile/crossbar_array.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <vector>

#include "models/common/normal_batch.hpp"

namespace rpusim {
namespace {

using testing::uniform_vector;
using testing::expect_line_sums_match;

// A device without spread, noise or asymmetry and with bounds far away, so that the
// update follows its closed form.
ConstantStepParams ideal_device() {
  ConstantStepParams params;
  params.dw_min_dtod = 0.0;
  params.dw_min_std = 0.0;
  params.w_max = 100.0;
  params.w_min = -100.0;
  params.w_max_dtod = 0.0;
  params.w_min_dtod = 0.0;
  params.up_down = 0.0;
  params.up_down_dtod = 0.0;
  return params;
}

TEST(CrossbarArray, ConstructionStartsAtZero) {
  RandomEngine rng(41);
  const CrossbarArray array(3, 5, ConstantStepParams{}, rng);
  EXPECT_EQ(array.outputs(), 3);
  EXPECT_EQ(array.inputs(), 5);
  ASSERT_EQ(array.weights().size(), 15u);
  ASSERT_EQ(array.devices().dw_up.size(), 15u);
  for (float weight : array.weights()) {
    EXPECT_EQ(weight, 0.0f);
  }
  EXPECT_EQ(array.input_line_weight_sums(), std::vector<double>(5, 0.0));
  EXPECT_EQ(array.output_line_weight_sums(), std::vector<double>(3, 0.0));
}

TEST(CrossbarArray, InvalidSizeThrows) {
  RandomEngine rng(42);
  EXPECT_THROW(CrossbarArray(0, 4, ConstantStepParams{}, rng), std::invalid_argument);
  EXPECT_THROW(CrossbarArray(4, -1, ConstantStepParams{}, rng), std::invalid_argument);
}

TEST(CrossbarArray, SetWeightsClipsToDeviceBounds) {
  RandomEngine rng(43);
  CrossbarArray array(4, 6, ConstantStepParams{}, rng);
  std::vector<float> weights(24);
  for (std::size_t k = 0; k < weights.size(); ++k) {
    weights[k] = k % 3 == 0 ? 10.0f : (k % 3 == 1 ? -10.0f : 0.1f);
  }
  array.set_weights(weights);
  const DeviceArrayState& devices = array.devices();
  for (std::size_t k = 0; k < weights.size(); ++k) {
    const float expected = k % 3 == 0 ? devices.w_max[k] : (k % 3 == 1 ? devices.w_min[k] : 0.1f);
    EXPECT_EQ(array.weights()[k], expected) << "cross-point " << k;
  }
  expect_line_sums_match(array);
  EXPECT_THROW(array.set_weights(std::vector<float>(23)), std::invalid_argument);
}

// Sizes that are not multiples of the vector width exercise the remainder loops.
TEST(CrossbarArray, MultiplyMatchesReference) {
  RandomEngine rng(44);
  for (const auto& [outputs, inputs] : {std::pair{37, 53}, std::pair{64, 128}, std::pair{1, 1}}) {
    CrossbarArray array(outputs, inputs, ConstantStepParams{}, rng);
    array.set_weights(uniform_vector(static_cast<std::size_t>(outputs) * inputs, 0.5f, rng));
    const std::vector<float> x = uniform_vector(inputs, 1.0f, rng);
    const std::vector<float> d = uniform_vector(outputs, 1.0f, rng);
    std::vector<float> y(outputs);
    std::vector<float> z(inputs, 123.0f);
    array.multiply(x.data(), y.data());
    array.multiply_transposed(d.data(), z.data());

    for (int j = 0; j < outputs; ++j) {
      double expected = 0.0;
      for (int i = 0; i < inputs; ++i) {
        expected += static_cast<double>(array.weight(j, i)) * x[i];
      }
      EXPECT_NEAR(y[j], expected, 1e-5) << outputs << " x " << inputs << ", output " << j;
    }
    for (int i = 0; i < inputs; ++i) {
      double expected = 0.0;
      for (int j = 0; j < outputs; ++j) {
        expected += static_cast<double>(array.weight(j, i)) * d[j];
      }
      EXPECT_NEAR(z[i], expected, 1e-5) << outputs << " x " << inputs << ", input " << i;
    }
  }
}

TEST(CrossbarArray, ExactUpdateIsUnbounded) {
  RandomEngine rng(45);
  CrossbarArray array(5, 7, ConstantStepParams{}, rng);
  array.set_weights(uniform_vector(35, 0.2f, rng));
  const std::vector<float> before = array.weights();
  const std::vector<float> x = uniform_vector(7, 1.0f, rng);
  std::vector<float> d = uniform_vector(5, 1.0f, rng);
  d[2] = 0.0f;
  const float learning_rate = 2.0f;
  array.apply_exact_update(x.data(), d.data(), learning_rate);

  bool beyond_bounds = false;
  for (int j = 0; j < 5; ++j) {
    for (int i = 0; i < 7; ++i) {
      const std::size_t k = static_cast<std::size_t>(j) * 7 + i;
      const float expected = before[k] + learning_rate * d[j] * x[i];
      EXPECT_NEAR(array.weight(j, i), expected, 1e-6) << "output " << j << ", input " << i;
      beyond_bounds |= array.weight(j, i) > array.devices().w_max[k] ||
                       array.weight(j, i) < array.devices().w_min[k];
    }
  }
  EXPECT_TRUE(beyond_bounds);
  expect_line_sums_match(array);
}

TEST(CrossbarArray, LineSumsFollowUpdates) {
  RandomEngine rng(46);
  CrossbarArray array(24, 40, ConstantStepParams{}, rng);
  array.set_weights(uniform_vector(24 * 40, 0.5f, rng));
  expect_line_sums_match(array);

  PulseStreams input_streams;
  PulseStreams output_streams;
  for (int update = 0; update < 300; ++update) {
    const std::vector<float> x = uniform_vector(40, 1.0f, rng);
    const std::vector<float> d = uniform_vector(24, 1.0f, rng);
    generate_pulse_streams(x.data(), 40, 1.0, 31, rng, input_streams);
    generate_pulse_streams(d.data(), 24, 1.0, 31, rng, output_streams);
    array.apply_pulses(input_streams, output_streams, rng);
    array.apply_exact_update(x.data(), d.data(), 0.003f);
  }
  expect_line_sums_match(array);
}

// Statistics of one update, repeated from zero weights: per cross-point mean and
// variance of the weight change and the mean coincidence count.
struct UpdateMoments {
  std::vector<double> mean;
  std::vector<double> variance;
  double mean_coincidences = 0.0;
};

UpdateMoments repeat_pulsed_update(const ConstantStepParams& device, const std::vector<float>& x,
                                   const std::vector<float>& d, double scale, int length,
                                   int repetitions) {
  const int inputs = static_cast<int>(x.size());
  const int outputs = static_cast<int>(d.size());
  RandomEngine device_rng(47);
  RandomEngine translator_rng(48);
  RandomEngine update_rng(49);
  CrossbarArray array(outputs, inputs, device, device_rng);
  const std::vector<float> zeros(x.size() * d.size(), 0.0f);

  std::vector<double> sum(zeros.size(), 0.0);
  std::vector<double> sum_squares(zeros.size(), 0.0);
  double coincidences = 0.0;
  PulseStreams input_streams;
  PulseStreams output_streams;
  for (int rep = 0; rep < repetitions; ++rep) {
    array.set_weights(zeros);
    generate_pulse_streams(x.data(), inputs, scale, length, translator_rng, input_streams);
    generate_pulse_streams(d.data(), outputs, scale, length, translator_rng, output_streams);
    coincidences += static_cast<double>(
        array.apply_pulses(input_streams, output_streams, update_rng).coincidences);
    for (std::size_t k = 0; k < zeros.size(); ++k) {
      const double change = array.weights()[k];
      sum[k] += change;
      sum_squares[k] += change * change;
    }
  }

  UpdateMoments moments;
  for (std::size_t k = 0; k < zeros.size(); ++k) {
    const double mean = sum[k] / repetitions;
    moments.mean.push_back(mean);
    moments.variance.push_back((sum_squares[k] - repetitions * mean * mean) / (repetitions - 1));
  }
  moments.mean_coincidences = coincidences / repetitions;
  return moments;
}

const std::vector<float> kUpdateInputs = {0.9f, -0.5f, 0.2f, 0.7f, -1.0f};
const std::vector<float> kUpdateErrors = {0.8f, -0.3f, 0.6f, -0.9f};
constexpr double kUpdateScale = 0.8;  // C
constexpr int kUpdateLength = 10;     // BL
constexpr int kRepetitions = 20000;

// Checks E[dw_ij] = BL dw_min C^2 x_i d_j within 5 standard errors and the variance
// dw_min^2 (BL q (1 - q) + dw_min_std^2 BL q), q = C^2 |x_i d_j|, within 10 % (more than
// 5 standard errors of a variance estimate from 20,000 draws of this kurtosis).
void expect_update_moments(double step_std) {
  ConstantStepParams device = ideal_device();
  device.dw_min_std = step_std;
  const UpdateMoments moments = repeat_pulsed_update(device, kUpdateInputs, kUpdateErrors,
                                                     kUpdateScale, kUpdateLength, kRepetitions);
  const double dw = device.dw_min;
  const double c2 = kUpdateScale * kUpdateScale;
  for (std::size_t j = 0; j < kUpdateErrors.size(); ++j) {
    for (std::size_t i = 0; i < kUpdateInputs.size(); ++i) {
      const std::size_t k = j * kUpdateInputs.size() + i;
      const double q = c2 * std::fabs(kUpdateInputs[i] * kUpdateErrors[j]);
      const double expected_mean = kUpdateLength * dw * c2 * kUpdateInputs[i] * kUpdateErrors[j];
      const double expected_variance =
          dw * dw * kUpdateLength * q * (1.0 - q + step_std * step_std);
      EXPECT_NEAR(moments.mean[k], expected_mean, 5.0 * std::sqrt(expected_variance / kRepetitions))
          << "output " << j << ", input " << i;
      EXPECT_NEAR(moments.variance[k], expected_variance, 0.1 * expected_variance)
          << "output " << j << ", input " << i;
    }
  }

  // In one slot the coincidences number A B, with A and B the independent counts of
  // pulsed input and output lines; slots are independent.
  const auto pulse_count_moments = [](const std::vector<float>& values) {
    double mean = 0.0;
    double variance = 0.0;
    for (float value : values) {
      const double p = kUpdateScale * std::fabs(value);
      mean += p;
      variance += p * (1.0 - p);
    }
    return std::pair{mean, variance};
  };
  const auto [input_mean, input_variance] = pulse_count_moments(kUpdateInputs);
  const auto [output_mean, output_variance] = pulse_count_moments(kUpdateErrors);
  const double slot_mean = input_mean * output_mean;
  const double slot_variance =
      (input_variance + input_mean * input_mean) * (output_variance + output_mean * output_mean) -
      slot_mean * slot_mean;
  EXPECT_NEAR(moments.mean_coincidences, kUpdateLength * slot_mean,
              5.0 * std::sqrt(kUpdateLength * slot_variance / kRepetitions));
}

TEST(CrossbarArray, PulsedUpdateExpectation) {
  expect_update_moments(0.0);
}

TEST(CrossbarArray, CycleToCycleNoiseKeepsMean) {
  expect_update_moments(0.3);
}

// Hand-built streams with known coincidence counts. Output line 0 pulses in one slot and
// output line 1 in several, which different code paths count. Bits above the stream
// length still count, as the popcount of the AND defines them.
TEST(CrossbarArray, PulsedUpdateCountsCoincidences) {
  ConstantStepParams device = ideal_device();
  device.dw_min = 0.5;
  RandomEngine rng(55);
  CrossbarArray array(3, 5, device, rng);

  PulseStreams input_streams;
  input_streams.length = 10;
  input_streams.bits = {0b0001, 0b0110, 0b1011, 0, std::uint64_t{1} << 40};
  input_streams.sign = {1, -1, 1, 1, -1};
  PulseStreams output_streams;
  output_streams.length = 10;
  output_streams.bits = {0b0010, 0b1111, (std::uint64_t{1} << 40) | 1};
  output_streams.sign = {1, -1, 1};
  const UpdateStats stats = array.apply_pulses(input_streams, output_streams, rng);

  const std::vector<std::vector<int>> expected_steps = {
      {0, -1, 1, 0, 0},   // 0b0010 & {0b0001, 0b0110, 0b1011}
      {-1, 2, -3, 0, 0},  // output sign -1
      {1, 0, 1, 0, -1}};  // slot 0 and slot 40
  int coincidences = 0;
  int updated = 0;
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(array.weight(j, i), 0.5f * expected_steps[j][i])
          << "output " << j << ", input " << i;
      coincidences += std::abs(expected_steps[j][i]);
      updated += expected_steps[j][i] != 0;
    }
  }
  EXPECT_EQ(stats.coincidences, static_cast<std::uint64_t>(coincidences));
  EXPECT_EQ(stats.updated_cross_points, static_cast<std::uint64_t>(updated));
  expect_line_sums_match(array);
}

// With x = d = 1 and C = 1 every cross-point has n = BL = 16 coincidences, so each weight
// change 16 + 4 xi (dw_min 1, dw_min_std 1) reveals one draw xi. 204,800 draws: the
// bounds are 5 standard errors, and the Kolmogorov-Smirnov bound is the 0.1 % level.
TEST(CrossbarArray, CycleToCycleNoiseIsGaussian) {
  constexpr int kLines = 64;
  constexpr int kLength = 16;
  constexpr int kUpdates = 50;
  ConstantStepParams device = ideal_device();
  device.dw_min = 1.0;
  device.dw_min_std = 1.0;
  device.w_max = 1000.0;
  device.w_min = -1000.0;
  RandomEngine rng(56);
  CrossbarArray array(kLines, kLines, device, rng);
  const std::vector<float> ones(kLines, 1.0f);
  PulseStreams streams;
  generate_pulse_streams(ones.data(), kLines, 1.0, kLength, rng, streams);

  std::vector<double> draws;
  const std::vector<float> zeros(kLines * kLines, 0.0f);
  for (int update = 0; update < kUpdates; ++update) {
    array.set_weights(zeros);
    array.apply_pulses(streams, streams, rng);
    for (float weight : array.weights()) {
      draws.push_back((weight - kLength) / std::sqrt(double{kLength}));
    }
  }
  const double n = static_cast<double>(draws.size());

  double sum = 0.0;
  double sum_squares = 0.0;
  double sum_fourth = 0.0;
  int beyond_two = 0;
  int in_tail = 0;  // beyond 3.4426, where the ziggurat switches to its tail method
  int far_in_tail = 0;
  for (double draw : draws) {
    sum += draw;
    sum_squares += draw * draw;
    sum_fourth += draw * draw * draw * draw;
    beyond_two += std::fabs(draw) > 2.0;
    in_tail += std::fabs(draw) > 3.4426;
    far_in_tail += std::fabs(draw) > 3.8;
  }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(sum_squares / n, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(sum_fourth / n, 3.0, 5.0 * std::sqrt(96.0 / n));
  const double p_two = 0.0455003;
  EXPECT_NEAR(beyond_two / n, p_two, 5.0 * std::sqrt(p_two * (1.0 - p_two) / n));
  const double p_tail = 5.7607e-4;
  EXPECT_NEAR(in_tail / n, p_tail, 5.0 * std::sqrt(p_tail / n));
  const double p_far_tail = 1.44696e-4;
  EXPECT_NEAR(far_in_tail / n, p_far_tail, 5.0 * std::sqrt(p_far_tail / n));

  std::sort(draws.begin(), draws.end());
  double max_distance = 0.0;
  for (std::size_t k = 0; k < draws.size(); ++k) {
    const double cdf = 0.5 * std::erfc(-draws[k] / std::sqrt(2.0));
    max_distance = std::max({max_distance, std::fabs(cdf - k / n), std::fabs(cdf - (k + 1) / n)});
  }
  EXPECT_LT(max_distance, 1.95 / std::sqrt(n));
}

// Per-device steps: with 30 % spread of dw and a per-device up/down asymmetry of 20 %, each
// cross-point's mean change is BL C^2 x_i d_j dw_s of its own device (s the update
// direction) within 5 standard errors, and its variance dw_s^2 BL q (1 - q + dw_min_std^2)
// within 10 %.
TEST(CrossbarArray, UpdateMomentsHonourDeviceSteps) {
  ConstantStepParams device = ideal_device();
  device.dw_min_dtod = 0.3;
  device.up_down_dtod = 0.2;
  device.dw_min_std = 0.3;
  const UpdateMoments moments = repeat_pulsed_update(device, kUpdateInputs, kUpdateErrors,
                                                     kUpdateScale, kUpdateLength, kRepetitions);
  // repeat_pulsed_update draws its devices from RandomEngine(47); this twin has the same ones.
  RandomEngine device_rng(47);
  const CrossbarArray twin(static_cast<int>(kUpdateErrors.size()),
                           static_cast<int>(kUpdateInputs.size()), device, device_rng);
  const double c2 = kUpdateScale * kUpdateScale;
  for (std::size_t j = 0; j < kUpdateErrors.size(); ++j) {
    for (std::size_t i = 0; i < kUpdateInputs.size(); ++i) {
      const std::size_t k = j * kUpdateInputs.size() + i;
      const double product = kUpdateInputs[i] * kUpdateErrors[j];
      const double step = product > 0.0 ? twin.devices().dw_up[k] : twin.devices().dw_down[k];
      const double q = c2 * std::fabs(product);
      const double expected_mean = kUpdateLength * step * c2 * product;
      const double expected_variance =
          step * step * kUpdateLength * q * (1.0 - q + device.dw_min_std * device.dw_min_std);
      EXPECT_NEAR(moments.mean[k], expected_mean, 5.0 * std::sqrt(expected_variance / kRepetitions))
          << "output " << j << ", input " << i;
      EXPECT_NEAR(moments.variance[k], expected_variance, 0.1 * expected_variance)
          << "output " << j << ", input " << i;
    }
  }
}

// The ConstantStep update against a plain re-implementation of its documented rule: output
// lines in order, one draw per coincident cross-point in input-line order from the NormalBatch
// stream keyed by the update's one word of `rng`, and each device's own steps and bounds. The
// 1100 input lines end in a partial vector of the row kernels.
TEST(CrossbarArray, ConstantStepUpdateFollowsDraws) {
  constexpr int kOutputs = 6;
  constexpr int kInputs = 1100;
  constexpr int kLength = 10;
  RandomEngine rng(57);
  const ConstantStepParams device;  // 30 % spreads and cycle-to-cycle noise
  CrossbarArray array(kOutputs, kInputs, device, rng);
  array.set_weights(uniform_vector(kOutputs * kInputs, 0.6f, rng));
  const std::vector<float> x = uniform_vector(kInputs, 1.0f, rng);
  std::vector<float> d = uniform_vector(kOutputs, 1.0f, rng);
  d[1] = 0.0f;
  PulseStreams input_streams;
  PulseStreams output_streams;
  generate_pulse_streams(x.data(), kInputs, 1.0, kLength, rng, input_streams);
  generate_pulse_streams(d.data(), kOutputs, 1.0, kLength, rng, output_streams);
  std::vector<float> expected = array.weights();

  RandomEngine update_rng(58);
  RandomEngine key_rng = update_rng;
  const UpdateStats stats = array.apply_pulses(input_streams, output_streams, update_rng);

  NormalBatch normals(key_rng());
  const DeviceArrayState& devices = array.devices();
  const auto step_std = static_cast<float>(device.dw_min_std);
  std::uint64_t coincidences = 0;
  std::uint64_t updated = 0;
  std::vector<float> draws(kInputs);
  for (int j = 0; j < kOutputs; ++j) {
    std::vector<int> counts(kInputs, 0);
    int coincident = 0;
    for (int i = 0; i < kInputs; ++i) {
      if (input_streams.sign[i] != 0 && output_streams.sign[j] != 0) {
        counts[i] = __builtin_popcountll(input_streams.bits[i] & output_streams.bits[j]);
      }
      coincident += counts[i] != 0;
    }
    normals.fill(draws.data(), coincident);
    int drawn = 0;
    for (int i = 0; i < kInputs; ++i) {
      if (counts[i] == 0) {
        continue;
      }
      const std::size_t k = static_cast<std::size_t>(j) * kInputs + i;
      const bool up = (input_streams.sign[i] > 0) == (output_streams.sign[j] > 0);
      const auto n = static_cast<float>(counts[i]);
      const float pulses = n + step_std * std::sqrt(n) * draws[drawn++];
      const float step = up ? devices.dw_up[k] : devices.dw_down[k];
      const float moved = expected[k] + step * (up ? pulses : -pulses);
      expected[k] = std::min(std::max(moved, devices.w_min[k]), devices.w_max[k]);
      coincidences += static_cast<std::uint64_t>(counts[i]);
      ++updated;
    }
  }
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_FLOAT_EQ(array.weights()[k], expected[k]) << "cross-point " << k;
  }
  EXPECT_EQ(stats.coincidences, coincidences);
  EXPECT_EQ(stats.updated_cross_points, updated);
  EXPECT_GT(updated, 1000u);
  expect_line_sums_match(array);
}

TEST(CrossbarArray, UpDownAsymmetry) {
  ConstantStepParams device = ideal_device();
  device.up_down = 0.1;
  RandomEngine rng(50);
  CrossbarArray array(2, 2, device, rng);
  const std::vector<float> x = {1.0f, -1.0f};
  const std::vector<float> d = {1.0f, -1.0f};
  PulseStreams input_streams;
  PulseStreams output_streams;
  generate_pulse_streams(x.data(), 2, 1.0, 10, rng, input_streams);
  generate_pulse_streams(d.data(), 2, 1.0, 10, rng, output_streams);
  const UpdateStats stats = array.apply_pulses(input_streams, output_streams, rng);

  EXPECT_FLOAT_EQ(array.weight(0, 0), 10 * 0.0011f);
  EXPECT_FLOAT_EQ(array.weight(0, 1), -10 * 0.0009f);
  EXPECT_FLOAT_EQ(array.weight(1, 0), -10 * 0.0009f);
  EXPECT_FLOAT_EQ(array.weight(1, 1), 10 * 0.0011f);
  EXPECT_EQ(stats.coincidences, 40u);
  EXPECT_EQ(stats.updated_cross_points, 4u);
}

TEST(CrossbarArray, HalfSelectedDevicesStay) {
  RandomEngine rng(51);
  CrossbarArray array(3, 4, ConstantStepParams{}, rng);
  const std::vector<float> x = {1.0f, -1.0f, 0.5f, 1.0f};
  const std::vector<float> no_error = {0.0f, 0.0f, 0.0f};
  PulseStreams input_streams;
  PulseStreams output_streams;
  generate_pulse_streams(x.data(), 4, 1.0, 20, rng, input_streams);
  generate_pulse_streams(no_error.data(), 3, 1.0, 20, rng, output_streams);
  const UpdateStats stats = array.apply_pulses(input_streams, output_streams, rng);
  EXPECT_EQ(stats.coincidences, 0u);
  EXPECT_EQ(stats.updated_cross_points, 0u);
  for (float weight : array.weights()) {
    EXPECT_EQ(weight, 0.0f);
  }
}

// Default devices (30 % spread of steps and bounds) driven hard up and then hard down:
// every weight stays inside its own device's bounds and ends on them.
TEST(CrossbarArray, PulsedUpdateRespectsBounds) {
  RandomEngine rng(52);
  CrossbarArray array(8, 12, ConstantStepParams{}, rng);
  const DeviceArrayState& devices = array.devices();
  const std::vector<float> x(12, 1.0f);
  PulseStreams input_streams;
  PulseStreams output_streams;
  generate_pulse_streams(x.data(), 12, 1.0, 64, rng, input_streams);

  for (const float error : {1.0f, -1.0f}) {
    const std::vector<float> d(8, error);
    generate_pulse_streams(d.data(), 8, 1.0, 64, rng, output_streams);
    // At 64 pulses per update, 300 updates carry even a device whose step is a tenth of
    // dw_min across the whole range of about 1.2.
    for (int update = 0; update < 300; ++update) {
      array.apply_pulses(input_streams, output_streams, rng);
      for (std::size_t k = 0; k < array.weights().size(); ++k) {
        ASSERT_GE(array.weights()[k], devices.w_min[k]) << "cross-point " << k;
        ASSERT_LE(array.weights()[k], devices.w_max[k]) << "cross-point " << k;
      }
    }
    for (std::size_t k = 0; k < array.weights().size(); ++k) {
      const bool moves = error > 0 ? devices.dw_up[k] > 0.0f : devices.dw_down[k] > 0.0f;
      if (moves) {
        EXPECT_EQ(array.weights()[k], error > 0 ? devices.w_max[k] : devices.w_min[k])
            << "cross-point " << k;
      }
    }
  }
  expect_line_sums_match(array);
}

TEST(CrossbarArray, MismatchedStreamsThrow) {
  RandomEngine rng(53);
  CrossbarArray array(3, 4, ConstantStepParams{}, rng);
  const std::vector<float> x(4, 0.5f);
  const std::vector<float> d(3, 0.5f);
  PulseStreams input_streams;
  PulseStreams output_streams;
  generate_pulse_streams(x.data(), 4, 1.0, 10, rng, input_streams);
  generate_pulse_streams(d.data(), 3, 1.0, 12, rng, output_streams);
  EXPECT_THROW(array.apply_pulses(input_streams, output_streams, rng), std::invalid_argument);

  generate_pulse_streams(d.data(), 3, 1.0, 10, rng, output_streams);
  EXPECT_THROW(array.apply_pulses(output_streams, input_streams, rng), std::invalid_argument);
  EXPECT_NO_THROW(array.apply_pulses(input_streams, output_streams, rng));
}

TEST(CrossbarArray, SameSeedGivesSameWeights) {
  std::vector<std::vector<float>> results;
  for (int run = 0; run < 2; ++run) {
    RandomEngine rng(54);
    CrossbarArray array(16, 16, ConstantStepParams{}, rng);
    PulseStreams input_streams;
    PulseStreams output_streams;
    for (int update = 0; update < 20; ++update) {
      const std::vector<float> x = uniform_vector(16, 1.0f, rng);
      const std::vector<float> d = uniform_vector(16, 0.5f, rng);
      generate_pulse_streams(x.data(), 16, 1.0, 10, rng, input_streams);
      generate_pulse_streams(d.data(), 16, 1.0, 10, rng, output_streams);
      array.apply_pulses(input_streams, output_streams, rng);
    }
    results.push_back(array.weights());
  }
  EXPECT_EQ(results[0], results[1]);
}

}  // namespace
}  // namespace rpusim
