#include "models/periphery/adc.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/config.hpp"
#include "models/periphery/read_path.hpp"

namespace rpusim {

AdcParams AdcParams::from_config(const Config& config) {
  AdcParams params;
  params.bits = static_cast<int>(config.get_int("adc.bits"));
  params.out_bound = config.get_real("integrator.out_bound");
  params.lines_per_adc = static_cast<int>(config.get_int("adc.lines_per_adc"));
  params.conversion = sc_core::sc_time(config.get_real("adc.conversion_ns"), sc_core::SC_NS);
  // Walden law E = FOM 2^bits, valid below about 10 bits and below the ADC's corner rate;
  // an ideal ADC (bits = 0) is priced as a 16-bit one.
  // NOTE: ADC area does not scale with bits here; adc.area_um2 is the area at the preset's bits.
  const int priced_bits = params.bits == 0 ? 16 : params.bits;
  params.energy_per_conversion_j =
      config.get_real("adc.walden_fom_fj_per_step") * 1e-15 * std::ldexp(1.0, priced_bits);
  params.static_power_per_unit_w = config.get_real("adc.static_power_uw") * 1e-6;
  params.area_per_unit_um2 = config.get_real("adc.area_um2");
  params.overlap_conversion = config.get_bool("adc.overlap_conversion");
  return params;
}

namespace {
int adcs_for(int lines, int lines_per_adc) { return (lines + lines_per_adc - 1) / lines_per_adc; }
}  // namespace

Adc::Adc(const sc_core::sc_module_name& name, const AdcParams& params, int lines,
         EnergyLedger& ledger)
    : sc_module(name), m_params(params), m_ledger(ledger) {
  m_statics.units = adcs_for(lines, params.lines_per_adc);
  m_statics.static_power_per_unit_w = params.static_power_per_unit_w;
  m_statics.area_per_unit_um2 = params.area_per_unit_um2;
}

void Adc::set_used_lines(int used_lines, double gated_leakage_fraction) {
  m_statics.used_units = adcs_for(used_lines, m_params.lines_per_adc);
  m_statics.gated_leakage_fraction = gated_leakage_fraction;
}

sc_core::sc_time Adc::convert(float* values, int count, bool analog, const TransactionTag& tag) {
  if (analog) quantise_symmetric(values, count, m_params.bits, m_params.out_bound);
  m_conversions += static_cast<std::uint64_t>(count);
  m_ledger.add(Component::kAdc, tag.layer, tag.phase, tag.evaluation,
               energy_j(count));
  return conversion_time(count);
}

sc_core::sc_time Adc::conversion_time(int count) const {
  return m_params.conversion * std::min(count, m_params.lines_per_adc);
}

}  // namespace rpusim
