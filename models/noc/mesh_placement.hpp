// Placement of the chip's blocks on the mesh: the node of every tile, NLF unit and the I/O
// port (mesh.placement). Both placements give each block a node of its own.
#pragma once

#include <string>
#include <vector>

#include "models/noc/mesh_network.hpp"

namespace rpusim {

enum class MeshPlacement {
  // Tiles on nodes 0, 1, ..., then the NLF units, then the I/O port, in row-major order.
  kRowMajor,
  // The sequence tile 0, NLF unit 0, tile 1, NLF unit 1, ... while both remain, then the
  // remaining tiles, the remaining NLF units and the I/O port, laid along a serpentine:
  // row 0 left to right, row 1 right to left, and so on. Consecutive blocks of the sequence
  // are neighbours, so tile t and NLF unit t are one hop apart.
  kInterleaved,
};

// Parses a mesh.placement value: "row_major" or "interleaved". Throws std::invalid_argument
// for any other name.
MeshPlacement parse_mesh_placement(const std::string& name);

struct BlockNodes {
  std::vector<int> tiles;      // node of tile t
  std::vector<int> nlf_units;  // node of NLF unit n
  int io_port = 0;
};

// Places `tiles` tiles, `nlf_units` NLF units and the I/O port on a mesh of `size`.
// Throws std::invalid_argument if the mesh has fewer nodes than blocks.
BlockNodes place_blocks(MeshSize size, int tiles, int nlf_units, MeshPlacement placement);

}  // namespace rpusim
