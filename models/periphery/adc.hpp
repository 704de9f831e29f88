// ADC bank of one tile side: one ADC per `lines_per_adc` lines, each converting its lines
// one after the other. Transaction-level: one call converts a whole read and returns when
// the busiest ADC is done. Models output quantisation, energy per conversion and the time
// of k sequential conversions. Leaves out the analog multiplexer and sample-and-hold.
#pragma once

#include <systemc>

#include "models/common/energy_ledger.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/periphery/periphery_bank.hpp"

namespace rpusim {

class Config;

struct AdcParams {
  int bits = 9;
  double out_bound = 12.0;  // full scale of the ADC equals the integrator's output bound
  int lines_per_adc = 16;
  sc_core::sc_time conversion;
  double energy_per_conversion_j = 0;
  double static_power_per_unit_w = 0;
  double area_per_unit_um2 = 0;
  bool overlap_conversion = true;

  static AdcParams from_config(const Config& config);
};

class Adc : public sc_core::sc_module {
 public:
  Adc(const sc_core::sc_module_name& name, const AdcParams& params, int lines,
      EnergyLedger& ledger);

  void set_used_lines(int used_lines, double gated_leakage_fraction);

  // Quantises `count` line results in place when `analog`, books the energy and returns the
  // conversion time of the busiest ADC: min(count, lines_per_adc) conversions.
  sc_core::sc_time convert(float* values, int count, bool analog, const TransactionTag& tag);

  // Returns the energy and the time of converting `count` lines.
  double energy_j(int count) const { return m_params.energy_per_conversion_j * count; }
  sc_core::sc_time conversion_time(int count) const;

  const BankStatics& statics() const { return m_statics; }
  const AdcParams& params() const { return m_params; }
  std::uint64_t conversions() const { return m_conversions; }

 private:
  AdcParams m_params;
  BankStatics m_statics;
  EnergyLedger& m_ledger;
  std::uint64_t m_conversions = 0;
};

}  // namespace rpusim
