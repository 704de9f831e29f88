#include "models/common/config.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include <unistd.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "models/common/address_map.hpp"
#include "models/common/error.hpp"
#include "models/common/input_file.hpp"
#include "models/common/text.hpp"

namespace rpusim {
namespace fs = std::filesystem;

const ParamSpec* Config::find_spec(const std::string& key) {
  for (const ParamSpec& spec : schema()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}


[[noreturn]] void reject_value(const std::string& where, const ParamSpec& spec,
                               const std::string& text) {
  throw ConfigError(where + ": " + spec.key + " = '" + escaped_text(text) +
                    "' is invalid: must be " + describe_allowed(spec));
}

// Strings and paths go into the JSON report, which is UTF-8 only, and into the console
// summary, where a control character could split a line or reach the terminal.
void check_text_value(const std::string& where, const ParamSpec& spec, const std::string& text) {
  const std::string problem = text_problem(text);
  if (problem.empty()) return;
  throw ConfigError(where + ": " + spec.key + " = '" + escaped_text(text) +
                    "' is invalid: " + problem + "; must be UTF-8 text without control characters");
}

ParamValue parse_value(const ParamSpec& spec, const std::string& text, const std::string& where,
                       const fs::path& base_dir) {
  switch (spec.type) {
    case ParamType::kInt: {
      errno = 0;
      char* end = nullptr;
      const long long value = std::strtoll(text.c_str(), &end, 10);
      // strtoll skips leading white space; a trailing space fails the end check, so a leading
      // one fails too.
      if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())) || *end != '\0' ||
          errno == ERANGE) {
        reject_value(where, spec, text);
      }
      // Compared in long double, which represents every long long exactly. In double,
      // 9200000000000000001 would round down to the bound 9.2e18 and pass.
      const long double exact = value;
      const long double min = spec.min;
      const long double max = spec.max;
      if (exact < min || exact > max || (spec.min_exclusive && exact == min)) {
        reject_value(where, spec, text);
      }
      return static_cast<std::int64_t>(value);
    }
    case ParamType::kReal: {
      const std::optional<double> parsed = parse_decimal_number(text);
      if (!parsed) reject_value(where, spec, text);
      const double value = *parsed;
      if (value < spec.min || value > spec.max || (spec.min_exclusive && value == spec.min)) {
        reject_value(where, spec, text);
      }
      return value;
    }
    case ParamType::kBool:
      if (text == "true") return true;
      if (text == "false") return false;
      reject_value(where, spec, text);
    case ParamType::kChoice:
      if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        reject_value(where, spec, text);
      }
      return text;
    case ParamType::kString:
      // A name of spaces only would show as a blank in reports and summaries.
      if (text.find_first_not_of(" \t") == std::string::npos) reject_value(where, spec, text);
      check_text_value(where, spec, text);
      return text;
    case ParamType::kPath: {
      check_text_value(where, spec, text);
      // A path whose default is empty is optional: empty means none.
      if (text.empty() && spec.default_text.empty()) return text;
      if (text.empty()) reject_value(where, spec, text);
      return resolve_relative_path(base_dir, text);
    }
  }
  reject_value(where, spec, text);
}

// The file of an origin "FILE:LINE" (or "FILE").
std::string file_of_origin(const std::string& origin) {
  const std::size_t colon = origin.rfind(':');
  if (colon == std::string::npos || colon + 1 == origin.size() ||
      origin.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return origin;
  }
  return origin.substr(0, colon);
}

// Keys of earlier versions and what replaced them.
const std::map<std::string, std::string>& replaced_keys() {
  static const std::map<std::string, std::string> replaced = {
      {"management.noise_management",
       "management.forward.noise_management and management.backward.noise_management"},
      {"management.bound_management",
       "management.forward.bound_management and management.backward.bound_management"},
      {"adc.energy_per_conversion_pj", "adc.walden_fom_fj_per_step (energy = FOM x 2^bits)"},
      {"dac.energy_per_conversion_pj", "dac.energy_per_unit_fj (energy = unit x 2^(bits-1))"},
      {"dac.area_um2", "dac.area_per_unit_um2 (area = unit x 2^(bits-1))"},
      {"tile.device_resistance_mohm", "tile.device_resistance_megaohm (the same value, in MOhm)"},
      {"baseline.peak_gops", "baseline.peak_gops_per_s (the same value, in GOps/s)"},
  };
  return replaced;
}

// True if `key` names a group of parameters, such as "tile" or "management.forward".
bool is_section(const std::string& key) {
  for (const ParamSpec& spec : Config::schema()) {
    if (spec.key.compare(0, key.size() + 1, key + ".") == 0) return true;
  }
  return key == "workload";
}

// Returns the configuration's sections in schema order, comma-separated.
std::string section_list() {
  std::vector<std::string> sections;
  for (const ParamSpec& spec : Config::schema()) {
    const std::string section = spec.key.substr(0, spec.key.find('.'));
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      sections.push_back(section);
    }
  }
  return join(sections);
}

// Returns the first parameter name under section `key`, relative to it.
std::string first_key_in(const std::string& key) {
  for (const ParamSpec& spec : Config::schema()) {
    if (spec.key.compare(0, key.size() + 1, key + ".") == 0) return spec.key.substr(key.size() + 1);
  }
  return "...";
}

std::string unknown_key_message(const std::string& where, const std::string& key) {
  std::string message = where + ": unknown key '" + key + "'";
  const auto replaced = replaced_keys().find(key);
  if (replaced != replaced_keys().end()) {
    return message + "; it was replaced by " + replaced->second;
  }
  if (is_section(key)) {
    return where + ": '" + key + "' is a section, not a key; give one of its keys, such as " + key +
           "." + first_key_in(key) + " (rpusim list-parameters lists all keys)";
  }
  // Keys are lower case; nearest_key would count each capital as an edit.
  std::string lower = key;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != key && is_section(lower)) {
    return where + ": '" + key + "' is not a key; give a key of section '" + lower + "', such as " +
           lower + "." + first_key_in(lower) + " (rpusim list-parameters lists all keys)";
  }
  const std::string suggestion = Config::find_spec(lower) ? lower : nearest_key(lower);
  if (!suggestion.empty()) {
    message += "; did you mean '" + suggestion + "'?";
  } else if (const std::string section = lower.substr(0, lower.find('.')); !is_section(section)) {
    message += "; '" + section + "' is not a section, and the sections are " + section_list();
  }
  message += " (rpusim list-parameters lists all keys)";
  return message;
}

// Largest configuration file read; the shipped ones have a few KiB.
constexpr std::uint64_t kMaxConfigFileBytes = std::uint64_t{16} << 20;

struct FileLoader {
  Config& config;
  std::vector<TopologyLayer>& layer_list;
  std::string& layers_origin;
  InputShape& input_shape;
  std::set<std::string> open_files;
  std::vector<std::string>& loaded_files;

  // Loads `path`; `included_from` is "file:line" of the include entry, empty for the file
  // named on the command line.
  void load_file(const fs::path& path, const std::string& included_from = "") {
    const std::string file = path.string();
    const std::string prefix = included_from.empty() ? "" : included_from + ": include ";
    if (file.empty()) throw ConfigError("the configuration file name is empty");
    if (!path_exists_or_throw(path, prefix + file)) {
      throw ConfigError(prefix + file + ": configuration file not found");
    }
    if (fs::is_directory(path)) {
      throw ConfigError(prefix + file + ": is a directory, not a configuration file");
    }
    std::error_code error;
    const fs::path real = fs::weakly_canonical(path, error);
    const std::string canonical = error ? path.lexically_normal().string() : real.string();
    if (open_files.count(canonical)) {
      throw ConfigError(prefix + file + ": include cycle: the file is already being loaded");
    }
    open_files.insert(canonical);
    loaded_files.push_back(file);

    std::string text;
    try {
      text = read_text_file(file, kMaxConfigFileBytes, "configuration files");
    } catch (const InputError& error) {
      throw ConfigError(prefix + error.what());
    }
    const YAML::Node root = parse_yaml(text, file);
    if (root.IsNull()) {
      if (included_from.empty()) throw ConfigError(file + ": configuration file is empty");
      open_files.erase(canonical);
      return;  // an empty included file sets nothing
    }
    if (!root.IsMap()) {
      throw ConfigError(yaml_location(file, root, text) + ": top level must be a map");
    }
    if (root["study"]) {
      throw ConfigError(yaml_location(file, root["study"], text) +
                        ": this is a study file, not a configuration file: run it with "
                        "rpusim sweep --study " +
                        file + " --out DIR");
    }
    reject_duplicate_keys(root, file, "");

    // Included files load first, so the including file's own keys win.
    if (const YAML::Node includes = root["include"]) {
      if (!includes.IsSequence()) {
        throw ConfigError(yaml_location(file, includes, text) +
                          ": include must be a list of file paths");
      }
      for (const YAML::Node& include : includes) {
        if (!include.IsScalar() || include.Scalar().empty()) {
          throw ConfigError(yaml_location(file, include, text) +
                            ": include entries must be file paths, not empty or lists");
        }
        // The path is resolved so that messages and --dump-config name the file without
        // "dir/../".
        load_file(resolve_relative_path(directory_of_file(path), include.as<std::string>()),
                  yaml_location(file, include, text));
      }
    }
    // The location of each key this file gives. A section map and a dotted top-level key
    // could otherwise both set one key, and the later would win without a word.
    std::map<std::string, std::string> keys_given;
    for (const auto& item : root) {
      const std::string key = item.first.as<std::string>();
      if (key == "include") continue;
      walk(item.second, key, file, text, directory_of_file(path), keys_given);
    }
    open_files.erase(canonical);
  }

  // Walks the value `node` of the key whose full name is `key`, in `file` of text `text`.
  // `keys_given` maps the keys that the file has given so far to where.
  void walk(const YAML::Node& node, const std::string& key, const std::string& file,
            std::string_view text, const fs::path& base_dir,
            std::map<std::string, std::string>& keys_given) {
    const std::string where = yaml_location(file, node, text);
    const bool section = node.IsMap() && Config::find_spec(key) == nullptr;
    if (!section) {
      if (const auto [earlier, added] = keys_given.emplace(key, where); !added) {
        throw ConfigError(where + ": " + key + " is given twice in this file, first at " +
                          earlier->second + "; give it once");
      }
    }
    if (key == "workload.layers") {
      layer_list = parse_layer_list(node, file, text);
      layers_origin = where;
      return;
    }
    if (key == "workload.input_shape") {
      input_shape = parse_input_shape(node, where);
      return;
    }
    // A map under a key that takes one value is a wrong value, not a section of unknown keys.
    if (section) {
      reject_duplicate_keys(node, file, key + ".");
      for (const auto& item : node) {
        walk(item.second, key + "." + item.first.as<std::string>(), file, text, base_dir,
             keys_given);
      }
      return;
    }
    const ParamSpec* spec = Config::find_spec(key);
    if (!spec && is_section(key)) {
      if (node.IsNull()) return;  // an empty section sets nothing
      throw ConfigError(where + ": '" + key + "' is a section, not a value: give its keys as a map, " +
                        "e.g. " + key + ": {" + first_key_in(key) + ": ...}");
    }
    if (!spec) throw ConfigError(unknown_key_message(where, key));
    if (node.IsNull()) {
      // `topology:` with nothing after it reads as the empty path it looks like.
      if (spec->type == ParamType::kString || spec->type == ParamType::kPath) {
        config.set(key, "", where, base_dir);
        return;
      }
      throw ConfigError(where + ": " + key + " has no value: give " + describe_allowed(*spec));
    }
    if (!node.IsScalar()) {
      throw ConfigError(where + ": " + key + " must be a single value: " + describe_allowed(*spec));
    }
    reject_quoted_yaml_value(node, key, where);
    // A relative path in a file is relative to that file's directory.
    config.set(key, node.as<std::string>(), where, base_dir);
  }
};

// Fields of a workload.layers entry in the order the YAML format lists them. Fields at
// their default are left out, so a fully connected layer reads {outputs: N, activation: A}
// as in earlier versions.
std::vector<std::pair<std::string, nlohmann::json>> entry_fields(
    const std::vector<TopologyLayer>& list, std::size_t index) {
  const TopologyLayer& layer = list[index];
  std::vector<std::pair<std::string, nlohmann::json>> fields;
  auto window = [](int height, int width) {
    return height == width ? nlohmann::json(height) : nlohmann::json::array({height, width});
  };
  if (layer.kind != LayerKind::kFullyConnected) {
    fields.emplace_back("kind", layer_kind_key(layer.kind));
  }
  if (layer.name != layer_kind_key(layer.kind) + std::to_string(index)) {
    fields.emplace_back("name", layer.name);
  }
  switch (layer.kind) {
    case LayerKind::kFullyConnected:
      fields.emplace_back("outputs", layer.out_channels);
      break;
    case LayerKind::kConv:
      fields.emplace_back("filters", layer.out_channels);
      fields.emplace_back("kernel", window(layer.kernel_height, layer.kernel_width));
      fields.emplace_back("stride", layer.stride);
      fields.emplace_back("padding", layer.padding);
      break;
    case LayerKind::kGemm:
      fields.emplace_back("rows", layer.gemm_rows);
      fields.emplace_back("outputs", layer.out_channels);
      break;
    case LayerKind::kPool:
      fields.emplace_back("window", window(layer.kernel_height, layer.kernel_width));
      fields.emplace_back("stride", layer.stride);
      fields.emplace_back("padding", layer.padding);
      fields.emplace_back("type", pool_type_key(layer.pool));
      break;
    case LayerKind::kResidual:
      fields.emplace_back("from", list[layer.residual_from].name);
      break;
  }
  if (layer.kind != LayerKind::kPool &&
      (layer.kind == LayerKind::kFullyConnected || layer.activation != "none")) {
    fields.emplace_back("activation", layer.activation);
  }
  // Explicit inputs of fc and gemm layers; parse_layer_list() leaves the others at 0.
  if ((layer.kind == LayerKind::kFullyConnected || layer.kind == LayerKind::kGemm) &&
      layer.in_channels > 0) {
    fields.emplace_back("inputs", layer.in_channels);
  }
  if (layer.input_from >= 0) fields.emplace_back("input_from", list[layer.input_from].name);
  return fields;
}

// A resolved layer with its shapes, for the configuration's JSON.
nlohmann::json resolved_layer(const TopologyLayer& layer) {
  return {{"name", layer.name},
          {"kind", layer_kind_key(layer.kind)},
          {"input", {layer.in_height, layer.in_width, layer.in_channels}},
          {"kernel", {layer.kernel_height, layer.kernel_width}},
          {"stride", layer.stride},
          {"padding", layer.padding},
          {"out_channels", layer.out_channels},
          {"gemm_rows", layer.gemm_rows},
          {"pool", pool_type_key(layer.pool)},
          {"residual_from", layer.residual_from},
          {"input_from", layer.input_from},
          {"activation", layer.activation}};
}

// A JSON value as YAML flow text: numbers and arrays as JSON writes them, plain words bare.
std::string yaml_text(const nlohmann::json& value) {
  if (value.is_array()) {
    std::string text = "[";
    for (std::size_t i = 0; i < value.size(); ++i) text += (i ? ", " : "") + value[i].dump();
    return text + "]";
  }
  if (!value.is_string()) return value.dump();
  const std::string& word = value.get_ref<const std::string&>();
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  return plain ? word : value.dump();
}

}  // namespace

namespace {

// Throws ConfigError naming the line and the key path ("tile.bl", "workload.layers[0].name")
// of the first key or value in `node` whose decoded text is not UTF-8 or contains a control
// character. The file's raw bytes were checked when it was read, but YAML escapes such as
// "\x1b" and block scalars such as "bl: >" (which end in a line feed) decode to them only
// here. `path` is the key path of `node`, empty for the root, and `is_key` marks a map's key.
void check_scalars(const YAML::Node& node, const std::string& file, const std::string& path = "",
                   bool is_key = false) {
  if (node.IsScalar()) {
    const std::string problem = text_problem(node.Scalar());
    if (problem.empty()) return;
    const std::string quoted = "'" + escaped_text(node.Scalar()) + "'";
    const std::string subject = is_key ? "key " + quoted + (path.empty() ? "" : " in " + path)
                                : path.empty() ? quoted
                                               : path + " = " + quoted;
    throw ConfigError(yaml_location(file, node) + ": " + subject + " is invalid: " + problem +
                      "; strings must be UTF-8 text without control characters");
  }
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      check_scalars(node[i], file, path + "[" + std::to_string(i) + "]");
    }
  } else if (node.IsMap()) {
    for (const auto& item : node) {
      check_scalars(item.first, file, path, true);
      const std::string key = escaped_text(item.first.IsScalar() ? item.first.Scalar() : "?");
      check_scalars(item.second, file, path.empty() ? key : path + "." + key);
    }
  }
}

// Records where each document starts and ignores everything else.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Returns the 1-based line where a second YAML document of `text` starts, or 0 if there is
// none. yaml-cpp 0.7's parser yields empty documents at one position forever on some
// malformed input, so this reads two documents at most, and a second one that starts where
// the first did is that loop, not a document. An empty last document is marked past the
// file's end, so it takes the line of the last '---' or '...' marker.
int second_document_line(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  int documents = 0;
  while (documents < 2 && parser.HandleNextDocument(handler)) ++documents;
  if (handler.starts.size() < 2 || handler.starts[1].pos <= handler.starts[0].pos) return 0;
  int lines = 0;
  int last_marker = 0;
  std::istringstream text_lines(text);
  for (std::string line; std::getline(text_lines, line);) {
    ++lines;
    if (line.rfind("---", 0) == 0 || line.rfind("...", 0) == 0) last_marker = lines;
  }
  const YAML::Mark& mark = handler.starts[1];
  if (mark.line < lines) return mark.line + 1;
  return last_marker > 0 ? last_marker : lines;
}

// Whether `token` starts with an explicit null (~, null, Null or NULL) that ends there.
bool starts_with_null_literal(std::string_view token) {
  for (const std::string_view literal : {"~", "null", "Null", "NULL"}) {
    if (token.substr(0, literal.size()) == literal &&
        (token.size() == literal.size() ||
         std::string_view(" \t\r\n#,]}").find(token[literal.size()]) != std::string_view::npos)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_quoted_scalar(const YAML::Node& node) {
  return node.IsScalar() && (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str");
}

void reject_quoted_yaml_value(const YAML::Node& node, const std::string& key,
                              const std::string& where) {
  const ParamSpec* spec = Config::find_spec(key);
  if (spec == nullptr || !node.IsScalar() || spec->type == ParamType::kString ||
      spec->type == ParamType::kPath || spec->type == ParamType::kChoice) {
    return;
  }
  if (is_quoted_scalar(node)) {
    throw ConfigError(where + ": " + key + " = '" + escaped_text(node.Scalar()) +
                      "' is invalid: a quoted or !!str string, where " + key + " takes " +
                      describe_allowed(*spec) + "; write the value without quotes");
  }
}

std::string yaml_location(const std::string& file, const YAML::Node& node, std::string_view text) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return file;
  int line = mark.line;
  const auto pos = static_cast<std::size_t>(std::max(mark.pos, 0));
  if (node.IsNull() && !text.empty() && pos <= text.size() &&
      !starts_with_null_literal(text.substr(pos))) {
    // The mark is the next token's. Where that token starts its line (after indentation or
    // list dashes), the empty value's key or dash is on the nearest line above with content.
    const std::size_t line_start = pos == 0 ? 0 : text.rfind('\n', pos - 1) + 1;
    if (text.substr(line_start, pos - line_start).find_first_not_of(" -") ==
        std::string_view::npos) {
      std::size_t end = line_start;  // one past the newline that ends the line above
      for (int above = mark.line - 1; above >= 0 && end > 0; --above) {
        const std::size_t start = end == 1 ? 0 : text.rfind('\n', end - 2) + 1;
        const std::string_view content = text.substr(start, end - 1 - start);
        const std::size_t first = content.find_first_not_of(" \t\r");
        if (first != std::string_view::npos && content[first] != '#') {
          line = above;
          break;
        }
        end = start;
      }
    }
  }
  return file + ":" + std::to_string(line + 1);
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    YAML::Node root = YAML::Load(text);
    // YAML::Load keeps the first document and drops the rest without a word.
    if (const int line = second_document_line(text); line > 0) {
      throw ConfigError(file + ":" + std::to_string(line) +
                        ": a second YAML document (after '---' or '...') is invalid: a file "
                        "must hold one document");
    }
    check_scalars(root, file);
    return root;
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp gives this error the message "bad file".
    throw ConfigError(file + ":" + std::to_string(error.mark.line + 1) +
                      ": invalid YAML: nested more than " + std::to_string(error.depth() - 1) +
                      " levels deep");
  } catch (const YAML::Exception& error) {
    // yaml-cpp reports a tab in the indentation as an unrelated syntax error.
    std::string hint;
    std::istringstream lines(text);
    std::string line;
    for (int i = 0; i <= error.mark.line; ++i) {
      if (!std::getline(lines, line)) {
        line.clear();
        break;
      }
    }
    const std::size_t indent_end = line.find_first_not_of(" \t");
    if (error.mark.line >= 0 && line.substr(0, indent_end).find('\t') != std::string::npos) {
      hint = " (the line is indented with a tab; YAML indents with spaces only)";
    }
    throw ConfigError(file + ":" + std::to_string(error.mark.line + 1) +
                      ": invalid YAML: " + error.msg + hint);
  }
}

void reject_duplicate_keys(const YAML::Node& map, const std::string& file,
                           const std::string& key_prefix, const std::string& context) {
  std::map<std::string, int> first_line;
  for (const auto& item : map) {
    const int line = item.first.Mark().line + 1;
    // YAML allows a list or a map as a key ("? [a, b]: value"); a configuration never uses one.
    if (!item.first.IsScalar() && !item.first.IsNull()) {
      throw ConfigError(file + ":" + std::to_string(line) + ": a key" +
                        (key_prefix.empty()
                             ? ""
                             : " under '" + key_prefix.substr(0, key_prefix.size() - 1) + "'") +
                        (context.empty() ? "" : " in " + context) +
                        " is a list or map: keys must be plain names");
    }
    const std::string name = item.first.as<std::string>();
    const auto [found, inserted] = first_line.emplace(name, line);
    if (!inserted) {
      throw ConfigError(file + ":" + std::to_string(line) + ": duplicate key '" + key_prefix +
                        name + "'" + (context.empty() ? "" : " in " + context) +
                        " (first given at line " + std::to_string(found->second) + ")");
    }
  }
}

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<double>(pages) * static_cast<double>(page_size);
}

std::string nearest_key(const std::string& key) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(3, key.size() / 3) + 1;
  for (const ParamSpec& spec : Config::schema()) {
    // Compare the whole key and, for a bare leaf such as "bits", the leaf alone.
    std::size_t distance = edit_distance(key, spec.key);
    const std::size_t dot = spec.key.rfind('.');
    if (key.find('.') == std::string::npos && dot != std::string::npos) {
      distance = std::min(distance, edit_distance(key, spec.key.substr(dot + 1)));
    }
    if (distance < best_distance) {
      best_distance = distance;
      best = spec.key;
    }
  }
  return best;
}

Config Config::defaults() {
  Config config;
  config.apply_defaults();
  for (const auto& [outputs, activation] :
       {std::pair{256, "sigmoid"}, std::pair{128, "sigmoid"}, std::pair{10, "softmax"}}) {
    TopologyLayer layer;
    layer.name = "fc" + std::to_string(config.layer_list_.size());
    layer.out_channels = outputs;
    layer.activation = activation;
    layer.origin = "default";
    config.layer_list_.push_back(layer);
  }
  config.build_topology();
  return config;
}

std::string describe_allowed(const ParamSpec& spec) {
  std::ostringstream out;
  out << std::setprecision(12);  // full bounds, without exponents up to 1e12
  switch (spec.type) {
    case ParamType::kInt:
    case ParamType::kReal: {
      const char* kind = spec.type == ParamType::kInt ? "an integer" : "a finite number";
      out << kind;
      // Integer bounds in full ("1000000", not "1e+06").
      if (spec.type == ParamType::kInt) out << std::fixed << std::setprecision(0);
      const bool has_min = std::isfinite(spec.min);
      const bool has_max = std::isfinite(spec.max);
      if (has_min && has_max) {
        out << " in " << (spec.min_exclusive ? "(" : "[") << spec.min << ", " << spec.max << "]";
      } else if (has_min) {
        out << (spec.min_exclusive ? " > " : " >= ") << spec.min;
      } else if (has_max) {
        out << " <= " << spec.max;
      }
      break;
    }
    case ParamType::kBool:
      out << "true or false";
      break;
    case ParamType::kChoice: {
      out << "one of ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) {
        out << (i ? ", " : "") << spec.choices[i];
      }
      break;
    }
    case ParamType::kString:
      out << "a string that is not empty or blank";
      break;
    case ParamType::kPath:
      out << (spec.default_text.empty() ? "a file path, or empty for none" : "a non-empty path");
      break;
  }
  return out.str();
}

void Config::apply_defaults() {
  for (const ParamSpec& spec : schema()) {
    if (values_.count(spec.key)) continue;
    values_[spec.key] = parse_value(spec, spec.default_text, "default", fs::current_path());
    origins_[spec.key] = "default";
  }
}

void Config::set(const std::string& key, const std::string& text, const std::string& origin) {
  set(key, text, origin, fs::current_path());
}

void Config::set(const std::string& key, const std::string& text, const std::string& origin,
                 const fs::path& base_dir) {
  // Relative paths resolve against the working directory; the file loader has already made
  // the paths of a file relative to that file's directory.
  if (key == "workload.layers") {
    throw ConfigError(origin + ": workload.layers can only be set in a configuration file, as a "
                      "list of {outputs, activation}");
  }
  if (key == "workload.input_shape") {
    YAML::Node node;
    try {
      node = YAML::Load(text);
    } catch (const YAML::Exception& error) {
      throw ConfigError(origin + ": workload.input_shape = '" + text +
                        "' is invalid: must be [height, width, channels] (" + error.msg + ")");
    }
    input_shape_ = parse_input_shape(node, origin);
    return;
  }
  const ParamSpec* spec = Config::find_spec(key);
  if (!spec) throw ConfigError(unknown_key_message(origin, key));
  values_[key] = parse_value(*spec, text, origin, base_dir);
  origins_[key] = origin;
}

Config Config::load(const std::string& path, const std::vector<std::string>& overrides,
                    const std::vector<std::string>& origins) {
  Config config;
  FileLoader loader{config, config.layer_list_,  config.layers_origin_, config.input_shape_,
                    {},     config.config_files_};
  loader.load_file(path);

  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const std::string& assignment = overrides[i];
    const std::string origin = i < origins.size() ? origins[i] : "--set " + assignment;
    const std::size_t equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw ConfigError(origin + ": expected key=value, e.g. --set adc.bits=8");
    }
    config.set(assignment.substr(0, equals), assignment.substr(equals + 1), origin);
  }
  config.apply_defaults();
  // Dynamic BL turns on update management, as aihwkit's PulsedUpdateMetaParameter does. The
  // resolved value is set too, so that reports and --dump-config show what runs.
  if (config.get_bool("management.bl_management") &&
      !config.get_bool("management.update_management")) {
    config.values_["management.update_management"] = true;
    config.origins_["management.update_management"] =
        config.origin("management.bl_management") + " (management.bl_management turns it on)";
  }
  if (config.layer_list_.empty() && config.get_string("workload.topology").empty()) {
    throw ConfigError(path + ": workload.layers is missing: the workload needs at least one "
                             "layer, or a network file in workload.topology");
  }
  // A network without a name takes its file's: reports would otherwise call any network
  // by the default name.
  if (config.origin("workload.name") == "default") {
    const std::string& network_file = config.get_string("workload.topology");
    const std::string source =
        !network_file.empty() ? network_file : file_of_origin(config.layers_origin_);
    const std::string stem = fs::path(source).stem().string();
    if (!stem.empty()) {
      // Escaped, because a file name may contain any byte and the name goes into the report.
      config.values_["workload.name"] = escaped_text(stem);
      config.origins_["workload.name"] = "the name of " + source;
    }
  }
  config.build_topology();
  config.check_cross_constraints();
  return config;
}

std::vector<std::string> Config::input_files() const {
  std::vector<std::string> files = config_files_;
  const std::string& network_file = get_string("workload.topology");
  if (!network_file.empty()) files.push_back(network_file);
  return files;
}

void Config::build_topology() {
  const std::string& file = get_string("workload.topology");
  const bool from_file = !file.empty();
  if (from_file) {
    // Read errors are InputErrors naming the file, line and column.
    topology_ =
        read_topology_file(file, parse_topology_format(get_string("workload.topology_format")));
    if (origin("workload.name") != "default") topology_.name = get_string("workload.name");
  } else {
    InputShape input = input_shape_;
    if (input.channels == 0) {
      input.channels = static_cast<int>(get_int("workload.inputs"));
      input.origin = origin("workload.inputs");
    }
    topology_ = Topology{};
    topology_.name = get_string("workload.name");
    topology_.source = layers_origin_;
    topology_.layers = layer_list_;
    chain_layers(topology_.layers, input);
  }

  // The fully connected layers functional mode trains. Network files carry no activations:
  // their layers take the only ones functional mode trains, sigmoid and a softmax output.
  layers_.clear();
  if (!topology_.fully_connected()) return;
  for (std::size_t i = 0; i < topology_.layers.size(); ++i) {
    const TopologyLayer& layer = topology_.layers[i];
    const bool last = i + 1 == topology_.layers.size();
    std::string activation = layer.activation;
    if (from_file) activation = last ? "softmax" : "sigmoid";
    layers_.push_back({layer.matrix_columns(), layer.out_channels, activation});
  }
}

void Config::check_cross_constraints() const {
  // The value is quoted as the checks of single values quote it.
  auto fail = [this](const std::string& key, const std::string& message) {
    const nlohmann::json value = to_json()[key];
    const std::string text =
        value.is_string() ? value.get<std::string>()
                          : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    throw ConfigError(origin(key) + ": " + key + " = '" + escaped_text(text) + "' " + message);
  };
  for (const char* key : {"dac.bits", "adc.bits"}) {
    // One bit gives a converter with no level but zero (step 2 bound / (2^1 - 2) is undefined).
    if (get_int(key) == 1) fail(key, "is invalid: must be 0 (no quantisation) or 2..16");
  }
  // A step as wide as the weight range leaves the device fewer than two states.
  const double weight_range = get_real("device.w_max") - get_real("device.w_min");
  if (get_real("device.dw_min") >= weight_range) {
    std::ostringstream range;
    range << weight_range;
    fail("device.dw_min",
         "is invalid: must be smaller than the weight range w_max - w_min = " + range.str() +
             " (device.w_max from " + origin("device.w_max") + ", device.w_min from " +
             origin("device.w_min") + "), or the device has fewer than two states");
  }
  const std::int64_t input_lines = get_int("tile.input_lines");
  const std::int64_t output_lines = get_int("tile.output_lines");
  const std::int64_t lines_per_adc = get_int("adc.lines_per_adc");
  if (lines_per_adc > std::min(input_lines, output_lines)) {
    const char* side = input_lines < output_lines ? "tile.input_lines" : "tile.output_lines";
    fail("adc.lines_per_adc", "is invalid: one ADC cannot serve more lines than a tile side has (" +
                                  std::to_string(std::min(input_lines, output_lines)) + ", " +
                                  side + " from " + origin(side) + ")");
  }

  // Functional mode feeds the data set's workload.inputs values to the first layer, so they
  // must fill the input shape. Timing mode reads the shape alone.
  const bool functional = get_string("run.mode") == "functional";
  if (!functional && get_string("nlf.implementation") == "rtl") {
    fail("nlf.implementation",
         "is invalid with run.mode = timing: timing runs carry no data for the RTL datapath; "
         "use nlf.implementation = tlm");
  }
  if (functional && input_shape_.channels > 0 && get_string("workload.topology").empty()) {
    const std::int64_t values =
        std::int64_t{input_shape_.height} * input_shape_.width * input_shape_.channels;
    if (values != get_int("workload.inputs")) {
      throw ConfigError(
          input_shape_.origin + ": workload.input_shape = [" + std::to_string(input_shape_.height) +
          ", " + std::to_string(input_shape_.width) + ", " + std::to_string(input_shape_.channels) +
          "] has " + std::to_string(values) +
          " values but workload.inputs = " + std::to_string(get_int("workload.inputs")) + " (" +
          origin("workload.inputs") + "); give matching values");
    }
  }

  // Timing mode takes layers of any kind and size, and the tile mapper checks the tile count.
  if (!functional && get_string("run.protocol") != "lt") {
    fail("run.protocol",
         "is invalid: run.mode = timing issues loosely timed transactions only; "
         "set run.protocol = lt");
  }
  if (functional) check_functional_network();

  // Pool and residual layers run on the NLF units only, so a network of them alone maps to
  // no tile and trains nothing. Functional mode has rejected such layers already.
  if (std::none_of(topology_.layers.begin(), topology_.layers.end(),
                   [](const TopologyLayer& layer) { return layer.weighted(); })) {
    const bool from_file = !get_string("workload.topology").empty();
    throw ConfigError((from_file ? topology_.source : layers_origin_) + ": " +
                      (from_file ? "workload.topology" : "workload.layers") +
                      " has no weighted layer: a network needs at least one fc, conv or gemm "
                      "layer, because pool and residual layers have no weights to train");
  }
}

void Config::check_functional_network() const {
  const bool from_file = !get_string("workload.topology").empty();
  // Where a layer was defined (its own line, in a network file or in workload.layers) and
  // how messages name it.
  auto where = [&](std::size_t i) {
    const std::string& origin = topology_.layers[i].origin;
    return origin.empty() ? layers_origin_ : origin;
  };
  auto layer_key = [&](std::size_t i) {
    return from_file ? "layer '" + topology_.layers[i].name + "'"
                     : "workload.layers[" + std::to_string(i) + "]";
  };
  for (std::size_t i = 0; i < topology_.layers.size(); ++i) {
    const TopologyLayer& layer = topology_.layers[i];
    if (layer.kind != LayerKind::kFullyConnected) {
      throw ConfigError(layer.origin + ": layer '" + layer.name + "' is a " +
                        layer_kind_key(layer.kind) +
                        " layer, but run.mode = functional runs fully connected networks only; "
                        "run.mode: timing runs conv, gemm, pool and residual layers");
    }
  }

  const std::int64_t input_lines = get_int("tile.input_lines");
  const std::int64_t output_lines = get_int("tile.output_lines");
  if (get_int("chip.tiles") < static_cast<std::int64_t>(layers_.size())) {
    throw ConfigError(origin("chip.tiles") + ": chip.tiles = '" +
                      std::to_string(get_int("chip.tiles")) + "' is invalid: the workload has " +
                      std::to_string(layers_.size()) + " layers and each needs its own tile");
  }
  // Functional runs build every tile and NLF unit, and each needs a slot in the address map.
  auto check_slots = [this](const std::string& key, std::int64_t slots, const std::string& block,
                            const std::string& hint) {
    if (get_int(key) <= slots) return;
    throw ConfigError(origin(key) + ": " + key + " = '" + std::to_string(get_int(key)) +
                      "' is invalid: functional mode builds every " + block +
                      ", and its address map has room for " + std::to_string(slots) +
                      " (docs/address-map.md); " + hint);
  };
  check_slots("chip.tiles", chip_map::kMaxTiles, "tile", "a network needs one tile per layer");
  check_slots("chip.nlf_units", chip_map::kMaxNlfUnits, "NLF unit",
              "its sequencer uses NLF unit 0 only");
  check_mesh_size();
  std::int64_t fan_in = get_int("workload.inputs");
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const LayerSpec& layer = layers_[i];
    const std::string name = layer_key(i);
    if (layer.inputs != fan_in) {
      throw ConfigError(where(i) + ": " + name + " reads " + std::to_string(layer.inputs) +
                        " inputs but " +
                        (i == 0 ? "workload.inputs = " : "the layer before it has ") +
                        std::to_string(fan_in) + (i == 0 ? "" : " outputs") +
                        "; functional mode gives a layer no other operand, so it reads exactly "
                        "the output before it");
    }
    if (fan_in + 1 > input_lines) {
      throw ConfigError(
          where(i) + ": " + name + " needs " + std::to_string(fan_in + 1) +
          " input lines (with the bias) but tile.input_lines = " + std::to_string(input_lines) +
          "; raise tile.input_lines (splitting a layer over tiles is not modelled yet)");
    }
    if (layer.outputs > output_lines) {
      throw ConfigError(where(i) + ": " + name + " has " + std::to_string(layer.outputs) +
                        " outputs but tile.output_lines = " + std::to_string(output_lines) +
                        "; raise tile.output_lines");
    }
    if (layer.activation != "sigmoid" && layer.activation != "softmax") {
      throw ConfigError(where(i) + ": " + name + ".activation = '" + layer.activation +
                        "' is invalid: must be one of sigmoid, softmax in functional mode "
                        "(run.mode: timing also takes relu, tanh and none)");
    }
    const bool last = i + 1 == layers_.size();
    if (last && layer.activation != "softmax") {
      throw ConfigError(where(i) + ": " + name + ".activation = '" + layer.activation +
                        "' is invalid: the last layer must be softmax (cross-entropy training)");
    }
    if (!last && layer.activation != "sigmoid") {
      throw ConfigError(where(i) + ": " + name + ".activation = '" + layer.activation +
                        "' is invalid: hidden layers must be sigmoid");
    }
    fan_in = layer.outputs;
  }
  if (fan_in != get_int("workload.classes")) {
    throw ConfigError(
        where(layers_.size() - 1) + ": the last layer has " + std::to_string(fan_in) +
        " outputs but workload.classes = " + std::to_string(get_int("workload.classes")) +
        " (from " + origin("workload.classes") + "); the two must agree");
  }
  check_functional_memory(where(0));
}

void Config::check_functional_memory(const std::string& where) const {
  // Per cross-point, the tiles of a functional run keep the weight and the device's two steps
  // and two bounds as floats, and the state-dependent models two slopes more
  // (models/tile/crossbar_array.hpp, models/device/). Every tile, mapped or not, also has an
  // x and a d buffer of one float per line. The data set, the periphery and the model's
  // other state are left out, so the estimate is a lower bound.
  const bool slopes = get_string("device.model") != "constant_step";
  const double bytes_per_cross_point = 4.0 * (slopes ? 7 : 5);
  double cross_points = 0;
  for (const LayerSpec& layer : layers_) {
    cross_points += static_cast<double>(layer.inputs + 1) * layer.outputs;
  }
  const double tiles = static_cast<double>(get_int("chip.tiles"));
  const double buffer_bytes =
      tiles * 4.0 * static_cast<double>(get_int("tile.input_lines") + get_int("tile.output_lines"));
  const double needed = cross_points * bytes_per_cross_point + buffer_bytes;
  const double physical = physical_memory_bytes();
  if (physical <= 0 || needed <= physical) return;
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  // Names what takes most of the memory: the tile count or the network.
  const bool buffers_dominate = buffer_bytes > needed / 2;
  std::ostringstream message;
  message << std::fixed << std::setprecision(1)
          << (buffers_dominate ? origin("chip.tiles") : where)
          << ": functional mode needs an estimated " << needed / kGiB
          << " GiB for the crossbar arrays and device parameters of " << layers_.size()
          << " layers (" << std::setprecision(0) << cross_points << " cross-points x "
          << bytes_per_cross_point << " bytes) and the buffers of " << tiles
          << " tiles, more than this machine's " << std::setprecision(1) << physical / kGiB
          << " GiB of physical memory; "
          << (buffers_dominate ? "lower chip.tiles: each layer needs one tile"
                               : "run.mode: timing simulates networks of this size");
  throw ConfigError(message.str());
}

void Config::check_mesh_size() const {
  const std::int64_t columns = get_int("mesh.columns");
  const std::int64_t rows = get_int("mesh.rows");
  if (get_string("chip.interconnect") != "mesh" || columns == 0 || rows == 0) return;
  const std::int64_t tiles = get_int("chip.tiles");
  const std::int64_t nlf_units = get_int("chip.nlf_units");
  const std::int64_t blocks = tiles + nlf_units + 1;
  if (columns * rows >= blocks) return;
  throw ConfigError(origin("mesh.rows") + ": mesh.rows = '" + std::to_string(rows) +
                    "' is invalid: with mesh.columns = " + std::to_string(columns) + " (from " +
                    origin("mesh.columns") + ") the mesh has " + std::to_string(columns * rows) +
                    " nodes, but the chip has " + std::to_string(blocks) +
                    " blocks to place (chip.tiles = " + std::to_string(tiles) +
                    ", chip.nlf_units = " + std::to_string(nlf_units) +
                    ", plus the I/O port); raise mesh.columns or mesh.rows, or set one of them "
                    "to 0 to size the mesh from the blocks");
}

std::int64_t Config::get_int(const std::string& key) const {
  return std::get<std::int64_t>(values_.at(key));
}

double Config::get_real(const std::string& key) const {
  const ParamValue& value = values_.at(key);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  return std::get<double>(value);
}

bool Config::get_bool(const std::string& key) const { return std::get<bool>(values_.at(key)); }

const std::string& Config::get_string(const std::string& key) const {
  return std::get<std::string>(values_.at(key));
}

const std::string& Config::origin(const std::string& key) const {
  static const std::string kDefault = "default";
  const auto found = origins_.find(key);
  return found == origins_.end() ? kDefault : found->second;
}

nlohmann::json Config::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  // No structured binding: clang 14 cannot capture one in a lambda (a C++20 feature).
  for (const auto& entry : values_) {
    std::visit([&](const auto& v) { out[entry.first] = v; }, entry.second);
  }
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < layer_list_.size(); ++i) {
    nlohmann::json entry = nlohmann::json::object();
    for (const auto& [field, value] : entry_fields(layer_list_, i)) entry[field] = value;
    layers.push_back(entry);
  }
  out["workload.layers"] = layers;
  if (input_shape_.channels > 0) {
    out["workload.input_shape"] = {input_shape_.height, input_shape_.width, input_shape_.channels};
  }
  // The layers of a network file, so that a changed file changes the configuration's hash.
  if (!get_string("workload.topology").empty()) {
    nlohmann::json resolved = nlohmann::json::array();
    for (const TopologyLayer& layer : topology_.layers) resolved.push_back(resolved_layer(layer));
    out["workload.topology_layers"] = resolved;
  }
  return out;
}

std::vector<std::string> Config::ignored_settings() const {
  const std::string model = get_string("device.model");
  std::vector<std::string> messages;
  // A key at its default changes nothing under any model, and a --dump-config file sets them all.
  auto check = [&](const char* key, bool read, const char* readers) {
    if (read || origin(key) == "default") return;
    const ParamSpec* spec = find_spec(key);
    if (values_.at(key) == parse_value(*spec, spec->default_text, "default", fs::current_path())) {
      return;
    }
    messages.push_back(origin(key) + ": " + key + " = '" + to_json()[key].dump() +
                       "' is ignored: device.model = " + model + " does not read it (" + readers +
                       " does)");
  };
  for (const char* key :
       {"device.gamma_up", "device.gamma_down", "device.gamma_up_dtod", "device.gamma_down_dtod",
        "device.allow_increasing", "device.mean_bound_reference"}) {
    check(key, model == "linear_step", "only linear_step");
  }
  check("device.mult_noise", model != "constant_step", "linear_step or soft_bounds");

  // A network file replaces the layer list. A workload preset included after a
  // configuration that names a network file therefore runs the file's network under the
  // preset's name, so the run warns.
  const std::string& network_file = get_string("workload.topology");
  if (!network_file.empty() && !layer_list_.empty()) {
    messages.push_back(layers_origin_ + ": workload.layers is ignored: workload.topology = " +
                       escaped_text(network_file) + " (from " + origin("workload.topology") +
                       ") replaces the layer list; set workload.topology to an empty value "
                       "(--set workload.topology=) to run the layers");
  }
  return messages;
}

nlohmann::json Config::origins_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& entry : values_) out[entry.first] = origin(entry.first);
  out["workload.layers"] = layers_origin_;
  if (!get_string("workload.topology").empty()) {
    out["workload.topology_layers"] = origin("workload.topology");
  }
  if (input_shape_.channels > 0) out["workload.input_shape"] = input_shape_.origin;
  return out;
}

void Config::write_workload_lists(std::ostream& out) const {
  if (!layer_list_.empty()) {
    out << "  layers:  # " << escaped_text(layers_origin_) << "\n";
    for (std::size_t i = 0; i < layer_list_.size(); ++i) {
      out << "    - {";
      const auto fields = entry_fields(layer_list_, i);
      for (std::size_t f = 0; f < fields.size(); ++f) {
        out << (f ? ", " : "") << fields[f].first << ": " << yaml_text(fields[f].second);
      }
      out << "}\n";
    }
  }
  if (input_shape_.channels > 0) {
    out << "  input_shape: [" << input_shape_.height << ", " << input_shape_.width << ", "
        << input_shape_.channels << "]  # (from " << escaped_text(input_shape_.origin) << ")\n";
  }
}

namespace {

// Returns the text of a value in a YAML dump. A double gets the shortest text that reads back
// as the same double, so a dump reproduces a run.
std::string yaml_value(const ParamValue& value) {
  std::ostringstream text;
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, bool>) {
          text << (v ? "true" : "false");
        } else if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          // JSON's escapes (\" \\ \uXXXX) are valid in a YAML double-quoted scalar.
          text << nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) {
          char digits[32];
          const auto result = std::to_chars(digits, digits + sizeof digits, v);
          text << std::string_view(digits, static_cast<std::size_t>(result.ptr - digits));
        } else {
          text << v;
        }
      },
      value);
  return text.str();
}

}  // namespace

std::string Config::to_yaml() const {
  std::ostringstream out;
  out << "# rpusim resolved configuration: every parameter, its value and where it came from.\n";
  Config defaults;
  defaults.apply_defaults();
  std::string section;
  for (const ParamSpec& spec : schema()) {
    const std::size_t dot = spec.key.find('.');
    const std::string this_section = spec.key.substr(0, dot);
    if (this_section != section) {
      section = this_section;
      out << section << ":\n";
      if (section == "workload") write_workload_lists(out);
    }
    const std::string value = yaml_value(values_.at(spec.key));
    out << "  " << spec.key.substr(dot + 1) << ": " << value << "  # " << spec.description;
    // The source tag belongs to the default value: beside another value it names the default.
    const std::string default_value = yaml_value(defaults.values_.at(spec.key));
    if (value == default_value) {
      if (!spec.source.empty()) out << " [" << spec.source << "]";
    } else {
      out << " (default " << default_value;
      if (!spec.source.empty()) out << " [" << spec.source << "]";
      out << ")";
    }
    // An origin names a file, and a path may contain any byte, so it is escaped to keep the
    // comment on one UTF-8 line.
    out << " (from " << escaped_text(origin(spec.key)) << ")\n";
  }
  return out.str();
}

bool path_exists_or_throw(const fs::path& path, const std::string& where) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) return false;
  if (error) throw ConfigError(where + ": cannot access: " + error.message());
  return true;
}

fs::path directory_of_file(const fs::path& file) {
  std::error_code error;
  const fs::path real = fs::weakly_canonical(fs::absolute(file), error);
  return (error ? fs::absolute(file).lexically_normal() : real).parent_path();
}

std::string resolve_relative_path(const fs::path& base_dir, const std::string& text) {
  const fs::path value(text);
  if (value.is_absolute()) return text;
  // weakly_canonical resolves links in the part that exists, so "link/../x" goes where the
  // file system goes. Where it fails (a directory without search permission), the path is
  // normalised as written.
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(base_dir / value, error);
  return (error ? (base_dir / value).lexically_normal() : resolved).string();
}

}  // namespace rpusim
