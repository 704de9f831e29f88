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
  // Groups of tiles, each followed by the NLF unit that serves them, then the remaining
  // tiles, the remaining NLF units and the I/O port. The sequence runs along a serpentine
  // (row 0 left to right, row 1 right to left, and so on), so consecutive blocks are
  // neighbours. Without explicit groups, group t is tile t with NLF unit t, so tile t and
  // NLF unit t are one hop apart.
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

// Tiles that one NLF unit serves, in the order the interleaved placement lays them out: a
// timing-only run gives one group per layer, its tiles and its NLF unit.
struct PlacementGroup {
  std::vector<int> tiles;
  int nlf_unit = 0;
};

// Places `tiles` tiles, `nlf_units` NLF units and the I/O port on a mesh of `size`. An
// interleaved placement lays out `groups` in order, each block once, at its first
// appearance; without groups it pairs tile t with NLF unit t. Throws
// std::invalid_argument if the mesh has fewer nodes than blocks or a group names a block
// that does not exist.
BlockNodes place_blocks(MeshSize size, int tiles, int nlf_units, MeshPlacement placement,
                        const std::vector<PlacementGroup>& groups = {});

}  // namespace rpusim
