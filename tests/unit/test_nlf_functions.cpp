#include "models/nlf/nlf_functions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace rpusim {
namespace {

TEST(NlfFunctions, SigmoidValues) {
  const std::vector<float> in = {0.0f, 2.0f, -2.0f, 100.0f, -100.0f, -1000.0f};
  std::vector<float> out(in.size());
  sigmoid(in.data(), out.data(), static_cast<int>(in.size()));
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], 1.0f / (1.0f + std::exp(-2.0f)));
  EXPECT_FLOAT_EQ(out[1] + out[2], 1.0f);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
  EXPECT_GE(out[4], 0.0f);
  EXPECT_LT(out[4], 1e-30f);
  EXPECT_EQ(out[5], 0.0f);
}

// The derivative computed from the output must match a central difference of the
// sigmoid itself.
TEST(NlfFunctions, SigmoidDerivativeMatchesDifference) {
  const std::vector<float> points = {-4.0f, -1.0f, -0.25f, 0.0f, 0.5f, 3.0f};
  const int count = static_cast<int>(points.size());
  std::vector<float> activation(count);
  std::vector<float> derivative(count);
  sigmoid(points.data(), activation.data(), count);
  sigmoid_derivative_from_output(activation.data(), derivative.data(), count);

  constexpr double kDelta = 1e-3;
  for (int k = 0; k < count; ++k) {
    const double x = points[k];
    const double numeric =
        (1.0 / (1.0 + std::exp(-(x + kDelta))) - 1.0 / (1.0 + std::exp(-(x - kDelta)))) /
        (2.0 * kDelta);
    EXPECT_NEAR(derivative[k], numeric, 1e-6) << "x = " << x;
  }
  EXPECT_FLOAT_EQ(derivative[3], 0.25f);
}

TEST(NlfFunctions, SoftmaxSumsToOne) {
  const std::vector<float> in = {0.1f, -2.0f, 3.5f, 0.0f, 1.25f};
  std::vector<float> out(in.size());
  softmax(in.data(), out.data(), 5);
  EXPECT_NEAR(std::accumulate(out.begin(), out.end(), 0.0), 1.0, 1e-6);

  double denominator = 0.0;
  for (float value : in) {
    denominator += std::exp(static_cast<double>(value));
  }
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(out[k], std::exp(static_cast<double>(in[k])) / denominator, 1e-6);
  }
}

TEST(NlfFunctions, SoftmaxStableForLargeInputs) {
  const std::vector<float> large = {1000.0f, 1001.0f, 1002.0f, -1000.0f};
  const std::vector<float> shifted = {0.0f, 1.0f, 2.0f, -2000.0f};
  std::vector<float> large_out(4);
  std::vector<float> shifted_out(4);
  softmax(large.data(), large_out.data(), 4);
  softmax(shifted.data(), shifted_out.data(), 4);
  for (int k = 0; k < 4; ++k) {
    ASSERT_TRUE(std::isfinite(large_out[k])) << "output " << k;
    EXPECT_NEAR(large_out[k], shifted_out[k], 1e-6) << "output " << k;
  }
  EXPECT_EQ(large_out[3], 0.0f);
  EXPECT_NEAR(large_out[0] + large_out[1] + large_out[2], 1.0f, 1e-6);
}

TEST(NlfFunctions, SoftmaxInPlace) {
  std::vector<float> values = {1.0f, 2.0f, 3.0f};
  std::vector<float> expected(3);
  softmax(values.data(), expected.data(), 3);
  softmax(values.data(), values.data(), 3);
  EXPECT_EQ(values, expected);
}

TEST(NlfFunctions, CrossEntropyErrorSign) {
  const std::vector<float> probabilities = {0.1f, 0.6f, 0.3f};
  std::vector<float> error(3);
  cross_entropy_error(probabilities.data(), 3, 2, error.data());
  EXPECT_FLOAT_EQ(error[0], -0.1f);
  EXPECT_FLOAT_EQ(error[1], -0.6f);
  EXPECT_FLOAT_EQ(error[2], 0.7f);
  EXPECT_NEAR(error[0] + error[1] + error[2], 0.0f, 1e-6);
}

// d is the negative gradient of -log p[label] with respect to the softmax input, so a
// small step z += eta d must lower the loss.
TEST(NlfFunctions, CrossEntropyErrorDescends) {
  std::vector<float> logits = {0.3f, -1.2f, 0.8f, 0.1f};
  const int label = 1;
  std::vector<float> probabilities(4);
  std::vector<float> error(4);
  softmax(logits.data(), probabilities.data(), 4);
  const float loss_before = -std::log(probabilities[label]);
  cross_entropy_error(probabilities.data(), 4, label, error.data());
  for (int k = 0; k < 4; ++k) {
    logits[k] += 0.1f * error[k];
  }
  softmax(logits.data(), probabilities.data(), 4);
  EXPECT_LT(-std::log(probabilities[label]), loss_before);
}

TEST(NlfFunctions, CrossEntropyInvalidLabelThrows) {
  const std::vector<float> probabilities = {0.5f, 0.5f};
  std::vector<float> error(2);
  EXPECT_THROW(cross_entropy_error(probabilities.data(), 2, 2, error.data()),
               std::invalid_argument);
  EXPECT_THROW(cross_entropy_error(probabilities.data(), 2, -1, error.data()),
               std::invalid_argument);
}

TEST(NlfFunctions, AbsMax) {
  const std::vector<float> values = {0.5f, -3.0f, 2.0f};
  EXPECT_EQ(abs_max(values.data(), 3), 3.0f);
  EXPECT_EQ(abs_max(values.data(), 0), 0.0f);
}

TEST(NlfFunctions, ScaleAndMultiplyElementwise) {
  const std::vector<float> a = {1.0f, -2.0f, 0.5f};
  const std::vector<float> b = {4.0f, 0.25f, -2.0f};
  std::vector<float> out(3);
  scale_vector(a.data(), 3.0f, out.data(), 3);
  EXPECT_EQ(out, (std::vector<float>{3.0f, -6.0f, 1.5f}));
  multiply_elementwise(a.data(), b.data(), out.data(), 3);
  EXPECT_EQ(out, (std::vector<float>{4.0f, -0.5f, -1.0f}));
}

}  // namespace
}  // namespace rpusim
