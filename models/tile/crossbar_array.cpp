#include "models/tile/crossbar_array.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

#include "models/common/normal_batch.hpp"
#include "models/tile/update_kernels.hpp"

namespace rpusim {

namespace {

// Independent partial sums per dot product: they break the floating-point dependency
// chain so the compiler can vectorise without reassociating (no -ffast-math).
constexpr int kDotLanes = 16;

float dot_product(const float* __restrict a, const float* __restrict b, int count) {
  float partial[kDotLanes] = {};
  int i = 0;
  for (; i + kDotLanes <= count; i += kDotLanes) {
    for (int lane = 0; lane < kDotLanes; ++lane) {
      partial[lane] += a[i + lane] * b[i + lane];
    }
  }
  float sum = 0.0f;
  for (int lane = 0; lane < kDotLanes; ++lane) {
    sum += partial[lane];
  }
  for (; i < count; ++i) {
    sum += a[i] * b[i];
  }
  return sum;
}

// Weights ahead of the current ones that the reads prefetch, one cache line (kDotLanes floats)
// per row and step, because the hardware prefetcher stops at each 4 KB page.
constexpr int kReadPrefetchDistance = 512;

// Returns the dot product from its kDotLanes partial sums over a[0, done) and b[0, done), adding
// the remaining terms in the order dot_product adds them.
inline float finish_dot_product(const float* partial, const float* a, const float* b, int done,
                                int count) {
  float sum = 0.0f;
  for (int lane = 0; lane < kDotLanes; ++lane) {
    sum += partial[lane];
  }
  for (int i = done; i < count; ++i) {
    sum += a[i] * b[i];
  }
  return sum;
}

// y[j] = dot_product(row j, x) for j < rows, with the same sums, four rows per pass so that
// each block of x is loaded once for four rows.
[[gnu::target_clones("avx2", "default")]] void multiply_rows(const float* __restrict weights,
                                                             int rows, int inputs,
                                                             const float* __restrict x,
                                                             float* __restrict y) {
  int j = 0;
  for (; j + 4 <= rows; j += 4) {
    const float* __restrict row0 = weights + static_cast<std::size_t>(j) * inputs;
    const float* __restrict row1 = row0 + inputs;
    const float* __restrict row2 = row1 + inputs;
    const float* __restrict row3 = row2 + inputs;
    // One array of partial sums per row (not one 2-D array), which GCC keeps in registers.
    float partial0[kDotLanes] = {};
    float partial1[kDotLanes] = {};
    float partial2[kDotLanes] = {};
    float partial3[kDotLanes] = {};
    int i = 0;
    for (; i + kDotLanes <= inputs; i += kDotLanes) {
      __builtin_prefetch(row0 + i + kReadPrefetchDistance);
      __builtin_prefetch(row1 + i + kReadPrefetchDistance);
      __builtin_prefetch(row2 + i + kReadPrefetchDistance);
      __builtin_prefetch(row3 + i + kReadPrefetchDistance);
      for (int lane = 0; lane < kDotLanes; ++lane) {
        const float input = x[i + lane];
        partial0[lane] += row0[i + lane] * input;
        partial1[lane] += row1[i + lane] * input;
        partial2[lane] += row2[i + lane] * input;
        partial3[lane] += row3[i + lane] * input;
      }
    }
    y[j] = finish_dot_product(partial0, row0, x, i, inputs);
    y[j + 1] = finish_dot_product(partial1, row1, x, i, inputs);
    y[j + 2] = finish_dot_product(partial2, row2, x, i, inputs);
    y[j + 3] = finish_dot_product(partial3, row3, x, i, inputs);
  }
  for (; j < rows; ++j) {
    y[j] = dot_product(weights + static_cast<std::size_t>(j) * inputs, x, inputs);
  }
}

constexpr int kAccumulatedRows = 4;

// z[i] += d[j] W[j][i] for the listed rows j in list order, four rows per pass over z. Each
// z[i] gets the rows' terms one at a time in list order, as a loop over single rows adds them.
[[gnu::target_clones("avx2", "default")]] void accumulate_rows(const float* __restrict weights,
                                                               int inputs,
                                                               const int* __restrict rows,
                                                               int count, const float* __restrict d,
                                                               float* __restrict z) {
  constexpr int kRows = kAccumulatedRows;
  int k = 0;
  for (; k + kRows <= count; k += kRows) {
    const float* __restrict row[kRows];
    float scale[kRows];
    for (int r = 0; r < kRows; ++r) {
      row[r] = weights + static_cast<std::size_t>(rows[k + r]) * inputs;
      scale[r] = d[rows[k + r]];
    }
    int i = 0;
    for (; i + kDotLanes <= inputs; i += kDotLanes) {
      for (int r = 0; r < kRows; ++r) {
        __builtin_prefetch(row[r] + i + kReadPrefetchDistance);
      }
      for (int lane = i; lane < i + kDotLanes; ++lane) {
        float sum = z[lane];
        sum += scale[0] * row[0][lane];
        sum += scale[1] * row[1][lane];
        sum += scale[2] * row[2][lane];
        sum += scale[3] * row[3][lane];
        z[lane] = sum;
      }
    }
    for (; i < inputs; ++i) {
      float sum = z[i];
      sum += scale[0] * row[0][i];
      sum += scale[1] * row[1][i];
      sum += scale[2] * row[2][i];
      sum += scale[3] * row[3][i];
      z[i] = sum;
    }
  }
  for (; k < count; ++k) {
    const float* __restrict row = weights + static_cast<std::size_t>(rows[k]) * inputs;
    const float scale = d[rows[k]];
    for (int i = 0; i < inputs; ++i) {
      z[i] += scale * row[i];
    }
  }
}

// Returns `value` with its sign bit flipped where `sign_bit` (0 or 0x80000000) is set.
float flip_sign(float value, std::uint32_t sign_bit) {
  std::uint32_t pattern;
  std::memcpy(&pattern, &value, sizeof pattern);
  pattern ^= sign_bit;
  std::memcpy(&value, &pattern, sizeof pattern);
  return value;
}

// Source of the cycle-to-cycle Gaussian draws of one apply_pulses call: a NormalBatch stream
// keyed by one 64-bit word of the caller's engine.
class NormalSource {
 public:
  explicit NormalSource(RandomEngine& seed_source) : normals_(seed_source()) {}

  void fill(float* out, int count) { normals_.fill(out, count); }

 private:
  NormalBatch normals_;
};

// Lists the active inputs whose streams coincide with `output_bits`, with the number of
// coincident slots, and returns how many there are. Written without branches because
// about half of all pairs coincide, which no branch predictor can guess.
[[gnu::always_inline]] inline int collect_coincidences_body(
    std::uint64_t output_bits, const std::uint64_t* __restrict input_bits,
    const int* __restrict input_code, int count, int* __restrict coincident_code,
    int* __restrict coincident_slots) {
  int coincident = 0;
  for (int k = 0; k < count; ++k) {
    const int slots = __builtin_popcountll(output_bits & input_bits[k]);
    coincident_code[coincident] = input_code[k];
    coincident_slots[coincident] = slots;
    coincident += slots != 0;
  }
  return coincident;
}

// Two builds of the same loop: with the popcnt instruction, and with libgcc's portable
// routine for x86-64 processors that lack it. The baseline x86-64 target has no popcnt.
[[gnu::target("popcnt")]] int collect_coincidences_popcnt(std::uint64_t output_bits,
                                                          const std::uint64_t* input_bits,
                                                          const int* input_code, int count,
                                                          int* coincident_code,
                                                          int* coincident_slots) {
  return collect_coincidences_body(output_bits, input_bits, input_code, count, coincident_code,
                                   coincident_slots);
}

int collect_coincidences_portable(std::uint64_t output_bits, const std::uint64_t* input_bits,
                                  const int* input_code, int count, int* coincident_code,
                                  int* coincident_slots) {
  return collect_coincidences_body(output_bits, input_bits, input_code, count, coincident_code,
                                   coincident_slots);
}

using CollectCoincidences = int (*)(std::uint64_t, const std::uint64_t*, const int*, int, int*,
                                    int*);

CollectCoincidences select_collect_coincidences() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt") ? collect_coincidences_popcnt
                                          : collect_coincidences_portable;
}

using ConstantStepRowKernel = double (*)(const detail::ConstantStepRow&, bool);

ConstantStepRowKernel select_constant_step_row_kernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    return detail::update_constant_step_row_avx512;
  }
  return __builtin_cpu_supports("avx2") ? detail::update_constant_step_row_avx2
                                        : detail::update_constant_step_row_portable;
}

// The slices of one output line (one row of W) that a pulsed update touches.
struct RowSlices {
  float* weights;
  const float* steps[2];   // dw_down at index 0, dw_up at index 1
  const float* slopes[2];  // slope_down, slope_up; nullptr for ConstantStep devices
  const float* upper;
  const float* lower;
};

// Applies the coincidences listed for one output line and returns the row's total applied
// change. Input line codes are i for positive and ~i for negative polarity. Each
// cross-point moves by direction * step * (n + dw_min_std sqrt(n) xi), with the direction
// sign(x_i) sign(d_j) choosing dw_up or dw_down even where the noise reverses the move (as
// aihwkit does), then is clipped to its bounds. kSingleSlot: every n is 1 and `slots` is
// unused. Branches on the polarity would be mispredicted half of the time, so the
// direction is applied by indexing and by flipping the sign bit.
template <bool kNoise, bool kSingleSlot>
double update_row(const RowSlices& row, const int* __restrict codes, const int* __restrict slots,
                  int count, bool output_positive, const float* noise_per_root,
                  NormalSource* normal, float* __restrict noise, double* __restrict column_sums) {
  if constexpr (kNoise) {
    normal->fill(noise, count);
  }
  const std::uint32_t output_sign_bit = output_positive ? 0u : 0x80000000u;
  const int output_up = output_positive;
  // Two partial sums halve the floating-point dependency chain of the row total.
  double row_delta[2] = {0.0, 0.0};
  for (int k = 0; k < count; ++k) {
    const int code = codes[k];
    const int i = code ^ (code >> 31);  // ~code for a negative input line
    const int n = kSingleSlot ? 1 : slots[k];
    float pulses = static_cast<float>(n);
    if constexpr (kNoise) {
      pulses += noise_per_root[n] * noise[k];
    }
    const std::uint32_t input_sign_bit = static_cast<std::uint32_t>(code) & 0x80000000u;
    pulses = flip_sign(pulses, input_sign_bit ^ output_sign_bit);
    const float step = row.steps[static_cast<int>(code >= 0) == output_up][i];

    const float old_weight = row.weights[i];
    const float new_weight = std::clamp(old_weight + step * pulses, row.lower[i], row.upper[i]);
    row.weights[i] = new_weight;
    const double applied = static_cast<double>(new_weight) - old_weight;
    column_sums[i] += applied;
    row_delta[k & 1] += applied;
  }
  return row_delta[0] + row_delta[1];
}

// Applies the coincidences listed for one output line to state-dependent (LinearStep or
// SoftBounds) devices and returns the row's total applied change. Each of a cross-point's
// n pulses moves its weight by direction * (dw + slope w), with its own cycle-to-cycle draw
// (multiplying the step, or adding dw dw_min_std xi without mult_noise), and is clipped to the
// bounds. kSingleSlot: every n is 1 and `slots` is unused. `noise` has room for one draw per
// coincidence.
template <bool kNoise, bool kSingleSlot>
double update_row_state_dependent(const RowSlices& row, const int* __restrict codes,
                                  const int* __restrict slots, int count, bool output_positive,
                                  float step_std, bool mult_noise, NormalSource* normal,
                                  float* __restrict noise, double* __restrict column_sums) {
  if constexpr (kNoise) {
    int pulses = count;
    if constexpr (!kSingleSlot) {
      pulses = 0;
      for (int k = 0; k < count; ++k) pulses += slots[k];
    }
    normal->fill(noise, pulses);
  }
  const int output_up = output_positive;
  // Two partial sums halve the floating-point dependency chain of the row total.
  double row_delta[2] = {0.0, 0.0};
  for (int k = 0; k < count; ++k) {
    const int code = codes[k];
    const int i = code ^ (code >> 31);  // ~code for a negative input line
    const int n = kSingleSlot ? 1 : slots[k];
    const int up = static_cast<int>(code >= 0) == output_up;
    const float direction = up ? 1.0f : -1.0f;
    const float dw = row.steps[up][i];
    const float slope = row.slopes[up][i];
    const float lower = row.lower[i];
    const float upper = row.upper[i];

    const float old_weight = row.weights[i];
    float weight = old_weight;
    for (int pulse = 0; pulse < n; ++pulse) {
      float step = dw + slope * weight;
      if constexpr (kNoise) {
        const float xi = *noise++;
        step = mult_noise ? step * (1.0f + step_std * xi) : step + dw * step_std * xi;
      }
      weight = std::clamp(weight + direction * step, lower, upper);
    }
    row.weights[i] = weight;
    const double applied = static_cast<double>(weight) - old_weight;
    column_sums[i] += applied;
    row_delta[k & 1] += applied;
  }
  return row_delta[0] + row_delta[1];
}

// Inputs of the half-select pass of one output line. For each input line i: its pulse count,
// its direction (+1, -1, or 0 when it does not pulse) and its coincidences with this output
// line. For the output line: its pulse count and direction (0 when it does not pulse).
struct HalfSelectRow {
  const int* __restrict input_pulses;
  const float* __restrict input_directions;
  const int* __restrict coincidences;
  int output_pulses;
  float output_direction;
  float factor;  // k
  int inputs;
};

// Partial sums of accumulate_applied. apply_input_half_select_row adds in the same order.
constexpr int kAppliedSumLanes = 4;

// Adds applied[i] to column_sums[i] and returns the total. The lanes of partial sums let the
// compiler vectorise the loop without reassociating.
double accumulate_applied(const double* __restrict applied, int length,
                          double* __restrict column_sums) {
  constexpr int kLanes = kAppliedSumLanes;
  double partial[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= length; i += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) {
      column_sums[i + lane] += applied[i + lane];
      partial[lane] += applied[i + lane];
    }
  }
  double total = (partial[0] + partial[1]) + (partial[2] + partial[3]);
  for (; i < length; ++i) {
    column_sums[i] += applied[i];
    total += applied[i];
  }
  return total;
}

// Length of the blocks in which the half-select pass works, so that its scratch arrays stay
// in the L1 cache.
constexpr int kHalfSelectBlock = 256;

// Returns `weight` moved by `pulses` half steps of `step` in `direction` (+1 or -1) and
// clipped to [lower, upper]. Both half-select passes use it, so they give the same weights.
inline float half_step_constant(float weight, float factor, float direction, float pulses,
                                float step, float lower, float upper) {
  return std::min(std::max(weight + factor * direction * pulses * step, lower), upper);
}

// Moves the ConstantStep weights of one block by their half-selected pulses. A run of m
// equal steps clipped after each step equals one move of m steps clipped once, so each
// line's half pulses are one move.
template <bool kOutputPulsed>
void half_select_block_constant_step(const RowSlices& row, const HalfSelectRow& half, int start,
                                     int length) {
  float* __restrict weights = row.weights + start;
  const float* __restrict up_steps = row.steps[1] + start;
  const float* __restrict down_steps = row.steps[0] + start;
  const float* __restrict output_steps = row.steps[half.output_direction > 0.0f] + start;
  const float* __restrict lower = row.lower + start;
  const float* __restrict upper = row.upper + start;
  const int* __restrict input_pulses = half.input_pulses + start;
  const float* __restrict directions = half.input_directions + start;
  const int* __restrict coincidences = half.coincidences + start;
  const float output_scale = half.factor * half.output_direction;
  const auto output_pulses = static_cast<float>(half.output_pulses);
  for (int i = 0; i < length; ++i) {
    // Both steps are loaded before the choice, which keeps the loop free of branches.
    const float up_step = up_steps[i];
    const float down_step = down_steps[i];
    const float direction = directions[i];
    const float input_step = direction > 0.0f ? up_step : down_step;
    const auto coincident = static_cast<float>(coincidences[i]);
    const float input_only = static_cast<float>(input_pulses[i]) - coincident;
    float weight = half_step_constant(weights[i], half.factor, direction, input_only, input_step,
                                      lower[i], upper[i]);
    if constexpr (kOutputPulsed) {
      weight += output_scale * (output_pulses - coincident) * output_steps[i];
      weight = std::min(std::max(weight, lower[i]), upper[i]);
    }
    weights[i] = weight;
  }
}

// Whether a block takes the steps one at a time: some device of it has 1 + e <= 0. A device
// without half pulses has scale 0 and so e = 0.
bool half_steps_one_at_a_time(const float* __restrict scale, const float* __restrict slope,
                              int length) {
  int decreasing = 0;
  for (int i = 0; i < length; ++i) {
    decreasing |= static_cast<int>(scale[i] * slope[i] <= -1.0f);
  }
  return decreasing != 0;
}

// Applies `pulses[i]` half steps of scale[i] * (dw[i] + slope[i] w) to each weight of a
// block, clipping after each step. One step is the affine map w -> (1 + e) w + b with
// e = scale slope and b = scale dw, so m steps are one map w -> (1 + E) w + B, composed here
// from the maps of 1, 2, 4, ... steps. E and B are kept apart from the 1, which keeps their
// precision. While 1 + e > 0 the map is increasing: the m steps move the weight
// monotonically, and a weight that reaches a bound stays there, so clipping once at the end
// equals clipping after every step, up to float rounding. A block with some 1 + e <= 0
// (k gamma dw at least the reference bound) takes the steps one at a time: the caller gives
// `one_at_a_time` = half_steps_one_at_a_time() of the block.
void half_steps_block(float* __restrict weights, const int* __restrict pulses,
                      const float* __restrict scale, const float* __restrict dw,
                      const float* __restrict slope, const float* __restrict lower,
                      const float* __restrict upper, int length, int max_pulses,
                      bool one_at_a_time) {
  float power_e[kHalfSelectBlock];  // e and b of the map of 2^bit steps
  float power_b[kHalfSelectBlock];
  float total_e[kHalfSelectBlock];  // E and B of the steps composed so far
  float total_b[kHalfSelectBlock];
  for (int i = 0; i < length; ++i) {
    power_e[i] = scale[i] * slope[i];
    power_b[i] = scale[i] * dw[i];
    total_e[i] = 0.0f;
    total_b[i] = 0.0f;
  }

  if (!one_at_a_time) {
    for (int bit = 0; (max_pulses >> bit) != 0; ++bit) {
      for (int i = 0; i < length; ++i) {
        // Composing with the map of 2^bit steps: (1 + E)(1 + e) = 1 + E + e + E e, and B
        // becomes (1 + E) b + B. `use` is 0 or 1, a product in place of a branch.
        const auto use = static_cast<float>((pulses[i] >> bit) & 1);
        const float added_e = use * (power_e[i] + total_e[i] * power_e[i]);
        const float added_b = use * (power_b[i] + total_e[i] * power_b[i]);
        total_e[i] += added_e;
        total_b[i] += added_b;
        power_b[i] *= 2.0f + power_e[i];
        power_e[i] *= 2.0f + power_e[i];
      }
    }
    for (int i = 0; i < length; ++i) {
      const float moved = weights[i] + (total_e[i] * weights[i] + total_b[i]);
      weights[i] = std::min(std::max(moved, lower[i]), upper[i]);
    }
    return;
  }

  for (int pulse = 0; pulse < max_pulses; ++pulse) {
    for (int i = 0; i < length; ++i) {
      const float stepped = std::min(
          std::max(weights[i] + scale[i] * (dw[i] + slope[i] * weights[i]), lower[i]), upper[i]);
      weights[i] = pulse < pulses[i] ? stepped : weights[i];
    }
  }
}

// Moves the state-dependent weights of one block by their half-selected pulses: the input
// line's first, then the output line's.
void half_select_block_state_dependent(const RowSlices& row, const HalfSelectRow& half, int start,
                                       int length) {
  int pulses[kHalfSelectBlock];
  float scale[kHalfSelectBlock];
  float dw[kHalfSelectBlock];
  float slope[kHalfSelectBlock];
  float* weights = row.weights + start;
  const float* lower = row.lower + start;
  const float* upper = row.upper + start;

  const float* __restrict up_steps = row.steps[1] + start;
  const float* __restrict down_steps = row.steps[0] + start;
  const float* __restrict up_slopes = row.slopes[1] + start;
  const float* __restrict down_slopes = row.slopes[0] + start;
  const float* __restrict directions = half.input_directions + start;
  const int* __restrict input_pulses = half.input_pulses + start;
  const int* __restrict coincidences = half.coincidences + start;
  // Each loop loads both values before the choice, which keeps it free of branches; GCC 12
  // does not if-convert the two choices in one loop.
  for (int i = 0; i < length; ++i) {
    const float up_step = up_steps[i];
    const float down_step = down_steps[i];
    dw[i] = directions[i] > 0.0f ? up_step : down_step;
  }
  for (int i = 0; i < length; ++i) {
    const float up_slope = up_slopes[i];
    const float down_slope = down_slopes[i];
    slope[i] = directions[i] > 0.0f ? up_slope : down_slope;
  }
  int max_pulses = 0;
  for (int i = 0; i < length; ++i) {
    pulses[i] = input_pulses[i] - coincidences[i];
    scale[i] = half.factor * directions[i];
    max_pulses = std::max(max_pulses, pulses[i]);
  }
  half_steps_block(weights, pulses, scale, dw, slope, lower, upper, length, max_pulses,
                   half_steps_one_at_a_time(scale, slope, length));

  if (half.output_pulses == 0) {
    return;
  }
  const int output_up = half.output_direction > 0.0f;
  const float output_scale = half.factor * half.output_direction;
  const float* __restrict output_steps = row.steps[output_up] + start;
  const float* __restrict output_slopes = row.slopes[output_up] + start;
  for (int i = 0; i < length; ++i) {
    pulses[i] = half.output_pulses - coincidences[i];
    scale[i] = output_scale;
    dw[i] = output_steps[i];
    slope[i] = output_slopes[i];
  }
  half_steps_block(weights, pulses, scale, dw, slope, lower, upper, length, half.output_pulses,
                   half_steps_one_at_a_time(scale, slope, length));
}

// Applies the half-selected pulses of one output line and returns the row's total applied
// change; adds each device's change to column_sums.
template <bool kStateDependent, bool kOutputPulsed>
double half_select_row(const RowSlices& row, const HalfSelectRow& half,
                       double* __restrict column_sums) {
  float old_weights[kHalfSelectBlock];
  double applied[kHalfSelectBlock];
  double row_delta = 0.0;
  for (int start = 0; start < half.inputs; start += kHalfSelectBlock) {
    const int length = std::min(kHalfSelectBlock, half.inputs - start);
    float* weights = row.weights + start;
    std::copy(weights, weights + length, old_weights);
    if constexpr (kStateDependent) {
      half_select_block_state_dependent(row, half, start, length);
    } else {
      half_select_block_constant_step<kOutputPulsed>(row, half, start, length);
    }
    for (int i = 0; i < length; ++i) {
      applied[i] = static_cast<double>(weights[i]) - old_weights[i];
    }
    row_delta += accumulate_applied(applied, length, column_sums + start);
  }
  return row_delta;
}

}  // namespace

namespace detail {

double update_constant_step_row_portable(const ConstantStepRow& row, bool noise) {
  double partial[kRowSumLanes] = {};
  int drawn = 0;
  for (int i = 0; i < row.inputs; ++i) {
    if (row.coincidences[i] == 0) {
      continue;
    }
    const float xi = noise ? row.noise[drawn++] : 0.0f;
    const double applied = update_constant_step_cross_point(row, i, xi, noise);
    row.column_sums[i] += applied;
    partial[i % kRowSumLanes] += applied;
  }
  double total = 0.0;
  for (double lane_sum : partial) {
    total += lane_sum;
  }
  return total;
}

}  // namespace detail

CrossbarArray::CrossbarArray(int outputs, int inputs, const DeviceParams& device,
                             RandomEngine& device_rng)
    : outputs_(outputs),
      inputs_(inputs),
      device_params_(device),
      state_dependent_(device.model != DeviceModel::constant_step) {
  if (outputs <= 0 || inputs <= 0) {
    throw std::invalid_argument("crossbar array size " + std::to_string(outputs) + " x " +
                                std::to_string(inputs) +
                                " is invalid: outputs and inputs must be > 0");
  }
  validate_device_params(device);
  const std::size_t cross_points = static_cast<std::size_t>(outputs) * inputs;
  devices_ = sample_device_array(device, cross_points, device_rng);
  weights_.assign(cross_points, 0.0f);
  input_line_sums_.assign(inputs, 0.0);
  output_line_sums_.assign(outputs, 0.0);
  active_input_bits_.resize(inputs);
  active_input_code_.resize(inputs);
  coincident_input_code_.resize(inputs);
  coincident_input_slots_.resize(inputs);
  slot_input_codes_.resize(static_cast<std::size_t>(inputs) * kMaxBitLength);
  slot_offsets_.resize(kMaxBitLength + 1);
  slot_fill_.resize(kMaxBitLength);
  // One draw per coincidence: up to kMaxBitLength per input line in one row, and the
  // kRowSumLanes floats that the AVX2 row kernel may read past the last draw.
  coincident_noise_.resize(static_cast<std::size_t>(inputs) * kMaxBitLength + detail::kRowSumLanes);
  if (!state_dependent_) {
    input_planes_.resize(static_cast<std::size_t>(inputs) * kMaxBitLength);
    slot_pulses_.resize(kMaxBitLength);
    input_sign_bits_.resize(inputs);
    row_coincidence_counts_.resize(inputs);
  }
  row_dw_up_.resize(inputs);
  row_dw_down_.resize(inputs);
  row_w_max_.resize(inputs);
  row_w_min_.resize(inputs);
  input_pulse_counts_.assign(inputs, 0);
  input_directions_.assign(inputs, 0.0f);
  row_coincidences_.assign(inputs, 0);
}

CrossbarArray::CrossbarArray(int outputs, int inputs, const ConstantStepParams& device,
                             RandomEngine& device_rng)
    : CrossbarArray(outputs, inputs, constant_step_device(device), device_rng) {}

void CrossbarArray::set_weights(const std::vector<float>& weights) {
  if (weights.size() != weights_.size()) {
    throw std::invalid_argument("weight matrix of " + std::to_string(weights.size()) +
                                " values does not match the " + std::to_string(outputs_) + " x " +
                                std::to_string(inputs_) + " array");
  }
  for (std::size_t k = 0; k < weights.size(); ++k) {
    weights_[k] = std::clamp(weights[k], devices_.w_min[k], devices_.w_max[k]);
  }
  recompute_line_sums();
}

void CrossbarArray::recompute_line_sums() const {
  std::fill(input_line_sums_.begin(), input_line_sums_.end(), 0.0);
  for (int j = 0; j < outputs_; ++j) {
    const float* row = &weights_[index(j, 0)];
    double row_sum = 0.0;
    for (int i = 0; i < inputs_; ++i) {
      row_sum += row[i];
      input_line_sums_[i] += row[i];
    }
    output_line_sums_[j] = row_sum;
  }
  line_sums_stale_ = false;
}

void CrossbarArray::multiply(const float* x, float* y) const {
  multiply_rows(weights_.data(), outputs_, inputs_, x, y);
}

void CrossbarArray::multiply_transposed(const float* d, float* z) const {
  std::fill(z, z + inputs_, 0.0f);
  // The output lines with d_j != 0, handed on in groups of kAccumulatedRows.
  int rows[kAccumulatedRows];
  int count = 0;
  for (int j = 0; j < outputs_; ++j) {
    rows[count] = j;
    count += d[j] != 0.0f;
    if (count == kAccumulatedRows) {
      accumulate_rows(weights_.data(), inputs_, rows, count, d, z);
      count = 0;
    }
  }
  accumulate_rows(weights_.data(), inputs_, rows, count, d, z);
}

void CrossbarArray::apply_exact_update(const float* x, const float* d, float learning_rate) {
  for (int j = 0; j < outputs_; ++j) {
    const float scale = learning_rate * d[j];
    if (scale == 0.0f) {
      continue;
    }
    float* __restrict row = &weights_[index(j, 0)];
    for (int i = 0; i < inputs_; ++i) {
      row[i] += scale * x[i];
    }
  }
  line_sums_stale_ = true;
}

void CrossbarArray::check_streams(const PulseStreams& input, const PulseStreams& output) const {
  const auto matches = [](const PulseStreams& streams, int lines) {
    const auto size = static_cast<std::size_t>(lines);
    return streams.bits.size() == size && streams.sign.size() == size;
  };
  if (!matches(input, inputs_) || !matches(output, outputs_)) {
    throw std::invalid_argument("pulse streams for " + std::to_string(input.bits.size()) +
                                " input and " + std::to_string(output.bits.size()) +
                                " output lines do not match the " + std::to_string(outputs_) +
                                " x " + std::to_string(inputs_) + " array");
  }
  if (input.length != output.length || input.length < 1 || input.length > kMaxBitLength) {
    throw std::invalid_argument("pulse stream lengths " + std::to_string(input.length) +
                                " (input) and " + std::to_string(output.length) +
                                " (output) are invalid: must be equal and 1.." +
                                std::to_string(kMaxBitLength));
  }
}

int CrossbarArray::collect_active_inputs(const PulseStreams& input) {
  int active = 0;
  for (int i = 0; i < inputs_; ++i) {
    const int sign = input.sign[i];
    if (input.bits[i] != 0 && sign != 0) {
      active_input_bits_[active] = input.bits[i];
      active_input_code_[active] = sign > 0 ? i : ~i;
      ++active;
    }
  }
  return active;
}

void CrossbarArray::collect_slot_lists(int active) {
  std::fill(slot_offsets_.begin(), slot_offsets_.end(), 0);
  for (int a = 0; a < active; ++a) {
    for (std::uint64_t bits = active_input_bits_[a]; bits != 0; bits &= bits - 1) {
      ++slot_offsets_[__builtin_ctzll(bits) + 1];
    }
  }
  for (int slot = 0; slot < kMaxBitLength; ++slot) {
    slot_offsets_[slot + 1] += slot_offsets_[slot];
  }
  // slot_fill_ starts at each list's offset and ends at the next one.
  std::copy(slot_offsets_.begin(), slot_offsets_.begin() + kMaxBitLength, slot_fill_.begin());
  for (int a = 0; a < active; ++a) {
    for (std::uint64_t bits = active_input_bits_[a]; bits != 0; bits &= bits - 1) {
      slot_input_codes_[slot_fill_[__builtin_ctzll(bits)]++] = active_input_code_[a];
    }
  }
}

std::uint64_t CrossbarArray::collect_input_planes(const PulseStreams& input) {
  // Locals instead of members: stores through the byte pointers could alias any member.
  const int inputs = inputs_;
  const std::uint64_t* __restrict bits = input.bits.data();
  const std::int8_t* __restrict signs = input.sign.data();
  std::uint32_t* __restrict sign_bits = input_sign_bits_.data();
  std::uint64_t used_slots = 0;
  for (int i = 0; i < inputs; ++i) {
    used_slots |= signs[i] != 0 ? bits[i] : 0;
    sign_bits[i] = signs[i] < 0 ? 0x80000000u : 0u;
  }
  for (std::uint64_t slots = used_slots; slots != 0; slots &= slots - 1) {
    const int slot = __builtin_ctzll(slots);
    std::uint8_t* __restrict plane = &input_planes_[static_cast<std::size_t>(slot) * inputs];
    int pulses = 0;
    for (int i = 0; i < inputs; ++i) {
      const std::uint64_t line_bits = signs[i] != 0 ? bits[i] : 0;
      plane[i] = static_cast<std::uint8_t>((line_bits >> slot) & 1);
      pulses += plane[i];
    }
    slot_pulses_[slot] = pulses;
  }
  return used_slots;
}

UpdateStats CrossbarArray::apply_constant_step_pulses(const PulseStreams& input,
                                                      const PulseStreams& output,
                                                      RandomEngine& rng) {
  static const ConstantStepRowKernel update_row_kernel = select_constant_step_row_kernel();
  const std::uint64_t used_slots = collect_input_planes(input);

  const auto step_std = static_cast<float>(device_params_.dw_min_std);
  // Seeding takes one word of `rng`, and only when there is noise to draw.
  std::optional<NormalBatch> normals;
  if (step_std != 0.0f) {
    normals.emplace(rng());
  }

  detail::ConstantStepRow row{};
  row.dw_up_scale = devices_.dw_up.scale();
  row.dw_down_scale = devices_.dw_down.scale();
  row.w_max_scale = devices_.w_max.scale();
  row.w_min_scale = devices_.w_min.scale();
  row.input_sign_bits = input_sign_bits_.data();
  row.noise = coincident_noise_.data();
  row.step_std = step_std;
  row.inputs = inputs_;
  row.column_sums = input_line_sums_.data();
  UpdateStats stats;
  for (int j = 0; j < outputs_; ++j) {
    const std::uint64_t output_bits = output.bits[j] & used_slots;
    const int output_sign = output.sign[j];
    if (output_bits == 0 || output_sign == 0) {
      continue;
    }

    // A line that pulses in one slot coincides once with each input line pulsing in that slot,
    // so that slot's plane is its count. Other lines add up the planes of their slots.
    std::uint64_t coincidences = 0;
    int coincident_lines = 0;
    if ((output_bits & (output_bits - 1)) == 0) {
      const int slot = __builtin_ctzll(output_bits);
      row.coincidences = &input_planes_[static_cast<std::size_t>(slot) * inputs_];
      coincident_lines = slot_pulses_[slot];
      coincidences = static_cast<std::uint64_t>(coincident_lines);
    } else {
      const int inputs = inputs_;  // a local: stores through `counts` could alias a member
      std::uint8_t* __restrict counts = row_coincidence_counts_.data();
      std::fill(counts, counts + inputs, std::uint8_t{0});
      for (std::uint64_t slots = output_bits; slots != 0; slots &= slots - 1) {
        const int slot = __builtin_ctzll(slots);
        const std::uint8_t* __restrict plane =
            &input_planes_[static_cast<std::size_t>(slot) * inputs];
        for (int i = 0; i < inputs; ++i) {
          counts[i] += plane[i];
        }
        coincidences += static_cast<std::uint64_t>(slot_pulses_[slot]);
      }
      for (int i = 0; i < inputs; ++i) {
        coincident_lines += counts[i] != 0;
      }
      row.coincidences = counts;
    }
    if (coincident_lines == 0) {
      continue;
    }

    const std::size_t row_start = index(j, 0);
    row.weights = &weights_[row_start];
    row.dw_up = devices_.dw_up.codes() + row_start;
    row.dw_down = devices_.dw_down.codes() + row_start;
    row.w_max = devices_.w_max.codes() + row_start;
    row.w_min = devices_.w_min.codes() + row_start;
    row.output_sign_bit = output_sign < 0 ? 0x80000000u : 0u;
    if (normals) {
      normals->fill(coincident_noise_.data(), coincident_lines);
    }
    output_line_sums_[j] += update_row_kernel(row, normals.has_value());
    stats.coincidences += coincidences;
    stats.updated_cross_points += static_cast<std::uint64_t>(coincident_lines);
  }
  return stats;
}

void CrossbarArray::decode_device_row(int j) {
  const std::size_t row_start = index(j, 0);
  const auto decode = [&](const QuantisedValues& values, std::vector<float>& row) {
    const std::uint16_t* __restrict codes = values.codes() + row_start;
    const float scale = values.scale();
    float* __restrict out = row.data();
    for (int i = 0; i < inputs_; ++i) {
      out[i] = static_cast<float>(codes[i]) * scale;
    }
  };
  decode(devices_.dw_up, row_dw_up_);
  decode(devices_.dw_down, row_dw_down_);
  decode(devices_.w_max, row_w_max_);
  decode(devices_.w_min, row_w_min_);
}

void CrossbarArray::collect_half_select_inputs(const PulseStreams& input) {
  for (int i = 0; i < inputs_; ++i) {
    const int sign = input.sign[i];
    const bool pulsed = input.bits[i] != 0 && sign != 0;
    float direction = 0.0f;
    if (pulsed) {
      direction = sign > 0 ? 1.0f : -1.0f;
    }
    input_pulse_counts_[i] = pulsed ? __builtin_popcountll(input.bits[i]) : 0;
    input_directions_[i] = direction;
  }
}

double CrossbarArray::apply_half_select_row(int j, const int* codes, const int* slots, int count,
                                            int output_pulses, int output_sign) {
  for (int k = 0; k < count; ++k) {
    const int code = codes[k];
    row_coincidences_[code ^ (code >> 31)] = slots != nullptr ? slots[k] : 1;
  }

  const std::size_t row_start = index(j, 0);
  RowSlices row{&weights_[row_start],
                {row_dw_down_.data(), row_dw_up_.data()},
                {nullptr, nullptr},
                row_w_max_.data(),
                row_w_min_.data()};
  const HalfSelectRow half{input_pulse_counts_.data(),
                           input_directions_.data(),
                           row_coincidences_.data(),
                           output_pulses,
                           output_sign > 0 ? 1.0f : (output_sign < 0 ? -1.0f : 0.0f),
                           static_cast<float>(device_params_.half_select_factor),
                           inputs_};
  double* column_sums = input_line_sums_.data();
  double row_delta = 0.0;
  if (state_dependent_) {
    row.slopes[0] = &devices_.slope_down[row_start];
    row.slopes[1] = &devices_.slope_up[row_start];
    row_delta = half_select_row<true, false>(row, half, column_sums);
  } else if (output_pulses > 0) {
    row_delta = half_select_row<false, true>(row, half, column_sums);
  } else {
    row_delta = half_select_row<false, false>(row, half, column_sums);
  }

  for (int k = 0; k < count; ++k) {
    const int code = codes[k];
    row_coincidences_[code ^ (code >> 31)] = 0;
  }
  return row_delta;
}

double CrossbarArray::apply_input_half_select_row(int j, int active) {
  // Most output lines do not pulse in an update, and on them a device moves only if its
  // input line pulses: the others keep weights that are already within their bounds. So
  // this visits the active inputs alone and decodes their 16-bit values one at a time. It
  // gives the same weights as the pass over the whole row (half_select_block_constant_step
  // or half_select_block_state_dependent without output pulses, whose block-wide choice of
  // half_steps_block's path depends on the pulsed devices alone), and it adds the changes in
  // accumulate_applied's block and lane order, so the line sums are the same bit for bit.
  const std::size_t row_start = index(j, 0);
  float* __restrict weights = &weights_[row_start];
  const std::uint16_t* dw_up = devices_.dw_up.codes() + row_start;
  const std::uint16_t* dw_down = devices_.dw_down.codes() + row_start;
  const std::uint16_t* w_max = devices_.w_max.codes() + row_start;
  const std::uint16_t* w_min = devices_.w_min.codes() + row_start;
  const float* slope_up = state_dependent_ ? &devices_.slope_up[row_start] : nullptr;
  const float* slope_down = state_dependent_ ? &devices_.slope_down[row_start] : nullptr;
  const float dw_up_scale = devices_.dw_up.scale();
  const float dw_down_scale = devices_.dw_down.scale();
  const float w_max_scale = devices_.w_max.scale();
  const float w_min_scale = devices_.w_min.scale();
  const auto factor = static_cast<float>(device_params_.half_select_factor);
  double* __restrict column_sums = input_line_sums_.data();

  constexpr int kLanes = kAppliedSumLanes;
  double row_delta = 0.0;
  int block_first = 0;  // the first active input of the block
  for (int start = 0; start < inputs_; start += kHalfSelectBlock) {
    const int end = std::min(start + kHalfSelectBlock, inputs_);
    const int lanes_end = start + (end - start) / kLanes * kLanes;
    int block_end = block_first;
    while (block_end < active &&
           (active_input_code_[block_end] ^ (active_input_code_[block_end] >> 31)) < end) {
      ++block_end;
    }
    // State-dependent devices: the whole row's pass takes this block's half steps one at a
    // time if any of its pulsed devices needs it, and so does this one.
    bool one_at_a_time = false;
    for (int a = block_first; state_dependent_ && a < block_end; ++a) {
      const int code = active_input_code_[a];
      const int i = code ^ (code >> 31);
      const float scale = factor * input_directions_[i];
      const float slope = input_directions_[i] > 0.0f ? slope_up[i] : slope_down[i];
      one_at_a_time = one_at_a_time || half_steps_one_at_a_time(&scale, &slope, 1);
    }

    double partial[kLanes] = {};
    double tail_values[kLanes];  // the block's last length % kLanes inputs, in order
    int tail_count = 0;
    for (int a = block_first; a < block_end; ++a) {
      const int code = active_input_code_[a];
      const int i = code ^ (code >> 31);
      const float direction = input_directions_[i];
      const float input_step = direction > 0.0f ? static_cast<float>(dw_up[i]) * dw_up_scale
                                                : static_cast<float>(dw_down[i]) * dw_down_scale;
      const float lower = static_cast<float>(w_min[i]) * w_min_scale;
      const float upper = static_cast<float>(w_max[i]) * w_max_scale;
      const float old_weight = weights[i];
      float weight = old_weight;
      if (state_dependent_) {
        const int pulses = input_pulse_counts_[i];
        const float scale = factor * direction;
        const float slope = direction > 0.0f ? slope_up[i] : slope_down[i];
        half_steps_block(&weight, &pulses, &scale, &input_step, &slope, &lower, &upper, 1, pulses,
                         one_at_a_time);
      } else {
        weight = half_step_constant(old_weight, factor, direction,
                                    static_cast<float>(input_pulse_counts_[i]), input_step, lower,
                                    upper);
      }
      weights[i] = weight;
      const double applied = static_cast<double>(weight) - old_weight;
      column_sums[i] += applied;
      if (i < lanes_end) {
        partial[(i - start) % kLanes] += applied;
      } else {
        tail_values[tail_count++] = applied;
      }
    }
    block_first = block_end;
    double total = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for (int t = 0; t < tail_count; ++t) total += tail_values[t];
    row_delta += total;
  }
  return row_delta;
}

UpdateStats CrossbarArray::apply_pulses(const PulseStreams& input, const PulseStreams& output,
                                        RandomEngine& rng) {
  check_streams(input, output);
  static const CollectCoincidences collect_coincidences = select_collect_coincidences();
  refresh_line_sums();  // the pulsed update adds its changes to current sums

  // Half-select moves devices even where no input line pulses, so only an update without it
  // can stop here.
  const bool half_select = device_params_.half_select_factor > 0.0;
  const int active = collect_active_inputs(input);
  if (active == 0 && !half_select) {
    return {};
  }
  if (!state_dependent_ && !half_select) {
    return apply_constant_step_pulses(input, output, rng);
  }
  collect_slot_lists(active);
  if (half_select) {
    collect_half_select_inputs(input);
  }

  const auto step_std = static_cast<float>(device_params_.dw_min_std);
  float noise_per_root[kMaxBitLength + 1];
  for (int n = 0; n <= kMaxBitLength; ++n) {
    noise_per_root[n] = step_std * std::sqrt(static_cast<float>(n));
  }
  // Seeding takes one word of `rng`, and only when there is noise to draw.
  std::optional<NormalSource> normal;
  if (step_std != 0.0f) {
    normal.emplace(rng);
  }
  NormalSource* normal_source = normal ? &*normal : nullptr;
  const bool mult_noise = device_params_.mult_noise;

  double* column_sums = input_line_sums_.data();
  float* noise = coincident_noise_.data();
  UpdateStats stats;
  for (int j = 0; j < outputs_; ++j) {
    const std::uint64_t output_bits = output.bits[j];
    const int output_sign = output.sign[j];
    if (output_bits == 0 || output_sign == 0) {
      // A line that does not pulse moves only the devices of pulsed inputs. When under half
      // of the inputs pulse (the dark pixels of an image), visiting them alone is faster
      // than the vectorised pass over the whole row. The threshold was chosen by timing the
      // MNIST network with half-select on the machine of docs/performance.md: 0.29 ms per
      // sample at one half, 0.31 ms at one third and at one quarter.
      if (half_select && 2 * active < inputs_) {
        output_line_sums_[j] += apply_input_half_select_row(j, active);
      } else if (half_select) {
        decode_device_row(j);
        output_line_sums_[j] += apply_half_select_row(j, nullptr, nullptr, 0, 0, 0);
      }
      continue;
    }
    decode_device_row(j);
    const std::size_t row_start = index(j, 0);
    RowSlices row{&weights_[row_start],
                  {row_dw_down_.data(), row_dw_up_.data()},
                  {nullptr, nullptr},
                  row_w_max_.data(),
                  row_w_min_.data()};
    if (state_dependent_) {
      row.slopes[0] = &devices_.slope_down[row_start];
      row.slopes[1] = &devices_.slope_up[row_start];
    }
    const bool output_positive = output_sign > 0;

    // Most output lines of small errors pulse in one slot only. Such a line coincides once
    // with each input on that slot's list, so only the other lines need popcount.
    double row_delta = 0.0;
    const int* codes = nullptr;
    const int* slots = nullptr;  // stays nullptr for a single-slot line: every count is 1
    int count = 0;
    if ((output_bits & (output_bits - 1)) == 0) {
      const int slot = __builtin_ctzll(output_bits);
      codes = &slot_input_codes_[slot_offsets_[slot]];
      count = slot_offsets_[slot + 1] - slot_offsets_[slot];
      if (state_dependent_) {
        row_delta = normal_source ? update_row_state_dependent<true, true>(
                                        row, codes, nullptr, count, output_positive, step_std,
                                        mult_noise, normal_source, noise, column_sums)
                                  : update_row_state_dependent<false, true>(
                                        row, codes, nullptr, count, output_positive, step_std,
                                        mult_noise, nullptr, nullptr, column_sums);
      } else {
        row_delta = normal_source
                        ? update_row<true, true>(row, codes, nullptr, count, output_positive,
                                                 noise_per_root, normal_source, noise, column_sums)
                        : update_row<false, true>(row, codes, nullptr, count, output_positive,
                                                  noise_per_root, nullptr, nullptr, column_sums);
      }
      stats.coincidences += static_cast<std::uint64_t>(count);
      stats.updated_cross_points += static_cast<std::uint64_t>(count);
    } else {
      count = collect_coincidences(output_bits, active_input_bits_.data(),
                                   active_input_code_.data(), active, coincident_input_code_.data(),
                                   coincident_input_slots_.data());
      codes = coincident_input_code_.data();
      slots = coincident_input_slots_.data();
      if (state_dependent_) {
        row_delta = normal_source ? update_row_state_dependent<true, false>(
                                        row, codes, slots, count, output_positive, step_std,
                                        mult_noise, normal_source, noise, column_sums)
                                  : update_row_state_dependent<false, false>(
                                        row, codes, slots, count, output_positive, step_std,
                                        mult_noise, nullptr, nullptr, column_sums);
      } else {
        row_delta = normal_source
                        ? update_row<true, false>(row, codes, slots, count, output_positive,
                                                  noise_per_root, normal_source, noise, column_sums)
                        : update_row<false, false>(row, codes, slots, count, output_positive,
                                                   noise_per_root, nullptr, nullptr, column_sums);
      }
      for (int k = 0; k < count; ++k) {
        stats.coincidences += static_cast<std::uint64_t>(slots[k]);
      }
      stats.updated_cross_points += static_cast<std::uint64_t>(count);
    }
    if (half_select) {
      row_delta += apply_half_select_row(j, codes, slots, count, __builtin_popcountll(output_bits),
                                         output_sign);
    }
    output_line_sums_[j] += row_delta;
  }
  return stats;
}

}  // namespace rpusim
