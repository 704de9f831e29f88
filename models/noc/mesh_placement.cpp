#include "models/noc/mesh_placement.hpp"

#include <algorithm>
#include <stdexcept>

namespace rpusim {

MeshPlacement parse_mesh_placement(const std::string& name) {
  if (name == "row_major") return MeshPlacement::kRowMajor;
  if (name == "interleaved") return MeshPlacement::kInterleaved;
  throw std::invalid_argument("mesh placement '" + name +
                              "' is invalid: must be row_major or interleaved");
}

BlockNodes place_blocks(MeshSize size, int tiles, int nlf_units, MeshPlacement placement) {
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
  int k = 0;
  int t = 0;
  const int pairs = std::min(tiles, nlf_units);
  for (int i = 0; i < pairs; ++i) {
    // With more tiles than NLF units, NLF unit i follows its share of the tiles, so that a
    // layer split over consecutive tiles sits beside its NLF unit.
    const int group_end = tiles > nlf_units ? static_cast<int>(
                                                  static_cast<long long>(i + 1) * tiles / nlf_units)
                                            : i + 1;
    for (; t < group_end; ++t) nodes.tiles[t] = serpentine(k++);
    nodes.nlf_units[i] = serpentine(k++);
  }
  for (; t < tiles; ++t) nodes.tiles[t] = serpentine(k++);
  for (int n = pairs; n < nlf_units; ++n) nodes.nlf_units[n] = serpentine(k++);
  nodes.io_port = serpentine(k);
  return nodes;
}

}  // namespace rpusim
