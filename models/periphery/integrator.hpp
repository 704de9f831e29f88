// Integrator bank of one tile side: one op-amp current integrator per sensed line.
// Transaction-level: one call integrates a whole read. Models additive Gaussian output
// noise, saturation at the output bound, and energy as active power x integration time.
// Leaves out finite op-amp gain and bandwidth, offset and capacitor mismatch.
#pragma once

#include <systemc>

#include "models/common/energy_ledger.hpp"
#include "models/common/random.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/periphery/periphery_bank.hpp"

namespace rpusim {

class Config;

struct IntegratorParams {
  double out_noise = 0.06;
  double out_bound = 12.0;
  sc_core::sc_time t_meas;
  double active_power_per_unit_w = 0;
  double static_power_per_unit_w = 0;
  double area_per_unit_um2 = 0;

  static IntegratorParams from_config(const Config& config);
};

class Integrator : public sc_core::sc_module {
 public:
  Integrator(const sc_core::sc_module_name& name, const IntegratorParams& params, int lines,
             EnergyLedger& ledger, RandomEngine noise_rng);

  void set_used_lines(int used_lines, double gated_leakage_fraction);

  // Adds output noise and clips `count` line results in place when `analog`, books the
  // energy and returns the integration time t_meas. `saturated` returns the outputs that
  // reached the bound.
  sc_core::sc_time integrate(float* values, int count, bool analog, const TransactionTag& tag,
                             int& saturated);

  // Returns the energy of integrating `count` lines for t_meas.
  double energy_j(int count) const {
    return m_params.active_power_per_unit_w * m_params.t_meas.to_seconds() * count;
  }

  const BankStatics& statics() const { return m_statics; }
  const IntegratorParams& params() const { return m_params; }

 private:
  IntegratorParams m_params;
  BankStatics m_statics;
  EnergyLedger& m_ledger;
  RandomEngine m_noise_rng;
};

}  // namespace rpusim
