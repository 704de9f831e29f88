// DAC bank of one tile side: converts the digital input vector of a read into line drive
// (pulse widths or amplitudes). Transaction-level: one call converts the whole vector.
// Models input quantisation and the input bound, a fixed setup time and energy per
// conversion. Leaves out settling dynamics and line-driver non-linearity.
#pragma once

#include <systemc>

#include "models/common/energy_ledger.hpp"
#include "models/common/random.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/periphery/periphery_bank.hpp"

namespace rpusim {

class Config;

struct DacParams {
  int bits = 7;
  double inp_bound = 1.0;
  bool stochastic_rounding = false;
  sc_core::sc_time setup;
  double energy_per_conversion_j = 0;  // of a `bits`-bit conversion
  double static_power_per_unit_w = 0;
  double area_per_unit_um2 = 0;

  static DacParams from_config(const Config& config);
};

class Dac : public sc_core::sc_module {
 public:
  Dac(const sc_core::sc_module_name& name, const DacParams& params, int lines,
      EnergyLedger& ledger, RandomEngine rounding_rng);

  void set_used_lines(int used_lines, double gated_leakage_fraction);

  // Converts `count` values in place (quantised and clipped when `analog`), books the energy
  // and returns the setup time. Returns the number of clipped inputs in `clipped`.
  sc_core::sc_time convert(float* values, int count, bool analog, const TransactionTag& tag,
                           int& clipped);

  // Returns the energy of converting `count` values.
  double energy_j(int count) const { return m_params.energy_per_conversion_j * count; }
  sc_core::sc_time setup_time() const { return m_params.setup; }

  const BankStatics& statics() const { return m_statics; }
  std::uint64_t conversions() const { return m_conversions; }

 private:
  DacParams m_params;
  BankStatics m_statics;
  EnergyLedger& m_ledger;
  RandomEngine m_rounding_rng;
  std::uint64_t m_conversions = 0;
};

}  // namespace rpusim
