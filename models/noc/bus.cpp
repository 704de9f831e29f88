#include "models/noc/bus.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "models/common/config.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/timing/timing_op.hpp"

namespace rpusim {

using sc_core::sc_time;

BusParams BusParams::from_config(const Config& config) {
  BusParams params;
  params.width_bits = static_cast<int>(config.get_int("bus.width_bits"));
  params.clock_period = sc_time(1e3 / config.get_real("bus.clock_mhz"), sc_core::SC_NS);
  params.latency_cycles = static_cast<int>(config.get_int("bus.latency_cycles"));
  params.energy_per_bit_j =
      config.get_real("bus.wire_energy_pj_per_bit_mm") * config.get_real("bus.length_mm") * 1e-12;
  params.static_power_w = config.get_real("bus.static_power_mw") * 1e-3;
  params.area_um2 = config.get_real("bus.area_mm2") * 1e6;
  return params;
}

Bus::Bus(const sc_core::sc_module_name& name, const BusParams& params, EnergyLedger& ledger)
    : sc_module(name),
      target_socket("target_socket"),
      initiator_socket("initiator_socket"),
      m_params(params),
      m_ledger(ledger),
      m_at(
          this->name(),
          [this](const tlm::tlm_generic_payload& payload, AtInterconnect::Route& route) {
            const Region* region = decode(payload.get_address());
            if (!region) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            route.port = region->port;
            route.target_address = payload.get_address() - region->base;
            return tlm::TLM_OK_RESPONSE;
          },
          [this](tlm::tlm_generic_payload& payload, const AtInterconnect::Route&, bool response) {
            sc_time delay = sc_core::SC_ZERO_TIME;
            if (response ? payload.is_read() : payload.is_write()) {
              occupy(transfer_bits(payload), payload, delay);
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
  target_socket.register_b_transport(this, &Bus::b_transport);
  target_socket.register_transport_dbg(this, &Bus::transport_dbg);
  target_socket.register_nb_transport_fw(this, &Bus::nb_transport_fw);
  initiator_socket.register_nb_transport_bw(this, &Bus::nb_transport_bw);
}

void Bus::end_of_elaboration() {
  std::ostringstream text;
  text << name() << ": " << m_params.width_bits << " bits at " << m_params.clock_period
       << " per cycle, " << m_params.latency_cycles << " cycles latency, "
       << m_params.energy_per_bit_j * 1e12 << " pJ/bit; regions:";
  for (const Region& region : m_decoder.regions()) {
    text << ' ' << region.name << "@0x" << std::hex << region.base << std::dec;
  }
  SC_REPORT_INFO_VERB("rpusim/bus", text.str().c_str(), sc_core::SC_DEBUG);
}

void Bus::map_region(std::uint64_t base, std::uint64_t size, unsigned port,
                    const std::string& name) {
  m_decoder.add(base, size, port, name, this->name());
}

void Bus::trace(TraceRecorder& recorder) {
  m_trace = &recorder;
  m_trace_busy = recorder.add_signal(std::string(name()) + ".busy");
}

void Bus::occupy(std::uint64_t bits, const tlm::tlm_generic_payload& payload, sc_time& delay) {
  const std::uint64_t beats = (bits + m_params.width_bits - 1) / m_params.width_bits;
  const sc_time duration =
      m_params.clock_period * static_cast<double>(m_params.latency_cycles + beats);
  m_calendar.forget_before(sc_core::sc_time_stamp());
  const sc_time start = m_calendar.reserve(sc_core::sc_time_stamp() + delay, duration);
  delay = start + duration - sc_core::sc_time_stamp();
  if (m_trace) m_trace->busy(m_trace_busy, start, start + duration);

  m_bits += bits;
  const TransactionTag tag = tag_of(payload);
  m_ledger.add(Component::kInterconnect, tag.layer, tag.phase, tag.evaluation,
               static_cast<double>(bits) * m_params.energy_per_bit_j);
}

void Bus::b_transport(tlm::tlm_generic_payload& payload, sc_time& delay) {
  const std::uint64_t address = payload.get_address();
  const Region* region = decode(address);
  if (!region) {
    payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const std::uint64_t bits = transfer_bits(payload);
  if (payload.is_write()) occupy(bits, payload, delay);
  payload.set_address(address - region->base);
  initiator_socket[region->port]->b_transport(payload, delay);
  payload.set_address(address);
  if (payload.is_read() && payload.is_response_ok()) occupy(bits, payload, delay);
}

tlm::tlm_sync_enum Bus::nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                        sc_time& delay) {
  return m_at.nb_transport_fw(payload, phase, delay);
}

tlm::tlm_sync_enum Bus::nb_transport_bw(int port, tlm::tlm_generic_payload& payload,
                                        tlm::tlm_phase& phase, sc_time& delay) {
  return m_at.nb_transport_bw(port, payload, phase, delay);
}

unsigned int Bus::transport_dbg(tlm::tlm_generic_payload& payload) {
  const std::uint64_t address = payload.get_address();
  const Region* region = decode(address);
  if (!region) return 0;
  payload.set_address(address - region->base);
  const unsigned int bytes = initiator_socket[region->port]->transport_dbg(payload);
  payload.set_address(address);
  return bytes;
}

}  // namespace rpusim
