// ProtocolChecker between a test initiator and a small target: a well-behaved target passes
// without a violation, and a target that breaks the base protocol is caught, once per
// broken rule.
#include "tb/protocol_checker.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::sc_time;
using testing::TestInitiator;

// A target with one 32-bit register at address 0. Its misbehaviour depends on the address:
// 4 leaves the response incomplete, 8 rewrites the address, and any other address gets a
// correct OK response.
class QuirkyTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<QuirkyTarget> target_socket{"target_socket"};

  explicit QuirkyTarget(const sc_core::sc_module_name& name) : sc_module(name) {
    target_socket.register_b_transport(this, &QuirkyTarget::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_time&) {
    if (payload.get_address() == 4) return;  // leaves TLM_INCOMPLETE_RESPONSE
    if (payload.get_address() == 8) payload.set_address(0);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

// Collects the protocol reports instead of failing the test, so that a test can expect them.
std::vector<std::string> g_reports;
void collect_report(const sc_core::sc_report& report, const sc_core::sc_actions&) {
  if (std::string(report.get_msg_type()) == "rpusim/protocol") g_reports.push_back(report.get_msg());
}

class ProtocolCheckerTest : public testing::SystemCTest {};

TEST_F(ProtocolCheckerTest, CorrectTargetPasses) {
  QuirkyTarget target("target");
  ProtocolChecker checker("checker", 16);
  TestInitiator bench("bench", [](TestInitiator& bench) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(bench.write(0, std::uint32_t{7}, delay), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench.write(12, std::uint32_t{7}, delay), tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(checker.target_socket);
  checker.initiator_socket.bind(target.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(checker.transactions(), 2u);
  EXPECT_EQ(checker.violations(), 0u);
}

TEST_F(ProtocolCheckerTest, BrokenTargetAndRangeCaught) {
  sc_core::sc_report_handler::set_handler(collect_report);
  QuirkyTarget target("target");
  ProtocolChecker checker("checker", 16);
  TestInitiator bench("bench", [](TestInitiator& bench) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    bench.write(4, std::uint32_t{1}, delay);   // incomplete response
    bench.write(8, std::uint32_t{1}, delay);   // address changed by the target
    bench.write(16, std::uint32_t{1}, delay);  // past the 16-byte range
  });
  bench.initiator_socket.bind(checker.target_socket);
  checker.initiator_socket.bind(target.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(checker.transactions(), 3u);
  EXPECT_EQ(checker.violations(), 3u);
  ASSERT_EQ(g_reports.size(), 3u);
  EXPECT_NE(g_reports[0].find("checker: write at 0x4 (4 bytes): the target returned with "
                              "TLM_INCOMPLETE_RESPONSE"),
            std::string::npos)
      << g_reports[0];
  EXPECT_NE(g_reports[1].find("checker: write at 0x8 (4 bytes): the target changed an attribute "
                              "that only the initiator may set"),
            std::string::npos)
      << g_reports[1];
  EXPECT_NE(g_reports[2].find("runs past the target's address range"), std::string::npos)
      << g_reports[2];
}

}  // namespace
}  // namespace rpusim
