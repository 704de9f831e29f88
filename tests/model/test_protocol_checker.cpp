// ProtocolChecker between a test initiator and a small target, on the blocking and the
// non-blocking path: a well-behaved target passes without a violation, and a target that
// breaks the base protocol is caught, once per broken rule.
#include "tb/protocol_checker.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "tests/model/test_at_initiator.hpp"
#include "tests/model/test_initiator.hpp"
#include "tests/systemc_test.hpp"

namespace rpusim {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using testing::AtTestInitiator;
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

// An approximately timed target that serves requests in order, one at a time, in a thread.
// Its misbehaviour depends on the address: 0 sends END_REQ and then BEGIN_RESP with an OK
// response, as the base protocol allows; 4 sends BEGIN_RESP without setting the response
// status; 8 sends END_REQ twice; 12 returns TLM_COMPLETED at once without a response
// status; 16 keeps its response back until request 20 arrives, then sends both BEGIN_RESPs
// without waiting for END_RESP in between; 24 waits 10 ns before its END_REQ. Every other
// response waits for the END_RESP of the previous one.
class QuirkyAtTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<QuirkyAtTarget> target_socket{"target_socket"};

  explicit QuirkyAtTarget(const sc_core::sc_module_name& name) : sc_module(name) {
    target_socket.register_nb_transport_fw(this, &QuirkyAtTarget::nb_transport_fw);
    SC_THREAD(serve);
  }

 private:
  SC_HAS_PROCESS(QuirkyAtTarget);

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_time& delay) {
    if (phase == tlm::END_RESP) {
      m_response_open = false;
      m_response_ended.notify(delay);
      return tlm::TLM_COMPLETED;
    }
    if (payload.get_address() == 12) return tlm::TLM_COMPLETED;  // status left incomplete
    m_requests.push_back(&payload);
    m_arrived.notify(delay);
    return tlm::TLM_ACCEPTED;
  }

  void serve() {
    for (;;) {
      while (m_requests.empty()) sc_core::wait(m_arrived);
      tlm::tlm_generic_payload& payload = *m_requests.front();
      m_requests.pop_front();
      const std::uint64_t address = payload.get_address();
      if (address == 24) sc_core::wait(10, SC_NS);
      send(payload, tlm::END_REQ);
      if (address == 8) send(payload, tlm::END_REQ);
      if (address == 4) {
        send(payload, tlm::BEGIN_RESP);
        m_response_open = true;
      } else if (address == 16) {
        m_held = &payload;
      } else if (address == 20) {
        respond(*m_held);
        payload.set_response_status(tlm::TLM_OK_RESPONSE);
        send(payload, tlm::BEGIN_RESP);
      } else {
        respond(payload);
      }
    }
  }

  // Sends an OK response once the previous one has ended.
  void respond(tlm::tlm_generic_payload& payload) {
    while (m_response_open) sc_core::wait(m_response_ended);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
    send(payload, tlm::BEGIN_RESP);
    m_response_open = true;  // the test initiator always returns TLM_ACCEPTED
  }

  void send(tlm::tlm_generic_payload& payload, tlm::tlm_phase phase) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    target_socket->nb_transport_bw(payload, phase, delay);
  }

  std::deque<tlm::tlm_generic_payload*> m_requests;
  sc_core::sc_event m_arrived;
  tlm::tlm_generic_payload* m_held = nullptr;
  bool m_response_open = false;
  sc_core::sc_event m_response_ended;
};

// Collects the protocol reports instead of failing the test, so that a test can expect them.
std::vector<std::string> g_reports;
void collect_report(const sc_core::sc_report& report, const sc_core::sc_actions&) {
  if (std::string(report.get_msg_type()) == "rpusim/protocol")
    g_reports.push_back(report.get_msg());
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

TEST_F(ProtocolCheckerTest, CorrectAtTargetPasses) {
  QuirkyAtTarget target("target");
  ProtocolChecker checker("checker", 32);
  AtTestInitiator bench("bench", [](AtTestInitiator& bench) {
    auto first = AtTestInitiator::make_write(0, std::uint32_t{7});
    auto second = AtTestInitiator::make_write(0, std::uint32_t{8});
    EXPECT_EQ(bench.transact(first->payload), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench.transact(second->payload), tlm::TLM_OK_RESPONSE);
    // A payload may start again once its transaction is over.
    first->payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(bench.transact(first->payload), tlm::TLM_OK_RESPONSE);
  });
  bench.initiator_socket.bind(checker.target_socket);
  checker.initiator_socket.bind(target.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(checker.transactions(), 3u);
  EXPECT_EQ(checker.violations(), 0u);
}

TEST_F(ProtocolCheckerTest, BrokenAtPhasesCaught) {
  sc_core::sc_report_handler::set_handler(collect_report);
  QuirkyAtTarget target("target");
  ProtocolChecker checker("checker", 32);
  AtTestInitiator bench("bench", [](AtTestInitiator& bench) {
    auto ok = AtTestInitiator::make_write(0, std::uint32_t{1});
    EXPECT_EQ(bench.transact(ok->payload), tlm::TLM_OK_RESPONSE);

    auto no_status = AtTestInitiator::make_write(4, std::uint32_t{1});
    bench.transact(no_status->payload);

    auto twice = AtTestInitiator::make_write(8, std::uint32_t{1});
    EXPECT_EQ(bench.transact(twice->payload), tlm::TLM_OK_RESPONSE);

    auto completed = AtTestInitiator::make_write(12, std::uint32_t{1});
    EXPECT_EQ(bench.begin_request(completed->payload), tlm::TLM_COMPLETED);

    auto held = AtTestInitiator::make_write(16, std::uint32_t{1});
    auto releasing = AtTestInitiator::make_write(20, std::uint32_t{1});
    bench.begin_request(held->payload);
    bench.wait_for(held->payload, tlm::END_REQ);
    bench.begin_request(releasing->payload);
    bench.wait_for(held->payload, tlm::BEGIN_RESP);
    bench.wait_for(releasing->payload, tlm::BEGIN_RESP);
    bench.end_response(held->payload);
    bench.end_response(releasing->payload);

    // The initiator breaks the request exclusion rule: a second BEGIN_REQ before the
    // first one's END_REQ, which the target sends after 10 ns.
    auto slow = AtTestInitiator::make_write(24, std::uint32_t{1});
    auto eager = AtTestInitiator::make_write(0, std::uint32_t{1});
    bench.begin_request(slow->payload);
    bench.begin_request(eager->payload);
    EXPECT_EQ(bench.wait_for(slow->payload, tlm::END_REQ), sc_time(10, SC_NS));
    bench.wait_for(slow->payload, tlm::BEGIN_RESP);
    bench.end_response(slow->payload);
    bench.wait_for(eager->payload, tlm::BEGIN_RESP);
    bench.end_response(eager->payload);
  });
  bench.initiator_socket.bind(checker.target_socket);
  checker.initiator_socket.bind(target.target_socket);
  sc_core::sc_start();
  EXPECT_TRUE(bench.finished());
  EXPECT_EQ(checker.transactions(), 8u);
  EXPECT_EQ(checker.violations(), 5u);
  const std::vector<std::string> expected = {
      "checker: write at 0x4 (4 bytes): BEGIN_RESP with TLM_INCOMPLETE_RESPONSE",
      "checker: write at 0x8 (4 bytes): END_REQ after END_REQ or BEGIN_RESP of the same "
      "transaction",
      "checker: write at 0xc (4 bytes): the target returned TLM_COMPLETED with "
      "TLM_INCOMPLETE_RESPONSE",
      "checker: write at 0x14 (4 bytes): BEGIN_RESP before END_RESP of the previous response "
      "(response exclusion rule)",
      "checker: write at 0x0 (4 bytes): BEGIN_REQ before END_REQ or BEGIN_RESP of the previous "
      "request (request exclusion rule)",
  };
  ASSERT_EQ(g_reports.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NE(g_reports[i].find(expected[i]), std::string::npos) << g_reports[i];
  }
}

}  // namespace
}  // namespace rpusim
