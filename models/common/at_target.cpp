#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "models/common/at_target.hpp"

#include <string>
#include <utility>

namespace rpusim {

using sc_core::sc_time;

AtTarget::AtTarget(const char* owner, BTransport serve, Backward backward)
    : m_serve(std::move(serve)),
      m_queue("at_target",
              [this](int channel, tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase) {
                if (channel == kServiceEnd) {
                  on_service_end(payload);
                } else {
                  on_phase(payload, phase);
                }
              }),
      m_responder(owner, std::move(backward), m_queue, kIncoming) {}

void AtTarget::on_phase(tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase) {
  if (phase == tlm::BEGIN_REQ) {
    m_requests.push_back(&payload);
    accept_next();
    return;
  }
  m_responder.end_response(payload);  // END_RESP
}

void AtTarget::accept_next() {
  if (m_in_service || m_requests.empty()) return;
  tlm::tlm_generic_payload& payload = *m_requests.front();
  m_requests.pop_front();
  m_in_service = &payload;

  tlm::tlm_phase phase = tlm::END_REQ;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = m_responder.send(payload, phase, delay);
  if (status != tlm::TLM_ACCEPTED) {
    m_responder.error("the initiator did not return TLM_ACCEPTED for END_REQ");
  }
  if (m_threaded) {
    m_serve_now.notify(sc_core::SC_ZERO_TIME);
  } else {
    serve(payload);
  }
}

void AtTarget::serve(tlm::tlm_generic_payload& payload) {
  sc_time service = sc_core::SC_ZERO_TIME;
  m_serve(payload, service);
  m_queue.notify(kServiceEnd, payload, tlm::BEGIN_RESP, service);
}

void AtTarget::serve_in_thread() {
  if (m_threaded) return;
  m_threaded = true;
  sc_core::sc_spawn_options options;
  options.dont_initialize();
  options.set_sensitivity(&m_serve_now);
  sc_core::sc_spawn([this] { serve_thread(); }, sc_core::sc_gen_unique_name("at_serve"), &options);
}

void AtTarget::serve_thread() {
  while (true) {
    // The service may wait. Its end is notified from the present after it returns, so the
    // time it took in the thread and the delay it annotates both count.
    serve(*m_in_service);
    sc_core::wait();
  }
}

void AtTarget::on_service_end(tlm::tlm_generic_payload& payload) {
  // NOTE: the next request waits for the whole service, so work that the loosely timed path
  // overlaps with the next request (a tile's conversions) is serialised here.
  m_in_service = nullptr;
  m_responder.respond(payload);
  accept_next();
}

}  // namespace rpusim
