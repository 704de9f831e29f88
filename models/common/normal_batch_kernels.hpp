// Pieces of NormalBatch shared by normal_batch.cpp, normal_batch_avx2.cpp (built with -mavx2)
// and normal_batch_avx512.cpp (built with -mavx512f). Only the unit tests include it too, to
// compare the builds of the transform.
#pragma once

#include <cstdint>

namespace rpusim::detail {

constexpr int kNormalCounters = 64;  // Threefry4x32 counters per block of 256 draws

// The four 32-bit words of each counter of one block, stored word by word so that the
// Threefry loop and the transform run over contiguous lanes.
struct BlockWords {
  alignas(64) std::uint32_t word[4][kNormalCounters];
};

// r123::uneg11<float> and r123::u01<float> of 32-bit words, as Random123 1.14 defines them:
// int32(w) 2^-31 + 2^-32, in [-1, 1], and uint32(w) 2^-32 + 2^-33, in (0, 1]. Both builds of
// the transform convert an unsigned word as hi 2^16 + lo from its two exact 16-bit halves,
// which rounds once, like a direct conversion.
constexpr float kSignedScale = 1.0f / 2147483648.0f;     // 2^-31
constexpr float kSignedOffset = 0.5f / 2147483648.0f;    // 2^-32
constexpr float kUnsignedScale = 1.0f / 4294967296.0f;   // 2^-32
constexpr float kUnsignedOffset = 0.5f / 4294967296.0f;  // 2^-33

// Box-Muller transform of one block, r = sqrt(-2 log u) and then (r sin(pi a), r cos(pi a)),
// with SSE2 and SLEEF's SSE2 functions (see NormalBatch::generate_block for the layout).
void box_muller_sse2(const BlockWords& words, float* out);
// The same with AVX2. Call it only where the processor has AVX2.
void box_muller_avx2(const BlockWords& words, float* out);
// The same with AVX-512F. Call it only where the processor has AVX-512F.
void box_muller_avx512(const BlockWords& words, float* out);

}  // namespace rpusim::detail
