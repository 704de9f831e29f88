// Roofline model of a CPU or GPU training the same network, for the acceleration factor:
// time per sample = max(compute time, memory time), energy = power x time. Compute time is
// ops / (peak x utilisation). Memory time transfers every weight four times per mini-batch
// (forward read, backward read, and the update's read and write), divided over the
// mini-batch. No SystemC.
//
// Leaves out caches: a network whose weights fit in the last-level cache runs faster than
// this DRAM-bound estimate at mini-batch 1, which makes the acceleration factor an upper
// estimate for small networks.
#pragma once

#include <string>

namespace rpusim {

class Config;

struct RooflineBaseline {
  std::string name;
  double peak_ops_per_s = 0;
  double memory_bandwidth_bytes_per_s = 0;
  double power_w = 0;
  double compute_utilization = 1;
  double bytes_per_weight = 4;
  int minibatch = 1;

  static RooflineBaseline from_config(const Config& config);
};

struct BaselineEstimate {
  double time_per_sample_s = 0;
  double energy_per_sample_j = 0;
  double compute_time_s = 0;
  double memory_time_s = 0;
  std::string bound;  // "compute" or "memory"
};

BaselineEstimate estimate_training(const RooflineBaseline& baseline, double ops_per_sample,
                                   double weights);

}  // namespace rpusim
