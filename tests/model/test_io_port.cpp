// IoPort in a small bench with a hand-made data set of 4-value samples. Checks the fetch
// time (latency + bits / bandwidth), the fetched values and label, the set selection,
// queueing of fetches, the energy per bit and the error responses.
#include "models/chip/io_port.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::sc_time;
using testing::TestInitiator;

class IoPortTest : public testing::SystemCTest {};

DatasetSplit tiny_data() {
  DatasetSplit data;
  data.train.name = "train";
  data.train.features = 4;
  data.train.images = {0.0f, 0.25f, 0.5f, 0.75f,   //
                       1.0f, 0.5f,  0.0f, 0.125f,  //
                       0.5f, 0.5f,  0.5f, 0.5f};
  data.train.labels = {3, 1, 4};
  data.test.name = "test";
  data.test.features = 4;
  data.test.images = {0.875f, 0.0f, 0.0f, 1.0f,  //
                      0.0f,   1.0f, 1.0f, 0.0f};
  data.test.labels = {5, 9};
  return data;
}

// One sample: 4 values of io.pixel_bits = 8 bits plus an 8-bit label = 40 bits. At
// io.bandwidth_gb_per_s = 25 that is 5 bytes / 25e9 B/s = 0.2 ns after io.latency_ns = 100.
const sc_time kFetchTime = sc_time(100, SC_NS) + sc_time(200, SC_PS);

TEST_F(IoPortTest, FetchTimeIsLatencyPlusTransfer) {
  const DatasetSplit data = tiny_data();
  EnergyLedger ledger(1);
  IoPort port("io_port", IoParams::from_config(Config::defaults()), data, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write(io_map::kSample, std::uint32_t{1}, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, kFetchTime);
    std::uint32_t label = 99;
    ASSERT_EQ(bench.read(io_map::kLabel, label, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(label, 1u);
    std::uint32_t features = 0;
    ASSERT_EQ(bench.read(io_map::kFeatures, features, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(features, 4u);
    std::vector<float> image(4);
    ASSERT_EQ(bench.read_vector(io_map::kImage, image, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(image, (std::vector<float>{1.0f, 0.5f, 0.0f, 0.125f}));
    // Reading the port's buffer takes no time of its own.
    EXPECT_EQ(delay, kFetchTime);
  });
  bench.initiator_socket.bind(port.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(port.bits_transferred(), 40u);
  EXPECT_NEAR(ledger.component_total(Component::kIo, false), 40 * 2e-12, 1e-24);
}

TEST_F(IoPortTest, FetchTimeFollowsBandwidthAndWidth) {
  // 16-bit values at 1 GB/s: (4 x 16 + 8) bits = 9 bytes = 9 ns, after 50 ns of latency.
  Config config = Config::defaults();
  config.set("io.pixel_bits", "16");
  config.set("io.bandwidth_gb_per_s", "1");
  config.set("io.latency_ns", "50");
  const DatasetSplit data = tiny_data();
  EnergyLedger ledger(1);
  IoPort port("io_port", IoParams::from_config(config), data, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write(io_map::kSample, std::uint32_t{0}, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(59, SC_NS));
  });
  bench.initiator_socket.bind(port.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(port.bits_transferred(), 72u);
}

TEST_F(IoPortTest, TestSetSelection) {
  const DatasetSplit data = tiny_data();
  EnergyLedger ledger(1);
  IoPort port("io_port", IoParams::from_config(Config::defaults()), data, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write(io_map::kSet, std::uint32_t{1}, delay), tlm::TLM_OK_RESPONSE);
    std::uint32_t set = 0;
    ASSERT_EQ(bench.read(io_map::kSet, set, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(set, 1u);
    ASSERT_EQ(bench.write(io_map::kSample, std::uint32_t{1}, delay), tlm::TLM_OK_RESPONSE);
    std::uint32_t label = 0;
    ASSERT_EQ(bench.read(io_map::kLabel, label, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(label, 9u);
    std::vector<float> image(4);
    ASSERT_EQ(bench.read_vector(io_map::kImage, image, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(image, (std::vector<float>{0.0f, 1.0f, 1.0f, 0.0f}));
    // The test set has two samples: sample 2 exists only in the training set.
    EXPECT_EQ(bench.write(io_map::kSample, std::uint32_t{2}, delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  bench.initiator_socket.bind(port.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(IoPortTest, BackToBackFetchesQueue) {
  const DatasetSplit data = tiny_data();
  EnergyLedger ledger(1);
  IoPort port("io_port", IoParams::from_config(Config::defaults()), data, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time first;
    sc_time second;
    ASSERT_EQ(bench.write(io_map::kSample, std::uint32_t{0}, first), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(bench.write(io_map::kSample, std::uint32_t{2}, second), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(first, kFetchTime);
    EXPECT_EQ(second, 2 * kFetchTime);
  });
  bench.initiator_socket.bind(port.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(port.bits_transferred(), 80u);
}

TEST_F(IoPortTest, OutOfRangeSampleIsError) {
  const DatasetSplit data = tiny_data();
  EnergyLedger ledger(1);
  IoPort port("io_port", IoParams::from_config(Config::defaults()), data, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write(io_map::kSample, std::uint32_t{2}, delay), tlm::TLM_OK_RESPONSE);
    delay = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(bench.write(io_map::kSample, std::uint32_t{3}, delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
    // The failed fetch leaves the last sample in place.
    std::uint32_t label = 0;
    ASSERT_EQ(bench.read(io_map::kLabel, label, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(label, 4u);
  });
  bench.initiator_socket.bind(port.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(port.bits_transferred(), 40u);
}

TEST_F(IoPortTest, InvalidAccessesGiveErrorResponses) {
  const DatasetSplit data = tiny_data();
  EnergyLedger ledger(1);
  IoPort port("io_port", IoParams::from_config(Config::defaults()), data, ledger);

  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t word = 0;
    EXPECT_EQ(bench.write(io_map::kSet, std::uint32_t{2}, delay), tlm::TLM_GENERIC_ERROR_RESPONSE);
    ASSERT_EQ(bench.read(io_map::kSet, word, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(word, 0u);
    EXPECT_EQ(bench.read(io_map::kSample, word, delay), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(io_map::kLabel, std::uint32_t{1}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write(io_map::kFeatures, std::uint32_t{1}, delay),
              tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(bench.write_vector(io_map::kImage, {1.0f}, delay), tlm::TLM_COMMAND_ERROR_RESPONSE);
    std::vector<float> too_long(5);
    EXPECT_EQ(bench.read_vector(io_map::kImage, too_long, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(0x0010, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(io_map::kRegionSize, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  bench.initiator_socket.bind(port.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(ledger.total(false), 0.0);
}

}  // namespace
}  // namespace rpusim
