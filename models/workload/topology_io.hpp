// Readers of network topologies: the `workload.layers` list of the workload YAML, NeuroSim
// network CSVs (DNN+NeuroSim) and SCALE-Sim topology CSVs (convolution and GEMM variants).
// They check every value and chain the layer shapes into the Topology of topology.hpp.
// No SystemC. docs/user-guide.md, section "Workload formats", describes the formats.
//
// Errors are one line that names the file, line, column (CSV) or key (YAML), the bad value
// and what is allowed. The YAML readers throw ConfigError, and the network-file readers
// throw InputError.
// NOTE: the CSV formats carry no activations, NeuroSim files no padding, and SCALE-Sim files
// no pooling or residual layers. Each reader below states what it assumes in their place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/workload/topology.hpp"

namespace YAML {
class Node;
}

namespace rpusim {

// Input of the network: a feature map (workload.input_shape: [h, w, c]) or a vector of
// `channels` values (workload.inputs), which fully connected and GEMM layers read.
struct InputShape {
  int height = 1;
  int width = 1;
  int channels = 0;
  bool feature_map = false;  // given as [h, w, c]: convolution and pooling layers need one
  std::string origin;        // "file:line" or "--set ..." for error messages
};

// Parses workload.input_shape, a sequence [height, width, channels] of integers >= 1.
// `where` is the origin of the value ("file:line" or "--set ..."). Throws ConfigError.
InputShape parse_input_shape(const YAML::Node& node, const std::string& where);

// Parses workload.layers, a YAML sequence in `file`, into layers whose kinds, fields, names
// and layer references (`from`, `input_from`) are checked. Input shapes stay unset until
// chain_layers(). Throws ConfigError naming file:line, the key, the value and what is
// allowed. Given the file's `text`, an empty entry or field is named at its own line.
std::vector<TopologyLayer> parse_layer_list(const YAML::Node& list, const std::string& file,
                                            std::string_view text = {});

// Sets each layer's input shape from the output of the layer it reads: the one before it,
// the one `input_from` names, or `input` for the first layer. Checks that every layer fits
// its input: a convolution or pooling needs a feature map, a window must fit the padded
// input, and a residual addition needs equal shapes. Explicit `inputs` of fc and GEMM
// layers are kept as given. Throws ConfigError naming the layer's origin.
void chain_layers(std::vector<TopologyLayer>& layers, const InputShape& input);

enum class TopologyFormat { kAuto, kNeuroSim, kScaleSim };

// Format names as workload.topology_format spells them: auto, neurosim, scalesim.
const char* topology_format_key(TopologyFormat format);
// Throws ConfigError for a name other than auto, neurosim or scalesim.
TopologyFormat parse_topology_format(const std::string& key);

// Reads a NeuroSim network CSV: no header, one row of 7, 8 or 9 integers per layer (input
// height, width, channels, kernel height, width, output channels, pooling flag, stride, a
// ninth tool-specific value that is checked and ignored). A kernel equal to the input size
// is a fully connected layer. A smaller one is a convolution with "same" padding
// (kernel - 1) / 2, because NeuroSim's VGG-8 and ResNet-18 files need it to chain. A
// pooling flag of 1 adds a 2 x 2 max-pool with stride 2. Rows keep their own input sizes
// and are not chained, because the format cannot express the shortcuts and pooling that
// lie between them.
// Throws InputError "file:line:column: ...".
Topology read_neurosim_csv(const std::string& path);

// Reads a SCALE-Sim topology CSV. The header selects the variant: `Layer name, IFMAP
// Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides` (an
// optional ninth `Stride width` must equal the stride) or `Layer, M, N, K` (GEMM). As in
// SCALE-Sim, convolutions have no padding (the IFMAP size includes it) and a filter as
// large as the IFMAP is a fully connected layer. Columns after the known ones are ignored
// where the header names them or they are empty. A layer name that contains "DP" marks a
// depth-wise convolution in SCALE-Sim and is rejected. Throws InputError
// "file:line:column: ...".
Topology read_scalesim_csv(const std::string& path);

// Reads `path` in `format`. kAuto picks SCALE-Sim if the first row starts with a header
// word and NeuroSim if it starts with a number. Throws InputError.
Topology read_topology_file(const std::string& path, TopologyFormat format = TopologyFormat::kAuto);

// Returns why `layer` is too large for the 64-bit counts of topology.hpp (weight matrix
// columns above 2^31 - 1, weights or elements above 2^53, MACs above 2^62), or "" if it
// fits. Every reader checks this.
std::string layer_size_problem(const TopologyLayer& layer);

}  // namespace rpusim
