#include "models/translator/stochastic_translator.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/config.hpp"

namespace rpusim {

TranslatorParams TranslatorParams::from_config(const Config& config) {
  TranslatorParams params;
  params.scheme = parse_pulse_scheme(config.get_string("tile.pulse_scheme"));
  params.setup = sc_core::sc_time(config.get_real("translator.setup_ns"), sc_core::SC_NS);
  params.energy_per_slot_j = config.get_real("translator.energy_per_slot_pj") * 1e-12;
  params.static_power_per_unit_w = config.get_real("translator.static_power_uw") * 1e-6;
  params.area_per_unit_um2 = config.get_real("translator.area_um2");
  return params;
}

StochasticTranslator::StochasticTranslator(const sc_core::sc_module_name& name,
                                           const TranslatorParams& params, int lines,
                                           PulseLineSide side, EnergyLedger& ledger,
                                           RandomEngine rng)
    : sc_module(name), m_params(params), m_side(side), m_ledger(ledger), m_rng(rng) {
  m_statics.units = lines;
  m_statics.static_power_per_unit_w = params.static_power_per_unit_w;
  m_statics.area_per_unit_um2 = params.area_per_unit_um2;
}

void StochasticTranslator::set_used_lines(int used_lines, double gated_leakage_fraction) {
  m_statics.used_units = used_lines;
  m_statics.gated_leakage_fraction = gated_leakage_fraction;
}

sc_core::sc_time StochasticTranslator::translate(const float* values, int count, double scale,
                                                 int bit_length, const TransactionTag& tag,
                                                 PulseStreams& streams) {
  generate_pulse_streams(m_params.scheme, m_side, values, count, scale, bit_length, m_rng,
                         streams);
  book_energy(values, count, bit_length, tag);
  return m_params.setup;
}

sc_core::sc_time StochasticTranslator::translate_expected(const float* values, int count,
                                                          double scale, int bit_length,
                                                          const TransactionTag& tag,
                                                          double& expected_pulses) {
  expected_pulses = 0;
  for (int i = 0; i < count; ++i) {
    expected_pulses += m_params.scheme == PulseScheme::deterministic
                           ? deterministic_pulse_count(values[i], scale, bit_length)
                           : bit_length * std::min(1.0, scale * std::fabs(values[i]));
  }
  book_energy(values, count, bit_length, tag);
  return m_params.setup;
}

void StochasticTranslator::book_energy(const float* values, int count, int bit_length,
                                       const TransactionTag& tag) {
  // A line whose value is zero is gated: its generator does not run.
  int active_lines = 0;
  for (int i = 0; i < count; ++i) active_lines += values[i] != 0.0f;
  m_ledger.add(Component::kStochasticTranslator, tag.layer, tag.phase, tag.evaluation,
               energy_j(active_lines, bit_length));
}

}  // namespace rpusim
