// Chip address maps (docs/address-map.md): the base of each kind of block and the 1 MiB slot
// each block of a kind gets. A kind's blocks must end before the next kind's base, so the
// map bounds how many tiles and NLF units a chip can have. No SystemC, so that the
// configuration checks can apply these bounds before anything is built.
#pragma once

#include <cstdint>

namespace rpusim {

// Functional runs: tiles and NLF units below 4 GiB, 256 slots each.
namespace chip_map {
constexpr std::uint64_t kTileBase = 0x10000000;
constexpr std::uint64_t kNlfBase = 0x20000000;
constexpr std::uint64_t kIoBase = 0x30000000;
constexpr std::uint64_t kBlockStride = 0x00100000;  // region reserved per tile or NLF unit
constexpr std::int64_t kMaxTiles = (kNlfBase - kTileBase) / kBlockStride;
constexpr std::int64_t kMaxNlfUnits = (kIoBase - kNlfBase) / kBlockStride;
}  // namespace chip_map

// Timing-only runs: tiles and NLF units above 4 GiB, 4,096 slots each, and the I/O port at
// the functional map's address.
namespace timing_map {
constexpr std::uint64_t kTileBase = 0x100000000ull;
constexpr std::uint64_t kNlfBase = 0x200000000ull;
constexpr std::uint64_t kNlfEnd = 0x300000000ull;  // first address after the NLF units' slots
constexpr std::uint64_t kIoBase = 0x30000000ull;
constexpr std::uint64_t kBlockStride = 0x00100000ull;
constexpr std::int64_t kMaxTiles = (kNlfBase - kTileBase) / kBlockStride;
constexpr std::int64_t kMaxNlfUnits = (kNlfEnd - kNlfBase) / kBlockStride;
}  // namespace timing_map

static_assert(chip_map::kMaxTiles == 256 && chip_map::kMaxNlfUnits == 256,
              "docs/address-map.md and the chip.tiles and chip.nlf_units descriptions give 256");
static_assert(timing_map::kMaxTiles == 4096 && timing_map::kMaxNlfUnits == 4096,
              "docs/address-map.md gives 4,096");
static_assert(timing_map::kIoBase >= chip_map::kIoBase &&
                  timing_map::kIoBase < timing_map::kTileBase,
              "the timing map's I/O port lies below its tiles");

}  // namespace rpusim
