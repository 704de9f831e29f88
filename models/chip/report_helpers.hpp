// Helpers shared by the functional and timing-only reports.
#pragma once

#include <array>

#include <nlohmann/json.hpp>

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

}  // namespace rpusim
