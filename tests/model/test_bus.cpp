// Bus in a small bench: a test initiator, the bus, and two memory targets. The tests check
// address decoding, the error for an unmapped address, contention between transfers and
// the wire energy per bit. A transfer occupies the bus for exactly latency + ceil(bits /
// width) cycles, before the target for a write and after it for a read.
#include "models/noc/bus.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "models/timing/timing_op.hpp"
#include "tb/protocol_checker.hpp"
#include "tests/model/test_at_initiator.hpp"
#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using testing::TestInitiator;

class BusTest : public testing::SystemCTest {};

// A 256-byte memory that records the last access and takes `latency` per access. Accesses
// from 0x80 up fail with an address error, to check how the bus handles a failed target.
class MemoryTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MemoryTarget> target_socket;

  MemoryTarget(const sc_core::sc_module_name& name, sc_time latency)
      : sc_module(name), target_socket("target_socket"), m_latency(latency), m_bytes(256, 0) {
    target_socket.register_b_transport(this, &MemoryTarget::b_transport);
  }

  int accesses = 0;
  std::uint64_t last_address = ~0ull;
  sc_time last_delay_seen;  // the delay the target received, before adding its own

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_time& delay) {
    ++accesses;
    last_address = payload.get_address();
    last_delay_seen = delay;
    delay += m_latency;
    const std::uint64_t length = payload.get_data_length();
    if (last_address >= 0x80 || last_address + length > 0x80) {
      payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (payload.is_write()) {
      std::memcpy(&m_bytes[last_address], payload.get_data_ptr(), length);
    } else {
      std::memcpy(payload.get_data_ptr(), &m_bytes[last_address], length);
    }
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  sc_time m_latency;
  std::vector<unsigned char> m_bytes;
};

// Bus of the default configuration: 256-bit, 1 GHz, 4 cycles latency, 5 mm at 0.05 pJ/bit/mm.
struct BusBench {
  EnergyLedger ledger{1};
  Bus bus{"bus", BusParams::from_config(Config::defaults()), ledger};
  MemoryTarget memory_a{"memory_a", sc_time(10, SC_NS)};
  MemoryTarget memory_b{"memory_b", sc_core::SC_ZERO_TIME};

  void bind(TestInitiator& initiator) {
    initiator.initiator_socket.bind(bus.target_socket);
    bus.initiator_socket.bind(memory_a.target_socket);
    bus.initiator_socket.bind(memory_b.target_socket);
    bus.map_region(0x1000, 0x100, 0, "memory_a");
    bus.map_region(0x2000, 0x100, 1, "memory_b");
  }
};

TEST_F(BusTest, DecodesAddressToTargetRegion) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t value = 0xC0FFEE;
    ASSERT_EQ(bench.write(0x2010, value, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench_parts.memory_b.last_address, 0x10u);
    EXPECT_EQ(bench_parts.memory_a.accesses, 0);
    ASSERT_EQ(bench.write(0x1000, std::uint32_t{7}, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench_parts.memory_a.last_address, 0x0u);
    std::uint32_t read_back = 0;
    ASSERT_EQ(bench.read(0x2010, read_back, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(read_back, value);
    EXPECT_EQ(bench_parts.memory_b.accesses, 2);
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(BusTest, PayloadAddressRestoredAfterTransport) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    tlm::tlm_generic_payload payload;
    std::uint32_t value = 1;
    payload.set_command(tlm::TLM_WRITE_COMMAND);
    payload.set_address(0x2040);
    payload.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    payload.set_data_length(4);
    payload.set_streaming_width(4);
    sc_time delay;
    bench.initiator_socket->b_transport(payload, delay);
    EXPECT_TRUE(payload.is_response_ok());
    EXPECT_EQ(payload.get_address(), 0x2040u);
    EXPECT_EQ(bench_parts.memory_b.last_address, 0x40u);
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(BusTest, UnmappedAddressGivesAddressError) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t word = 0;
    EXPECT_EQ(bench.write(0x1100, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // past a
    EXPECT_EQ(bench.read(0x0FFC, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);   // before a
    EXPECT_EQ(bench.read(0x3000, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // A rejected transfer does not occupy the bus.
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(bench_parts.memory_a.accesses, 0);
  EXPECT_EQ(bench_parts.memory_b.accesses, 0);
  EXPECT_EQ(bench_parts.bus.bits_transferred(), 0u);
  EXPECT_EQ(bench_parts.ledger.total(false), 0.0);
}

TEST_F(BusTest, WriteOccupiesLatencyPlusBeats) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    // 40 bytes = 320 bits on a 256-bit bus: 4 latency cycles + 2 beats at 1 ns.
    std::vector<float> data(10, 1.0f);
    sc_time delay;
    ASSERT_EQ(bench.write_vector(0x2000, data, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(6, SC_NS));
    // The data crossed the bus before the target acted on it.
    EXPECT_EQ(bench_parts.memory_b.last_delay_seen, sc_time(6, SC_NS));

    // 32 bytes = 256 bits: one beat.
    sc_core::wait(sc_time(100, SC_NS));
    delay = sc_core::SC_ZERO_TIME;
    ASSERT_EQ(bench.write_vector(0x2000, std::vector<float>(8, 0.0f), delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(5, SC_NS));
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(bench_parts.bus.bits_transferred(), 320u + 256u);
  EXPECT_EQ(bench_parts.bus.busy_time(), sc_time(11, SC_NS));
  // 0.05 pJ per bit per mm over 5 mm.
  EXPECT_NEAR(bench_parts.ledger.component_total(Component::kInterconnect, false),
              (320 + 256) * 0.25e-12, 1e-24);
}

// A timing operation's vector size travels in its extension as a 64-bit bit count, so a
// transfer of more than 4 GiB (where the payload's 32-bit data length would wrap) is priced
// in full.
TEST_F(BusTest, TimingTransferOverFourGibibytesPricedInFull) {
  BusBench bench_parts;
  constexpr std::uint64_t kBits = std::uint64_t{1} << 35;  // 4 GiB
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    TimingOp op;
    op.bits = kBits;
    std::uint32_t word = 0;
    tlm::tlm_generic_payload payload;
    payload.set_command(tlm::TLM_WRITE_COMMAND);
    payload.set_address(0x2000);
    payload.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
    payload.set_data_length(4);
    payload.set_streaming_width(4);
    payload.set_extension(&op);
    sc_time delay;
    bench.initiator_socket->b_transport(payload, delay);
    payload.clear_extension(&op);
    EXPECT_TRUE(payload.is_response_ok());
    // 4 latency cycles + 2^35 / 256 beats at 1 ns.
    EXPECT_EQ(delay, sc_time(static_cast<double>(4 + (kBits >> 8)), SC_NS));
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(bench_parts.bus.bits_transferred(), kBits);
  EXPECT_NEAR(bench_parts.ledger.component_total(Component::kInterconnect, false),
              static_cast<double>(kBits) * 0.25e-12, 1e-9);
}

TEST_F(BusTest, ReadDataCrossesAfterTarget) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t word = 0;
    // memory_a takes 10 ns; then 4 bytes cross in 4 + 1 cycles.
    ASSERT_EQ(bench.read(0x1000, word, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench_parts.memory_a.last_delay_seen, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(delay, sc_time(15, SC_NS));
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(BusTest, FailedReadDoesNotReturnData) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t word = 0;
    EXPECT_EQ(bench.read(0x1080, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // Only the target's own 10 ns: no data crossed the bus.
    EXPECT_EQ(delay, sc_time(10, SC_NS));
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(bench_parts.bus.bits_transferred(), 0u);
}

TEST_F(BusTest, BackToBackTransfersContend) {
  BusBench bench_parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    const std::vector<float> data(10, 1.0f);  // 6 cycles each
    sc_time first;
    sc_time second;
    sc_time third;
    ASSERT_EQ(bench.write_vector(0x2000, data, first), tlm::TLM_OK_RESPONSE);
    // Issued at the same time (as by another initiator): waits for the first transfer.
    ASSERT_EQ(bench.write_vector(0x2020, data, second), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(first, sc_time(6, SC_NS));
    EXPECT_EQ(second, sc_time(12, SC_NS));
    // A read queues too: memory_a responds after 10 ns, then the read data waits for the bus.
    std::uint32_t word = 0;
    ASSERT_EQ(bench.read(0x1000, word, third), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(third, sc_time(12 + 5, SC_NS));
  });
  bench_parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(bench_parts.bus.busy_time(), sc_time(17, SC_NS));
}

TEST_F(BusTest, ClockAndWidthFromConfig) {
  // 64-bit bus at 500 MHz with 2 cycles of latency: 40 bytes take 2 + 5 cycles of 2 ns.
  Config config = Config::defaults();
  config.set("bus.width_bits", "64");
  config.set("bus.clock_mhz", "500");
  config.set("bus.latency_cycles", "2");
  EnergyLedger ledger(1);
  Bus bus("bus", BusParams::from_config(config), ledger);
  MemoryTarget memory("memory", sc_core::SC_ZERO_TIME);
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    ASSERT_EQ(bench.write_vector(0x0, std::vector<float>(10, 0.0f), delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(14, SC_NS));
  });
  bench.initiator_socket.bind(bus.target_socket);
  bus.initiator_socket.bind(memory.target_socket);
  bus.map_region(0x0, 0x100, 0, "memory");
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(BusTest, AtPassesTargetBackPressureUpstream) {
  // Approximately timed, through the bus to an NLF unit at 0x2000. A FUNCTION write crosses
  // the bus in 5 ns (4 latency cycles and 1 beat), and SIGMOID of 16,384 elements on 64
  // lanes takes 256 ns. The first request's END_REQ comes back when the unit accepts it,
  // 5 ns after BEGIN_REQ. The second, sent then, reaches the unit while it is busy: its
  // END_REQ comes back 256 ns after the first one's, when the first service ends.
  EnergyLedger ledger(1);
  Bus bus("bus", BusParams::from_config(Config::defaults()), ledger);
  NlfUnit unit("nlf", NlfParams::from_config(Config::defaults()), ledger);
  ProtocolChecker bus_checker("bus_checker", 0);
  ProtocolChecker unit_checker("unit_checker", nlf_map::kRegionSize);
  using testing::AtTestInitiator;

  AtTestInitiator bench("bench", [&](AtTestInitiator& bench) {
    auto length = AtTestInitiator::make_write(0x2000 + nlf_map::kLength, nlf_map::kCapacity);
    ASSERT_EQ(bench.transact(length->payload), tlm::TLM_OK_RESPONSE);
    const sc_time start = sc_core::sc_time_stamp();
    const std::uint32_t sigmoid = nlf_map::kSigmoid;
    auto first = AtTestInitiator::make_write(0x2000 + nlf_map::kFunction, sigmoid);
    auto second = AtTestInitiator::make_write(0x2000 + nlf_map::kFunction, sigmoid);

    EXPECT_EQ(bench.begin_request(first->payload), tlm::TLM_ACCEPTED);
    const sc_time first_accepted = bench.wait_for(first->payload, tlm::END_REQ);
    EXPECT_EQ(first_accepted, start + sc_time(5, SC_NS));
    EXPECT_EQ(bench.begin_request(second->payload), tlm::TLM_ACCEPTED);
    EXPECT_EQ(bench.wait_for(second->payload, tlm::END_REQ), first_accepted + sc_time(256, SC_NS));
    EXPECT_EQ(bench.wait_for(first->payload, tlm::BEGIN_RESP),
              first_accepted + sc_time(256, SC_NS));
    // The bus restores the address the initiator set before the response goes back.
    EXPECT_EQ(first->payload.get_address(), 0x2000 + nlf_map::kFunction);
    bench.end_response(first->payload);
    EXPECT_EQ(bench.wait_for(second->payload, tlm::BEGIN_RESP),
              first_accepted + sc_time(512, SC_NS));
    bench.end_response(second->payload);

    // An unmapped address gets its error response from the bus at once.
    auto unmapped = AtTestInitiator::make_write(0x40000, std::uint32_t{1});
    EXPECT_EQ(bench.transact(unmapped->payload), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  bench.initiator_socket.bind(bus_checker.target_socket);
  bus_checker.initiator_socket.bind(bus.target_socket);
  bus.initiator_socket.bind(unit_checker.target_socket);
  unit_checker.initiator_socket.bind(unit.target_socket);
  bus.map_region(0x2000, nlf_map::kRegionSize, 0, "nlf");
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(bus_checker.transactions(), 4u);
  EXPECT_EQ(unit_checker.transactions(), 3u);
  EXPECT_EQ(bus_checker.violations() + unit_checker.violations(), 0u);
}

TEST_F(BusTest, OverlappingRegionsRejected) {
  EnergyLedger ledger(1);
  Bus bus("bus", BusParams::from_config(Config::defaults()), ledger);
  bus.map_region(0x1000, 0x100, 0, "a");
  EXPECT_THROW(bus.map_region(0x10FF, 0x10, 1, "b"), std::invalid_argument);
  EXPECT_THROW(bus.map_region(0x0F00, 0x101, 1, "c"), std::invalid_argument);
  EXPECT_NO_THROW(bus.map_region(0x1100, 0x100, 1, "d"));
  EXPECT_NO_THROW(bus.map_region(0x0F00, 0x100, 2, "e"));
}

}  // namespace
}  // namespace rpusim
