// Row kernels of CrossbarArray's pulsed update of ConstantStep devices, shared by
// crossbar_array.cpp, update_kernels_avx2.cpp (built with -mavx2) and update_kernels_avx512.cpp
// (built with -mavx512f). Only the unit tests include it too, to compare the kernels.
#pragma once

#include <cstdint>
#include <cstring>

namespace rpusim::detail {

// Input lines ahead of the current one whose weights and device codes the vector kernels
// prefetch. The hardware prefetcher stops at each 4 KB page, and on the 2-core Xeon of
// docs/performance.md prefetching 512 lines ahead took 0.8 ms off the AVX-512 kernel's 4096 x
// 4096 update without noise (1024 lines ahead gained less). The AVX2 kernel uses the same
// distance, unmeasured. Prefetches past the end of the array are harmless, because a prefetch
// never faults.
constexpr int kPrefetchDistance = 512;

// Lanes of the partial sums of a row's applied change. Both kernels add input line i to partial
// i % kRowSumLanes and add up the partials in lane order, so they return the same total.
constexpr int kRowSumLanes = 8;

// One output line of a ConstantStep update, with every input line's coincidence count.
struct ConstantStepRow {
  float* weights;
  // 16-bit codes of the device values; value = static_cast<float>(code) * scale, as
  // QuantisedValues defines it.
  const std::uint16_t* dw_up;
  const std::uint16_t* dw_down;
  const std::uint16_t* w_max;
  const std::uint16_t* w_min;
  float dw_up_scale;
  float dw_down_scale;
  float w_max_scale;
  float w_min_scale;
  const std::uint8_t* coincidences;      // c_i per input line, 0 where the line is idle
  const std::uint32_t* input_sign_bits;  // 0x80000000 for a negative input line, else 0
  std::uint32_t output_sign_bit;         // 0x80000000 for a negative output line, else 0
  // One standard normal draw per input line with c_i > 0, in line order, followed by at least
  // kRowSumLanes readable floats; unused when step_std is 0.
  const float* noise;
  float step_std;  // dw_min_std
  int inputs;
  double* column_sums;  // gets each input line's applied change added
};

// Moves weight i of `row` (with c_i > 0) by s * dw_s * (c_i + step_std sqrt(c_i) xi) and clips
// it to the device bounds, where s = s_x s_d is the update direction and dw_s is dw_up for
// s = +1 and dw_down for s = -1. Returns the applied change. The function has internal linkage,
// so the -mavx2 file keeps its own copy.
[[gnu::always_inline]] static inline double update_constant_step_cross_point(
    const ConstantStepRow& row, int i, float xi, bool noise) {
  const auto count = static_cast<float>(row.coincidences[i]);
  float pulses = count;
  if (noise) {
    pulses += row.step_std * __builtin_sqrtf(count) * xi;
  }
  const std::uint32_t direction_bit = row.input_sign_bits[i] ^ row.output_sign_bit;
  std::uint32_t pattern;
  std::memcpy(&pattern, &pulses, sizeof pattern);
  pattern ^= direction_bit;
  std::memcpy(&pulses, &pattern, sizeof pattern);
  const float up_step = static_cast<float>(row.dw_up[i]) * row.dw_up_scale;
  const float down_step = static_cast<float>(row.dw_down[i]) * row.dw_down_scale;
  const float step = direction_bit == 0 ? up_step : down_step;
  const float lower = static_cast<float>(row.w_min[i]) * row.w_min_scale;
  const float upper = static_cast<float>(row.w_max[i]) * row.w_max_scale;

  const float old_weight = row.weights[i];
  float weight = old_weight + step * pulses;
  // max and then min with the operand order of the SSE and AVX instructions.
  weight = weight > lower ? weight : lower;
  weight = weight < upper ? weight : upper;
  row.weights[i] = weight;
  return static_cast<double>(weight) - static_cast<double>(old_weight);
}

// Applies the coincidences of one row and returns the row's total applied change. Input lines
// with c_i = 0 keep their weights. With `noise` false the draws are not read (dw_min_std 0).
double update_constant_step_row_portable(const ConstantStepRow& row, bool noise);
// The same with AVX2, with results equal bit for bit. Call it only where the processor has AVX2.
double update_constant_step_row_avx2(const ConstantStepRow& row, bool noise);
// The same with AVX-512F, with results equal bit for bit. Call it only where the processor has
// AVX-512F.
double update_constant_step_row_avx512(const ConstantStepRow& row, bool noise);

}  // namespace rpusim::detail
