#include "models/common/normal_batch.hpp"

#include <gtest/gtest.h>

#include <Random123/threefry.h>
#include <Random123/uniform.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/common/normal_batch_kernels.hpp"

namespace rpusim {
namespace {

constexpr int kBlock = NormalBatch::kBlock;
constexpr int kCounters = kBlock / 4;

// Returns `blocks` blocks of the stream of `key`, generated block by block.
std::vector<float> generate_blocks(std::uint64_t key, int blocks) {
  std::vector<float> draws(static_cast<std::size_t>(blocks) * kBlock);
  for (int block = 0; block < blocks; ++block) {
    NormalBatch::generate_block(key, static_cast<std::uint64_t>(block),
                                &draws[static_cast<std::size_t>(block) * kBlock]);
  }
  return draws;
}

// Each draw against the documented map from Threefry4x32 words to normals, computed here in
// double precision from Random123's scalar generator and conversions. SLEEF's float log and
// sincospi (3.5 ulp) and float rounding allow a few 1e-7 of relative error.
TEST(NormalBatch, DrawsFollowThreefryBoxMuller) {
  const std::uint64_t key = 0x0123456789abcdefULL;
  const std::uint64_t first_block = 5;
  std::vector<float> draws(kBlock);
  NormalBatch::generate_block(key, first_block, draws.data());

  r123::Threefry4x32 threefry;
  const r123::Threefry4x32::key_type threefry_key = {
      {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32), 0u, 0u}};
  for (int b = 0; b < kCounters; ++b) {
    const std::uint64_t counter = first_block * kCounters + static_cast<std::uint64_t>(b);
    const r123::Threefry4x32::ctr_type words = threefry(
        {{static_cast<std::uint32_t>(counter), static_cast<std::uint32_t>(counter >> 32), 0u, 0u}},
        threefry_key);
    for (int pair = 0; pair < 2; ++pair) {
      const double angle = r123::uneg11<float>(words.v[2 * pair]);
      const double uniform = r123::u01<float>(words.v[2 * pair + 1]);
      const double radius = std::sqrt(-2.0 * std::log(uniform));
      const double expected_sin = radius * std::sin(M_PI * angle);
      const double expected_cos = radius * std::cos(M_PI * angle);
      const float got_sin = draws[2 * pair * kCounters + b];
      const float got_cos = draws[(2 * pair + 1) * kCounters + b];
      EXPECT_NEAR(got_sin, expected_sin, 2e-6 * std::max(1.0, radius)) << "counter " << counter;
      EXPECT_NEAR(got_cos, expected_cos, 2e-6 * std::max(1.0, radius)) << "counter " << counter;
    }
  }
}

// fill() hands out the blocks in order, whatever the sizes of the requests.
TEST(NormalBatch, FillContinuesTheStream) {
  const std::vector<float> expected = generate_blocks(17, 8);
  NormalBatch normals(17);
  std::vector<float> draws(expected.size());
  std::size_t filled = 0;
  for (int count : {1, 255, 256, 257, 3, 0, 512, 100, 600}) {
    normals.fill(&draws[filled], count);
    filled += static_cast<std::size_t>(count);
  }
  normals.fill(&draws[filled], static_cast<int>(draws.size() - filled));
  EXPECT_EQ(draws, expected);
}

// 2^21 draws: the moments and tail fractions within 5 standard errors, and the
// Kolmogorov-Smirnov distance below its 0.1 % critical value. Box-Muller on 32-bit words
// reaches |x| up to about 6.7, so the tail beyond 4 is checked too.
TEST(NormalBatch, DrawsAreStandardNormal) {
  constexpr int kBlocks = 8192;
  const std::vector<float> values = generate_blocks(99, kBlocks);
  std::vector<double> draws(values.begin(), values.end());
  const double n = static_cast<double>(draws.size());

  double sum = 0.0;
  double sum_squares = 0.0;
  double sum_cubes = 0.0;
  double sum_fourth = 0.0;
  int beyond_two = 0;
  int beyond_three = 0;
  int beyond_four = 0;
  for (double draw : draws) {
    sum += draw;
    sum_squares += draw * draw;
    sum_cubes += draw * draw * draw;
    sum_fourth += draw * draw * draw * draw;
    beyond_two += std::fabs(draw) > 2.0;
    beyond_three += std::fabs(draw) > 3.0;
    beyond_four += std::fabs(draw) > 4.0;
  }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(sum_squares / n, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(sum_cubes / n, 0.0, 5.0 * std::sqrt(15.0 / n));
  EXPECT_NEAR(sum_fourth / n, 3.0, 5.0 * std::sqrt(96.0 / n));
  const auto expect_tail = [n](int count, double probability, const char* name) {
    EXPECT_NEAR(count / n, probability, 5.0 * std::sqrt(probability * (1.0 - probability) / n))
        << name;
  };
  expect_tail(beyond_two, 0.0455003, "|x| > 2");
  expect_tail(beyond_three, 2.69980e-3, "|x| > 3");
  expect_tail(beyond_four, 6.33425e-5, "|x| > 4");

  std::sort(draws.begin(), draws.end());
  double max_distance = 0.0;
  for (std::size_t k = 0; k < draws.size(); ++k) {
    const double cdf = 0.5 * std::erfc(-draws[k] / std::sqrt(2.0));
    max_distance = std::max({max_distance, std::fabs(cdf - k / n), std::fabs(cdf - (k + 1) / n)});
  }
  EXPECT_LT(max_distance, 1.95 / std::sqrt(n));
}

// Neighbouring draws of one stream, the two normals of one Box-Muller pair and the streams of
// two keys are uncorrelated: each correlation within 5 standard errors (1 / sqrt(n)) of 0.
TEST(NormalBatch, DrawsAreUncorrelated) {
  constexpr int kBlocks = 2048;
  const std::vector<float> first = generate_blocks(1, kBlocks);
  const std::vector<float> second = generate_blocks(2, kBlocks);
  const std::size_t count = first.size();
  double neighbours = 0.0;
  double keys = 0.0;
  double pairs = 0.0;
  for (std::size_t k = 0; k + 1 < count; ++k) {
    neighbours += static_cast<double>(first[k]) * first[k + 1];
  }
  for (std::size_t k = 0; k < count; ++k) {
    keys += static_cast<double>(first[k]) * second[k];
  }
  for (std::size_t block = 0; block < count; block += kBlock) {
    for (int pair = 0; pair < 2; ++pair) {
      const float* sines = &first[block + 2 * pair * kCounters];
      const float* cosines = sines + kCounters;
      for (int b = 0; b < kCounters; ++b) {
        pairs += static_cast<double>(sines[b]) * cosines[b];
      }
    }
  }
  const double n = static_cast<double>(count);
  EXPECT_NEAR(neighbours / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(keys / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(pairs / (n / 2.0), 0.0, 5.0 / std::sqrt(n / 2.0));
}

// The SSE2, AVX2 and AVX-512 builds of the transform get the same Threefry words and differ
// only by SLEEF's rounding of log and sincospi in each instruction set.
TEST(NormalBatch, InstructionSetBuildsAgree) {
  __builtin_cpu_init();
  detail::BlockWords words;
  r123::Threefry4x32 threefry;
  for (int b = 0; b < kCounters; ++b) {
    const r123::Threefry4x32::ctr_type output =
        threefry({{static_cast<std::uint32_t>(b), 0u, 0u, 0u}}, {{7u, 0u, 0u, 0u}});
    for (int k = 0; k < 4; ++k) {
      words.word[k][b] = output.v[k];
    }
  }
  std::vector<float> baseline(kBlock);
  detail::box_muller_sse2(words, baseline.data());

  const auto expect_close = [&](void (*transform)(const detail::BlockWords&, float*),
                                const char* name) {
    std::vector<float> draws(kBlock);
    transform(words, draws.data());
    for (int k = 0; k < kBlock; ++k) {
      EXPECT_NEAR(draws[k], baseline[k], 1e-6 * std::max(1.0f, std::fabs(baseline[k])))
          << name << ", draw " << k;
    }
  };
  if (__builtin_cpu_supports("avx2")) {
    expect_close(detail::box_muller_avx2, "AVX2");
  }
  if (__builtin_cpu_supports("avx512f")) {
    expect_close(detail::box_muller_avx512, "AVX-512");
  }
}

}  // namespace
}  // namespace rpusim
