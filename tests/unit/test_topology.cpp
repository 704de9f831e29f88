// Layer geometry of topology.hpp: output sizes, weight matrices, reuses, weights and MACs of
// each layer kind, computed by hand from the definitions in Gokmen, Onen & Haensch (2017).
#include "models/workload/topology.hpp"

#include <gtest/gtest.h>

namespace rpusim {
namespace {

TopologyLayer conv(int height, int width, int channels, int kernel, int filters, int stride,
                   int padding) {
  TopologyLayer layer;
  layer.kind = LayerKind::kConv;
  layer.in_height = height;
  layer.in_width = width;
  layer.in_channels = channels;
  layer.kernel_height = layer.kernel_width = kernel;
  layer.out_channels = filters;
  layer.stride = stride;
  layer.padding = padding;
  return layer;
}

TEST(TopologyGeometry, KindKeys) {
  EXPECT_STREQ(layer_kind_key(LayerKind::kFullyConnected), "fc");
  EXPECT_STREQ(layer_kind_key(LayerKind::kConv), "conv");
  EXPECT_STREQ(layer_kind_key(LayerKind::kGemm), "gemm");
  EXPECT_STREQ(layer_kind_key(LayerKind::kPool), "pool");
  EXPECT_STREQ(layer_kind_key(LayerKind::kResidual), "residual");
  EXPECT_STREQ(pool_type_key(PoolType::kMax), "max");
  EXPECT_STREQ(pool_type_key(PoolType::kAverage), "average");
}

TEST(TopologyGeometry, FullyConnected) {
  TopologyLayer layer;
  layer.in_channels = 784;
  layer.out_channels = 256;
  EXPECT_TRUE(layer.weighted());
  EXPECT_EQ(layer.out_height(), 1);
  EXPECT_EQ(layer.out_width(), 1);
  EXPECT_EQ(layer.matrix_rows(), 256);
  EXPECT_EQ(layer.matrix_columns(), 784);
  EXPECT_EQ(layer.reuses(), 1);
  EXPECT_EQ(layer.weights(), 256 * 785);
  EXPECT_EQ(layer.forward_macs(), 256 * 785);
  EXPECT_EQ(layer.input_elements(), 784);
  EXPECT_EQ(layer.output_elements(), 256);
}

TEST(TopologyGeometry, FullyConnectedWithoutBias) {
  TopologyLayer layer;
  layer.in_channels = 128;
  layer.out_channels = 10;
  layer.bias = false;
  EXPECT_EQ(layer.weights(), 1280);
}

// G17's first MNIST layer: 5 x 5 kernels on 28 x 28 x 1, 16 filters: a 16 x 26 array read
// (28 - 5 + 1)^2 = 576 times.
TEST(TopologyGeometry, ConvolutionOfTheMnistCnn) {
  const TopologyLayer layer = conv(28, 28, 1, 5, 16, 1, 0);
  EXPECT_EQ(layer.out_height(), 24);
  EXPECT_EQ(layer.out_width(), 24);
  EXPECT_EQ(layer.matrix_rows(), 16);
  EXPECT_EQ(layer.matrix_columns(), 25);
  EXPECT_EQ(layer.reuses(), 576);
  EXPECT_EQ(layer.weights(), 16 * 26);
  EXPECT_EQ(layer.forward_macs(), 16 * 26 * 576);
  EXPECT_EQ(layer.output_elements(), 24 * 24 * 16);
  EXPECT_EQ(layer.input_elements(), 784);
}

TEST(TopologyGeometry, ConvolutionWithPaddingAndStride) {
  // ResNet's first layer: (224 + 6 - 7) / 2 + 1 = 112.5, rounded down to 112.
  const TopologyLayer layer = conv(224, 224, 3, 7, 64, 2, 3);
  EXPECT_EQ(layer.out_height(), 112);
  EXPECT_EQ(layer.out_width(), 112);
  EXPECT_EQ(layer.matrix_columns(), 147);
  EXPECT_EQ(layer.reuses(), 112 * 112);
  // "Same" padding keeps the size at stride 1.
  EXPECT_EQ(conv(32, 32, 3, 3, 128, 1, 1).out_height(), 32);
}

TEST(TopologyGeometry, ConvolutionWithRectangularKernel) {
  TopologyLayer layer = conv(10, 20, 4, 3, 8, 1, 0);
  layer.kernel_width = 5;
  EXPECT_EQ(layer.out_height(), 8);
  EXPECT_EQ(layer.out_width(), 16);
  EXPECT_EQ(layer.matrix_columns(), 3 * 5 * 4);
  EXPECT_EQ(layer.reuses(), 8 * 16);
}

TEST(TopologyGeometry, Gemm) {
  TopologyLayer layer;
  layer.kind = LayerKind::kGemm;
  layer.gemm_rows = 100;      // M
  layer.in_channels = 2048;   // K
  layer.out_channels = 4096;  // N
  EXPECT_EQ(layer.matrix_rows(), 4096);
  EXPECT_EQ(layer.matrix_columns(), 2048);
  EXPECT_EQ(layer.reuses(), 100);
  EXPECT_EQ(layer.weights(), 4096 * 2049);
  EXPECT_EQ(layer.forward_macs(), std::int64_t{4096} * 2049 * 100);
  EXPECT_EQ(layer.input_elements(), 100 * 2048);
  EXPECT_EQ(layer.output_elements(), 100 * 4096);
}

TEST(TopologyGeometry, PoolHasNoWeights) {
  TopologyLayer layer;
  layer.kind = LayerKind::kPool;
  layer.in_height = layer.in_width = 7;
  layer.in_channels = layer.out_channels = 512;
  layer.kernel_height = layer.kernel_width = 2;
  layer.stride = 2;
  EXPECT_FALSE(layer.weighted());
  EXPECT_EQ(layer.out_height(), 3);  // (7 - 2) / 2 + 1, rounded down
  EXPECT_EQ(layer.matrix_rows(), 0);
  EXPECT_EQ(layer.matrix_columns(), 0);
  EXPECT_EQ(layer.reuses(), 0);
  EXPECT_EQ(layer.weights(), 0);
  EXPECT_EQ(layer.forward_macs(), 0);
  EXPECT_EQ(layer.output_elements(), 3 * 3 * 512);
}

TEST(TopologyGeometry, ResidualKeepsItsInputShape) {
  TopologyLayer layer;
  layer.kind = LayerKind::kResidual;
  layer.in_height = layer.in_width = 28;
  layer.in_channels = layer.out_channels = 128;
  layer.residual_from = 3;
  EXPECT_FALSE(layer.weighted());
  EXPECT_EQ(layer.out_height(), 28);
  EXPECT_EQ(layer.out_width(), 28);
  EXPECT_EQ(layer.weights(), 0);
  EXPECT_EQ(layer.output_elements(), 28 * 28 * 128);
}

TEST(TopologyGeometry, TopologyTotals) {
  Topology topology;
  topology.layers.push_back(conv(28, 28, 1, 5, 16, 1, 0));
  TopologyLayer fc;
  fc.in_channels = 512;
  fc.out_channels = 128;
  topology.layers.push_back(fc);
  EXPECT_EQ(topology.weights(), 16 * 26 + 128 * 513);
  EXPECT_EQ(topology.forward_macs(), 16 * 26 * 576 + 128 * 513);
  EXPECT_DOUBLE_EQ(topology.forward_ops(), 2.0 * (16 * 26 * 576 + 128 * 513));
  EXPECT_FALSE(topology.fully_connected());
  topology.layers.erase(topology.layers.begin());
  EXPECT_TRUE(topology.fully_connected());
}

}  // namespace
}  // namespace rpusim
