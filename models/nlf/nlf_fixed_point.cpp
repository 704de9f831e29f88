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

}  // namespace rpusim::nlf_fixed
