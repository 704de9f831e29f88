// Helpers shared by the unit tests of the SystemC-free numerics: sample statistics, random
// test vectors and the check of a crossbar's line-weight sums.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "models/common/random.hpp"
#include "models/tile/crossbar_array.hpp"

namespace rpusim::testing {

struct SampleMoments {
  double mean = 0.0;
  double std_dev = 0.0;
};

// Returns the mean and the sample standard deviation of `values` (at least two of them).
inline SampleMoments moments(const std::vector<double>& values) {
  double sum = 0.0;
  double sum_squares = 0.0;
  for (double value : values) {
    sum += value;
    sum_squares += value * value;
  }
  const double n = static_cast<double>(values.size());
  SampleMoments result;
  result.mean = sum / n;
  result.std_dev = std::sqrt((sum_squares - n * result.mean * result.mean) / (n - 1.0));
  return result;
}

// Returns `count` values drawn uniformly from [-bound, bound].
inline std::vector<float> uniform_vector(std::size_t count, float bound, RandomEngine& rng) {
  std::uniform_real_distribution<float> uniform(-bound, bound);
  std::vector<float> values(count);
  for (float& value : values) {
    value = uniform(rng);
  }
  return values;
}

// Compares the array's line-weight sums with a fresh double-precision sum of its weights.
inline void expect_line_sums_match(const CrossbarArray& array) {
  std::vector<double> input_sums(array.inputs(), 0.0);
  std::vector<double> output_sums(array.outputs(), 0.0);
  for (int j = 0; j < array.outputs(); ++j) {
    for (int i = 0; i < array.inputs(); ++i) {
      input_sums[i] += array.weight(j, i);
      output_sums[j] += array.weight(j, i);
    }
  }
  for (int i = 0; i < array.inputs(); ++i) {
    EXPECT_NEAR(array.input_line_weight_sums()[i], input_sums[i], 1e-9) << "input line " << i;
  }
  for (int j = 0; j < array.outputs(); ++j) {
    EXPECT_NEAR(array.output_line_weight_sums()[j], output_sums[j], 1e-9) << "output line " << j;
  }
}

}  // namespace rpusim::testing
