// Energy ledger: dynamic energy in joules, booked by component, layer, phase and by
// whether it was spent training or evaluating. Blocks book each action's energy as it
// happens; leakage is booked once when the report is made (static power x simulated time).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace rpusim {

enum class Component {
  kArray,
  kDac,
  kIntegrator,
  kAdc,
  kStochasticTranslator,
  kBuffers,
  kNlf,
  kInterconnect,
  kIo,
  kLeakage,
};
constexpr int kComponentCount = 10;

// Report key of each component, as in the report schema (energy.by_component).
const char* component_key(Component component);

enum class Phase { kInput, kForward, kBackward, kUpdate, kNone };
constexpr int kPhaseCount = 5;

const char* phase_key(Phase phase);

class EnergyLedger {
 public:
  explicit EnergyLedger(int layers = 0);

  // Books `joules` to a component. `layer` is -1 for energy that belongs to no layer.
  void add(Component component, int layer, Phase phase, bool evaluation, double joules);

  double total(bool evaluation) const;
  double component_total(Component component, bool evaluation) const;
  double layer_phase_total(int layer, Phase phase, bool evaluation) const;
  int layers() const { return layers_; }

 private:
  using ComponentTotals = std::array<double, kComponentCount>;
  std::size_t slot(int layer, Phase phase, bool evaluation) const;

  int layers_;
  std::vector<ComponentTotals> totals_;  // [evaluation][layer + 1][phase]
};

}  // namespace rpusim
