// Network shape helpers: weight and operation counts of a fully connected network whose
// layers each carry a bias line. One multiply-accumulate counts as two operations.
#pragma once

#include <vector>

#include "models/common/config.hpp"

namespace rpusim {

// Weights of a layer, bias column included: outputs x (inputs + 1).
double layer_weights(const LayerSpec& layer);

double network_weights(const std::vector<LayerSpec>& layers);

// Operations of one training sample as the sequencer runs it: 2NM forward and 2NM update on
// every layer, and 2NM backward on every layer but the first, whose backward read is not
// needed (nothing lies before it).
double training_ops_per_sample(const std::vector<LayerSpec>& layers);

// Operations of one inference (forward only).
double inference_ops_per_sample(const std::vector<LayerSpec>& layers);

}  // namespace rpusim
