#include "models/nlf/nlf_unit.hpp"

#include <algorithm>
#include <sstream>

#include "models/common/config.hpp"
#include "models/common/payload.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/nlf/nlf_functions.hpp"

namespace rpusim {

using sc_core::sc_time;

NlfParams NlfParams::from_config(const Config& config) {
  NlfParams params;
  params.lanes = static_cast<int>(config.get_int("nlf.lanes"));
  params.clock_period = sc_time(1e3 / config.get_real("chip.clock_mhz"), sc_core::SC_NS);
  params.sigmoid_energy_j = config.get_real("nlf.sigmoid_energy_pj") * 1e-12;
  params.derivative_energy_j = config.get_real("nlf.derivative_energy_pj") * 1e-12;
  params.softmax_energy_j = config.get_real("nlf.softmax_energy_pj") * 1e-12;
  params.softmax_passes = static_cast<int>(config.get_int("nlf.softmax_passes"));
  params.scale_energy_j = config.get_real("nlf.scale_energy_pj") * 1e-12;
  params.compare_energy_j = config.get_real("nlf.compare_energy_pj") * 1e-12;
  params.error_energy_j = config.get_real("nlf.error_energy_pj") * 1e-12;
  params.add_energy_j = config.get_real("nlf.add_energy_pj") * 1e-12;
  params.move_energy_j = config.get_real("nlf.move_energy_pj") * 1e-12;
  params.area_per_lane_um2 = config.get_real("nlf.area_um2_per_lane");
  params.static_power_per_lane_w = config.get_real("nlf.static_power_uw_per_lane") * 1e-6;
  return params;
}

NlfUnit::NlfUnit(const sc_core::sc_module_name& name, const NlfParams& params,
                 EnergyLedger& ledger)
    : sc_module(name),
      target_socket("target_socket"),
      m_params(params),
      m_ledger(ledger),
      m_v(nlf_map::kCapacity, 0.0f),
      m_s(nlf_map::kCapacity, 0.0f),
      m_at(
          this->name(),
          [this](tlm::tlm_generic_payload& payload, sc_time& delay) {
            b_transport(payload, delay);
          },
          [this](tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase, sc_time& delay) {
            return target_socket->nb_transport_bw(payload, phase, delay);
          }) {
  target_socket.register_b_transport(this, &NlfUnit::b_transport);
  target_socket.register_nb_transport_fw(this, &NlfUnit::nb_transport_fw);
}

void NlfUnit::end_of_elaboration() {
  std::ostringstream text;
  text << name() << ": " << m_params.lanes << " lanes at " << m_params.clock_period
       << " per cycle, static " << static_power_w() * 1e3 << " mW, " << area_um2() << " um^2";
  SC_REPORT_INFO_VERB("rpusim/nlf", text.str().c_str(), sc_core::SC_DEBUG);
}

void NlfUnit::trace(TraceRecorder& recorder) {
  m_trace = &recorder;
  m_trace_busy = recorder.add_signal(std::string(name()) + ".busy");
}

void NlfUnit::b_transport(tlm::tlm_generic_payload& payload, sc_time& delay) {
  if (TimingOp* op = timing_op_of(payload)) {
    const bool ok = payload.is_write() && payload.get_address() == nlf_map::kFunction &&
                    op->kind == TimingOp::kNlf && run_timed(*op, tag_of(payload), delay);
    payload.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  if (!accept_payload(payload)) return;
  const std::uint64_t address = payload.get_address();
  const bool write = payload.is_write();

  if (address >= nlf_map::kVBuffer && address < nlf_map::kRegionSize) {
    const std::uint64_t base = address - address % nlf_map::kBufferSpan;
    std::vector<float>& buffer = base == nlf_map::kVBuffer ? m_v : m_s;
    access_vector(payload, address - base, buffer.data(), buffer.size());
    return;
  }
  switch (address) {
    case nlf_map::kFunction: {
      std::uint32_t function = 0;
      if (!write) {
        payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
      }
      if (!access_register(payload, function)) return;
      if (!execute(function, tag_of(payload), delay)) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      }
      return;
    }
    case nlf_map::kLength: {
      std::uint32_t length = m_length;
      if (!access_register(payload, length)) return;
      if (length > nlf_map::kCapacity) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
      }
      m_length = length;
      return;
    }
    case nlf_map::kScale:
      access_register(payload, m_scale);
      return;
    case nlf_map::kLabel:
      access_register(payload, m_label);
      return;
    case nlf_map::kArgmax:
      if (write) {
        payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
      }
      access_register(payload, m_argmax);
      return;
    default:
      payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
}

tlm::tlm_sync_enum NlfUnit::nb_transport_fw(tlm::tlm_generic_payload& payload,
                                            tlm::tlm_phase& phase, sc_time& delay) {
  return m_at.nb_transport_fw(payload, phase, delay);
}

bool NlfUnit::execute(std::uint32_t function, const TransactionTag& tag, sc_time& delay) {
  sc_time duration;
  if (!run(function, tag, duration)) return false;
  const sc_time start = std::max(sc_core::sc_time_stamp() + delay, m_busy_until);
  m_busy_until = start + duration;
  m_busy += duration;
  delay = m_busy_until - sc_core::sc_time_stamp();
  if (m_trace) m_trace->busy(m_trace_busy, start, m_busy_until);
  return true;
}

void NlfUnit::record(std::uint32_t function, const TransactionTag& tag, std::int64_t elements,
                     const sc_time& start, const sc_time& end) {
  int passes = 1;
  double energy_per_element = 0;
  cost(function, passes, energy_per_element);
  book(tag, energy_per_element * static_cast<double>(elements), elements);
  m_busy += end - start;
  m_busy_until = std::max(m_busy_until, end);
  if (m_trace) m_trace->busy(m_trace_busy, start, end);
}

void NlfUnit::book(const TransactionTag& tag, double energy_j, std::int64_t elements) {
  m_operations += static_cast<std::uint64_t>(elements);
  m_ledger.add(Component::kNlf, tag.layer, tag.phase, tag.evaluation, energy_j);
}

bool NlfUnit::cost(std::uint32_t function, int& passes, double& energy_per_element) const {
  passes = 1;
  switch (function) {
    case nlf_map::kSigmoid:
    case nlf_map::kTanh:
      energy_per_element = m_params.sigmoid_energy_j;
      return true;
    case nlf_map::kSoftmax:
      energy_per_element = m_params.softmax_energy_j;
      passes = m_params.softmax_passes;
      return true;
    case nlf_map::kCrossEntropyError:
      energy_per_element = m_params.error_energy_j;
      return true;
    case nlf_map::kMultiplySigmoidDerivative:
    case nlf_map::kTanhDerivative:
      energy_per_element = m_params.derivative_energy_j;
      return true;
    case nlf_map::kNoiseManagement:
      energy_per_element = m_params.compare_energy_j + m_params.scale_energy_j;
      passes = 2;
      return true;
    case nlf_map::kHalve:
    case nlf_map::kRescale:
      energy_per_element = m_params.scale_energy_j;
      return true;
    case nlf_map::kArgmaxSearch:
    case nlf_map::kAbsMax:
    case nlf_map::kMaxPool:
    case nlf_map::kRelu:
    case nlf_map::kReluDerivative:
      energy_per_element = m_params.compare_energy_j;
      return true;
    case nlf_map::kAccumulate:
    case nlf_map::kAveragePool:
    case nlf_map::kResidualAdd:
      energy_per_element = m_params.add_energy_j;
      return true;
    case nlf_map::kPatchExtract:
      energy_per_element = m_params.move_energy_j;
      return true;
    default:
      return false;
  }
}

sc_time NlfUnit::pass_time(std::int64_t elements, int passes) const {
  const std::int64_t cycles_per_pass = (elements + m_params.lanes - 1) / m_params.lanes;
  return m_params.clock_period *
         static_cast<double>(passes * std::max<std::int64_t>(cycles_per_pass, 1));
}

bool NlfUnit::run_timed(TimingOp& op, const TransactionTag& tag, sc_time& delay) {
  sc_time duration;
  double energy = 0;
  for (int i = 0; i < op.step_count; ++i) {
    const TimingOp::NlfStep& step = op.steps[static_cast<std::size_t>(i)];
    int passes = 1;
    double energy_per_element = 0;
    if (!cost(step.function, passes, energy_per_element)) return false;
    duration += pass_time(step.elements, passes);
    energy += energy_per_element * static_cast<double>(step.elements);
    m_operations += static_cast<std::uint64_t>(step.elements);
  }
  m_ledger.add(Component::kNlf, tag.layer, tag.phase, tag.evaluation, energy);
  m_timed_calendar.forget_before(sc_core::sc_time_stamp());
  op.start = m_timed_calendar.reserve(sc_core::sc_time_stamp() + delay, duration);
  m_busy += duration;
  op.end = op.start + duration;
  delay = op.end - sc_core::sc_time_stamp();
  if (m_trace) m_trace->busy(m_trace_busy, op.start, op.end);
  return true;
}

bool NlfUnit::run(std::uint32_t function, const TransactionTag& tag, sc_time& duration) {
  const int n = static_cast<int>(m_length);
  float* v = m_v.data();
  double energy_per_element = 0;
  int passes = 1;
  if (function >= nlf_map::kAccumulate || !cost(function, passes, energy_per_element)) {
    return false;  // unknown, or timing-only
  }
  switch (function) {
    case nlf_map::kSigmoid:
      sigmoid(v, v, n);
      break;
    case nlf_map::kSoftmax:
      softmax(v, v, n);
      break;
    case nlf_map::kCrossEntropyError:
      if (m_label >= m_length) return false;
      cross_entropy_error(v, n, static_cast<int>(m_label), v);
      break;
    case nlf_map::kMultiplySigmoidDerivative:
      for (int i = 0; i < n; ++i) v[i] *= m_s[i] * (1.0f - m_s[i]);
      break;
    case nlf_map::kNoiseManagement: {
      const float largest = abs_max(v, n);
      m_scale = largest > 0.0f ? largest : 1.0f;
      scale_vector(v, 1.0f / m_scale, v, n);
      break;
    }
    case nlf_map::kHalve:
      scale_vector(v, 0.5f, v, n);
      m_scale *= 2.0f;
      break;
    case nlf_map::kRescale:
      scale_vector(v, m_scale, v, n);
      break;
    case nlf_map::kArgmaxSearch:
      m_argmax = n > 0 ? static_cast<std::uint32_t>(std::max_element(v, v + n) - v) : 0;
      break;
    case nlf_map::kAbsMax:
      m_scale = abs_max(v, n);
      break;
    default:
      return false;
  }
  book(tag, energy_per_element * n, n);
  duration = pass_time(n, passes);
  return true;
}

nlohmann::json NlfUnit::implementation_report() const {
  return {{"implementation", "tlm"}};
}

}  // namespace rpusim
