#include "models/workload/network.hpp"

namespace rpusim {

double layer_weights(const LayerSpec& layer) {
  return static_cast<double>(layer.outputs) * (layer.inputs + 1);
}

double network_weights(const std::vector<LayerSpec>& layers) {
  double weights = 0;
  for (const LayerSpec& layer : layers) weights += layer_weights(layer);
  return weights;
}

double training_ops_per_sample(const std::vector<LayerSpec>& layers) {
  double ops = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const double passes = l == 0 ? 2 : 3;
    ops += passes * 2 * layer_weights(layers[l]);
  }
  return ops;
}

double inference_ops_per_sample(const std::vector<LayerSpec>& layers) {
  return 2 * network_weights(layers);
}

}  // namespace rpusim
