#include "models/periphery/integrator.hpp"

#include "models/common/config.hpp"
#include "models/periphery/read_path.hpp"

namespace rpusim {

IntegratorParams IntegratorParams::from_config(const Config& config) {
  IntegratorParams params;
  params.out_noise = config.get_real("integrator.out_noise");
  params.out_bound = config.get_real("integrator.out_bound");
  params.t_meas = sc_core::sc_time(config.get_real("tile.t_meas_ns"), sc_core::SC_NS);
  params.active_power_per_unit_w = config.get_real("integrator.active_power_uw") * 1e-6;
  params.static_power_per_unit_w = config.get_real("integrator.static_power_uw") * 1e-6;
  params.area_per_unit_um2 = config.get_real("integrator.area_um2");
  return params;
}

Integrator::Integrator(const sc_core::sc_module_name& name, const IntegratorParams& params,
                       int lines, EnergyLedger& ledger, RandomEngine noise_rng)
    : sc_module(name), m_params(params), m_ledger(ledger), m_noise_rng(noise_rng) {
  m_statics.units = lines;
  m_statics.static_power_per_unit_w = params.static_power_per_unit_w;
  m_statics.area_per_unit_um2 = params.area_per_unit_um2;
}

void Integrator::set_used_lines(int used_lines, double gated_leakage_fraction) {
  m_statics.used_units = used_lines;
  m_statics.gated_leakage_fraction = gated_leakage_fraction;
}

sc_core::sc_time Integrator::integrate(float* values, int count, bool analog,
                                       const TransactionTag& tag, int& saturated) {
  saturated = analog ? integrate_outputs(values, count, m_params.out_noise, m_params.out_bound,
                                         m_noise_rng)
                     : 0;
  m_ledger.add(Component::kIntegrator, tag.layer, tag.phase, tag.evaluation,
               energy_j(count));
  return m_params.t_meas;
}

}  // namespace rpusim
