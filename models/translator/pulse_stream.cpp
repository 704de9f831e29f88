#include "models/translator/pulse_stream.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace rpusim {

namespace {

constexpr double kTwoPow32 = 4294967296.0;

std::uint64_t low_bits_mask(int length) {
  return length == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << length) - 1;
}

// Draws one Bernoulli stream: slot k pulses when the k-th 32-bit uniform u satisfies
// u < threshold, which happens with probability threshold / 2^32. Each 64-bit engine
// output supplies two slots.
std::uint64_t draw_stream(std::uint64_t threshold, int length, RandomEngine& rng) {
  std::uint64_t bits = 0;
  int slot = 0;
  for (; slot + 1 < length; slot += 2) {
    const std::uint64_t word = rng();
    const std::uint64_t low = word & 0xffffffffu;
    const std::uint64_t high = word >> 32;
    bits |= static_cast<std::uint64_t>(low < threshold) << slot;
    bits |= static_cast<std::uint64_t>(high < threshold) << (slot + 1);
  }
  if (slot < length) {
    const std::uint64_t low = rng() & 0xffffffffu;
    bits |= static_cast<std::uint64_t>(low < threshold) << slot;
  }
  return bits;
}

void check_arguments(int count, double probability_scale, int length) {
  if (length < 1 || length > kMaxBitLength) {
    throw std::invalid_argument("pulse stream length " + std::to_string(length) +
                                " is invalid: must be 1.." + std::to_string(kMaxBitLength));
  }
  if (!(probability_scale >= 0.0)) {
    throw std::invalid_argument("pulse probability scale " + std::to_string(probability_scale) +
                                " is invalid: must be >= 0");
  }
  if (count < 0) {
    throw std::invalid_argument("pulse stream count " + std::to_string(count) +
                                " is invalid: must be >= 0");
  }
}

// assign() keeps the vectors' capacity, so a reused PulseStreams does not allocate.
void reset_streams(int count, int length, PulseStreams& out) {
  out.length = length;
  out.bits.assign(count, 0);
  out.sign.assign(count, 0);
  out.pulse_count = 0;
  out.pulsed_lines = 0;
}

// Returns the stream of `pulses` (1..length) pulses spread evenly over `length` slots: pulse
// k in slot floor((2k + 1) length / (2 pulses)), the centre of the k-th of `pulses` equal
// parts. The slots are distinct because the parts are at least one slot wide.
std::uint64_t spread_pulses(int pulses, int length) {
  std::uint64_t bits = 0;
  for (int k = 0; k < pulses; ++k) {
    bits |= std::uint64_t{1} << ((2 * k + 1) * length / (2 * pulses));
  }
  return bits;
}

}  // namespace

const char* pulse_scheme_name(PulseScheme scheme) {
  return scheme == PulseScheme::stochastic ? "stochastic" : "deterministic";
}

PulseScheme parse_pulse_scheme(std::string_view name) {
  for (PulseScheme scheme : {PulseScheme::stochastic, PulseScheme::deterministic}) {
    if (name == pulse_scheme_name(scheme)) {
      return scheme;
    }
  }
  throw std::invalid_argument("pulse scheme '" + std::string(name) +
                              "' is invalid: must be stochastic or deterministic");
}

void generate_pulse_streams(const float* values, int count, double probability_scale, int length,
                            RandomEngine& rng, PulseStreams& out) {
  check_arguments(count, probability_scale, length);
  reset_streams(count, length, out);

  const std::uint64_t all_slots = low_bits_mask(length);
  for (int i = 0; i < count; ++i) {
    const float value = values[i];
    out.sign[i] = static_cast<std::int8_t>((value > 0.0f) - (value < 0.0f));

    // NaN fails both comparisons below and gives no pulses, like a zero value.
    const double probability = probability_scale * std::fabs(static_cast<double>(value));
    std::uint64_t bits = 0;
    if (probability >= 1.0) {
      bits = all_slots;
    } else if (probability > 0.0) {
      // probability < 1 keeps the threshold below 2^32 after truncation.
      const auto threshold = static_cast<std::uint64_t>(probability * kTwoPow32);
      bits = draw_stream(threshold, length, rng);
    }
    if (bits != 0) {
      out.bits[i] = bits;
      out.pulse_count += static_cast<std::uint64_t>(__builtin_popcountll(bits));
      ++out.pulsed_lines;
    }
  }
}

int deterministic_pulse_count(float value, double probability_scale, int length) {
  const double probability = probability_scale * std::fabs(static_cast<double>(value));
  // NaN fails the comparison and gives no pulses, like a zero value.
  if (!(probability > 0.0)) {
    return 0;
  }
  return static_cast<int>(std::floor(length * std::min(1.0, probability) + 0.5));
}

void generate_deterministic_pulse_streams(const float* values, int count, double probability_scale,
                                          int length, PulseLineSide side, PulseStreams& out) {
  check_arguments(count, probability_scale, length);
  reset_streams(count, length, out);

  for (int i = 0; i < count; ++i) {
    const float value = values[i];
    out.sign[i] = static_cast<std::int8_t>((value > 0.0f) - (value < 0.0f));
    const int pulses = deterministic_pulse_count(value, probability_scale, length);
    if (pulses == 0) {
      continue;
    }
    out.bits[i] =
        side == PulseLineSide::input ? low_bits_mask(pulses) : spread_pulses(pulses, length);
    out.pulse_count += static_cast<std::uint64_t>(pulses);
    ++out.pulsed_lines;
  }
}

void generate_pulse_streams(PulseScheme scheme, PulseLineSide side, const float* values, int count,
                            double probability_scale, int length, RandomEngine& rng,
                            PulseStreams& out) {
  if (scheme == PulseScheme::stochastic) {
    generate_pulse_streams(values, count, probability_scale, length, rng, out);
  } else {
    generate_deterministic_pulse_streams(values, count, probability_scale, length, side, out);
  }
}

}  // namespace rpusim
