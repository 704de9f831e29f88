// Mesh in a small bench: a test initiator, a 3 x 3 mesh and three memory targets at nodes
// of their own. The tests check address decoding and the time a write's data takes to
// reach the target and a read's data to return. They check contention on a shared link
// between transactions issued at the same time, MeshRoute, and the energy in the ledger.
//
// The bench mesh runs at 1 GHz with 256-bit links, 2 cycles per router, 0.04 pJ per bit
// per router and 0.05 pJ per bit per mm over 2 mm hops. An unloaded transfer over h links
// takes (h + 1) x 2 + flits cycles.
#include "models/noc/mesh.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "models/common/energy_ledger.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/noc/mesh_route.hpp"
#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::sc_time;
using testing::TestInitiator;

class MeshTest : public testing::SystemCTest {};

// A 1 KiB memory that records its accesses and takes `latency` per access. It serves
// debug transport too, without recording it.
class MemoryTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MemoryTarget> target_socket;

  MemoryTarget(const sc_core::sc_module_name& name, sc_time latency)
      : sc_module(name), target_socket("target_socket"), m_latency(latency), m_bytes(1024, 0) {
    target_socket.register_b_transport(this, &MemoryTarget::b_transport);
    target_socket.register_transport_dbg(this, &MemoryTarget::transport_dbg);
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
    if (payload.get_command() == tlm::TLM_IGNORE_COMMAND) {
      payload.set_response_status(tlm::TLM_OK_RESPONSE);
      return;
    }
    copy(payload);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  unsigned int transport_dbg(tlm::tlm_generic_payload& payload) {
    copy(payload);
    return payload.get_data_length();
  }

  void copy(tlm::tlm_generic_payload& payload) {
    const std::uint64_t address = payload.get_address();
    const std::uint64_t length = payload.get_data_length();
    if (payload.is_write()) {
      std::memcpy(&m_bytes[address], payload.get_data_ptr(), length);
    } else {
      std::memcpy(payload.get_data_ptr(), &m_bytes[address], length);
    }
  }

  sc_time m_latency;
  std::vector<unsigned char> m_bytes;
};

MeshParams bench_params() {
  MeshParams params;
  params.columns = 3;
  params.rows = 3;
  params.link_width_bits = 256;
  params.clock_period_ps = 1000;
  params.router_latency_cycles = 2;
  params.router_energy_j_per_bit = 0.04e-12;
  params.wire_energy_j_per_bit_mm = 0.05e-12;
  params.hop_length_mm = 2.0;
  return params;
}

// Nodes of the 3 x 3 mesh: 0 1 2 / 3 4 5 / 6 7 8. The initiator sits at node 0, memory_a
// at node 7 (1,2), memory_b at node 4 (1,1) and memory_c at node 8 (2,2).
struct MeshBench {
  EnergyLedger ledger{2};
  Mesh mesh{"mesh", bench_params(), ledger};
  MemoryTarget memory_a{"memory_a", sc_core::SC_ZERO_TIME};
  MemoryTarget memory_b{"memory_b", sc_core::SC_ZERO_TIME};
  MemoryTarget memory_c{"memory_c", sc_time(10, SC_NS)};

  void bind(TestInitiator& initiator) {
    initiator.initiator_socket.bind(mesh.target_socket);
    mesh.initiator_socket.bind(memory_a.target_socket);
    mesh.initiator_socket.bind(memory_b.target_socket);
    mesh.initiator_socket.bind(memory_c.target_socket);
    mesh.map_region(0x1000, 0x400, 0, "memory_a");
    mesh.map_region(0x2000, 0x400, 1, "memory_b");
    mesh.map_region(0x3000, 0x400, 2, "memory_c");
    mesh.place(0, 7);
    mesh.place(1, 4);
    mesh.place(2, 8);
    mesh.set_initiator_node(0);
  }
};

// Writes `words` floats to `address` with the data coming from `source_node`.
tlm::tlm_response_status write_from(TestInitiator& bench, int source_node, std::uint64_t address,
                                    std::size_t words, sc_time& delay) {
  std::vector<float> data(words, 1.0f);
  tlm::tlm_generic_payload payload;
  payload.set_command(tlm::TLM_WRITE_COMMAND);
  payload.set_address(address);
  payload.set_data_ptr(reinterpret_cast<unsigned char*>(data.data()));
  payload.set_data_length(static_cast<unsigned int>(words * sizeof(float)));
  payload.set_streaming_width(static_cast<unsigned int>(words * sizeof(float)));
  payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  auto* route = new MeshRoute;
  route->node = source_node;
  payload.set_extension(route);  // the payload frees it
  bench.initiator_socket->b_transport(payload, delay);
  return payload.get_response_status();
}

TEST_F(MeshTest, DecodesAddressToTargetRegion) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    const std::uint32_t value = 0xC0FFEE;
    ASSERT_EQ(bench.write(0x2010, value, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(parts.memory_b.last_address, 0x10u);
    EXPECT_EQ(parts.memory_a.accesses, 0);
    std::uint32_t read_back = 0;
    ASSERT_EQ(bench.read(0x2010, read_back, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(read_back, value);
    EXPECT_EQ(parts.memory_b.accesses, 2);
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(MeshTest, WriteCrossesMeshBeforeTarget) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    // Node 0 to node 7 (1,2): 3 hops, 4 routers x 2 cycles. 40 bytes = 320 bits = 2 flits.
    sc_time delay;
    ASSERT_EQ(bench.write_vector(0x1000, std::vector<float>(10, 1.0f), delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(delay, sc_time(10, SC_NS));
    EXPECT_EQ(parts.memory_a.last_delay_seen, sc_time(10, SC_NS));
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(parts.mesh.bits_transferred(), 320u);
  EXPECT_EQ(parts.mesh.hop_bits(), 3u * 320u);
}

TEST_F(MeshTest, ReadDataCrossesAfterTarget) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    // memory_c (node 8, (2,2)) takes 10 ns; then 4 bytes return over 4 hops: 5 routers x 2
    // cycles + 1 flit.
    sc_time delay;
    std::uint32_t word = 0;
    ASSERT_EQ(bench.read(0x3000, word, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(parts.memory_c.last_delay_seen, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(delay, sc_time(10 + 11, SC_NS));
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  const MeshLink* busiest = parts.mesh.network().busiest_link();
  ASSERT_NE(busiest, nullptr);
  // Every link of the path is busy for one cycle; the first of them in node order wins.
  EXPECT_EQ(busiest->busy_ps, 1000u);
  EXPECT_EQ(MeshNetwork::link_name(*busiest), "eject 0");
}

TEST_F(MeshTest, SharedLinkDelaysLaterWrite) {
  // As MeshNetwork.SharedLinkDelaysLaterFlowBySerialisation, through TLM: write A carries
  // 10 flits from node 0 to memory_a at node 7 over 0->1->4->7, write B carries 4 flits from
  // node 2 to memory_b at node 4 over 2->1->4. Both are issued at time 0 (as by two
  // initiators), so B waits on link 1->4 for A's 10 flits: 10 ns more than alone.
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time a_delay;
    sc_time b_delay;
    ASSERT_EQ(write_from(bench, 0, 0x1000, 80, a_delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(write_from(bench, 2, 0x2000, 32, b_delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(a_delay, sc_time(18, SC_NS));       // alone: 4 routers x 2 + 10 flits
    EXPECT_EQ(b_delay, sc_time(10 + 10, SC_NS));  // alone: 3 routers x 2 + 4 flits
    EXPECT_EQ(parts.memory_b.last_delay_seen, sc_time(20, SC_NS));
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(MeshTest, DisjointWritesDoNotInterfere) {
  // Write A from node 3 to memory_b at node 4 (link 3->4), write B from node 6 to memory_c
  // at node 8 (links 6->7->8), both at time 0: each takes its time alone.
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time a_delay;
    sc_time b_delay;
    ASSERT_EQ(write_from(bench, 3, 0x2000, 80, a_delay), tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(write_from(bench, 6, 0x3000, 80, b_delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(a_delay, sc_time(2 * 2 + 10, SC_NS));
    // memory_c adds its 10 ns after the data has arrived.
    EXPECT_EQ(b_delay, sc_time(3 * 2 + 10 + 10, SC_NS));
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
}

TEST_F(MeshTest, MeshRouteSendsReadDataToNamedNode) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    // memory_b's data goes to its own node: no hop, only the local port.
    std::vector<float> data(8, 0.0f);
    tlm::tlm_generic_payload payload;
    payload.set_command(tlm::TLM_READ_COMMAND);
    payload.set_address(0x2000);
    payload.set_data_ptr(reinterpret_cast<unsigned char*>(data.data()));
    payload.set_data_length(32);
    payload.set_streaming_width(32);
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    auto* route = new MeshRoute;
    route->node = 4;
    payload.set_extension(route);
    sc_time delay;
    bench.initiator_socket->b_transport(payload, delay);
    EXPECT_TRUE(payload.is_response_ok());
    EXPECT_EQ(delay, sc_time(2 + 1, SC_NS));
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(parts.mesh.hop_bits(), 0u);
  EXPECT_NEAR(parts.ledger.component_total(Component::kInterconnect, false), 256 * 0.04e-12, 1e-24);
}

TEST_F(MeshTest, RouteOutsideMeshGivesGenericError) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    EXPECT_EQ(write_from(bench, 9, 0x2000, 1, delay), tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(parts.memory_b.accesses, 0);
  EXPECT_EQ(parts.mesh.bits_transferred(), 0u);
}

TEST_F(MeshTest, EnergyBookedToTransactionTag) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    TransactionTag tag;
    tag.layer = 1;
    tag.phase = Phase::kBackward;
    bench.set_tag(tag);
    // 10 words from node 0 to node 7: 320 bits, 3 hops.
    sc_time delay;
    ASSERT_EQ(bench.write_vector(0x1000, std::vector<float>(10, 1.0f), delay),
              tlm::TLM_OK_RESPONSE);
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  const double expected_j = 320 * (4 * 0.04e-12 + 3 * 2.0 * 0.05e-12);
  EXPECT_NEAR(parts.ledger.layer_phase_total(1, Phase::kBackward, false), expected_j, 1e-24);
  EXPECT_NEAR(parts.ledger.component_total(Component::kInterconnect, false), expected_j, 1e-24);
  EXPECT_NEAR(parts.mesh.network().energy_j(), expected_j, 1e-24);
}

TEST_F(MeshTest, UnmappedAddressGivesAddressError) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    sc_time delay;
    std::uint32_t word = 0;
    EXPECT_EQ(bench.write(0x1400, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(bench.read(0x0FFC, word, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // A rejected transaction moves no data.
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(parts.mesh.bits_transferred(), 0u);
  EXPECT_EQ(parts.ledger.total(false), 0.0);
}

TEST_F(MeshTest, DebugAndIgnoreCommandsMoveNoData) {
  MeshBench parts;
  TestInitiator bench("bench", [&](TestInitiator& bench) {
    std::uint32_t value = 42;
    tlm::tlm_generic_payload payload;
    payload.set_command(tlm::TLM_WRITE_COMMAND);
    payload.set_address(0x1008);
    payload.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    payload.set_data_length(4);
    payload.set_streaming_width(4);
    EXPECT_EQ(bench.initiator_socket->transport_dbg(payload), 4u);
    EXPECT_EQ(payload.get_address(), 0x1008u);

    sc_time delay;
    payload.set_command(tlm::TLM_IGNORE_COMMAND);
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    bench.initiator_socket->b_transport(payload, delay);
    EXPECT_TRUE(payload.is_response_ok());
    EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);

    std::uint32_t read_back = 0;
    ASSERT_EQ(bench.read(0x1008, read_back, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(read_back, 42u);
  });
  parts.bind(bench);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  // Only the read's 32 bits crossed the mesh.
  EXPECT_EQ(parts.mesh.bits_transferred(), 32u);
}

TEST_F(MeshTest, PlacementChecked) {
  EnergyLedger ledger(1);
  Mesh mesh("mesh", bench_params(), ledger);
  EXPECT_THROW(mesh.place(0, 9), std::out_of_range);
  EXPECT_THROW(mesh.place(0, -1), std::out_of_range);
  EXPECT_THROW(mesh.set_initiator_node(9), std::out_of_range);
  EXPECT_EQ(mesh.node_of_port(0), -1);
  mesh.place(2, 8);
  EXPECT_EQ(mesh.node_of_port(2), 8);
  EXPECT_EQ(mesh.node_of_port(1), -1);
  mesh.map_region(0x1000, 0x100, 0, "a");
  EXPECT_THROW(mesh.map_region(0x10FF, 0x10, 1, "b"), std::invalid_argument);
}

// Collects the mesh's reports instead of failing the test, so that a test can expect them.
std::vector<std::string> g_reports;
void collect_report(const sc_core::sc_report& report, const sc_core::sc_actions&) {
  if (std::string(report.get_msg_type()) == "rpusim/mesh") g_reports.push_back(report.get_msg());
}

TEST_F(MeshTest, UnplacedRegionReportedAtElaboration) {
  sc_core::sc_report_handler::set_handler(collect_report);
  EnergyLedger ledger(1);
  Mesh mesh("mesh", bench_params(), ledger);
  MemoryTarget memory("memory", sc_core::SC_ZERO_TIME);
  TestInitiator bench("bench", [](TestInitiator&) {});
  bench.initiator_socket.bind(mesh.target_socket);
  mesh.initiator_socket.bind(memory.target_socket);
  mesh.map_region(0x0, 0x100, 0, "memory");
  sc_core::sc_start();
  ASSERT_EQ(g_reports.size(), 1u);
  EXPECT_EQ(g_reports[0], "mesh: region memory (port 0) has no node: call place() for its port");
}

}  // namespace
}  // namespace rpusim
