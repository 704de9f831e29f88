#include "models/timing/mapping.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "models/common/error.hpp"

namespace rpusim {

namespace {

int ceil_div(std::int64_t numerator, std::int64_t denominator) {
  return static_cast<int>((numerator + denominator - 1) / denominator);
}

// The blocks, replicas and reuses of a weighted layer, without its tile blocks.
LayerMapping plan_layer(const TopologyLayer& spec, const MappingParams& params) {
  LayerMapping layer;
  const int columns = spec.matrix_columns() + (spec.bias ? 1 : 0);
  layer.row_blocks = ceil_div(spec.matrix_rows(), params.tile_output_lines);
  layer.column_blocks = ceil_div(columns, params.tile_input_lines);
  layer.reuses = spec.reuses();
  layer.replicas = spec.kind == LayerKind::kConv
                       ? static_cast<int>(std::min<std::int64_t>(
                             std::max(1, params.conv_replication), layer.reuses))
                       : 1;
  layer.reuses_per_replica = (layer.reuses + layer.replicas - 1) / layer.replicas;
  return layer;
}

// Tiles a planned layer occupies. A double, because replicas x blocks can exceed 2^63 for a
// huge layer, while the limits it is compared with are far below 2^53, where doubles are exact.
double tile_count(const LayerMapping& layer) {
  return static_cast<double>(layer.replicas) * layer.row_blocks * layer.column_blocks;
}

// Lists the tile blocks of a planned layer, on tiles from `next_tile` on.
void list_blocks(const TopologyLayer& spec, const MappingParams& params, LayerMapping& layer,
                 int& next_tile) {
  const int rows = spec.matrix_rows();
  const int columns = spec.matrix_columns() + (spec.bias ? 1 : 0);
  for (int replica = 0; replica < layer.replicas; ++replica) {
    for (int r = 0; r < layer.row_blocks; ++r) {
      for (int c = 0; c < layer.column_blocks; ++c) {
        TileBlock block;
        block.tile = next_tile++;
        block.replica = replica;
        block.row_offset = r * params.tile_output_lines;
        block.rows = std::min(params.tile_output_lines, rows - block.row_offset);
        block.column_offset = c * params.tile_input_lines;
        block.columns = std::min(params.tile_input_lines, columns - block.column_offset);
        layer.blocks.push_back(block);
      }
    }
  }
}

std::string too_few_tiles_message(const Topology& topology, const MappingParams& params,
                                  double tiles_needed) {
  std::ostringstream message;
  if (!params.tiles_origin.empty()) message << params.tiles_origin << ": ";
  message << "chip.tiles = '" << params.tiles_available
          << "' is too small: the mapping of workload '" << topology.name << "'";
  // The name may come from another file than the layers (a network file replacing a list).
  if (!topology.source.empty()) message << " (layers from " << topology.source << ")";
  message << " needs " << std::fixed << std::setprecision(0) << tiles_needed << " tiles of "
          << params.tile_output_lines << " x " << params.tile_input_lines << " lines";
  if (tiles_needed > static_cast<double>(params.max_tiles)) {
    message << ", more than the " << params.max_tiles
            << " that the address map holds (docs/address-map.md); use larger tiles "
               "(tile.input_lines, tile.output_lines) or lower mapping.conv_replication";
  } else {
    message << "; raise chip.tiles or lower mapping.conv_replication";
  }
  return message.str();
}

}  // namespace

std::int64_t LayerMapping::forward_accumulations(const TopologyLayer& spec) const {
  return static_cast<std::int64_t>(column_blocks - 1) * spec.matrix_rows() * reuses;
}

std::int64_t LayerMapping::backward_accumulations(const TopologyLayer& spec) const {
  const int columns = spec.matrix_columns() + (spec.bias ? 1 : 0);
  return static_cast<std::int64_t>(row_blocks - 1) * columns * reuses;
}

ChipMapping map_topology(const Topology& topology, const MappingParams& params) {
  // The tile count comes first, so that a mapping far too large for the chip fails before
  // it lists millions of blocks.
  ChipMapping mapping;
  double tiles_needed = 0;
  for (std::size_t l = 0; l < topology.layers.size(); ++l) {
    const TopologyLayer& spec = topology.layers[l];
    LayerMapping layer;
    if (spec.weighted()) {
      layer = plan_layer(spec, params);
      tiles_needed += tile_count(layer);
    }
    layer.layer = static_cast<int>(l);
    mapping.layers.push_back(layer);
  }
  if (tiles_needed > params.tiles_available) {
    throw ConfigError(too_few_tiles_message(topology, params, tiles_needed));
  }

  int next_tile = 0;
  for (std::size_t l = 0; l < topology.layers.size(); ++l) {
    if (!topology.layers[l].weighted()) continue;
    list_blocks(topology.layers[l], params, mapping.layers[l], next_tile);
  }
  mapping.tiles_used = next_tile;
  return mapping;
}

}  // namespace rpusim
