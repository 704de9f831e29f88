#include "tb/show_workload.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "models/common/text.hpp"

namespace rpusim {
namespace {

std::string shape(int height, int width, std::int64_t channels) {
  return std::to_string(height) + "x" + std::to_string(width) + "x" + std::to_string(channels);
}

// A vector is shown as its length, a GEMM operand as rows x columns.
std::string input_text(const TopologyLayer& layer) {
  if (layer.kind == LayerKind::kGemm) {
    return std::to_string(layer.gemm_rows) + "x" + std::to_string(layer.in_channels);
  }
  if (layer.in_height == 1 && layer.in_width == 1 && layer.kind != LayerKind::kConv &&
      layer.kind != LayerKind::kPool) {
    return std::to_string(layer.in_channels);
  }
  return shape(layer.in_height, layer.in_width, layer.in_channels);
}

std::string output_text(const TopologyLayer& layer) {
  switch (layer.kind) {
    case LayerKind::kFullyConnected:
      return std::to_string(layer.out_channels);
    case LayerKind::kGemm:
      return std::to_string(layer.gemm_rows) + "x" + std::to_string(layer.out_channels);
    case LayerKind::kResidual:
      if (layer.in_height == 1 && layer.in_width == 1) return std::to_string(layer.out_channels);
      return shape(layer.out_height(), layer.out_width(), layer.out_channels);
    case LayerKind::kConv:
    case LayerKind::kPool:
      return shape(layer.out_height(), layer.out_width(), layer.out_channels);
  }
  return "";
}

std::string window_text(const TopologyLayer& layer) {
  return std::to_string(layer.kernel_height) + "x" + std::to_string(layer.kernel_width) + " s" +
         std::to_string(layer.stride) + " p" + std::to_string(layer.padding);
}

std::string details(const Topology& topology, const TopologyLayer& layer) {
  std::string text;
  switch (layer.kind) {
    case LayerKind::kConv:
      text = window_text(layer);
      break;
    case LayerKind::kPool:
      text = std::string(pool_type_key(layer.pool)) + " " + window_text(layer);
      break;
    case LayerKind::kResidual:
      text = "+ " + topology.layers[layer.residual_from].name;
      break;
    case LayerKind::kFullyConnected:
    case LayerKind::kGemm:
      break;
  }
  if (layer.input_from >= 0) {
    text +=
        (text.empty() ? "" : ", ") + std::string("reads ") + topology.layers[layer.input_from].name;
  }
  if (layer.activation != "none") text += (text.empty() ? "" : ", ") + layer.activation;
  return text;
}

}  // namespace

std::string format_topology_table(const Topology& topology) {
  const std::vector<std::string> header = {
      "#",      "name",    "kind",         "input",  "output", "matrix (rows x cols+bias)",
      "reuses", "weights", "forward MACs", "details"};
  std::vector<std::vector<std::string>> rows;
  int weighted = 0;
  for (std::size_t i = 0; i < topology.layers.size(); ++i) {
    const TopologyLayer& layer = topology.layers[i];
    std::vector<std::string> row = {std::to_string(i), layer.name, layer_kind_key(layer.kind),
                                    input_text(layer), output_text(layer)};
    if (layer.weighted()) {
      ++weighted;
      row.push_back(std::to_string(layer.matrix_rows()) + " x " +
                    std::to_string(layer.matrix_columns()) + (layer.bias ? "+1" : ""));
      row.push_back(std::to_string(layer.reuses()));
      row.push_back(std::to_string(layer.weights()));
      row.push_back(std::to_string(layer.forward_macs()));
    } else {
      row.insert(row.end(), {"-", "-", "-", "-"});
    }
    row.push_back(details(topology, layer));
    rows.push_back(row);
  }

  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    widths[c] = header[c].size();
    for (const auto& row : rows) widths[c] = std::max(widths[c], row[c].size());
  }
  // Numbers align right and text left. The last column is not padded.
  auto write_row = [&](std::ostringstream& out, const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const bool number = c == 0 || (c >= 6 && c <= 8);
      const std::string padding(widths[c] - row[c].size(), ' ');
      if (c + 1 == row.size()) {
        line += row[c];
      } else {
        line += (number ? padding + row[c] : row[c] + padding) + "  ";
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  };

  std::ostringstream out;
  // The name and source may come from a file name, which may contain any byte.
  out << "workload " << escaped_text(topology.name);
  if (!topology.source.empty()) out << " (" << escaped_text(topology.source) << ")";
  out << '\n';
  write_row(out, header);
  for (const auto& row : rows) write_row(out, row);
  out << "total: " << topology.layers.size()
      << (topology.layers.size() == 1 ? " layer (" : " layers (") << weighted << " weighted), "
      << topology.weights() << " weights with bias, " << topology.forward_macs()
      << " forward MACs per sample (" << topology.forward_ops() << " ops)\n";
  return out.str();
}

}  // namespace rpusim
