// RpuTile in a small bench: one test initiator bound straight to the tile's target socket.
// The tests check the register interface and the numerics of exact and analog reads and
// updates. They check the exact completion times the tile annotates: DAC setup, t_meas,
// shared-ADC conversions, update pulse phases and queueing on busy-until times. And they
// check the energy the tile books per component against closed forms.
#include "models/tile/rpu_tile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
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
using Changes = std::vector<std::pair<std::string, std::string>>;
using ComponentEnergy = std::array<double, kComponentCount>;

class RpuTileTest : public testing::SystemCTest {};

constexpr std::uint64_t kSeed = 7;

// Default (paper) configuration with device bounds fixed at +-0.6, so that no test weight is
// clipped by a device drawn with a low bound, plus `changes`.
Config tile_config(const Changes& changes = {}) {
  Config config = Config::defaults();
  config.set("device.w_max_dtod", "0");
  config.set("device.w_min_dtod", "0");
  for (const auto& [key, value] : changes) config.set(key, value);
  return config;
}

ComponentEnergy ledger_totals(const EnergyLedger& ledger) {
  ComponentEnergy totals{};
  for (int c = 0; c < kComponentCount; ++c) {
    totals[static_cast<std::size_t>(c)] = ledger.component_total(static_cast<Component>(c), false);
  }
  return totals;
}

double of(const ComponentEnergy& energy, Component component) {
  return energy[static_cast<std::size_t>(component)];
}

// Reference y = W x in double precision (W row-major, outputs x inputs).
std::vector<double> multiply(const std::vector<float>& w, int outputs, int inputs,
                             const std::vector<float>& x) {
  std::vector<double> y(static_cast<std::size_t>(outputs), 0.0);
  for (int j = 0; j < outputs; ++j) {
    for (int i = 0; i < inputs; ++i) y[j] += static_cast<double>(w[j * inputs + i]) * x[i];
  }
  return y;
}

// Reference z = W^T d in double precision.
std::vector<double> multiply_transposed(const std::vector<float>& w, int outputs, int inputs,
                                        const std::vector<float>& d) {
  std::vector<double> z(static_cast<std::size_t>(inputs), 0.0);
  for (int j = 0; j < outputs; ++j) {
    for (int i = 0; i < inputs; ++i) z[i] += static_cast<double>(w[j * inputs + i]) * d[j];
  }
  return z;
}

void expect_relative(double actual, double expected, double tolerance, const char* quantity) {
  EXPECT_NEAR(actual, expected, std::fabs(expected) * tolerance) << quantity;
}

// A 3 x 4 layer whose weights, inputs and products are exact binary fractions, so every
// summation order gives the same float result.
const std::vector<float> kWeights3x4 = {0.5f,  -0.25f, 0.125f,  0.375f,   //
                                        -0.5f, 0.25f,  0.0f,    -0.125f,  //
                                        0.25f, 0.5f,   -0.375f, 0.0625f};
const std::vector<float> kInputs4 = {1.0f, 0.5f, -0.75f, 0.0f};

// --------------------------------------------------------------------------- forward

TEST_F(RpuTileTest, ForwardDelayIsSetupIntegrationAndConversions) {
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kXScale, 1.0f, delay), tlm::TLM_OK_RESPONSE);
    // Buffer and register accesses take no time of their own in the tile.
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    // DAC setup 1 ns + t_meas 80 ns + min(3 outputs, 16 lines per ADC) x 5 ns.
    EXPECT_EQ(delay, sc_time(1, SC_NS) + sc_time(80, SC_NS) + 3 * sc_time(5, SC_NS));
    EXPECT_EQ(delay, sc_time(96, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().forward_reads, 1u);
  EXPECT_EQ(tile.activity().busy, sc_time(81, SC_NS));
}

TEST_F(RpuTileTest, ForwardDelaySharedAdcLimitsConversions) {
  // 40 outputs share ADCs of 16 lines each: the busiest ADC converts 16 lines one after
  // the other, so 16 conversions set the time, not 40.
  const Config config = tile_config({{"run.numerics", "exact"}, {"adc.conversion_ns", "2.5"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 2, 40, std::vector<float>(80, 0.125f));

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, {1.0f, 1.0f}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(1, SC_NS) + sc_time(80, SC_NS) + 16 * sc_time(2.5, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, ExactForwardEqualsWx) {
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);
  ASSERT_EQ(tile.array().weights(), kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kXScale, 1.0f, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    std::vector<float> y(3, -99.0f);
    ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
    // Row by row: 0.5 - 0.125 - 0.09375, -0.5 + 0.125, 0.25 + 0.25 + 0.28125.
    EXPECT_EQ(y, (std::vector<float>{0.28125f, -0.375f, 0.78125f}));
    std::uint32_t saturated = 99;
    ASSERT_EQ(bench.read(tile_map::kSaturated, saturated, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(saturated, 0u);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, ForwardResultExcludesInputScale) {
  // The tile reads the X buffer as it is. The sequencer multiplies the result by X_SCALE in
  // the NLF unit (noise and bound management), so the read must not apply it too.
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kXScale, 4.0f, delay), tlm::TLM_OK_RESPONSE);
    float scale = 0.0f;
    ASSERT_EQ(bench.read(tile_map::kXScale, scale, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(scale, 4.0f);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    std::vector<float> y(3);
    ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(y, (std::vector<float>{0.28125f, -0.375f, 0.78125f}));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, ExactReadsMatchReferenceOnRandomInputs) {
  constexpr int kInputs = 50;
  constexpr int kOutputs = 20;
  const Config config = tile_config({{"run.numerics", "exact"}});
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<float> weight(-0.6f, 0.6f);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> weights(kInputs * kOutputs);
  for (float& w : weights) w = weight(rng);
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, kInputs, kOutputs, weights);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    for (int trial = 0; trial < 10; ++trial) {
      std::vector<float> x(kInputs);
      std::vector<float> d(kOutputs);
      for (float& v : x) v = value(rng);
      for (float& v : d) v = value(rng);
      sc_time delay;
      ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, x, delay), tlm::TLM_OK_RESPONSE);
      ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
                tlm::TLM_OK_RESPONSE);
      std::vector<float> y(kOutputs);
      ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
      const std::vector<double> y_reference = multiply(weights, kOutputs, kInputs, x);
      for (int j = 0; j < kOutputs; ++j) EXPECT_NEAR(y[j], y_reference[j], 1e-5) << "y " << j;

      ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, d, delay), tlm::TLM_OK_RESPONSE);
      ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kBackward}, delay),
                tlm::TLM_OK_RESPONSE);
      std::vector<float> z(kInputs);
      ASSERT_EQ(bench.read_vector(tile_map::kZBuffer, z, delay), tlm::TLM_OK_RESPONSE);
      const std::vector<double> z_reference = multiply_transposed(weights, kOutputs, kInputs, d);
      for (int i = 0; i < kInputs; ++i) EXPECT_NEAR(z[i], z_reference[i], 1e-5) << "z " << i;
    }
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().forward_reads, 10u);
  EXPECT_EQ(tile.activity().backward_reads, 10u);
}

TEST_F(RpuTileTest, AnalogForwardWithoutNonIdealitiesIsExact) {
  // Without quantisation and noise, and inside both bounds, the analog path computes W x.
  const Config config = tile_config({{"run.numerics", "analog"},
                                     {"dac.bits", "0"},
                                     {"adc.bits", "0"},
                                     {"integrator.out_noise", "0"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    std::vector<float> y(3);
    ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(y, (std::vector<float>{0.28125f, -0.375f, 0.78125f}));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, AnalogForwardStaysNearWx) {
  // Default periphery: 7-bit DAC, output noise 0.06 and a 9-bit ADC over +-12 move each
  // output by a few noise sigmas at most.
  const Config config = tile_config({{"run.numerics", "analog"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    std::vector<float> y(3);
    ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
    const std::vector<float> exact = {0.28125f, -0.375f, 0.78125f};
    const double adc_step = 24.0 / 510.0;
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(y[j], exact[j], 5 * 0.06 + adc_step) << "output " << j;
      // Every ADC result is a whole number of quantisation steps.
      const double levels = y[j] / adc_step;
      EXPECT_NEAR(levels, std::round(levels), 1e-3) << "output " << j;
    }
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, SaturatingReadSetsSaturatedRegister) {
  // 32 inputs at full scale on weights of 0.5 give |y| = 16, beyond the output bound 12.
  constexpr int kInputs = 32;
  const Config config = tile_config({{"run.numerics", "analog"}});
  std::vector<float> weights(2 * kInputs, 0.5f);
  for (int i = 0; i < kInputs; ++i) weights[kInputs + i] = -0.5f;
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, kInputs, 2, weights);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t saturated = 99;
    std::vector<float> y(2);
    // A small input stays inside the bound: |y| = 32 x 0.5 x 0.25 = 4.
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, std::vector<float>(kInputs, 0.25f), delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kSaturated, saturated, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(saturated, 0u);

    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, std::vector<float>(kInputs, 1.0f), delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kSaturated, saturated, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(saturated, 2u);
    ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_FLOAT_EQ(y[0], 12.0f);
    EXPECT_FLOAT_EQ(y[1], -12.0f);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().forward_reads, 2u);
  EXPECT_EQ(tile.activity().saturated_reads, 1u);
}

TEST_F(RpuTileTest, ExactReadNeverSaturates) {
  // Exact numerics model no periphery limits, so the same read passes |y| = 16 through.
  constexpr int kInputs = 32;
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, kInputs, 1, std::vector<float>(kInputs, 0.5f));

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, std::vector<float>(kInputs, 1.0f), delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    std::uint32_t saturated = 99;
    ASSERT_EQ(bench.read(tile_map::kSaturated, saturated, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(saturated, 0u);
    std::vector<float> y(1);
    ASSERT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(y[0], 16.0f);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

// ------------------------------------------------------------------- forward energy

// Energy of one exact forward read of kInputs4 on the 3 x 4 layer, by component, from the
// closed forms of the default configuration.
ComponentEnergy expected_forward_energy(bool pulse_width) {
  const int inputs = 4;
  const int outputs = 3;
  const double v = 1.0;                                   // tile.read_voltage_v
  const double g_mean = 1.0 / 24e6;                       // 1 / tile.device_resistance_megaohm
  const double t_meas = 80e-9;                            // tile.t_meas_ns
  const double pitch_um = std::sqrt(0.01);                // sqrt(tile.cell_area_um2)
  const double line_f = 0.2e-15 * (2 * 4096 * pitch_um);  // input line: 2 devices per crossing
  ComponentEnergy energy{};
  auto add = [&energy](Component component, double joules) {
    energy[static_cast<std::size_t>(component)] += joules;
  };
  for (float x : kInputs4) {
    if (x == 0.0f) continue;  // an idle line is neither driven nor charged
    const double drive = pulse_width ? std::fabs(x) : static_cast<double>(x) * x;
    add(Component::kArray, drive * v * v * (2 * g_mean * outputs) * t_meas + line_f * v * v);
  }
  add(Component::kDac, inputs * 1.5e-15 * 64);  // 1-bit unit x 2^(7-1)
  add(Component::kIntegrator, outputs * 50e-6 * t_meas);
  add(Component::kAdc, outputs * 5e-15 * 512);  // Walden FOM x 2^9
  // The X buffer is written once by the initiator and read once by the DAC.
  add(Component::kBuffers, inputs * 32 * 0.05e-12 + inputs * 32 * 0.03e-12);
  return energy;
}

void check_forward_energy(const Config& config, bool pulse_width) {
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    TransactionTag tag;
    tag.layer = 0;
    tag.phase = Phase::kForward;
    bench.set_tag(tag);
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());

  const ComponentEnergy booked = ledger_totals(ledger);
  const ComponentEnergy expected = expected_forward_energy(pulse_width);
  double expected_total = 0;
  for (int c = 0; c < kComponentCount; ++c) {
    const auto component = static_cast<Component>(c);
    expected_total += of(expected, component);
    if (of(expected, component) == 0.0) {
      EXPECT_EQ(of(booked, component), 0.0) << component_key(component);
    } else {
      expect_relative(of(booked, component), of(expected, component), 1e-12,
                      component_key(component));
    }
  }
  // Everything is booked to the transaction's layer and phase, none to evaluation.
  expect_relative(ledger.layer_phase_total(0, Phase::kForward, false), expected_total, 1e-12,
                  "layer 0 forward");
  EXPECT_EQ(ledger.total(true), 0.0);
}

TEST_F(RpuTileTest, ForwardEnergyMatchesClosedForms) {
  check_forward_energy(tile_config({{"run.numerics", "exact"}}), true);
}

TEST_F(RpuTileTest, AmplitudeEncodingReadEnergy) {
  // Amplitude coding drives |x| V for the whole t_meas: the ohmic energy goes with x^2.
  check_forward_energy(
      tile_config({{"run.numerics", "exact"}, {"tile.input_encoding", "amplitude"}}), false);
}

TEST_F(RpuTileTest, UntaggedEnergyBooksToNoLayer) {
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_GT(ledger.layer_phase_total(-1, Phase::kNone, false), 0.0);
  EXPECT_EQ(ledger.layer_phase_total(0, Phase::kForward, false), 0.0);
}

// ------------------------------------------------------------------ backward, update

TEST_F(RpuTileTest, ExactBackwardEqualsWTransposeD) {
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, {1.0f, -0.5f, 0.25f}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kDScale, 1.0f, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kBackward}, delay),
              tlm::TLM_OK_RESPONSE);
    // DAC setup 1 ns + t_meas 80 ns + min(4 inputs, 16) x 5 ns.
    EXPECT_EQ(delay, sc_time(101, SC_NS));
    std::vector<float> z(4, -99.0f);
    ASSERT_EQ(bench.read_vector(tile_map::kZBuffer, z, delay), tlm::TLM_OK_RESPONSE);
    // Column by column: 0.5 + 0.25 + 0.0625, -0.25 - 0.125 + 0.125, 0.125 + 0 - 0.09375,
    // 0.375 + 0.0625 + 0.015625.
    EXPECT_EQ(z, (std::vector<float>{0.8125f, -0.25f, 0.03125f, 0.453125f}));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().backward_reads, 1u);
  EXPECT_EQ(tile.activity().forward_reads, 0u);
}

TEST_F(RpuTileTest, ExactUpdateAddsLearningRateDxT) {
  // x = X buffer x X_SCALE and d = D buffer x D_SCALE; W += learning_rate d x^T.
  const Config config =
      tile_config({{"run.numerics", "exact"}, {"training.learning_rate", "0.125"}});
  const std::vector<float> x_buffer = {1.0f, -0.5f, 0.25f, 0.0f};
  const std::vector<float> d_buffer = {0.5f, -1.0f, 0.25f};
  const float x_scale = 2.0f;
  const float d_scale = 0.5f;
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  ComponentEnergy before{};
  ComponentEnergy after{};
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, x_buffer, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kXScale, x_scale, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, d_buffer, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kDScale, d_scale, delay), tlm::TLM_OK_RESPONSE);
    before = ledger_totals(ledger);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
    after = ledger_totals(ledger);
    // Translator setup 1 ns + two polarity phases of BL = 10 slots of 1 ns.
    EXPECT_EQ(delay, sc_time(1, SC_NS) + 2 * 10 * sc_time(1, SC_NS));
    EXPECT_EQ(delay, sc_time(21, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());

  // Weights: exact binary fractions, so the float update is exact.
  const std::vector<float>& weights = tile.array().weights();
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 4; ++i) {
      const float expected =
          kWeights3x4[j * 4 + i] + 0.125f * (d_buffer[j] * d_scale) * (x_buffer[i] * x_scale);
      EXPECT_EQ(weights[j * 4 + i], expected) << "w[" << j << "][" << i << "]";
    }
  }
  EXPECT_EQ(weights[0], 0.5f + 0.125f * 0.25f * 2.0f);

  // Energy: expected pulse counts sum_i BL min(1, C |v_i|) with C = sqrt(eta / (BL dw_min)),
  // held in the f32 probability registers.
  const int bl = 10;
  const double c = static_cast<float>(std::sqrt(0.125 / (bl * 0.001)));
  double x_pulses = 0;
  double d_pulses = 0;
  for (float v : x_buffer) x_pulses += bl * std::min(1.0, c * std::fabs(v * x_scale));
  for (float v : d_buffer) d_pulses += bl * std::min(1.0, c * std::fabs(v * d_scale));
  const double coincidences = x_pulses * d_pulses / bl;
  const double g = 1.0 / 24e6;
  const double t_pulse = 1e-9;
  const double half_v2 = 0.5 * 0.5;  // each line carries half of update_voltage_v = 1 V
  const double pitch_um = 0.1;
  const double input_pulse_j = half_v2 * (0.2e-15 * 2 * 4096 * pitch_um + 2 * 3 * g * t_pulse);
  const double output_pulse_j = half_v2 * (0.2e-15 * 4096 * pitch_um + 4 * g * t_pulse);
  const double coincidence_j = 1.0 * g * t_pulse / 2;
  const double array_j =
      x_pulses * input_pulse_j + d_pulses * output_pulse_j + coincidences * coincidence_j;
  // Translators run on the 3 + 3 lines with a non-zero value; both buffers are read.
  const double translator_j = 0.05e-12 * bl * (3 + 3);
  const double buffers_j = (4 + 3) * 32 * 0.03e-12;

  expect_relative(of(after, Component::kArray) - of(before, Component::kArray), array_j, 1e-9,
                  "array");
  expect_relative(
      of(after, Component::kStochasticTranslator) - of(before, Component::kStochasticTranslator),
      translator_j, 1e-12, "stochastic_translator");
  expect_relative(of(after, Component::kBuffers) - of(before, Component::kBuffers), buffers_j,
                  1e-12, "buffers");
  for (Component idle : {Component::kDac, Component::kIntegrator, Component::kAdc}) {
    EXPECT_EQ(of(after, idle), of(before, idle)) << component_key(idle);
  }
  EXPECT_EQ(tile.activity().updates, 1u);
  expect_relative(tile.activity().pulses, x_pulses + d_pulses, 1e-12, "pulses");
  expect_relative(tile.activity().coincidences, coincidences, 1e-12, "coincidences");
}

TEST_F(RpuTileTest, AnalogUpdateMovesWeightsTowardSgdStep) {
  // Stochastic pulses: the change is a whole number of device steps per cross-point, in the
  // direction of d x^T, and zero where x or d is zero.
  const Config config = tile_config({{"run.numerics", "analog"},
                                     {"device.dw_min_dtod", "0"},
                                     {"device.dw_min_std", "0"},
                                     {"device.up_down_dtod", "0"}});
  const std::vector<float> x = {1.0f, -1.0f, 0.0f, 0.5f};
  const std::vector<float> d = {0.5f, -0.5f, 0.0f};
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, std::vector<float>(12, 0.0f));

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, x, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, d, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(21, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());

  const double dw_min = 0.001;
  const std::vector<float>& weights = tile.array().weights();
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 4; ++i) {
      const double w = weights[j * 4 + i];
      const double steps = w / dw_min;
      EXPECT_NEAR(steps, std::round(steps), 1e-3) << "w[" << j << "][" << i << "]";
      EXPECT_LE(std::fabs(steps), 10.0 + 1e-3) << "at most BL coincidences";
      const double direction = static_cast<double>(x[i]) * d[j];
      if (direction == 0.0) {
        EXPECT_EQ(w, 0.0) << "w[" << j << "][" << i << "]";
      } else {
        EXPECT_GE(w * direction, 0.0) << "w[" << j << "][" << i << "]";
      }
    }
  }
  // x_0 = 1 and d_0 = 0.5 with C = sqrt(0.01 / (10 x 0.001)) = 1: x_0 pulses in every slot,
  // so w[0][0] counts the pulses of d_0 exactly.
  EXPECT_GT(weights[0], 0.0f);
  EXPECT_GT(tile.activity().pulses, 0.0);
  EXPECT_GT(tile.activity().coincidences, 0.0);
}

TEST_F(RpuTileTest, BitLengthAndProbabilityRegisters) {
  // The sequencer's update management writes BL and the pulse probability scales of both
  // sides before an update. They start at tile.bl and C = sqrt(eta / (BL dw_min)).
  const Config config =
      tile_config({{"run.numerics", "exact"}, {"training.learning_rate", "0.04"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t bit_length = 0;
    float x_probability = 0.0f;
    float d_probability = 0.0f;
    ASSERT_EQ(bench.read(tile_map::kBitLength, bit_length, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kXProbability, x_probability, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kDProbability, d_probability, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bit_length, 10u);
    EXPECT_FLOAT_EQ(x_probability, 2.0f);  // sqrt(0.04 / (10 x 0.001))
    EXPECT_FLOAT_EQ(d_probability, 2.0f);

    // BL = 5: the update takes translator setup + 2 x 5 slots.
    ASSERT_EQ(bench.write(tile_map::kBitLength, std::uint32_t{5}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, {0.5f, 0.0f, 0.0f}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(1 + 2 * 5, SC_NS));
    sc_core::wait(delay);

    // BL = 0 skips the update: no time, no weight change.
    delay = sc_core::SC_ZERO_TIME;
    const std::vector<float> weights_before = tile.array().weights();
    ASSERT_EQ(bench.write(tile_map::kBitLength, std::uint32_t{0}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(tile.array().weights(), weights_before);

    // BL beyond the 64 slots of a pulse stream is rejected and leaves BL unchanged.
    EXPECT_EQ(bench.write(tile_map::kBitLength, std::uint32_t{65}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kBitLength, bit_length, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bit_length, 0u);
    EXPECT_EQ(bench.write(tile_map::kBitLength, std::uint32_t{64}, delay), tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  // Only the BL = 5 update ran: x has 3 non-zero lines and d one, each with BL = 5 slots.
  EXPECT_EQ(tile.activity().updates, 1u);
  EXPECT_NEAR(ledger.component_total(Component::kStochasticTranslator, false),
              0.05e-12 * 5 * (3 + 1), 1e-24);
}

TEST_F(RpuTileTest, LearningRateRegisterSetsStepAndScales) {
  // A learning-rate schedule writes eta between epochs: the exact step becomes eta d x^T and
  // both probability scales return to C = sqrt(eta / (BL dw_min)).
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    float learning_rate = 0.0f;
    float x_probability = 0.0f;
    float d_probability = 0.0f;
    ASSERT_EQ(bench.read(tile_map::kLearningRate, learning_rate, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_FLOAT_EQ(learning_rate, 0.01f);  // training.learning_rate

    ASSERT_EQ(bench.write(tile_map::kXProbability, 4.0f, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kLearningRate, 0.25f, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kXProbability, x_probability, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kDProbability, d_probability, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_FLOAT_EQ(x_probability, 5.0f);  // sqrt(0.25 / (10 x 0.001))
    EXPECT_FLOAT_EQ(d_probability, 5.0f);

    // Zero, negative and non-finite rates are rejected and change nothing.
    for (float bad : {0.0f, -0.01f, std::numeric_limits<float>::quiet_NaN(),
                      std::numeric_limits<float>::infinity()}) {
      EXPECT_EQ(bench.write(tile_map::kLearningRate, bad, delay), tlm::TLM_GENERIC_ERROR_RESPONSE)
          << bad;
    }
    ASSERT_EQ(bench.read(tile_map::kLearningRate, learning_rate, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(learning_rate, 0.25f);

    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, {0.5f, 0.0f, 0.0f}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  // Row 0 moves by 0.25 x 0.5 x (1, 0.5, -0.75, 0); the other rows have d = 0.
  std::vector<float> expected = kWeights3x4;
  expected[0] += 0.125f;
  expected[1] += 0.0625f;
  expected[2] -= 0.09375f;
  EXPECT_EQ(tile.array().weights(), expected);
}

TEST_F(RpuTileTest, ProbabilityRegistersScalePulses) {
  // Update management balances the two sides: with C_x = 4 and C_d = 0.25 (C_x C_d = 1),
  // the expected pulse counts are BL min(1, C_x |x_i|) and BL min(1, C_d |d_j|).
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write(tile_map::kXProbability, 4.0f, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kDProbability, 0.25f, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, {0.125f, 0.0625f, 0.5f, 0.0f}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, {1.0f, 2.0f, 8.0f}, delay),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  // x: 10 x (0.5 + 0.25 + 1 + 0) = 17.5; d: 10 x (0.25 + 0.5 + 1) = 17.5.
  EXPECT_DOUBLE_EQ(tile.activity().pulses, 35.0);
  EXPECT_DOUBLE_EQ(tile.activity().coincidences, 17.5 * 17.5 / 10);
}

// ----------------------------------------------------------------------- queueing

TEST_F(RpuTileTest, BackToBackForwardsQueueOnArray) {
  // Two initiators issuing at the same time: the second read starts when the first one's
  // integration ends (81 ns, conversions overlap), so it completes 81 ns after the first.
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time setup;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, setup), tlm::TLM_OK_RESPONSE);
    sc_time first;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, first),
              tlm::TLM_OK_RESPONSE);
    sc_time second;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, second),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(first, sc_time(96, SC_NS));
    EXPECT_EQ(second, sc_time(81 + 96, SC_NS));
    // An update issued at the same time waits for the second integration to end (162 ns).
    sc_time third;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, third),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(third, sc_time(162 + 21, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().busy, sc_time(81 + 81 + 21, SC_NS));
}

TEST_F(RpuTileTest, AtBusyTileDelaysSecondEndRequest) {
  // Approximately timed: the tile accepts the first FORWARD at once (END_REQ at 0) and
  // serves it for 96 ns. A second FORWARD sent right after the first END_REQ waits for that
  // service: its END_REQ comes 96 ns later, and its response 96 ns after that.
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);
  ProtocolChecker checker("checker", tile_map::kRegionSize);
  using testing::AtTestInitiator;

  AtTestInitiator bench("bench", [&](AtTestInitiator& bench) {
    auto inputs = AtTestInitiator::make_write_vector(tile_map::kXBuffer, kInputs4);
    ASSERT_EQ(bench.transact(inputs->payload), tlm::TLM_OK_RESPONSE);
    const sc_time start = sc_core::sc_time_stamp();
    auto first = AtTestInitiator::make_write(tile_map::kCommand, std::uint32_t{tile_map::kForward});
    auto second =
        AtTestInitiator::make_write(tile_map::kCommand, std::uint32_t{tile_map::kForward});

    EXPECT_EQ(bench.begin_request(first->payload), tlm::TLM_ACCEPTED);
    EXPECT_EQ(bench.wait_for(first->payload, tlm::END_REQ), start);
    EXPECT_EQ(bench.begin_request(second->payload), tlm::TLM_ACCEPTED);
    EXPECT_EQ(bench.wait_for(first->payload, tlm::BEGIN_RESP), start + sc_time(96, SC_NS));
    EXPECT_EQ(first->payload.get_response_status(), tlm::TLM_OK_RESPONSE);
    bench.end_response(first->payload);
    EXPECT_EQ(bench.wait_for(second->payload, tlm::END_REQ), start + sc_time(96, SC_NS));
    EXPECT_EQ(bench.wait_for(second->payload, tlm::BEGIN_RESP), start + sc_time(192, SC_NS));
    EXPECT_EQ(second->payload.get_response_status(), tlm::TLM_OK_RESPONSE);
    bench.end_response(second->payload);
  });
  bench.initiator_socket.bind(checker.target_socket);
  checker.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().forward_reads, 2u);
  EXPECT_EQ(checker.transactions(), 3u);
  EXPECT_EQ(checker.violations(), 0u);
}

TEST_F(RpuTileTest, BackToBackForwardsQueueOnAdcBank) {
  // 32 outputs on ADCs of 16 lines at 10 ns: 160 ns of conversions per read, longer than
  // the 81 ns integration. The second read integrates while the first converts, then waits
  // for the ADC bank: it completes one conversion time (160 ns) after the first.
  const Config config = tile_config({{"run.numerics", "exact"}, {"adc.conversion_ns", "10"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 2, 32, std::vector<float>(64, 0.25f));

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time setup;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, {1.0f, 0.5f}, setup), tlm::TLM_OK_RESPONSE);
    sc_time first;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, first),
              tlm::TLM_OK_RESPONSE);
    sc_time second;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, second),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(first, sc_time(81 + 160, SC_NS));
    EXPECT_EQ(second, sc_time(81 + 160 + 160, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, WithoutOverlapArrayWaitsForConversions) {
  // adc.overlap_conversion = false: the array stays busy until the ADC bank is done, so the
  // second read starts at 241 ns and completes at 2 x 241 ns.
  const Config config = tile_config({{"run.numerics", "exact"},
                                     {"adc.conversion_ns", "10"},
                                     {"adc.overlap_conversion", "false"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 2, 32, std::vector<float>(64, 0.25f));

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time setup;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, {1.0f, 0.5f}, setup), tlm::TLM_OK_RESPONSE);
    sc_time first;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, first),
              tlm::TLM_OK_RESPONSE);
    sc_time second;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, second),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(first, sc_time(241, SC_NS));
    EXPECT_EQ(second, sc_time(2 * 241, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, LaterCommandDoesNotQueue) {
  // A read issued after the array and ADCs are free starts at once: its delay is its own.
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(96, SC_NS));
    sc_core::wait(sc_time(500, SC_NS));
    delay = sc_core::SC_ZERO_TIME;
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(96, SC_NS));
    // A local time offset counts as time already spent: the read starts after it.
    delay = sc_time(1000, SC_NS);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kForward}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(1096, SC_NS));
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

// ------------------------------------------------------------------ register interface

TEST_F(RpuTileTest, InvalidAccessesGiveErrorResponses) {
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t word = 0;

    // Unknown commands.
    EXPECT_EQ(bench.write(tile_map::kCommand, std::uint32_t{0}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(tile_map::kCommand, std::uint32_t{4}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);

    // The command register is write-only, status registers read-only.
    EXPECT_EQ(bench.read(tile_map::kCommand, word, delay), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(tile_map::kSaturated, std::uint32_t{1}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(tile_map::kInputs, std::uint32_t{1}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);

    // Results are read-only.
    EXPECT_EQ(bench.write_vector(tile_map::kYBuffer, {1.0f}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write_vector(tile_map::kZBuffer, {1.0f}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);

    // Unmapped addresses: a gap in the register block and beyond the region.
    EXPECT_EQ(bench.read(0x0028, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(0x8000, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(tile_map::kRegionSize, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);

    // Buffers end at the mapped layer's lines: 4 inputs, 3 outputs.
    EXPECT_EQ(bench.write_vector(tile_map::kXBuffer, std::vector<float>(5, 0.0f), delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.write_vector(tile_map::kXBuffer + 16, {0.0f}, delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    std::vector<float> y(4);
    EXPECT_EQ(bench.read_vector(tile_map::kYBuffer, y, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);

    // A register takes one 32-bit word at an aligned address.
    std::uint64_t wide = 0;
    EXPECT_EQ(bench.transport(tlm::TLM_READ_COMMAND, tile_map::kInputs, &wide, sizeof wide, delay),
              tlm::TLM_BURST_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(tile_map::kInputs + 2, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(tile.activity().forward_reads, 0u);
  EXPECT_EQ(tile.activity().updates, 0u);
}

TEST_F(RpuTileTest, ValidPartialBufferAccess) {
  const Config config = tile_config({{"run.numerics", "exact"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 4, 3, kWeights3x4);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, kInputs4, delay), tlm::TLM_OK_RESPONSE);
    // Overwrite x_2 alone at its byte offset, then read the vector back.
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer + 8, {0.25f}, delay), tlm::TLM_OK_RESPONSE);
    std::vector<float> x(4);
    ASSERT_EQ(bench.read_vector(tile_map::kXBuffer, x, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(x, (std::vector<float>{1.0f, 0.5f, 0.25f, 0.0f}));
    std::uint32_t inputs = 0;
    std::uint32_t outputs = 0;
    ASSERT_EQ(bench.read(tile_map::kInputs, inputs, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(tile_map::kOutputs, outputs, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(inputs, 4u);
    EXPECT_EQ(outputs, 3u);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RpuTileTest, UnmappedTileRejectsCommands) {
  const Config config = tile_config();
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    for (std::uint32_t command : {tile_map::kForward, tile_map::kBackward, tile_map::kUpdate}) {
      EXPECT_EQ(bench.write(tile_map::kCommand, command, delay), tlm::TLM_GENERIC_ERROR_RESPONSE)
          << "command " << command;
    }
    EXPECT_EQ(bench.write_vector(tile_map::kXBuffer, {1.0f}, delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    std::uint32_t inputs = 99;
    ASSERT_EQ(bench.read(tile_map::kInputs, inputs, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(inputs, 0u);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(ledger.total(false), 0.0);
}

TEST_F(RpuTileTest, LayerLargerThanTileRejected) {
  const Config config = tile_config(
      {{"tile.input_lines", "8"}, {"tile.output_lines", "4"}, {"adc.lines_per_adc", "4"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  EXPECT_THROW(tile.map_layer(0, 9, 4, std::vector<float>(36, 0.0f)), std::invalid_argument);
  EXPECT_THROW(tile.map_layer(0, 8, 5, std::vector<float>(40, 0.0f)), std::invalid_argument);
  EXPECT_NO_THROW(tile.map_layer(0, 8, 4, std::vector<float>(32, 0.0f)));
}

// -------------------------------------------------------- figures of a fully used tile

TEST_F(RpuTileTest, FullTileFiguresOfPaperConfiguration) {
  const Config config = Config::defaults();
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);

  // Read: DAC setup 1 ns + t_meas 80 ns + 16 conversions (4096 lines over ADCs shared by
  // 16 lines) of 5 ns. Update: translator setup 1 ns + 2 phases x BL 10 x 1 ns.
  EXPECT_EQ(tile.full_read_time(), sc_time(161, SC_NS));
  EXPECT_EQ(tile.update_time(), sc_time(21, SC_NS));

  const double n = 4096;
  const double v = 1.0;
  const double g_mean = 1.0 / 24e6;
  const double t_meas = 80e-9;
  const double line_um = 2 * n * 0.1;  // differential pair: two devices of 0.1 um pitch
  const double array_j = n * (v * v * 2 * g_mean * n * t_meas + 0.2e-15 * line_um * v * v);
  const double integrator_j = n * 50e-6 * t_meas;
  const double adc_j = n * 5e-15 * 512;  // Walden FOM 5 fJ/step x 2^9
  const double dac_j = n * 1.5e-15 * 64;  // 1-bit unit 1.5 fJ x 2^(7-1)
  const double buffers_j = n * 32 * 0.03e-12;

  const ComponentEnergy energy = tile.full_scale_read_energy();
  expect_relative(of(energy, Component::kArray), array_j, 1e-12, "array");
  expect_relative(of(energy, Component::kIntegrator), integrator_j, 1e-12, "integrator");
  expect_relative(of(energy, Component::kAdc), adc_j, 1e-12, "adc");
  expect_relative(of(energy, Component::kDac), dac_j, 1e-12, "dac");
  expect_relative(of(energy, Component::kBuffers), buffers_j, 1e-12, "buffers");
  for (Component none : {Component::kStochasticTranslator, Component::kNlf,
                         Component::kInterconnect, Component::kIo, Component::kLeakage}) {
    EXPECT_EQ(of(energy, none), 0.0) << component_key(none);
  }

  // The same figures as literal numbers.
  expect_relative(of(energy, Component::kArray), 1.1251919530667e-7, 1e-9, "array literal");
  expect_relative(of(energy, Component::kIntegrator), 1.6384e-8, 1e-9, "integrator literal");
  expect_relative(of(energy, Component::kAdc), 1.048576e-8, 1e-9, "adc literal");
  expect_relative(of(energy, Component::kDac), 3.93216e-10, 1e-9, "dac literal");
  expect_relative(of(energy, Component::kBuffers), 3.93216e-9, 1e-9, "buffers literal");
  double total = 0;
  for (double joules : energy) total += joules;
  expect_relative(total, 1.437143313066735e-7, 1e-9, "total literal");
  // The mapped layer does not change the full-tile figures.
  tile.map_layer(0, 4, 3, kWeights3x4);
  EXPECT_EQ(tile.full_scale_read_energy(), energy);
  EXPECT_EQ(tile.full_read_time(), sc_time(161, SC_NS));
}

TEST_F(RpuTileTest, StaticPowerAndAreaFollowMappedLines) {
  // Unused periphery is gated: only the mapped layer's lines draw static power (the default
  // gated_leakage_fraction is 0), while area counts every line of the tile.
  const Config config = tile_config({{"tile.gated_leakage_fraction", "0.5"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 100, 20, std::vector<float>(2000, 0.0f));

  std::array<double, kComponentCount> watts{};
  tile.add_static_power(watts);
  const double n = 4096;
  // DACs and integrators: one per line on each side.
  const double dac_w = 0.2e-6 * ((100 + 0.5 * (n - 100)) + (20 + 0.5 * (n - 20)));
  expect_relative(of(watts, Component::kDac), dac_w, 1e-12, "dac static power");
  const double integrator_w = 0.5e-6 * ((100 + 0.5 * (n - 100)) + (20 + 0.5 * (n - 20)));
  expect_relative(of(watts, Component::kIntegrator), integrator_w, 1e-12,
                  "integrator static power");
  // ADCs: 256 per side, of which ceil(100 / 16) = 7 and ceil(20 / 16) = 2 are used.
  const double adc_w = 25e-6 * ((7 + 0.5 * (256 - 7)) + (2 + 0.5 * (256 - 2)));
  expect_relative(of(watts, Component::kAdc), adc_w, 1e-12, "adc static power");

  std::array<double, kComponentCount> area{};
  tile.add_area(area);
  expect_relative(of(area, Component::kArray), 2 * n * n * 0.01, 1e-12, "array area");
  expect_relative(of(area, Component::kAdc), 2 * 256 * 2500.0, 1e-12, "adc area");
  expect_relative(of(area, Component::kIntegrator), 2 * n * 300.0, 1e-12, "integrator area");
  expect_relative(of(area, Component::kBuffers), 2 * n * 32 * 0.3, 1e-12, "buffer area");
}

}  // namespace
}  // namespace rpusim

namespace rpusim {
namespace {

// ------------------------------------------------------- device and pulse-scheme options

TEST(TileParamsTest, DeviceAndSchemeKeysReachTheTile) {
  Config config = Config::defaults();
  config.set("device.model", "linear_step");
  config.set("device.gamma_up", "0.4");
  config.set("device.gamma_down", "0.2");
  config.set("device.gamma_up_dtod", "0.01");
  config.set("device.gamma_down_dtod", "0.02");
  config.set("device.allow_increasing", "true");
  config.set("device.mean_bound_reference", "false");
  config.set("device.mult_noise", "false");
  config.set("device.half_select_factor", "0.05");
  const TileParams params = TileParams::from_config(config);
  EXPECT_EQ(params.device.model, DeviceModel::linear_step);
  EXPECT_EQ(params.device.gamma_up, 0.4);
  EXPECT_EQ(params.device.gamma_down, 0.2);
  EXPECT_EQ(params.device.gamma_up_dtod, 0.01);
  EXPECT_EQ(params.device.gamma_down_dtod, 0.02);
  EXPECT_TRUE(params.device.allow_increasing);
  EXPECT_FALSE(params.device.mean_bound_reference);
  EXPECT_FALSE(params.device.mult_noise);
  EXPECT_EQ(params.device.half_select_factor, 0.05);
}

// With an ideal device, x = d = 1 and C = 1, the deterministic scheme sends BL pulses on both
// lines, which coincide in all BL slots: the weight moves by exactly BL dw_min.
TEST_F(RpuTileTest, DeterministicUpdateMovesBlSteps) {
  const Config config = tile_config({{"tile.pulse_scheme", "deterministic"},
                                     {"device.dw_min_dtod", "0"},
                                     {"device.dw_min_std", "0"},
                                     {"device.up_down_dtod", "0"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 1, 1, {0.1f});
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, {1.0f}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, {1.0f}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_NEAR(tile.array().weight(0, 0), 0.1f + 10 * 0.001f, 1e-6);
  EXPECT_EQ(tile.activity().coincidences, 10.0);
  EXPECT_EQ(tile.activity().pulses, 20.0);
}

// Half-select: an input line pulsing against an output line of zero error (no pulses) still
// moves the device by k dw per pulse in the input's direction.
TEST_F(RpuTileTest, HalfSelectMovesDevicesOnPulsedLines) {
  const Config config = tile_config({{"tile.pulse_scheme", "deterministic"},
                                     {"device.half_select_factor", "0.1"},
                                     {"device.dw_min_dtod", "0"},
                                     {"device.dw_min_std", "0"},
                                     {"device.up_down_dtod", "0"}});
  EnergyLedger ledger(1);
  RpuTile tile("tile", config, ledger, kSeed);
  tile.map_layer(0, 1, 2, {0.0f, 0.0f});
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    ASSERT_EQ(bench.write_vector(tile_map::kXBuffer, {1.0f}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write_vector(tile_map::kDBuffer, {1.0f, 0.0f}, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(tile_map::kCommand, std::uint32_t{tile_map::kUpdate}, delay),
              tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(tile.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  // Output 0: 10 coincidences, no half pulses left over. Output 1: 10 half pulses from x.
  EXPECT_NEAR(tile.array().weight(0, 0), 10 * 0.001f, 1e-6);
  EXPECT_NEAR(tile.array().weight(1, 0), 10 * 0.1f * 0.001f, 1e-6);
}

}  // namespace
}  // namespace rpusim
