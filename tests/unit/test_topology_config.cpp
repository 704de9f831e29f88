// Networks in the configuration: the layer kinds of workload.layers with their chained
// shapes and ConfigErrors, workload.input_shape, workload.topology (network files), the
// functional-mode limits against timing mode, and the shipped workloads' weight counts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/common/config.hpp"
#include "models/common/error.hpp"
#include "models/workload/topology_io.hpp"
#include "tests/unit/temp_dir.hpp"

namespace rpusim {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

const std::string kSourceDir = RPUSIM_SOURCE_DIR;
const std::string kWorkloads = kSourceDir + "/configs/workloads/";
const std::vector<std::string> kTiming = {"run.mode=timing"};

// A workload file that sets `body` under `workload:` (the other keys take their defaults).
std::string workload_yaml(const std::string& body) {
  return "workload:\n" + body;
}

std::string load_error(const std::string& path, const std::vector<std::string>& overrides = {}) {
  try {
    Config::load(path, overrides);
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "Config::load(" << path << ") did not throw ConfigError";
  return "";
}

const char* const kSmallCnn =
    "  input_shape: [28, 28, 1]\n"
    "  layers:\n"
    "    - {kind: conv, name: k1, filters: 16, kernel: 5, activation: relu}\n"
    "    - {kind: pool, window: 2}\n"
    "    - {kind: conv, filters: 32, kernel: [3, 5], padding: 1}\n"
    "    - {outputs: 10, activation: softmax}\n";

// ------------------------------------------------------------------ YAML layer kinds

TEST(TopologyConfig, ChainsShapesThroughConvPoolAndFc) {
  TempDir dir;
  const Config config = Config::load(dir.write("cnn.yaml", workload_yaml(kSmallCnn)), kTiming);
  const Topology& topology = config.topology();
  ASSERT_EQ(topology.layers.size(), 4u);

  const TopologyLayer& k1 = topology.layers[0];
  EXPECT_EQ(k1.name, "k1");
  EXPECT_EQ(k1.activation, "relu");
  EXPECT_EQ(k1.in_height, 28);
  EXPECT_EQ(k1.in_channels, 1);
  EXPECT_EQ(k1.out_height(), 24);

  const TopologyLayer& pool = topology.layers[1];
  EXPECT_EQ(pool.name, "pool1");
  EXPECT_EQ(pool.stride, 2);  // the window, when no stride is given
  EXPECT_EQ(pool.in_channels, 16);
  EXPECT_EQ(pool.out_height(), 12);

  const TopologyLayer& conv = topology.layers[2];
  EXPECT_EQ(conv.kernel_height, 3);
  EXPECT_EQ(conv.kernel_width, 5);
  EXPECT_EQ(conv.out_height(), 12);  // 12 + 2 - 3 + 1
  EXPECT_EQ(conv.out_width(), 10);   // 12 + 2 - 5 + 1
  EXPECT_EQ(conv.matrix_columns(), 3 * 5 * 16);

  const TopologyLayer& fc = topology.layers[3];
  EXPECT_EQ(fc.in_height, 1);
  EXPECT_EQ(fc.in_channels, 12 * 10 * 32);  // the feature map, flattened
  // Not fully connected, so the functional simulator's list is empty.
  EXPECT_TRUE(config.layers().empty());
}

TEST(TopologyConfig, GemmResidualAndInputFrom) {
  TempDir dir;
  const std::string file = dir.write(
      "net.yaml", workload_yaml("  input_shape: [8, 8, 4]\n"
                                "  layers:\n"
                                "    - {kind: conv, name: a, filters: 4, kernel: 3, padding: 1}\n"
                                "    - {kind: conv, name: b, filters: 8, kernel: 3, stride: 2, "
                                "padding: 1}\n"
                                "    - {kind: conv, name: down, filters: 8, kernel: 1, stride: 2, "
                                "input_from: a}\n"
                                "    - {kind: residual, name: add, from: b, activation: relu}\n"
                                "    - {kind: pool, window: 4, type: average}\n"
                                "    - {kind: gemm, rows: 5, outputs: 12}\n"
                                "    - {kind: gemm, rows: 5, inputs: 20, outputs: 12}\n"));
  const Topology topology = Config::load(file, kTiming).topology();
  ASSERT_EQ(topology.layers.size(), 7u);
  EXPECT_EQ(topology.layers[2].input_from, 0);
  EXPECT_EQ(topology.layers[2].in_height, 8);  // reads layer a's 8 x 8 x 4 output
  EXPECT_EQ(topology.layers[2].out_height(), 4);
  EXPECT_EQ(topology.layers[3].residual_from, 1);
  EXPECT_EQ(topology.layers[3].in_channels, 8);
  EXPECT_EQ(topology.layers[3].out_height(), 4);
  EXPECT_EQ(topology.layers[4].pool, PoolType::kAverage);
  EXPECT_EQ(topology.layers[4].out_height(), 1);
  EXPECT_EQ(topology.layers[5].in_channels, 8);  // the pooled 1 x 1 x 8 map
  EXPECT_EQ(topology.layers[5].reuses(), 5);
  EXPECT_EQ(topology.layers[6].in_channels, 20);  // explicit inputs are kept
}

TEST(TopologyConfig, FcInputsAboveChainKept) {
  // An operand larger than the previous output, as an LSTM's gates read the recurrent state
  // beside the layer's input, keeps its explicit inputs.
  TempDir dir;
  const std::string file = dir.write(
      "net.yaml", workload_yaml("  inputs: 1024\n  layers:\n"
                                "    - {outputs: 4096, activation: sigmoid, inputs: 2048}\n"
                                "    - {outputs: 10, activation: softmax, inputs: 4096}\n"));
  const Topology topology = Config::load(file, kTiming).topology();
  EXPECT_EQ(topology.layers[0].in_channels, 2048);
  EXPECT_EQ(topology.layers[1].in_channels, 4096);  // equal to the chain
}

TEST(TopologyConfig, FullyConnectedTopologyEqualsLayers) {
  const Config config = Config::load(kSourceDir + "/configs/paper-mnist.yaml");
  const Topology& topology = config.topology();
  ASSERT_EQ(topology.layers.size(), config.layers().size());
  for (std::size_t i = 0; i < topology.layers.size(); ++i) {
    EXPECT_EQ(topology.layers[i].kind, LayerKind::kFullyConnected);
    EXPECT_EQ(topology.layers[i].matrix_columns(), config.layers()[i].inputs) << i;
    EXPECT_EQ(topology.layers[i].matrix_rows(), config.layers()[i].outputs) << i;
    EXPECT_EQ(topology.layers[i].activation, config.layers()[i].activation) << i;
  }
  EXPECT_EQ(topology.weights(), 235146);
  EXPECT_EQ(Config::defaults().topology().weights(), 235146);
}

// ------------------------------------------------------------------ YAML errors

struct YamlCase {
  const char* name;
  const char* body;      // under workload:
  const char* expected;  // after "FILE:"
};

class TopologyYamlError : public ::testing::TestWithParam<YamlCase> {};

TEST_P(TopologyYamlError, NamesLineKeyAndValue) {
  TempDir dir;
  const std::string file = dir.write("net.yaml", workload_yaml(GetParam().body));
  EXPECT_EQ(load_error(file, kTiming), file + ":" + GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TopologyYamlError,
    ::testing::Values(
        YamlCase{"UnknownKind", "  layers:\n    - {kind: dense, outputs: 10}\n",
                 "3: workload.layers[0].kind = 'dense' is invalid: must be one of fc, conv, "
                 "gemm, pool, residual"},
        YamlCase{"FieldOfAnotherKind",
                 "  input_shape: [8, 8, 1]\n  layers:\n"
                 "    - {kind: conv, filters: 4, kernel: 3, outputs: 10}\n",
                 "4: workload.layers[0]: unknown field 'outputs' for a conv layer; allowed: "
                 "filters, kernel, stride, padding, activation, kind, name, input_from"},
        YamlCase{"MissingFilters",
                 "  input_shape: [8, 8, 1]\n  layers:\n"
                 "    - {kind: conv, kernel: 3}\n",
                 "4: workload.layers[0]: missing 'filters'"},
        YamlCase{"BadKernel",
                 "  input_shape: [8, 8, 1]\n  layers:\n"
                 "    - {kind: conv, filters: 4, kernel: [3, x]}\n",
                 "4: workload.layers[0].kernel = '[3, x]' is invalid: must be an integer >= 1 "
                 "or [height, width]"},
        YamlCase{"NegativePadding",
                 "  input_shape: [8, 8, 1]\n  layers:\n"
                 "    - {kind: conv, filters: 4, kernel: 3, padding: -1}\n",
                 "4: workload.layers[0].padding = '-1' is invalid: must be an integer >= 0"},
        YamlCase{"ConvAfterFc",
                 "  input_shape: [8, 8, 1]\n  layers:\n"
                 "    - {outputs: 64, activation: relu}\n"
                 "    - {kind: conv, filters: 4, kernel: 3}\n",
                 "5: workload.layers[1] (conv1): a conv layer needs a feature map, but layer "
                 "'fc0' gives a vector of 64 values; a conv layer cannot follow an fc or gemm "
                 "layer"},
        YamlCase{"ConvWithoutInputShape", "  layers:\n    - {kind: conv, filters: 4, kernel: 3}\n",
                 "3: workload.layers[0] (conv0): a conv layer needs a feature map, but "
                 "workload.inputs gives a vector of 784 values; give workload.input_shape: "
                 "[height, width, channels]"},
        YamlCase{"KernelLargerThanPaddedInput",
                 "  input_shape: [4, 4, 1]\n  layers:\n"
                 "    - {kind: conv, filters: 4, kernel: 7, padding: 1}\n",
                 "4: workload.layers[0] (conv0): kernel 7 x 7 is larger than the padded input "
                 "6 x 6 (input 4 x 4 x 1, padding 1)"},
        YamlCase{"ResidualShapeMismatch",
                 "  input_shape: [8, 8, 4]\n  layers:\n"
                 "    - {kind: conv, name: a, filters: 4, kernel: 3, padding: 1}\n"
                 "    - {kind: conv, name: b, filters: 8, kernel: 3, padding: 1}\n"
                 "    - {kind: residual, from: a}\n",
                 "6: workload.layers[2] (residual2): from = 'a' gives 8 x 8 x 4 but the "
                 "layer's input is 8 x 8 x 8; a residual addition needs equal shapes"},
        YamlCase{"ResidualFromLaterLayer",
                 "  input_shape: [8, 8, 4]\n  layers:\n"
                 "    - {kind: residual, from: b}\n"
                 "    - {kind: conv, name: b, filters: 4, kernel: 3, padding: 1}\n",
                 "4: workload.layers[0].from = 'b' is invalid: must be the name or index of an "
                 "earlier layer, but this is the first layer"},
        YamlCase{"InputFromUnknownName",
                 "  input_shape: [8, 8, 4]\n  layers:\n"
                 "    - {kind: conv, name: a, filters: 4, kernel: 3, padding: 1}\n"
                 "    - {kind: pool, window: 2, input_from: c}\n",
                 "5: workload.layers[1].input_from = 'c' is invalid: must be the name or index "
                 "(0 to 0) of an earlier layer"},
        YamlCase{"DuplicateName",
                 "  layers:\n    - {name: x, outputs: 10, activation: relu}\n"
                 "    - {name: x, outputs: 10, activation: relu}\n",
                 "4: workload.layers[1].name = 'x' is invalid: must be a name no other layer "
                 "has"},
        YamlCase{"PoolPaddingAboveHalfWindow",
                 "  input_shape: [8, 8, 4]\n  layers:\n"
                 "    - {kind: pool, window: 2, padding: 2}\n",
                 "4: workload.layers[0].padding = '2' is invalid: must be at most half the "
                 "window"},
        YamlCase{"UnknownPoolType",
                 "  input_shape: [8, 8, 4]\n  layers:\n"
                 "    - {kind: pool, window: 2, type: median}\n",
                 "4: workload.layers[0].type = 'median' is invalid: must be one of max, "
                 "average"},
        YamlCase{"GemmWithoutRows", "  layers:\n    - {kind: gemm, outputs: 10}\n",
                 "3: workload.layers[0]: missing 'rows'"},
        YamlCase{"UnknownActivation", "  layers:\n    - {outputs: 10, activation: gelu}\n",
                 "3: workload.layers[0].activation = 'gelu' is invalid: must be one of "
                 "sigmoid, softmax, relu, tanh, none"},
        YamlCase{"FcInputsBelowFeatureMap",
                 "  input_shape: [28, 28, 1]\n  layers:\n"
                 "    - {kind: conv, filters: 4, kernel: 3, activation: relu}\n"
                 "    - {outputs: 10, activation: softmax, inputs: 50}\n",
                 "5: workload.layers[1] (fc1): inputs = '50' is invalid: layer 'conv0' gives "
                 "26 x 26 x 4 = 2704 values, and an fc layer reads all of them; leave out "
                 "inputs or give at least 2704"},
        YamlCase{"FcInputsBelowPreviousFc",
                 "  layers:\n    - {outputs: 64, activation: relu}\n"
                 "    - {outputs: 10, activation: softmax, inputs: 63}\n",
                 "4: workload.layers[1] (fc1): inputs = '63' is invalid: layer 'fc0' gives a "
                 "vector of 64 values, and an fc layer reads all of them; leave out inputs or "
                 "give at least 64"},
        YamlCase{"FcInputsBelowNetworkInputs",
                 "  inputs: 784\n  layers:\n"
                 "    - {outputs: 10, activation: softmax, inputs: 100}\n",
                 "4: workload.layers[0] (fc0): inputs = '100' is invalid: workload.inputs gives a "
                 "vector of 784 values, and an fc layer reads all of them; leave out inputs, or "
                 "set workload.inputs to the network's input size"},
        YamlCase{"InputShapeOfTwoValues",
                 "  input_shape: [28, 28]\n  layers:\n"
                 "    - {outputs: 10, activation: softmax}\n",
                 "2: workload.input_shape = '[28, 28]' is invalid: must be [height, width, "
                 "channels], three integers in [1, 100000000]"}),
    [](const ::testing::TestParamInfo<YamlCase>& info) { return info.param.name; });

// ------------------------------------------------------------------ modes

TEST(TopologyConfig, FunctionalModeRejectsOtherKindsInOneLine) {
  TempDir dir;
  const std::string file = dir.write("cnn.yaml", workload_yaml(kSmallCnn));
  const std::string message = load_error(file);
  EXPECT_EQ(message, file +
                         ":4: layer 'k1' is a conv layer, but run.mode = functional runs "
                         "fully connected networks only; run.mode: timing runs conv, gemm, "
                         "pool and residual layers");
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(TopologyConfig, TimingModeSkipsFunctionalLimits) {
  TempDir dir;
  // A relu network of 5 layers on 3 tiles, with a layer wider than a tile and classes that
  // do not match: each is an error in functional mode only.
  const std::string file =
      dir.write("wide.yaml", workload_yaml("  inputs: 8000\n  layers:\n"
                                           "    - {outputs: 20000, activation: relu}\n"
                                           "    - {outputs: 64, activation: relu}\n"
                                           "    - {outputs: 64, activation: tanh}\n"
                                           "    - {outputs: 64, activation: none}\n"
                                           "    - {outputs: 7, activation: softmax}\n"));
  const Config config = Config::load(file, kTiming);
  EXPECT_EQ(config.topology().layers.size(), 5u);
  EXPECT_EQ(config.get_string("run.mode"), "timing");
  EXPECT_THAT(load_error(file),
              HasSubstr("chip.tiles = '3' is invalid: the workload has 5 layers"));
  EXPECT_THAT(load_error(file, {"chip.tiles=8"}),
              HasSubstr("workload.layers[0] needs 8001 input lines (with the bias) but "
                        "tile.input_lines = 4096"));
  EXPECT_THAT(load_error(file, {"chip.tiles=8", "tile.input_lines=16384"}),
              HasSubstr("workload.layers[0] has 20000 outputs but tile.output_lines = 4096"));
}

TEST(TopologyConfig, FunctionalModeNeedsInputShapeToMatchInputs) {
  TempDir dir;
  const std::string file =
      dir.write("net.yaml", "include:\n  - " + kSourceDir + "/configs/paper-mnist.yaml\n" +
                                workload_yaml("  input_shape: [32, 32, 3]\n"));
  EXPECT_EQ(load_error(file), file +
                                  ":4: workload.input_shape = [32, 32, 3] has 3072 values "
                                  "but workload.inputs = 784 (" +
                                  kWorkloads + "mnist-mlp.yaml:8); give matching values");
  // A matching shape is accepted and flattens into the first fc layer.
  const Config config = Config::load(file, {"workload.input_shape=[28, 28, 1]"});
  EXPECT_EQ(config.layers()[0].inputs, 784);
}

TEST(TopologyConfig, InputShapeFromSet) {
  TempDir dir;
  const std::string file = dir.write("cnn.yaml", workload_yaml(kSmallCnn));
  const Config config = Config::load(file, {"run.mode=timing", "workload.input_shape=[32,32,3]"});
  EXPECT_EQ(config.topology().layers[0].in_channels, 3);
  EXPECT_EQ(config.topology().layers[0].out_height(), 28);
  EXPECT_THAT(load_error(file, {"run.mode=timing", "workload.input_shape=[1, 2"}),
              HasSubstr("--set workload.input_shape=[1, 2: workload.input_shape = '[1, 2' is "
                        "invalid: must be [height, width, channels]"));
}

// ------------------------------------------------------------------ workload.topology

TEST(TopologyConfig, NetworkFileRelativeToTheConfig) {
  TempDir dir;
  dir.write("vgg.csv", "32,32,3,3,3,16,1,1\n16,16,16,3,3,16,0,1\n1,1,4096,1,1,10,0,1\n");
  const std::string file =
      dir.write("run.yaml", "run:\n  mode: timing\nworkload:\n  topology: vgg.csv\n");
  const Config config = Config::load(file);
  EXPECT_EQ(config.get_string("workload.topology"),
            (std::filesystem::path(file).parent_path() / "vgg.csv").string());
  ASSERT_EQ(config.topology().layers.size(), 4u);
  EXPECT_EQ(config.topology().name, "vgg");
  EXPECT_TRUE(config.to_json().contains("workload.topology_layers"));
  // The file replaces the workload.layers of the included defaults, also in the dump.
  const std::string dump = dir.write("dump.yaml", config.to_yaml());
  EXPECT_EQ(Config::load(dump).topology().forward_macs(), config.topology().forward_macs());
}

TEST(TopologyConfig, MalformedNetworkFileIsAnInputError) {
  TempDir dir;
  const std::string csv = dir.write("bad.csv", "32,32,3,3,3,16,1,1\n16,16,16,3,0,16,0,1\n");
  const std::string file =
      dir.write("run.yaml", "run:\n  mode: timing\nworkload:\n  topology: bad.csv\n");
  try {
    Config::load(file);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              csv + ":2:12: kernel width '0' is invalid: expected a positive integer of at "
                    "most 100000000");
  }
}

TEST(TopologyConfig, FunctionalModeTrainsFullyConnectedNetworkFiles) {
  TempDir dir;
  dir.write("mlp.csv", "1,1,784,1,1,256,0\n1,1,256,1,1,128,0\n1,1,128,1,1,10,0\n");
  const std::string file =
      dir.write("run.yaml", "include:\n  - " + kSourceDir + "/configs/paper-mnist.yaml\n" +
                                workload_yaml("  topology: mlp.csv\n"));
  const Config config = Config::load(file);
  ASSERT_EQ(config.layers().size(), 3u);
  EXPECT_EQ(config.layers()[0].inputs, 784);
  EXPECT_EQ(config.layers()[0].activation, "sigmoid");
  EXPECT_EQ(config.layers()[2].activation, "softmax");

  dir.write("cnn.csv", "28,28,1,5,5,16,1\n1,1,3136,1,1,10,0\n");
  const std::string cnn =
      dir.write("cnn.yaml", "include:\n  - " + kSourceDir + "/configs/paper-mnist.yaml\n" +
                                workload_yaml("  topology: cnn.csv\n"));
  EXPECT_THAT(load_error(cnn), HasSubstr("cnn.csv:1: layer 'conv0' is a conv layer, but run.mode "
                                         "= functional runs fully connected networks only"));
}

// ------------------------------------------------------------------ shipped workloads

struct ShippedCase {
  const char* file;
  std::int64_t weights;
  std::size_t layers;
};

class ShippedWorkload : public ::testing::TestWithParam<ShippedCase> {};

TEST_P(ShippedWorkload, LoadsWithExpectedWeights) {
  const std::string path = kWorkloads + GetParam().file;
  const Topology topology = path.substr(path.size() - 4) == ".csv"
                                ? read_topology_file(path)
                                : Config::load(path, kTiming).topology();
  EXPECT_EQ(topology.weights(), GetParam().weights);
  EXPECT_EQ(topology.layers.size(), GetParam().layers);
}

INSTANTIATE_TEST_SUITE_P(Files, ShippedWorkload,
                         ::testing::Values(
                             // G17's arrays: 16 x 26 + 32 x 401 + 128 x 513 + 10 x 129.
                             ShippedCase{"mnist-cnn-2017.yaml",
                                         16 * 26 + 32 * 401 + 128 * 513 + 10 * 129, 6},
                             ShippedCase{"alexnet.yaml", 62378344, 11},
                             // VGG-16's well-known 138,357,544 parameters (its layers have biases).
                             ShippedCase{"vgg16.yaml", 138357544, 21},
                             // torchvision's 11,689,512 less 9,600 batch-norm parameters, plus one
                             // bias line per convolution output channel (4,800).
                             ShippedCase{"resnet18.yaml", 11689512 - 9600 + 4800, 31},
                             ShippedCase{"lstm-gemm.yaml", 4096 * 2049, 1},
                             ShippedCase{"fc-1e9.yaml", std::int64_t{60} * 4095 * 4096, 60},
                             ShippedCase{"mnist-mlp.yaml", 235146, 3},
                             ShippedCase{"neurosim/vgg8.csv", 12973440 + 2826, 11},
                             ShippedCase{"neurosim/resnet18.csv", 11689512 - 9600 + 4800, 22},
                             ShippedCase{"neurosim/alexnet.csv", 62378344, 11},
                             ShippedCase{"scalesim/vgg8.csv", 12973440 + 2826, 8},
                             ShippedCase{"scalesim/resnet18.csv", 11689512 - 9600 + 4800, 21},
                             ShippedCase{"scalesim/alexnet.csv", 62378344, 8},
                             ShippedCase{"scalesim/lstm-gemm.csv", 4096 * 2049, 1}),
                         [](const ::testing::TestParamInfo<ShippedCase>& info) {
                           std::string name = info.param.file;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ShippedWorkloads, FcOneBillionFillsSixtyTiles) {
  const Topology topology = Config::load(kWorkloads + "fc-1e9.yaml", kTiming).topology();
  EXPECT_NEAR(static_cast<double>(topology.weights()), 1.0064e9, 0.0001e9);
  for (const TopologyLayer& layer : topology.layers) {
    EXPECT_EQ(layer.matrix_rows(), 4095);
    EXPECT_EQ(layer.matrix_columns() + 1, 4096);
  }
}

// The three formats describe the same ResNet-18 convolutions, so their array reads agree.
TEST(ShippedWorkloads, ResNet18SameMacsInEveryFormat) {
  const std::int64_t yaml =
      Config::load(kWorkloads + "resnet18.yaml", kTiming).topology().forward_macs();
  EXPECT_EQ(read_topology_file(kWorkloads + "neurosim/resnet18.csv").forward_macs(), yaml);
  EXPECT_EQ(read_topology_file(kWorkloads + "scalesim/resnet18.csv").forward_macs(), yaml);
  EXPECT_EQ(read_topology_file(kWorkloads + "neurosim/vgg8.csv").forward_macs(),
            read_topology_file(kWorkloads + "scalesim/vgg8.csv").forward_macs());
  EXPECT_EQ(read_topology_file(kWorkloads + "scalesim/alexnet.csv").forward_macs(),
            Config::load(kWorkloads + "alexnet.yaml", kTiming).topology().forward_macs());
}

TEST(ShippedWorkloads, MnistCnnReusesOfThePaper) {
  const Topology topology = Config::load(kWorkloads + "mnist-cnn-2017.yaml", kTiming).topology();
  EXPECT_EQ(topology.layers[0].reuses(), 576);
  EXPECT_EQ(topology.layers[2].reuses(), 64);
  EXPECT_EQ(topology.layers[4].matrix_columns(), 512);
}

}  // namespace
}  // namespace rpusim
