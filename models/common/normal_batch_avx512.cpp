// The AVX-512 build of NormalBatch's Box-Muller transform. This file alone is compiled with
// -mavx512f, because SLEEF's header declares its 512-bit functions only then. It defines no
// inline function or template that other files could share, so no AVX-512 code reaches the
// other paths.

// GCC 12's AVX-512 intrinsics pass self-initialised "undefined" vectors, which -Wuninitialized
// and -Wmaybe-uninitialized report wrongly once they are inlined (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)  // Clang has no -Wmaybe-uninitialized
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#include <sleef.h>

#include "models/common/normal_batch_kernels.hpp"

namespace rpusim::detail {

void box_muller_avx512(const BlockWords& words, float* out) {
  const __m512 signed_scale = _mm512_set1_ps(kSignedScale);
  const __m512 signed_offset = _mm512_set1_ps(kSignedOffset);
  const __m512 unsigned_scale = _mm512_set1_ps(kUnsignedScale);
  const __m512 unsigned_offset = _mm512_set1_ps(kUnsignedOffset);
  const __m512 two_pow_16 = _mm512_set1_ps(65536.0f);
  const __m512i low_half = _mm512_set1_epi32(0xffff);
  const __m512 minus_two = _mm512_set1_ps(-2.0f);
  for (int pair = 0; pair < 2; ++pair) {
    const std::uint32_t* angle_words = words.word[2 * pair];
    const std::uint32_t* radius_words = words.word[2 * pair + 1];
    float* sin_out = out + 2 * pair * kNormalCounters;
    float* cos_out = sin_out + kNormalCounters;
    for (int b = 0; b < kNormalCounters; b += 16) {
      const __m512i angle_bits =
          _mm512_load_si512(reinterpret_cast<const __m512i*>(angle_words + b));
      const __m512i radius_bits =
          _mm512_load_si512(reinterpret_cast<const __m512i*>(radius_words + b));
      const __m512 angle =
          _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(angle_bits), signed_scale), signed_offset);
      const __m512 high = _mm512_cvtepi32_ps(_mm512_srli_epi32(radius_bits, 16));
      const __m512 low = _mm512_cvtepi32_ps(_mm512_and_si512(radius_bits, low_half));
      const __m512 whole = _mm512_add_ps(_mm512_mul_ps(high, two_pow_16), low);
      const __m512 uniform = _mm512_add_ps(_mm512_mul_ps(whole, unsigned_scale), unsigned_offset);
      const __m512 radius =
          _mm512_sqrt_ps(_mm512_mul_ps(minus_two, Sleef_logf16_u35avx512f(uniform)));
      const Sleef___m512_2 sin_cos = Sleef_sincospif16_u35avx512f(angle);
      _mm512_storeu_ps(sin_out + b, _mm512_mul_ps(radius, sin_cos.x));
      _mm512_storeu_ps(cos_out + b, _mm512_mul_ps(radius, sin_cos.y));
    }
  }
}

}  // namespace rpusim::detail
