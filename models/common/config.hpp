// Run configuration: a schema of every parameter (key, type, default, unit, allowed range,
// description), YAML files composed through `include`, and `--set key=value` overrides.
// Validation happens here, once, before elaboration. Every error names the file and line
// (or the --set argument), the key, the bad value and what is allowed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/workload/topology.hpp"
#include "models/workload/topology_io.hpp"

namespace YAML {
class Node;
}

namespace rpusim {

// Parses YAML `text` read from `file`. Throws ConfigError "FILE:LINE: invalid YAML: REASON".
YAML::Node parse_yaml(const std::string& text, const std::string& file);

// Returns "FILE:LINE" of `node` in `file`, or FILE where yaml-cpp gives the node no position.
// yaml-cpp places an empty value where the next token starts, often lines below. Given the
// file's `text`, an empty value is placed on the line of its key or list dash instead.
std::string yaml_location(const std::string& file, const YAML::Node& node,
                          std::string_view text = {});

// Throws ConfigError at `where` if the scalar `node` is quoted or tagged !!str while `key`
// takes a number or a boolean: YAML reads "3" and !!str 8 as strings. Unknown keys and
// string, path and choice keys pass.
void reject_quoted_yaml_value(const YAML::Node& node, const std::string& key,
                              const std::string& where);

// Whether `node` is a scalar in quotes or tagged !!str, which YAML reads as a string even
// where it looks like a number ("3") or a boolean.
bool is_quoted_scalar(const YAML::Node& node);

// Throws ConfigError naming `file`, the line and both occurrences if the YAML map `map`
// repeats a key (YAML allows it and yaml-cpp keeps the last), or naming the line of a key
// that is a list or map. Callers may then read every key as a string. Keys are reported as
// `key_prefix` + key; `context`, if not empty, is appended as " in CONTEXT".
void reject_duplicate_keys(const YAML::Node& map, const std::string& file,
                           const std::string& key_prefix, const std::string& context = "");

enum class ParamType { kInt, kReal, kBool, kString, kChoice, kPath };

struct ParamSpec {
  std::string key;          // dotted path, e.g. "tile.t_meas_ns"
  ParamType type;
  std::string default_text;  // default in YAML scalar form
  double min = 0;            // inclusive lower bound (kInt, kReal)
  double max = 0;            // inclusive upper bound (kInt, kReal)
  bool min_exclusive = false;
  std::vector<std::string> choices;  // kChoice
  std::string description;   // one line that gives the unit
  std::string source;        // "paper", "later", "assumed" or "derived" for chip values
};

// One network layer of the functional simulation: a fully connected layer mapped to one
// tile. Config::topology() describes networks of every layer kind.
struct LayerSpec {
  int inputs = 0;   // without the bias line
  int outputs = 0;
  std::string activation;  // "sigmoid" or "softmax"
};

using ParamValue = std::variant<std::int64_t, double, bool, std::string>;

// Describes the values a key allows, as error messages and `rpusim list-parameters` print
// them, e.g. "a finite number in (0, 1]" or "one of tlm, rtl".
std::string describe_allowed(const ParamSpec& spec);

class Config {
 public:
  // Loads `path` with its includes and applies `overrides` ("key=value" each). `origins`, if
  // given, names where each override comes from in error messages ("--set key=value" if not).
  // Throws ConfigError on any invalid input.
  static Config load(const std::string& path, const std::vector<std::string>& overrides = {},
                     const std::vector<std::string>& origins = {});

  // Returns the configuration made of defaults only (for tests).
  static Config defaults();

  static const std::vector<ParamSpec>& schema();
  // Returns the schema entry of `key`, or nullptr for a key the schema does not have.
  static const ParamSpec* find_spec(const std::string& key);

  std::int64_t get_int(const std::string& key) const;
  double get_real(const std::string& key) const;  // also reads integer parameters
  bool get_bool(const std::string& key) const;
  const std::string& get_string(const std::string& key) const;  // kString, kChoice, kPath
  // The fully connected layers functional mode trains, or nothing if the topology has
  // layers of other kinds. Equivalent to topology() for a fully connected network.
  const std::vector<LayerSpec>& layers() const { return layers_; }
  // The network: from workload.topology (a NeuroSim or SCALE-Sim file) if set, else from
  // workload.layers, chained from workload.input_shape or workload.inputs.
  const Topology& topology() const { return topology_; }

  // Where a key's value came from: "file:line", "--set", or "default".
  const std::string& origin(const std::string& key) const;

  // The files the configuration was read from: the configuration files (the one named first,
  // then its includes as they were loaded) and the network file of workload.topology.
  std::vector<std::string> input_files() const;

  nlohmann::json to_json() const;
  // Returns a warning message ("origin: key = value is ignored: ...") for each key that a
  // file or the command line sets and the configured device model does not read, and for a
  // layer list that workload.topology replaces.
  std::vector<std::string> ignored_settings() const;
  // Returns the origin() of each key of to_json(), for the report. A "file:line" origin
  // shows which file of an include chain set the value.
  nlohmann::json origins_json() const;
  // Writes the resolved configuration as YAML with each parameter's description and origin
  // as a comment.
  std::string to_yaml() const;

  // Sets one value from text as `--set` would (tests and the sweep driver use it).
  // NOTE: the topology is built by load() and defaults(); setting a workload key later does
  // not rebuild it.
  void set(const std::string& key, const std::string& text, const std::string& origin = "--set");
  // The same, with a relative path resolved against `base_dir` instead of the working
  // directory. Text checks apply to the value as written, not to the resolved path.
  void set(const std::string& key, const std::string& text, const std::string& origin,
           const std::filesystem::path& base_dir);

 private:
  void apply_defaults();
  // Builds topology_ from its source and layers_ from topology_. Throws ConfigError, or
  // InputError for an invalid network file.
  void build_topology();
  void check_cross_constraints() const;
  void check_mesh_size() const;
  void check_functional_network() const;
  // Throws ConfigError if the functional tiles' arrays would need more than the physical
  // memory; `where` is the origin of the network.
  void check_functional_memory(const std::string& where) const;
  // Writes workload.layers and workload.input_shape for to_yaml().
  void write_workload_lists(std::ostream& out) const;

  std::map<std::string, ParamValue> values_;
  std::map<std::string, std::string> origins_;
  std::vector<TopologyLayer> layer_list_;  // workload.layers as written, shapes not chained
  std::string layers_origin_ = "default";
  InputShape input_shape_;  // channels == 0: workload.input_shape not given
  std::vector<std::string> config_files_;  // as loaded, the file named first at the front
  Topology topology_;
  std::vector<LayerSpec> layers_;
};

// Returns the machine's physical memory in bytes (sysconf), or 0 if it is unknown.
double physical_memory_bytes();

// Returns the schema key nearest to `key` by edit distance, or "" if none is close.
std::string nearest_key(const std::string& key);

// Returns whether `path` exists. Throws ConfigError "WHERE: cannot access: REASON" if the
// file system cannot tell (a loop of symbolic links, a name too long).
bool path_exists_or_throw(const std::filesystem::path& path, const std::string& where);

// Returns the directory that relative paths in `file` start from: the directory of the real
// file after symbolic links are resolved. A configuration or study reached through a link
// therefore finds its includes and data beside the real file.
std::filesystem::path directory_of_file(const std::filesystem::path& file);

// Returns a relative `text` resolved against `base_dir`, with symbolic links and "dir/.."
// resolved as the file system resolves them. An absolute `text` is returned as given.
std::string resolve_relative_path(const std::filesystem::path& base_dir, const std::string& text);

}  // namespace rpusim
