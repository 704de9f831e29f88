#include "models/periphery/dac.hpp"

#include <cmath>

#include "models/common/config.hpp"
#include "models/periphery/read_path.hpp"

namespace rpusim {

DacParams DacParams::from_config(const Config& config) {
  DacParams params;
  params.bits = static_cast<int>(config.get_int("dac.bits"));
  params.inp_bound = config.get_real("dac.inp_bound");
  params.stochastic_rounding = config.get_bool("dac.inp_sto_round");
  params.setup = sc_core::sc_time(config.get_real("dac.setup_ns"), sc_core::SC_NS);
  // Energy and area double with each added bit (the ISAAC/MNSIM convention); an ideal DAC
  // (bits = 0) is priced as a 16-bit one.
  const int priced_bits = params.bits == 0 ? 16 : params.bits;
  const double units = std::ldexp(1.0, priced_bits - 1);
  params.energy_per_conversion_j = config.get_real("dac.energy_per_unit_fj") * 1e-15 * units;
  params.static_power_per_unit_w = config.get_real("dac.static_power_uw") * 1e-6;
  params.area_per_unit_um2 = config.get_real("dac.area_per_unit_um2") * units;
  return params;
}

Dac::Dac(const sc_core::sc_module_name& name, const DacParams& params, int lines,
         EnergyLedger& ledger, RandomEngine rounding_rng)
    : sc_module(name), m_params(params), m_ledger(ledger), m_rounding_rng(rounding_rng) {
  m_statics.units = lines;
  m_statics.static_power_per_unit_w = params.static_power_per_unit_w;
  m_statics.area_per_unit_um2 = params.area_per_unit_um2;
}

void Dac::set_used_lines(int used_lines, double gated_leakage_fraction) {
  m_statics.used_units = used_lines;
  m_statics.gated_leakage_fraction = gated_leakage_fraction;
}

sc_core::sc_time Dac::convert(float* values, int count, bool analog, const TransactionTag& tag,
                              int& clipped) {
  if (!analog) {
    clipped = 0;
  } else if (m_params.stochastic_rounding && m_params.bits > 0) {
    clipped = quantise_symmetric_stochastic(values, count, m_params.bits, m_params.inp_bound,
                                            m_rounding_rng);
  } else {
    clipped = quantise_symmetric(values, count, m_params.bits, m_params.inp_bound);
  }
  m_conversions += static_cast<std::uint64_t>(count);
  m_ledger.add(Component::kDac, tag.layer, tag.phase, tag.evaluation,
               energy_j(count));
  return m_params.setup;
}

}  // namespace rpusim
