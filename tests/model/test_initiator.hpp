// A loosely-timed test initiator for the model tests: one TLM-2.0 initiator socket and one
// SC_THREAD that runs a test scenario, then stops the simulation. The scenario issues
// transactions through the helpers below, each with the caller's local time offset
// `delay`, which the target may advance. Simulated time itself moves only when the scenario
// waits. A TestInitiator built without a scenario runs no thread and only lends its socket
// to another initiator's scenario, for tests that drive two targets side by side.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "models/common/transaction_tag.hpp"

namespace rpusim::testing {

class TestInitiator : public sc_core::sc_module {
 public:
  using Scenario = std::function<void(TestInitiator&)>;

  tlm_utils::simple_initiator_socket<TestInitiator> initiator_socket;

  TestInitiator(const sc_core::sc_module_name& name, Scenario scenario = {})
      : sc_module(name), initiator_socket("initiator_socket"), m_scenario(std::move(scenario)) {
    if (m_scenario) SC_THREAD(run);
  }

  // Whether the scenario ran to its end (a failed ASSERT ends it early but still counts).
  bool finished() const { return m_finished; }

  // Tags the following transactions with `tag` (layer, phase, context) for the ledger.
  void set_tag(const TransactionTag& tag) {
    m_tag = tag;
    m_tagged = true;
  }

  tlm::tlm_response_status transport(tlm::tlm_command command, std::uint64_t address, void* data,
                                     std::size_t bytes, sc_core::sc_time& delay) {
    tlm::tlm_generic_payload payload;
    payload.set_command(command);
    payload.set_address(address);
    payload.set_data_ptr(static_cast<unsigned char*>(data));
    payload.set_data_length(static_cast<unsigned int>(bytes));
    payload.set_streaming_width(static_cast<unsigned int>(bytes));
    payload.set_byte_enable_ptr(nullptr);
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    // The payload owns the extension and frees it when it is destroyed.
    if (m_tagged) payload.set_extension(new TransactionTag(m_tag));
    initiator_socket->b_transport(payload, delay);
    return payload.get_response_status();
  }

  template <typename Word>
  tlm::tlm_response_status write(std::uint64_t address, Word value, sc_core::sc_time& delay) {
    static_assert(sizeof(Word) == 4, "registers are 32 bits wide");
    return transport(tlm::TLM_WRITE_COMMAND, address, &value, sizeof value, delay);
  }

  template <typename Word>
  tlm::tlm_response_status read(std::uint64_t address, Word& value, sc_core::sc_time& delay) {
    static_assert(sizeof(Word) == 4, "registers are 32 bits wide");
    return transport(tlm::TLM_READ_COMMAND, address, &value, sizeof value, delay);
  }

  tlm::tlm_response_status write_vector(std::uint64_t address, std::vector<float> values,
                                        sc_core::sc_time& delay) {
    return transport(tlm::TLM_WRITE_COMMAND, address, values.data(), values.size() * sizeof(float),
                     delay);
  }

  tlm::tlm_response_status read_vector(std::uint64_t address, std::vector<float>& values,
                                       sc_core::sc_time& delay) {
    return transport(tlm::TLM_READ_COMMAND, address, values.data(), values.size() * sizeof(float),
                     delay);
  }

 private:
  SC_HAS_PROCESS(TestInitiator);

  void run() {
    m_scenario(*this);
    m_finished = true;
    sc_core::sc_stop();
  }

  Scenario m_scenario;
  TransactionTag m_tag;
  bool m_tagged = false;
  bool m_finished = false;
};

}  // namespace rpusim::testing
