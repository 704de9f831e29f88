// Approximately timed (AT) front end of a memory-mapped target. It accepts the four phases of the
// TLM-2.0 base protocol on nb_transport_fw and serves each request through the target's own
// b_transport. The loosely timed (LT) and AT paths therefore share one implementation of registers,
// numerics, timing and energy.
//
// Abstraction: the target serves one request at a time, in arrival order. A request that arrives
// while an earlier one is in service waits, and its END_REQ goes out when the earlier service ends,
// so a busy target delays END_REQ (back-pressure). Serving calls b_transport at the acceptance time
// with a zero delay: registers and buffers change then, and the delay that b_transport annotates is
// the service time, after which BEGIN_RESP goes out. A BEGIN_RESP waits for the END_RESP of the
// previous response (the response exclusion rule).
//
// A target whose b_transport waits (an RTL co-simulation transactor that clocks its pins) calls
// serve_in_thread() during elaboration. Its requests are then served from a thread process of
// their own, started at the acceptance time, instead of from the method process that delivers
// the phases.
//
// Leaves out overlapping services. A tile whose ADC bank may convert while the array integrates the
// next read (adc.overlap_conversion) accepts the next request on this path only when the
// conversions end.
#pragma once

#include <deque>
#include <functional>

#include <systemc>
#include <tlm>

#include "models/common/at_responder.hpp"
#include "models/common/phase_queue.hpp"

namespace rpusim {

class AtTarget {
 public:
  using BTransport = std::function<void(tlm::tlm_generic_payload&, sc_core::sc_time&)>;
  using Backward = AtResponder::Backward;

  // Construct during elaboration, as a member of the target module. `serve` is the target's
  // b_transport, `backward` calls nb_transport_bw on the target socket. Protocol errors are
  // reported as SystemC errors of type "rpusim/at" naming `owner`.
  AtTarget(const char* owner, BTransport serve, Backward backward);

  // The target socket's nb_transport_fw: takes BEGIN_REQ and END_RESP.
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    return m_responder.nb_transport_fw(payload, phase, delay);
  }

  bool serving() const { return m_in_service != nullptr; }

  // Serves requests from a thread, so that `serve` may call wait(). Call once, during
  // elaboration, from the owner's constructor.
  void serve_in_thread();

 private:
  enum Channel { kIncoming, kServiceEnd };

  void on_phase(tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase);
  void on_service_end(tlm::tlm_generic_payload& payload);
  void accept_next();
  void serve(tlm::tlm_generic_payload& payload);
  void serve_thread();

  BTransport m_serve;
  PhaseQueue m_queue;
  AtResponder m_responder;                           // after m_queue, which it uses
  std::deque<tlm::tlm_generic_payload*> m_requests;  // arrived, END_REQ not yet sent
  tlm::tlm_generic_payload* m_in_service = nullptr;
  bool m_threaded = false;
  sc_core::sc_event m_serve_now;  // wakes serve_thread() once m_in_service is accepted
};

}  // namespace rpusim
