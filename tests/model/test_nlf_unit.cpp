// NlfUnit in a small bench. Each function on the vector buffer V is checked against a plain
// C++ reference, with its exact duration (passes x ceil(length / lanes) clock cycles) and
// its energy per element. Further tests cover the scale register of noise and bound
// management, queueing on the unit's busy-until time and the error responses.
#include "models/nlf/nlf_unit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "tb/protocol_checker.hpp"
#include "tests/model/test_at_initiator.hpp"
#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using testing::TestInitiator;

class NlfUnitTest : public testing::SystemCTest {};

// Loads V with `values` and sets LENGTH, at the local offset `delay`.
void load(TestInitiator& bench, const std::vector<float>& values, sc_time& delay) {
  ASSERT_EQ(bench.write(nlf_map::kLength, static_cast<std::uint32_t>(values.size()), delay),
            tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(bench.write_vector(nlf_map::kVBuffer, values, delay), tlm::TLM_OK_RESPONSE);
}

// Runs `function` with a zero local offset, waits until it completes (so the next call
// finds the unit idle) and returns its annotated duration.
sc_time run_function(TestInitiator& bench, std::uint32_t function) {
  sc_time delay;
  EXPECT_EQ(bench.write(nlf_map::kFunction, function, delay), tlm::TLM_OK_RESPONSE)
      << "function " << function;
  sc_core::wait(delay);
  return delay;
}

std::vector<float> read_v(TestInitiator& bench, std::size_t count) {
  std::vector<float> values(count);
  sc_time delay;
  EXPECT_EQ(bench.read_vector(nlf_map::kVBuffer, values, delay), tlm::TLM_OK_RESPONSE);
  return values;
}

float read_scale(TestInitiator& bench) {
  float scale = 0.0f;
  sc_time delay;
  EXPECT_EQ(bench.read(nlf_map::kScale, scale, delay), tlm::TLM_OK_RESPONSE);
  return scale;
}

std::vector<float> ramp(int count, float start, float step) {
  std::vector<float> values(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) values[i] = start + step * static_cast<float>(i);
  return values;
}

double nlf_energy(const EnergyLedger& ledger) {
  return ledger.component_total(Component::kNlf, false);
}

TEST_F(NlfUnitTest, SigmoidValuesTimeAndEnergy) {
  // 130 elements on 64 lanes take ceil(130 / 64) = 3 cycles of 1 ns (chip.clock_mhz 1000).
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);
  const std::vector<float> input = ramp(130, -6.5f, 0.1f);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, input, delay);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(run_function(bench, nlf_map::kSigmoid), sc_time(3, SC_NS));
    const std::vector<float> output = read_v(bench, input.size());
    for (std::size_t i = 0; i < input.size(); ++i) {
      EXPECT_NEAR(output[i], 1.0 / (1.0 + std::exp(-static_cast<double>(input[i]))), 1e-6)
          << "element " << i;
    }
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_NEAR(nlf_energy(ledger), 130 * 0.12e-12, 1e-24);
  EXPECT_EQ(unit.operations(), 130u);
}

TEST_F(NlfUnitTest, DurationIsCyclesPerPassTimesPasses) {
  // chip.clock_mhz = 500 (2 ns per cycle) and 16 lanes.
  Config config = Config::defaults();
  config.set("chip.clock_mhz", "500");
  config.set("nlf.lanes", "16");
  const NlfParams params = NlfParams::from_config(config);
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, ramp(16, 0.0f, 0.25f), delay);
    EXPECT_EQ(run_function(bench, nlf_map::kSigmoid), sc_time(2, SC_NS));
    load(bench, ramp(17, 0.0f, 0.25f), delay);
    EXPECT_EQ(run_function(bench, nlf_map::kSigmoid), sc_time(2 * 2, SC_NS));
    load(bench, ramp(40, 0.0f, 0.25f), delay);
    // Softmax: nlf.softmax_passes = 3 passes of ceil(40 / 16) = 3 cycles.
    EXPECT_EQ(run_function(bench, nlf_map::kSoftmax), sc_time(3 * 3 * 2, SC_NS));
    // Noise management: a search pass and a scaling pass.
    EXPECT_EQ(run_function(bench, nlf_map::kNoiseManagement), sc_time(2 * 3 * 2, SC_NS));
    EXPECT_EQ(run_function(bench, nlf_map::kHalve), sc_time(3 * 2, SC_NS));
    EXPECT_EQ(run_function(bench, nlf_map::kRescale), sc_time(3 * 2, SC_NS));
    EXPECT_EQ(run_function(bench, nlf_map::kArgmaxSearch), sc_time(3 * 2, SC_NS));
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(NlfUnitTest, AtBusyUnitDelaysSecondEndRequest) {
  // Approximately timed: SIGMOID of 130 elements takes 3 ns. A second FUNCTION sent right
  // after the first END_REQ gets its END_REQ 3 ns later, when the first one's service ends.
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);
  ProtocolChecker checker("checker", nlf_map::kRegionSize);
  using testing::AtTestInitiator;

  AtTestInitiator bench("bench", [&](AtTestInitiator& bench) {
    auto length = AtTestInitiator::make_write(nlf_map::kLength, std::uint32_t{130});
    ASSERT_EQ(bench.transact(length->payload), tlm::TLM_OK_RESPONSE);
    const sc_time start = sc_core::sc_time_stamp();
    auto first = AtTestInitiator::make_write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid});
    auto second = AtTestInitiator::make_write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid});

    EXPECT_EQ(bench.begin_request(first->payload), tlm::TLM_ACCEPTED);
    EXPECT_EQ(bench.wait_for(first->payload, tlm::END_REQ), start);
    EXPECT_EQ(bench.begin_request(second->payload), tlm::TLM_ACCEPTED);
    EXPECT_EQ(bench.wait_for(second->payload, tlm::END_REQ), start + sc_time(3, SC_NS));
    EXPECT_EQ(bench.wait_for(first->payload, tlm::BEGIN_RESP), start + sc_time(3, SC_NS));
    bench.end_response(first->payload);
    EXPECT_EQ(bench.wait_for(second->payload, tlm::BEGIN_RESP), start + sc_time(6, SC_NS));
    bench.end_response(second->payload);
    EXPECT_EQ(second->payload.get_response_status(), tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(checker.target_socket);
  checker.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(unit.operations(), 2 * 130u);
  EXPECT_EQ(checker.violations(), 0u);
}

TEST_F(NlfUnitTest, SoftmaxAndCrossEntropyError) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);
  const std::vector<float> logits = {1.0f, -2.0f, 0.5f, 3.0f, 0.0f};

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, logits, delay);
    EXPECT_EQ(run_function(bench, nlf_map::kSoftmax), sc_time(3, SC_NS));
    const std::vector<float> probabilities = read_v(bench, logits.size());
    double sum = 0;
    for (float logit : logits) sum += std::exp(static_cast<double>(logit));
    for (std::size_t i = 0; i < logits.size(); ++i) {
      EXPECT_NEAR(probabilities[i], std::exp(static_cast<double>(logits[i])) / sum, 1e-6)
          << "class " << i;
    }

    ASSERT_EQ(bench.write(nlf_map::kLabel, std::uint32_t{3}, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(run_function(bench, nlf_map::kCrossEntropyError), sc_time(1, SC_NS));
    const std::vector<float> error = read_v(bench, logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i) {
      const float onehot = i == 3 ? 1.0f : 0.0f;
      EXPECT_FLOAT_EQ(error[i], onehot - probabilities[i]) << "class " << i;
    }
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_NEAR(nlf_energy(ledger), 5 * 2e-12 + 5 * 0.1e-12, 1e-24);
}

TEST_F(NlfUnitTest, SigmoidDerivativeUsesSavedActivations) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);
  const std::vector<float> error = {1.0f, -2.0f, 0.5f};
  const std::vector<float> activations = {0.5f, 0.25f, 0.875f};

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, error, delay);
    ASSERT_EQ(bench.write_vector(nlf_map::kSBuffer, activations, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(run_function(bench, nlf_map::kMultiplySigmoidDerivative), sc_time(1, SC_NS));
    // V = V S (1 - S): 1 x 0.25, -2 x 0.1875, 0.5 x 0.109375.
    EXPECT_EQ(read_v(bench, 3), (std::vector<float>{0.25f, -0.375f, 0.0546875f}));
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_NEAR(nlf_energy(ledger), 3 * 0.3e-12, 1e-24);
}

TEST_F(NlfUnitTest, NoiseManagementSetsScaleToMaxMagnitude) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, {0.5f, -4.0f, 1.0f, 2.0f}, delay);
    EXPECT_EQ(run_function(bench, nlf_map::kNoiseManagement), sc_time(2, SC_NS));
    EXPECT_EQ(read_scale(bench), 4.0f);
    EXPECT_EQ(read_v(bench, 4), (std::vector<float>{0.125f, -1.0f, 0.25f, 0.5f}));
    // Rescale multiplies back by the scale.
    run_function(bench, nlf_map::kRescale);
    EXPECT_EQ(read_v(bench, 4), (std::vector<float>{0.5f, -4.0f, 1.0f, 2.0f}));

    // An all-zero vector keeps scale 1 (no division by zero).
    load(bench, {0.0f, 0.0f}, delay);
    run_function(bench, nlf_map::kNoiseManagement);
    EXPECT_EQ(read_scale(bench), 1.0f);
    EXPECT_EQ(read_v(bench, 2), (std::vector<float>{0.0f, 0.0f}));
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  // Noise management: a compare and a scale per element; rescale: a scale per element.
  EXPECT_NEAR(nlf_energy(ledger), 4 * (0.01e-12 + 0.3e-12) + 4 * 0.3e-12 + 2 * (0.01e-12 + 0.3e-12),
              1e-24);
}

TEST_F(NlfUnitTest, HalveDoublesScale) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, {1.0f, -0.5f, 0.25f}, delay);
    ASSERT_EQ(bench.write(nlf_map::kScale, 1.5f, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(run_function(bench, nlf_map::kHalve), sc_time(1, SC_NS));
    EXPECT_EQ(read_scale(bench), 3.0f);
    EXPECT_EQ(read_v(bench, 3), (std::vector<float>{0.5f, -0.25f, 0.125f}));
    run_function(bench, nlf_map::kHalve);
    EXPECT_EQ(read_scale(bench), 6.0f);
    EXPECT_EQ(read_v(bench, 3), (std::vector<float>{0.25f, -0.125f, 0.0625f}));
    // Scale x halved vector is the original vector.
    run_function(bench, nlf_map::kRescale);
    EXPECT_EQ(read_v(bench, 3), (std::vector<float>{1.5f, -0.75f, 0.375f}));
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(NlfUnitTest, ArgmaxSearch) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, {0.1f, -3.0f, 2.5f, 2.4f, -7.0f}, delay);
    run_function(bench, nlf_map::kArgmaxSearch);
    std::uint32_t argmax = 99;
    ASSERT_EQ(bench.read(nlf_map::kArgmax, argmax, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(argmax, 2u);
    // The search leaves V unchanged.
    EXPECT_EQ(read_v(bench, 5), (std::vector<float>{0.1f, -3.0f, 2.5f, 2.4f, -7.0f}));
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_NEAR(nlf_energy(ledger), 5 * 0.01e-12, 1e-24);
}

TEST_F(NlfUnitTest, AbsMaxSetsScaleOnly) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, {0.5f, -3.0f, 2.0f}, delay);
    EXPECT_EQ(run_function(bench, nlf_map::kAbsMax), sc_time(1, SC_NS));
    EXPECT_EQ(read_scale(bench), 3.0f);
    EXPECT_EQ(read_v(bench, 3), (std::vector<float>{0.5f, -3.0f, 2.0f}));
    // An all-zero vector gives 0 (update management then skips the update).
    load(bench, {0.0f, 0.0f}, delay);
    run_function(bench, nlf_map::kAbsMax);
    EXPECT_EQ(read_scale(bench), 0.0f);
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_NEAR(nlf_energy(ledger), (3 + 2) * 0.01e-12, 1e-24);
}

TEST_F(NlfUnitTest, BackToBackFunctionsQueue) {
  // Two initiators calling at the same time: the second function waits for the first.
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, ramp(200, -1.0f, 0.01f), delay);  // 4 cycles per pass on 64 lanes
    sc_time first;
    sc_time second;
    ASSERT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid}, first),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid}, second),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(first, sc_time(4, SC_NS));
    EXPECT_EQ(second, sc_time(8, SC_NS));
    // A call whose local offset lies past the busy-until time does not wait.
    sc_time later = sc_time(20, SC_NS);
    ASSERT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid}, later),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(later, sc_time(24, SC_NS));
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(NlfUnitTest, InvalidAccessesGiveErrorResponses) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    load(bench, {1.0f, 2.0f}, delay);
    EXPECT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{0}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{99}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);

    // The label must name one of the LENGTH elements.
    ASSERT_EQ(bench.write(nlf_map::kLabel, std::uint32_t{2}, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kCrossEntropyError}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);

    // LENGTH beyond the buffer capacity is rejected and leaves LENGTH unchanged.
    EXPECT_EQ(bench.write(nlf_map::kLength, nlf_map::kCapacity + 1, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    std::uint32_t length = 0;
    ASSERT_EQ(bench.read(nlf_map::kLength, length, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(length, 2u);
    EXPECT_EQ(bench.write(nlf_map::kLength, nlf_map::kCapacity, delay), tlm::TLM_OK_RESPONSE);

    // FUNCTION is write-only, ARGMAX read-only.
    std::uint32_t word = 0;
    EXPECT_EQ(bench.read(nlf_map::kFunction, word, delay), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(nlf_map::kArgmax, std::uint32_t{1}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);

    // Unmapped addresses.
    EXPECT_EQ(bench.read(0x0014, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(nlf_map::kRegionSize, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    std::vector<float> past_end(2);
    EXPECT_EQ(bench.read_vector(nlf_map::kSBuffer - 4, past_end, delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);

    // Failed calls take no time.
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  bench.initiator_socket.bind(unit.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(nlf_energy(ledger), 0.0);
  EXPECT_EQ(unit.operations(), 0u);
}

TEST_F(NlfUnitTest, StaticPowerAndAreaPerLane) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  NlfUnit unit("nlf", params, ledger);
  EXPECT_NEAR(unit.static_power_w(), 64 * 12e-6, 1e-15);
  EXPECT_NEAR(unit.area_um2(), 64 * 400.0, 1e-9);
}

}  // namespace
}  // namespace rpusim
