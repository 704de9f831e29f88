// Off-chip I/O port: fetches one sample (input values and label) from off-chip memory
// into its buffer when the sequencer writes the sample index. Loosely timed through
// b_transport, approximately timed through nb_transport_fw (AtTarget). A fetch
// costs latency + bits / bandwidth and energy per bit, and fetches queue on the port.
// The data sets stand in for the off-chip memory. Leaves out DRAM refresh, banking and
// prefetching of the next sample. Timing-only runs send a TimingOp with the value count and
// no sample index.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/at_target.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/common/resource_calendar.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/timing/timing_op.hpp"
#include "models/workload/dataset.hpp"

namespace rpusim {

class Config;

namespace io_map {
constexpr std::uint64_t kSample = 0x0000;     // W: fetch this sample of the selected set
constexpr std::uint64_t kSet = 0x0004;        // RW: 0 training set, 1 test set
constexpr std::uint64_t kLabel = 0x0008;      // R: label of the fetched sample
constexpr std::uint64_t kFeatures = 0x000C;   // R: values per sample
constexpr std::uint64_t kImage = 0x100000;    // R: the fetched sample's values, f32 words
constexpr std::uint64_t kImageSpan = 0x100000;
constexpr std::uint64_t kRegionSize = 0x200000;
}  // namespace io_map

struct IoParams {
  double bandwidth_bytes_per_s = 25e9;
  sc_core::sc_time latency;
  double energy_per_bit_j = 0;
  int value_bits = 8;
  double static_power_w = 0;
  double area_um2 = 0;

  static IoParams from_config(const Config& config);
};

class IoPort : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<IoPort> target_socket;

  IoPort(const sc_core::sc_module_name& name, const IoParams& params, const DatasetSplit& data,
         EnergyLedger& ledger);

  const IoParams& params() const { return m_params; }
  std::uint64_t bits_transferred() const { return m_bits; }
  sc_core::sc_time busy_time() const { return m_busy; }

  // Adds the port's busy flag (a sample fetch) to `recorder` at elaboration.
  void trace(TraceRecorder& recorder);

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  sc_core::sc_time fetch(std::uint32_t sample, const TransactionTag& tag, bool& ok);
  // Books the transfer of one sample of `values` values and its label; returns its duration.
  sc_core::sc_time transfer(double values, const TransactionTag& tag);

  IoParams m_params;
  const DatasetSplit& m_data;
  EnergyLedger& m_ledger;
  std::uint32_t m_set = 0;
  std::uint32_t m_label = 0;
  std::vector<float> m_image;
  sc_core::sc_time m_busy_until;
  sc_core::sc_time m_busy;
  BasicCalendar<sc_core::sc_time> m_timed_calendar;  // timing-only runs
  std::uint64_t m_bits = 0;
  AtTarget m_at;
  TraceRecorder* m_trace = nullptr;  // null unless traced
  int m_trace_busy = -1;
};

}  // namespace rpusim
