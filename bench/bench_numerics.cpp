// Speed of the SystemC-free numerics: one 4096 x 4096 tile (the array size assumed for
// the RPU system) through a training cycle and its pieces, and one MNIST training sample
// on the 784-256-128-10 network, with ConstantStep devices. The *Device benchmarks repeat
// the update with LinearStep or SoftBounds devices and half-select. Times are per iteration;
// run a Release build.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "models/common/normal_batch.hpp"
#include "models/common/random.hpp"
#include "models/device/constant_step_device.hpp"
#include "models/device/linear_step_device.hpp"
#include "models/nlf/nlf_functions.hpp"
#include "models/periphery/read_path.hpp"
#include "models/tile/crossbar_array.hpp"
#include "models/translator/pulse_stream.hpp"

namespace {

using rpusim::CrossbarArray;
using rpusim::DeviceModel;
using rpusim::DeviceParams;
using rpusim::PulseStreams;
using rpusim::RandomEngine;

constexpr int kTileSize = 4096;
constexpr int kBitLength = 10;
constexpr double kProbabilityScale = 1.0;  // C = 1: BL 10, dw_min 0.001 give eta = 0.01

void fill_uniform(std::vector<float>& values, float bound, RandomEngine& rng) {
  std::uniform_real_distribution<float> uniform(-bound, bound);
  for (float& value : values) {
    value = uniform(rng);
  }
}

// Devices of the *Device benchmarks, chosen by the benchmark arguments: the device model
// (0 constant_step, 1 linear_step, 2 soft_bounds) and the half-select factor k in percent.
// Everything else is the default device of the Gokmen & Vlasov (2016) specification; the
// LinearStep device has gamma_up = gamma_down = 0.5, so its steps shrink by half at the
// mean bounds.
DeviceParams bench_device(const benchmark::State& state) {
  DeviceParams device;
  device.model = static_cast<DeviceModel>(state.range(0));
  if (device.model == DeviceModel::linear_step) {
    device.gamma_up = 0.5;
    device.gamma_down = 0.5;
  }
  device.half_select_factor = static_cast<double>(state.range(1)) / 100.0;
  return device;
}

// One 4096 x 4096 tile with weights spread over [-0.3, 0.3]. It is built when a benchmark
// first requests its device model, half-select factor and cycle-to-cycle spread, and kept for the
// next benchmarks with the same devices, because drawing 16.8 million devices takes one to two
// seconds. Only the latest tile is kept, since a state-dependent one takes 470 MB.
CrossbarArray& large_tile(const DeviceParams& device = DeviceParams{}) {
  static std::unique_ptr<CrossbarArray> tile;
  static DeviceModel tile_model = DeviceModel::constant_step;
  static double tile_half_select = 0.0;
  static double tile_step_std = 0.0;
  if (!tile || tile_model != device.model || tile_half_select != device.half_select_factor ||
      tile_step_std != device.dw_min_std) {
    tile.reset();
    RandomEngine device_rng = rpusim::make_random_stream(1, "bench.tile.devices");
    tile = std::make_unique<CrossbarArray>(kTileSize, kTileSize, device, device_rng);
    std::vector<float> weights(static_cast<std::size_t>(kTileSize) * kTileSize);
    fill_uniform(weights, 0.3f, device_rng);
    tile->set_weights(weights);
    tile_model = device.model;
    tile_half_select = device.half_select_factor;
    tile_step_std = device.dw_min_std;
  }
  return *tile;
}

// Inputs x uniform in [-1, 1] and errors d uniform in [-0.1, 0.1], drawn anew for each
// iteration outside the timed region.
struct TileVectors {
  std::vector<float> x = std::vector<float>(kTileSize);
  std::vector<float> d = std::vector<float>(kTileSize);
  std::vector<float> y = std::vector<float>(kTileSize);
  std::vector<float> z = std::vector<float>(kTileSize);
  RandomEngine rng = rpusim::make_random_stream(2, "bench.tile.vectors");

  void refresh(benchmark::State& state) {
    state.PauseTiming();
    fill_uniform(x, 1.0f, rng);
    fill_uniform(d, 0.1f, rng);
    state.ResumeTiming();
  }
};

void BM_Tile4096Forward(benchmark::State& state) {
  CrossbarArray& tile = large_tile();
  TileVectors vectors;
  for (auto _ : state) {
    vectors.refresh(state);
    tile.multiply(vectors.x.data(), vectors.y.data());
    benchmark::DoNotOptimize(vectors.y.data());
  }
}
BENCHMARK(BM_Tile4096Forward)->Unit(benchmark::kMillisecond);

void BM_Tile4096Backward(benchmark::State& state) {
  CrossbarArray& tile = large_tile();
  TileVectors vectors;
  for (auto _ : state) {
    vectors.refresh(state);
    tile.multiply_transposed(vectors.d.data(), vectors.z.data());
    benchmark::DoNotOptimize(vectors.z.data());
  }
}
BENCHMARK(BM_Tile4096Backward)->Unit(benchmark::kMillisecond);

void BM_Tile4096PulseStreams(benchmark::State& state) {
  TileVectors vectors;
  PulseStreams input_streams;
  PulseStreams output_streams;
  RandomEngine translator_rng = rpusim::make_random_stream(3, "bench.tile.translator");
  for (auto _ : state) {
    vectors.refresh(state);
    rpusim::generate_pulse_streams(vectors.x.data(), kTileSize, kProbabilityScale, kBitLength,
                                   translator_rng, input_streams);
    rpusim::generate_pulse_streams(vectors.d.data(), kTileSize, kProbabilityScale, kBitLength,
                                   translator_rng, output_streams);
    benchmark::DoNotOptimize(input_streams.bits.data());
    benchmark::DoNotOptimize(output_streams.bits.data());
  }
}
BENCHMARK(BM_Tile4096PulseStreams)->Unit(benchmark::kMillisecond);

// Standard normal draws of the update's cycle-to-cycle noise, 4096 per iteration (about one
// row's worth of coincidences in the 4096 x 4096 update).
void BM_NormalBatch(benchmark::State& state) {
  rpusim::NormalBatch normals(5);
  std::vector<float> draws(kTileSize);
  for (auto _ : state) {
    normals.fill(draws.data(), kTileSize);
    benchmark::DoNotOptimize(draws.data());
  }
  state.SetItemsProcessed(state.iterations() * kTileSize);
}
BENCHMARK(BM_NormalBatch);

// One pulsed update of the tile with the devices `tile` holds.
void run_apply_pulses(benchmark::State& state, CrossbarArray& tile) {
  TileVectors vectors;
  PulseStreams input_streams;
  PulseStreams output_streams;
  RandomEngine translator_rng = rpusim::make_random_stream(3, "bench.tile.translator");
  RandomEngine update_rng = rpusim::make_random_stream(4, "bench.tile.update");
  std::uint64_t updated_cross_points = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fill_uniform(vectors.x, 1.0f, vectors.rng);
    fill_uniform(vectors.d, 0.1f, vectors.rng);
    rpusim::generate_pulse_streams(vectors.x.data(), kTileSize, kProbabilityScale, kBitLength,
                                   translator_rng, input_streams);
    rpusim::generate_pulse_streams(vectors.d.data(), kTileSize, kProbabilityScale, kBitLength,
                                   translator_rng, output_streams);
    state.ResumeTiming();
    updated_cross_points +=
        tile.apply_pulses(input_streams, output_streams, update_rng).updated_cross_points;
  }
  state.counters["updated_cross_points"] = benchmark::Counter(
      static_cast<double>(updated_cross_points), benchmark::Counter::kAvgIterations);
}

void BM_Tile4096ApplyPulses(benchmark::State& state) {
  run_apply_pulses(state, large_tile());
}
BENCHMARK(BM_Tile4096ApplyPulses)->Unit(benchmark::kMillisecond);

// The same update without cycle-to-cycle noise (dw_min_std 0): the update's memory traffic and
// arithmetic without the normal draws.
void BM_Tile4096ApplyPulsesNoNoise(benchmark::State& state) {
  DeviceParams device;
  device.dw_min_std = 0.0;
  run_apply_pulses(state, large_tile(device));
}
BENCHMARK(BM_Tile4096ApplyPulsesNoNoise)->Unit(benchmark::kMillisecond);

// The same update with the devices bench_device selects. With k > 0 every device on a pulsed
// line changes, here nearly all 16.8 million.
void BM_Tile4096ApplyPulsesDevice(benchmark::State& state) {
  run_apply_pulses(state, large_tile(bench_device(state)));
}
BENCHMARK(BM_Tile4096ApplyPulsesDevice)
    ->ArgNames({"model", "k_percent"})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({0, 10})
    ->Args({1, 10})
    ->Args({2, 10})
    ->Unit(benchmark::kMillisecond);

// Deterministic pulse streams of the tile: x lines in their first slots, d lines spread.
void BM_Tile4096DeterministicPulseStreams(benchmark::State& state) {
  TileVectors vectors;
  PulseStreams input_streams;
  PulseStreams output_streams;
  for (auto _ : state) {
    vectors.refresh(state);
    rpusim::generate_deterministic_pulse_streams(vectors.x.data(), kTileSize, kProbabilityScale,
                                                 kBitLength, rpusim::PulseLineSide::input,
                                                 input_streams);
    rpusim::generate_deterministic_pulse_streams(vectors.d.data(), kTileSize, kProbabilityScale,
                                                 kBitLength, rpusim::PulseLineSide::output,
                                                 output_streams);
    benchmark::DoNotOptimize(input_streams.bits.data());
    benchmark::DoNotOptimize(output_streams.bits.data());
  }
}
BENCHMARK(BM_Tile4096DeterministicPulseStreams)->Unit(benchmark::kMillisecond);

void BM_Tile4096ExactUpdate(benchmark::State& state) {
  CrossbarArray& tile = large_tile();
  TileVectors vectors;
  for (auto _ : state) {
    vectors.refresh(state);
    tile.apply_exact_update(vectors.x.data(), vectors.d.data(), 0.01f);
  }
}
BENCHMARK(BM_Tile4096ExactUpdate)->Unit(benchmark::kMillisecond);

// Forward, backward and pulsed update of one tile, including both translators.
void BM_Tile4096TrainingCycle(benchmark::State& state) {
  CrossbarArray& tile = large_tile();
  TileVectors vectors;
  PulseStreams input_streams;
  PulseStreams output_streams;
  RandomEngine translator_rng = rpusim::make_random_stream(3, "bench.tile.translator");
  RandomEngine update_rng = rpusim::make_random_stream(4, "bench.tile.update");
  for (auto _ : state) {
    vectors.refresh(state);
    tile.multiply(vectors.x.data(), vectors.y.data());
    tile.multiply_transposed(vectors.d.data(), vectors.z.data());
    rpusim::generate_pulse_streams(vectors.x.data(), kTileSize, kProbabilityScale, kBitLength,
                                   translator_rng, input_streams);
    rpusim::generate_pulse_streams(vectors.d.data(), kTileSize, kProbabilityScale, kBitLength,
                                   translator_rng, output_streams);
    tile.apply_pulses(input_streams, output_streams, update_rng);
    benchmark::DoNotOptimize(vectors.y.data());
    benchmark::DoNotOptimize(vectors.z.data());
  }
}
BENCHMARK(BM_Tile4096TrainingCycle)->Unit(benchmark::kMillisecond);

// The 784-256-128-10 network of the MNIST experiment, one array per layer with the bias
// as one more input line, sigmoid hidden layers and softmax output. One iteration is one
// training sample through the read path (DAC, integrator noise and bound, ADC), the NLF
// functions and the update.
class MnistNetwork {
 public:
  explicit MnistNetwork(bool pulsed, const DeviceParams& device = DeviceParams{})
      : pulsed_(pulsed) {
    RandomEngine device_rng = rpusim::make_random_stream(5, "bench.mnist.devices");
    for (int layer = 0; layer < kLayers; ++layer) {
      const int inputs = kSizes[layer] + 1;
      const int outputs = kSizes[layer + 1];
      arrays_.emplace_back(outputs, inputs, device, device_rng);
      std::vector<float> weights(static_cast<std::size_t>(outputs) * inputs);
      fill_uniform(weights, 1.0f / std::sqrt(static_cast<float>(inputs)), device_rng);
      arrays_.back().set_weights(weights);
      activations_.emplace_back(inputs);
      errors_.emplace_back(outputs);
    }
    activations_.emplace_back(kSizes[kLayers]);
    read_.resize(kSizes[0] + 1);
    derivative_.resize(kSizes[0] + 1);
  }

  // Sets the image: about 19 % of MNIST pixels are nonzero.
  void load_sample(RandomEngine& rng) {
    std::vector<float>& pixels = activations_[0];
    std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
    std::bernoulli_distribution inked(0.19);
    for (int i = 0; i < kSizes[0]; ++i) {
      pixels[i] = inked(rng) ? pixel(rng) : 0.0f;
    }
    label_ = static_cast<int>(rng() % kSizes[kLayers]);
  }

  void train_sample() {
    for (int layer = 0; layer < kLayers; ++layer) {
      std::vector<float>& x = activations_[layer];
      x[kSizes[layer]] = 1.0f;  // bias line
      analog_read(arrays_[layer], x.data(), kSizes[layer] + 1, false);
      float* out = activations_[layer + 1].data();
      if (layer + 1 < kLayers) {
        rpusim::sigmoid(read_.data(), out, kSizes[layer + 1]);
      } else {
        rpusim::softmax(read_.data(), out, kSizes[kLayers]);
      }
    }
    rpusim::cross_entropy_error(activations_[kLayers].data(), kSizes[kLayers], label_,
                                errors_[kLayers - 1].data());

    for (int layer = kLayers - 1; layer > 0; --layer) {
      analog_read(arrays_[layer], errors_[layer].data(), kSizes[layer + 1], true);
      rpusim::sigmoid_derivative_from_output(activations_[layer].data(), derivative_.data(),
                                             kSizes[layer]);
      rpusim::multiply_elementwise(read_.data(), derivative_.data(), errors_[layer - 1].data(),
                                   kSizes[layer]);
    }

    for (int layer = 0; layer < kLayers; ++layer) {
      const float* x = activations_[layer].data();
      const float* d = errors_[layer].data();
      if (pulsed_) {
        rpusim::generate_pulse_streams(x, kSizes[layer] + 1, kProbabilityScale, kBitLength, rng_,
                                       input_streams_);
        rpusim::generate_pulse_streams(d, kSizes[layer + 1], kProbabilityScale, kBitLength, rng_,
                                       output_streams_);
        arrays_[layer].apply_pulses(input_streams_, output_streams_, rng_);
      } else {
        arrays_[layer].apply_exact_update(x, d, 0.01f);
      }
    }
  }

 private:
  static constexpr int kLayers = 3;
  static constexpr int kSizes[kLayers + 1] = {784, 256, 128, 10};

  // Reads the array forward (or backward) into read_ with noise management: the input is
  // divided by its maximum magnitude before the DAC and the output multiplied back.
  void analog_read(const CrossbarArray& array, const float* in, int count, bool transposed) {
    const rpusim::ReadPathParams io;
    const float scale = rpusim::abs_max(in, count);
    const float inverse = scale > 0.0f ? 1.0f / scale : 0.0f;
    std::vector<float>& driven = derivative_;
    rpusim::scale_vector(in, inverse, driven.data(), count);
    if (io.inp_sto_round) {
      rpusim::quantise_symmetric_stochastic(driven.data(), count, io.dac_bits, io.inp_bound, rng_);
    } else {
      rpusim::quantise_symmetric(driven.data(), count, io.dac_bits, io.inp_bound);
    }
    const int outputs = transposed ? array.inputs() : array.outputs();
    if (transposed) {
      array.multiply_transposed(driven.data(), read_.data());
    } else {
      array.multiply(driven.data(), read_.data());
    }
    rpusim::integrate_outputs(read_.data(), outputs, io.out_noise, io.out_bound, rng_);
    rpusim::quantise_symmetric(read_.data(), outputs, io.adc_bits, io.out_bound);
    rpusim::scale_vector(read_.data(), scale, read_.data(), outputs);
  }

  bool pulsed_;
  int label_ = 0;
  std::vector<CrossbarArray> arrays_;
  std::vector<std::vector<float>> activations_;  // layer inputs, bias line included
  std::vector<std::vector<float>> errors_;       // error at each layer's outputs
  std::vector<float> read_;
  std::vector<float> derivative_;
  PulseStreams input_streams_;
  PulseStreams output_streams_;
  RandomEngine rng_ = rpusim::make_random_stream(6, "bench.mnist.run");
};

void BM_MnistSample(benchmark::State& state) {
  MnistNetwork network(state.range(0) != 0);
  RandomEngine data_rng = rpusim::make_random_stream(7, "bench.mnist.data");
  for (auto _ : state) {
    state.PauseTiming();
    network.load_sample(data_rng);
    state.ResumeTiming();
    network.train_sample();
  }
}
BENCHMARK(BM_MnistSample)->ArgName("pulsed")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

// A pulsed MNIST sample with the devices bench_device selects.
void BM_MnistSampleDevice(benchmark::State& state) {
  MnistNetwork network(true, bench_device(state));
  RandomEngine data_rng = rpusim::make_random_stream(7, "bench.mnist.data");
  for (auto _ : state) {
    state.PauseTiming();
    network.load_sample(data_rng);
    state.ResumeTiming();
    network.train_sample();
  }
}
BENCHMARK(BM_MnistSampleDevice)
    ->ArgNames({"model", "k_percent"})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({0, 10})
    ->Args({1, 10})
    ->Args({2, 10})
    ->Unit(benchmark::kMillisecond);

}  // namespace
