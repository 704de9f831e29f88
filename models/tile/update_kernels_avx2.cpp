// The AVX2 build of the ConstantStep row kernel. This file alone is compiled with -mavx2. It
// defines no inline function or template with external linkage that other files could share,
// so no AVX2 code reaches the portable paths.
#include <immintrin.h>

#include <array>

#include "models/tile/update_kernels.hpp"

namespace rpusim::detail {

namespace {

// For each 8-bit mask of coincident lanes, the permutation that moves the next draws to those
// lanes: lane l takes draw popcount(mask & (2^l - 1)), and lanes outside the mask take draw 0,
// which they ignore.
struct ExpandTable {
  alignas(32) std::array<std::array<std::int32_t, 8>, 256> lanes{};
  constexpr ExpandTable() {
    for (int mask = 0; mask < 256; ++mask) {
      int next = 0;
      for (int lane = 0; lane < 8; ++lane) {
        if ((mask >> lane) & 1) {
          lanes[mask][lane] = next++;
        }
      }
    }
  }
};

constexpr ExpandTable kExpandTable;

// Returns the 8 device values from codes[0, 8) and their scale.
inline __m256 decode(const std::uint16_t* codes, __m256 scale) {
  const __m256i wide =
      _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes)));
  return _mm256_mul_ps(_mm256_cvtepi32_ps(wide), scale);
}

}  // namespace

double update_constant_step_row_avx2(const ConstantStepRow& row, bool noise) {
  const __m256 step_std = _mm256_set1_ps(row.step_std);
  const __m256 dw_up_scale = _mm256_set1_ps(row.dw_up_scale);
  const __m256 dw_down_scale = _mm256_set1_ps(row.dw_down_scale);
  const __m256 w_max_scale = _mm256_set1_ps(row.w_max_scale);
  const __m256 w_min_scale = _mm256_set1_ps(row.w_min_scale);
  const __m256i output_sign = _mm256_set1_epi32(static_cast<int>(row.output_sign_bit));
  const __m256i zero = _mm256_setzero_si256();
  __m256d low_sum = _mm256_setzero_pd();   // lanes 0..3 of the partial sums
  __m256d high_sum = _mm256_setzero_pd();  // lanes 4..7
  // Local copies of the row's pointers, which the stores below could otherwise alias.
  float* const weights = row.weights;
  const std::uint16_t* const dw_up = row.dw_up;
  const std::uint16_t* const dw_down = row.dw_down;
  const std::uint16_t* const w_max = row.w_max;
  const std::uint16_t* const w_min = row.w_min;
  const std::uint8_t* const coincidences = row.coincidences;
  const std::uint32_t* const input_sign_bits = row.input_sign_bits;
  double* const column_sums = row.column_sums;
  const int inputs = row.inputs;
  const float* draws = row.noise;
  int i = 0;
  for (; i + 8 <= inputs; i += 8) {
    // One cache line of weights every other iteration, and one of each code array every fourth.
    const int ahead = i + kPrefetchDistance;
    if ((i & 8) == 0) {
      _mm_prefetch(reinterpret_cast<const char*>(weights + ahead), _MM_HINT_T0);
    }
    if ((i & 24) == 0) {
      _mm_prefetch(reinterpret_cast<const char*>(dw_up + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(dw_down + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w_max + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w_min + ahead), _MM_HINT_T0);
    }
    const __m256i count =
        _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(coincidences + i)));
    const __m256i coincident = _mm256_cmpgt_epi32(count, zero);
    const __m256 count_float = _mm256_cvtepi32_ps(count);
    __m256 pulses = count_float;
    if (noise) {
      const int mask = _mm256_movemask_ps(_mm256_castsi256_ps(coincident));
      const __m256i order =
          _mm256_load_si256(reinterpret_cast<const __m256i*>(kExpandTable.lanes[mask].data()));
      const __m256 xi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(draws), order);
      draws += __builtin_popcount(static_cast<unsigned>(mask));
      const __m256 root = _mm256_mul_ps(step_std, _mm256_sqrt_ps(count_float));
      pulses = _mm256_add_ps(count_float, _mm256_mul_ps(root, xi));
    }
    const __m256i direction = _mm256_xor_si256(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(input_sign_bits + i)), output_sign);
    pulses = _mm256_xor_ps(pulses, _mm256_castsi256_ps(direction));
    const __m256 up = _mm256_castsi256_ps(_mm256_cmpeq_epi32(direction, zero));
    const __m256 step =
        _mm256_blendv_ps(decode(dw_down + i, dw_down_scale), decode(dw_up + i, dw_up_scale), up);

    const __m256 old_weight = _mm256_loadu_ps(weights + i);
    __m256 weight = _mm256_add_ps(old_weight, _mm256_mul_ps(step, pulses));
    weight = _mm256_max_ps(weight, decode(w_min + i, w_min_scale));
    weight = _mm256_min_ps(weight, decode(w_max + i, w_max_scale));
    weight = _mm256_blendv_ps(old_weight, weight, _mm256_castsi256_ps(coincident));
    _mm256_storeu_ps(weights + i, weight);

    const __m256d low_applied = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(weight)),
                                              _mm256_cvtps_pd(_mm256_castps256_ps128(old_weight)));
    const __m256d high_applied =
        _mm256_sub_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(weight, 1)),
                      _mm256_cvtps_pd(_mm256_extractf128_ps(old_weight, 1)));
    double* sums = column_sums + i;
    _mm256_storeu_pd(sums, _mm256_add_pd(_mm256_loadu_pd(sums), low_applied));
    _mm256_storeu_pd(sums + 4, _mm256_add_pd(_mm256_loadu_pd(sums + 4), high_applied));
    low_sum = _mm256_add_pd(low_sum, low_applied);
    high_sum = _mm256_add_pd(high_sum, high_applied);
  }

  double partial[kRowSumLanes];
  _mm256_storeu_pd(partial, low_sum);
  _mm256_storeu_pd(partial + 4, high_sum);
  for (; i < inputs; ++i) {
    if (coincidences[i] == 0) {
      continue;
    }
    const float xi = noise ? *draws++ : 0.0f;
    const double applied = update_constant_step_cross_point(row, i, xi, noise);
    column_sums[i] += applied;
    partial[i % kRowSumLanes] += applied;
  }
  double total = 0.0;
  for (double lane_sum : partial) {
    total += lane_sum;
  }
  return total;
}

}  // namespace rpusim::detail
