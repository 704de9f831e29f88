// Code shared by the functional chip and the timing-only chip: binding the initiator and
// every block (tiles, NLF units, the I/O port) to the interconnect with one address region
// each, sizing and placing a mesh, and summing the blocks' static power and area.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>

#include "models/chip/chip.hpp"
#include "models/chip/io_port.hpp"
#include "models/common/config.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "models/noc/mesh.hpp"
#include "models/noc/mesh_placement.hpp"
#include "models/tile/rpu_tile.hpp"

namespace rpusim {

// Every block's region fits its slot in both address maps.
static_assert(tile_map::kRegionSize <= chip_map::kBlockStride &&
              nlf_map::kRegionSize <= chip_map::kBlockStride &&
              chip_map::kBlockStride == timing_map::kBlockStride);

// Base addresses of the blocks' regions; block n of a kind starts at base + n x stride.
struct BlockBases {
  std::uint64_t tiles = 0;
  std::uint64_t nlf_units = 0;
  std::uint64_t io_port = 0;
  std::uint64_t stride = 0;
};

// Binds `initiator` to `interconnect` and every block to it. Tile t is port t, NLF unit n
// is port tiles + n, and the I/O port comes last. `connect` may put a module (a protocol
// checker) between each pair.
template <typename InitiatorSocket, typename Interconnect>
void bind_blocks(InitiatorSocket& initiator, Interconnect& interconnect,
                 sc_core::sc_vector<RpuTile>& tiles, sc_core::sc_vector<NlfUnit>& nlf_units,
                 IoPort& io_port, const BlockBases& bases, const TargetConnector& connect) {
  auto target_of = [&connect](tlm::tlm_target_socket<>& target, const std::string& name,
                              std::uint64_t region_size) -> tlm::tlm_target_socket<>& {
    return connect ? connect(target, name, region_size) : target;
  };
  initiator.bind(target_of(interconnect.target_socket, interconnect.basename(), 0));
  unsigned port = 0;
  for (std::size_t t = 0; t < tiles.size(); ++t, ++port) {
    interconnect.initiator_socket.bind(
        target_of(tiles[t].target_socket, tiles[t].basename(), tile_map::kRegionSize));
    interconnect.map_region(bases.tiles + t * bases.stride, tile_map::kRegionSize, port,
                            tiles[t].name());
  }
  for (std::size_t n = 0; n < nlf_units.size(); ++n, ++port) {
    interconnect.initiator_socket.bind(
        target_of(nlf_units[n].target_socket, nlf_units[n].basename(), nlf_map::kRegionSize));
    interconnect.map_region(bases.nlf_units + n * bases.stride, nlf_map::kRegionSize, port,
                            nlf_units[n].name());
  }
  interconnect.initiator_socket.bind(
      target_of(io_port.target_socket, "io_port", io_map::kRegionSize));
  interconnect.map_region(bases.io_port, io_map::kRegionSize, port, io_port.name());
}

// Returns the mesh parameters for `tiles`, `nlf_units` and the I/O port, with the hop
// length derived from one tile's area unless mesh.hop_length_mm sets it.
inline MeshParams chip_mesh_params(const Config& config, const RpuTile& tile, int tiles,
                                   int nlf_units) {
  std::array<double, kComponentCount> tile_area_um2{};
  tile.add_area(tile_area_um2);
  double tile_um2 = 0;
  for (double um2 : tile_area_um2) tile_um2 += um2;
  return MeshParams::from_config(config, tiles + nlf_units + 1, tile_um2 * 1e-6);
}

// Places the blocks on `mesh` at `nodes`, in the port order of bind_blocks, with the
// initiator at NLF unit 0's node.
inline void place_blocks_on_mesh(Mesh& mesh, const BlockNodes& nodes) {
  unsigned port = 0;
  for (int node : nodes.tiles) mesh.place(port++, node);
  for (int node : nodes.nlf_units) mesh.place(port++, node);
  mesh.place(port, nodes.io_port);
  mesh.set_initiator_node(nodes.nlf_units[0]);
}

// Static power (W) and area (um^2) of every block by component.
struct BlockStatics {
  std::array<double, kComponentCount> static_w{};
  std::array<double, kComponentCount> area_um2{};

  double total_static_w() const {
    double total = 0;
    for (double watts : static_w) total += watts;
    return total;
  }
};

inline BlockStatics sum_block_statics(const sc_core::sc_vector<RpuTile>& tiles,
                                      const sc_core::sc_vector<NlfUnit>& nlf_units,
                                      const IoPort& io_port, double interconnect_static_w,
                                      double interconnect_area_um2) {
  BlockStatics statics;
  auto add = [&statics](Component component, double watts, double um2) {
    statics.static_w[static_cast<std::size_t>(component)] += watts;
    statics.area_um2[static_cast<std::size_t>(component)] += um2;
  };
  for (const RpuTile& tile : tiles) {
    tile.add_static_power(statics.static_w);
    tile.add_area(statics.area_um2);
  }
  for (const NlfUnit& unit : nlf_units) add(Component::kNlf, unit.static_power_w(), unit.area_um2());
  add(Component::kInterconnect, interconnect_static_w, interconnect_area_um2);
  add(Component::kIo, io_port.params().static_power_w, io_port.params().area_um2);
  return statics;
}

// Update pulses, coincidences and saturated reads summed over every tile.
struct TileActivityTotals {
  double pulses = 0;
  double coincidences = 0;
  std::uint64_t saturated_reads = 0;
};

inline TileActivityTotals sum_tile_activity(const sc_core::sc_vector<RpuTile>& tiles) {
  TileActivityTotals totals;
  for (const RpuTile& tile : tiles) {
    totals.pulses += tile.activity().pulses;
    totals.coincidences += tile.activity().coincidences;
    totals.saturated_reads += tile.activity().saturated_reads;
  }
  return totals;
}

}  // namespace rpusim
