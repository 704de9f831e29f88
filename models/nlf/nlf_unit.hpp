// Digital nonlinear-function (NLF) unit: a vector unit of `lanes` lanes at the chip clock
// that computes activations, their derivatives, softmax and the output error, and carries
// out noise and bound management by scaling read vectors. One TLM-2.0 target socket,
// loosely timed through b_transport and approximately timed through nb_transport_fw
// (AtTarget, one request at a time). A function call is one transaction that operates on the vector
// buffer V in place and returns after passes x ceil(length / lanes) cycles (at least one cycle).
// Energy per element per function, static power and area per lane. Timing-only runs send a TimingOp
// with a chain of functions and element counts instead of data. Leaves out pipelining between
// functions and the unit's own buffer access energy.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/at_target.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/common/resource_calendar.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/timing/timing_op.hpp"

namespace rpusim {

class Config;

namespace nlf_map {
constexpr std::uint64_t kFunction = 0x0000;  // W: one of Function; runs on V[0..length)
constexpr std::uint64_t kLength = 0x0004;    // RW: vector length in elements
constexpr std::uint64_t kScale = 0x0008;     // RW f32: scale factor of noise/bound management
constexpr std::uint64_t kLabel = 0x000C;     // RW: class label for the output error
constexpr std::uint64_t kArgmax = 0x0010;    // R: index of the largest element after kArgmax
constexpr std::uint64_t kVBuffer = 0x10000;  // RW: operand and result vector, f32 words
constexpr std::uint64_t kSBuffer = 0x20000;  // RW: saved activations for the derivative
constexpr std::uint64_t kBufferSpan = 0x10000;
constexpr std::uint64_t kRegionSize = 0x30000;
constexpr std::uint32_t kCapacity = kBufferSpan / 4;  // elements per buffer

enum Function : std::uint32_t {
  kSigmoid = 1,                    // V = 1 / (1 + exp(-V))
  kSoftmax = 2,                    // V = softmax(V)
  kCrossEntropyError = 3,          // V = onehot(label) - V
  kMultiplySigmoidDerivative = 4,  // V = V * S (1 - S)
  kNoiseManagement = 5,            // scale = max|V| (1 if 0); V = V / scale
  kHalve = 6,                      // V = V / 2; scale = 2 scale  (bound management)
  kRescale = 7,                    // V = V * scale
  kArgmaxSearch = 8,               // argmax = index of max V
  kAbsMax = 9,                     // scale = max|V| (0 for an all-zero V); V unchanged
  // Timing-only functions (run.mode: timing); they take a TimingOp and no data.
  kAccumulate = 10,     // add a partial sum from another tile
  kMaxPool = 11,        // one compare per input element of a window
  kAveragePool = 12,    // one add per input element of a window
  kResidualAdd = 13,    // add a skip connection
  kPatchExtract = 14,   // gather a conv input patch (one element move)
  kRelu = 15,
  kReluDerivative = 16,
  kTanh = 17,
  kTanhDerivative = 18,
};
}  // namespace nlf_map

struct NlfParams {
  int lanes = 64;
  sc_core::sc_time clock_period;
  double sigmoid_energy_j = 0;
  double derivative_energy_j = 0;
  double softmax_energy_j = 0;
  int softmax_passes = 3;
  double scale_energy_j = 0;
  double compare_energy_j = 0;
  double error_energy_j = 0;
  double add_energy_j = 0;
  double move_energy_j = 0;
  double area_per_lane_um2 = 0;
  double static_power_per_lane_w = 0;

  static NlfParams from_config(const Config& config);
};

class NlfUnit : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<NlfUnit> target_socket;

  NlfUnit(const sc_core::sc_module_name& name, const NlfParams& params, EnergyLedger& ledger);

  double static_power_w() const { return m_params.static_power_per_lane_w * m_params.lanes; }
  double area_um2() const { return m_params.area_per_lane_um2 * m_params.lanes; }
  std::uint64_t operations() const { return m_operations; }
  sc_core::sc_time busy_time() const { return m_busy; }

  // Adds the unit's busy flag (a function running) to `recorder` at elaboration.
  void trace(TraceRecorder& recorder);

  // Returns how the unit computes its functions, for the report: {"implementation": "tlm"}
  // here. RtlNlfUnit adds its datapath's sources, lanes, latency and cycles.
  virtual nlohmann::json implementation_report() const;

 protected:
  // Runs the function written to FUNCTION, starting at the caller's local time offset
  // `delay`, and sets `delay` to the function's end. Returns false if the function is unknown
  // or cannot run now. RtlNlfUnit overrides it to run some functions on an RTL datapath.
  virtual bool execute(std::uint32_t function, const TransactionTag& tag,
                       sc_core::sc_time& delay);
  // Books the energy, element count and busy time of `function` on `elements` elements that
  // kept the unit busy from `start` to `end`, for functions that execute() runs elsewhere.
  void record(std::uint32_t function, const TransactionTag& tag, std::int64_t elements,
              const sc_core::sc_time& start, const sc_core::sc_time& end);

  // Serves approximately timed requests from a thread, for an execute() that calls wait().
  void serve_at_requests_in_thread() { m_at.serve_in_thread(); }
  // Marks the unit busy in the waveform trace from the present until trace_busy_end(), for
  // a function whose end execute() learns only when it gets there.
  void trace_busy_begin() {
    if (m_trace) m_trace->open_interval(m_trace_busy);
  }
  void trace_busy_end() {
    if (m_trace) m_trace->close_interval(m_trace_busy);
  }

  std::uint32_t length() const { return m_length; }
  std::vector<float>& v_buffer() { return m_v; }
  const std::vector<float>& s_buffer() const { return m_s; }
  sc_core::sc_time busy_until() const { return m_busy_until; }

 private:
  void end_of_elaboration() override;
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void book(const TransactionTag& tag, double energy_j, std::int64_t elements);
  // Runs `function` and returns its duration, or a zero time and false if it is unknown.
  bool run(std::uint32_t function, const TransactionTag& tag, sc_core::sc_time& duration);
  // Returns the passes over the vector and the energy per element of `function`, or false if
  // the function is unknown.
  bool cost(std::uint32_t function, int& passes, double& energy_per_element) const;
  sc_core::sc_time pass_time(std::int64_t elements, int passes) const;
  // Runs a timing-only chain of functions (TimingOp::steps) and annotates its end.
  bool run_timed(TimingOp& op, const TransactionTag& tag, sc_core::sc_time& delay);

  NlfParams m_params;
  EnergyLedger& m_ledger;
  std::vector<float> m_v;
  std::vector<float> m_s;
  std::uint32_t m_length = 0;
  float m_scale = 1.0f;
  std::uint32_t m_label = 0;
  std::uint32_t m_argmax = 0;
  sc_core::sc_time m_busy_until;
  sc_core::sc_time m_busy;
  BasicCalendar<sc_core::sc_time> m_timed_calendar;  // timing-only runs
  std::uint64_t m_operations = 0;
  AtTarget m_at;
  TraceRecorder* m_trace = nullptr;  // null unless traced
  int m_trace_busy = -1;
};

}  // namespace rpusim
