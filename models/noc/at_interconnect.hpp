// Approximately-timed (AT) path of an interconnect (Bus, Mesh): one initiator upstream and one
// target per port downstream, all under the four-phase TLM-2.0 base protocol. The interconnect
// supplies the address decoder and the data moves (`Carry`), which reserve its wires as on the
// loosely timed path, so both paths give the same times when nothing contends.
//
// Abstraction: a BEGIN_REQ from upstream is decoded at its time. A write's data crosses first, and
// BEGIN_REQ reaches the target when the data arrives. END_REQ goes upstream only when the target
// sends END_REQ (or BEGIN_RESP), so a busy target delays the initiator's next request
// (back-pressure). A BEGIN_RESP from the target is taken at once (TLM_COMPLETED), the read data
// crosses back, and BEGIN_RESP goes upstream on arrival, one response at a time (the response
// exclusion rule). An address outside every region, or any other error of `Decode`, gets END_REQ
// and BEGIN_RESP at once with that error response.
//
// Leaves out what the loosely timed path leaves out, and a write's wait for a busy target: the data
// crosses as soon as the request arrives, and the wires are free again while the request waits at
// the target.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include <systemc>
#include <tlm>

#include "models/common/at_responder.hpp"
#include "models/common/phase_queue.hpp"

namespace rpusim {

class AtInterconnect {
 public:
  struct Route {
    unsigned port = 0;
    std::uint64_t target_address = 0;  // address relative to the target's base
  };
  // Returns TLM_OK_RESPONSE and fills `route`, or the error response of the payload.
  using Decode = std::function<tlm::tlm_response_status(const tlm::tlm_generic_payload&, Route&)>;
  // Moves the payload's data now (a write's data for a request, a read's data for a
  // response, and nothing otherwise) and returns the delay to its arrival.
  using Carry =
      std::function<sc_core::sc_time(tlm::tlm_generic_payload&, const Route&, bool response)>;
  using Upstream = AtResponder::Backward;
  using Downstream = std::function<tlm::tlm_sync_enum(unsigned port, tlm::tlm_generic_payload&,
                                                      tlm::tlm_phase&, sc_core::sc_time&)>;

  // Construct during elaboration, as a member of the interconnect module. `upstream` calls
  // nb_transport_bw of the target socket, `downstream` nb_transport_fw of an initiator
  // socket port. Protocol errors are SystemC errors of type "rpusim/at" naming `owner`.
  AtInterconnect(const char* owner, Decode decode, Carry carry, Upstream upstream,
                 Downstream downstream);

  // The target socket's nb_transport_fw: takes BEGIN_REQ and END_RESP from the initiator.
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    return m_responder.nb_transport_fw(payload, phase, delay);
  }
  // The initiator socket's nb_transport_bw: takes END_REQ and BEGIN_RESP from a target.
  tlm::tlm_sync_enum nb_transport_bw(int port, tlm::tlm_generic_payload& payload,
                                     tlm::tlm_phase& phase, sc_core::sc_time& delay);

 private:
  struct Pending {
    std::uint64_t address = 0;  // as the initiator set it
    Route route;
    bool request_ended = false;            // END_REQ sent upstream
    bool end_response_downstream = false;  // the target expects END_RESP from us
    bool completed_upstream = false;       // the initiator ended the transaction early
  };

  // Queues of timed notifications, all in one PhaseQueue: phases from the initiator and
  // from the targets, and data arrivals at the target's end and at the initiator's end.
  enum Channel { kUpstream, kRequestArrival, kDownstream, kResponseArrival };

  void on_upstream(tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase);
  void on_request_arrival(tlm::tlm_generic_payload& payload);
  void on_downstream(tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase);
  void on_response_arrival(tlm::tlm_generic_payload& payload);
  void end_request_upstream(tlm::tlm_generic_payload& payload);

  Decode m_decode;
  Carry m_carry;
  Downstream m_downstream;
  PhaseQueue m_queue;
  AtResponder m_responder;  // after m_queue, which it uses
  std::unordered_map<tlm::tlm_generic_payload*, Pending> m_pending;
};

}  // namespace rpusim
