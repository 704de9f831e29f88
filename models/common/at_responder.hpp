// The side of an approximately timed (AT) component that faces its initiator, shared by
// AtTarget and AtInterconnect. It takes BEGIN_REQ and END_RESP on nb_transport_fw and sends
// the responses one at a time, as the response exclusion rule of the TLM-2.0 base protocol
// requires. What happens between a request and its response is up to the owner.
//
// Abstraction: every phase from the initiator goes through the owner's PhaseQueue, so it takes
// effect at its annotated time. A BEGIN_RESP waits for the END_RESP of the previous response. A
// payload with a memory manager is acquired at BEGIN_REQ and released when its transaction ends.
//
// Leaves out phases other than the four of the base protocol, which are protocol errors here.
#pragma once

#include <deque>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>

#include "models/common/phase_queue.hpp"

namespace rpusim {

class AtResponder {
 public:
  // Calls nb_transport_bw on the owner's target socket.
  using Backward = std::function<tlm::tlm_sync_enum(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                                    sc_core::sc_time&)>;

  // Uses the owner's `queue`, which delivers BEGIN_REQ and END_RESP on `channel`. The owner
  // handles BEGIN_REQ itself and passes END_RESP to end_response(). `queue` must outlive this
  // object. Protocol errors are SystemC errors of type "rpusim/at" naming `owner`.
  AtResponder(std::string owner, Backward backward, PhaseQueue& queue, int channel);

  // The owner's nb_transport_fw: takes BEGIN_REQ and END_RESP.
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     const sc_core::sc_time& delay);

  // Takes the END_RESP delivered by the queue: the transaction ends, and the next response goes.
  void end_response(tlm::tlm_generic_payload& payload);

  // Sends BEGIN_RESP for `payload` now, or once the responses before it have ended.
  void respond(tlm::tlm_generic_payload& payload);

  // Sends another phase (END_REQ) to the initiator now.
  tlm::tlm_sync_enum send(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                          sc_core::sc_time& delay) const {
    return m_backward(payload, phase, delay);
  }

  // Ends `payload`'s transaction here: releases it if it has a memory manager.
  static void finish(tlm::tlm_generic_payload& payload);

  void error(const std::string& message) const;

 private:
  void respond_next();

  std::string m_owner;
  Backward m_backward;
  PhaseQueue& m_queue;
  int m_channel;
  std::deque<tlm::tlm_generic_payload*> m_responses;  // BEGIN_RESP not yet sent
  tlm::tlm_generic_payload* m_responding = nullptr;   // BEGIN_RESP sent, END_RESP awaited
};

}  // namespace rpusim
