#include "models/chip/io_port.hpp"

#include <algorithm>

#include "models/common/config.hpp"
#include "models/common/payload.hpp"

namespace rpusim {

using sc_core::sc_time;

IoParams IoParams::from_config(const Config& config) {
  IoParams params;
  params.bandwidth_bytes_per_s = config.get_real("io.bandwidth_gb_per_s") * 1e9;
  params.latency = sc_time(config.get_real("io.latency_ns"), sc_core::SC_NS);
  params.energy_per_bit_j = config.get_real("io.energy_pj_per_bit") * 1e-12;
  params.value_bits = static_cast<int>(config.get_int("io.pixel_bits"));
  params.static_power_w = config.get_real("io.static_power_mw") * 1e-3;
  params.area_um2 = config.get_real("io.area_mm2") * 1e6;
  return params;
}

IoPort::IoPort(const sc_core::sc_module_name& name, const IoParams& params,
               const DatasetSplit& data, EnergyLedger& ledger)
    : sc_module(name),
      target_socket("target_socket"),
      m_params(params),
      m_data(data),
      m_ledger(ledger),
      m_image(static_cast<std::size_t>(data.train.features), 0.0f),
      m_at(
          this->name(),
          [this](tlm::tlm_generic_payload& payload, sc_time& delay) {
            b_transport(payload, delay);
          },
          [this](tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase, sc_time& delay) {
            return target_socket->nb_transport_bw(payload, phase, delay);
          }) {
  target_socket.register_b_transport(this, &IoPort::b_transport);
  target_socket.register_nb_transport_fw(this, &IoPort::nb_transport_fw);
}

void IoPort::trace(TraceRecorder& recorder) {
  m_trace = &recorder;
  m_trace_busy = recorder.add_signal(std::string(name()) + ".busy");
}

void IoPort::b_transport(tlm::tlm_generic_payload& payload, sc_time& delay) {
  if (TimingOp* op = timing_op_of(payload)) {
    if (!payload.is_write() || payload.get_address() != io_map::kSample ||
        op->kind != TimingOp::kFetch) {
      payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
    const sc_time duration = transfer(static_cast<double>(op->elements), tag_of(payload));
    m_timed_calendar.forget_before(sc_core::sc_time_stamp());
    op->start = m_timed_calendar.reserve(sc_core::sc_time_stamp() + delay, duration);
    m_busy += duration;
    op->end = op->start + duration;
    delay = op->end - sc_core::sc_time_stamp();
    if (m_trace) m_trace->busy(m_trace_busy, op->start, op->end);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (!accept_payload(payload)) return;
  const std::uint64_t address = payload.get_address();
  const bool write = payload.is_write();

  if (address >= io_map::kImage && address < io_map::kRegionSize) {
    if (write) {
      payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      return;
    }
    access_vector(payload, address - io_map::kImage, m_image.data(), m_image.size());
    return;
  }
  switch (address) {
    case io_map::kSample: {
      std::uint32_t sample = 0;
      if (!write) {
        payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
      }
      if (!access_register(payload, sample)) return;
      bool ok = false;
      const sc_time duration = fetch(sample, tag_of(payload), ok);
      if (!ok) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
      }
      const sc_time start = std::max(sc_core::sc_time_stamp() + delay, m_busy_until);
      m_busy_until = start + duration;
      m_busy += duration;
      delay = m_busy_until - sc_core::sc_time_stamp();
      if (m_trace) m_trace->busy(m_trace_busy, start, m_busy_until);
      return;
    }
    case io_map::kSet: {
      std::uint32_t set = m_set;
      if (!access_register(payload, set)) return;
      if (set > 1) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
      }
      m_set = set;
      return;
    }
    case io_map::kLabel:
    case io_map::kFeatures: {
      if (write) {
        payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
      }
      std::uint32_t value =
          address == io_map::kLabel ? m_label : static_cast<std::uint32_t>(m_image.size());
      access_register(payload, value);
      return;
    }
    default:
      payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
}

tlm::tlm_sync_enum IoPort::nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                           sc_time& delay) {
  return m_at.nb_transport_fw(payload, phase, delay);
}

sc_time IoPort::fetch(std::uint32_t sample, const TransactionTag& tag, bool& ok) {
  const Dataset& set = m_set == 0 ? m_data.train : m_data.test;
  ok = sample < set.size();
  if (!ok) return sc_core::SC_ZERO_TIME;
  std::copy(set.image(sample), set.image(sample) + set.features, m_image.begin());
  m_label = set.labels[sample];
  return transfer(static_cast<double>(set.features), tag);
}

sc_time IoPort::transfer(double values, const TransactionTag& tag) {
  const double label_bits = 8;
  const double bits = values * m_params.value_bits + label_bits;
  m_bits += static_cast<std::uint64_t>(bits);
  m_ledger.add(Component::kIo, tag.layer, tag.phase, tag.evaluation, bits * m_params.energy_per_bit_j);
  return m_params.latency + sc_time(bits / 8 / m_params.bandwidth_bytes_per_s, sc_core::SC_SEC);
}

}  // namespace rpusim
