#include "models/nlf/nlf_fixed_point.hpp"

#include <cmath>

namespace rpusim::nlf_fixed {

std::int32_t to_word(float value) {
  if (std::isnan(value)) return 0;
  const double scaled = std::round(static_cast<double>(value) * (1 << kFractionBits));
  if (scaled >= kMaxWord) return kMaxWord;
  if (scaled <= kMinWord) return kMinWord;
  return static_cast<std::int32_t>(scaled);
}

float from_word(std::int32_t word) {
  return static_cast<float>(std::ldexp(static_cast<double>(word), -kFractionBits));
}

std::int32_t from_bits(std::uint32_t bits) {
  const std::uint32_t sign_bit = 1u << (kWordBits - 1);
  const std::uint32_t field = bits & kWordMask;
  return static_cast<std::int32_t>(field ^ sign_bit) - static_cast<std::int32_t>(sign_bit);
}

namespace {

// Knot k of the sigmoid table: sigmoid(k / 16) with 16 fraction bits, rounded to nearest.
std::int64_t knot(int k) {
  const double x = static_cast<double>(k) / 16.0;
  return static_cast<std::int64_t>(65536.0 / (1.0 + std::exp(-x)) + 0.5);
}

}  // namespace

std::int32_t sigmoid_word(std::int32_t x) {
  constexpr std::int64_t kOne = std::int64_t{1} << kFractionBits;
  const bool negative = x < 0;
  const std::int64_t magnitude = negative ? -static_cast<std::int64_t>(x) : x;
  const bool saturated = (magnitude >> 20) != 0;  // |x| >= 16
  const int index = static_cast<int>((magnitude >> 12) & 0xFF);
  const std::int64_t fraction = magnitude & 0xFFF;
  const std::int64_t low = knot(index);
  const std::int64_t step = (knot(index + 1) - low) * fraction;
  const std::int64_t interpolated = low + ((step + 2048) >> 12);
  const std::int64_t positive = saturated ? kOne : interpolated;
  return static_cast<std::int32_t>(negative ? kOne - positive : positive);
}

std::int32_t derivative_word(std::int32_t e, std::int32_t s) {
  constexpr std::int64_t kOne = std::int64_t{1} << kFractionBits;
  const std::int64_t clamped = s < 0 ? 0 : (s > kOne ? kOne : s);
  const std::int64_t slope = (clamped * (kOne - clamped) + 32768) >> 16;
  // |e slope| <= 128 / 4 = 32, so the rounded product fits the word.
  const std::int64_t product = static_cast<std::int64_t>(e) * slope + 32768;
  return from_bits(static_cast<std::uint32_t>(product >> 16));
}

}  // namespace rpusim::nlf_fixed
