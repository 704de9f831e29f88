#include "models/noc/mesh_placement.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace rpusim {

MeshPlacement parse_mesh_placement(const std::string& name) {
  if (name == "row_major") return MeshPlacement::kRowMajor;
  if (name == "interleaved") return MeshPlacement::kInterleaved;
  throw std::invalid_argument("mesh placement '" + name +
                              "' is invalid: must be row_major or interleaved");
}

BlockNodes place_blocks(MeshSize size, int tiles, int nlf_units, MeshPlacement placement,
                        const std::vector<PlacementGroup>& groups) {
  const int blocks = tiles + nlf_units + 1;
  if (size.columns * size.rows < blocks) {
    throw std::invalid_argument(
        "a " + std::to_string(size.columns) + " x " + std::to_string(size.rows) + " mesh has " +
        std::to_string(size.columns * size.rows) + " nodes, but the chip has " +
        std::to_string(blocks) + " blocks to place (" + std::to_string(tiles) + " tiles, " +
        std::to_string(nlf_units) + " NLF units, plus the I/O port)");
  }
  BlockNodes nodes;
  nodes.tiles.resize(static_cast<std::size_t>(tiles));
  nodes.nlf_units.resize(static_cast<std::size_t>(nlf_units));

  if (placement == MeshPlacement::kRowMajor) {
    for (int t = 0; t < tiles; ++t) nodes.tiles[t] = t;
    for (int n = 0; n < nlf_units; ++n) nodes.nlf_units[n] = tiles + n;
    nodes.io_port = tiles + nlf_units;
    return nodes;
  }

  // The k-th node of the serpentine: even rows run left to right, odd rows right to left.
  auto serpentine = [&size](int k) {
    const int y = k / size.columns;
    const int offset = k % size.columns;
    const int x = y % 2 == 0 ? offset : size.columns - 1 - offset;
    return y * size.columns + x;
  };
  std::vector<PlacementGroup> pairs;
  if (groups.empty()) {
    for (int i = 0; i < std::min(tiles, nlf_units); ++i) pairs.push_back({{i}, i});
  }
  int k = 0;
  std::vector<bool> tile_placed(static_cast<std::size_t>(tiles), false);
  std::vector<bool> unit_placed(static_cast<std::size_t>(nlf_units), false);
  // Places block `index` of one kind at the next free node, once.
  auto place = [&](int index, const char* kind, std::vector<bool>& placed,
                   std::vector<int>& node_of) {
    const int count = static_cast<int>(placed.size());
    if (index < 0 || index >= count) {
      throw std::invalid_argument("placement group names " + std::string(kind) + " " +
                                  std::to_string(index) + ": " + kind + "s are 0 to " +
                                  std::to_string(count - 1));
    }
    if (placed[static_cast<std::size_t>(index)]) return;
    placed[static_cast<std::size_t>(index)] = true;
    node_of[static_cast<std::size_t>(index)] = serpentine(k++);
  };
  auto place_tile = [&](int t) { place(t, "tile", tile_placed, nodes.tiles); };
  auto place_unit = [&](int n) { place(n, "NLF unit", unit_placed, nodes.nlf_units); };
  for (const PlacementGroup& group : groups.empty() ? pairs : groups) {
    for (int t : group.tiles) place_tile(t);
    place_unit(group.nlf_unit);
  }
  for (int t = 0; t < tiles; ++t) place_tile(t);
  for (int n = 0; n < nlf_units; ++n) place_unit(n);
  nodes.io_port = serpentine(k);
  return nodes;
}

}  // namespace rpusim
