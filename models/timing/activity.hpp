// Activity factors: the data-dependent quantities that a timing-only run cannot compute
// because it carries no data. They set the read energy (input amplitudes), the bound
// management re-reads (saturation rates) and the update's pulse and coincidence counts. A
// functional run measures them on its own network (`rpusim run --write-activity FILE`)
// and writes them in this form for reuse. No SystemC.
#pragma once

#include <string>

namespace rpusim {

class Config;

struct ReadActivity {
  double mean_abs = 0.5;       // mean |input| over the driven lines, full scale = 1
  double mean_square = 0.33;   // mean input^2 (amplitude encoding)
  double nonzero = 1.0;        // fraction of lines with a non-zero input
  double saturation = 0.0;     // fraction of reads whose outputs saturate (one re-read each)
};

struct ActivityFactors {
  ReadActivity forward;
  ReadActivity backward;
  double x_pulse_probability = 0.1;  // mean pulse probability of an x line in one BL slot
  double d_pulse_probability = 0.1;
  // Coincidences per cross-point and BL slot; x_pulse_probability x d_pulse_probability if
  // x and d pulses are independent.
  double coincidence_probability = 0.01;

  static ActivityFactors from_config(const Config& config);
  // YAML text of an `activity:` section that sets these values, with `comment` on top.
  std::string to_yaml(const std::string& comment) const;
};

}  // namespace rpusim
