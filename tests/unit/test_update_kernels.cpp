#include "models/tile/update_kernels.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace rpusim {
namespace {

// A row of 1003 input lines (a tail after the last full vector) with random device codes,
// signs, weights near and beyond the bounds, and 0 to 3 coincidences per line.
struct RowData {
  static constexpr int kInputs = 1003;
  std::vector<float> weights;
  std::vector<std::uint16_t> dw_up, dw_down, w_max, w_min;
  std::vector<std::uint8_t> coincidences;
  std::vector<std::uint32_t> sign_bits;
  std::vector<float> noise;
  std::vector<double> column_sums;

  explicit RowData(std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> code(0, 65535);
    std::uniform_int_distribution<int> count(0, 3);
    std::uniform_real_distribution<float> weight(-0.7f, 0.7f);
    std::normal_distribution<float> normal;
    for (int i = 0; i < kInputs; ++i) {
      weights.push_back(weight(rng));
      dw_up.push_back(static_cast<std::uint16_t>(code(rng)));
      dw_down.push_back(static_cast<std::uint16_t>(code(rng)));
      w_max.push_back(static_cast<std::uint16_t>(code(rng)));
      w_min.push_back(static_cast<std::uint16_t>(code(rng)));
      coincidences.push_back(static_cast<std::uint8_t>(count(rng) * (rng() % 2)));
      sign_bits.push_back(rng() % 2 == 0 ? 0u : 0x80000000u);
      column_sums.push_back(weight(rng));
    }
    noise.resize(kInputs + detail::kRowSumLanes);
    for (float& draw : noise) {
      draw = normal(rng);
    }
  }

  detail::ConstantStepRow row(std::uint32_t output_sign_bit) {
    detail::ConstantStepRow row{};
    row.weights = weights.data();
    row.dw_up = dw_up.data();
    row.dw_down = dw_down.data();
    row.w_max = w_max.data();
    row.w_min = w_min.data();
    // Steps up to 0.05 and bounds up to 0.6 in magnitude.
    row.dw_up_scale = 0.05f / 65535.0f;
    row.dw_down_scale = 0.04f / 65535.0f;
    row.w_max_scale = 0.6f / 65535.0f;
    row.w_min_scale = -0.5f / 65535.0f;
    row.coincidences = coincidences.data();
    row.input_sign_bits = sign_bits.data();
    row.output_sign_bit = output_sign_bit;
    row.noise = noise.data();
    row.step_std = 0.3f;
    row.inputs = kInputs;
    row.column_sums = column_sums.data();
    return row;
  }
};

// The AVX2 kernel promises the portable kernel's results bit for bit: weights, column sums
// and row total, with and without noise and for both output signs.
TEST(ConstantStepRowKernels, Avx2MatchesPortable) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2")) {
    GTEST_SKIP() << "the processor has no AVX2";
  }
  for (bool noise : {false, true}) {
    for (std::uint32_t output_sign_bit : {0u, 0x80000000u}) {
      RowData portable(11);
      RowData vectorised(11);
      const double portable_total =
          detail::update_constant_step_row_portable(portable.row(output_sign_bit), noise);
      const double vectorised_total =
          detail::update_constant_step_row_avx2(vectorised.row(output_sign_bit), noise);
      EXPECT_EQ(vectorised.weights, portable.weights) << "noise " << noise;
      EXPECT_EQ(vectorised.column_sums, portable.column_sums) << "noise " << noise;
      EXPECT_EQ(vectorised_total, portable_total) << "noise " << noise;
    }
  }
}

// The AVX-512 kernel promises the same, and adds line i + 8 after line i to their lane.
TEST(ConstantStepRowKernels, Avx512MatchesPortable) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) {
    GTEST_SKIP() << "the processor has no AVX-512F";
  }
  for (bool noise : {false, true}) {
    for (std::uint32_t output_sign_bit : {0u, 0x80000000u}) {
      RowData portable(13);
      RowData vectorised(13);
      const double portable_total =
          detail::update_constant_step_row_portable(portable.row(output_sign_bit), noise);
      const double vectorised_total =
          detail::update_constant_step_row_avx512(vectorised.row(output_sign_bit), noise);
      EXPECT_EQ(vectorised.weights, portable.weights) << "noise " << noise;
      EXPECT_EQ(vectorised.column_sums, portable.column_sums) << "noise " << noise;
      EXPECT_EQ(vectorised_total, portable_total) << "noise " << noise;
    }
  }
}

// Lines without coincidences keep their weights even outside the bounds, as the sparse update
// did; the others end inside their bounds.
TEST(ConstantStepRowKernels, OnlyCoincidentLinesMove) {
  RowData data(12);
  for (int i = 0; i < RowData::kInputs; i += 5) {
    data.weights[i] = 2.0f;  // beyond every upper bound
  }
  const std::vector<float> before = data.weights;
  detail::ConstantStepRow row = data.row(0u);
  const double total = detail::update_constant_step_row_portable(row, true);

  double applied = 0.0;
  for (int i = 0; i < RowData::kInputs; ++i) {
    if (data.coincidences[i] == 0) {
      EXPECT_EQ(data.weights[i], before[i]) << "line " << i;
      continue;
    }
    EXPECT_LE(data.weights[i], static_cast<float>(data.w_max[i]) * row.w_max_scale) << i;
    EXPECT_GE(data.weights[i], static_cast<float>(data.w_min[i]) * row.w_min_scale) << i;
    applied += static_cast<double>(data.weights[i]) - before[i];
  }
  EXPECT_NEAR(total, applied, 1e-9);
}

}  // namespace
}  // namespace rpusim
