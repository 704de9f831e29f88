#include "tb/sweep.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include <boost/program_options/errors.hpp>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "models/common/config.hpp"
#include "models/common/error.hpp"
#include "models/common/input_file.hpp"
#include "models/common/random.hpp"
#include "models/common/report.hpp"
#include "models/common/text.hpp"
#include "models/timing/mapping.hpp"
#include "models/timing/timing_chip.hpp"
#include "tb/stop_signals.hpp"

extern char** environ;

namespace rpusim {
namespace fs = std::filesystem;

namespace {

// One key=value of a study, with where it comes from ("study.yaml:12" or "--set ...").
struct Setting {
  std::string assignment;  // key=value, a relative path resolved against the study file
  std::string origin;
  std::string written;     // key=value as the study or the command line gives it
};

struct Point {
  std::string id;
  std::string sweep;    // sweep or reference name
  std::string variant;
  std::string x_label;  // the swept value(s), e.g. "0.001" or "adc.bits=6 dac.bits=5"
  std::vector<std::string> overrides;  // key=value, in order of application
  std::vector<std::string> written_overrides;  // the same as written, for results.csv
  std::vector<std::string> origins;    // where each override comes from, for error messages
  std::string config_hash;    // of the fully resolved configuration
  std::string invalid_reason; // the configuration error, if the point cannot run
};

struct Study {
  std::string name;
  std::string base_config;  // absolute path
  std::vector<Setting> common;  // settings applied to every point
  std::vector<Point> points;
  // Sweep name and swept key ("" for a grid or a random sweep), in the study file's order.
  std::vector<std::pair<std::string, std::string>> sweep_keys;
  std::map<std::string, std::vector<std::string>> swept_keys;  // sweep name -> every swept key
  std::set<std::string> unplotted;                // random sweeps: no x axis to plot against
};

// The text of the study file that load_study is reading, so that `where` can place an empty
// value on the line of its key or list dash.
std::string_view g_study_text;

std::string where(const std::string& file, const YAML::Node& node) {
  return yaml_location(file, node, g_study_text);
}

// Returns the text of a single value. Otherwise throws a ConfigError that names `field_name`
// and reports that it has no value (followed by `hint`, if given) or what was found instead.
std::string scalar_text(const YAML::Node& node, const std::string& file,
                        const std::string& field_name, const std::string& hint = "") {
  if (node.IsNull()) {
    throw ConfigError(where(file, node) + ": " + field_name + " has no value" +
                      (hint.empty() ? "" : ": " + hint));
  }
  if (!node.IsScalar()) {
    throw ConfigError(where(file, node) + ": " + field_name + " must be a single value, not " +
                      (node.IsSequence() ? "a list" : "a map"));
  }
  return node.as<std::string>();
}

// Throws if `node`, a value of `key`, is quoted or tagged !!str where `key` takes a number
// or a boolean, as configuration files do (a --set value has no quotes to check).
void reject_quoted_value(const YAML::Node& node, const std::string& key, const std::string& file) {
  reject_quoted_yaml_value(node, key, where(file, node));
}

// Returns `value` for `key` as the study file sets it: a relative path of a path key is
// relative to the study file, as in configuration files.
std::string study_value(const std::string& key, const std::string& value, const std::string& file) {
  const ParamSpec* spec = Config::find_spec(key);
  if (spec != nullptr && spec->type == ParamType::kPath && !value.empty() &&
      fs::path(value).is_relative()) {
    return resolve_relative_path(directory_of_file(file), value);
  }
  return value;
}

// Reads a map of key: value into settings, in file order.
std::vector<Setting> read_settings(const YAML::Node& node, const std::string& file,
                                   const std::string& field_name) {
  std::vector<Setting> settings;
  if (!node || node.IsNull()) return settings;  // an empty set: sets nothing
  if (!node.IsMap()) throw ConfigError(where(file, node) + ": " + field_name + " must be a map of key: value");
  reject_duplicate_keys(node, file, "", field_name);
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    const ParamSpec* spec = Config::find_spec(key);
    const std::string value = scalar_text(item.second, file, field_name + "." + key,
                                          spec != nullptr ? "give " + describe_allowed(*spec) : "");
    reject_quoted_value(item.second, key, file);
    settings.push_back(
        {key + "=" + study_value(key, value, file), where(file, item.first), key + "=" + value});
  }
  return settings;
}

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  }
  return out;
}

// Throws unless `node` is a map whose fields are all in `allowed`, each given once (YAML
// allows a repeated key, and yaml-cpp would keep only one of its values).
void check_fields(const YAML::Node& node, const std::string& file, const std::string& field_name,
                  const std::set<std::string>& allowed) {
  if (!node.IsMap()) {
    const std::string found = node.IsSequence() ? "a list"
                              : node.IsNull()
                                  ? "an empty entry"
                                  : "the single value '" + escaped_text(node.Scalar()) + "'";
    throw ConfigError(where(file, node) + ": " + field_name + " must be a map of {" +
                      join(allowed) + "}, not " + found);
  }
  reject_duplicate_keys(node, file, "", field_name);
  for (const auto& item : node) {
    const std::string field = scalar_text(item.first, file, "a field name");
    if (!allowed.count(field)) {
      throw ConfigError(where(file, item.first) + ": unknown field '" + field + "' in " +
                        field_name + "; allowed: " + join(allowed));
    }
  }
}

// Reads the name of a reference, sweep or variant (`kind`). It is part of the ids of its
// points (and a sweep's plot files are named after it), so it may not be empty.
std::string read_name(const YAML::Node& entry, const std::string& file, const std::string& kind) {
  if (!entry["name"]) throw ConfigError(where(file, entry) + ": a " + kind + " needs a name");
  const YAML::Node node = entry["name"];
  const std::string name = node.IsNull() ? "" : scalar_text(node, file, kind + " name");
  if (name.find_first_not_of(" \t") == std::string::npos) {
    throw ConfigError(where(file, node) + ": a " + kind + " name must not be " +
                      (name.empty() ? "empty" : "blank ('" + name + "')") +
                      ": it is part of the ids of its points");
  }
  return name;
}

struct Variant {
  std::string name;
  std::vector<Setting> settings;
};

std::vector<Variant> read_variants(const YAML::Node& node, const std::string& file) {
  if (!node) return {{"default", {}}};
  if (!node.IsSequence() || node.size() == 0) {
    throw ConfigError(where(file, node) + ": variants must be a non-empty list of {name, set}");
  }
  std::vector<Variant> variants;
  for (const YAML::Node& entry : node) {
    check_fields(entry, file, "a variant", {"name", "set"});
    const std::string name = read_name(entry, file, "variant");
    for (const Variant& earlier : variants) {
      if (earlier.name == name) {
        throw ConfigError(where(file, entry) + ": variant name '" + name + "' is used twice");
      }
    }
    variants.push_back({name, read_settings(entry["set"], file, "variant set")});
  }
  return variants;
}

// Returns the identity of a value: a number's value (so 0.001, 1e-3 and 0.0010 are one
// value), or else the text.
std::string value_identity(const std::string& text) {
  const std::optional<double> value = parse_decimal_number(text);
  if (!value) return text;
  std::ostringstream identity;
  identity << std::setprecision(17) << *value;
  return identity.str();
}

// Returns the values of a sweep axis over `key`, rejecting duplicates (they would be the
// same point).
std::vector<std::string> read_values(const YAML::Node& list, const std::string& key,
                                     const std::string& file, const std::string& sweep) {
  std::vector<std::string> values;
  std::map<std::string, std::string> seen;  // value identity to the first text that had it
  for (const YAML::Node& value : list) {
    const std::string text = scalar_text(value, file, "a swept value",
                                         "give a value of " + key + " or remove the entry");
    reject_quoted_value(value, key, file);
    const auto [earlier, added] = seen.emplace(value_identity(text), text);
    if (!added) {
      const std::string same =
          earlier->second == text ? "" : " (the same as " + earlier->second + ")";
      throw ConfigError(where(file, value) + ": sweep '" + sweep + "' lists the value " + text +
                        same + " twice");
    }
    values.push_back(text);
  }
  return values;
}

// Returns the text of a number or boolean field of a random sweep. Throws if it is quoted or
// tagged !!str, which YAML reads as a string, as configuration files do for such keys.
std::string unquoted_scalar_text(const YAML::Node& node, const std::string& file,
                                 const std::string& field_name, const std::string& allowed) {
  const std::string text = scalar_text(node, file, field_name, "give " + allowed);
  if (is_quoted_scalar(node)) {
    throw ConfigError(where(file, node) + ": " + field_name + " = '" + escaped_text(text) +
                      "' is invalid: a quoted or !!str string; write the value without quotes");
  }
  return text;
}

// Parses a number of a random sweep's range, or throws naming the field.
double range_number(const YAML::Node& node, const std::string& file, const std::string& field_name) {
  const std::string text = unquoted_scalar_text(node, file, field_name, "a finite decimal number");
  const std::optional<double> value = parse_decimal_number(text);
  if (!value) {
    throw ConfigError(where(file, node) + ": " + field_name + " = '" + escaped_text(text) +
                      "' is invalid: must be a finite decimal number");
  }
  return *value;
}

// Returns the value of an optional boolean field of a random sweep, false if absent. Throws
// ConfigError unless it is written true or false.
bool range_flag(const YAML::Node& node, const std::string& file, const std::string& field_name) {
  if (!node) return false;
  const std::string text = unquoted_scalar_text(node, file, field_name, "true or false");
  if (text != "true" && text != "false") {
    throw ConfigError(where(file, node) + ": " + field_name + " = '" + escaped_text(text) +
                      "' is invalid: must be true or false");
  }
  return text == "true";
}

// Returns the value of a whole-number field of a random sweep. Throws ConfigError unless it
// is written in decimal digits (no sign, point or exponent) and lies in [min, max].
std::uint64_t range_integer(const YAML::Node& node, const std::string& file,
                            const std::string& field_name, std::uint64_t min, std::uint64_t max) {
  const std::string text = unquoted_scalar_text(
      node, file, field_name,
      "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  errno = 0;
  const std::uint64_t value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE || value < min || value > max) {
    throw ConfigError(where(file, node) + ": " + field_name + " = '" + escaped_text(text) +
                      "' is invalid: must be an integer in [" + std::to_string(min) + ", " +
                      std::to_string(max) + "]");
  }
  return value;
}

// Throws unless `values` is a non-empty list. `field` names it in the message ("values", or
// "grid entry adc.bits").
void check_value_list(const YAML::Node& values, const std::string& field, const std::string& file,
                      const std::string& sweep) {
  if (values.IsSequence() && values.size() > 0) return;
  const std::string found = values.IsSequence() ? "an empty list"
                            : values.IsMap()    ? "a map"
                            : values.IsNull()
                                ? "an empty value"
                                : "the single value '" + escaped_text(values.Scalar()) + "'";
  throw ConfigError(where(file, values) + ": sweep '" + sweep + "': " + field +
                    " must be a non-empty list such as [1, 2, 3], not " + found);
}

// The axes of a sweep: each swept key with its values, one per point of the axis.
using SweepAxes = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Throws ConfigError if a random sweep's range [min, max] cannot give valid values of `key`,
// because the key is not numeric, an integer key lacks integer: true, or the range leaves the
// key's limits. An unknown key is left to the points, whose errors suggest the nearest key.
void check_range_against_key(double min, double max, bool integer, const std::string& key,
                             const std::string& location) {
  const ParamSpec* spec = Config::find_spec(key);
  if (spec == nullptr) return;
  if (spec->type != ParamType::kInt && spec->type != ParamType::kReal) {
    throw ConfigError(location + ": range of " + key +
                      " is invalid: random ranges need a numeric key, and " + key + " is not");
  }
  if (spec->type == ParamType::kInt && !integer) {
    throw ConfigError(location + ": range of " + key + " is invalid: " + key +
                      " takes integers, so the range needs integer: true");
  }
  const bool below = spec->min_exclusive ? min <= spec->min : min < spec->min;
  if (below || max > spec->max) {
    std::ostringstream range;
    range << "[" << min << ", " << max << "]";
    throw ConfigError(location + ": range of " + key + " = " + range.str() +
                      " is invalid: must lie within the values of " + key + ", " +
                      describe_allowed(*spec));
  }
}

// Draws the points of a random sweep:
//   random: {count: N, seed: S, ranges: {KEY: {min: A, max: B, log: false, integer: false}}}
// Each point draws every key independently, uniformly in [min, max] (log-uniformly with
// log: true; rounded with integer: true). Repeated points are drawn again, so the points are
// distinct; a range too small for `count` distinct points is an error. Returns one axis per
// key, with the points' values in order.
SweepAxes draw_random_points(const YAML::Node& node, const std::string& file,
                             const std::string& sweep) {
  if (!node.IsMap()) throw ConfigError(where(file, node) + ": random must be a map {count, seed, ranges}");
  check_fields(node, file, "random", {"count", "seed", "ranges"});
  if (!node["count"] || !node["ranges"]) {
    throw ConfigError(where(file, node) + ": sweep '" + sweep + "': random needs count and ranges");
  }
  const auto count =
      static_cast<std::size_t>(range_integer(node["count"], file, "random.count", 1, 100000));
  const std::uint64_t seed = node["seed"] ? range_integer(node["seed"], file, "random.seed", 0,
                                                          std::numeric_limits<std::uint64_t>::max())
                                          : 1;

  struct Range {
    std::string key;
    double min, max;
    bool log, integer;
  };
  std::vector<Range> ranges;
  const YAML::Node& range_nodes = node["ranges"];
  if (!range_nodes.IsMap() || range_nodes.size() == 0) {
    throw ConfigError(where(file, range_nodes) + ": random.ranges must map keys to {min, max}");
  }
  reject_duplicate_keys(range_nodes, file, "", "random.ranges");
  for (const auto& item : range_nodes) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& range = item.second;
    if (!range.IsMap()) throw ConfigError(where(file, range) + ": range of " + key + " must be a map");
    check_fields(range, file, "a range", {"min", "max", "log", "integer"});
    if (!range["min"] || !range["max"]) {
      throw ConfigError(where(file, range) + ": range of " + key + " needs min and max");
    }
    Range parsed{key, range_number(range["min"], file, key + ".min"),
                 range_number(range["max"], file, key + ".max"),
                 range_flag(range["log"], file, key + ".log"),
                 range_flag(range["integer"], file, key + ".integer")};
    if (!(parsed.min <= parsed.max) || (parsed.log && parsed.min <= 0)) {
      throw ConfigError(where(file, range) + ": range of " + key +
                        " must have min <= max, and min > 0 with log: true");
    }
    check_range_against_key(parsed.min, parsed.max, parsed.integer, key, where(file, range));
    ranges.push_back(parsed);
  }

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  SweepAxes axes;
  for (const Range& range : ranges) axes.emplace_back(range.key, std::vector<std::string>{});
  std::set<std::vector<std::string>> seen;
  for (std::size_t attempts = 0; seen.size() < count; ++attempts) {
    if (attempts >= 100 * count) {
      throw ConfigError(where(file, node) + ": sweep '" + sweep + "': the ranges do not hold " +
                        std::to_string(count) + " distinct points");
    }
    std::vector<std::string> texts;
    for (const Range& range : ranges) {
      const double u = unit(rng);
      double value = range.log ? range.min * std::pow(range.max / range.min, u)
                               : range.min + u * (range.max - range.min);
      std::ostringstream text;
      if (range.integer) {
        text << std::llround(value);
      } else {
        text << std::setprecision(6) << value;
      }
      texts.push_back(text.str());
    }
    if (!seen.insert(texts).second) continue;
    for (std::size_t k = 0; k < ranges.size(); ++k) axes[k].second.push_back(texts[k]);
  }
  return axes;
}

// Resolves each point's configuration as its run will. A point whose configuration is
// invalid is marked with the reason and not started. The others get the hash of their
// resolved configuration, so a rerun reuses a report only if nothing that the run reads
// from the configuration files or the command line has changed.
void resolve_points(std::vector<Point>& points, const std::string& base_config) {
  // Each point reads the configuration files again (about 2.5 ms per point measured on the
  // 2-core Xeon of docs/performance.md), so a large study prints why nothing else appears.
  constexpr std::size_t kPointsWorthANote = 2000;
  if (points.size() >= kPointsWorthANote) {
    std::cerr << "rpusim sweep: resolving the configurations of " << points.size()
              << " points (about 2.5 ms each)\n";
  }
  for (Point& point : points) {
    try {
      const Config config = Config::load(base_config, point.overrides, point.origins);
      for (const std::string& message : config.ignored_settings()) {
        std::cerr << "rpusim sweep: warning: " << point.id << ": " << message << '\n';
      }
      // A timing point whose network needs more tiles than chip.tiles is invalid, with the
      // message its run would give.
      if (config.get_string("run.mode") == "timing") {
        map_topology(config.topology(), mapping_params(config));
      }
      std::ostringstream hash;
      hash << std::hex << std::setw(16) << std::setfill('0')
           << stable_hash(config.to_json().dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace));
      point.config_hash = hash.str();
    } catch (const ConfigError& error) {
      point.invalid_reason = error.what();
    } catch (const InputError& error) {
      // If the point's network file is missing or malformed, only this point is invalid.
      point.invalid_reason = error.what();
    }
  }
}

// Reads the axes of a linked sweep: `keys` (two or more) and one list of values per point,
// e.g. keys [device.w_max, device.w_min] with values [[0.3, -0.3], [0.6, -0.6]].
SweepAxes read_linked_axes(const YAML::Node& sweep, const std::string& path,
                           const std::string& name) {
  SweepAxes axes;
  const YAML::Node keys = sweep["keys"];
  const YAML::Node values = sweep["values"];
  if (!keys.IsSequence() || keys.size() < 2) {
    throw ConfigError(where(path, keys) + ": sweep '" + name +
                      "': keys must be a list of two or more keys (one key takes 'key')");
  }
  if (!values) {
    throw ConfigError(where(path, sweep) + ": sweep '" + name + "' has keys but no values");
  }
  check_value_list(values, "values", path, name);
  std::vector<std::string> key_names;
  for (const YAML::Node& key : keys) {
    key_names.push_back(scalar_text(key, path, "a key"));
    if (std::find(key_names.begin(), key_names.end() - 1, key_names.back()) !=
        key_names.end() - 1) {
      throw ConfigError(where(path, key) + ": sweep '" + name + "' lists the key " +
                        key_names.back() + " twice in keys");
    }
  }
  for (const std::string& key : key_names) axes.emplace_back(key, std::vector<std::string>{});
  std::set<std::vector<std::string>> seen;
  for (const YAML::Node& tuple : values) {
    if (!tuple.IsSequence() || tuple.size() != key_names.size()) {
      const std::string found = tuple.IsSequence() ? "a list of " + std::to_string(tuple.size())
                                                   : std::string("a single value");
      throw ConfigError(where(path, tuple) + ": sweep '" + name + "': each value must list " +
                        std::to_string(key_names.size()) + " values, one per key (" +
                        join(key_names) + "), not " + found);
    }
    std::vector<std::string> texts;
    std::vector<std::string> identities;
    for (std::size_t k = 0; k < key_names.size(); ++k) {
      texts.push_back(scalar_text(tuple[k], path, "a value"));
      reject_quoted_value(tuple[k], key_names[k], path);
      identities.push_back(value_identity(texts.back()));
    }
    if (!seen.insert(identities).second) {
      throw ConfigError(where(path, tuple) + ": sweep '" + name + "' lists the value [" +
                        join(texts) + "] twice");
    }
    for (std::size_t k = 0; k < key_names.size(); ++k) axes[k].second.push_back(texts[k]);
  }
  return axes;
}

// Points one study may hold. Each point is a process and a report, and the study keeps its
// resolved configuration, so a grid of millions would exhaust memory before it ran.
constexpr double kMaxStudyPoints = 100000;
// A study file is a few kilobytes; the limit turns /dev/zero or an endless pipe into an error.
constexpr std::uint64_t kMaxStudyFileBytes = std::uint64_t{16} << 20;

Study load_study(const std::string& path, const std::vector<std::string>& command_line) {
  if (path.empty()) throw ConfigError("the study file name is empty");
  if (!path_exists_or_throw(path, path)) throw ConfigError(path + ": study file not found");
  if (fs::is_directory(path)) throw ConfigError(path + ": is a directory, not a study file");
  std::string text;
  try {
    text = read_text_file(path, kMaxStudyFileBytes, "study files");
  } catch (const InputError& error) {
    throw ConfigError(error.what());
  }
  const YAML::Node root = parse_yaml(text, path);
  // Cleared on every way out, so that no later message reads the text once it is gone.
  struct StudyTextScope {
    explicit StudyTextScope(std::string_view study_text) { g_study_text = study_text; }
    ~StudyTextScope() { g_study_text = {}; }
    StudyTextScope(const StudyTextScope&) = delete;
    StudyTextScope& operator=(const StudyTextScope&) = delete;
  } study_text_scope(text);
  if (!root.IsMap()) throw ConfigError(path + ": a study file has one top-level map 'study'");
  // A field outside `study` (often a sweeps: list indented one level too little) would be
  // dropped without a word.
  check_fields(root, path, "the study file's top level", {"study"});
  const YAML::Node study_node = root["study"];
  if (!study_node || !study_node.IsMap()) {
    throw ConfigError(path + ": a study file has one top-level map 'study'");
  }
  check_fields(study_node, path, "study", {"name", "base", "set", "references", "sweeps"});
  Study study;
  // A file name may contain any byte; the name goes into messages, plots and the table.
  study.name = study_node["name"] ? scalar_text(study_node["name"], path, "study.name")
                                  : escaped_text(fs::path(path).stem().string());
  if (study_node["name"] && study.name.find_first_not_of(" \t") == std::string::npos) {
    throw ConfigError(where(path, study_node["name"]) + ": study.name = '" + study.name +
                      "' is invalid: it names the study in messages and plots, so it may not be "
                      "empty or blank; leave it out to use the file's name");
  }
  if (!study_node["base"]) throw ConfigError(where(path, study_node) + ": study.base is missing");
  const std::string base = scalar_text(study_node["base"], path, "study.base",
                                       "give the path of the base configuration file");
  if (base.empty()) {
    throw ConfigError(where(path, study_node["base"]) +
                      ": study.base is empty: give the path of the base configuration file");
  }
  study.base_config = resolve_relative_path(directory_of_file(path), base);
  path_exists_or_throw(study.base_config,
                       where(path, study_node["base"]) + ": study.base " + study.base_config);
  if (fs::is_directory(study.base_config)) {
    throw ConfigError(where(path, study_node["base"]) + ": study.base " + study.base_config +
                      " is a directory, not a configuration file");
  }
  if (!fs::is_regular_file(study.base_config)) {
    throw ConfigError(where(path, study_node["base"]) + ": study.base " + study.base_config +
                      " not found (it is relative to the study file)");
  }
  {
    // A study file as the base would make every point fail on the key 'study.name'.
    YAML::Node base;
    try {
      base = YAML::LoadFile(study.base_config);
    } catch (const YAML::Exception&) {
      // The points report the base's YAML error with its line.
    }
    if (base.IsMap() && base["study"]) {
      throw ConfigError(where(path, study_node["base"]) + ": study.base " + study.base_config +
                        " is a study file, not a configuration file");
    }
  }
  study.common = read_settings(study_node["set"], path, "study.set");

  // A point's settings apply in this order, later ones winning: the study's `set`, the
  // sweep's or reference's own, the swept value, and last the command line's --set.
  auto add_point = [&study, &command_line](std::string sweep, std::string variant,
                                           std::string x_label, std::vector<Setting> settings) {
    Point point;
    point.sweep = std::move(sweep);
    point.variant = std::move(variant);
    point.x_label = std::move(x_label);
    settings.insert(settings.begin(), study.common.begin(), study.common.end());
    for (const std::string& setting : command_line) {
      settings.push_back({setting, "--set " + setting, setting});
    }
    for (const Setting& setting : settings) {
      point.overrides.push_back(setting.assignment);
      point.origins.push_back(setting.origin);
      point.written_overrides.push_back(setting.written);
    }
    std::ostringstream id;
    id << 'p' << std::setw(4) << std::setfill('0') << study.points.size() << '-'
       << slug(point.variant == "reference" ? point.sweep
                                            : point.sweep + "-" + point.variant + "-" + point.x_label);
    point.id = id.str();
    study.points.push_back(std::move(point));
  };
  std::set<std::string> names;
  std::map<std::string, std::string> plot_names;  // slug(sweep name) -> sweep name
  auto claim_name = [&names, &path](const std::string& name, const YAML::Node& node) {
    if (!names.insert(name).second) {
      throw ConfigError(where(path, node) + ": the name '" + name +
                        "' is used twice; references and sweeps need distinct names");
    }
  };

  if (const YAML::Node references = study_node["references"]) {
    if (!references.IsSequence()) throw ConfigError(where(path, references) + ": references must be a list");
    for (const YAML::Node& entry : references) {
      check_fields(entry, path, "a reference", {"name", "set"});
      const std::string name = read_name(entry, path, "reference");
      claim_name(name, entry);
      add_point(name, "reference", name, read_settings(entry["set"], path, "reference set"));
    }
  }

  const YAML::Node sweeps = study_node["sweeps"];
  if (sweeps && !sweeps.IsSequence()) throw ConfigError(where(path, sweeps) + ": sweeps must be a list");
  for (const YAML::Node& sweep : sweeps ? sweeps : YAML::Node(YAML::NodeType::Sequence)) {
    check_fields(sweep, path, "a sweep",
                 {"name", "key", "keys", "values", "grid", "random", "variants", "set"});
    const std::string name = read_name(sweep, path, "sweep");
    claim_name(name, sweep);
    // A sweep's plot files are named after slug(name), beside the Pareto plot's pareto.*.
    const std::string file_name = slug(name);
    if (file_name == "pareto") {
      throw ConfigError(where(path, sweep) + ": sweep name '" + name +
                        "' is invalid: its plot files would replace those of the Pareto plot "
                        "(plots/pareto.*); choose another name");
    }
    if (const auto [other, inserted] = plot_names.emplace(file_name, name); !inserted) {
      throw ConfigError(where(path, sweep) + ": sweep names '" + other->second + "' and '" + name +
                        "' both give the plot file name '" + file_name +
                        "' (characters other than letters, digits, '.' and '-' become '_'); "
                        "rename one");
    }
    const std::vector<Variant> variants = read_variants(sweep["variants"], path);
    const std::vector<Setting> sweep_settings = read_settings(sweep["set"], path, "sweep set");
    // The file and line of each axis's values, so that an error in a swept value names that
    // line. That is a grid entry's own line, or the values (the random ranges) of other
    // sweeps. An unknown key's error names the line of the key instead.
    std::vector<std::string> axis_origins;
    const auto value_or_key_line = [&path](const std::string& key, const YAML::Node& values,
                                           const YAML::Node& key_node) {
      return where(path, Config::find_spec(key) != nullptr ? values : key_node);
    };

    // A one-parameter sweep (key + values), a linked sweep (keys + one list of values per
    // point, e.g. keys [device.w_max, device.w_min] with values [[0.3, -0.3], ...]), or a grid
    // (the cartesian product of key: [values]).
    SweepAxes axes;
    const bool random = static_cast<bool>(sweep["random"]);
    if (random) {
      if (sweep["key"] || sweep["keys"] || sweep["values"] || sweep["grid"]) {
        throw ConfigError(where(path, sweep) + ": sweep '" + name +
                          "' mixes random with key, keys, values or grid");
      }
      axes = draw_random_points(sweep["random"], path, name);
      axis_origins.assign(axes.size(), where(path, sweep["random"]["ranges"]));
      study.sweep_keys.emplace_back(name, "");
      study.unplotted.insert(name);
    } else if (sweep["keys"]) {
      if (sweep["key"] || sweep["grid"]) {
        throw ConfigError(where(path, sweep) + ": sweep '" + name + "' mixes keys with key or grid");
      }
      axes = read_linked_axes(sweep, path, name);
      for (const auto& axis : axes) {
        axis_origins.push_back(value_or_key_line(axis.first, sweep["values"], sweep["keys"]));
      }
      const std::string first_key = axes.front().first;
      study.sweep_keys.emplace_back(name, first_key);
    } else if (sweep["key"] || sweep["values"]) {
      if (sweep["grid"]) throw ConfigError(where(path, sweep) + ": sweep '" + name + "' has both key/values and grid");
      if (!sweep["key"] || !sweep["values"]) {
        throw ConfigError(where(path, sweep) + ": sweep '" + name + "' has " +
                          (sweep["key"] ? "a key but no values" : "values but no key") +
                          "; a one-key sweep needs both");
      }
      check_value_list(sweep["values"], "values", path, name);
      const std::string key = scalar_text(sweep["key"], path, "sweep '" + name + "': key",
                                          "give a configuration key such as adc.bits");
      axes.emplace_back(key, read_values(sweep["values"], key, path, name));
      axis_origins.push_back(value_or_key_line(key, sweep["values"], sweep["key"]));
      study.sweep_keys.emplace_back(name, axes.front().first);
    } else if (sweep["grid"] && sweep["grid"].IsMap() && sweep["grid"].size() > 0) {
      // A repeated key would leave only its last values, and the grid would repeat points.
      reject_duplicate_keys(sweep["grid"], path, "", "the grid of sweep '" + name + "'");
      for (const auto& item : sweep["grid"]) {
        const std::string key = item.first.as<std::string>();
        check_value_list(item.second, "grid entry " + key, path, name);
        axes.emplace_back(key, read_values(item.second, key, path, name));
        axis_origins.push_back(where(path, item.first));
      }
      study.sweep_keys.emplace_back(name, "");
    } else if (sweep["grid"]) {
      const YAML::Node grid = sweep["grid"];
      const std::string found = grid.IsNull()       ? "an empty value"
                                : grid.IsSequence() ? "a list"
                                : grid.IsMap()
                                    ? "an empty map"
                                    : "the single value '" + escaped_text(grid.Scalar()) + "'";
      throw ConfigError(where(path, grid) + ": sweep '" + name +
                        "': grid must be a map of key: [values], such as {adc.bits: [6, 8]}, not " +
                        found);
    } else {
      throw ConfigError(where(path, sweep) + ": sweep '" + name + "' needs key and values, or a grid map");
    }

    for (const auto& axis : axes) study.swept_keys[name].push_back(axis.first);

    // A linked sweep moves all its axes together; a grid counts through them like digits.
    const bool linked = sweep["keys"] || random;
    double sweep_points = static_cast<double>(variants.size());
    if (linked) {
      sweep_points *= static_cast<double>(axes.front().second.size());
    } else {
      for (const auto& axis : axes) sweep_points *= static_cast<double>(axis.second.size());
    }
    if (static_cast<double>(study.points.size()) + sweep_points > kMaxStudyPoints) {
      std::ostringstream count;
      count << std::setprecision(6) << sweep_points;
      throw ConfigError(where(path, sweep) + ": sweep '" + name + "' has " + count.str() +
                        " points (values x variants), which takes the study past its limit of " +
                        std::to_string(static_cast<long>(kMaxStudyPoints)) +
                        " points; split it into several studies");
    }
    std::vector<std::size_t> digit(axes.size(), 0);
    for (;;) {
      std::vector<Setting> settings;
      std::string label;
      for (std::size_t a = 0; a < axes.size(); ++a) {
        // The label keeps the value as written; the setting resolves a relative path.
        const std::string& written = axes[a].second[digit[a]];
        settings.push_back({axes[a].first + "=" + study_value(axes[a].first, written, path),
                            axis_origins[a] + " (sweep '" + name + "')",
                            axes[a].first + "=" + written});
        if (axes.size() == 1 || (linked && !random && a == 0)) {
          label = written;
        } else if (!linked || random) {
          label += (label.empty() ? "" : " ") + axes[a].first + "=" + written;
        }
      }
      for (const Variant& variant : variants) {
        std::vector<Setting> overrides = sweep_settings;
        overrides.insert(overrides.end(), variant.settings.begin(), variant.settings.end());
        overrides.insert(overrides.end(), settings.begin(), settings.end());
        add_point(name, variant.name, label, overrides);
      }
      if (linked) {
        for (std::size_t& position : digit) ++position;
        if (digit.front() == axes.front().second.size()) break;
        continue;
      }
      std::size_t a = 0;
      while (a < axes.size() && ++digit[a] == axes[a].second.size()) digit[a++] = 0;
      if (a == axes.size()) break;
    }
  }
  if (study.points.empty()) throw ConfigError(path + ": the study defines no points (no references or sweeps)");
  resolve_points(study.points, study.base_config);
  return study;
}

std::atomic<bool> g_interrupted{false};
void on_interrupt(int) { g_interrupted.store(true); }

// Returns the JSON report at `path`, or nothing if there is none or it is not JSON. In the
// second case `error`, if given, gets the parser's message.
std::optional<nlohmann::json> read_report(const fs::path& path, std::string* error = nullptr) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& parse_error) {
    if (error != nullptr) *error = parse_error.what();
    return std::nullopt;
  }
}

// Returns the first figure of a point report that the table needs and that is missing or
// not a number ("" if there is none). The test error may be null (timing-only runs).
std::string missing_report_figure(const nlohmann::json& report) {
  for (const char* key :
       {"/timing/per_sample_s", "/energy/per_sample_j", "/power/average_w",
        "/efficiency/gops_per_s_per_w", "/area/total_mm2", "/timing/wall_time_s"}) {
    const nlohmann::json::json_pointer pointer(key);
    if (!report.contains(pointer) || !report.at(pointer).is_number()) return key;
  }
  const nlohmann::json::json_pointer error("/accuracy/test_error");
  if (!report.contains(error) || !(report.at(error).is_number() || report.at(error).is_null())) {
    return "/accuracy/test_error";
  }
  return "";
}

// The message of a point that shares the run of point `ran_id`, with `detail` if any.
std::string shared_run_message(const std::string& ran_id, const std::string& detail) {
  return "the run of " + ran_id + ", which has the same configuration" +
         (detail.empty() ? "" : ": " + detail);
}

// Returns whether the report at `report_path` is a complete one of `config_hash`. A copy
// counts only while the point it names (`sweep.same_as`) still has that configuration in
// `hashes` (point id -> configuration hash), so that its message and log stay true.
bool report_complete(const fs::path& report_path, const std::string& config_hash,
                     const std::map<std::string, std::string>& hashes) {
  const std::optional<nlohmann::json> report = read_report(report_path);
  // A report without its figures is run again rather than listed as a failure forever.
  if (!report || !report->is_object() || !missing_report_figure(*report).empty() ||
      report->value("status", "") != "complete" ||
      report->value("/sweep/config_hash"_json_pointer, std::string()) != config_hash) {
    return false;
  }
  const std::string same_as = report->value("/sweep/same_as"_json_pointer, std::string());
  if (same_as.empty()) return true;
  const auto source = hashes.find(same_as);
  return source != hashes.end() && source->second == config_hash;
}

pid_t spawn_point(const SweepOptions& options, const Study& study, const Point& point,
                  const fs::path& points_dir) {
  std::vector<std::string> arguments = {options.rpusim_path, "run", "--config", study.base_config,
                                        "--quiet", "--report",
                                        (points_dir / (point.id + ".json")).string(),
                                        "--sweep-point", point.config_hash};
  for (std::size_t k = 0; k < point.overrides.size(); ++k) {
    arguments.push_back("--set");
    arguments.push_back(point.overrides[k]);
    // The point's messages, warnings and config_origins then name the study line.
    arguments.push_back("--set-origin");
    arguments.push_back(point.origins[k]);
  }
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);

  const std::string log = (points_dir / (point.id + ".log")).string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error("cannot start " + options.rpusim_path + ": " + std::strerror(error));
  }
  return pid;
}

std::string last_line(const fs::path& log) {
  std::ifstream in(log);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  if (last.empty()) return "no message: the point's log " + log.string() + " is empty or missing";
  return last;
}

// An exclusive lock on DIR/sweep.lock for the object's lifetime. One sweep at a time may
// write to an output directory: two would run every point twice and replace each other's
// reports. The kernel releases the lock when the process ends, however it ends, and the
// descriptor is not inherited by the point processes.
class DirectoryLock {
 public:
  DirectoryLock(const fs::path& directory, const std::string& option_value) {
    const fs::path path = directory / "sweep.lock";
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
      throw boost::program_options::error("--out " + option_value + ": cannot create " +
                                          path.string() + ": " + std::strerror(errno));
    }
    if (flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
      const int lock_errno = errno;
      ::close(m_fd);
      if (lock_errno == EWOULDBLOCK) {
        throw boost::program_options::error(
            "--out " + option_value + ": another rpusim sweep is writing to this directory (" +
            path.string() + " is locked); wait for it to finish or give another --out");
      }
      throw boost::program_options::error("--out " + option_value + ": cannot lock " +
                                          path.string() + ": " + std::strerror(lock_errno));
    }
  }
  ~DirectoryLock() { ::close(m_fd); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int m_fd = -1;
};

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Returns `value` for a CSV field, or an empty field for a figure the point does not have.
std::string number(double value) {
  if (std::isnan(value)) return "";
  std::ostringstream out;
  out << std::setprecision(9) << value;
  return out.str();
}

struct PointResult {
  std::string status = "not run";
  std::string message;
  double test_error = NAN;
  double time_per_sample_s = NAN;
  double energy_per_sample_j = NAN;
  double average_power_w = NAN;
  double gops_per_s_per_w = NAN;
  double area_mm2 = NAN;
  double wall_time_s = NAN;
  // False for a timing-only point whose report flags its steady state as not converged:
  // its per-sample figures may be far from the long-run ones.
  bool converged = true;
  // The id of the point whose report this one copies (`sweep.same_as`), because both have
  // the same configuration; empty for a point that ran.
  std::string copy_of;
};

// Exit codes of a point whose process was stopped by SIGINT (128 + 2) or SIGTERM (128 + 15).
constexpr int kInterruptedExit = 130;
constexpr int kTerminatedExit = 143;

bool interrupted_exit(int exit_code) {
  return exit_code == kInterruptedExit || exit_code == kTerminatedExit;
}

// A point whose figures the plots and the Pareto front use: complete and, in timing mode,
// with a converged steady state.
bool usable_result(const PointResult& result) {
  return result.status == "complete" && result.converged;
}

constexpr const char* kNotConverged =
    "steady state not converged, so the per-sample figures may be far from the long-run "
    "ones; simulate more samples (timing.samples)";

PointResult read_result(const fs::path& points_dir, const Point& point, int exit_code) {
  PointResult result;
  if (!point.invalid_reason.empty()) {
    result.status = "invalid";
    result.message = point.invalid_reason;
    return result;
  }
  const fs::path report_path = points_dir / (point.id + ".json");
  std::ifstream in(report_path);
  if (in) {
    try {
      const nlohmann::json report = nlohmann::json::parse(in);
      if (!report.is_object()) {
        result.status = "failed";
        result.message = report_path.string() + ": unreadable report: not a JSON object";
        return result;
      }
      if (report.value("/sweep/config_hash"_json_pointer, std::string()) != point.config_hash) {
        result.status = "failed";
        result.message = report_path.string() + " is from another configuration of this point";
        return result;
      }
      if (const std::string missing = missing_report_figure(report); !missing.empty()) {
        result.status = "failed";
        result.message =
            report_path.string() + ": unreadable report: " + missing +
            " is missing or not a number; the next run of the study runs the point again";
        return result;
      }
      result.status = report.value("status", "unknown");
      if (report.contains("partial_reason")) result.message = report["partial_reason"];
      result.converged = report.value("/pipeline/steady_state_converged"_json_pointer, true);
      if (!result.converged) {
        result.message += (result.message.empty() ? "" : "; ") + std::string(kNotConverged);
      }
      const std::string same_as = report.value("/sweep/same_as"_json_pointer, std::string());
      result.copy_of = same_as;
      if (!same_as.empty()) result.message = shared_run_message(same_as, result.message);
      if (report["accuracy"]["test_error"].is_number()) result.test_error = report["accuracy"]["test_error"];
      result.time_per_sample_s = report["timing"]["per_sample_s"];
      result.energy_per_sample_j = report["energy"]["per_sample_j"];
      result.average_power_w = report["power"]["average_w"];
      result.gops_per_s_per_w = report["efficiency"]["gops_per_s_per_w"];
      result.area_mm2 = report["area"]["total_mm2"];
      // A copied report's wall time is that of the point that ran: counted there only.
      result.wall_time_s = same_as.empty() ? report["timing"]["wall_time_s"].get<double>() : NAN;
      return result;
    } catch (const nlohmann::json::exception& error) {
      result.status = "failed";
      result.message = report_path.string() + ": unreadable report: " + error.what();
      return result;
    }
  }
  if (interrupted_exit(exit_code)) {
    result.status = "interrupted";
    result.message = "stopped by a signal before it finished";
  } else if (exit_code >= 0) {
    result.status = "failed";
    result.message = "exit code " + std::to_string(exit_code) + ": " +
                     last_line(points_dir / (point.id + ".log"));
  }
  return result;
}

// Finds, for each selected point, the earlier selected point with the same resolved
// configuration, if there is one. The sweep runs such a configuration once, because a sweep
// value that equals the base's would run the analog baseline again.
std::vector<std::optional<std::size_t>> same_configuration(const std::vector<Point>& points,
                                                           const std::vector<bool>& selected) {
  std::vector<std::optional<std::size_t>> same_as(points.size());
  std::map<std::string, std::size_t> first;  // config_hash -> the first point with it
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!selected[i] || !points[i].invalid_reason.empty()) continue;
    const auto [found, inserted] = first.emplace(points[i].config_hash, i);
    if (!inserted) same_as[i] = found->second;
  }
  return same_as;
}

// Writes the report of `source` as that of `target`, which has the same configuration, with
// `sweep.same_as` naming the point that ran. Without a report of `source` there is no report
// of `target` either.
void copy_report(const fs::path& points_dir, const Point& source, const Point& target) {
  const fs::path target_path = points_dir / (target.id + ".json");
  const fs::path log_path = points_dir / (target.id + ".log");
  fs::remove(target_path);

  // Without a readable report of this configuration the target is "not run", and
  // read_result reports what is wrong with the source's.
  std::optional<nlohmann::json> source_report = read_report(points_dir / (source.id + ".json"));
  if (!source_report || source_report->value("/sweep/config_hash"_json_pointer, std::string()) !=
                            target.config_hash) {
    fs::remove(log_path);
    return;
  }
  nlohmann::json& report = *source_report;

  // A report of `source` that is itself a copy keeps naming the point that ran. If that is
  // `target`, whose own report is gone, the copy is target's own run again. Its log, if
  // still there, is kept with a note, because it may also be of a later run.
  const std::string ran = report["sweep"].value("same_as", source.id);
  if (ran == target.id) {
    report["sweep"].erase("same_as");
    std::ofstream log(log_path, std::ios::app);
    log << "rpusim sweep: the report of this point's run was restored from the copy in "
        << source.id << ".json; a later run of another configuration may have replaced the "
        << "lines above\n";
  } else {
    report["sweep"]["same_as"] = ran;
    write_file_atomically(log_path.string(),
                          "rpusim sweep: not run: the report is a copy of that of " + ran +
                              ", which has the same configuration; its log is " + ran + ".log\n");
  }
  write_file_atomically(
      target_path.string(),
      report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

enum class GnuplotResult { kOk, kFailed, kNotStarted };

// Runs gnuplot on `script` inside `directory`, its messages going to `log`.
GnuplotResult run_gnuplot(const fs::path& directory, const std::string& script,
                          const std::string& log) {
  std::string program = "gnuplot";
  // "./" keeps a script whose name starts with '-' from reading as an option.
  std::string script_argument = "./" + script;
  char* argv[] = {program.data(), script_argument.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int error = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    std::cerr << "rpusim sweep: warning: cannot start gnuplot: " << std::strerror(error)
              << "; plots skipped (scripts/setup.sh installs gnuplot-nox)\n";
    return GnuplotResult::kNotStarted;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return GnuplotResult::kFailed;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? GnuplotResult::kOk
                                                        : GnuplotResult::kFailed;
}

// Returns `text` for use inside a single-quoted gnuplot string, where a quote is doubled.
std::string gnuplot_text(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out;
}

// Removes the files of the plots named `base` (a sweep's file name, or "pareto"): their PNG
// and SVG images (BASE-error and BASE-energy for a sweep), data, gnuplot script and gnuplot
// log. No file of an earlier run is then left beside results it was not drawn from.
void remove_plots(const fs::path& plot_dir, const std::string& base) {
  std::error_code ignored;
  const std::vector<std::string> images =
      base == "pareto" ? std::vector<std::string>{base}
                       : std::vector<std::string>{base + "-error", base + "-energy"};
  for (const std::string& image : images) {
    for (const char* format : {".png", ".svg"}) fs::remove(plot_dir / (image + format), ignored);
  }
  for (const char* file : {".dat", ".gp", ".gnuplot.log"}) {
    fs::remove(plot_dir / (base + file), ignored);
  }
}

// Returns the keys (`keys` true) or the values of a label "KEY=VALUE KEY=VALUE ...",
// joined with ", ". A part without '=' counts as a value.
std::string join_setting_parts(const std::string& label, bool keys) {
  std::istringstream parts(label);
  std::string part;
  std::string joined;
  while (parts >> part) {
    const std::size_t equals = part.find('=');
    std::string piece;
    if (keys) {
      piece = equals == std::string::npos ? "" : part.substr(0, equals);
    } else {
      piece = equals == std::string::npos ? part : part.substr(equals + 1);
    }
    if (!piece.empty()) joined += (joined.empty() ? "" : ", ") + piece;
  }
  return joined;
}

bool is_number(const std::string& text) {
  return parse_decimal_number(text).has_value();
}

// Writes the per-sweep plots. `overridden` maps each sweep whose swept values a command-line
// --set replaces to those settings. Such a sweep gets no plot, because its points all ran with
// one value.
void write_plots(const Study& study, const std::vector<PointResult>& results,
                 const std::map<std::string, std::string>& overridden,
                 const std::set<std::string>& running, const fs::path& plot_dir) {
  fs::create_directories(plot_dir);
  double exact_error = NAN;
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    if (study.points[i].variant == "reference" && study.points[i].sweep == "exact") {
      exact_error = results[i].test_error;
    }
  }
  bool gnuplot_available = true;
  for (const auto& [sweep, key] : study.sweep_keys) {
    if (study.unplotted.count(sweep)) continue;
    std::vector<std::string> variants;
    std::vector<std::string> labels;
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    for (std::size_t i = 0; i < study.points.size(); ++i) {
      const Point& point = study.points[i];
      if (point.sweep != sweep) continue;
      if (std::find(variants.begin(), variants.end(), point.variant) == variants.end()) variants.push_back(point.variant);
      if (std::find(labels.begin(), labels.end(), point.x_label) == labels.end()) labels.push_back(point.x_label);
      index[{point.variant, point.x_label}] = i;
    }
    const bool numeric = !key.empty() && std::all_of(labels.begin(), labels.end(), is_number);
    // A large grid has no readable category axis: its points appear in the Pareto plot only.
    constexpr std::size_t kMaxCategoryLabels = 60;
    if (!numeric && labels.size() > kMaxCategoryLabels) continue;
    // Timing-only points have no test error: plot their energy only.
    bool has_error = false;
    bool has_complete = false;
    bool has_usable = false;
    for (const auto& [where, i] : index) {
      has_complete = has_complete || results[i].status == "complete";
      has_usable = has_usable || usable_result(results[i]);
      has_error = has_error || (usable_result(results[i]) && !std::isnan(results[i].test_error));
    }
    const std::string base = slug(sweep);
    remove_plots(plot_dir, base);
    if (const auto setting = overridden.find(sweep); setting != overridden.end()) {
      // Sweeps that --only leaves out get no message here or below.
      if (running.count(sweep)) {
        std::cerr << "rpusim sweep: no plot of sweep '" << sweep << "': --set " << setting->second
                  << " overrides its values\n";
      }
      continue;
    }
    if (!has_usable) {
      if (running.count(sweep)) {
        std::cerr << "rpusim sweep: no plot of sweep '" << sweep << "': none of its points is "
                  << (has_complete ? "complete with a converged steady state" : "complete") << '\n';
      }
      continue;
    }
    bool log_x = false;
    if (numeric) {
      double low = INFINITY, high = 0;
      for (const std::string& label : labels) {
        const double value = parse_decimal_number(label).value_or(NAN);
        low = std::min(low, value);
        high = std::max(high, value);
      }
      log_x = low > 0 && high / low > 20;
    }

    std::ostringstream data;
    data << "# " << sweep << ": x, then test error and energy per sample (nJ) per variant\n# x";
    for (const std::string& variant : variants) data << ' ' << variant << "_error " << variant << "_energy";
    data << '\n';
    for (std::size_t row = 0; row < labels.size(); ++row) {
      data << (numeric ? labels[row] : std::to_string(row));
      for (const std::string& variant : variants) {
        const auto found = index.find({variant, labels[row]});
        const PointResult* result = found == index.end() ? nullptr : &results[found->second];
        const bool usable = result && usable_result(*result);
        data << ' ' << (usable && !std::isnan(result->test_error) ? number(result->test_error) : "NaN")
             << ' ' << (usable ? number(result->energy_per_sample_j * 1e9) : "NaN");
      }
      data << '\n';
    }
    write_file_atomically((plot_dir / (base + ".dat")).string(), data.str());

    std::ostringstream script;
    // The key goes below the plot so that long variant names do not squeeze it. The axes
    // end at the data (xfix, yfix) and the offsets then keep the points off the frame.
    script << "set datafile missing 'NaN'\nset key below height 1\nset grid\n"
           << "set autoscale xfix\nset autoscale yfix\n"
           << "set offsets graph 0.04, graph 0.04, graph 0.06, graph 0.06\n";
    // A grid's labels are "KEY=VALUE KEY=VALUE ...". The keys go into the axis title once
    // and the ticks show the values only, so that long key names do not squeeze the plot.
    std::string x_title = key.empty() ? sweep : key;
    std::vector<std::string> tick_labels = labels;
    if (!numeric && key.empty() && !labels.empty()) {
      x_title = join_setting_parts(labels.front(), true);
      for (std::string& label : tick_labels) label = join_setting_parts(label, false);
    }
    script << "set xlabel '" << gnuplot_text(x_title) << "'\n";
    if (log_x) script << "set logscale x\n";
    if (!numeric) {
      script << "set xtics (";
      for (std::size_t row = 0; row < tick_labels.size(); ++row) {
        script << (row ? ", " : "") << "'" << gnuplot_text(tick_labels[row]) << "' " << row;
      }
      script << ") rotate by 30 right\n";
    }
    for (const char* format : {"png", "svg"}) {
      // noenhanced: key names such as out_bound must not turn into subscripts.
      const std::string terminal = std::string(format) == "png" ? "pngcairo size 900,560 noenhanced"
                                                                : "svg size 900,560 noenhanced";
      script << "set terminal " << terminal << "\n";
      if (has_error) {
        script << "set output '" << base << "-error." << format << "'\n";
        script << "set ylabel 'test error'\nset title '" << gnuplot_text(study.name)
               << ": test error against " << gnuplot_text(sweep) << "'\n";
        script << "plot ";
        for (std::size_t v = 0; v < variants.size(); ++v) {
          script << (v ? ", " : "") << "'" << base << ".dat' using 1:" << 2 + 2 * v
                 << " with linespoints title '" << gnuplot_text(variants[v]) << "'";
        }
        if (!std::isnan(exact_error)) script << ", " << number(exact_error) << " with lines dashtype 2 title 'exact numerics'";
        script << "\n";
      }
      script << "set output '" << base << "-energy." << format << "'\n";
      script << "set ylabel 'energy per training sample (nJ)'\nset title '"
             << gnuplot_text(study.name) << ": energy per sample against " << gnuplot_text(sweep)
             << "'\nplot ";
      for (std::size_t v = 0; v < variants.size(); ++v) {
        script << (v ? ", " : "") << "'" << base << ".dat' using 1:" << 3 + 2 * v
               << " with linespoints title '" << gnuplot_text(variants[v]) << "'";
      }
      script << "\n";
    }
    write_file_atomically((plot_dir / (base + ".gp")).string(), script.str());

    if (!gnuplot_available) continue;  // the data and script files are still written
    const GnuplotResult plotted = run_gnuplot(plot_dir, base + ".gp", base + ".gnuplot.log");
    if (plotted == GnuplotResult::kNotStarted) gnuplot_available = false;
    if (plotted == GnuplotResult::kFailed) {
      std::cerr << "rpusim sweep: warning: gnuplot failed for " << base << ".gp (see "
                << (plot_dir / (base + ".gnuplot.log")).string() << ")\n";
    }
  }
}

// Marks the points that rank a design, one usable point per configuration. That is the point
// that ran if its result is usable, or else the first usable copy of its report.
std::vector<bool> ranked_points(const Study& study, const std::vector<PointResult>& results) {
  std::vector<bool> ranked(results.size(), false);
  std::set<std::string> designs;  // the id of the point that ran each configuration
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string& design =
        results[i].copy_of.empty() ? study.points[i].id : results[i].copy_of;
    ranked[i] = usable_result(results[i]) && designs.insert(design).second;
  }
  return ranked;
}

// Marks the ranked points (ranked_points) that no other ranked point dominates, minimising
// time and energy per sample, area and, where every ranked point has one, the test error.
// Point a dominates b if a is no worse in every objective and better in at least one.
std::vector<bool> pareto_front(const std::vector<PointResult>& results,
                               const std::vector<bool>& ranked) {
  std::vector<std::size_t> complete;
  bool all_have_error = true;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!ranked[i]) continue;
    complete.push_back(i);
    all_have_error = all_have_error && !std::isnan(results[i].test_error);
  }
  auto objectives = [&](const PointResult& r) {
    std::vector<double> values = {r.time_per_sample_s, r.energy_per_sample_j, r.area_mm2};
    if (all_have_error) values.push_back(r.test_error);
    return values;
  };
  std::vector<bool> front(results.size(), false);
  for (std::size_t i : complete) {
    const std::vector<double> mine = objectives(results[i]);
    bool dominated = false;
    for (std::size_t j : complete) {
      if (j == i) continue;
      const std::vector<double> other = objectives(results[j]);
      bool no_worse = true;
      bool better = false;
      for (std::size_t k = 0; k < mine.size(); ++k) {
        no_worse = no_worse && other[k] <= mine[k];
        better = better || other[k] < mine[k];
      }
      if (no_worse && better) {
        dominated = true;
        break;
      }
    }
    front[i] = !dominated;
  }
  return front;
}

// Draws energy against time per sample for every ranked point (ranked_points), the Pareto
// front marked.
void write_pareto_plot(const Study& study, const std::vector<PointResult>& results,
                       const std::vector<bool>& ranked, const std::vector<bool>& pareto,
                       const fs::path& plot_dir) {
  remove_plots(plot_dir, "pareto");
  if (std::none_of(ranked.begin(), ranked.end(), [](bool point_ranked) { return point_ranked; })) {
    std::cerr << "rpusim sweep: no Pareto plot: no point is complete (timing-only points also "
                 "need a converged steady state)\n";
    return;
  }
  std::ostringstream data;
  data << "# time per sample (us), energy per sample (nJ), on the Pareto front (1/0), id\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!ranked[i]) continue;
    data << results[i].time_per_sample_s * 1e6 << ' ' << results[i].energy_per_sample_j * 1e9
         << ' ' << (pareto[i] ? 1 : 0) << ' ' << study.points[i].id << '\n';
  }
  fs::create_directories(plot_dir);
  write_file_atomically((plot_dir / "pareto.dat").string(), data.str());
  std::ostringstream script;
  script << "set grid\nset key below\nset xlabel 'time per training sample (us)'\n"
         << "set ylabel 'energy per training sample (nJ)'\n";
  for (const char* format : {"png", "svg"}) {
    script << "set terminal " << (std::string(format) == "png" ? "pngcairo" : "svg")
           << " size 900,560 noenhanced\nset output 'pareto." << format << "'\n"
           << "set title '" << gnuplot_text(study.name) << ": Pareto front'\n"
           << "plot 'pareto.dat' using 1:($3 == 0 ? $2 : NaN) with points pt 7 ps 0.6 "
              "title 'dominated', 'pareto.dat' using 1:($3 == 1 ? $2 : NaN) with points pt 7 "
              "ps 1.2 title 'Pareto front (time, energy, area, test error)'\n";
  }
  write_file_atomically((plot_dir / "pareto.gp").string(), script.str());
  if (run_gnuplot(plot_dir, "pareto.gp", "pareto.gnuplot.log") == GnuplotResult::kFailed) {
    std::cerr << "rpusim sweep: warning: gnuplot failed for pareto.gp (see "
              << (plot_dir / "pareto.gnuplot.log").string() << ")\n";
  }
}

}  // namespace

int run_sweep(const SweepOptions& options) {
  const Study study = load_study(options.study_path, options.overrides);
  // The points to run: all, or those of the sweeps and references that --only names.
  std::vector<bool> selected(study.points.size(), options.only.empty());
  for (const std::string& name : options.only) {
    bool found = false;
    for (std::size_t i = 0; i < study.points.size(); ++i) {
      if (study.points[i].sweep != name) continue;
      selected[i] = true;
      found = true;
    }
    if (!found) {
      std::string names;
      std::set<std::string> listed;
      for (const Point& point : study.points) {
        if (listed.insert(point.sweep).second) {
          names += (names.empty() ? "'" : ", '") + point.sweep + "'";
        }
      }
      throw boost::program_options::error("--only '" + name + "': " + options.study_path +
                                          " has no sweep or reference of that name; it has " +
                                          names);
    }
  }

  // A command-line --set of a swept key overrides the swept values (it applies last).
  std::map<std::string, std::string> overridden;  // sweep -> the --set options that override it
  // A key given twice with --set takes its last value, as a run does.
  std::vector<std::string> winning_overrides;
  for (auto setting = options.overrides.rbegin(); setting != options.overrides.rend(); ++setting) {
    const std::string key = setting->substr(0, setting->find('='));
    if (std::none_of(
            winning_overrides.begin(), winning_overrides.end(),
            [&key](const std::string& later) { return later.substr(0, later.find('=')) == key; })) {
      winning_overrides.insert(winning_overrides.begin(), *setting);
    }
  }
  for (const std::string& setting : winning_overrides) {
    const std::string key = setting.substr(0, setting.find('='));
    for (const auto& [sweep, keys] : study.swept_keys) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
      std::string& settings = overridden[sweep];
      settings += (settings.empty() ? "" : ", ") + setting;
    }
  }
  // The sweeps and references that run: --only may leave others out.
  std::set<std::string> running_sweeps;
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    if (selected[i]) running_sweeps.insert(study.points[i].sweep);
  }
  // The warning covers only the sweeps that run, in the study's order.
  for (const auto& [sweep, key] : study.sweep_keys) {
    const auto settings = overridden.find(sweep);
    if (!running_sweeps.count(sweep) || settings == overridden.end()) continue;
    std::cerr << "rpusim sweep: warning: --set " << settings->second
              << " overrides the values of sweep '" << sweep << "'; its points all run with "
              << settings->second << '\n';
  }

  std::vector<std::optional<std::size_t>> same_as = same_configuration(study.points, selected);
  const fs::path out_dir(options.out_dir);
  const fs::path points_dir = out_dir / "points";

  // The plan of each point (run, reuse or share), from the reports already in --out. A
  // complete report of a configuration serves every point that has it, also when --only
  // leaves out the point that ran.
  std::map<std::string, std::string> hashes;  // point id -> configuration hash
  for (const Point& point : study.points) hashes[point.id] = point.config_hash;
  std::map<std::string, std::size_t> complete_by_hash;
  std::vector<bool> has_report(study.points.size(), false);
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    const Point& point = study.points[i];
    if (!point.invalid_reason.empty()) continue;
    has_report[i] = report_complete(points_dir / (point.id + ".json"), point.config_hash, hashes);
    if (has_report[i]) complete_by_hash.emplace(point.config_hash, i);
  }
  std::vector<std::size_t> pending;
  std::size_t reused = 0;
  std::size_t invalid = 0;
  std::size_t left_out = 0;
  std::size_t repeated = 0;
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    const Point& point = study.points[i];
    if (!selected[i]) {
      ++left_out;
    } else if (!point.invalid_reason.empty()) {
      ++invalid;
    } else if (has_report[i]) {
      ++reused;
    } else if (same_as[i]) {
      ++repeated;
    } else if (const auto found = complete_by_hash.find(point.config_hash);
               found != complete_by_hash.end()) {
      same_as[i] = found->second;
      ++repeated;
    } else {
      pending.push_back(i);
    }
  }

  if (options.dry_run) {
    std::size_t listed = 0;
    for (std::size_t i = 0; i < study.points.size(); ++i) {
      if (!selected[i]) continue;
      const Point& point = study.points[i];
      ++listed;
      std::cout << point.id;
      // Escaped: an invalid value may contain the control characters that made it invalid.
      for (const std::string& setting : point.overrides) {
        std::cout << " --set " << escaped_text(setting);
      }
      if (!point.invalid_reason.empty()) {
        std::cout << "  [invalid: " << escaped_text(point.invalid_reason) << "]";
      } else if (has_report[i]) {
        std::cout << "  [complete: its report is reused]";
      } else if (same_as[i] && has_report[*same_as[i]]) {
        std::cout << "  [the configuration of " << study.points[*same_as[i]].id
                  << ", whose report is reused]";
      } else if (same_as[i]) {
        std::cout << "  [the configuration of " << study.points[*same_as[i]].id << ": runs once]";
      }
      std::cout << '\n';
    }
    // A real sweep would leave the invalid points incomplete and exit 1, so the dry run does too.
    if (invalid > 0) {
      std::cerr << "rpusim sweep: " << invalid << " of " << listed
                << " points are invalid and would not run\n";
      return kExitRunFailed;
    }
    return kExitOk;
  }
  std::error_code error;
  fs::create_directories(points_dir, error);
  if (error) {
    throw boost::program_options::error("--out " + options.out_dir + ": cannot create directory " +
                                        points_dir.string() + ": " + error.message());
  }
  const DirectoryLock lock(out_dir, options.out_dir);
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    if (selected[i] && !study.points[i].invalid_reason.empty()) {
      std::cerr << "rpusim sweep: " << study.points[i].id
                << " not run: " << study.points[i].invalid_reason << '\n';
    }
  }
  std::vector<int> exit_codes(study.points.size(), -1);
  std::cerr << "rpusim sweep: " << study.name << ": " << study.points.size() << " points, " << reused
            << " already complete, " << invalid << " invalid, " << pending.size() << " to run on "
            << options.jobs << " jobs";
  if (repeated > 0) {
    std::cerr << ", " << repeated << " with the configuration of another point (run once)";
  }
  if (left_out > 0) std::cerr << ", " << left_out << " left out by --only";
  std::cerr << '\n';

  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  std::optional<StopSignalHandler> stop_signals(std::in_place, on_interrupt);
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  std::size_t finished = 0;
  const auto start = std::chrono::steady_clock::now();
  while (next < pending.size() || !running.empty()) {
    while (!g_interrupted.load() && next < pending.size() && static_cast<int>(running.size()) < options.jobs) {
      const std::size_t i = pending[next++];
      // A report left from an earlier run of this point no longer matches it.
      fs::remove(points_dir / (study.points[i].id + ".json"));
      running[spawn_point(options, study, study.points[i], points_dir)] = i;
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    }
    const auto found = running.find(pid);
    if (found == running.end()) continue;
    const std::size_t i = found->second;
    running.erase(found);
    exit_codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    ++finished;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string outcome = " done";
    if (exit_codes[i] == 0 && !read_result(points_dir, study.points[i], 0).converged) {
      outcome = " done, steady state not converged";
    } else if (interrupted_exit(exit_codes[i])) {
      outcome = " interrupted";
    } else if (exit_codes[i] != 0) {
      // A run stopped early writes a partial report with the reason, and the console calls
      // it partial as the table's status column does. Otherwise the log's last line contains
      // the error.
      const PointResult result = read_result(points_dir, study.points[i], exit_codes[i]);
      const bool partial = result.status == "partial" && !result.message.empty();
      outcome = (partial ? " partial (exit " : " FAILED (exit ") + std::to_string(exit_codes[i]) +
                "): " +
                (partial ? result.message : last_line(points_dir / (study.points[i].id + ".log")));
    }
    std::cerr << "rpusim sweep: [" << finished << "/" << pending.size() << "] "
              << study.points[i].id << outcome << ", " << std::fixed << std::setprecision(0)
              << elapsed << " s elapsed\n";
  }
  stop_signals.reset();

  // A point with the configuration of an earlier point gets a copy of that point's report.
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    if (!same_as[i] || exit_codes[i] >= 0 ||
        report_complete(points_dir / (study.points[i].id + ".json"), study.points[i].config_hash,
                        hashes)) {
      continue;
    }
    copy_report(points_dir, study.points[*same_as[i]], study.points[i]);
  }

  std::vector<PointResult> results;
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    PointResult result = read_result(points_dir, study.points[i], exit_codes[i]);
    if (same_as[i] && result.status == "not run") {
      // The point that ran wrote no report: this point shares its outcome.
      const std::size_t j = *same_as[i];
      const PointResult other = read_result(points_dir, study.points[j], exit_codes[j]);
      result = other;
      result.copy_of = study.points[j].id;
      result.wall_time_s = NAN;  // counted at the point that ran
      result.message = shared_run_message(study.points[j].id, other.message);
    }
    // A point that --only left out and that has no complete report of its configuration
    // did not fail: it was not run.
    if (!selected[i] && result.status != "complete" && result.status != "invalid") {
      result = PointResult{};
      result.message = "left out by --only";
    }
    results.push_back(result);
  }
  const std::vector<bool> ranked = ranked_points(study, results);
  const std::vector<bool> pareto = pareto_front(results, ranked);

  std::ostringstream csv;
  csv << "id,sweep,variant,parameters,config_hash,status,test_error,time_per_sample_s,"
         "energy_per_sample_j,average_power_w,gops_per_s_per_w,area_mm2,wall_time_s,pareto,"
         "message\n";
  int failed = 0;
  int complete = 0;
  for (std::size_t i = 0; i < study.points.size(); ++i) {
    const Point& point = study.points[i];
    const PointResult& result = results[i];
    // A point left out by --only is not a failure, but the table still shows its status.
    if (result.status == "complete") {
      ++complete;
    } else if (selected[i]) {
      ++failed;
    }
    std::string parameters;
    for (const std::string& setting : point.written_overrides) {
      parameters += (parameters.empty() ? "" : " ") + setting;
    }
    csv << point.id << ',' << csv_field(point.sweep) << ',' << csv_field(point.variant) << ','
        << csv_field(parameters) << ',' << point.config_hash << ',' << result.status << ','
        << number(result.test_error) << ',' << number(result.time_per_sample_s) << ','
        << number(result.energy_per_sample_j) << ',' << number(result.average_power_w) << ','
        << number(result.gops_per_s_per_w) << ',' << number(result.area_mm2) << ','
        << number(result.wall_time_s) << ',' << (pareto[i] ? "true" : "false") << ','
        << csv_field(result.message) << '\n';
  }
  write_file_atomically((out_dir / "results.csv").string(), csv.str());
  if (options.plots) {
    write_plots(study, results, overridden, running_sweeps, out_dir / "plots");
    write_pareto_plot(study, results, ranked, pareto, out_dir / "plots");
  } else {
    // Plots of an earlier run no longer match the table.
    for (const auto& [sweep, key] : study.sweep_keys) {
      remove_plots(out_dir / "plots", slug(sweep));
    }
    remove_plots(out_dir / "plots", "pareto");
  }

  std::cerr << "rpusim sweep: " << complete << " of " << study.points.size()
            << " points complete; table in " << escaped_text((out_dir / "results.csv").string())
            << '\n';
  if (g_interrupted.load()) {
    std::cerr << "rpusim sweep: interrupted; run the same command again to resume\n";
  }
  return failed == 0 ? kExitOk : kExitRunFailed;
}

}  // namespace rpusim
