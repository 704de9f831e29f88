// Shared on-chip bus: one target socket for the initiator, one initiator socket bound to
// every target, address decoding by region. Loosely timed: a transfer occupies the bus for
// latency_cycles + ceil(bits / width_bits) cycles on the bus's reservation calendar, so
// contention shows in the timing. A write crosses the bus before the
// target acts; read data crosses after. Energy per bit per mm of wire. Leaves out split
// transactions, arbitration fairness and bus-width-dependent wire energy.
//
// The sockets also take the four-phase non-blocking path (nb_transport_fw and _bw), through
// AtInterconnect with the same decoder and transfers, for approximately timed initiators.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/energy_ledger.hpp"
#include "models/noc/address_decoder.hpp"
#include "models/common/resource_calendar.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/noc/at_interconnect.hpp"

namespace rpusim {

class Config;

struct BusParams {
  int width_bits = 256;
  sc_core::sc_time clock_period;
  int latency_cycles = 4;
  double energy_per_bit_j = 0;
  double static_power_w = 0;
  double area_um2 = 0;

  static BusParams from_config(const Config& config);
};

class Bus : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Bus> target_socket;
  tlm_utils::multi_passthrough_initiator_socket<Bus> initiator_socket;

  Bus(const sc_core::sc_module_name& name, const BusParams& params, EnergyLedger& ledger);

  // Routes [base, base + size) to the target bound as the `port`-th initiator socket binding.
  // The target receives addresses relative to base. Throws std::invalid_argument on overlap.
  void map_region(std::uint64_t base, std::uint64_t size, unsigned port, const std::string& name);

  const BusParams& params() const { return m_params; }
  std::uint64_t bits_transferred() const { return m_bits; }
  sc_core::sc_time busy_time() const { return m_calendar.busy_time(); }

  // Adds the bus's busy flag (a transfer on the wires) to `recorder` at elaboration.
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
  const Region* decode(std::uint64_t address) const { return m_decoder.decode(address); }
  void occupy(std::uint64_t bits, const tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  BusParams m_params;
  EnergyLedger& m_ledger;
  AddressDecoder m_decoder;
  BasicCalendar<sc_core::sc_time> m_calendar;
  std::uint64_t m_bits = 0;
  AtInterconnect m_at;
  TraceRecorder* m_trace = nullptr;  // null unless traced
  int m_trace_busy = -1;
};

}  // namespace rpusim
