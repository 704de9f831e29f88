// Standard normal draws in bulk for the cycle-to-cycle noise of the pulsed update: Random123's
// counter-based Threefry4x32 (20 rounds) supplies the uniform bits and the Box-Muller transform,
// the formula of Random123's r123::boxmuller, turns each pair of 32-bit words into two normals.
// Both run over whole vectors: the Threefry loop is auto-vectorised and the logarithm, sine and
// cosine come from SLEEF's vectorised functions (AVX2 where the processor has it, else SSE2).
#pragma once

#include <cstdint>

namespace rpusim {

class NormalBatch {
 public:
  // Draws per Threefry block: 64 counters of four 32-bit words, two normals per pair of words.
  static constexpr int kBlock = 256;

  // Starts the stream of `key` at counter 0. Different keys give independent streams.
  explicit NormalBatch(std::uint64_t key);

  // Fills out[0, count) with the next `count` standard normal draws of the stream.
  void fill(float* out, int count);

  // Writes the kBlock draws of Threefry counters 64 block .. 64 block + 63 under `key` to out.
  // Word k of counter c (c = 64 block + b) gives out[64 m + b] with m = 0..3: the pair of
  // words 0 and 1 yields r sin(pi a) at m = 0 and r cos(pi a) at m = 1, with
  // a = r123::uneg11<float>(word 0) and r = sqrt(-2 log(r123::u01<float>(word 1))); words 2
  // and 3 yield m = 2 and 3 the same way.
  static void generate_block(std::uint64_t key, std::uint64_t block, float* out);

 private:
  std::uint64_t key_;
  std::uint64_t next_block_ = 0;
  int buffered_ = 0;  // unused draws at the end of buffer_
  alignas(32) float buffer_[kBlock];
};

}  // namespace rpusim
