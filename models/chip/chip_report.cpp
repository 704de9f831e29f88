// Builds the run report (schema rpusim-report/1) from the ledger, activity counters and the
// sequencer's statistics. Every derived figure is computed here, once.
#include <array>
#include <cmath>
#include <cstdint>

#include "models/baseline/roofline.hpp"
#include "models/chip/chip.hpp"
#include "models/chip/block_binding.hpp"
#include "models/chip/report_helpers.hpp"
#include "models/workload/network.hpp"

namespace rpusim {

nlohmann::json Chip::report(double wall_time_s) const {
  const TrainingStats& stats = m_sequencer->stats();
  const auto& layers = m_config.layers();
  const double samples = static_cast<double>(stats.samples_trained);
  const double train_time_s = stats.training_time.to_seconds();
  const double eval_time_s = stats.evaluation_time.to_seconds();

  // Static power of every block; leakage is static power integrated over simulated time.
  const BlockStatics statics = sum_block_statics(tiles, nlf_units, io_port,
                                                 interconnect_static_power_w(),
                                                 interconnect_area_um2());
  const std::array<double, kComponentCount>& area_um2 = statics.area_um2;
  const double static_total_w = statics.total_static_w();

  std::array<double, kComponentCount> train_j{};
  for (int c = 0; c < kComponentCount; ++c) {
    train_j[static_cast<std::size_t>(c)] = m_ledger.component_total(static_cast<Component>(c), false);
  }
  train_j[static_cast<std::size_t>(Component::kLeakage)] += static_total_w * train_time_s;
  double train_total_j = 0;
  for (double joules : train_j) train_total_j += joules;
  const double eval_total_j = m_ledger.total(true) + static_total_w * eval_time_s;

  const double weights = network_weights(layers);
  const double ops_per_sample = training_ops_per_sample(layers);
  const double per_sample_s = ratio(train_time_s, samples);
  const double samples_per_s = ratio(1.0, per_sample_s);
  const double ops_per_s = ops_per_sample * samples_per_s;
  const double average_power_w = ratio(train_total_j, train_time_s);

  nlohmann::json report;
  report["schema"] = "rpusim-report/1";
  report["status"] = stats.complete ? "complete" : "partial";
  if (!stats.complete) report["partial_reason"] = stats.stop_reason;
  report["config"] = m_config.to_json();
  report["config_origins"] = m_config.origins_json();

  report["workload"] = {
      {"name", m_config.get_string("workload.name")},
      {"dataset", m_config.get_string("workload.dataset")},
      {"weights", static_cast<std::uint64_t>(weights)},
      {"layers", layers.size()},
      {"samples", stats.samples_trained},
      {"epochs", stats.epochs_completed},
      {"test_samples", stats.samples_evaluated},
  };

  nlohmann::json layer_rows = nlohmann::json::array();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const PhaseTimes& times = stats.layer_times[l];
    const int layer = static_cast<int>(l);
    layer_rows.push_back({
        {"name", "layer" + std::to_string(l)},
        {"tile", tiles[l].name()},
        {"inputs", layers[l].inputs + 1},
        {"outputs", layers[l].outputs},
        {"forward_s", ratio(times.forward.to_seconds(), samples)},
        {"backward_s", ratio(times.backward.to_seconds(), samples)},
        {"update_s", ratio(times.update.to_seconds(), samples)},
        {"forward_j", ratio(m_ledger.layer_phase_total(layer, Phase::kForward, false), samples)},
        {"backward_j", ratio(m_ledger.layer_phase_total(layer, Phase::kBackward, false), samples)},
        {"update_j", ratio(m_ledger.layer_phase_total(layer, Phase::kUpdate, false), samples)},
    });
  }
  report["timing"] = {
      {"simulated_time_s", train_time_s},
      {"per_sample_s", per_sample_s},
      {"latency_per_sample_s", per_sample_s},
      {"per_epoch_s", per_sample_s * static_cast<double>(stats.samples_per_epoch)},
      {"evaluation_time_s", eval_time_s},
      {"layers", layer_rows},
      {"wall_time_s", wall_time_s},
      {"wall_time_per_sample_s", ratio(stats.training_wall_s, samples)},
  };
  report["energy"] = {
      {"total_j", train_total_j},
      {"per_sample_j", ratio(train_total_j, samples)},
      {"per_epoch_j",
       ratio(train_total_j, samples) * static_cast<double>(stats.samples_per_epoch)},
      {"by_component", by_component(train_j, 1.0, true)},
      {"evaluation_j", eval_total_j},
  };
  report["power"] = {{"average_w", average_power_w}, {"static_w", static_total_w}};

  double area_total_um2 = 0;
  for (double um2 : area_um2) area_total_um2 += um2;
  report["area"] = {
      {"total_mm2", area_total_um2 * 1e-6},
      {"by_component", by_component(area_um2, 1e-6, false)},
      {"tile_mm2", ratio(area_total_um2 - area_um2[static_cast<std::size_t>(Component::kNlf)] -
                             area_um2[static_cast<std::size_t>(Component::kInterconnect)] -
                             area_um2[static_cast<std::size_t>(Component::kIo)],
                         static_cast<double>(tiles.size())) *
                       1e-6},
  };
  // Figures of one fully used tile, for checking against hand calculations (docs/model.md).
  const RpuTile& first_tile = tiles[0];
  std::array<double, kComponentCount> full_read_j = first_tile.full_scale_read_energy();
  double full_read_total_j = 0;
  for (double joules : full_read_j) full_read_total_j += joules;
  report["tile"] = {
      {"input_lines", first_tile.params().input_lines},
      {"output_lines", first_tile.params().output_lines},
      {"read_time_s", first_tile.full_read_time().to_seconds()},
      {"update_time_s", first_tile.update_time().to_seconds()},
      {"full_scale_read_energy_j", full_read_total_j},
      {"full_scale_read_energy_by_component_j", by_component(full_read_j, 1.0, false)},
  };

  report["throughput"] = {
      {"ops_per_s", ops_per_s},
      {"samples_per_s", samples_per_s},
      // A whole number of operations, written as one.
      {"ops_per_sample", static_cast<std::int64_t>(std::llround(ops_per_sample))},
      {"op_convention",
       "one multiply-accumulate = 2 ops; per layer 2NM forward, 2NM backward "
       "(not on the first layer), 2NM update; N x M includes the bias column"},
  };
  report["efficiency"] = {{"gops_per_s_per_w", ratio(ops_per_s / 1e9, average_power_w)}};

  report["acceleration"] =
      acceleration_section(m_config, ops_per_sample, weights, per_sample_s, ratio(train_total_j, samples));

  nlohmann::json accuracy = {{"test_samples", stats.samples_per_evaluation},
                             {"per_epoch", stats.test_error_per_epoch},
                             {"learning_rate_per_epoch", stats.learning_rate_per_epoch}};
  accuracy["test_error"] = stats.final_test_error >= 0 ? nlohmann::json(stats.final_test_error)
                                                       : nlohmann::json(nullptr);
  report["accuracy"] = accuracy;

  const TileActivityTotals activity = sum_tile_activity(tiles);
  report["activity"] = {
      {"transactions", stats.transactions},
      {"bound_management_rereads", stats.bound_management_rereads},
      {"saturated_reads", activity.saturated_reads},
      {"update_pulses", activity.pulses},
      {"coincidences", activity.coincidences},
      {"bus_bits", interconnect_bits()},
      {"io_bits", io_port.bits_transferred()},
      {"bus_utilization", interconnect_utilization(train_time_s + eval_time_s)},
  };
  report["interconnect"] = interconnect_report(train_time_s + eval_time_s);
  nlohmann::json units = nlohmann::json::array();
  for (const NlfUnit& unit : nlf_units) {
    nlohmann::json entry = {{"name", unit.name()}};
    entry.update(unit.implementation_report());
    units.push_back(entry);
  }
  report["nlf_units"] = units;
  return report;
}

}  // namespace rpusim
