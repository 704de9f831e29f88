// Builds the report of a timing-only run (schema rpusim-report/1, with the mapping and
// pipeline sections added). Per-sample figures are steady-state figures: the time per
// sample is the mean interval between sample completions from the middle of the run to the
// start of the pipeline's drain, and leakage per sample is static power over that interval.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/baseline/roofline.hpp"
#include "models/chip/block_binding.hpp"
#include "models/chip/report_helpers.hpp"
#include "models/timing/timing_chip.hpp"

namespace rpusim {

nlohmann::json TimingChip::report(double wall_time_s) const {
  const TimingStats& stats = m_sequencer->stats();
  const double samples = static_cast<double>(stats.samples);
  const double total_time_s = stats.total_time.to_seconds();
  const double interval_s = stats.steady_state_interval.to_seconds();
  const double latency_s = ratio(stats.latency_sum.to_seconds(), samples);

  const BlockStatics statics = sum_block_statics(tiles, nlf_units, io_port,
                                                 interconnect_static_power_w(),
                                                 interconnect_area_um2());
  const std::array<double, kComponentCount>& area_um2 = statics.area_um2;
  const double static_total_w = statics.total_static_w();

  // Energy per sample: dynamic energy per sample plus static power over the steady-state
  // interval.
  std::array<double, kComponentCount> per_sample_j{};
  for (int c = 0; c < kComponentCount; ++c) {
    per_sample_j[static_cast<std::size_t>(c)] =
        ratio(m_ledger.component_total(static_cast<Component>(c), false), samples);
  }
  per_sample_j[static_cast<std::size_t>(Component::kLeakage)] += static_total_w * interval_s;
  double per_sample_total_j = 0;
  for (double joules : per_sample_j) per_sample_total_j += joules;

  const double weights = static_cast<double>(m_topology.weights());
  const double ops_per_sample = training_ops_per_sample();
  const double samples_per_s = ratio(1.0, interval_s);
  const double ops_per_s = ops_per_sample * samples_per_s;
  const double power_w = ratio(per_sample_total_j, interval_s);

  nlohmann::json report;
  report["schema"] = "rpusim-report/1";
  report["mode"] = "timing";
  report["status"] = stats.complete ? "complete" : "partial";
  if (!stats.complete) report["partial_reason"] = stats.stop_reason;
  report["config"] = m_config.to_json();
  report["config_origins"] = m_config.origins_json();
  report["workload"] = {
      {"name", m_topology.name},
      {"source", m_topology.source},
      {"weights", static_cast<std::uint64_t>(weights)},
      {"layers", m_topology.layers.size()},
      {"samples", stats.samples},
  };

  nlohmann::json mapping_rows = nlohmann::json::array();
  for (std::size_t l = 0; l < m_topology.layers.size(); ++l) {
    const TopologyLayer& spec = m_topology.layers[l];
    const LayerMapping& map = m_mapping.layers[l];
    const TimedLayer& timed = m_sequencer->settings().layers[l];
    mapping_rows.push_back({
        {"name", timed.name},
        {"kind", layer_kind_key(spec.kind)},
        {"tile", map.blocks.empty() ? std::string("-")
                                    : "tile_" + std::to_string(map.blocks.front().tile) +
                                          (map.blocks.size() > 1
                                               ? "..tile_" + std::to_string(map.blocks.back().tile)
                                               : std::string())},
        {"inputs", spec.matrix_columns() + (spec.weighted() && spec.bias ? 1 : 0)},
        {"outputs", spec.matrix_rows()},
        {"rows", spec.matrix_rows()},
        {"columns", spec.matrix_columns() + (spec.weighted() && spec.bias ? 1 : 0)},
        {"reuses", spec.reuses()},
        {"row_blocks", map.row_blocks},
        {"column_blocks", map.column_blocks},
        {"replicas", map.replicas},
        {"tiles", map.blocks.size()},
        {"forward_s", ratio(stats.layer_forward[l].to_seconds(), samples)},
        {"forward_read_s", ratio(stats.layer_forward_reads[l].to_seconds(), samples)},
        {"backward_s", ratio(stats.layer_backward[l].to_seconds(), samples)},
        {"update_s", ratio(stats.layer_update[l].to_seconds(), samples)},
        {"forward_j", ratio(m_ledger.layer_phase_total(static_cast<int>(l), Phase::kForward, false), samples)},
        {"backward_j", ratio(m_ledger.layer_phase_total(static_cast<int>(l), Phase::kBackward, false), samples)},
        {"update_j", ratio(m_ledger.layer_phase_total(static_cast<int>(l), Phase::kUpdate, false), samples)},
    });
  }
  // Share of the used tiles' cross-points that hold a weight (bias included).
  double mapped_cells = 0;
  for (const LayerMapping& map : m_mapping.layers) {
    for (const TileBlock& block : map.blocks) mapped_cells += static_cast<double>(block.rows) * block.columns;
  }
  const RpuTile& tile0 = tiles[0];
  const double tile_cells = static_cast<double>(tile0.params().input_lines) * tile0.params().output_lines;
  report["mapping"] = {
      {"tiles_used", m_mapping.tiles_used},
      {"array_utilization", ratio(mapped_cells, tile_cells * m_mapping.tiles_used)},
      {"tiles_available", m_config.get_int("chip.tiles")},
      {"nlf_units_used", nlf_units.size()},
      {"nlf_units_available", m_config.get_int("chip.nlf_units")},
      {"layers", mapping_rows}};

  // Utilisation of every block over the run; the busiest bounds the throughput.
  std::vector<std::pair<std::string, double>> busy;
  for (const RpuTile& tile : tiles) busy.emplace_back(tile.name(), tile.activity().busy.to_seconds());
  for (const NlfUnit& unit : nlf_units) busy.emplace_back(unit.name(), unit.busy_time().to_seconds());
  if (m_bus) {
    busy.emplace_back(m_bus->name(), m_bus->busy_time().to_seconds());
  } else if (const MeshLink* link = m_mesh->network().busiest_link()) {
    busy.emplace_back("mesh link " + MeshNetwork::link_name(*link),
                      interconnect_busy_time().to_seconds());
  }
  busy.emplace_back(io_port.name(), io_port.busy_time().to_seconds());
  std::sort(busy.begin(), busy.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  nlohmann::json busiest = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(5, busy.size()); ++i) {
    busiest.push_back({{"block", busy[i].first},
                       {"utilization", ratio(busy[i].second, total_time_s)},
                       {"busy_per_sample_s", ratio(busy[i].second, samples)}});
  }
  // Each sample gives the bottleneck the same work, so in a steady state the interval cannot
  // be shorter than the bottleneck's busy time per sample. A shorter one (1 % tolerance)
  // means the window still contains the fill or drain, and the run needs more samples. A
  // run shorter than converged_min_samples() may still be filling with a longer interval.
  const double bottleneck_per_sample_s = busy.empty() ? 0.0 : ratio(busy.front().second, samples);
  const bool converged = stats.steady_state_samples > 0 &&
                         interval_s >= 0.99 * bottleneck_per_sample_s &&
                         stats.samples >= m_sequencer->converged_min_samples();
  nlohmann::json window = nullptr;
  if (stats.steady_state_samples > 0) {
    window = {{"first_sample", stats.steady_state_first},
              {"last_sample", stats.steady_state_first + stats.steady_state_samples}};
  }
  report["pipeline"] = {
      {"schedule", m_sequencer->settings().pipelined ? "pipelined" : "sequential"},
      {"steady_state_samples_per_s", samples_per_s},
      {"steady_state_window", window},
      {"steady_state_converged", converged},
      {"steady_state_min_samples", m_sequencer->steady_state_min_samples()},
      {"converged_min_samples", m_sequencer->converged_min_samples()},
      {"max_samples_in_flight", stats.max_samples_in_flight},
      {"bottleneck", busy.empty() ? "" : busy.front().first},
      {"busiest_blocks", busiest},
  };

  report["timing"] = {
      {"layers", mapping_rows},
      {"simulated_time_s", total_time_s},
      {"per_sample_s", interval_s},
      {"latency_per_sample_s", latency_s},
      {"max_latency_s", stats.max_latency.to_seconds()},
      {"wall_time_s", wall_time_s},
      {"wall_time_per_sample_s", ratio(stats.wall_s, samples)},
      {"simulated_samples_per_wall_s", ratio(samples, stats.wall_s)},
  };
  report["energy"] = {
      {"per_sample_j", per_sample_total_j},
      {"total_j", per_sample_total_j * samples},
      {"dynamic_j", m_ledger.total(false)},
      {"by_component", by_component(per_sample_j, samples, true)},
      {"note", "totals are the steady-state energy per sample times the samples; leakage per "
               "sample is static power over the steady-state interval"},
  };
  report["power"] = {{"average_w", power_w}, {"static_w", static_total_w}};
  double area_total_um2 = 0;
  for (double um2 : area_um2) area_total_um2 += um2;
  report["area"] = {{"total_mm2", area_total_um2 * 1e-6},
                    {"by_component", by_component(area_um2, 1e-6, false)}};

  const RpuTile& first_tile = tiles[0];
  report["tile"] = {
      {"input_lines", first_tile.params().input_lines},
      {"output_lines", first_tile.params().output_lines},
      {"read_time_s", first_tile.full_read_time().to_seconds()},
      {"update_time_s", first_tile.update_time().to_seconds()},
  };
  report["throughput"] = {
      {"ops_per_s", ops_per_s},
      {"samples_per_s", samples_per_s},
      // A whole number of operations, written as one.
      {"ops_per_sample", static_cast<std::int64_t>(std::llround(ops_per_sample))},
      {"op_convention",
       "one multiply-accumulate = 2 ops; per weighted layer and reuse 2NM "
       "forward, 2NM backward (not on the first weighted layer), 2NM update; "
       "N x M includes the bias column"},
  };
  report["efficiency"] = {{"gops_per_s_per_w", ratio(ops_per_s / 1e9, power_w)}};

  report["acceleration"] =
      acceleration_section(m_config, ops_per_sample, weights, interval_s, per_sample_total_j);
  report["accuracy"] = {{"test_error", nullptr},
                        {"note", "timing-only run: no numerics, no accuracy"}};

  const TileActivityTotals activity = sum_tile_activity(tiles);
  report["activity"] = {
      {"transactions", stats.transactions},
      {"saturated_reads", activity.saturated_reads},
      {"update_pulses", activity.pulses},
      {"coincidences", activity.coincidences},
      {"bus_bits", interconnect_bits()},
      {"io_bits", io_port.bits_transferred()},
      {"bus_utilization", ratio(interconnect_busy_time().to_seconds(), total_time_s)},
  };
  return report;
}

}  // namespace rpusim
