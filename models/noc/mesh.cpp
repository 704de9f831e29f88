#include "models/noc/mesh.hpp"

#include <sstream>
#include <stdexcept>

#include "models/common/transaction_tag.hpp"
#include "models/noc/mesh_route.hpp"
#include "models/timing/timing_op.hpp"

namespace rpusim {

using sc_core::sc_time;

Mesh::Mesh(const sc_core::sc_module_name& name, const MeshParams& params, EnergyLedger& ledger)
    : sc_module(name),
      target_socket("target_socket"),
      initiator_socket("initiator_socket"),
      m_network(params),
      m_ledger(ledger),
      m_at(
          this->name(),
          [this](const tlm::tlm_generic_payload& payload, AtInterconnect::Route& to) {
            return route(payload, to);
          },
          [this](tlm::tlm_generic_payload& payload, const AtInterconnect::Route& to,
                 bool response) {
            sc_time delay = sc_core::SC_ZERO_TIME;
            if (!(response ? payload.is_read() : payload.is_write())) return delay;
            const int target_node = node_of_port(to.port);
            const int initiator_end = route_node_of(payload, m_initiator_node);
            const std::uint64_t bits = transfer_bits(payload);
            if (response) {
              carry(target_node, initiator_end, bits, payload, delay);
            } else {
              carry(initiator_end, target_node, bits, payload, delay);
            }
            return delay;
          },
          [this](tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase, sc_time& delay) {
            return target_socket->nb_transport_bw(payload, phase, delay);
          },
          [this](unsigned port, tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                 sc_time& delay) {
            return initiator_socket[static_cast<int>(port)]->nb_transport_fw(payload, phase, delay);
          }) {
  m_units_per_ps = sc_time(1, sc_core::SC_PS).value();
  if (m_units_per_ps == 0) {
    throw std::invalid_argument(std::string(this->name()) +
                                ": SystemC's time resolution is coarser than 1 ps; the mesh "
                                "needs 1 ps or finer");
  }
  target_socket.register_b_transport(this, &Mesh::b_transport);
  target_socket.register_transport_dbg(this, &Mesh::transport_dbg);
  target_socket.register_nb_transport_fw(this, &Mesh::nb_transport_fw);
  initiator_socket.register_nb_transport_bw(this, &Mesh::nb_transport_bw);
}

void Mesh::end_of_elaboration() {
  std::ostringstream text;
  const MeshParams& mesh = params();
  text << name() << ": " << mesh.columns << " x " << mesh.rows << " mesh, " << mesh.link_width_bits
       << "-bit links at " << mesh.clock_period_ps << " ps per cycle, "
       << mesh.router_latency_cycles << " cycles per router, " << mesh.hop_length_mm
       << " mm per hop; initiator at node " << m_initiator_node << "; regions:";
  for (const Region& region : m_decoder.regions()) {
    const int node = node_of_port(region.port);
    if (node < 0) {
      SC_REPORT_ERROR("rpusim/mesh",
                      (std::string(name()) + ": region " + region.name + " (port " +
                       std::to_string(region.port) + ") has no node: call place() for its port")
                          .c_str());
      return;
    }
    text << ' ' << region.name << "@0x" << std::hex << region.base << std::dec << " node " << node;
  }
  SC_REPORT_INFO_VERB("rpusim/mesh", text.str().c_str(), sc_core::SC_DEBUG);
}

void Mesh::map_region(std::uint64_t base, std::uint64_t size, unsigned port,
                     const std::string& name) {
  m_decoder.add(base, size, port, name, this->name());
}

void Mesh::place(unsigned port, int node) {
  if (node < 0 || node >= m_network.node_count()) {
    throw std::out_of_range(std::string(name()) + ": node " + std::to_string(node) + " for port " +
                            std::to_string(port) + " is outside the mesh (0.." +
                            std::to_string(m_network.node_count() - 1) + ")");
  }
  if (port >= m_port_nodes.size()) m_port_nodes.resize(port + 1, -1);
  m_port_nodes[port] = node;
}

void Mesh::set_initiator_node(int node) {
  if (node < 0 || node >= m_network.node_count()) {
    throw std::out_of_range(std::string(name()) + ": initiator node " + std::to_string(node) +
                            " is outside the mesh (0.." +
                            std::to_string(m_network.node_count() - 1) + ")");
  }
  m_initiator_node = node;
}

int Mesh::node_of_port(unsigned port) const {
  return port < m_port_nodes.size() ? m_port_nodes[port] : -1;
}

void Mesh::trace(TraceRecorder& recorder) {
  std::vector<int> signals;
  for (const MeshLink& link : m_network.links()) {
    std::string link_name;
    switch (link.kind) {
      case MeshLink::Kind::kInjection:
        link_name = "inject_" + std::to_string(link.from_node);
        break;
      case MeshLink::Kind::kEjection:
        link_name = "eject_" + std::to_string(link.to_node);
        break;
      case MeshLink::Kind::kRouterLink:
        link_name = "link_" + std::to_string(link.from_node) + "_" + std::to_string(link.to_node);
        break;
    }
    signals.push_back(recorder.add_signal(std::string(name()) + "." + link_name));
  }
  m_network.set_link_observer(
      [this, &recorder, signals](std::size_t link, Picoseconds enter_ps, Picoseconds leave_ps) {
        recorder.busy(signals[link], from_ps(enter_ps), from_ps(leave_ps));
      });
}

Picoseconds Mesh::to_ps(const sc_time& time) const {
  return time.value() / m_units_per_ps;
}

sc_time Mesh::from_ps(Picoseconds ps) const {
  return sc_time::from_value(ps * m_units_per_ps);
}

void Mesh::carry(int source, int destination, std::uint64_t bits,
                 const tlm::tlm_generic_payload& payload, sc_time& delay) {
  const sc_time now = sc_core::sc_time_stamp();
  m_network.set_horizon(to_ps(now));  // every request starts at or after the present
  const MeshTransfer transfer = m_network.transfer(source, destination, bits, to_ps(now + delay));
  delay = from_ps(transfer.arrival_ps) - now;

  const TransactionTag tag = tag_of(payload);
  m_ledger.add(Component::kInterconnect, tag.layer, tag.phase, tag.evaluation, transfer.energy_j);
}

void Mesh::b_transport(tlm::tlm_generic_payload& payload, sc_time& delay) {
  const std::uint64_t address = payload.get_address();
  const Region* region = decode(address);
  if (!region) {
    payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const int target_node = node_of_port(region->port);
  const int initiator_end = route_node_of(payload, m_initiator_node);
  const bool moves_data = payload.is_write() || payload.is_read();
  if (moves_data && (initiator_end < 0 || initiator_end >= m_network.node_count())) {
    // A MeshRoute that names no node of this mesh: the data has nowhere to go.
    payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }

  const std::uint64_t bits = transfer_bits(payload);
  if (payload.is_write()) carry(initiator_end, target_node, bits, payload, delay);
  payload.set_address(address - region->base);
  initiator_socket[region->port]->b_transport(payload, delay);
  payload.set_address(address);
  if (payload.is_read() && payload.is_response_ok()) {
    carry(target_node, initiator_end, bits, payload, delay);
  }
}

tlm::tlm_response_status Mesh::route(const tlm::tlm_generic_payload& payload,
                                     AtInterconnect::Route& route) const {
  const Region* region = decode(payload.get_address());
  if (!region) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  const int initiator_end = route_node_of(payload, m_initiator_node);
  const bool moves_data = payload.is_write() || payload.is_read();
  if (moves_data && (initiator_end < 0 || initiator_end >= m_network.node_count())) {
    return tlm::TLM_GENERIC_ERROR_RESPONSE;  // as on the loosely timed path
  }
  route.port = region->port;
  route.target_address = payload.get_address() - region->base;
  return tlm::TLM_OK_RESPONSE;
}

tlm::tlm_sync_enum Mesh::nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                         sc_time& delay) {
  return m_at.nb_transport_fw(payload, phase, delay);
}

tlm::tlm_sync_enum Mesh::nb_transport_bw(int port, tlm::tlm_generic_payload& payload,
                                         tlm::tlm_phase& phase, sc_time& delay) {
  return m_at.nb_transport_bw(port, payload, phase, delay);
}

unsigned int Mesh::transport_dbg(tlm::tlm_generic_payload& payload) {
  const std::uint64_t address = payload.get_address();
  const Region* region = decode(address);
  if (!region) return 0;
  payload.set_address(address - region->base);
  const unsigned int bytes = initiator_socket[region->port]->transport_dbg(payload);
  payload.set_address(address);
  return bytes;
}

}  // namespace rpusim
