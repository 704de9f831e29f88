// Numerics of the analog read path, shared by forward and backward reads: DAC input
// quantisation (rounding to nearest or stochastic) and bound, integrator output noise and
// saturation, ADC quantisation. No SystemC; the DAC, integrator and ADC modules call these
// and add timing and energy.
#pragma once

#include "models/common/random.hpp"

namespace rpusim {

// Read-path parameters with aihwkit's meanings; resolutions are given in bits.
struct ReadPathParams {
  int dac_bits = 7;            // 0 disables input quantisation
  bool inp_sto_round = false;  // stochastic rounding in the DAC, else rounding to nearest
  double inp_bound = 1.0;      // inputs are clipped to [-inp_bound, inp_bound]
  double out_noise = 0.06;     // std. dev. of Gaussian noise added to each output
  double out_bound = 12.0;     // integrator saturation: outputs clipped to [-out_bound, out_bound]
  int adc_bits = 9;            // 0 disables output quantisation
};

// Returns the quantisation step of a `bits`-bit converter spanning [-bound, bound]:
// 2 bound / (2^bits - 2), so there are 2^bits - 1 levels and 0 is one of them. This is
// aihwkit's inp_res / out_res = 1 / (2^bits - 2) of the full range. Returns 0 for bits = 0.
// Throws std::invalid_argument for bits other than 0 and 2..31 (one bit has no level but
// 0) or, when bits > 0, for bound <= 0.
double quantisation_step(int bits, double bound);

// Clips each value to [-bound, bound] and rounds it to the nearest level of a `bits`-bit
// converter. Returns the number of values that were clipped. Throws std::invalid_argument
// for bound <= 0 or invalid bits (see quantisation_step), before changing any value.
int quantise_symmetric(float* values, int count, int bits, double bound);

// Clips each value to [-bound, bound] and rounds it stochastically to one of the two
// neighbouring levels of a `bits`-bit converter (aihwkit's inp_sto_round). It rounds up with
// probability equal to the fractional part of value / step, so the expected result is the
// clipped value. A value on a level stays there. Draws one Bernoulli variate from `rng` per
// value when bits > 0, none when bits = 0 (then it only clips). Returns the number of values
// that were clipped. Throws std::invalid_argument as quantise_symmetric does, before changing
// any value.
int quantise_symmetric_stochastic(float* values, int count, int bits, double bound,
                                  RandomEngine& rng);

// Adds N(0, noise_sigma^2) to each value and clips to [-bound, bound]. Returns the number of
// outputs that saturated (|value| reached the bound). Throws std::invalid_argument for
// noise_sigma < 0 or bound <= 0.
int integrate_outputs(float* values, int count, double noise_sigma, double bound,
                      RandomEngine& rng);

}  // namespace rpusim
