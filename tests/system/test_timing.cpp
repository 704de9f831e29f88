// Timing-only runs (run.mode: timing) of hand-built topologies. The CNN of Gokmen, Onen &
// Haensch (2017) checks the conv mapping: each layer's forward read time per image is its
// reuses times the tile's read cycle (docs/model.md works the figures out by hand).
// Pipelining checks compare one schedule against the other on the same chip.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tlm>

#include "models/common/config.hpp"
#include "models/timing/timing_chip.hpp"
#include "models/workload/topology.hpp"
#include "tb/protocol_checker.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

class TimingTest : public testing::SystemCTest {};

const std::string kPaperConfig = std::string(RPUSIM_SOURCE_DIR) + "/configs/paper-mnist.yaml";

Config timing_config(std::vector<std::string> overrides) {
  overrides.insert(overrides.begin(), {"run.mode=timing", "run.progress=false"});
  return Config::load(kPaperConfig, overrides);
}

TopologyLayer conv(int size, int channels, int kernel, int filters, const char* name) {
  TopologyLayer layer;
  layer.name = name;
  layer.kind = LayerKind::kConv;
  layer.activation = "relu";
  layer.in_height = layer.in_width = size;
  layer.in_channels = channels;
  layer.kernel_height = layer.kernel_width = kernel;
  layer.out_channels = filters;
  return layer;
}

TopologyLayer max_pool(int size, int channels, const char* name) {
  TopologyLayer layer;
  layer.name = name;
  layer.kind = LayerKind::kPool;
  layer.in_height = layer.in_width = size;
  layer.in_channels = layer.out_channels = channels;
  layer.kernel_height = layer.kernel_width = 2;
  layer.stride = 2;
  return layer;
}

TopologyLayer fully_connected(int inputs, int outputs, const char* activation, const char* name) {
  TopologyLayer layer;
  layer.name = name;
  layer.activation = activation;
  layer.in_channels = inputs;
  layer.out_channels = outputs;
  return layer;
}

// The MNIST CNN of Gokmen, Onen & Haensch (2017): 5x5 conv 1 -> 16, 2x2 max pool,
// 5x5 conv 16 -> 32, 2x2 max pool, fully connected 512 -> 128 -> 10.
Topology mnist_cnn() {
  Topology topology;
  topology.name = "mnist-cnn-2017";
  topology.layers = {conv(28, 1, 5, 16, "K1"),        max_pool(24, 16, "P1"),
                     conv(12, 16, 5, 32, "K2"),       max_pool(8, 32, "P2"),
                     fully_connected(512, 128, "sigmoid", "W3"),
                     fully_connected(128, 10, "softmax", "W4")};
  return topology;
}

Topology mnist_mlp() {
  Topology topology;
  topology.name = "mlp";
  topology.layers = {fully_connected(784, 256, "sigmoid", "W1"),
                     fully_connected(256, 128, "sigmoid", "W2"),
                     fully_connected(128, 10, "softmax", "W3")};
  return topology;
}

nlohmann::json simulate(const Config& config, const Topology& topology) {
  ProtocolCheckers checkers;
  TimingChip chip("chip", config, topology, checkers.connector());
  tlm::tlm_global_quantum::instance().set(
      sc_core::sc_time(config.get_real("run.quantum_ns"), sc_core::SC_NS));
  sc_core::sc_start();
  EXPECT_GT(checkers.transactions(), 0u);
  EXPECT_EQ(checkers.violations(), 0u);
  return chip.report(0.0);
}

TEST_F(TimingTest, CnnForwardReadsAreReusesTimesCycle) {
  // One image, no overlap of conversion and integration: a read cycle is DAC setup (1 ns)
  // + t_meas (80 ns) + min(rows, 16 lines per ADC) conversions of 5 ns.
  const Config config = timing_config({"timing.samples=1", "timing.schedule=sequential",
                                       "adc.overlap_conversion=false", "chip.tiles=4",
                                       "chip.nlf_units=1"});
  const nlohmann::json report = simulate(config, mnist_cnn());
  const auto& layers = report["mapping"]["layers"];
  ASSERT_EQ(layers.size(), 6u);

  struct Expected {
    int index;
    double reuses;
    double cycle_ns;
  };
  const Expected expected[] = {{0, 576, 161}, {2, 64, 161}, {4, 1, 161}, {5, 1, 131}};
  double sum_ns = 0;
  double reported_ns = 0;
  for (const Expected& e : expected) {
    const auto& row = layers[static_cast<std::size_t>(e.index)];
    EXPECT_EQ(row["reuses"].get<double>(), e.reuses) << row["name"];
    EXPECT_NEAR(row["forward_read_s"].get<double>() * 1e9, e.reuses * e.cycle_ns, 1e-6)
        << row["name"];
    sum_ns += e.reuses * e.cycle_ns;
    reported_ns += row["forward_read_s"].get<double>() * 1e9;
  }
  EXPECT_NEAR(reported_ns, 103332.0, 1e-6);  // 92,736 + 10,304 + 161 + 131 ns
  EXPECT_NEAR(sum_ns, 103332.0, 1e-6);
  EXPECT_EQ(layers[1]["forward_read_s"].get<double>(), 0.0);  // pooling runs in the NLF unit
}

TEST_F(TimingTest, ConvReplicationSharesReuses) {
  const Config config = timing_config({"timing.samples=1", "timing.schedule=sequential",
                                       "adc.overlap_conversion=false", "chip.tiles=8",
                                       "mapping.conv_replication=2"});
  const nlohmann::json report = simulate(config, mnist_cnn());
  const auto& layers = report["mapping"]["layers"];
  EXPECT_EQ(report["mapping"]["tiles_used"], 6);  // K1 x 2, K2 x 2, W3, W4
  EXPECT_EQ(layers[0]["replicas"], 2);
  EXPECT_NEAR(layers[0]["forward_read_s"].get<double>() * 1e9, 288 * 161.0, 1e-6);
  EXPECT_NEAR(layers[2]["forward_read_s"].get<double>() * 1e9, 32 * 161.0, 1e-6);
}

TEST_F(TimingTest, PipelineBeatsSequentialSchedule) {
  // Two runs need two elaborations; run the pipelined one here and compare it with the
  // sequential schedule's own figure, the sum of every stage's time, from the report.
  const Config config = timing_config({"timing.samples=400", "chip.nlf_units=3"});
  const nlohmann::json report = simulate(config, mnist_mlp());
  EXPECT_EQ(report["status"], "complete");
  EXPECT_EQ(report["pipeline"]["schedule"], "pipelined");
  EXPECT_EQ(report["pipeline"]["max_samples_in_flight"].get<int>(), 6);  // one per stage
  const double interval = report["timing"]["per_sample_s"].get<double>();
  const double latency = report["timing"]["latency_per_sample_s"].get<double>();
  EXPECT_LT(interval, latency / 2) << "samples should overlap in the pipeline";
  // The busiest block bounds the interval from below.
  const double busiest = report["pipeline"]["busiest_blocks"][0]["busy_per_sample_s"].get<double>();
  EXPECT_GE(interval, busiest * (1 - 1e-9));
}

TEST_F(TimingTest, SteadyStateLeavesOutTheDrain) {
  // After the last sample enters, the pipeline drains: the CNN's first tile has only updates
  // left and the last completions come faster than it could serve a stream of samples. The
  // steady-state window ends before the drain, so even a short run's interval stays at or
  // above the busiest block's time per sample.
  const Config config = timing_config({"timing.samples=60", "chip.tiles=4", "chip.nlf_units=4"});
  const nlohmann::json report = simulate(config, mnist_cnn());
  EXPECT_EQ(report["status"], "complete");
  const double interval = report["timing"]["per_sample_s"].get<double>();
  const double busiest = report["pipeline"]["busiest_blocks"][0]["busy_per_sample_s"].get<double>();
  EXPECT_GE(interval, busiest * 0.99);
  // 60 samples are fewer than 16 per stage (200), so the report does not call it converged.
  EXPECT_FALSE(report["pipeline"]["steady_state_converged"].get<bool>());
  const auto& window = report["pipeline"]["steady_state_window"];
  ASSERT_TRUE(window.is_object());
  // 60 samples, 12 stages: the window ends at sample 60 - 1 - 12 = 47 and starts at its
  // middle, sample 23.
  EXPECT_EQ(window["first_sample"], 23);
  EXPECT_EQ(window["last_sample"], 47);
}

TEST_F(TimingTest, ShortRunIsNotConverged) {
  // 27 samples of the 3-layer MLP give a window, samples 10 to 20, whose interval is 8 %
  // above that of 5,000 samples while it stays above the bottleneck's busy time. Only the
  // minimum of 16 samples per pipeline stage (6 stages: 16 x 6 + 8 = 104) flags it.
  const nlohmann::json report = simulate(timing_config({"timing.samples=27"}), mnist_mlp());
  const auto& pipeline = report["pipeline"];
  ASSERT_TRUE(pipeline["steady_state_window"].is_object());
  const double interval = report["timing"]["per_sample_s"].get<double>();
  const double busiest = pipeline["busiest_blocks"][0]["busy_per_sample_s"].get<double>();
  EXPECT_GE(interval, busiest * 0.99);
  EXPECT_EQ(pipeline["converged_min_samples"], 104);
  EXPECT_FALSE(pipeline["steady_state_converged"].get<bool>());
}

TEST_F(TimingTest, RunOfMinimumSamplesIsConverged) {
  const nlohmann::json report = simulate(timing_config({"timing.samples=104"}), mnist_mlp());
  EXPECT_TRUE(report["pipeline"]["steady_state_converged"].get<bool>());
}

TEST_F(TimingTest, SequentialRunNeedsNoFill) {
  const nlohmann::json report =
      simulate(timing_config({"timing.samples=8", "timing.schedule=sequential"}), mnist_mlp());
  EXPECT_EQ(report["pipeline"]["converged_min_samples"], 8);
  EXPECT_TRUE(report["pipeline"]["steady_state_converged"].get<bool>());
}

TEST_F(TimingTest, TooFewSamplesGiveNoSteadyState) {
  // 12 stages need 12 + 8 samples for a window; with 15 the report has none.
  const Config config = timing_config({"timing.samples=15", "chip.tiles=4", "chip.nlf_units=4"});
  const nlohmann::json report = simulate(config, mnist_cnn());
  EXPECT_EQ(report["status"], "complete");
  EXPECT_TRUE(report["pipeline"]["steady_state_window"].is_null());
  EXPECT_FALSE(report["pipeline"]["steady_state_converged"].get<bool>());
  EXPECT_EQ(report["pipeline"]["steady_state_min_samples"], 20);
}

TEST_F(TimingTest, BufferDepthOneSerialisesSamples) {
  // Each layer keeps the x of one sample, so a sample's first forward waits for the previous
  // sample's last operation, its update of layer 0. Samples therefore do not overlap, and
  // the interval between them is at least a sample's latency.
  const Config config =
      timing_config({"timing.samples=200", "chip.nlf_units=3", "timing.buffer_depth=1"});
  const nlohmann::json report = simulate(config, mnist_mlp());
  EXPECT_EQ(report["status"], "complete");
  EXPECT_EQ(report["pipeline"]["max_samples_in_flight"].get<int>(), 1);
  const double interval = report["timing"]["per_sample_s"].get<double>();
  const double latency = report["timing"]["latency_per_sample_s"].get<double>();
  EXPECT_GE(interval, latency * (1 - 1e-9));
}

TEST_F(TimingTest, BufferDepthBoundsSamplesInFlight) {
  // With the x of two samples per layer, at most two samples are in flight, so the interval
  // is at least half a sample's latency. Without the bound (timing.buffer_depth 0) the same
  // chip keeps six in flight (PipelineBeatsSequentialSchedule).
  const Config config =
      timing_config({"timing.samples=200", "chip.nlf_units=3", "timing.buffer_depth=2"});
  const nlohmann::json report = simulate(config, mnist_mlp());
  EXPECT_EQ(report["status"], "complete");
  EXPECT_EQ(report["pipeline"]["max_samples_in_flight"].get<int>(), 2);
  const double interval = report["timing"]["per_sample_s"].get<double>();
  const double latency = report["timing"]["latency_per_sample_s"].get<double>();
  EXPECT_GE(interval, latency / 2 * (1 - 1e-9));
  EXPECT_LT(interval, latency);
}

TEST_F(TimingTest, SplitLayerAccumulatesPartialSums) {
  // A 300 x 700 layer on 256 x 256 tiles: 2 row blocks x 3 column blocks (the bias in the
  // last), with the column blocks' partial sums added in the NLF unit.
  const Config config = timing_config({"timing.samples=2", "timing.schedule=sequential",
                                       "tile.input_lines=256", "tile.output_lines=256",
                                       "chip.tiles=6"});
  Topology topology;
  topology.name = "split";
  topology.layers = {fully_connected(700, 300, "softmax", "W1")};
  const nlohmann::json report = simulate(config, topology);
  const auto& layer = report["mapping"]["layers"][0];
  EXPECT_EQ(layer["row_blocks"], 2);
  EXPECT_EQ(layer["column_blocks"], 3);
  EXPECT_EQ(layer["tiles"], 6);
  EXPECT_EQ(report["mapping"]["tiles_used"], 6);
  EXPECT_GT(report["energy"]["by_component"]["nlf"].get<double>(), 0.0);
}

TEST_F(TimingTest, OnlyNlfUnitsOfLayersBuiltAndPriced) {
  // Layer l uses NLF unit l mod chip.nlf_units, so the MLP's three layers use three units.
  // The other 4,093 would do no work, and neither their area nor their leakage counts.
  const Config config = timing_config({"timing.samples=10", "chip.nlf_units=4096"});
  const nlohmann::json report = simulate(config, mnist_mlp());
  EXPECT_EQ(report["status"], "complete");
  EXPECT_EQ(report["mapping"]["nlf_units_used"], 3);
  EXPECT_EQ(report["mapping"]["nlf_units_available"], 4096);
  const double lanes = config.get_real("nlf.lanes");
  const double unit_mm2 = config.get_real("nlf.area_um2_per_lane") * lanes * 1e-6;
  EXPECT_NEAR(report["area"]["by_component"]["nlf"].get<double>(), 3 * unit_mm2, 1e-9);
}

TEST_F(TimingTest, LayersShareFewerNlfUnits) {
  const Config config = timing_config({"timing.samples=10", "chip.nlf_units=2"});
  const nlohmann::json report = simulate(config, mnist_mlp());
  EXPECT_EQ(report["mapping"]["nlf_units_used"], 2);
  EXPECT_EQ(report["mapping"]["nlf_units_available"], 2);
}

}  // namespace
}  // namespace rpusim
