// Network-file readers: NeuroSim network CSVs and SCALE-Sim topology CSVs, read leniently
// where the meaning is clear (CRLF, trailing commas, blank rows, spaces, no last newline),
// and otherwise rejected with an InputError that names file:line:column, the value and
// what is allowed.
#include "models/workload/topology_io.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "models/common/error.hpp"
#include "tests/unit/temp_dir.hpp"

namespace rpusim {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

const std::string kSourceDir = RPUSIM_SOURCE_DIR;

// Returns the InputError message of reading `path`, or fails the test.
std::string read_error(const std::string& path, TopologyFormat format = TopologyFormat::kAuto) {
  try {
    read_topology_file(path, format);
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "read_topology_file(" << path << ") did not throw InputError";
  return "";
}

const char* const kVgg8NeuroSim =
    "32,32,3,3,3,128,0,1\n"
    "32,32,128,3,3,128,1,1\n"
    "16,16,128,3,3,256,0,1\n"
    "16,16,256,3,3,256,1,1\n"
    "8,8,256,3,3,512,0,1\n"
    "8,8,512,3,3,512,1,1\n"
    "1,1,8192,1,1,1024,0,1\n"
    "1,1,1024,1,1,10,0,1\n";

// ------------------------------------------------------------------ NeuroSim, valid files

TEST(NeuroSimCsv, ReadsVgg8) {
  TempDir dir;
  const Topology topology = read_neurosim_csv(dir.write("vgg8.csv", kVgg8NeuroSim));
  ASSERT_EQ(topology.layers.size(), 11u);  // 8 weighted layers and 3 pools
  EXPECT_EQ(topology.name, "vgg8");

  const TopologyLayer& first = topology.layers[0];
  EXPECT_EQ(first.kind, LayerKind::kConv);
  EXPECT_EQ(first.padding, 1);  // "same" padding of a 3 x 3 kernel
  EXPECT_EQ(first.out_height(), 32);
  EXPECT_EQ(first.reuses(), 1024);
  EXPECT_EQ(first.weights(), 128 * 28);
  EXPECT_THAT(first.origin, HasSubstr("vgg8.csv:1"));

  const TopologyLayer& pool = topology.layers[2];
  EXPECT_EQ(pool.kind, LayerKind::kPool);
  EXPECT_EQ(pool.pool, PoolType::kMax);
  EXPECT_EQ(pool.kernel_height, 2);
  EXPECT_EQ(pool.stride, 2);
  EXPECT_EQ(pool.out_height(), 16);
  EXPECT_EQ(pool.out_channels, 128);

  const TopologyLayer& fc = topology.layers[9];
  EXPECT_EQ(fc.kind, LayerKind::kFullyConnected);
  EXPECT_EQ(fc.matrix_columns(), 8192);
  EXPECT_EQ(fc.matrix_rows(), 1024);
  // 12,973,440 weights (the count NeuroSim's VGG-8 is known for) plus 2,826 bias lines.
  EXPECT_EQ(topology.weights(), 12973440 + 2826);
}

TEST(NeuroSimCsv, LenientFormattingGivesTheSameNetwork) {
  TempDir dir;
  const Topology clean = read_neurosim_csv(dir.write("clean.csv", kVgg8NeuroSim));
  const std::string messy =
      "\xEF\xBB\xBF"  // UTF-8 byte-order mark, as spreadsheet programs write it
      "32, 32, 3, 3, 3, 128, 0, 1,\r\n"
      "\r\n"
      " 32,32,128,3,3,128,1,1 ,,\r\n"
      ",,,\r\n"
      "16,16,128,3,3,256,0,1\r\n"
      "\t16,16,256,3,3,256,1,1\r\n"
      "8,8,256,3,3,512,0,1\n"
      "8,8,512,3,3,512,1,1\n"
      "\n"
      "1,1,8192,1,1,1024,0,1\n"
      "1,1,1024,1,1,10,0,1";  // no newline at the end
  const Topology lenient = read_neurosim_csv(dir.write("messy.csv", messy));
  ASSERT_EQ(lenient.layers.size(), clean.layers.size());
  EXPECT_EQ(lenient.weights(), clean.weights());
  EXPECT_EQ(lenient.forward_macs(), clean.forward_macs());
  // Layer origins count the blank lines: the seventh row is on line 10.
  EXPECT_THAT(lenient.layers[9].origin, HasSubstr("messy.csv:10"));
}

TEST(NeuroSimCsv, SevenColumnsMeanStrideOne) {
  TempDir dir;
  const Topology topology = read_neurosim_csv(dir.write("net.csv", "28,28,1,5,5,16,1\n"));
  ASSERT_EQ(topology.layers.size(), 2u);
  EXPECT_EQ(topology.layers[0].stride, 1);
  EXPECT_EQ(topology.layers[0].out_height(), 28);
  EXPECT_EQ(topology.layers[1].out_height(), 14);
}

TEST(NeuroSimCsv, NinthColumnIsIgnored) {
  TempDir dir;
  const Topology plain = read_neurosim_csv(dir.write("plain.csv", "224,224,3,7,7,64,1,2\n"));
  const Topology chiplet = read_neurosim_csv(dir.write("chiplet.csv", "224,224,3,7,7,64,1,2,3\n"));
  const Topology sparsity =
      read_neurosim_csv(dir.write("sparsity.csv", "224,224,3,7,7,64,1,2,0.35\n"));
  EXPECT_EQ(chiplet.forward_macs(), plain.forward_macs());
  EXPECT_EQ(sparsity.forward_macs(), plain.forward_macs());
  EXPECT_EQ(plain.layers[0].out_height(), 112);
  EXPECT_EQ(plain.layers[1].out_height(), 56);
}

TEST(NeuroSimCsv, KernelAsLargeAsTheInputIsFullyConnected) {
  TempDir dir;
  const Topology topology = read_neurosim_csv(dir.write("net.csv", "4,4,512,4,4,1024,0,1\n"));
  ASSERT_EQ(topology.layers.size(), 1u);
  const TopologyLayer& layer = topology.layers[0];
  EXPECT_EQ(layer.kind, LayerKind::kFullyConnected);
  EXPECT_EQ(layer.in_height, 1);
  EXPECT_EQ(layer.in_channels, 8192);
  EXPECT_EQ(layer.matrix_columns(), 8192);
  EXPECT_EQ(layer.reuses(), 1);
  EXPECT_EQ(layer.name, "fc0");
}

// ------------------------------------------------------------------ NeuroSim, errors

struct MalformedCase {
  const char* name;
  const char* content;
  const char* expected;  // message after "FILE:"
};

class NeuroSimMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(NeuroSimMalformed, NamesLineColumnAndValue) {
  TempDir dir;
  const std::string file = dir.write("net.csv", GetParam().content);
  const std::string message = read_error(file, TopologyFormat::kNeuroSim);
  EXPECT_EQ(message, file + ":" + GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NeuroSimMalformed,
    ::testing::Values(
        MalformedCase{
            "NotAnInteger", "32,32,3,3,3,128,0,1\n32,32,128,3,x3,128,1,1\n",
            "2:13: kernel width 'x3' is invalid: expected a positive integer of at most 100000000"},
        MalformedCase{"Zero", "32,32,3,3,3,0,0,1\n",
                      "1:13: output channels '0' is invalid: expected a positive integer of at "
                      "most 100000000"},
        MalformedCase{
            "Negative", "32,32,3,3,3,128,0,-2\n",
            "1:19: stride '-2' is invalid: expected a positive integer of at most 100000000"},
        MalformedCase{
            "Fraction", "32,32,3,3,3,128,0,1.5\n",
            "1:19: stride '1.5' is invalid: expected a positive integer of at most 100000000"},
        MalformedCase{"TooFewColumns", "32,32,3,3,3,128\n",
                      "1:16: row has 6 values: expected 7, 8 or 9 (input height, input width, "
                      "input channels, kernel height, kernel width, output channels, pooling "
                      "flag (0 or 1), stride (optional), a tool-specific value (optional))"},
        MalformedCase{"TooManyColumns", "32,32,3,3,3,128,0,1,0,7\n",
                      "1:23: row has 10 values: expected 7, 8 or 9 (input height, input width, "
                      "input channels, kernel height, kernel width, output channels, pooling "
                      "flag (0 or 1), stride (optional), a tool-specific value (optional))"},
        MalformedCase{"ColumnsChangeBetweenRows", "32,32,3,3,3,128,0,1\n32,32,128,3,3,128,1\n",
                      "2:20: row has 7 values but line 1 has 8: every row needs the same "
                      "columns"},
        MalformedCase{"KernelLargerThanInput", "3,3,16,5,5,32,0,1\n",
                      "1:8: kernel height 5 is larger than the input height 3"},
        MalformedCase{"PoolingFlagNotZeroOrOne", "32,32,3,3,3,128,2,1\n",
                      "1:17: pooling flag '2' is invalid: expected 0 or 1"},
        MalformedCase{
            "MissingValue", "32,,3,3,3,128,0,1\n",
            "1:4: input width is missing: expected a positive integer of at most 100000000"},
        MalformedCase{"PoolingAfterOneByOne", "1,1,512,1,1,10,1,1\n",
                      "1:16: pooling flag 1 adds a 2 x 2 max-pool, but the layer's output is "
                      "1 x 1"},
        MalformedCase{"NinthColumnNotANumber", "32,32,3,3,3,128,0,1,big\n",
                      "1:21: column 9 'big' is invalid: expected a number >= 0 (a "
                      "tool-specific value that rpusim ignores)"},
        MalformedCase{"CrlfAndBlankLinesCountedInPosition",
                      "32,32,3,3,3,128,0,1\r\n\r\n   16 , 16 , 128 , 3 , 3 , 2 5 6,0,1\r\n",
                      "3:28: output channels '2 5 6' is invalid: expected a positive integer of at "
                      "most 100000000"},
        MalformedCase{"ValueAboveLimit", "32,32,3,3,3,200000000,0,1\n",
                      "1:13: output channels '200000000' is invalid: expected a positive "
                      "integer of at most 100000000"},
        MalformedCase{"QuotedValue", "32,32,3,3,3,\"128\",0,1\n",
                      "1:13: quoted field: network files are read without CSV quoting, so "
                      "write the value without quotation marks (a layer name cannot contain a "
                      "comma)"}),
    [](const ::testing::TestParamInfo<MalformedCase>& info) { return info.param.name; });

TEST(NeuroSimCsv, EmptyFile) {
  TempDir dir;
  const std::string file = dir.write("empty.csv", "\n  \n,,\n");
  EXPECT_EQ(read_error(file, TopologyFormat::kNeuroSim),
            file + ": file is empty: expected a NeuroSim network with one row per layer");
  EXPECT_EQ(read_error(file),
            file +
                ": file is empty: expected a NeuroSim or SCALE-Sim network with one row per "
                "layer");
}

TEST(NeuroSimCsv, MissingFileAndDirectory) {
  TempDir dir;
  const std::string missing = dir.write("x.csv", "") + ".absent";
  EXPECT_EQ(read_error(missing), missing + ": file not found");
  const std::string directory = kSourceDir + "/configs";
  EXPECT_EQ(read_error(directory), directory + ": is a directory, expected a file");
}

// ------------------------------------------------------------------ SCALE-Sim, valid files

const char* const kScaleSimHeader =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
    "Strides,\n";

TEST(ScaleSimCsv, ReadsConvolutionsWithoutPadding) {
  TempDir dir;
  const std::string file = dir.write("resnet.csv", std::string(kScaleSimHeader) +
                                                       "Conv1,224,224,7,7,3,64,2,\n"
                                                       "Conv3_1a,56,56,3,3,64,128,2,\n"
                                                       "FC,1,1,1,1,512,1000,1,\n");
  const Topology topology = read_scalesim_csv(file);
  ASSERT_EQ(topology.layers.size(), 3u);
  EXPECT_EQ(topology.layers[0].name, "Conv1");
  EXPECT_EQ(topology.layers[0].padding, 0);
  EXPECT_EQ(topology.layers[0].out_height(), 109);  // (224 - 7) / 2 + 1, rounded down
  EXPECT_EQ(topology.layers[1].out_height(), 27);   // (56 - 3) / 2 + 1, rounded down
  EXPECT_EQ(topology.layers[2].kind, LayerKind::kFullyConnected);
  EXPECT_EQ(topology.layers[2].matrix_columns(), 512);
  EXPECT_EQ(topology.layers[2].weights(), 1000 * 513);
  EXPECT_THAT(topology.layers[1].origin, HasSubstr("resnet.csv:3"));
}

// SCALE-Sim's own Resnet50.csv carries a row of commas, named note columns and values in
// them. SCALE-Sim reads the first eight columns only.
TEST(ScaleSimCsv, LenientFormattingAndNamedExtraColumns) {
  TempDir dir;
  const std::string file = dir.write(
      "net.csv",
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
      "Filter, Strides,,,Eh,Ew,e2\r\n"
      ",,,,,,,,,,,,\r\n"
      "Conv1     ,224         ,224        ,11           ,11          ,3       ,96        ,4  ,,"
      ",110,110,12100\r\n"
      "\r\n"
      "  Conv2,27,27,5,5,96,256,1");
  const Topology topology = read_scalesim_csv(file);
  ASSERT_EQ(topology.layers.size(), 2u);
  EXPECT_EQ(topology.layers[0].name, "Conv1");
  EXPECT_EQ(topology.layers[0].out_height(), 54);
  EXPECT_EQ(topology.layers[1].name, "Conv2");
  EXPECT_EQ(topology.layers[1].matrix_columns(), 5 * 5 * 96);
  EXPECT_THAT(topology.layers[1].origin, HasSubstr("net.csv:5"));
}

TEST(ScaleSimCsv, StrideWidthColumn) {
  TempDir dir;
  const std::string file =
      dir.write("net.csv",
                "Layer name,IFMAP height,IFMAP width,Filter height,Filter width,Channels,Num "
                "filter,Stride height,Stride width,\nc1,32,32,3,3,3,16,2,2,\n");
  const Topology topology = read_scalesim_csv(file);
  ASSERT_EQ(topology.layers.size(), 1u);
  EXPECT_EQ(topology.layers[0].stride, 2);
  EXPECT_EQ(topology.layers[0].out_height(), 15);
}

TEST(ScaleSimCsv, ReadsGemm) {
  TempDir dir;
  // With and without trailing commas, as SCALE-Sim's own GEMM files vary.
  for (const std::string text :
       {"Layer, M, N, K,\nlstm,100,4096,2048,\n", "Layer,M,N,K\r\nlstm, 100, 4096, 2048\r\n"}) {
    const Topology topology = read_scalesim_csv(dir.write("gemm.csv", text));
    ASSERT_EQ(topology.layers.size(), 1u);
    const TopologyLayer& layer = topology.layers[0];
    EXPECT_EQ(layer.kind, LayerKind::kGemm);
    EXPECT_EQ(layer.name, "lstm");
    EXPECT_EQ(layer.gemm_rows, 100);
    EXPECT_EQ(layer.matrix_rows(), 4096);
    EXPECT_EQ(layer.matrix_columns(), 2048);
    EXPECT_EQ(layer.reuses(), 100);
  }
}

TEST(TopologyFile, AutoDetectsTheFormat) {
  TempDir dir;
  const Topology neurosim = read_topology_file(dir.write("a.csv", kVgg8NeuroSim));
  EXPECT_EQ(neurosim.layers.size(), 11u);
  const Topology scalesim = read_topology_file(dir.write("b.csv", "Layer, M, N, K,\ng,4,8,16,\n"));
  ASSERT_EQ(scalesim.layers.size(), 1u);
  EXPECT_EQ(scalesim.layers[0].kind, LayerKind::kGemm);
}

TEST(TopologyFile, FormatNames) {
  EXPECT_EQ(parse_topology_format("auto"), TopologyFormat::kAuto);
  EXPECT_EQ(parse_topology_format("neurosim"), TopologyFormat::kNeuroSim);
  EXPECT_EQ(parse_topology_format("scalesim"), TopologyFormat::kScaleSim);
  EXPECT_STREQ(topology_format_key(TopologyFormat::kScaleSim), "scalesim");
  EXPECT_THROW(parse_topology_format("onnx"), ConfigError);
}

// ------------------------------------------------------------------ SCALE-Sim, errors

class ScaleSimMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(ScaleSimMalformed, NamesLineColumnAndValue) {
  TempDir dir;
  const std::string file = dir.write("topo.csv", GetParam().content);
  const std::string message = read_error(file, TopologyFormat::kScaleSim);
  EXPECT_EQ(message, file + ":" + GetParam().expected);
}

const std::string kHeaderExpected =
    "expected 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
    "Num Filter, Strides,' (convolution) or 'Layer, M, N, K,' (GEMM)";
const std::string kUnknownHeader =
    "1:1: header 'Name' is not a SCALE-Sim topology header: " + kHeaderExpected;
const std::string kWrongColumn =
    "1:69: header 'Channel' is not a SCALE-Sim topology header: " + kHeaderExpected;

INSTANTIATE_TEST_SUITE_P(
    Cases, ScaleSimMalformed,
    ::testing::Values(
        MalformedCase{"HeaderOnly", kScaleSimHeader,
                      "1:99: the file has a header but no layer rows: expected one row per "
                      "layer after it"},
        MalformedCase{"UnknownHeader", "Name, H, W\nc,1,1\n", kUnknownHeader.c_str()},
        MalformedCase{"MisspelledHeaderColumn",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channel, Num Filter, Strides,\nc,8,8,3,3,1,1,1,\n",
                      kWrongColumn.c_str()},
        MalformedCase{"FilterLargerThanIfmap",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channels, Num Filter, Strides,\nConv1,8,8,3,9,1,4,1,\n",
                      "2:13: filter width 9 is larger than the IFMAP width 8"},
        MalformedCase{
            "FractionalStride",
            "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
            "Channels, Num Filter, Strides,\nConv1,8,8,3,3,1,4,1.5,\n",
            "2:19: stride '1.5' is invalid: expected a positive integer of at most 100000000"},
        MalformedCase{"TooFewValues",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channels, Num Filter, Strides,\nConv1,8,8,3,3,1,\n",
                      "2:17: row has 6 values: expected 8 as the header names them"},
        MalformedCase{"ValueInUnnamedColumn",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channels, Num Filter, Strides,\nConv1,8,8,3,3,1,4,1,9,\n",
                      "2:21: unexpected value '9' in column 9, which the header does not "
                      "name"},
        MalformedCase{"GemmZero", "Layer, M, N, K,\nfc1,4,0,16,\n",
                      "2:7: N '0' is invalid: expected a positive integer of at most 100000000"},
        MalformedCase{"DepthWise",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channels, Num Filter, Strides,\nDP_conv2,112,112,3,3,32,32,1,\n",
                      "2:1: layer name 'DP_conv2' marks a depth-wise convolution (SCALE-Sim's "
                      "'DP'), which rpusim does not model; rename the layer to read it as an "
                      "ordinary convolution"},
        MalformedCase{"StrideWidthDiffers",
                      "Layer name,IFMAP height,IFMAP width,Filter height,Filter width,Channels,"
                      "Num filter,Stride height,Stride width,\nc1,32,32,3,3,3,16,2,1,\n",
                      "2:21: stride width 1 differs from the stride height 2: rpusim models "
                      "one stride for both"},
        MalformedCase{"DuplicateName",
                      "Layer, M, N, K,\nfc1,4,8,16,\nfc2,4,8,8,\nfc1,4,8,8,\n",
                      "4:1: layer name 'fc1' is taken by the layer of line 2: every layer "
                      "needs its own name"},
        MalformedCase{"GeneratedNameTaken", "Layer, M, N, K,\ngemm1,4,8,16,\n,4,8,8,\n",
                      "3:1: the layer has no name, and its generated name 'gemm1' is taken by "
                      "the layer of line 2: give this layer a name"},
        MalformedCase{"NameTakenByGeneratedName", "Layer, M, N, K,\n,4,8,16,\ngemm0,4,8,8,\n",
                      "3:1: layer name 'gemm0' is taken by the unnamed layer of line 2, which "
                      "got it by default: every layer needs its own name"},
        MalformedCase{"IntegerName",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channels, Num Filter, Strides,\n3,8,8,3,3,1,4,1,\n",
                      "2:1: layer name '3' is invalid: expected a name that is not an integer, "
                      "because layer references (from, input_from) read integers as layer "
                      "indices"},
        MalformedCase{"QuotedName",
                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                      "Channels, Num Filter, Strides,\n\"c,1\",8,8,3,3,1,4,1,\n",
                      "2:1: quoted field: network files are read without CSV quoting, so "
                      "write the value without quotation marks (a layer name cannot contain a "
                      "comma)"},
        MalformedCase{"NeuroSimRowsReadAsScaleSim", "32,32,3,3,3,128,0,1\n",
                      "1:1: header '32' is not a SCALE-Sim topology header: expected 'Layer "
                      "name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                      "Num Filter, Strides,' (convolution) or 'Layer, M, N, K,' (GEMM)"}),
    [](const ::testing::TestParamInfo<MalformedCase>& info) { return info.param.name; });

TEST(TopologyFile, RowsAboveLimitRejected) {
  TempDir dir;
  std::string rows;
  for (int i = 0; i < 100001; ++i) rows += "8,8,4,3,3,4,0,1\n";
  const std::string message = read_error(dir.write("long.csv", rows));
  EXPECT_THAT(message, HasSubstr("long.csv:100001:1: too many rows"));
  EXPECT_THAT(message, HasSubstr("at most 100000 layer rows"));
}

TEST(TopologyFile, RowsAtLimitAccepted) {
  TempDir dir;
  std::string rows = "Layer, M, N, K,\n";
  for (int i = 0; i < 100000; ++i) rows += "g" + std::to_string(i) + ", 2, 3, 4,\n";
  const Topology topology = read_topology_file(dir.write("gemm.csv", rows));
  EXPECT_EQ(topology.layers.size(), 100000u);
}

TEST(TopologyFile, EndlessFileRejected) {
  const std::string message = read_error("/dev/zero");
  EXPECT_THAT(message, HasSubstr("/dev/zero: file is larger than 64 MiB"));
}

}  // namespace
}  // namespace rpusim
