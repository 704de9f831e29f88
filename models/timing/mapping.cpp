#include "models/timing/mapping.hpp"

#include <algorithm>

#include "models/common/error.hpp"

namespace rpusim {

namespace {

int ceil_div(std::int64_t numerator, std::int64_t denominator) {
  return static_cast<int>((numerator + denominator - 1) / denominator);
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
  ChipMapping mapping;
  int next_tile = 0;
  for (std::size_t l = 0; l < topology.layers.size(); ++l) {
    const TopologyLayer& spec = topology.layers[l];
    LayerMapping layer;
    layer.layer = static_cast<int>(l);
    if (!spec.weighted()) {
      mapping.layers.push_back(layer);
      continue;
    }
    const int rows = spec.matrix_rows();
    const int columns = spec.matrix_columns() + (spec.bias ? 1 : 0);
    layer.row_blocks = ceil_div(rows, params.tile_output_lines);
    layer.column_blocks = ceil_div(columns, params.tile_input_lines);
    layer.reuses = spec.reuses();
    layer.replicas = spec.kind == LayerKind::kConv
                         ? static_cast<int>(std::min<std::int64_t>(
                               std::max(1, params.conv_replication), layer.reuses))
                         : 1;
    layer.reuses_per_replica = (layer.reuses + layer.replicas - 1) / layer.replicas;

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
    mapping.layers.push_back(layer);
  }
  mapping.tiles_used = next_tile;
  if (mapping.tiles_used > params.tiles_available) {
    const std::string origin = params.tiles_origin.empty() ? "" : params.tiles_origin + ": ";
    throw ConfigError(origin + "chip.tiles = " + std::to_string(params.tiles_available) +
                      " is too small: the mapping of workload '" + topology.name + "' needs " +
                      std::to_string(mapping.tiles_used) + " tiles of " +
                      std::to_string(params.tile_output_lines) + " x " +
                      std::to_string(params.tile_input_lines) +
                      " lines; raise chip.tiles or lower mapping.conv_replication");
  }
  return mapping;
}

}  // namespace rpusim
