#include "models/common/normal_batch.hpp"

#include <algorithm>
#include <cstring>

#include <Random123/threefry.h>
#include <immintrin.h>
#include <sleef.h>

#include "models/common/normal_batch_kernels.hpp"

namespace rpusim {

namespace {

using detail::BlockWords;
constexpr int kCounters = detail::kNormalCounters;

// Threefry4x32 of the counters c = 64 block + b, b = 0..63, as the words (low half of c, high
// half of c, 0, 0), under the key (low half of `key`, high half of `key`, 0, 0). GCC vectorises
// the loop over b: the AVX-512 build computes 16 counters per instruction and the AVX2 build 8,
// and all builds give the same words, because the loop is integer arithmetic.
[[gnu::target_clones("avx512f", "avx2", "default")]] void threefry_block(std::uint64_t key,
                                                                         std::uint64_t block,
                                                                         BlockWords& words) {
  r123::Threefry4x32 threefry;
  const r123::Threefry4x32::key_type threefry_key = {
      {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32), 0u, 0u}};
  const std::uint64_t first = block * kCounters;
  for (int b = 0; b < kCounters; ++b) {
    const std::uint64_t counter = first + static_cast<std::uint64_t>(b);
    const r123::Threefry4x32::ctr_type input = {
        {static_cast<std::uint32_t>(counter), static_cast<std::uint32_t>(counter >> 32), 0u, 0u}};
    const r123::Threefry4x32::ctr_type output = threefry(input, threefry_key);
    for (int k = 0; k < 4; ++k) {
      words.word[k][b] = output.v[k];
    }
  }
}

using BoxMuller = void (*)(const BlockWords&, float*);

BoxMuller select_box_muller() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    return detail::box_muller_avx512;
  }
  return __builtin_cpu_supports("avx2") ? detail::box_muller_avx2 : detail::box_muller_sse2;
}

}  // namespace

namespace detail {

void box_muller_sse2(const BlockWords& words, float* out) {
  const __m128 signed_scale = _mm_set1_ps(kSignedScale);
  const __m128 signed_offset = _mm_set1_ps(kSignedOffset);
  const __m128 unsigned_scale = _mm_set1_ps(kUnsignedScale);
  const __m128 unsigned_offset = _mm_set1_ps(kUnsignedOffset);
  const __m128 two_pow_16 = _mm_set1_ps(65536.0f);
  const __m128i low_half = _mm_set1_epi32(0xffff);
  const __m128 minus_two = _mm_set1_ps(-2.0f);
  for (int pair = 0; pair < 2; ++pair) {
    const std::uint32_t* angle_words = words.word[2 * pair];
    const std::uint32_t* radius_words = words.word[2 * pair + 1];
    float* sin_out = out + 2 * pair * kNormalCounters;
    float* cos_out = sin_out + kNormalCounters;
    for (int b = 0; b < kNormalCounters; b += 4) {
      const __m128i angle_bits = _mm_load_si128(reinterpret_cast<const __m128i*>(angle_words + b));
      const __m128i radius_bits =
          _mm_load_si128(reinterpret_cast<const __m128i*>(radius_words + b));
      const __m128 angle =
          _mm_add_ps(_mm_mul_ps(_mm_cvtepi32_ps(angle_bits), signed_scale), signed_offset);
      const __m128 high = _mm_cvtepi32_ps(_mm_srli_epi32(radius_bits, 16));
      const __m128 low = _mm_cvtepi32_ps(_mm_and_si128(radius_bits, low_half));
      const __m128 whole = _mm_add_ps(_mm_mul_ps(high, two_pow_16), low);
      const __m128 uniform = _mm_add_ps(_mm_mul_ps(whole, unsigned_scale), unsigned_offset);
      const __m128 radius = _mm_sqrt_ps(_mm_mul_ps(minus_two, Sleef_logf4_u35sse2(uniform)));
      const Sleef___m128_2 sin_cos = Sleef_sincospif4_u35sse2(angle);
      _mm_storeu_ps(sin_out + b, _mm_mul_ps(radius, sin_cos.x));
      _mm_storeu_ps(cos_out + b, _mm_mul_ps(radius, sin_cos.y));
    }
  }
}

}  // namespace detail

NormalBatch::NormalBatch(std::uint64_t key) : key_(key) {}

void NormalBatch::generate_block(std::uint64_t key, std::uint64_t block, float* out) {
  static const BoxMuller box_muller = select_box_muller();
  BlockWords words;
  threefry_block(key, block, words);
  box_muller(words, out);
}

void NormalBatch::fill(float* out, int count) {
  // Draws left from the previous call come first, then whole blocks straight into `out`, then
  // the start of one more block whose rest waits in buffer_.
  const int from_buffer = std::min(count, buffered_);
  std::memcpy(out, buffer_ + (kBlock - buffered_), sizeof(float) * from_buffer);
  buffered_ -= from_buffer;
  int filled = from_buffer;
  for (; count - filled >= kBlock; filled += kBlock) {
    generate_block(key_, next_block_++, out + filled);
  }
  if (filled < count) {
    generate_block(key_, next_block_++, buffer_);
    const int rest = count - filled;
    std::memcpy(out + filled, buffer_, sizeof(float) * rest);
    buffered_ = kBlock - rest;
  }
}

}  // namespace rpusim
