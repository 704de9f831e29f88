// 2D mesh on-chip network as a TLM-2.0 interconnect, with the outward interface of Bus:
// one target socket for the initiator, one initiator socket bound to every target, and
// address decoding by region. Each target port and the initiator sit at a node of the
// mesh (place(), set_initiator_node()). Loosely timed: a write's data crosses the mesh
// from the initiator's node to the target's node before the target acts, and a read's
// data crosses back after it. MeshNetwork computes each crossing's time, with contention
// between transfers that share a link, and its energy, which goes to the ledger as
// interconnect energy. A MeshRoute extension on the payload moves the initiator's end of a
// transfer to another node. A read or write whose MeshRoute names a node outside the mesh
// gets TLM_GENERIC_ERROR_RESPONSE and reaches no target.
//
// Leaves out what MeshNetwork leaves out, and the request of a read: the address and
// command reach the target without time or energy, as on the bus, and only the data is
// priced. Read and write data of one transaction never overlap in time.
//
// The sockets also take the four-phase non-blocking path (nb_transport_fw and _bw), through
// AtInterconnect with the same decoder and crossings, for approximately timed initiators.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "models/common/energy_ledger.hpp"
#include "models/noc/address_decoder.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/noc/at_interconnect.hpp"
#include "models/noc/mesh_network.hpp"

namespace rpusim {

class Mesh : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Mesh> target_socket;
  tlm_utils::multi_passthrough_initiator_socket<Mesh> initiator_socket;

  // Throws std::invalid_argument for invalid parameters (see MeshNetwork) or if SystemC's
  // time resolution is coarser than 1 ps.
  Mesh(const sc_core::sc_module_name& name, const MeshParams& params, EnergyLedger& ledger);

  // Routes [base, base + size) to the target bound as the `port`-th initiator socket binding.
  // The target receives addresses relative to base. Throws std::invalid_argument on overlap.
  void map_region(std::uint64_t base, std::uint64_t size, unsigned port, const std::string& name);

  // Places the target bound as the `port`-th binding at `node`. Several targets may share a
  // node. Every port with a region must be placed before the simulation starts. Throws
  // std::out_of_range for a node outside the mesh.
  void place(unsigned port, int node);
  // Places the initiator (node 0 unless set). Throws std::out_of_range outside the mesh.
  void set_initiator_node(int node);

  int initiator_node() const { return m_initiator_node; }
  int node_of_port(unsigned port) const;  // -1 if the port is not placed
  const MeshParams& params() const { return m_network.params(); }
  const MeshNetwork& network() const { return m_network; }
  std::uint64_t bits_transferred() const { return m_network.bits(); }
  std::uint64_t hop_bits() const { return m_network.hop_bits(); }
  double static_power_w() const { return m_network.static_power_w(); }
  double area_um2() const { return m_network.area_mm2() * 1e6; }

  // Adds one busy flag per link to `recorder` at elaboration, set while flits occupy the
  // link: "link_3_4" from router 3 to router 4, "inject_3" and "eject_3" for node 3's port.
  void trace(TraceRecorder& recorder);

 private:
  using Region = AddressDecoder::Region;

  void end_of_elaboration() override;
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& payload);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_bw(int port, tlm::tlm_generic_payload& payload,
                                     tlm::tlm_phase& phase, sc_core::sc_time& delay);
  // Decodes for the AT path: the port and target address, or the error response.
  tlm::tlm_response_status route(const tlm::tlm_generic_payload& payload,
                                 AtInterconnect::Route& route) const;
  const Region* decode(std::uint64_t address) const { return m_decoder.decode(address); }
  // Sends `bits` from `source` to `destination` from now + delay on, moves `delay` to the
  // arrival and books the energy to the payload's tag.
  void carry(int source, int destination, std::uint64_t bits,
             const tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  Picoseconds to_ps(const sc_core::sc_time& time) const;
  sc_core::sc_time from_ps(Picoseconds ps) const;

  MeshNetwork m_network;
  EnergyLedger& m_ledger;
  AddressDecoder m_decoder;
  std::vector<int> m_port_nodes;  // [port], -1 if not placed
  int m_initiator_node = 0;
  sc_core::sc_time::value_type m_units_per_ps = 1;  // SystemC time units per picosecond
  AtInterconnect m_at;
};

}  // namespace rpusim
