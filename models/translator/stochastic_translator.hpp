// Stochastic translator bank of one tile side: turns the stored x (or d) vector into
// Bernoulli pulse streams of BL slots for the update. Transaction-level: one call makes
// all streams. Models the stream statistics, a setup latency and energy per generated slot
// on every line with a non-zero value. Leaves out RNG correlation between shared LFSRs.
#pragma once

#include <systemc>

#include "models/common/energy_ledger.hpp"
#include "models/common/random.hpp"
#include "models/common/transaction_tag.hpp"
#include "models/periphery/periphery_bank.hpp"
#include "models/translator/pulse_stream.hpp"

namespace rpusim {

class Config;

struct TranslatorParams {
  PulseScheme scheme = PulseScheme::stochastic;
  sc_core::sc_time setup;
  double energy_per_slot_j = 0;
  double static_power_per_unit_w = 0;
  double area_per_unit_um2 = 0;

  static TranslatorParams from_config(const Config& config);
};

class StochasticTranslator : public sc_core::sc_module {
 public:
  // `side` names the lines the bank drives: the deterministic scheme places x and d
  // pulses differently.
  StochasticTranslator(const sc_core::sc_module_name& name, const TranslatorParams& params,
                       int lines, PulseLineSide side, EnergyLedger& ledger, RandomEngine rng);

  void set_used_lines(int used_lines, double gated_leakage_fraction);

  // Fills `streams` for `count` values with probability min(1, scale |v|) per slot, books
  // the energy and returns the setup latency.
  sc_core::sc_time translate(const float* values, int count, double scale, int bit_length,
                             const TransactionTag& tag, PulseStreams& streams);

  // Books the same energy as translate() without drawing streams, for exact numerics, and
  // returns in `expected_pulses` the expected pulse count sum_i BL min(1, scale |v_i|).
  sc_core::sc_time translate_expected(const float* values, int count, double scale,
                                      int bit_length, const TransactionTag& tag,
                                      double& expected_pulses);

  sc_core::sc_time setup_time() const { return m_params.setup; }
  // Energy of generating BL slots on `active_lines` lines (those with a non-zero value).
  double energy_j(double active_lines, int bit_length) const {
    return m_params.energy_per_slot_j * bit_length * active_lines;
  }
  const BankStatics& statics() const { return m_statics; }

 private:
  void book_energy(const float* values, int count, int bit_length, const TransactionTag& tag);

  TranslatorParams m_params;
  PulseLineSide m_side;
  BankStatics m_statics;
  EnergyLedger& m_ledger;
  RandomEngine m_rng;
};

}  // namespace rpusim
