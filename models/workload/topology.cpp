#include "models/workload/topology.hpp"

namespace rpusim {

const char* layer_kind_key(LayerKind kind) {
  switch (kind) {
    case LayerKind::kFullyConnected:
      return "fc";
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kGemm:
      return "gemm";
    case LayerKind::kPool:
      return "pool";
    case LayerKind::kResidual:
      return "residual";
  }
  return "unknown";
}

int TopologyLayer::out_height() const {
  if (kind != LayerKind::kConv && kind != LayerKind::kPool) return in_height;
  return (in_height + 2 * padding - kernel_height) / stride + 1;
}

int TopologyLayer::out_width() const {
  if (kind != LayerKind::kConv && kind != LayerKind::kPool) return in_width;
  return (in_width + 2 * padding - kernel_width) / stride + 1;
}

bool TopologyLayer::weighted() const {
  return kind == LayerKind::kFullyConnected || kind == LayerKind::kConv ||
         kind == LayerKind::kGemm;
}

int TopologyLayer::matrix_rows() const { return weighted() ? out_channels : 0; }

int TopologyLayer::matrix_columns() const {
  if (!weighted()) return 0;
  if (kind == LayerKind::kConv) return kernel_height * kernel_width * in_channels;
  return in_height * in_width * in_channels;
}

std::int64_t TopologyLayer::reuses() const {
  if (kind == LayerKind::kGemm) return gemm_rows;
  if (kind == LayerKind::kConv) return static_cast<std::int64_t>(out_height()) * out_width();
  return 1;
}

std::int64_t TopologyLayer::output_elements() const {
  if (kind == LayerKind::kFullyConnected) return out_channels;
  if (kind == LayerKind::kGemm) return static_cast<std::int64_t>(gemm_rows) * out_channels;
  return static_cast<std::int64_t>(out_height()) * out_width() * out_channels;
}

std::int64_t TopologyLayer::input_elements() const {
  if (kind == LayerKind::kGemm) return static_cast<std::int64_t>(gemm_rows) * in_channels;
  return static_cast<std::int64_t>(in_height) * in_width * in_channels;
}

std::int64_t TopologyLayer::weights() const {
  if (!weighted()) return 0;
  return static_cast<std::int64_t>(matrix_rows()) * (matrix_columns() + (bias ? 1 : 0));
}

std::int64_t Topology::weights() const {
  std::int64_t total = 0;
  for (const TopologyLayer& layer : layers) total += layer.weights();
  return total;
}

double Topology::forward_ops() const {
  double ops = 0;
  for (const TopologyLayer& layer : layers) {
    ops += 2.0 * static_cast<double>(layer.weights()) * static_cast<double>(layer.reuses());
  }
  return ops;
}

}  // namespace rpusim
