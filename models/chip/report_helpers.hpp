// Helpers shared by the functional and timing-only reports.
#pragma once

#include <array>

#include <nlohmann/json.hpp>

#include "models/baseline/roofline.hpp"
#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"

namespace rpusim {

// Returns {component key: value x scale} for every component, leakage optional.
inline nlohmann::json by_component(const std::array<double, kComponentCount>& values,
                                   double scale, bool include_leakage) {
  nlohmann::json out = nlohmann::json::object();
  for (int c = 0; c < kComponentCount; ++c) {
    const auto component = static_cast<Component>(c);
    if (component == Component::kLeakage && !include_leakage) continue;
    out[component_key(component)] = values[static_cast<std::size_t>(c)] * scale;
  }
  return out;
}

// Returns numerator / denominator, or 0 when the denominator is not positive.
inline double ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}

// Returns the report's acceleration section: the baseline roofline's time and energy per
// training sample against the chip's `time_per_sample_s` and `energy_per_sample_j`.
inline nlohmann::json acceleration_section(const Config& config, double ops_per_sample,
                                           double weights, double time_per_sample_s,
                                           double energy_per_sample_j) {
  const RooflineBaseline baseline = RooflineBaseline::from_config(config);
  const BaselineEstimate estimate = estimate_training(baseline, ops_per_sample, weights);
  return {
      {"baseline", baseline.name},
      {"baseline_minibatch", baseline.minibatch},
      {"baseline_time_per_sample_s", estimate.time_per_sample_s},
      {"baseline_energy_per_sample_j", estimate.energy_per_sample_j},
      {"baseline_bound", estimate.bound},
      {"factor", ratio(estimate.time_per_sample_s, time_per_sample_s)},
      {"energy_ratio", ratio(estimate.energy_per_sample_j, energy_per_sample_j)},
  };
}

}  // namespace rpusim
