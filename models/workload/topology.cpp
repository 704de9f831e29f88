#include "models/workload/topology.hpp"

namespace rpusim {
namespace {

// Output size of a sliding window, rounded down: positions where the window fits whole.
int window_positions(int input, int kernel, int stride, int padding) {
  const int span = input + 2 * padding - kernel;
  if (span < 0 || stride < 1) return 0;
  return span / stride + 1;
}

bool has_window(LayerKind kind) {
  return kind == LayerKind::kConv || kind == LayerKind::kPool;
}

}  // namespace

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

const char* pool_type_key(PoolType type) {
  return type == PoolType::kMax ? "max" : "average";
}

int TopologyLayer::out_height() const {
  if (kind == LayerKind::kFullyConnected || kind == LayerKind::kGemm) return 1;
  if (!has_window(kind)) return in_height;
  return window_positions(in_height, kernel_height, stride, padding);
}

int TopologyLayer::out_width() const {
  if (kind == LayerKind::kFullyConnected || kind == LayerKind::kGemm) return 1;
  if (!has_window(kind)) return in_width;
  return window_positions(in_width, kernel_width, stride, padding);
}

bool TopologyLayer::weighted() const {
  return kind == LayerKind::kFullyConnected || kind == LayerKind::kConv || kind == LayerKind::kGemm;
}

int TopologyLayer::matrix_rows() const {
  return weighted() ? out_channels : 0;
}

int TopologyLayer::matrix_columns() const {
  switch (kind) {
    case LayerKind::kConv:
      return kernel_height * kernel_width * in_channels;
    case LayerKind::kFullyConnected:
      return in_height * in_width * in_channels;
    case LayerKind::kGemm:
      return in_channels;
    case LayerKind::kPool:
    case LayerKind::kResidual:
      return 0;
  }
  return 0;
}

std::int64_t TopologyLayer::reuses() const {
  switch (kind) {
    case LayerKind::kConv:
      return static_cast<std::int64_t>(out_height()) * out_width();
    case LayerKind::kFullyConnected:
      return 1;
    case LayerKind::kGemm:
      return gemm_rows;
    case LayerKind::kPool:
    case LayerKind::kResidual:
      return 0;
  }
  return 0;
}

std::int64_t TopologyLayer::output_elements() const {
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

std::int64_t TopologyLayer::forward_macs() const {
  return weights() * reuses();
}

std::int64_t Topology::weights() const {
  std::int64_t total = 0;
  for (const TopologyLayer& layer : layers) total += layer.weights();
  return total;
}

std::int64_t Topology::forward_macs() const {
  std::int64_t total = 0;
  for (const TopologyLayer& layer : layers) total += layer.forward_macs();
  return total;
}

double Topology::forward_ops() const {
  return 2.0 * static_cast<double>(forward_macs());
}

bool Topology::fully_connected() const {
  for (const TopologyLayer& layer : layers) {
    if (layer.kind != LayerKind::kFullyConnected) return false;
  }
  return true;
}

}  // namespace rpusim
