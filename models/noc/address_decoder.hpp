// Address decoder shared by the interconnects: regions [base, base + size) mapped to
// initiator-socket ports, kept sorted by base so that a lookup is a bisection.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace rpusim {

class AddressDecoder {
 public:
  struct Region {
    std::uint64_t base;
    std::uint64_t size;
    unsigned port;
    std::string name;
  };

  // Adds a region. Throws std::invalid_argument, naming `owner`, if it overlaps another.
  void add(std::uint64_t base, std::uint64_t size, unsigned port, const std::string& name,
           const std::string& owner) {
    for (const Region& region : m_regions) {
      if (base < region.base + region.size && region.base < base + size) {
        throw std::invalid_argument(owner + ": region " + name + " overlaps region " +
                                    region.name);
      }
    }
    const Region region{base, size, port, name};
    m_regions.insert(std::upper_bound(m_regions.begin(), m_regions.end(), region,
                                      [](const Region& a, const Region& b) { return a.base < b.base; }),
                     region);
  }

  // Returns the region that contains `address`, or nullptr.
  const Region* decode(std::uint64_t address) const {
    auto after = std::upper_bound(
        m_regions.begin(), m_regions.end(), address,
        [](std::uint64_t value, const Region& region) { return value < region.base; });
    if (after == m_regions.begin()) return nullptr;
    const Region& region = *(after - 1);
    return address - region.base < region.size ? &region : nullptr;
  }

  const std::vector<Region>& regions() const { return m_regions; }

 private:
  std::vector<Region> m_regions;
};

}  // namespace rpusim
