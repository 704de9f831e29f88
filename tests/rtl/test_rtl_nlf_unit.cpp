// RtlNlfUnit beside the transaction-level NlfUnit, driven with the same vectors through the
// same TLM-2.0 accesses. SIGMOID and MULTIPLY_SIGMOID_DERIVATIVE run on the Verilated
// datapath and agree with NlfUnit within the bounds of its fixed-point arithmetic, derived
// below and in docs/cosim.md. Each takes exactly LATENCY + ceil(n / LANES) clock cycles of
// simulated time. The other functions are NlfUnit's own, with identical results, durations
// and errors. Energy is booked as NlfUnit books it.
#include "models/nlf/rtl_nlf_unit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/nlf/nlf_fixed_point.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using testing::TestInitiator;

class RtlNlfUnitTest : public testing::SystemCTest {};

// Error bound of the RTL sigmoid against NlfUnit's float sigmoid, for any finite input. It
// adds six terms. The input is rounded to 2^-17, times the largest slope 1/4. Linear
// interpolation between knots h = 1/16 apart is off by h^2 / 8 max|sigmoid''|, with
// max|sigmoid''| = 1 / (6 sqrt 3). The knots and the interpolation step are each rounded to
// 2^-17. Saturation at |x| >= 16 costs 1 - sigmoid(16). NlfUnit's float rounding stays below
// 2^-23.
const double kSigmoidBound =
    0.25 * std::ldexp(1.0, -17) + (1.0 / 16) * (1.0 / 16) / 8 / (6 * std::sqrt(3.0)) +
    2 * std::ldexp(1.0, -17) + 1.0 / (1.0 + std::exp(16.0)) + std::ldexp(1.0, -23);

// Error bound of the RTL derivative v s (1 - s) against NlfUnit's float product, for s in
// [0, 1] and |v| <= 64. After the rounding of s and of the product, s (1 - s) is off by at
// most 2^-16. The input v is off by 2^-17, and the result is rounded to 2^-17. That gives
// |v| 2^-16 + 1.25 2^-17, plus NlfUnit's float rounding of at most 3 2^-24 |v| / 4, which
// all together stays below 2^-16 (|v| + 1).
double derivative_bound(float v) {
  return std::ldexp(1.0, -16) * (std::fabs(v) + 1.0);
}

// Largest |v| the derivative test feeds in, the limit of derivative_bound().
constexpr float kMaxErrorInput = 64.0f;

// Writes LENGTH and V (and S when given) of the unit behind `bench`.
void load(TestInitiator& bench, const std::vector<float>& v, const std::vector<float>& s = {}) {
  sc_time delay;
  ASSERT_EQ(bench.write(nlf_map::kLength, static_cast<std::uint32_t>(v.size()), delay),
            tlm::TLM_OK_RESPONSE);
  if (v.empty()) return;  // a transfer of 0 bytes is an error
  ASSERT_EQ(bench.write_vector(nlf_map::kVBuffer, v, delay), tlm::TLM_OK_RESPONSE);
  if (!s.empty()) {
    ASSERT_EQ(bench.write_vector(nlf_map::kSBuffer, s, delay), tlm::TLM_OK_RESPONSE);
  }
}

// Runs `function` at the current simulated time with a zero local offset and returns the
// simulated time it took, annotated delay included, after waiting for that delay.
sc_time run_function(TestInitiator& bench, std::uint32_t function) {
  const sc_time before = sc_core::sc_time_stamp();
  sc_time delay;
  EXPECT_EQ(bench.write(nlf_map::kFunction, function, delay), tlm::TLM_OK_RESPONSE)
      << "function " << function;
  sc_core::wait(delay);
  return sc_core::sc_time_stamp() - before;
}

std::vector<float> read_v(TestInitiator& bench, std::size_t count) {
  std::vector<float> values(count);
  sc_time delay;
  EXPECT_EQ(bench.read_vector(nlf_map::kVBuffer, values, delay), tlm::TLM_OK_RESPONSE);
  return values;
}

int beats(std::size_t count) {
  const int lanes = RtlNlfUnit::datapath_lanes();
  return (static_cast<int>(count) + lanes - 1) / lanes;
}

// Sigmoid inputs: a dense ramp over [-20, 20] in steps of 1/256 (which hits every knot and
// the saturation at +-16), seeded uniform draws over [-130, 130] (past the fixed-point range),
// and special values.
std::vector<float> sigmoid_inputs() {
  std::vector<float> x;
  for (int i = -20 * 256; i <= 20 * 256; ++i) x.push_back(static_cast<float>(i) / 256);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> wide(-130.0f, 130.0f);
  for (int i = 0; i < 2000; ++i) x.push_back(wide(rng));
  for (float special : {0.0f, 16.0f, -16.0f, 15.99f, -15.99f, 128.0f, -128.0f, 1e6f, -1e6f,
                        1.0f / 65536, -1.0f / 65536, 3e-6f}) {
    x.push_back(special);
  }
  return x;
}

TEST_F(RtlNlfUnitTest, SigmoidAgreesWithinBound) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger tlm_ledger(1);
  EnergyLedger rtl_ledger(1);
  NlfUnit tlm("tlm", params, tlm_ledger);
  RtlNlfUnit rtl("rtl", params, rtl_ledger);
  const std::vector<float> input = sigmoid_inputs();
  double max_error = 0;

  TestInitiator tlm_bench("tlm_bench");
  TestInitiator rtl_bench("rtl_bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));  // after the power-on reset
    load(tlm_bench, input);
    load(bench, input);
    run_function(tlm_bench, nlf_map::kSigmoid);
    const sc_time rtl_time = run_function(bench, nlf_map::kSigmoid);
    const std::vector<float> expected = read_v(tlm_bench, input.size());
    const std::vector<float> actual = read_v(bench, input.size());

    // Each check reports its first five failures and then the count, to keep the log short.
    int beyond_bound = 0;
    int mismatches = 0;
    for (std::size_t i = 0; i < input.size(); ++i) {
      const double error = std::fabs(static_cast<double>(actual[i]) - expected[i]);
      max_error = std::max(max_error, error);
      if (error > kSigmoidBound && ++beyond_bound <= 5) {
        ADD_FAILURE() << "x = " << input[i] << ": rtl " << actual[i] << ", tlm " << expected[i];
      }
      // Bit for bit the reference model of the datapath.
      const float reference =
          nlf_fixed::from_word(nlf_fixed::sigmoid_word(nlf_fixed::to_word(input[i])));
      if (actual[i] != reference && ++mismatches <= 5) {
        ADD_FAILURE() << "x = " << input[i] << ": rtl " << actual[i] << ", reference " << reference;
      }
    }
    EXPECT_EQ(beyond_bound, 0) << "results beyond the error bound " << kSigmoidBound;
    EXPECT_EQ(mismatches, 0) << "results that differ from the bit-exact reference model";
    const std::uint64_t cycles =
        static_cast<std::uint64_t>(RtlNlfUnit::datapath_latency_cycles() + beats(input.size()));
    EXPECT_EQ(rtl.last_function_cycles(), cycles);
    EXPECT_EQ(rtl_time, params.clock_period * static_cast<double>(cycles));
  });
  tlm_bench.initiator_socket.bind(tlm.target_socket);
  rtl_bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(rtl_bench.finished());
  std::printf("sigmoid: %zu inputs, largest |rtl - tlm| = %.3g, bound %.3g\n", input.size(),
              max_error, kSigmoidBound);
  // Both units book the same energy per element.
  EXPECT_EQ(rtl_ledger.component_total(Component::kNlf, false),
            tlm_ledger.component_total(Component::kNlf, false));
  EXPECT_EQ(rtl.operations(), input.size());
}

TEST_F(RtlNlfUnitTest, DerivativeAgreesWithinBound) {
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger tlm_ledger(1);
  EnergyLedger rtl_ledger(1);
  NlfUnit tlm("tlm", params, tlm_ledger);
  RtlNlfUnit rtl("rtl", params, rtl_ledger);

  // Errors v: half of them in [-1, 1], as the backward pass has, half up to +-64; saved
  // activations s uniform in [0, 1], plus the ends and the midpoint.
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> small(-1.0f, 1.0f);
  std::uniform_real_distribution<float> large(-kMaxErrorInput, kMaxErrorInput);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::vector<float> v;
  std::vector<float> s;
  for (int i = 0; i < 4000; ++i) {
    v.push_back(i % 2 ? small(rng) : large(rng));
    s.push_back(unit(rng));
  }
  for (float edge : {0.0f, 1.0f, 0.5f, 1.0f / 65536, 1.0f - 1.0f / 65536}) {
    v.push_back(kMaxErrorInput);
    s.push_back(edge);
    v.push_back(-0.75f);
    s.push_back(edge);
  }
  double max_error = 0;

  TestInitiator tlm_bench("tlm_bench");
  TestInitiator rtl_bench("rtl_bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));
    load(tlm_bench, v, s);
    load(bench, v, s);
    run_function(tlm_bench, nlf_map::kMultiplySigmoidDerivative);
    const sc_time rtl_time = run_function(bench, nlf_map::kMultiplySigmoidDerivative);
    const std::vector<float> expected = read_v(tlm_bench, v.size());
    const std::vector<float> actual = read_v(bench, v.size());

    int beyond_bound = 0;
    int mismatches = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double error = std::fabs(static_cast<double>(actual[i]) - expected[i]);
      max_error = std::max(max_error, error / derivative_bound(v[i]));
      if (error > derivative_bound(v[i]) && ++beyond_bound <= 5) {
        ADD_FAILURE() << "v = " << v[i] << ", s = " << s[i] << ": rtl " << actual[i] << ", tlm "
                      << expected[i];
      }
      const float reference = nlf_fixed::from_word(
          nlf_fixed::derivative_word(nlf_fixed::to_word(v[i]), nlf_fixed::to_word(s[i])));
      if (actual[i] != reference && ++mismatches <= 5) {
        ADD_FAILURE() << "v = " << v[i] << ", s = " << s[i] << ": rtl " << actual[i]
                      << ", reference " << reference;
      }
    }
    EXPECT_EQ(beyond_bound, 0) << "results beyond the error bound 2^-16 (|v| + 1)";
    EXPECT_EQ(mismatches, 0) << "results that differ from the bit-exact reference model";
    const std::uint64_t cycles =
        static_cast<std::uint64_t>(RtlNlfUnit::datapath_latency_cycles() + beats(v.size()));
    EXPECT_EQ(rtl.last_function_cycles(), cycles);
    EXPECT_EQ(rtl_time, params.clock_period * static_cast<double>(cycles));
  });
  tlm_bench.initiator_socket.bind(tlm.target_socket);
  rtl_bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(rtl_bench.finished());
  std::printf("derivative: %zu inputs, largest |rtl - tlm| / bound = %.3g\n", v.size(), max_error);
  EXPECT_EQ(rtl_ledger.component_total(Component::kNlf, false),
            tlm_ledger.component_total(Component::kNlf, false));
}

TEST_F(RtlNlfUnitTest, CyclesAreLatencyPlusBeats) {
  // chip.clock_mhz = 500: 2 ns per cycle. LENGTH 0 streams no beat and takes no cycle.
  Config config = Config::defaults();
  config.set("chip.clock_mhz", "500");
  const NlfParams params = NlfParams::from_config(config);
  EnergyLedger ledger(1);
  RtlNlfUnit rtl("rtl", params, ledger);
  // With 64 lanes and latency 4, 785 elements take 4 + 13 = 17 cycles, where NlfUnit takes
  // 13.
  const int lanes = RtlNlfUnit::datapath_lanes();
  const int latency = RtlNlfUnit::datapath_latency_cycles();

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));
    std::uint64_t total = 0;
    for (int length : {1, lanes - 1, lanes, lanes + 1, 2 * lanes, 2 * lanes + 1, 785}) {
      if (length < 1) continue;
      load(bench, std::vector<float>(static_cast<std::size_t>(length), 0.5f));
      const int cycles = latency + (length + lanes - 1) / lanes;
      EXPECT_EQ(run_function(bench, nlf_map::kSigmoid), sc_time(2.0 * cycles, SC_NS))
          << "length " << length;
      EXPECT_EQ(rtl.last_function_cycles(), static_cast<std::uint64_t>(cycles))
          << "length " << length;
      total += static_cast<std::uint64_t>(cycles);
    }

    load(bench, {0.25f}, {0.5f});
    EXPECT_EQ(run_function(bench, nlf_map::kMultiplySigmoidDerivative),
              sc_time(2.0 * (latency + 1), SC_NS));
    EXPECT_EQ(rtl.last_function_cycles(), static_cast<std::uint64_t>(latency + 1));
    total += static_cast<std::uint64_t>(latency + 1);

    load(bench, {});
    EXPECT_EQ(run_function(bench, nlf_map::kSigmoid), sc_core::SC_ZERO_TIME);
    EXPECT_EQ(rtl.last_function_cycles(), 0u);
    EXPECT_EQ(rtl.function_cycles(), total);
  });
  bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RtlNlfUnitTest, TraceShowsRtlFunctionBusy) {
  // The unit's busy flag covers a function run on the pins: one SIGMOID of one element at
  // 2 ns per cycle, started at 10 ns, takes latency + 1 cycles.
  Config config = Config::defaults();
  config.set("chip.clock_mhz", "500");
  EnergyLedger ledger(1);
  RtlNlfUnit rtl("rtl", NlfParams::from_config(config), ledger);
  const std::filesystem::path vcd =
      std::filesystem::temp_directory_path() /
      ("rpusim_rtl_trace_" + std::to_string(::getpid()) + ".vcd");
  TraceRecorder recorder("trace", vcd.string());
  rtl.trace(recorder);
  const int cycles = RtlNlfUnit::datapath_latency_cycles() + 1;

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));
    load(bench, {0.5f});
    EXPECT_EQ(run_function(bench, nlf_map::kSigmoid), sc_time(2.0 * cycles, SC_NS));
    sc_core::wait(sc_time(10, SC_NS));  // so that the fall is written before the run ends
  });
  bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  recorder.close();
  EXPECT_TRUE(bench.finished());

  // The VCD declares the flag's identifier before "busy" in a $var line. Each "#time" line
  // comes before the values that changed then.
  std::ifstream file(vcd);
  std::string line;
  std::string id;
  std::string time = "dumpvars";  // the initial values come before the first #time line
  std::vector<std::string> changes;
  while (std::getline(file, line)) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "$var") {
      std::string type, width, identifier, name;
      words >> type >> width >> identifier >> name;
      if (name == "busy") id = identifier;
    } else if (!first.empty() && first[0] == '#') {
      time = first.substr(1);
    } else if (!id.empty() && (first == "1" + id || first == "0" + id)) {
      changes.push_back(first.substr(0, 1) + "@" + time);
    }
  }
  std::filesystem::remove(vcd);
  ASSERT_FALSE(id.empty());
  const std::string end_ps = std::to_string(10000 + 2000 * cycles);
  EXPECT_EQ(changes, (std::vector<std::string>{"0@dumpvars", "1@10000", "0@" + end_ps}));
}

TEST_F(RtlNlfUnitTest, LocalOffsetBecomesSimulatedTime) {
  // A call with a local time offset first waits for it, then for the pipeline, and returns
  // with a zero delay: the duration is in the simulated time that passed.
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  RtlNlfUnit rtl("rtl", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));
    load(bench, std::vector<float>(100, 1.0f));
    sc_time delay(25, SC_NS);
    ASSERT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid}, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
    // 10 ns + 25 ns offset + LATENCY + ceil(100 / LANES) cycles of 1 ns.
    const int cycles = RtlNlfUnit::datapath_latency_cycles() + beats(100);
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(35.0 + cycles, SC_NS));
    EXPECT_EQ(rtl.busy_time(), sc_time(cycles, SC_NS));
  });
  bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RtlNlfUnitTest, FunctionQueuesBehindTransactionLevelFunction) {
  // A SOFTMAX (transaction level, annotated) followed at once by a SIGMOID (RTL) on the same
  // unit: the SIGMOID starts when the SOFTMAX ends.
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  RtlNlfUnit rtl("rtl", params, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));
    load(bench, std::vector<float>(200, 0.1f));  // 4 beats on 64 lanes
    sc_time softmax_delay;
    ASSERT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kSoftmax}, softmax_delay),
              tlm::TLM_OK_RESPONSE);
    const int softmax_cycles = 3 * ((200 + params.lanes - 1) / params.lanes);  // 3 passes
    EXPECT_EQ(softmax_delay, sc_time(softmax_cycles, SC_NS));
    sc_time sigmoid_delay;  // issued at the same local time as the softmax
    ASSERT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{nlf_map::kSigmoid}, sigmoid_delay),
              tlm::TLM_OK_RESPONSE);
    const int sigmoid_cycles = RtlNlfUnit::datapath_latency_cycles() + beats(200);
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(10.0 + softmax_cycles + sigmoid_cycles, SC_NS));
  });
  bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RtlNlfUnitTest, CallDuringResetWaitsForIt) {
  // The power-on reset runs RtlNlfUnit::kResetCycles cycles from time 0; a function called
  // at time 0 starts after it.
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger ledger(1);
  RtlNlfUnit rtl("rtl", params, ledger);
  const std::vector<float> input = {-2.0f, 0.0f, 2.0f};

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    load(bench, input);
    const int cycles = RtlNlfUnit::datapath_latency_cycles() + 1;
    EXPECT_EQ(run_function(bench, nlf_map::kSigmoid),
              sc_time(RtlNlfUnit::kResetCycles + cycles, SC_NS));
    EXPECT_EQ(rtl.last_function_cycles(), static_cast<std::uint64_t>(cycles));
    const std::vector<float> output = read_v(bench, input.size());
    for (std::size_t i = 0; i < input.size(); ++i) {
      EXPECT_NEAR(output[i], 1.0 / (1.0 + std::exp(-static_cast<double>(input[i]))), kSigmoidBound)
          << "x = " << input[i];
    }
  });
  bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(RtlNlfUnitTest, OtherFunctionsAreTransactionLevel) {
  // SOFTMAX, CROSS_ENTROPY_ERROR, NOISE_MANAGEMENT and the register checks behave exactly as
  // in NlfUnit.
  const NlfParams params = NlfParams::from_config(Config::defaults());
  EnergyLedger tlm_ledger(1);
  EnergyLedger rtl_ledger(1);
  NlfUnit tlm("tlm", params, tlm_ledger);
  RtlNlfUnit rtl("rtl", params, rtl_ledger);
  const std::vector<float> logits = {1.0f, -2.0f, 0.5f, 3.0f, 0.0f};

  TestInitiator tlm_bench("tlm_bench");
  TestInitiator rtl_bench("rtl_bench", [&](TestInitiator& bench) {
    sc_core::wait(sc_time(10, SC_NS));
    for (TestInitiator* unit : {&tlm_bench, &bench}) {
      load(*unit, logits);
      sc_time delay;
      ASSERT_EQ(unit->write(nlf_map::kLabel, std::uint32_t{3}, delay), tlm::TLM_OK_RESPONSE);
    }
    for (std::uint32_t function :
         {nlf_map::kSoftmax, nlf_map::kCrossEntropyError, nlf_map::kNoiseManagement}) {
      sc_time tlm_delay;
      sc_time rtl_delay;
      ASSERT_EQ(tlm_bench.write(nlf_map::kFunction, function, tlm_delay), tlm::TLM_OK_RESPONSE);
      ASSERT_EQ(bench.write(nlf_map::kFunction, function, rtl_delay), tlm::TLM_OK_RESPONSE);
      EXPECT_EQ(rtl_delay, tlm_delay) << "function " << function;
      sc_core::wait(rtl_delay);
      EXPECT_EQ(read_v(bench, logits.size()), read_v(tlm_bench, logits.size()))
          << "function " << function;
    }
    float tlm_scale = 0.0f;
    float rtl_scale = 0.0f;
    sc_time delay;
    ASSERT_EQ(tlm_bench.read(nlf_map::kScale, tlm_scale, delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.read(nlf_map::kScale, rtl_scale, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(rtl_scale, tlm_scale);

    EXPECT_EQ(bench.write(nlf_map::kFunction, std::uint32_t{99}, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(nlf_map::kLength, nlf_map::kCapacity + 1, delay),
              tlm::TLM_GENERIC_ERROR_RESPONSE);
    std::uint32_t word = 0;
    EXPECT_EQ(bench.read(nlf_map::kFunction, word, delay), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(0x0014, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  tlm_bench.initiator_socket.bind(tlm.target_socket);
  rtl_bench.initiator_socket.bind(rtl.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(rtl_bench.finished());
  EXPECT_EQ(rtl_ledger.component_total(Component::kNlf, false),
            tlm_ledger.component_total(Component::kNlf, false));
}

}  // namespace
}  // namespace rpusim
