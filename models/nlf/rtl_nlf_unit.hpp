// NLF unit whose SIGMOID and MULTIPLY_SIGMOID_DERIVATIVE run on the Verilated RTL datapath
// rtl/nlf_sigmoid.sv, pin by pin, while every other function, the registers, the V and S
// buffers and the error responses stay those of the transaction-level NlfUnit. It is a
// TLM-to-pin transactor: same target socket, address map and register semantics as NlfUnit
// (docs/address-map.md), so the chip takes it unchanged (nlf.implementation = rtl).
//
// Abstraction: cycle-accurate at the datapath's pins. For an RTL function the transactor
// converts V (and S) from binary32 to the datapath's fixed-point words (nlf_fixed_point.hpp),
// streams them through the valid/ready interface with the clock of chip.clock_mhz, and
// writes the results back into V. It is a synchronising target: it first waits for the
// caller's local time offset, then waits on every clock edge, so the function's cycles pass
// as simulated time and it returns with a zero delay. A function of n elements takes
// LATENCY + ceil(n / LANES) cycles (docs/cosim.md). The clock only toggles while a function
// or the power-on reset runs.
//
// Leaves out: the datapath's own energy and area (the unit books NlfUnit's per-element
// energies, static power and area), pins for the registers and buffers (they stay C++
// arrays), and overlap of a function's cycles with the caller's later transactions.
// b_transport may wait, so initiators must call it from a thread.
#pragma once

#include <cstdint>
#include <memory>

#include <systemc>

#include "models/nlf/nlf_unit.hpp"

namespace rpusim {

class RtlNlfUnit : public NlfUnit {
 public:
  // Clock cycles of the power-on reset, which starts at time 0.
  static constexpr int kResetCycles = 2;

  RtlNlfUnit(const sc_core::sc_module_name& name, const NlfParams& params, EnergyLedger& ledger);
  ~RtlNlfUnit() override;

  // Lanes and pipeline latency in cycles of the Verilated datapath, fixed when it was built.
  static int datapath_lanes();
  static int datapath_latency_cycles();

  // Clock cycles of the last RTL function, from its first beat offered to its last result
  // taken, and of all RTL functions so far (the power-on reset not included).
  std::uint64_t last_function_cycles() const { return m_last_function_cycles; }
  std::uint64_t function_cycles() const { return m_function_cycles; }

  // Returns {"implementation": "rtl"} with the Verilated sources, LANES, LATENCY and the datapath's
  // clock cycles so far, which distinguish the reports of two RTL builds.
  nlohmann::json implementation_report() const override;

 private:
  struct Datapath;  // the Verilated model and its pin signals (rtl_nlf_unit.cpp)

  SC_HAS_PROCESS(RtlNlfUnit);

  bool execute(std::uint32_t function, const TransactionTag& tag, sc_core::sc_time& delay) override;
  void power_on_reset();

  std::unique_ptr<Datapath> m_datapath;
  sc_core::sc_mutex m_pins;  // one function drives the pins at a time
  bool m_reset_done = false;
  sc_core::sc_event m_reset_end;
  std::uint64_t m_last_function_cycles = 0;
  std::uint64_t m_function_cycles = 0;
};

}  // namespace rpusim
