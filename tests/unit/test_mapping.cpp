// Mapping of topologies onto tiles: block counts, partial sums, replication and the tile
// budget.
#include <gtest/gtest.h>

#include <string>

#include "models/common/error.hpp"
#include "models/timing/mapping.hpp"

namespace rpusim {
namespace {

TopologyLayer dense(int inputs, int outputs) {
  TopologyLayer layer;
  layer.in_channels = inputs;
  layer.out_channels = outputs;
  return layer;
}

MappingParams tiles(int lines, int count, int replication = 1) {
  MappingParams params;
  params.tile_input_lines = lines;
  params.tile_output_lines = lines;
  params.tiles_available = count;
  params.conv_replication = replication;
  return params;
}

TEST(MappingTest, WideLayerSplitsIntoColumnBlocks) {
  // VGG-16's first fully connected layer: 4096 x (25088 + 1) on 4096 x 4096 tiles.
  Topology topology;
  topology.layers = {dense(25088, 4096)};
  const ChipMapping mapping = map_topology(topology, tiles(4096, 100));
  const LayerMapping& layer = mapping.layers[0];
  EXPECT_EQ(layer.row_blocks, 1);
  EXPECT_EQ(layer.column_blocks, 7);
  EXPECT_EQ(mapping.tiles_used, 7);
  EXPECT_EQ(layer.blocks.back().columns, 25089 - 6 * 4096);
  EXPECT_EQ(layer.forward_accumulations(topology.layers[0]), 6 * 4096);
  EXPECT_EQ(layer.backward_accumulations(topology.layers[0]), 0);
}

TEST(MappingTest, TallLayerSplitsIntoRowBlocks) {
  Topology topology;
  topology.layers = {dense(100, 1000)};
  const ChipMapping mapping = map_topology(topology, tiles(256, 10));
  const LayerMapping& layer = mapping.layers[0];
  EXPECT_EQ(layer.row_blocks, 4);
  EXPECT_EQ(layer.column_blocks, 1);
  EXPECT_EQ(layer.blocks[3].rows, 1000 - 3 * 256);
  EXPECT_EQ(layer.backward_accumulations(topology.layers[0]), 3 * 101);
}

TEST(MappingTest, ConvReplicasShareReuses) {
  TopologyLayer conv;
  conv.kind = LayerKind::kConv;
  conv.in_height = conv.in_width = 28;
  conv.in_channels = 1;
  conv.kernel_height = conv.kernel_width = 5;
  conv.out_channels = 16;
  Topology topology;
  topology.layers = {conv};
  const ChipMapping mapping = map_topology(topology, tiles(4096, 10, 3));
  EXPECT_EQ(mapping.layers[0].replicas, 3);
  EXPECT_EQ(mapping.layers[0].reuses, 576);
  EXPECT_EQ(mapping.layers[0].reuses_per_replica, 192);
  EXPECT_EQ(mapping.tiles_used, 3);
}

TEST(MappingTest, UnweightedLayersTakeNoTile) {
  TopologyLayer pool;
  pool.kind = LayerKind::kPool;
  pool.in_height = pool.in_width = 24;
  pool.in_channels = pool.out_channels = 16;
  pool.kernel_height = pool.kernel_width = 2;
  pool.stride = 2;
  Topology topology;
  topology.layers = {pool, dense(2304, 10)};
  const ChipMapping mapping = map_topology(topology, tiles(4096, 1));
  EXPECT_FALSE(mapping.layers[0].mapped());
  EXPECT_TRUE(mapping.layers[1].mapped());
  EXPECT_EQ(mapping.tiles_used, 1);
}

TEST(MappingTest, TooFewTilesNamesTheKey) {
  Topology topology;
  topology.name = "wide";
  topology.layers = {dense(10000, 10)};
  try {
    map_topology(topology, tiles(4096, 2));
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("chip.tiles = '2'"), std::string::npos) << message;
    EXPECT_NE(message.find("needs 3 tiles"), std::string::npos) << message;
  }
}

TEST(MappingTest, TooManyTilesForAddressMapNamesLimit) {
  // 4096 x (4095 + 1) on tiles of 63 x 64 lines: 66 row blocks x 64 column blocks.
  Topology topology;
  topology.name = "wide";
  topology.layers = {dense(4095, 4096)};
  MappingParams params = tiles(64, 4096);
  params.tile_output_lines = 63;
  try {
    map_topology(topology, params);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("chip.tiles = '4096' is too small"), std::string::npos) << message;
    EXPECT_NE(message.find("needs 4224 tiles of 63 x 64 lines"), std::string::npos) << message;
    EXPECT_NE(message.find("more than the 4096 that the address map holds"), std::string::npos)
        << message;
  }
  params.tile_output_lines = 64;
  EXPECT_EQ(map_topology(topology, params).tiles_used, 4096);
}

TEST(MappingTest, HugeMappingRejectedBeforeListingBlocks) {
  // 10^8 x 10^8 weights on 1 x 1 tiles would list 10^16 blocks; the count alone rejects it.
  Topology topology;
  topology.name = "huge";
  topology.layers = {dense(100000000, 100000000)};
  try {
    map_topology(topology, tiles(1, 4096));
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("needs 10000000100000000 tiles"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace rpusim
