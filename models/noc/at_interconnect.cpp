#include "models/noc/at_interconnect.hpp"

#include <utility>

namespace rpusim {

using sc_core::sc_time;

AtInterconnect::AtInterconnect(const char* owner, Decode decode, Carry carry, Upstream upstream,
                               Downstream downstream)
    : m_decode(std::move(decode)),
      m_carry(std::move(carry)),
      m_downstream(std::move(downstream)),
      m_queue("at_interconnect",
              [this](int channel, tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase) {
                switch (channel) {
                  case kUpstream:
                    on_upstream(payload, phase);
                    break;
                  case kRequestArrival:
                    on_request_arrival(payload);
                    break;
                  case kDownstream:
                    on_downstream(payload, phase);
                    break;
                  default:
                    on_response_arrival(payload);
                }
              }),
      m_responder(owner, std::move(upstream), m_queue, kUpstream) {}

tlm::tlm_sync_enum AtInterconnect::nb_transport_bw(int port, tlm::tlm_generic_payload& payload,
                                                   tlm::tlm_phase& phase, sc_time& delay) {
  auto pending = m_pending.find(&payload);
  if (pending == m_pending.end() || pending->second.route.port != static_cast<unsigned>(port)) {
    m_responder.error("nb_transport_bw from port " + std::to_string(port) +
                      " for a transaction not in progress there");
    return tlm::TLM_COMPLETED;
  }
  if (phase == tlm::END_REQ) {
    m_queue.notify(kDownstream, payload, phase, delay);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    // The interconnect takes the response at once, so the target may send its next one.
    m_queue.notify(kDownstream, payload, phase, delay);
    return tlm::TLM_COMPLETED;
  }
  m_responder.error("nb_transport_bw received a phase other than END_REQ or BEGIN_RESP");
  return tlm::TLM_COMPLETED;
}

void AtInterconnect::on_upstream(tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase) {
  if (phase == tlm::END_RESP) {
    m_responder.end_response(payload);
    return;
  }

  Pending& pending = m_pending[&payload];
  pending.address = payload.get_address();
  const tlm::tlm_response_status status = m_decode(payload, pending.route);
  if (status != tlm::TLM_OK_RESPONSE) {
    payload.set_response_status(status);
    end_request_upstream(payload);
    m_queue.notify(kResponseArrival, payload, tlm::BEGIN_RESP, sc_core::SC_ZERO_TIME);
    return;
  }
  // NOTE: a write's data crosses now even if the target is busy: the data does not wait for
  // the target to accept the request.
  const sc_time arrival = m_carry(payload, pending.route, false);
  m_queue.notify(kRequestArrival, payload, tlm::BEGIN_REQ, arrival);
}

void AtInterconnect::on_request_arrival(tlm::tlm_generic_payload& payload) {
  Pending& pending = m_pending.at(&payload);
  payload.set_address(pending.route.target_address);
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = m_downstream(pending.route.port, payload, phase, delay);
  if (status == tlm::TLM_ACCEPTED) return;  // END_REQ and BEGIN_RESP follow on the bw path
  if (status == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
    m_queue.notify(kDownstream, payload, tlm::END_REQ, delay);
  } else if (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP) {
    pending.end_response_downstream = true;
    m_queue.notify(kDownstream, payload, tlm::BEGIN_RESP, delay);
  } else if (status == tlm::TLM_COMPLETED) {
    m_queue.notify(kDownstream, payload, tlm::BEGIN_RESP, delay);
  } else {
    m_responder.error(
        "a target returned TLM_UPDATED for BEGIN_REQ with a phase other than END_REQ or "
        "BEGIN_RESP");
  }
}

void AtInterconnect::on_downstream(tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase) {
  Pending& pending = m_pending.at(&payload);
  if (phase == tlm::END_REQ) {
    end_request_upstream(payload);
    return;
  }
  // BEGIN_RESP, which implies END_REQ if the target sent none.
  end_request_upstream(payload);
  if (pending.end_response_downstream) {
    tlm::tlm_phase end_response = tlm::END_RESP;
    sc_time delay = sc_core::SC_ZERO_TIME;
    m_downstream(pending.route.port, payload, end_response, delay);
    pending.end_response_downstream = false;
  }
  payload.set_address(pending.address);
  const sc_time arrival =
      payload.is_response_ok() ? m_carry(payload, pending.route, true) : sc_core::SC_ZERO_TIME;
  m_queue.notify(kResponseArrival, payload, tlm::BEGIN_RESP, arrival);
}

void AtInterconnect::end_request_upstream(tlm::tlm_generic_payload& payload) {
  // The request phase ends upstream once: at the target's END_REQ, or at its BEGIN_RESP.
  Pending& pending = m_pending.at(&payload);
  if (pending.request_ended || pending.completed_upstream) return;
  pending.request_ended = true;
  tlm::tlm_phase phase = tlm::END_REQ;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = m_responder.send(payload, phase, delay);
  if (status == tlm::TLM_COMPLETED) pending.completed_upstream = true;
}

void AtInterconnect::on_response_arrival(tlm::tlm_generic_payload& payload) {
  // Nothing downstream refers to the transaction any more.
  const bool completed_upstream = m_pending.at(&payload).completed_upstream;
  m_pending.erase(&payload);
  if (completed_upstream) {
    AtResponder::finish(payload);
  } else {
    m_responder.respond(payload);
  }
}

}  // namespace rpusim
