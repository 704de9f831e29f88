#include "models/common/at_responder.hpp"

#include <utility>

namespace rpusim {

AtResponder::AtResponder(std::string owner, Backward backward, PhaseQueue& queue, int channel)
    : m_owner(std::move(owner)),
      m_backward(std::move(backward)),
      m_queue(queue),
      m_channel(channel) {}

tlm::tlm_sync_enum AtResponder::nb_transport_fw(tlm::tlm_generic_payload& payload,
                                                tlm::tlm_phase& phase,
                                                const sc_core::sc_time& delay) {
  if (phase == tlm::BEGIN_REQ) {
    // The owner keeps the payload beyond this call.
    if (payload.has_mm()) payload.acquire();
    m_queue.notify(m_channel, payload, phase, delay);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::END_RESP) {
    m_queue.notify(m_channel, payload, phase, delay);
    return tlm::TLM_COMPLETED;
  }
  error("nb_transport_fw received a phase other than BEGIN_REQ or END_RESP");
  return tlm::TLM_COMPLETED;
}

void AtResponder::end_response(tlm::tlm_generic_payload& payload) {
  if (&payload != m_responding) {
    error("END_RESP received for a transaction whose response is not in progress");
    return;
  }
  m_responding = nullptr;
  finish(payload);
  respond_next();
}

void AtResponder::respond(tlm::tlm_generic_payload& payload) {
  m_responses.push_back(&payload);
  respond_next();
}

void AtResponder::respond_next() {
  while (!m_responding && !m_responses.empty()) {
    tlm::tlm_generic_payload& payload = *m_responses.front();
    m_responses.pop_front();
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    const tlm::tlm_sync_enum status = m_backward(payload, phase, delay);
    if (status == tlm::TLM_ACCEPTED) {
      m_responding = &payload;
    } else if (status == tlm::TLM_UPDATED && phase == tlm::END_RESP) {
      // The response ends after `delay`: the next BEGIN_RESP waits for it.
      m_responding = &payload;
      m_queue.notify(m_channel, payload, tlm::END_RESP, delay);
    } else if (status == tlm::TLM_COMPLETED) {
      finish(payload);
    } else {
      error("the initiator returned TLM_UPDATED for BEGIN_RESP with a phase other than END_RESP");
      finish(payload);
    }
  }
}

void AtResponder::finish(tlm::tlm_generic_payload& payload) {
  if (payload.has_mm()) payload.release();
}

void AtResponder::error(const std::string& message) const {
  SC_REPORT_ERROR("rpusim/at", (m_owner + ": " + message).c_str());
}

}  // namespace rpusim
