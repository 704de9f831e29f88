#include "models/common/random.hpp"

namespace rpusim {

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

RandomEngine make_random_stream(std::uint64_t seed, std::string_view stream_name) {
  const std::uint64_t name_hash = stable_hash(stream_name);
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         static_cast<std::uint32_t>(name_hash),
                         static_cast<std::uint32_t>(name_hash >> 32)};
  return RandomEngine(sequence);
}

}  // namespace rpusim
