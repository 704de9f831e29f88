#include "models/periphery/read_path.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include <boost/random/normal_distribution.hpp>

namespace rpusim {

namespace {

// Keeps the level count 2^bits - 1 within an int.
constexpr int kMaxConverterBits = 31;

void check_bound(double bound, const char* quantity) {
  if (!(bound > 0.0)) {
    throw std::invalid_argument(std::string(quantity) + " " + std::to_string(bound) +
                                " is invalid: must be > 0");
  }
}

}  // namespace

double quantisation_step(int bits, double bound) {
  if (bits == 0) {
    return 0.0;
  }
  if (bits < 2 || bits > kMaxConverterBits) {
    throw std::invalid_argument("converter resolution " + std::to_string(bits) +
                                " bits is invalid: must be 0 (off) or 2.." +
                                std::to_string(kMaxConverterBits));
  }
  check_bound(bound, "converter bound");
  return 2.0 * bound / (std::ldexp(1.0, bits) - 2.0);
}

namespace {

// Clips each value to [lower, upper] and returns how many were outside.
int clip_to_bound(float* values, int count, float lower, float upper) {
  int clipped = 0;
  for (int i = 0; i < count; ++i) {
    const float value = values[i];
    clipped += (value > upper) | (value < lower);
    values[i] = std::clamp(value, lower, upper);
  }
  return clipped;
}

}  // namespace

int quantise_symmetric(float* values, int count, int bits, double bound) {
  check_bound(bound, "converter bound");
  const double step_double = quantisation_step(bits, bound);
  const auto upper = static_cast<float>(bound);
  const float lower = -upper;

  const int clipped = clip_to_bound(values, count, lower, upper);
  if (step_double == 0.0) {
    return clipped;
  }

  // The outermost level is bound itself, but the rounded product may land one float ulp
  // beyond it, so the result is clipped once more.
  const auto step = static_cast<float>(step_double);
  for (int i = 0; i < count; ++i) {
    const float level = std::nearbyint(values[i] / step) * step;
    values[i] = std::clamp(level, lower, upper);
  }
  return clipped;
}

int quantise_symmetric_stochastic(float* values, int count, int bits, double bound,
                                  RandomEngine& rng) {
  check_bound(bound, "converter bound");
  const double step = quantisation_step(bits, bound);
  const auto upper = static_cast<float>(bound);
  const float lower = -upper;

  const int clipped = clip_to_bound(values, count, lower, upper);
  if (step == 0.0) {
    return clipped;
  }

  // The level index and its fractional part are taken in double, so the probability of
  // rounding up is exact to float precision. As in quantise_symmetric, the outermost level may
  // land one float ulp beyond the bound and is clipped once more.
  for (int i = 0; i < count; ++i) {
    const double scaled = values[i] / step;
    const double below = std::floor(scaled);
    std::bernoulli_distribution round_up(scaled - below);
    const double level = below + static_cast<double>(round_up(rng));
    values[i] = std::clamp(static_cast<float>(level * step), lower, upper);
  }
  return clipped;
}

int integrate_outputs(float* values, int count, double noise_sigma, double bound,
                      RandomEngine& rng) {
  if (!(noise_sigma >= 0.0)) {
    throw std::invalid_argument("integrator output noise " + std::to_string(noise_sigma) +
                                " is invalid: must be >= 0");
  }
  check_bound(bound, "integrator output bound");

  if (noise_sigma > 0.0) {
    boost::random::normal_distribution<float> normal(0.0f, static_cast<float>(noise_sigma));
    for (int i = 0; i < count; ++i) {
      values[i] += normal(rng);
    }
  }

  const auto upper = static_cast<float>(bound);
  const float lower = -upper;
  int saturated = 0;
  for (int i = 0; i < count; ++i) {
    const float value = std::clamp(values[i], lower, upper);
    saturated += std::fabs(value) >= upper;
    values[i] = value;
  }
  return saturated;
}

}  // namespace rpusim
