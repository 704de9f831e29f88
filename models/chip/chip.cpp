#include "models/chip/chip.hpp"

#include <cmath>
#include <random>

#include "models/common/random.hpp"
#include "models/nlf/nlf_implementation.hpp"

namespace rpusim {

Chip::Chip(const sc_core::sc_module_name& name, const Config& config, const DatasetSplit& data,
           const TargetConnector& connect)
    : sc_module(name),
      m_config(config),
      m_ledger(static_cast<int>(config.layers().size())),
      tiles("tile", static_cast<std::size_t>(config.get_int("chip.tiles")),
            [&](const char* tile_name, std::size_t) {
              return new RpuTile(tile_name, config, m_ledger,
                                 static_cast<std::uint64_t>(config.get_int("run.seed")));
            }),
      nlf_units("nlf", static_cast<std::size_t>(config.get_int("chip.nlf_units")),
                [&](const char* unit_name, std::size_t) {
                  return make_nlf_unit(unit_name, config, m_ledger);
                }),
      io_port("io_port", IoParams::from_config(config), data, m_ledger) {
  m_sequencer = std::make_unique<Sequencer>("sequencer", make_settings(config, data));
  build_interconnect(config, connect);
  program_weights(config);
}

SequencerSettings Chip::make_settings(const Config& config, const DatasetSplit& data) const {
  SequencerSettings settings;
  const auto& layers = config.layers();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    SequencedLayer layer;
    layer.name = "layer" + std::to_string(l);
    layer.inputs = layers[l].inputs + 1;
    layer.outputs = layers[l].outputs;
    layer.softmax = layers[l].activation == "softmax";
    layer.tile_base = chip_map::kTileBase + l * chip_map::kBlockStride;
    settings.layers.push_back(layer);
  }

  settings.nlf_base = chip_map::kNlfBase;
  settings.io_base = chip_map::kIoBase;

  settings.epochs = static_cast<int>(config.get_int("run.epochs"));
  auto limit = [](std::int64_t requested, std::size_t available) {
    return requested == 0 ? available
                          : std::min<std::size_t>(static_cast<std::size_t>(requested), available);
  };
  settings.train_samples = limit(config.get_int("run.train_samples"), data.train.size());
  settings.test_samples = limit(config.get_int("run.test_samples"), data.test.size());
  settings.evaluate_every_epoch = config.get_bool("run.evaluate_every_epoch");
  settings.shuffle = config.get_bool("run.shuffle");
  settings.progress = config.get_bool("run.progress");
  settings.quantum = sc_core::sc_time(config.get_real("run.quantum_ns"), sc_core::SC_NS);
  settings.seed = static_cast<std::uint64_t>(config.get_int("run.seed"));
  settings.at_protocol = config.get_string("run.protocol") == "at";
  settings.wall_time_limit_s = config.get_real("run.timeout_s");
  settings.max_sim_time = sc_core::sc_time(config.get_real("run.max_sim_time_ns"), sc_core::SC_NS);

  settings.forward_noise_management = config.get_bool("management.forward.noise_management");
  settings.forward_bound_management = config.get_bool("management.forward.bound_management");
  settings.backward_noise_management = config.get_bool("management.backward.noise_management");
  settings.backward_bound_management = config.get_bool("management.backward.bound_management");
  settings.bm_max_halvings = static_cast<int>(config.get_int("management.bm_max_halvings"));

  settings.bl_management = config.get_bool("management.bl_management");
  // As in aihwkit, dynamic BL always comes with update management: a shorter BL raises C,
  // and without balancing the x probabilities would clip at 1.
  settings.update_management =
      config.get_bool("management.update_management") || settings.bl_management;
  settings.learning_rate = config.get_real("training.learning_rate");
  settings.learning_rate_decay = config.get_real("training.lr_decay");
  settings.learning_rate_decay_epochs = static_cast<int>(config.get_int("training.lr_decay_epochs"));
  settings.pipelined = config.get_string("training.schedule") == "pipelined";
  settings.dw_min = config.get_real("device.dw_min");
  settings.bit_length = static_cast<int>(config.get_int("tile.bl"));
  return settings;
}

ActivityFactors Chip::measured_activity() const {
  TileActivity sum;
  for (const RpuTile& tile : tiles) {
    const TileActivity& a = tile.activity();
    sum.forward_lines += a.forward_lines;
    sum.forward_abs_sum += a.forward_abs_sum;
    sum.forward_square_sum += a.forward_square_sum;
    sum.forward_nonzero += a.forward_nonzero;
    sum.backward_lines += a.backward_lines;
    sum.backward_abs_sum += a.backward_abs_sum;
    sum.backward_square_sum += a.backward_square_sum;
    sum.backward_nonzero += a.backward_nonzero;
    sum.x_slots += a.x_slots;
    sum.d_slots += a.d_slots;
    sum.x_pulses += a.x_pulses;
    sum.d_pulses += a.d_pulses;
    sum.cross_point_slots += a.cross_point_slots;
    sum.forward_reads += a.forward_reads;
    sum.backward_reads += a.backward_reads;
    sum.coincidences += a.coincidences;
  }
  auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  ActivityFactors factors;
  factors.forward.mean_abs = share(sum.forward_abs_sum, sum.forward_lines);
  factors.forward.mean_square = share(sum.forward_square_sum, sum.forward_lines);
  factors.forward.nonzero = share(sum.forward_nonzero, sum.forward_lines);
  factors.backward.mean_abs = share(sum.backward_abs_sum, sum.backward_lines);
  factors.backward.mean_square = share(sum.backward_square_sum, sum.backward_lines);
  factors.backward.nonzero = share(sum.backward_nonzero, sum.backward_lines);
  // Re-reads per first read: the tiles count every read, re-reads included.
  const TrainingStats& stats = m_sequencer->stats();
  const double forward_rereads = static_cast<double>(stats.forward_rereads);
  const double backward_rereads =
      static_cast<double>(stats.bound_management_rereads - stats.forward_rereads);
  factors.forward.saturation =
      share(forward_rereads, static_cast<double>(sum.forward_reads) - forward_rereads);
  factors.backward.saturation =
      share(backward_rereads, static_cast<double>(sum.backward_reads) - backward_rereads);
  factors.x_pulse_probability = share(sum.x_pulses, sum.x_slots);
  factors.d_pulse_probability = share(sum.d_pulses, sum.d_slots);
  factors.coincidence_probability = share(sum.coincidences, sum.cross_point_slots);
  return factors;
}

void Chip::program_weights(const Config& config) {
  // Initial weights uniform in +-init_scale / sqrt(fan_in), fan-in counting the bias line,
  // from a stream per layer so exact and analog runs of one seed start from the same weights.
  const double init_scale = config.get_real("training.init_scale");
  const auto& layers = config.layers();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const int inputs = layers[l].inputs + 1;
    const int outputs = layers[l].outputs;
    RandomEngine rng = make_random_stream(static_cast<std::uint64_t>(config.get_int("run.seed")),
                                          std::string(name()) + ".weights.layer" + std::to_string(l));
    const double bound = init_scale / std::sqrt(static_cast<double>(inputs));
    std::uniform_real_distribution<double> uniform(-bound, bound);
    std::vector<float> weights(static_cast<std::size_t>(inputs) * outputs);
    for (float& weight : weights) weight = static_cast<float>(uniform(rng));
    tiles[l].map_layer(static_cast<int>(l), inputs, outputs, weights);
  }
}

}  // namespace rpusim
