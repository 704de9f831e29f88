#include "models/common/energy_ledger.hpp"

#include <stdexcept>

namespace rpusim {

const char* component_key(Component component) {
  switch (component) {
    case Component::kArray: return "array";
    case Component::kDac: return "dac";
    case Component::kIntegrator: return "integrator";
    case Component::kAdc: return "adc";
    case Component::kStochasticTranslator: return "stochastic_translator";
    case Component::kBuffers: return "buffers";
    case Component::kNlf: return "nlf";
    case Component::kInterconnect: return "interconnect";
    case Component::kIo: return "io";
    case Component::kLeakage: return "leakage";
  }
  return "unknown";
}

const char* phase_key(Phase phase) {
  switch (phase) {
    case Phase::kInput: return "input";
    case Phase::kForward: return "forward";
    case Phase::kBackward: return "backward";
    case Phase::kUpdate: return "update";
    case Phase::kNone: return "none";
  }
  return "unknown";
}

EnergyLedger::EnergyLedger(int layers)
    : layers_(layers), totals_(2 * static_cast<std::size_t>(layers + 1) * kPhaseCount) {
  for (auto& totals : totals_) totals.fill(0.0);
}

std::size_t EnergyLedger::slot(int layer, Phase phase, bool evaluation) const {
  if (layer < -1 || layer >= layers_) throw std::out_of_range("energy ledger: layer out of range");
  const std::size_t per_context = static_cast<std::size_t>(layers_ + 1) * kPhaseCount;
  return (evaluation ? per_context : 0) + static_cast<std::size_t>(layer + 1) * kPhaseCount +
         static_cast<std::size_t>(phase);
}

void EnergyLedger::add(Component component, int layer, Phase phase, bool evaluation,
                       double joules) {
  totals_[slot(layer, phase, evaluation)][static_cast<std::size_t>(component)] += joules;
}

double EnergyLedger::total(bool evaluation) const {
  double sum = 0;
  for (int c = 0; c < kComponentCount; ++c) sum += component_total(static_cast<Component>(c), evaluation);
  return sum;
}

double EnergyLedger::component_total(Component component, bool evaluation) const {
  double sum = 0;
  for (int layer = -1; layer < layers_; ++layer) {
    for (int p = 0; p < kPhaseCount; ++p) {
      sum += totals_[slot(layer, static_cast<Phase>(p), evaluation)][static_cast<std::size_t>(component)];
    }
  }
  return sum;
}

double EnergyLedger::layer_phase_total(int layer, Phase phase, bool evaluation) const {
  double sum = 0;
  for (double joules : totals_[slot(layer, phase, evaluation)]) sum += joules;
  return sum;
}

}  // namespace rpusim
