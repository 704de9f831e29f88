// The workload YAML side of topology_io.hpp: workload.input_shape, the workload.layers list
// with its layer kinds, and chain_layers(), which gives every layer its input shape.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/common/config.hpp"
#include "models/common/error.hpp"
#include "models/common/text.hpp"
#include "models/workload/topology_io.hpp"

namespace rpusim {
namespace {

constexpr long long kMaxDimension = 100000000;

// Text of a scalar or a flow sequence of scalars, as the user wrote it, for messages.
std::string node_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.as<std::string>();
  if (node.IsSequence()) {
    std::string text = "[";
    for (std::size_t i = 0; i < node.size(); ++i) {
      text += (i ? ", " : "") + node_text(node[i]);
    }
    return text + "]";
  }
  if (node.IsMap()) return "{...}";
  return "";
}

bool parse_integer(const std::string& text, long long& value) {
  char* end = nullptr;
  errno = 0;
  value = std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0' && errno != ERANGE;
}

const std::vector<std::string> kActivations = {"sigmoid", "softmax", "relu", "tanh", "none"};

// Fields each kind accepts after the common ones, in the order messages list them.
const std::map<LayerKind, std::vector<std::string>>& kind_fields() {
  static const std::map<LayerKind, std::vector<std::string>> fields = {
      {LayerKind::kFullyConnected, {"outputs", "activation", "inputs"}},
      {LayerKind::kConv, {"filters", "kernel", "stride", "padding", "activation"}},
      {LayerKind::kGemm, {"rows", "inputs", "outputs", "activation"}},
      {LayerKind::kPool, {"window", "stride", "padding", "type"}},
      {LayerKind::kResidual, {"from", "activation"}},
  };
  return fields;
}

const std::vector<std::string> kCommonFields = {"kind", "name", "input_from"};

// One entry of workload.layers while it is parsed: its fields and where each one is.
class EntryParser {
 public:
  EntryParser(const YAML::Node& entry, const std::string& file, std::string_view text,
              std::size_t index)
      : entry_(entry), file_(file), text_(text) {
    key_ = "workload.layers[" + std::to_string(index) + "]";
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    throw ConfigError(yaml_location(file_, node, text_) + ": " + key_ + message);
  }

  [[noreturn]] void reject(const std::string& field, const std::string& allowed) const {
    const YAML::Node& node = fields_.at(field);
    fail(node, "." + field + " = '" + node_text(node) + "' is invalid: must be " + allowed);
  }

  bool has(const std::string& field) const { return fields_.count(field) > 0; }

  // Returns an integer field in [minimum, kMaxDimension], or `fallback` if it is absent and
  // not required.
  int integer(const std::string& field, long long minimum, int fallback, bool required) const {
    if (!has(field)) {
      if (required) fail(entry_, ": missing '" + field + "'");
      return fallback;
    }
    const YAML::Node& node = fields_.at(field);
    long long value = 0;
    const std::string allowed = "an integer >= " + std::to_string(minimum);
    if (is_quoted_scalar(node)) reject(field, allowed + ", written without quotes");
    if (!node.IsScalar() || !parse_integer(node.as<std::string>(), value) || value < minimum) {
      reject(field, allowed);
    }
    if (value > kMaxDimension) reject(field, allowed + " and <= " + std::to_string(kMaxDimension));
    return static_cast<int>(value);
  }

  // A window size: an integer or [height, width].
  void window(const std::string& field, int& height, int& width) const {
    if (!has(field)) fail(entry_, ": missing '" + field + "'");
    const YAML::Node& node = fields_.at(field);
    const std::string allowed = "an integer >= 1 or [height, width]";
    std::vector<YAML::Node> parts;
    if (node.IsScalar()) {
      parts = {node, node};
    } else if (node.IsSequence() && node.size() == 2) {
      parts = {node[0], node[1]};
    } else {
      reject(field, allowed);
    }
    int sizes[2] = {0, 0};
    for (int i = 0; i < 2; ++i) {
      long long value = 0;
      if (is_quoted_scalar(parts[i])) reject(field, allowed + ", written without quotes");
      if (!parts[i].IsScalar() || !parse_integer(parts[i].as<std::string>(), value) || value < 1 ||
          value > kMaxDimension) {
        reject(field, allowed);
      }
      sizes[i] = static_cast<int>(value);
    }
    height = sizes[0];
    width = sizes[1];
  }

  std::string choice(const std::string& field, const std::vector<std::string>& choices,
                     const std::string& fallback) const {
    if (!has(field)) return fallback;
    const YAML::Node& node = fields_.at(field);
    const std::string value = node.IsScalar() ? node.as<std::string>() : node_text(node);
    if (!node.IsScalar() || std::find(choices.begin(), choices.end(), value) == choices.end()) {
      reject(field, "one of " + join(choices));
    }
    return value;
  }

  // Reads the fields, checking each against the kind's list. Returns the kind.
  LayerKind read_fields() {
    if (!entry_.IsMap()) fail(entry_, " must be a map, e.g. {outputs: 10, activation: softmax}");
    reject_duplicate_keys(entry_, file_, key_ + ".");
    for (const auto& item : entry_) fields_[item.first.as<std::string>()] = item.second;

    kind_ = LayerKind::kFullyConnected;
    if (has("kind")) {
      const std::string key = choice("kind", {"fc", "conv", "gemm", "pool", "residual"}, "fc");
      for (const auto& entry : kind_fields()) {
        if (key == layer_kind_key(entry.first)) kind_ = entry.first;
      }
    }
    std::vector<std::string> allowed = kind_fields().at(kind_);
    allowed.insert(allowed.end(), kCommonFields.begin(), kCommonFields.end());
    for (const auto& item : entry_) {
      const std::string field = item.first.as<std::string>();
      if (field == "<<") {
        fail(item.first,
             ": YAML merge keys (<<) are not supported; write the layer's fields "
             "out");
      }
      if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
        fail(item.first, ": unknown field '" + field + "' for a " + layer_kind_key(kind_) +
                             " layer; allowed: " + join(allowed));
      }
    }
    return kind_;
  }

  const YAML::Node* field(const std::string& name) const {
    const auto found = fields_.find(name);
    return found == fields_.end() ? nullptr : &found->second;
  }

  const std::string& key() const { return key_; }
  const YAML::Node& entry() const { return entry_; }

 private:
  YAML::Node entry_;
  std::string file_;
  std::string_view text_;  // of the file, to place empty values; may be empty
  std::string key_;
  LayerKind kind_ = LayerKind::kFullyConnected;
  std::map<std::string, YAML::Node> fields_;
};

TopologyLayer parse_entry(EntryParser& entry, std::size_t index) {
  TopologyLayer layer;
  layer.kind = entry.read_fields();
  switch (layer.kind) {
    case LayerKind::kFullyConnected:
      layer.out_channels = entry.integer("outputs", 1, 0, true);
      // Functional mode reads the activation of every fc layer, so it stays required.
      if (!entry.has("activation")) entry.fail(entry.entry(), ": missing 'activation'");
      layer.in_channels = entry.integer("inputs", 1, 0, false);
      break;
    case LayerKind::kConv:
      layer.out_channels = entry.integer("filters", 1, 0, true);
      entry.window("kernel", layer.kernel_height, layer.kernel_width);
      layer.stride = entry.integer("stride", 1, 1, false);
      layer.padding = entry.integer("padding", 0, 0, false);
      break;
    case LayerKind::kGemm:
      layer.gemm_rows = entry.integer("rows", 1, 1, true);
      layer.in_channels = entry.integer("inputs", 1, 0, false);
      layer.out_channels = entry.integer("outputs", 1, 0, true);
      break;
    case LayerKind::kPool:
      entry.window("window", layer.kernel_height, layer.kernel_width);
      if (!entry.has("stride") && layer.kernel_height != layer.kernel_width) {
        entry.fail(entry.entry(),
                   ": the window is not square, so give 'stride' (one stride "
                   "serves both directions)");
      }
      layer.stride = entry.integer("stride", 1, layer.kernel_height, false);
      layer.padding = entry.integer("padding", 0, 0, false);
      if (2 * layer.padding > std::min(layer.kernel_height, layer.kernel_width)) {
        entry.reject("padding", "at most half the window");
      }
      layer.pool = entry.choice("type", {"max", "average"}, "max") == "max" ? PoolType::kMax
                                                                            : PoolType::kAverage;
      break;
    case LayerKind::kResidual:
      if (!entry.has("from")) entry.fail(entry.entry(), ": missing 'from'");
      break;
  }
  layer.activation = entry.choice("activation", kActivations, "none");
  layer.name = std::string(layer_kind_key(layer.kind)) + std::to_string(index);
  if (entry.has("name")) {
    const YAML::Node& node = *entry.field("name");
    long long ignored = 0;
    if (!node.IsScalar() || node.as<std::string>().empty()) {
      entry.reject("name", "a non-empty text");
    }
    if (parse_integer(node.as<std::string>(), ignored)) {
      entry.reject("name",
                   "a text that is not an integer: from and input_from read integers "
                   "as layer indices");
    }
    layer.name = node.as<std::string>();
  }
  return layer;
}

// Resolves a layer reference (`from`, `input_from`): a name or an index of an earlier layer.
int resolve_reference(const EntryParser& entry, const std::string& field,
                      const std::vector<TopologyLayer>& earlier) {
  const YAML::Node& node = *entry.field(field);
  const std::string allowed =
      earlier.empty() ? "the name or index of an earlier layer, but this is the first layer"
                      : "the name or index (0 to " + std::to_string(earlier.size() - 1) +
                            ") of an earlier layer";
  if (!node.IsScalar()) entry.reject(field, allowed);
  const std::string text = node.as<std::string>();
  long long index = 0;
  if (parse_integer(text, index)) {
    if (index < 0 || index >= static_cast<long long>(earlier.size())) entry.reject(field, allowed);
    return static_cast<int>(index);
  }
  for (std::size_t i = 0; i < earlier.size(); ++i) {
    if (earlier[i].name == text) return static_cast<int>(i);
  }
  entry.reject(field, allowed);
}

std::string shape_text(int height, int width, int channels) {
  return std::to_string(height) + " x " + std::to_string(width) + " x " + std::to_string(channels);
}

// Output of a layer (or of the network input) as the next layer reads it.
struct Activation {
  int height = 1;
  int width = 1;
  std::int64_t channels = 0;  // a vector's length can exceed an int (a GEMM's M x N)
  bool feature_map = false;
  std::string producer;  // "workload.input_shape", "workload.inputs" or "layer 'conv3'"

  std::int64_t elements() const { return std::int64_t{height} * width * channels; }
  std::string text() const {
    return feature_map ? shape_text(height, width, static_cast<int>(channels))
                       : "a vector of " + std::to_string(channels) + " values";
  }
};

Activation output_of(const TopologyLayer& layer) {
  Activation out;
  out.producer = "layer '" + layer.name + "'";
  if (layer.kind == LayerKind::kFullyConnected || layer.kind == LayerKind::kGemm) {
    out.channels = layer.output_elements();
    return out;
  }
  // Convolution and pooling give a feature map. chain_layers() sets a residual's.
  out.height = layer.out_height();
  out.width = layer.out_width();
  out.channels = layer.out_channels;
  out.feature_map = true;
  return out;
}

// Rejects an explicit fc `inputs` below the values `source` gives, because the layer would
// leave part of its input unread, which no network does.
void check_fc_inputs(const TopologyLayer& layer, const Activation& source,
                     const std::string& where) {
  const std::int64_t values = source.elements();
  if (layer.in_channels == 0 || layer.in_channels >= values) return;
  const std::string source_size = source.feature_map
                                      ? source.text() + " = " + std::to_string(values) + " values"
                                      : source.text();
  const std::string fix =
      source.producer == "workload.inputs"
          ? "leave out inputs, or set workload.inputs to the network's input size"
          : "leave out inputs or give at least " + std::to_string(values);
  throw ConfigError(where + ": inputs = '" + std::to_string(layer.in_channels) +
                    "' is invalid: " + source.producer + " gives " + source_size +
                    ", and an fc layer reads all of them; " + fix);
}

}  // namespace

InputShape parse_input_shape(const YAML::Node& node, const std::string& where) {
  const std::string allowed =
      "' is invalid: must be [height, width, channels], three integers in [1, " +
      std::to_string(kMaxDimension) + "]";
  if (!node.IsSequence() || node.size() != 3) {
    throw ConfigError(where + ": workload.input_shape = '" + node_text(node) + allowed);
  }
  int values[3] = {0, 0, 0};
  for (std::size_t i = 0; i < 3; ++i) {
    long long value = 0;
    if (is_quoted_scalar(node[i]) || !node[i].IsScalar() ||
        !parse_integer(node[i].as<std::string>(), value) || value < 1 || value > kMaxDimension) {
      throw ConfigError(where + ": workload.input_shape = '" + node_text(node) + allowed +
                        ", written without quotes");
    }
    values[i] = static_cast<int>(value);
  }
  if (static_cast<double>(values[0]) * values[1] * values[2] > kMaxDimension) {
    throw ConfigError(where + ": workload.input_shape = '" + node_text(node) +
                      "' is invalid: at most " + std::to_string(kMaxDimension) + " values in all");
  }
  InputShape shape;
  shape.height = values[0];
  shape.width = values[1];
  shape.channels = values[2];
  shape.feature_map = true;
  shape.origin = where;
  return shape;
}

std::vector<TopologyLayer> parse_layer_list(const YAML::Node& list, const std::string& file,
                                            std::string_view text) {
  if (!list.IsSequence() || list.size() == 0) {
    throw ConfigError(yaml_location(file, list, text) +
                      ": workload.layers must be a non-empty list of layers, e.g. "
                      "{outputs: 10, activation: softmax}");
  }
  std::vector<TopologyLayer> layers;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    EntryParser entry(list[i], file, text, i);
    TopologyLayer layer = parse_entry(entry, i);
    layer.origin = yaml_location(file, list[i], text);
    if (!names.insert(layer.name).second) {
      if (entry.has("name")) entry.reject("name", "a name no other layer has");
      entry.fail(entry.entry(), ": its generated name '" + layer.name +
                                    "' is taken by an earlier layer; give this layer a name");
    }
    if (layer.kind == LayerKind::kResidual) {
      layer.residual_from = resolve_reference(entry, "from", layers);
    }
    if (entry.has("input_from")) layer.input_from = resolve_reference(entry, "input_from", layers);
    layers.push_back(layer);
  }
  return layers;
}

void chain_layers(std::vector<TopologyLayer>& layers, const InputShape& input) {
  Activation network_input;
  network_input.height = input.height;
  network_input.width = input.width;
  network_input.channels = input.channels;
  network_input.feature_map = input.feature_map;
  network_input.producer = input.feature_map ? "workload.input_shape" : "workload.inputs";

  std::vector<Activation> outputs;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    TopologyLayer& layer = layers[i];
    const std::string where =
        layer.origin + ": workload.layers[" + std::to_string(i) + "] (" + layer.name + ")";
    const Activation& source = layer.input_from >= 0 ? outputs[layer.input_from]
                               : i == 0              ? network_input
                                                     : outputs[i - 1];
    switch (layer.kind) {
      case LayerKind::kFullyConnected:
      case LayerKind::kGemm:
        // Explicit `inputs` may exceed the source, because the operand can hold more than the
        // previous output (an LSTM's recurrent state beside its input). A GEMM's K may also be
        // smaller, since its rows split the source, but an fc layer reads its whole input.
        if (layer.kind == LayerKind::kFullyConnected) check_fc_inputs(layer, source, where);
        if (layer.in_channels == 0) {
          if (source.elements() > kMaxDimension) {
            throw ConfigError(where + ": its input of " + source.text() + " has more than " +
                              std::to_string(kMaxDimension) + " values");
          }
          layer.in_channels = static_cast<int>(source.elements());
        }
        layer.in_height = layer.in_width = 1;
        break;
      case LayerKind::kConv:
      case LayerKind::kPool: {
        const char* kind = layer_kind_key(layer.kind);
        if (!source.feature_map) {
          throw ConfigError(
              where + ": a " + kind + " layer needs a feature map, but " + source.producer +
              " gives " + source.text() +
              (i == 0 && layer.input_from < 0
                   ? "; give workload.input_shape: [height, width, channels]"
                   : "; a " + std::string(kind) + " layer cannot follow an fc or gemm layer"));
        }
        layer.in_height = source.height;
        layer.in_width = source.width;
        layer.in_channels = static_cast<int>(source.channels);
        if (layer.kind == LayerKind::kPool) layer.out_channels = layer.in_channels;
        const int padded_height = layer.in_height + 2 * layer.padding;
        const int padded_width = layer.in_width + 2 * layer.padding;
        if (layer.kernel_height > padded_height || layer.kernel_width > padded_width) {
          throw ConfigError(
              where + ": " + (layer.kind == LayerKind::kConv ? "kernel " : "window ") +
              std::to_string(layer.kernel_height) + " x " + std::to_string(layer.kernel_width) +
              " is larger than the padded input " + std::to_string(padded_height) + " x " +
              std::to_string(padded_width) + " (input " + source.text() + ", padding " +
              std::to_string(layer.padding) + ")");
        }
        break;
      }
      case LayerKind::kResidual: {
        const Activation& added = outputs[layer.residual_from];
        if (added.height != source.height || added.width != source.width ||
            added.channels != source.channels) {
          throw ConfigError(where + ": from = '" + layers[layer.residual_from].name + "' gives " +
                            added.text() + " but the layer's input is " + source.text() +
                            "; a residual addition needs equal shapes");
        }
        if (source.elements() > kMaxDimension) {
          throw ConfigError(where + ": its input of " + source.text() + " has more than " +
                            std::to_string(kMaxDimension) + " values");
        }
        layer.in_height = source.height;
        layer.in_width = source.width;
        layer.in_channels = static_cast<int>(source.channels);
        layer.out_channels = layer.in_channels;
        break;
      }
    }
    const std::string problem = layer_size_problem(layer);
    if (!problem.empty()) throw ConfigError(where + " " + problem);

    Activation out = output_of(layer);
    if (layer.kind == LayerKind::kResidual) out.feature_map = source.feature_map;
    outputs.push_back(out);
  }
}

}  // namespace rpusim
