// The AVX2 build of NormalBatch's Box-Muller transform. This file alone is compiled with -mavx2,
// because SLEEF's header declares its 256-bit functions only then. It defines no inline
// function or template that other files could share, so no AVX2 code reaches the SSE2 paths.
#include <immintrin.h>
#include <sleef.h>

#include "models/common/normal_batch_kernels.hpp"

namespace rpusim::detail {

void box_muller_avx2(const BlockWords& words, float* out) {
  const __m256 signed_scale = _mm256_set1_ps(kSignedScale);
  const __m256 signed_offset = _mm256_set1_ps(kSignedOffset);
  const __m256 unsigned_scale = _mm256_set1_ps(kUnsignedScale);
  const __m256 unsigned_offset = _mm256_set1_ps(kUnsignedOffset);
  const __m256 two_pow_16 = _mm256_set1_ps(65536.0f);
  const __m256i low_half = _mm256_set1_epi32(0xffff);
  const __m256 minus_two = _mm256_set1_ps(-2.0f);
  for (int pair = 0; pair < 2; ++pair) {
    const std::uint32_t* angle_words = words.word[2 * pair];
    const std::uint32_t* radius_words = words.word[2 * pair + 1];
    float* sin_out = out + 2 * pair * kNormalCounters;
    float* cos_out = sin_out + kNormalCounters;
    for (int b = 0; b < kNormalCounters; b += 8) {
      const __m256i angle_bits =
          _mm256_load_si256(reinterpret_cast<const __m256i*>(angle_words + b));
      const __m256i radius_bits =
          _mm256_load_si256(reinterpret_cast<const __m256i*>(radius_words + b));
      const __m256 angle =
          _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(angle_bits), signed_scale), signed_offset);
      const __m256 high = _mm256_cvtepi32_ps(_mm256_srli_epi32(radius_bits, 16));
      const __m256 low = _mm256_cvtepi32_ps(_mm256_and_si256(radius_bits, low_half));
      const __m256 whole = _mm256_add_ps(_mm256_mul_ps(high, two_pow_16), low);
      const __m256 uniform = _mm256_add_ps(_mm256_mul_ps(whole, unsigned_scale), unsigned_offset);
      const __m256 radius = _mm256_sqrt_ps(_mm256_mul_ps(minus_two, Sleef_logf8_u35avx2(uniform)));
      const Sleef___m256_2 sin_cos = Sleef_sincospif8_u35avx2(angle);
      _mm256_storeu_ps(sin_out + b, _mm256_mul_ps(radius, sin_cos.x));
      _mm256_storeu_ps(cos_out + b, _mm256_mul_ps(radius, sin_cos.y));
    }
  }
}

}  // namespace rpusim::detail
