#include "models/baseline/roofline.hpp"

#include <algorithm>

#include "models/common/config.hpp"

namespace rpusim {

RooflineBaseline RooflineBaseline::from_config(const Config& config) {
  RooflineBaseline baseline;
  baseline.name = config.get_string("baseline.name");
  baseline.peak_ops_per_s = config.get_real("baseline.peak_gops_per_s") * 1e9;
  baseline.memory_bandwidth_bytes_per_s = config.get_real("baseline.memory_bandwidth_gb_per_s") * 1e9;
  baseline.power_w = config.get_real("baseline.power_w");
  baseline.compute_utilization = config.get_real("baseline.compute_utilization");
  baseline.bytes_per_weight = config.get_real("baseline.bytes_per_weight");
  baseline.minibatch = static_cast<int>(config.get_int("baseline.minibatch"));
  return baseline;
}

BaselineEstimate estimate_training(const RooflineBaseline& baseline, double ops_per_sample,
                                   double weights) {
  constexpr double kWeightTransfersPerBatch = 4;
  BaselineEstimate estimate;
  estimate.compute_time_s =
      ops_per_sample / (baseline.peak_ops_per_s * baseline.compute_utilization);
  estimate.memory_time_s = kWeightTransfersPerBatch * weights * baseline.bytes_per_weight /
                           baseline.memory_bandwidth_bytes_per_s / baseline.minibatch;
  estimate.time_per_sample_s = std::max(estimate.compute_time_s, estimate.memory_time_s);
  estimate.bound = estimate.compute_time_s >= estimate.memory_time_s ? "compute" : "memory";
  estimate.energy_per_sample_j = baseline.power_w * estimate.time_per_sample_s;
  return estimate;
}

}  // namespace rpusim
