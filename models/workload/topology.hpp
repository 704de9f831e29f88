// Network topology for mapping and timing: a list of layers of any kind the chip runs
// (fully connected, convolution, GEMM, pooling, residual addition), read from the
// workload YAML, a NeuroSim network CSV or a SCALE-Sim topology CSV
// (models/workload/topology_io.hpp). It models geometry only: no weights, no numerics and
// no SystemC.
//
// Every weighted layer reduces to one weight matrix of `outputs` x (`inputs` + bias) read
// `reuses` times per sample: a fully connected layer once, a convolution once per output
// pixel (Gokmen, Onen & Haensch 2017: an M x (k^2 d + 1) array read (n - k + 1)^2 times),
// and a GEMM of M x K by K x N once per row of its left operand. Pooling and residual
// layers carry no weights; the digital (NLF) units run them. Left out: grouped and
// depth-wise convolutions, dilation, batch normalisation, and different strides or paddings
// along height and width.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rpusim {

enum class LayerKind { kFullyConnected, kConv, kGemm, kPool, kResidual };

// Name of a layer kind as the YAML format spells it: fc, conv, gemm, pool, residual.
const char* layer_kind_key(LayerKind kind);

enum class PoolType { kMax, kAverage };

// Name of a pooling type as the YAML format spells it: max, average.
const char* pool_type_key(PoolType type);

struct TopologyLayer {
  std::string name;
  LayerKind kind = LayerKind::kFullyConnected;
  std::string activation = "none";  // sigmoid, softmax, relu, tanh or none (identity)

  // Input feature map (conv, pool, residual); fc and gemm leave them at 1 x 1 x inputs.
  int in_height = 1;
  int in_width = 1;
  int in_channels = 0;
  // Window (conv, pool).
  int kernel_height = 1;
  int kernel_width = 1;
  int stride = 1;
  int padding = 0;
  // Output channels (conv: filters; fc and gemm: outputs; pool, residual: in_channels).
  int out_channels = 0;
  // GEMM only: rows of the left operand (the reuse count), e.g. time steps x batch.
  int gemm_rows = 1;
  // Pool only.
  PoolType pool = PoolType::kMax;
  // Residual only: index of the earlier layer whose output is added to this one's input.
  int residual_from = -1;
  // Index of the earlier layer whose output this layer reads, or -1 for the layer before it
  // (the network input for the first layer). ResNet's 1 x 1 downsample convolutions read
  // the input of their block this way.
  int input_from = -1;
  bool bias = true;  // weighted layers: one extra input line for the bias

  // Origin of the layer's definition ("file:line"), for error messages.
  std::string origin;

  // Output size (in + 2 padding - kernel) / stride + 1, rounded down as PyTorch, NeuroSim
  // and SCALE-Sim round it. It is 1 for fc and gemm layers.
  int out_height() const;
  int out_width() const;
  // Weight matrix seen by the crossbar (0 for unweighted layers).
  int matrix_rows() const;     // outputs: out_channels
  int matrix_columns() const;  // inputs without bias: kernel_h kernel_w in_channels (conv)
  // Times the weight matrix is read per sample in forward (and in backward, and updated).
  // It is 0 for unweighted layers.
  std::int64_t reuses() const;
  bool weighted() const;
  // Elements of the layer's output per sample: out_h x out_w x out_channels, or
  // gemm_rows x out_channels for a GEMM.
  std::int64_t output_elements() const;
  // Elements of the layer's input per sample: in_h x in_w x in_channels, or
  // gemm_rows x in_channels for a GEMM.
  std::int64_t input_elements() const;
  // Weights including the bias column: matrix_rows x (matrix_columns + bias).
  std::int64_t weights() const;
  // Multiply-accumulates of one forward pass: weights x reuses (bias line included, as the
  // array computes it). 0 for unweighted layers.
  std::int64_t forward_macs() const;
};

struct Topology {
  std::string name;
  std::string source;  // file the topology was read from
  std::vector<TopologyLayer> layers;

  std::int64_t weights() const;
  std::int64_t forward_macs() const;
  // Multiply-accumulates x 2 of one forward pass.
  double forward_ops() const;
  // True if every layer is fully connected (the layers functional mode trains).
  bool fully_connected() const;
};

}  // namespace rpusim
