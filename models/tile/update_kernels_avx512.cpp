// The AVX-512 build of the ConstantStep row kernel. This file alone is compiled with -mavx512f.
// It defines no inline function or template with external linkage that other files could
// share, so no AVX-512 code reaches the other paths.

// GCC 12's AVX-512 intrinsics pass self-initialised "undefined" vectors, which -Wuninitialized
// and -Wmaybe-uninitialized report wrongly once they are inlined (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)  // Clang has no -Wmaybe-uninitialized
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "models/tile/update_kernels.hpp"

namespace rpusim::detail {

namespace {

// Returns the 16 device values from codes[0, 16) and their scale.
inline __m512 decode(const std::uint16_t* codes, __m512 scale) {
  const __m512i wide =
      _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes)));
  return _mm512_mul_ps(_mm512_cvtepi32_ps(wide), scale);
}

// Returns the upper 8 floats of `value`, with AVX-512F alone (no AVX-512DQ).
inline __m256 upper_half(__m512 value) {
  return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(value), 1));
}

}  // namespace

double update_constant_step_row_avx512(const ConstantStepRow& row, bool noise) {
  static_assert(kRowSumLanes == 8, "input line i and i + 8 share a lane of the partial sums");
  const __m512 step_std = _mm512_set1_ps(row.step_std);
  const __m512 dw_up_scale = _mm512_set1_ps(row.dw_up_scale);
  const __m512 dw_down_scale = _mm512_set1_ps(row.dw_down_scale);
  const __m512 w_max_scale = _mm512_set1_ps(row.w_max_scale);
  const __m512 w_min_scale = _mm512_set1_ps(row.w_min_scale);
  const __m512i output_sign = _mm512_set1_epi32(static_cast<int>(row.output_sign_bit));
  __m512d lane_sum = _mm512_setzero_pd();
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
  for (; i + 16 <= inputs; i += 16) {
    // One cache line of weights per iteration, and one of each code array every other one.
    const int ahead = i + kPrefetchDistance;
    _mm_prefetch(reinterpret_cast<const char*>(weights + ahead), _MM_HINT_T0);
    if ((i & 16) == 0) {
      _mm_prefetch(reinterpret_cast<const char*>(dw_up + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(dw_down + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w_max + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w_min + ahead), _MM_HINT_T0);
    }
    const __m512i count =
        _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(coincidences + i)));
    const __mmask16 coincident = _mm512_test_epi32_mask(count, count);
    const __m512 count_float = _mm512_cvtepi32_ps(count);
    __m512 pulses = count_float;
    if (noise) {
      // The next draws go to the coincident lanes in order, and the other lanes get 0.
      const __m512 xi = _mm512_maskz_expandloadu_ps(coincident, draws);
      draws += __builtin_popcount(static_cast<unsigned>(coincident));
      const __m512 root = _mm512_mul_ps(step_std, _mm512_sqrt_ps(count_float));
      pulses = _mm512_add_ps(count_float, _mm512_mul_ps(root, xi));
    }
    const __m512i direction = _mm512_xor_si512(
        _mm512_loadu_si512(reinterpret_cast<const void*>(input_sign_bits + i)), output_sign);
    pulses = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(pulses), direction));
    const __mmask16 up = _mm512_testn_epi32_mask(direction, direction);
    const __m512 step = _mm512_mask_blend_ps(up, decode(dw_down + i, dw_down_scale),
                                             decode(dw_up + i, dw_up_scale));

    const __m512 old_weight = _mm512_loadu_ps(weights + i);
    __m512 weight = _mm512_add_ps(old_weight, _mm512_mul_ps(step, pulses));
    weight = _mm512_max_ps(weight, decode(w_min + i, w_min_scale));
    weight = _mm512_min_ps(weight, decode(w_max + i, w_max_scale));
    weight = _mm512_mask_blend_ps(coincident, old_weight, weight);
    _mm512_storeu_ps(weights + i, weight);

    const __m512d low_applied = _mm512_sub_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(weight)),
                                              _mm512_cvtps_pd(_mm512_castps512_ps256(old_weight)));
    const __m512d high_applied =
        _mm512_sub_pd(_mm512_cvtps_pd(upper_half(weight)), _mm512_cvtps_pd(upper_half(old_weight)));
    double* sums = column_sums + i;
    _mm512_storeu_pd(sums, _mm512_add_pd(_mm512_loadu_pd(sums), low_applied));
    _mm512_storeu_pd(sums + 8, _mm512_add_pd(_mm512_loadu_pd(sums + 8), high_applied));
    // Line i before line i + 8, the order of the portable kernel's partial sums.
    lane_sum = _mm512_add_pd(_mm512_add_pd(lane_sum, low_applied), high_applied);
  }

  double partial[kRowSumLanes];
  _mm512_storeu_pd(partial, lane_sum);
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
  for (double lane_sum_value : partial) {
    total += lane_sum_value;
  }
  return total;
}

}  // namespace rpusim::detail
