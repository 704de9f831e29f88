// Mapping of a network topology onto RPU tiles. A weight matrix larger than a tile is cut
// into row blocks (output lines) and column blocks (input lines, the bias line in the last
// block), and each block occupies one tile. The digital units add the column blocks'
// partial sums after a forward read and the row blocks' after a backward read. A
// convolution's array may be replicated over several tiles that share its reuses (Gokmen,
// Onen & Haensch 2017): each replica reads and updates its share of the output pixels.
// Unweighted layers (pooling, residual additions) map to no tile. No SystemC.
//
// Leaves out placing several small layers on one tile and splitting a conv layer's reuses
// unevenly across replicas.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/common/address_map.hpp"
#include "models/workload/topology.hpp"

namespace rpusim {

struct MappingParams {
  int tile_input_lines = 4096;
  int tile_output_lines = 4096;
  int tiles_available = 1;
  std::int64_t max_tiles = timing_map::kMaxTiles;  // tile slots in the address map
  int conv_replication = 1;  // replicas per conv layer at most, capped by its reuses
  std::string tiles_origin;  // where chip.tiles was set, leading the too-few-tiles error
};

// One tile's share of a layer's weight matrix.
struct TileBlock {
  int tile = 0;
  int replica = 0;
  int row_offset = 0;
  int rows = 0;           // output lines used
  int column_offset = 0;
  int columns = 0;        // input lines used, the bias line included in the last block
};

struct LayerMapping {
  int layer = 0;
  int row_blocks = 0;
  int column_blocks = 0;
  int replicas = 0;
  std::int64_t reuses = 0;              // reads of the whole matrix per sample and direction
  std::int64_t reuses_per_replica = 0;  // reads per replica: ceil(reuses / replicas)
  std::vector<TileBlock> blocks;        // replica-major, then row block, then column block

  bool mapped() const { return !blocks.empty(); }
  // Digital additions per sample that merge partial sums: after each forward read,
  // (column_blocks - 1) x rows; after each backward read, (row_blocks - 1) x columns.
  std::int64_t forward_accumulations(const TopologyLayer& spec) const;
  std::int64_t backward_accumulations(const TopologyLayer& spec) const;
};

struct ChipMapping {
  std::vector<LayerMapping> layers;  // one per topology layer, in order
  int tiles_used = 0;
};

// Maps every weighted layer onto consecutive tiles. Throws ConfigError naming chip.tiles, and
// the address map's limit if it is the one exceeded, if the topology needs more tiles than
// `params.tiles_available`. The count is checked before any tile block is listed.
ChipMapping map_topology(const Topology& topology, const MappingParams& params);

}  // namespace rpusim
