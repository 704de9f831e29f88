// Timing-only operation carried by a generic payload as an ignorable TLM-2.0 extension. In
// `run.mode: timing` the payload is a one-word write to the target's command register whose
// data no target reads. The extension's `bits` give the size of the vector the operation
// moves, and the interconnect prices that size in place of the payload's data length. The
// 64-bit count keeps transfers over 4 GiB exact, where the 32-bit data length would wrap. Targets
// that find the extension run the operation from activity factors instead of data, and write
// back when it started and ended.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>

#include <systemc>
#include <tlm>

namespace rpusim {

struct TimingOp : tlm::tlm_extension<TimingOp> {
  enum Kind : std::uint8_t { kForward, kBackward, kUpdate, kNlf, kFetch };

  Kind kind = kForward;
  std::uint64_t bits = 0;      // bits the operation moves over the interconnect
  std::int64_t repeats = 1;    // tile: reads or updates in one burst (a conv layer's reuses)
  std::int64_t elements = 0;   // fetch: values fetched
  std::int64_t carried = 0;    // elements the transfer delivers into the target
  // NLF: the functions run one after another, each on its own element count.
  struct NlfStep {
    std::uint32_t function = 0;  // nlf_map::Function
    std::int64_t elements = 0;
  };
  static constexpr int kMaxSteps = 8;
  std::array<NlfStep, kMaxSteps> steps{};
  int step_count = 0;

  // Appends a step; function 0 (no function) and empty steps are skipped.
  void add_step(std::uint32_t function, std::int64_t count) {
    if (function == 0 || count <= 0) return;
    if (step_count == kMaxSteps) throw std::logic_error("TimingOp: more than kMaxSteps NLF steps");
    steps[static_cast<std::size_t>(step_count++)] = {function, count};
  }
  // Filled in by the target.
  sc_core::sc_time start;
  sc_core::sc_time end;

  tlm::tlm_extension_base* clone() const override { return new TimingOp(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const TimingOp&>(other);
  }
};

// Returns the payload's timing operation, or nullptr in functional runs.
inline TimingOp* timing_op_of(const tlm::tlm_generic_payload& payload) {
  TimingOp* op = nullptr;
  payload.get_extension(op);
  return op;
}

// Bits a payload moves over the interconnect: a timing operation's vector size, else the
// payload's data.
inline std::uint64_t transfer_bits(const tlm::tlm_generic_payload& payload) {
  if (const TimingOp* op = timing_op_of(payload)) return op->bits;
  return 8ull * payload.get_data_length();
}

}  // namespace rpusim
