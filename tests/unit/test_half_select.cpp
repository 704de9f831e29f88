// Half-select drift of the pulsed update (CrossbarArray::apply_pulses with
// half_select_factor k > 0): a pulse on one line of a device moves it k steps in the
// direction of that line's sign.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "tests/unit/numerics_test_helpers.hpp"
#include "models/device/linear_step_device.hpp"
#include "models/tile/crossbar_array.hpp"
#include "models/translator/pulse_stream.hpp"

namespace rpusim {
namespace {

using testing::uniform_vector;
using testing::expect_line_sums_match;

// A device of `model` without spread or noise, with bounds far away so that the update
// follows its closed form.
DeviceParams ideal_device(DeviceModel model, double half_select_factor) {
  DeviceParams params;
  params.model = model;
  params.dw_min_dtod = 0.0;
  params.dw_min_std = 0.0;
  params.w_max = 100.0;
  params.w_min = -100.0;
  params.w_max_dtod = 0.0;
  params.w_min_dtod = 0.0;
  params.up_down = 0.0;
  params.up_down_dtod = 0.0;
  params.gamma_up_dtod = 0.0;
  params.gamma_down_dtod = 0.0;
  params.half_select_factor = half_select_factor;
  return params;
}

int popcount(std::uint64_t bits) {
  return __builtin_popcountll(bits);
}

// A line pulses when its bits and its sign are nonzero.
int line_pulses(const PulseStreams& streams, int line) {
  return streams.sign[line] != 0 ? popcount(streams.bits[line]) : 0;
}

int coincidences(const PulseStreams& input, int i, const PulseStreams& output, int j) {
  if (input.sign[i] == 0 || output.sign[j] == 0) {
    return 0;
  }
  return popcount(input.bits[i] & output.bits[j]);
}

// Hand-built streams: output line 1 pulses in one slot (the single-slot path), output line
// 2 carries bits but no sign and so does not pulse, input line 3 likewise, input line 4
// has no pulses.
void hand_built_streams(PulseStreams& input, PulseStreams& output) {
  input.length = 8;
  input.bits = {0b00001111, 0b10100000, 0b00000110, 0b11111111, 0, 0b01010101};
  input.sign = {1, -1, 1, 0, 1, -1};
  output.length = 8;
  output.bits = {0b00110011, 0b00000010, 0b11111111, 0b11110000};
  output.sign = {1, -1, 0, -1};
}

// Reference of the documented order for one ConstantStep or LinearStep device without noise:
// c full steps in direction s_x s_d, then n_x - c half steps in direction s_x, then n_d - c
// half steps in direction s_d, each clipped.
float reference_update(float weight, int c, int n_x, int n_d, int s_x, int s_d, float k,
                       const DeviceArrayState& devices, std::size_t index) {
  const auto step = [&](float w, int direction, float scale) {
    const bool up = direction > 0;
    const float dw = up ? devices.dw_up[index] : devices.dw_down[index];
    const float slope = devices.slope_up.empty()
                            ? 0.0f
                            : (up ? devices.slope_up[index] : devices.slope_down[index]);
    return std::clamp(w + scale * static_cast<float>(direction) * (dw + slope * w),
                      devices.w_min[index], devices.w_max[index]);
  };
  for (int pulse = 0; pulse < c; ++pulse) weight = step(weight, s_x * s_d, 1.0f);
  for (int pulse = 0; pulse < n_x - c; ++pulse) weight = step(weight, s_x, k);
  for (int pulse = 0; pulse < n_d - c; ++pulse) weight = step(weight, s_d, k);
  return weight;
}

// ConstantStep with up/down asymmetry: dw_up = 1.1 dw, dw_down = 0.9 dw, so each term must
// use the step of its own direction:
//   dw_ij = c s_x s_d dw_{s_x s_d} + k (n_x - c) s_x dw_{s_x} + k (n_d - c) s_d dw_{s_d}.
TEST(HalfSelect, ConstantStepClosedForm) {
  DeviceParams params = ideal_device(DeviceModel::constant_step, 0.25);
  params.dw_min = 0.5;
  params.up_down = 0.1;
  RandomEngine rng(61);
  CrossbarArray array(4, 6, params, rng);
  PulseStreams input;
  PulseStreams output;
  hand_built_streams(input, output);
  array.apply_pulses(input, output, rng);

  const auto step = [](int direction) { return direction > 0 ? 0.55 : 0.45; };
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 6; ++i) {
      const int c = coincidences(input, i, output, j);
      const int n_x = line_pulses(input, i);
      const int n_d = line_pulses(output, j);
      const int s_x = input.sign[i];
      const int s_d = output.sign[j];
      double expected = c * s_x * s_d * step(s_x * s_d);
      expected += 0.25 * (n_x - c) * s_x * step(s_x);
      expected += 0.25 * (n_d - c) * s_d * step(s_d);
      EXPECT_NEAR(array.weight(j, i), expected, 1e-6) << "output " << j << ", input " << i;
    }
  }
  expect_line_sums_match(array);
}

// Updates `array` from spread weights with the hand-built streams and compares every device
// with the scalar reference. Returns how many devices end on a bound.
int expect_reference_update(CrossbarArray& array, float factor, RandomEngine& rng) {
  array.set_weights(uniform_vector(24, 0.6f, rng));
  const std::vector<float> before = array.weights();
  PulseStreams input;
  PulseStreams output;
  hand_built_streams(input, output);
  array.apply_pulses(input, output, rng);

  const DeviceArrayState& devices = array.devices();
  int at_bound = 0;
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 6; ++i) {
      const std::size_t k = static_cast<std::size_t>(j) * 6 + i;
      const float expected = reference_update(before[k], coincidences(input, i, output, j),
                                              line_pulses(input, i), line_pulses(output, j),
                                              input.sign[i], output.sign[j], factor, devices, k);
      EXPECT_FLOAT_EQ(array.weight(j, i), expected)
          << device_model_name(array.device_params().model) << ", output " << j << ", input " << i;
      at_bound += array.weight(j, i) == devices.w_max[k] || array.weight(j, i) == devices.w_min[k];
    }
  }
  expect_line_sums_match(array);
  return at_bound;
}

// Applies sparse streams to `array` (kOutputs x kInputs, 600 inputs: three blocks of the
// pass that visits the pulsed inputs alone, the last with a tail of length % 4) and checks
// every device against the scalar reference. Returns how many devices moved.
int expect_few_pulsed_inputs_match_reference(CrossbarArray& array, float factor,
                                             RandomEngine& rng) {
  constexpr int kOutputs = 3;
  constexpr int kInputs = 600;
  array.set_weights(uniform_vector(kOutputs * kInputs, 0.6f, rng));
  const std::vector<float> before = array.weights();

  PulseStreams input;
  input.length = 8;
  input.bits.assign(kInputs, 0);
  input.sign.assign(kInputs, 0);
  for (int i = 0; i < kInputs; i += 5) {  // 120 of 600 inputs, the last ones in the tail
    input.bits[i] = (0x9Bu >> (i % 3)) & 0xFFu;
    input.sign[i] = i % 2 == 0 ? 1 : -1;
  }
  input.bits[kInputs - 1] = 0b111;
  input.sign[kInputs - 1] = -1;
  PulseStreams output;
  output.length = 8;
  output.bits = {0, 0b00010000, 0};  // the middle line pulses and takes the full-row pass
  output.sign = {1, 1, 0};
  array.apply_pulses(input, output, rng);

  const DeviceArrayState& devices = array.devices();
  int moved = 0;
  for (int j = 0; j < kOutputs; ++j) {
    for (int i = 0; i < kInputs; ++i) {
      const std::size_t k = static_cast<std::size_t>(j) * kInputs + i;
      const float expected = reference_update(before[k], coincidences(input, i, output, j),
                                              line_pulses(input, i), line_pulses(output, j),
                                              input.sign[i], output.sign[j], factor, devices, k);
      // The model moves a line's m half steps as one step of m times the size (or one
      // composed map), so it can round differently from the reference's m single steps.
      EXPECT_NEAR(array.weight(j, i), expected, 1e-6)
          << device_model_name(array.device_params().model) << ", output " << j << ", input " << i;
      moved += array.weight(j, i) != before[k];
    }
  }
  expect_line_sums_match(array);
  return moved;
}

// With under half of the inputs pulsing, an output line without pulses takes the pass that
// visits the pulsed inputs alone, and every device must still match the scalar reference.
TEST(HalfSelect, FewPulsedInputsMatchReference) {
  DeviceParams params = ideal_device(DeviceModel::constant_step, 0.3);
  params.dw_min = 0.05;
  params.up_down = 0.1;
  params.dw_min_dtod = 0.3;
  RandomEngine rng(67);
  CrossbarArray array(3, 600, params, rng);
  // The pulsed inputs moved on both lines without pulses.
  EXPECT_GT(expect_few_pulsed_inputs_match_reference(array, 0.3f, rng), 2 * 100);
}

// LinearStep and SoftBounds against a scalar reference of the documented order, starting
// from spread weights so that the state dependence shows, and with steps large enough that
// some devices clip.
TEST(HalfSelect, StateDependentMatchesReference) {
  for (DeviceModel model : {DeviceModel::linear_step, DeviceModel::soft_bounds}) {
    DeviceParams params = ideal_device(model, 0.3);
    params.dw_min = 0.05;
    params.w_max = 0.6;
    params.w_min = -0.6;
    params.w_max_dtod = 0.3;
    params.w_min_dtod = 0.3;
    params.dw_min_dtod = 0.3;
    params.gamma_up = 0.8;
    params.gamma_down = 0.5;
    params.gamma_up_dtod = 0.1;
    params.gamma_down_dtod = 0.1;
    RandomEngine rng(62);
    CrossbarArray array(4, 6, params, rng);
    EXPECT_GT(expect_reference_update(array, 0.3f, rng), 0) << device_model_name(model);
  }
}

// The same pass for LinearStep and SoftBounds devices: with spread weights, clipping steps,
// and (at k = 0.8 with steps as wide as the bounds) half steps that overshoot their fixed
// point, which take the one-at-a-time path.
TEST(HalfSelect, StateDependentFewPulsedInputsMatchReference) {
  struct Case {
    DeviceModel model;
    float factor;
    double dw_min;
  };
  for (const Case& test_case :
       {Case{DeviceModel::linear_step, 0.3f, 0.05}, Case{DeviceModel::soft_bounds, 0.3f, 0.05},
        Case{DeviceModel::soft_bounds, 0.8f, 1.0}}) {
    DeviceParams params = ideal_device(test_case.model, test_case.factor);
    params.dw_min = test_case.dw_min;
    params.w_max = 0.6;
    params.w_min = -0.6;
    params.dw_min_dtod = 0.3;
    params.gamma_up = 0.8;
    params.gamma_down = 0.5;
    RandomEngine rng(71);
    CrossbarArray array(3, 600, params, rng);
    EXPECT_GT(expect_few_pulsed_inputs_match_reference(array, test_case.factor, rng), 2 * 100)
        << device_model_name(test_case.model) << ", k " << test_case.factor;
  }
}

// Half steps so large that k slope <= -1 (the step overshoots its fixed point) take the
// step-by-step path, which must agree with the reference too.
TEST(HalfSelect, OvershootingStepsMatchReference) {
  DeviceParams params = ideal_device(DeviceModel::soft_bounds, 0.8);
  params.dw_min = 1.0;
  params.w_max = 0.5;
  params.w_min = -0.5;
  RandomEngine rng(67);
  CrossbarArray array(4, 6, params, rng);
  EXPECT_LE(0.8 * array.devices().slope_up[0], -1.0);
  EXPECT_GT(expect_reference_update(array, 0.8f, rng), 0);
}

// With k = 0 only coincident devices change, for every device model, even with all
// non-idealities on.
TEST(HalfSelect, ZeroFactorLeavesOthersUntouched) {
  for (DeviceModel model :
       {DeviceModel::constant_step, DeviceModel::linear_step, DeviceModel::soft_bounds}) {
    DeviceParams params;
    params.model = model;
    params.gamma_up = 0.3;
    params.gamma_down = 0.3;
    RandomEngine rng(63);
    CrossbarArray array(20, 30, params, rng);
    array.set_weights(uniform_vector(600, 0.4f, rng));
    PulseStreams input;
    PulseStreams output;
    for (int update = 0; update < 10; ++update) {
      std::vector<float> x = uniform_vector(30, 1.0f, rng);
      std::vector<float> d = uniform_vector(20, 0.3f, rng);
      x[3] = 0.0f;
      d[5] = 0.0f;
      generate_pulse_streams(x.data(), 30, 1.0, 10, rng, input);
      generate_pulse_streams(d.data(), 20, 1.0, 10, rng, output);
      const std::vector<float> before = array.weights();
      array.apply_pulses(input, output, rng);
      int changed = 0;
      for (int j = 0; j < 20; ++j) {
        for (int i = 0; i < 30; ++i) {
          const std::size_t k = static_cast<std::size_t>(j) * 30 + i;
          if (coincidences(input, i, output, j) == 0) {
            ASSERT_EQ(array.weights()[k], before[k])
                << device_model_name(model) << ", output " << j << ", input " << i;
          } else {
            changed += array.weights()[k] != before[k];
          }
        }
      }
      EXPECT_GT(changed, 0) << device_model_name(model);
    }
  }
}

// Without any input pulses the output-line half pulses still move every device on a pulsed
// output line, by k n_d s_d dw.
TEST(HalfSelect, OutputPulsesAloneMoveDevices) {
  DeviceParams params = ideal_device(DeviceModel::constant_step, 0.1);
  RandomEngine rng(64);
  CrossbarArray array(3, 5, params, rng);
  const std::vector<float> x(5, 0.0f);
  const std::vector<float> d = {1.0f, 0.0f, -0.5f};
  PulseStreams input;
  PulseStreams output;
  generate_deterministic_pulse_streams(x.data(), 5, 1.0, 10, PulseLineSide::input, input);
  generate_deterministic_pulse_streams(d.data(), 3, 1.0, 10, PulseLineSide::output, output);
  const UpdateStats stats = array.apply_pulses(input, output, rng);
  EXPECT_EQ(stats.coincidences, 0u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(array.weight(0, i), 0.1 * 10 * 0.001, 1e-9) << "input " << i;
    EXPECT_EQ(array.weight(1, i), 0.0f) << "input " << i;
    EXPECT_NEAR(array.weight(2, i), -0.1 * 5 * 0.001, 1e-9) << "input " << i;
  }
  expect_line_sums_match(array);
}

// Mean drift under Bernoulli streams with per-slot probabilities p_x = C |x|, p_d = C |d|:
//   E[dw] = BL (p_x p_d s_x s_d dw_{s_x s_d} + k p_x (1 - p_d) s_x dw_{s_x}
//               + k p_d (1 - p_x) s_d dw_{s_d}),
// checked within 5 standard errors of the sample mean. Counting the coincident slots as half
// pulses too would shift the mean by k BL p_x p_d (s_x dw_{s_x} + s_d dw_{s_d}), at
// cross-point (0, 0) by 2.0e-3, about 170 of its standard errors of 1.2e-5.
TEST(HalfSelect, MeanDriftMatchesExpectation) {
  const std::vector<float> x = {0.9f, -0.5f, 0.2f, 0.0f, -1.0f};
  const std::vector<float> d = {0.8f, -0.3f, 0.0f, -0.9f};
  constexpr double kScale = 0.8;
  constexpr int kLength = 10;
  constexpr double kFactor = 0.2;
  constexpr int kRepetitions = 20000;
  for (DeviceModel model : {DeviceModel::constant_step, DeviceModel::linear_step}) {
    DeviceParams params = ideal_device(model, kFactor);
    params.up_down = 0.1;
    params.dw_min_std = 0.3;
    RandomEngine rng(65);
    CrossbarArray array(4, 5, params, rng);
    const std::vector<float> zeros(20, 0.0f);
    std::vector<double> sum(20, 0.0);
    std::vector<double> sum_squares(20, 0.0);
    PulseStreams input;
    PulseStreams output;
    for (int rep = 0; rep < kRepetitions; ++rep) {
      array.set_weights(zeros);
      generate_pulse_streams(x.data(), 5, kScale, kLength, rng, input);
      generate_pulse_streams(d.data(), 4, kScale, kLength, rng, output);
      array.apply_pulses(input, output, rng);
      for (std::size_t k = 0; k < 20; ++k) {
        const double change = array.weights()[k];
        sum[k] += change;
        sum_squares[k] += change * change;
      }
    }

    const auto step = [](int direction) { return direction > 0 ? 0.0011 : 0.0009; };
    const auto sign = [](float value) { return (value > 0.0f) - (value < 0.0f); };
    for (int j = 0; j < 4; ++j) {
      for (int i = 0; i < 5; ++i) {
        const std::size_t k = static_cast<std::size_t>(j) * 5 + i;
        const double p_x = kScale * std::fabs(x[i]);
        const double p_d = kScale * std::fabs(d[j]);
        const int s_x = sign(x[i]);
        const int s_d = sign(d[j]);
        const double expected = kLength * (p_x * p_d * s_x * s_d * step(s_x * s_d) +
                                           kFactor * p_x * (1.0 - p_d) * s_x * step(s_x) +
                                           kFactor * p_d * (1.0 - p_x) * s_d * step(s_d));
        const double mean = sum[k] / kRepetitions;
        const double variance = (sum_squares[k] - kRepetitions * mean * mean) / (kRepetitions - 1);
        EXPECT_NEAR(mean, expected, 5.0 * std::sqrt(variance / kRepetitions) + 1e-12)
            << device_model_name(model) << ", output " << j << ", input " << i;
      }
    }
  }
}

// SoftBounds devices with half-select and all non-idealities driven hard in both directions
// stay within their bounds, and the line sums follow.
TEST(HalfSelect, SoftBoundsStayWithinBounds) {
  DeviceParams params;
  params.model = DeviceModel::soft_bounds;
  params.dw_min = 0.01;
  params.half_select_factor = 0.5;
  RandomEngine rng(66);
  CrossbarArray array(10, 14, params, rng);
  const DeviceArrayState& devices = array.devices();
  PulseStreams input;
  PulseStreams output;
  for (int update = 0; update < 300; ++update) {
    const std::vector<float> x = uniform_vector(14, 1.0f, rng);
    const std::vector<float> d = uniform_vector(10, 1.0f, rng);
    generate_pulse_streams(x.data(), 14, 1.0, 31, rng, input);
    generate_pulse_streams(d.data(), 10, 1.0, 31, rng, output);
    array.apply_pulses(input, output, rng);
    for (std::size_t k = 0; k < array.weights().size(); ++k) {
      ASSERT_LE(array.weights()[k], devices.w_max[k]) << "cross-point " << k;
      ASSERT_GE(array.weights()[k], devices.w_min[k]) << "cross-point " << k;
    }
  }
  expect_line_sums_match(array);
}

}  // namespace
}  // namespace rpusim
