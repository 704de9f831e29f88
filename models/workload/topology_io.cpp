// Network-file readers of topology_io.hpp: a CSV tokenizer that keeps line and column of
// every field, the NeuroSim and SCALE-Sim formats, format detection and the size check that
// every reader shares. The YAML layer list is in topology_yaml.cpp.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "models/common/error.hpp"
#include "models/common/input_file.hpp"
#include "models/common/text.hpp"
#include "models/workload/topology_io.hpp"

namespace rpusim {
namespace fs = std::filesystem;

namespace {

// Largest value of any size field. Far above real networks, and small enough that the
// products of topology.hpp are checked in double precision without overflow.
constexpr int kMaxDimension = 100000000;

// ------------------------------------------------------------------ CSV tokenizer

struct CsvField {
  std::string text;  // without the spaces and tabs around it
  int column = 1;    // 1-based column of the first character of `text` (of the field if empty)
};

struct CsvRow {
  int line = 0;
  std::vector<CsvField> fields;  // trailing empty fields removed
  int end_column = 1;            // column just after the row's last character
};

struct CsvFile {
  std::string path;
  std::vector<CsvRow> rows;  // blank rows (nothing but commas and spaces) removed
};

// Most layer rows of a network file: a hundred times the layers of the deepest published
// networks, and few enough that reading, mapping and showing them takes seconds.
constexpr std::size_t kMaxRows = 100000;

// Largest network file read. kMaxRows rows of numbers take a few MiB; the rest allows for
// long note columns.
constexpr std::uint64_t kMaxFileBytes = std::uint64_t{64} << 20;

CsvRow split_row(const std::string& line, int line_number) {
  CsvRow row;
  row.line = line_number;
  row.end_column = static_cast<int>(line.size()) + 1;
  std::size_t start = 0;
  while (true) {
    std::size_t end = line.find(',', start);
    if (end == std::string::npos) end = line.size();
    std::size_t first = start;
    std::size_t last = end;
    while (first < last && (line[first] == ' ' || line[first] == '\t')) ++first;
    while (last > first && (line[last - 1] == ' ' || line[last - 1] == '\t')) --last;
    const int column = static_cast<int>(first == last ? start : first) + 1;
    row.fields.push_back({line.substr(first, last - first), column});
    if (end == line.size()) break;
    start = end + 1;
  }
  while (!row.fields.empty() && row.fields.back().text.empty()) row.fields.pop_back();
  return row;
}

[[noreturn]] void fail_too_many_rows(const std::string& path, int line) {
  throw InputError(path + ":" + std::to_string(line) +
                   ":1: too many rows: a network file has at most " + std::to_string(kMaxRows) +
                   " layer rows");
}

// Rejects a field that starts with a quotation mark. The tokenizer splits at every comma,
// so a quoted field such as "c,1" would otherwise arrive as two misleading values.
void check_unquoted(const std::string& path, const CsvRow& row) {
  for (const CsvField& field : row.fields) {
    if (field.text.empty() || field.text.front() != '"') continue;
    throw InputError(path + ":" + std::to_string(row.line) + ":" + std::to_string(field.column) +
                     ": quoted field: network files are read without CSV quoting, so write the "
                     "value without quotation marks (a layer name cannot contain a comma)");
  }
}

// Reads `path` leniently: CRLF or LF line ends, a missing last newline, a UTF-8 byte-order
// mark, blank rows, rows of commas only, spaces around values and trailing commas.
CsvFile read_csv(const std::string& path) {
  std::string content = read_text_file(path, kMaxFileBytes, "network files");
  if (content.compare(0, 3, "\xEF\xBB\xBF") == 0) content.erase(0, 3);
  CsvFile file;
  file.path = path;
  std::size_t start = 0;
  int line_number = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    std::string line = content.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++line_number;
    CsvRow row = split_row(line, line_number);
    if (row.fields.empty()) {
      start = end + 1;
      continue;
    }
    check_unquoted(path, row);
    // One more row than kMaxRows allows for the header of a SCALE-Sim file; parse_neurosim
    // checks its headerless files itself.
    if (file.rows.size() > kMaxRows) fail_too_many_rows(path, line_number);
    file.rows.push_back(std::move(row));
    start = end + 1;
  }
  return file;
}

[[noreturn]] void fail_at(const CsvFile& file, int line, int column, const std::string& message) {
  throw InputError(file.path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                   message);
}

[[noreturn]] void fail_field(const CsvFile& file, const CsvRow& row, const CsvField& field,
                             const std::string& what, const std::string& allowed) {
  if (field.text.empty()) {
    fail_at(file, row.line, field.column, what + " is missing: expected " + allowed);
  }
  fail_at(file, row.line, field.column,
          what + " '" + field.text + "' is invalid: expected " + allowed);
}

bool parse_int(const std::string& text, long long& value) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  const auto result = std::from_chars(begin, end, value);
  return !text.empty() && result.ec == std::errc() && result.ptr == end;
}

// Parses a field that must be an integer in [1, kMaxDimension].
int read_count(const CsvFile& file, const CsvRow& row, std::size_t index, const std::string& what) {
  const CsvField& field = row.fields[index];
  long long value = 0;
  const std::string allowed = "a positive integer of at most " + std::to_string(kMaxDimension);
  if (!parse_int(field.text, value) || value < 1 || value > kMaxDimension) {
    fail_field(file, row, field, what, allowed);
  }
  return static_cast<int>(value);
}

void check_size(const CsvFile& file, const CsvRow& row, const TopologyLayer& layer) {
  const std::string problem = layer_size_problem(layer);
  if (!problem.empty()) fail_at(file, row.line, 1, "layer '" + layer.name + "' " + problem);
}

std::string origin_of(const CsvFile& file, const CsvRow& row) {
  return file.path + ":" + std::to_string(row.line);
}

std::string layer_name(LayerKind kind, std::size_t index) {
  return std::string(layer_kind_key(kind)) + std::to_string(index);
}

Topology empty_topology(const CsvFile& file) {
  Topology topology;
  topology.name = fs::path(file.path).stem().string();
  topology.source = file.path;
  return topology;
}

// A layer whose kernel covers the whole input (NeuroSim, SCALE-Sim): fully connected.
TopologyLayer fully_connected(int height, int width, int channels, int outputs) {
  TopologyLayer layer;
  layer.kind = LayerKind::kFullyConnected;
  layer.in_channels = height * width * channels;  // range checked by the callers
  layer.out_channels = outputs;
  return layer;
}

// ------------------------------------------------------------------ NeuroSim

const char* const kNeuroSimColumns[] = {"input height",  "input width",  "input channels",
                                        "kernel height", "kernel width", "output channels",
                                        "pooling flag",  "stride",       "column 9"};
const char* const kNeuroSimLayout =
    "input height, input width, input channels, kernel height, kernel width, output channels, "
    "pooling flag (0 or 1), stride (optional), a tool-specific value (optional)";

void check_neurosim_columns(const CsvFile& file, const CsvRow& row, std::size_t expected) {
  const std::size_t count = row.fields.size();
  if (count > 0 && !row.fields.front().text.empty() && row.fields.front().text.front() == '#') {
    fail_at(file, row.line, row.fields.front().column,
            "a comment line is not supported in NeuroSim files: remove the line");
  }
  if (count < 7 || count > 9) {
    const int column = count > 9 ? row.fields[9].column : row.end_column;
    fail_at(file, row.line, column,
            "row has " + std::to_string(count) + (count == 1 ? " value" : " values") +
                ": expected 7, 8 or 9 (" + kNeuroSimLayout +
                ")");
  }
  if (count != expected) {
    const int column = count > expected ? row.fields[expected].column : row.end_column;
    fail_at(file, row.line, column,
            "row has " + std::to_string(count) + " values but line " +
                std::to_string(file.rows.front().line) + " has " + std::to_string(expected) +
                ": every row needs the same columns");
  }
}

// NeuroSim's ninth column differs between the tools that write it: SIAM reads it as the
// chiplet type of the layer. None of its meanings changes the layer's geometry, so it only
// has to be a number >= 0.
void check_ninth_column(const CsvFile& file, const CsvRow& row) {
  const CsvField& field = row.fields[8];
  const std::optional<double> value = parse_decimal_number(field.text);
  if (!value || *value < 0) {
    fail_field(file, row, field, kNeuroSimColumns[8],
               "a number >= 0 (a tool-specific value that rpusim ignores)");
  }
}

Topology parse_neurosim(const CsvFile& file) {
  if (file.rows.size() > kMaxRows) fail_too_many_rows(file.path, file.rows[kMaxRows].line);
  Topology topology = empty_topology(file);
  const std::size_t columns = file.rows.front().fields.size();
  for (const CsvRow& row : file.rows) {
    check_neurosim_columns(file, row, columns);
    int values[8] = {0, 0, 0, 0, 0, 0, 0, 1};  // a 7-column row has stride 1
    for (std::size_t i = 0; i < std::min<std::size_t>(row.fields.size(), 8); ++i) {
      if (i != 6) values[i] = read_count(file, row, i, kNeuroSimColumns[i]);
    }
    if (row.fields[6].text != "0" && row.fields[6].text != "1") {
      fail_field(file, row, row.fields[6], kNeuroSimColumns[6], "0 or 1");
    }
    values[6] = row.fields[6].text == "1" ? 1 : 0;
    if (row.fields.size() == 9) check_ninth_column(file, row);
    const int height = values[0], width = values[1], channels = values[2];
    const int kernel_height = values[3], kernel_width = values[4];
    if (kernel_height > height) {
      fail_at(file, row.line, row.fields[3].column,
              "kernel height " + std::to_string(kernel_height) +
                  " is larger than the input height " + std::to_string(height));
    }
    if (kernel_width > width) {
      fail_at(file, row.line, row.fields[4].column,
              "kernel width " + std::to_string(kernel_width) + " is larger than the input width " +
                  std::to_string(width));
    }
    if (static_cast<double>(height) * width * channels > kMaxDimension) {
      fail_at(file, row.line, row.fields[0].column,
              "input of " + std::to_string(height) + " x " + std::to_string(width) + " x " +
                  std::to_string(channels) + " values is too large: at most " +
                  std::to_string(kMaxDimension) + " per layer");
    }

    TopologyLayer layer;
    if (kernel_height == height && kernel_width == width) {
      layer = fully_connected(height, width, channels, values[5]);
    } else {
      layer.kind = LayerKind::kConv;
      layer.in_height = height;
      layer.in_width = width;
      layer.in_channels = channels;
      layer.kernel_height = kernel_height;
      layer.kernel_width = kernel_width;
      layer.stride = values[7];
      // NOTE: NeuroSim files carry no padding. "Same" padding reproduces the row-to-row
      // sizes of NeuroSim's VGG-8 and ResNet-18 files. A layer that has no padding in its
      // network (AlexNet's first) therefore gets one or two extra output positions per side.
      layer.padding = (std::min(kernel_height, kernel_width) - 1) / 2;
      layer.out_channels = values[5];
    }
    layer.name = layer_name(layer.kind, topology.layers.size());
    layer.origin = origin_of(file, row);
    check_size(file, row, layer);
    topology.layers.push_back(layer);

    if (values[6] == 1) {
      const TopologyLayer& before = topology.layers.back();
      if (before.out_height() < 2 || before.out_width() < 2) {
        fail_at(file, row.line, row.fields[6].column,
                "pooling flag 1 adds a 2 x 2 max-pool, but the layer's output is " +
                    std::to_string(before.out_height()) + " x " +
                    std::to_string(before.out_width()));
      }
      TopologyLayer pool;
      pool.kind = LayerKind::kPool;
      pool.in_height = before.out_height();
      pool.in_width = before.out_width();
      pool.in_channels = before.out_channels;
      pool.out_channels = before.out_channels;
      pool.kernel_height = pool.kernel_width = pool.stride = 2;
      pool.name = layer_name(LayerKind::kPool, topology.layers.size());
      pool.origin = layer.origin;
      topology.layers.push_back(pool);
    }
  }
  return topology;
}

// ------------------------------------------------------------------ SCALE-Sim

const char* const kScaleSimConvHeader =
    "'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
    "Strides,' (convolution) or 'Layer, M, N, K,' (GEMM)";

// Header text in lower case with runs of spaces folded to one.
std::string header_word(const std::string& text) {
  std::string word;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty() && word.back() != ' ') word += ' ';
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!word.empty() && word.back() == ' ') word.pop_back();
  return word;
}

struct ScaleSimColumn {
  std::vector<std::string> names;  // accepted header words
  std::string what;                // name in error messages
};

const std::vector<ScaleSimColumn>& conv_columns() {
  static const std::vector<ScaleSimColumn> columns = {
      {{"layer name", "layer"}, "layer name"},
      {{"ifmap height"}, "IFMAP height"},
      {{"ifmap width"}, "IFMAP width"},
      {{"filter height"}, "filter height"},
      {{"filter width"}, "filter width"},
      {{"channels"}, "channels"},
      {{"num filter", "num filters"}, "number of filters"},
      {{"strides", "stride", "stride height"}, "stride"},
      {{"stride width"}, "stride width"},
  };
  return columns;
}

const std::vector<ScaleSimColumn>& gemm_columns() {
  static const std::vector<ScaleSimColumn> columns = {
      {{"layer", "layer name"}, "layer name"}, {{"m"}, "M"}, {{"n"}, "N"}, {{"k"}, "K"}};
  return columns;
}

bool header_matches(const ScaleSimColumn& column, const CsvField& field) {
  const std::string word = header_word(field.text);
  return std::find(column.names.begin(), column.names.end(), word) != column.names.end();
}

[[noreturn]] void fail_header(const CsvFile& file, const CsvRow& header, const CsvField& field) {
  fail_at(file, header.line, field.column,
          "header '" + field.text + "' is not a SCALE-Sim topology header: expected " +
              kScaleSimConvHeader);
}

// Returns the number of known columns of `header` (8 or 9 for convolutions, 4 for GEMM) and
// sets `gemm`. Throws InputError at the first header field that does not match.
std::size_t check_scalesim_header(const CsvFile& file, const CsvRow& header, bool& gemm) {
  if (header.fields.size() < 2) fail_header(file, header, header.fields.front());
  gemm = header_word(header.fields[1].text) == "m";
  const std::vector<ScaleSimColumn>& columns = gemm ? gemm_columns() : conv_columns();
  const std::size_t required = gemm ? 4 : 8;
  for (std::size_t i = 0; i < required; ++i) {
    if (i >= header.fields.size()) {
      fail_at(file, header.line, header.end_column,
              "header ends after " + std::to_string(header.fields.size()) + " columns: expected " +
                  kScaleSimConvHeader);
    }
    if (!header_matches(columns[i], header.fields[i])) fail_header(file, header, header.fields[i]);
  }
  const bool stride_width =
      !gemm && header.fields.size() > 8 && header_matches(columns[8], header.fields[8]);
  return required + (stride_width ? 1 : 0);
}

// Columns after the known ones: SCALE-Sim reads the known ones only, and published files
// carry notes in named extra columns. A value in a column without a header is an error.
void check_extra_columns(const CsvFile& file, const CsvRow& header, const CsvRow& row,
                         std::size_t known) {
  for (std::size_t i = known; i < row.fields.size(); ++i) {
    const bool named = i < header.fields.size() && !header.fields[i].text.empty();
    if (!named && !row.fields[i].text.empty()) {
      fail_at(file, row.line, row.fields[i].column,
              "unexpected value '" + row.fields[i].text + "' in column " + std::to_string(i + 1) +
                  ", which the header does not name");
    }
  }
}

TopologyLayer scalesim_conv_row(const CsvFile& file, const CsvRow& row, std::size_t known) {
  const std::vector<ScaleSimColumn>& columns = conv_columns();
  int values[9] = {0};
  for (std::size_t i = 1; i < known; ++i) values[i] = read_count(file, row, i, columns[i].what);

  const int height = values[1], width = values[2];
  const int filter_height = values[3], filter_width = values[4];
  if (filter_height > height) {
    fail_at(file, row.line, row.fields[3].column,
            "filter height " + std::to_string(filter_height) + " is larger than the IFMAP height " +
                std::to_string(height));
  }
  if (filter_width > width) {
    fail_at(file, row.line, row.fields[4].column,
            "filter width " + std::to_string(filter_width) + " is larger than the IFMAP width " +
                std::to_string(width));
  }
  if (known == 9 && values[8] != values[7]) {
    fail_at(file, row.line, row.fields[8].column,
            "stride width " + std::to_string(values[8]) + " differs from the stride height " +
                std::to_string(values[7]) + ": rpusim models one stride for both");
  }
  if (static_cast<double>(height) * width * values[5] > kMaxDimension) {
    fail_at(file, row.line, row.fields[1].column,
            "IFMAP of " + std::to_string(height) + " x " + std::to_string(width) + " x " +
                std::to_string(values[5]) + " values is too large: at most " +
                std::to_string(kMaxDimension) + " per layer");
  }

  if (filter_height == height && filter_width == width) {
    return fully_connected(height, width, values[5], values[6]);
  }

  TopologyLayer layer;
  layer.kind = LayerKind::kConv;
  layer.in_height = height;
  layer.in_width = width;
  layer.in_channels = values[5];
  layer.kernel_height = filter_height;
  layer.kernel_width = filter_width;
  layer.stride = values[7];
  layer.out_channels = values[6];
  return layer;
}

TopologyLayer scalesim_gemm_row(const CsvFile& file, const CsvRow& row) {
  const std::vector<ScaleSimColumn>& columns = gemm_columns();
  TopologyLayer layer;
  layer.kind = LayerKind::kGemm;
  layer.gemm_rows = read_count(file, row, 1, columns[1].what);
  layer.out_channels = read_count(file, row, 2, columns[2].what);
  layer.in_channels = read_count(file, row, 3, columns[3].what);
  return layer;
}

Topology parse_scalesim(const CsvFile& file) {
  Topology topology = empty_topology(file);
  const CsvRow& header = file.rows.front();
  bool gemm = false;
  const std::size_t known = check_scalesim_header(file, header, gemm);
  if (file.rows.size() == 1) {
    fail_at(file, header.line, header.end_column,
            "the file has a header but no layer rows: expected one row per layer after it");
  }
  std::map<std::string, int> name_lines;  // layer name -> line of the layer that has it
  std::set<std::string> generated_names;  // names given to unnamed rows
  for (std::size_t r = 1; r < file.rows.size(); ++r) {
    const CsvRow& row = file.rows[r];
    const std::size_t required = gemm ? 4 : 8;
    if (row.fields.size() < required) {
      fail_at(file, row.line, row.end_column,
              "row has " + std::to_string(row.fields.size()) + " values: expected " +
                  std::to_string(known) + " as the header names them");
    }
    check_extra_columns(file, header, row, known);
    const std::string& name = row.fields[0].text;
    // SCALE-Sim splits a layer whose name contains "DP" into one layer per channel.
    if (!gemm && name.find("DP") != std::string::npos) {
      fail_at(file, row.line, row.fields[0].column,
              "layer name '" + name +
                  "' marks a depth-wise convolution (SCALE-Sim's 'DP'), "
                  "which rpusim does not model; rename the layer to read it as an ordinary "
                  "convolution");
    }
    // Names follow the rules of the workload YAML: unique, and not an integer, which the
    // YAML's from and input_from read as a layer index.
    long long integer = 0;
    if (parse_int(name, integer)) {
      fail_at(file, row.line, row.fields[0].column,
              "layer name '" + name +
                  "' is invalid: expected a name that is not an integer, because layer "
                  "references (from, input_from) read integers as layer indices");
    }
    if (const std::string problem = text_problem(name); !problem.empty()) {
      fail_at(file, row.line, row.fields[0].column,
              "layer name '" + escaped_text(name) + "' is invalid: " + problem);
    }
    TopologyLayer layer = gemm ? scalesim_gemm_row(file, row) : scalesim_conv_row(file, row, known);
    layer.name = name.empty() ? layer_name(layer.kind, topology.layers.size()) : name;
    const auto [taken, inserted] = name_lines.emplace(layer.name, row.line);
    if (!inserted) {
      const std::string earlier =
          (generated_names.count(layer.name) ? "the unnamed layer of line " : "the layer of line ") +
          std::to_string(taken->second) +
          (generated_names.count(layer.name) ? ", which got it by default" : "");
      fail_at(file, row.line, row.fields[0].column,
              name.empty() ? "the layer has no name, and its generated name '" + layer.name +
                                 "' is taken by " + earlier + ": give this layer a name"
                           : "layer name '" + name + "' is taken by " + earlier +
                                 ": every layer needs its own name");
    }
    if (name.empty()) generated_names.insert(layer.name);
    layer.origin = origin_of(file, row);
    check_size(file, row, layer);
    topology.layers.push_back(layer);
  }
  return topology;
}

void check_not_empty(const CsvFile& file, const char* format) {
  if (file.rows.empty()) {
    throw InputError(file.path + ": file is empty: expected a " + format +
                     " network with one row per layer");
  }
}

}  // namespace

std::string layer_size_problem(const TopologyLayer& layer) {
  // Doubles hold these products exactly up to 2^53 and do not overflow beyond it. The sizes
  // themselves are at most kMaxDimension, so the int arithmetic of out_height() is safe.
  constexpr double kMaxCount = 9007199254740992.0;  // 2^53
  const bool gemm = layer.kind == LayerKind::kGemm;
  const double columns =
      static_cast<double>(layer.kernel_height) * layer.kernel_width * layer.in_channels *
      (layer.kind == LayerKind::kFullyConnected ? double(layer.in_height) * layer.in_width : 1.0);
  if (layer.weighted() && columns + 1 > std::numeric_limits<int>::max()) {
    std::ostringstream message;
    message << std::fixed << std::setprecision(0) << "is too large: its weight matrix would have "
            << columns << " columns, at most " << std::numeric_limits<int>::max() - 1;
    return message.str();
  }
  const double in_elements =
      (gemm ? double(layer.gemm_rows) : double(layer.in_height) * layer.in_width) *
      layer.in_channels;
  const double out_elements =
      (gemm ? double(layer.gemm_rows) : double(layer.out_height()) * layer.out_width()) *
      layer.out_channels;
  double weights = 0.0;
  if (layer.weighted()) weights = double(layer.out_channels) * (columns + (layer.bias ? 1 : 0));
  if (in_elements > kMaxCount || out_elements > kMaxCount || weights > kMaxCount) {
    return "is too large: its input, output or weights exceed 2^53 values";
  }
  if (weights * static_cast<double>(layer.reuses()) > 4.6e18) {
    return "is too large: its forward pass needs more than 2^62 multiply-accumulates";
  }
  return "";
}

const char* topology_format_key(TopologyFormat format) {
  switch (format) {
    case TopologyFormat::kAuto:
      return "auto";
    case TopologyFormat::kNeuroSim:
      return "neurosim";
    case TopologyFormat::kScaleSim:
      return "scalesim";
  }
  return "auto";
}

TopologyFormat parse_topology_format(const std::string& key) {
  if (key == "auto") return TopologyFormat::kAuto;
  if (key == "neurosim") return TopologyFormat::kNeuroSim;
  if (key == "scalesim") return TopologyFormat::kScaleSim;
  throw ConfigError("topology format '" + key +
                    "' is invalid: must be one of auto, neurosim, "
                    "scalesim");
}

Topology read_neurosim_csv(const std::string& path) {
  return read_topology_file(path, TopologyFormat::kNeuroSim);
}

Topology read_scalesim_csv(const std::string& path) {
  return read_topology_file(path, TopologyFormat::kScaleSim);
}

Topology read_topology_file(const std::string& path, TopologyFormat format) {
  if (path.empty()) throw InputError("the network file name is empty");
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension == ".yaml" || extension == ".yml") {
    throw InputError(path +
                     ": workload.topology and -t read NeuroSim and SCALE-Sim CSV "
                     "files; a YAML network is a configuration: give it with -c FILE, or "
                     "include it in one (include: [FILE])");
  }
  const CsvFile file = read_csv(path);
  // A file written with another separator arrives as one field per row, which format
  // detection and the header check would misread.
  for (const CsvRow& row : file.rows) {
    if (row.fields.size() != 1) break;
    const std::size_t separator = row.fields.front().text.find_first_of(";\t");
    if (separator == std::string::npos) continue;
    fail_at(file, row.line, row.fields.front().column + static_cast<int>(separator),
            std::string("fields are separated by ") +
                (row.fields.front().text[separator] == ';' ? "semicolons" : "tabs") +
                ": network files separate fields with commas");
  }
  if (format == TopologyFormat::kAuto) {
    check_not_empty(file, "NeuroSim or SCALE-Sim");
    // A field that begins like a number makes a NeuroSim row, whose parser then names what
    // is wrong with `1e3` or an out-of-range count. A SCALE-Sim header begins with a word.
    const std::string& first = file.rows.front().fields.front().text;
    const bool numeric = !first.empty() && (std::isdigit(static_cast<unsigned char>(first[0])) ||
                                            first[0] == '+' || first[0] == '-' || first[0] == '.');
    format = numeric ? TopologyFormat::kNeuroSim : TopologyFormat::kScaleSim;
  }
  if (format == TopologyFormat::kNeuroSim) {
    check_not_empty(file, "NeuroSim");
    return parse_neurosim(file);
  }
  check_not_empty(file, "SCALE-Sim");
  return parse_scalesim(file);
}

}  // namespace rpusim
