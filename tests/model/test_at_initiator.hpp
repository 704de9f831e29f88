// An approximately timed test initiator for the model tests: one TLM-2.0 initiator socket
// and one SC_THREAD that runs a test scenario, then stops the simulation. The scenario
// sends requests with begin_request() and ends responses with end_response(). The
// initiator records every phase that comes back, from nb_transport_bw or in a return value,
// with the simulated time it takes effect, and returns TLM_ACCEPTED for BEGIN_RESP.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace rpusim::testing {

class AtTestInitiator : public sc_core::sc_module {
 public:
  using Scenario = std::function<void(AtTestInitiator&)>;

  // A payload with its own data, at a fixed address in memory for the whole test.
  struct Request {
    tlm::tlm_generic_payload payload;
    std::vector<unsigned char> data;
  };

  // A phase received for a payload, and when it takes effect.
  struct Event {
    const tlm::tlm_generic_payload* payload;
    tlm::tlm_phase phase;
    sc_core::sc_time time;
  };

  tlm_utils::simple_initiator_socket<AtTestInitiator> initiator_socket;

  AtTestInitiator(const sc_core::sc_module_name& name, Scenario scenario)
      : sc_module(name), initiator_socket("initiator_socket"), m_scenario(std::move(scenario)) {
    initiator_socket.register_nb_transport_bw(this, &AtTestInitiator::nb_transport_bw);
    SC_THREAD(run);
  }

  bool finished() const { return m_finished; }
  const std::vector<Event>& events() const { return m_events; }

  // Returns a request of `bytes` bytes copied from `data` (zeros if null).
  static std::unique_ptr<Request> make_request(tlm::tlm_command command, std::uint64_t address,
                                               const void* data, std::size_t bytes) {
    auto request = std::make_unique<Request>();
    request->data.assign(bytes, 0);
    if (data) std::memcpy(request->data.data(), data, bytes);
    tlm::tlm_generic_payload& payload = request->payload;
    payload.set_command(command);
    payload.set_address(address);
    payload.set_data_ptr(request->data.data());
    payload.set_data_length(static_cast<unsigned int>(bytes));
    payload.set_streaming_width(static_cast<unsigned int>(bytes));
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    return request;
  }

  template <typename Word>
  static std::unique_ptr<Request> make_write(std::uint64_t address, Word value) {
    static_assert(sizeof(Word) == 4, "registers are 32 bits wide");
    return make_request(tlm::TLM_WRITE_COMMAND, address, &value, sizeof value);
  }

  static std::unique_ptr<Request> make_write_vector(std::uint64_t address,
                                                    const std::vector<float>& values) {
    return make_request(tlm::TLM_WRITE_COMMAND, address, values.data(),
                        values.size() * sizeof(float));
  }

  // Sends BEGIN_REQ with `delay` and returns the target's return value. It records the
  // phase of TLM_UPDATED, and TLM_COMPLETED as BEGIN_RESP. Phases recorded for an
  // earlier transaction of the same payload are forgotten.
  tlm::tlm_sync_enum begin_request(tlm::tlm_generic_payload& payload,
                                   sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
    m_events.erase(
        std::remove_if(m_events.begin(), m_events.end(),
                       [&payload](const Event& event) { return event.payload == &payload; }),
        m_events.end());
    tlm::tlm_phase phase = tlm::BEGIN_REQ;
    const tlm::tlm_sync_enum status = initiator_socket->nb_transport_fw(payload, phase, delay);
    if (status == tlm::TLM_UPDATED) record(payload, phase, delay);
    if (status == tlm::TLM_COMPLETED) record(payload, tlm::BEGIN_RESP, delay);
    return status;
  }

  // Sends END_RESP now and returns the target's return value.
  tlm::tlm_sync_enum end_response(tlm::tlm_generic_payload& payload) {
    tlm::tlm_phase phase = tlm::END_RESP;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    return initiator_socket->nb_transport_fw(payload, phase, delay);
  }

  // Waits until `phase` has taken effect for `payload` and returns its time.
  sc_core::sc_time wait_for(const tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase) {
    for (;;) {
      for (const Event& event : m_events) {
        if (event.payload != &payload || event.phase != phase) continue;
        if (event.time > sc_core::sc_time_stamp())
          sc_core::wait(event.time - sc_core::sc_time_stamp());
        return event.time;
      }
      sc_core::wait(m_received);
    }
  }

  // Runs one whole transaction (BEGIN_REQ, wait for BEGIN_RESP, END_RESP) and returns its
  // response status.
  tlm::tlm_response_status transact(tlm::tlm_generic_payload& payload) {
    if (begin_request(payload) != tlm::TLM_COMPLETED) {
      wait_for(payload, tlm::BEGIN_RESP);
      end_response(payload);
    }
    return payload.get_response_status();
  }

 private:
  SC_HAS_PROCESS(AtTestInitiator);

  void run() {
    m_scenario(*this);
    m_finished = true;
    sc_core::sc_stop();
  }

  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    record(payload, phase, delay);
    return tlm::TLM_ACCEPTED;
  }

  void record(const tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase,
              const sc_core::sc_time& delay) {
    m_events.push_back({&payload, phase, sc_core::sc_time_stamp() + delay});
    m_received.notify(delay);
  }

  Scenario m_scenario;
  std::vector<Event> m_events;
  sc_core::sc_event m_received;
  bool m_finished = false;
};

}  // namespace rpusim::testing
