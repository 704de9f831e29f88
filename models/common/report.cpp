#include "models/common/report.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <fcntl.h>
#include <unistd.h>

namespace rpusim {
namespace fs = std::filesystem;

namespace {

// Writes all of `text` to `fd` and closes it. Returns 0, or the errno of the first failure.
int write_and_close(int fd, const std::string& text) {
  std::size_t written = 0;
  int write_errno = 0;
  while (written < text.size()) {
    const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      write_errno = errno;
      break;
    }
    written += static_cast<std::size_t>(count);
  }
  if (::close(fd) != 0 && write_errno == 0) write_errno = errno;
  return write_errno;
}

}  // namespace

namespace {

// The descriptor that `name`, as written, denotes in this process: /dev/stdin, /dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N or /proc/PID/fd/N with this process's PID. -1 for
// any other name.
int descriptor_in_name(const fs::path& name) {
  const std::string text = name.lexically_normal().string();
  if (text == "/dev/stdin") return 0;
  if (text == "/dev/stdout") return 1;
  if (text == "/dev/stderr") return 2;
  for (const std::string& prefix : {std::string("/dev/fd/"), std::string("/proc/self/fd/"),
                                    "/proc/" + std::to_string(::getpid()) + "/fd/"}) {
    if (text.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string number = text.substr(prefix.size());
    if (number.empty() || number.size() > 9 ||
        number.find_first_not_of("0123456789") != std::string::npos) {
      return -1;
    }
    return std::stoi(number);
  }
  return -1;
}

// Returns the path that the symbolic link `name` points to, or an empty path if `name` is
// not a link or cannot be read. Links are followed by hand, one at a time, because a link to
// a file not yet written dangles and weakly_canonical would stop at it.
fs::path link_target(const fs::path& name) {
  std::error_code error;
  if (!fs::is_symlink(name, error) || error) return {};
  const fs::path link = fs::read_symlink(name, error);
  if (error) return {};
  return link.is_absolute() ? link : name.parent_path() / link;
}

// Links followed at most, the kernel's own limit (ELOOP).
constexpr int kMaxLinkHops = 40;

}  // namespace

int open_descriptor_named(const std::string& path) {
  // The name itself or any link on its way, as output_file_target follows them.
  fs::path name = fs::absolute(path);
  for (int hops = 0; hops < kMaxLinkHops && !name.empty(); ++hops) {
    const int descriptor = descriptor_in_name(name);
    if (descriptor >= 0) return ::fcntl(descriptor, F_GETFD) == -1 ? -1 : descriptor;
    name = link_target(name);
  }
  return -1;
}

bool is_special_output(const std::string& path) {
  if (open_descriptor_named(path) >= 0) return true;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  return !error && fs::exists(status) && !fs::is_regular_file(status) &&
         !fs::is_directory(status);
}

fs::path output_file_target(const std::string& path) {
  fs::path target = fs::absolute(path);
  for (int hops = 0; hops < kMaxLinkHops; ++hops) {
    const fs::path next = link_target(target);
    if (next.empty()) break;
    target = next;
  }
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(target, error);
  return error ? target.lexically_normal() : resolved;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  // POSIX calls rather than a stream, so that a failure names its cause (a full disk gives
  // "No space left on device").
  if (const int descriptor = open_descriptor_named(path); descriptor >= 0) {
    // /dev/stdout and the like: write through the open descriptor itself. Opening the name
    // anew would start at offset 0 of a redirected file, and a rename would replace it.
    const int fd = ::dup(descriptor);
    const int write_errno = fd < 0 ? errno : write_and_close(fd, text);
    if (write_errno != 0) {
      throw std::runtime_error(path + ": cannot write: " + std::strerror(write_errno));
    }
    return;
  }
  if (is_special_output(path)) {
    // /dev/null, a named pipe: write into it, because a rename would replace it.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    const int write_errno = fd < 0 ? errno : write_and_close(fd, text);
    if (write_errno != 0) {
      throw std::runtime_error(path + ": cannot write: " + std::strerror(write_errno));
    }
    return;
  }
  // A link keeps pointing at the file: the new file replaces the link's target.
  const fs::path target = output_file_target(path);
  if (target.has_parent_path() && !fs::exists(target.parent_path())) {
    throw std::runtime_error(path + ": cannot write: directory " +
                             target.parent_path().string() + " does not exist");
  }
  const std::string temporary = target.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error(path + ": cannot write: failed to create " + temporary + ": " +
                             std::strerror(errno));
  }
  const int write_errno = write_and_close(fd, text);
  if (write_errno != 0) {
    std::remove(temporary.c_str());
    throw std::runtime_error(path + ": cannot write: write to " + temporary + " failed: " +
                             std::strerror(write_errno));
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    std::remove(temporary.c_str());
    throw std::runtime_error(path + ": cannot write: rename failed: " + error.message());
  }
}

void write_json_report(const std::string& path, const nlohmann::json& report) {
  // Configuration values are checked as written, but a path resolved below a directory
  // whose name is not UTF-8 carries such bytes. They are written as U+FFFD, so the report is
  // kept.
  write_file_atomically(path,
                        report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

namespace {

std::string csv_number(double value) {
  std::ostringstream out;
  out << std::setprecision(9) << value;
  return out.str();
}

}  // namespace

void write_csv_tables(const std::string& directory, const nlohmann::json& report) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) throw std::runtime_error(directory + ": cannot create directory: " + error.message());

  // Every row contains the report's status, so that a reader of one table alone can tell
  // that the run stopped early (--timeout, --max-sim-time, SIGINT) and its figures are partial.
  const std::string status = report.at("status").get<std::string>();
  std::ostringstream layers;
  layers << "layer,tile,inputs,outputs,forward_s,backward_s,update_s,forward_j,backward_j,"
            "update_j,status\n";
  for (const auto& row : report["timing"]["layers"]) {
    layers << row["name"].get<std::string>() << ',' << row["tile"].get<std::string>() << ','
           << row["inputs"].get<int>() << ',' << row["outputs"].get<int>();
    for (const char* key :
         {"forward_s", "backward_s", "update_s", "forward_j", "backward_j", "update_j"}) {
      layers << ',' << csv_number(row[key].get<double>());
    }
    layers << ',' << status << '\n';
  }
  write_file_atomically((fs::path(directory) / "layers.csv").string(), layers.str());

  std::ostringstream components;
  components << "component,energy_j,energy_per_sample_j,area_mm2,status\n";
  const double samples = report["workload"]["samples"].get<double>();
  const auto& areas = report["area"]["by_component"];
  for (const auto& [name, joules] : report["energy"]["by_component"].items()) {
    // A part without an area of its own (leakage) gets an empty cell, as the JSON leaves it
    // out of area.by_component.
    const std::string area = areas.contains(name) ? csv_number(areas[name].get<double>()) : "";
    components << name << ',' << csv_number(joules.get<double>()) << ','
               << csv_number(samples > 0 ? joules.get<double>() / samples : 0.0) << ',' << area
               << ',' << status << '\n';
  }
  write_file_atomically((fs::path(directory) / "components.csv").string(), components.str());
}

namespace {

// Formats `value` with an SI prefix, e.g. 1.23e-6 with unit "s" -> "1.230 us".
std::string si(double value, const char* unit) {
  static const struct {
    double scale;
    const char* prefix;
  } prefixes[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "G"},  {1e6, "M"},  {1e3, "k"},
                  {1, ""},     {1e-3, "m"}, {1e-6, "u"}, {1e-9, "n"}, {1e-12, "p"}};
  std::ostringstream out;
  // Far outside the prefixes (from valid but extreme coefficients), fixed notation would
  // print hundreds of digits.
  if (std::abs(value) >= 1e18 || (value != 0 && std::abs(value) < 1e-18) || !std::isfinite(value)) {
    out << std::scientific << std::setprecision(3) << value << ' ' << unit;
    return out.str();
  }
  out << std::fixed << std::setprecision(3);
  // Above one second, plain seconds read better than ks or Ms (which looks like ms).
  if (std::string(unit) == "s" && std::abs(value) >= 1) {
    out << value << " s";
    return out.str();
  }
  if (value == 0) {
    out << 0.0 << ' ' << unit;
    return out.str();
  }
  for (const auto& prefix : prefixes) {
    if (std::abs(value) >= prefix.scale) {
      out << value / prefix.scale << ' ' << prefix.prefix << unit;
      return out.str();
    }
  }
  out << value / 1e-15 << " f" << unit;
  return out.str();
}

std::string square_mm(double value) {
  std::ostringstream out;
  if (value >= 1e9) {
    out << std::scientific << std::setprecision(3) << value << " mm^2";
    return out.str();
  }
  out << std::fixed << std::setprecision(value < 0.01 ? 5 : 3) << value << " mm^2";
  return out.str();
}

// Formats a ratio or rate so that a small value keeps three significant digits. From 100 up
// it prints `decimals` decimals (30123.4), below 100 three significant digits (12.3,
// 0.0364), and below 0.01 scientific notation (1.23e-03).
std::string format_significant(double value, int decimals) {
  std::ostringstream out;
  const double magnitude = std::abs(value);
  if (magnitude >= 1e15) {
    out << std::scientific << std::setprecision(3);
  } else if (magnitude >= 100 || value == 0) {
    out << std::fixed << std::setprecision(decimals);
  } else if (magnitude >= 0.01) {
    out << std::setprecision(3);
  } else {
    out << std::scientific << std::setprecision(2);
  }
  out << value;
  return out.str();
}

}  // namespace

namespace {

// Formats a count with its noun, plural unless the count is 1: "1 tile", "3 tiles".
std::string count_of(std::uint64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// Summary of a timing-only run: steady-state figures, the pipeline's bottleneck and the
// mapping, no accuracy.
std::string format_timing_summary(const nlohmann::json& report) {
  std::ostringstream out;
  const auto& workload = report["workload"];
  const auto& timing = report["timing"];
  const auto& pipeline = report["pipeline"];
  out << "rpusim " << report["status"].get<std::string>();
  if (report.contains("partial_reason")) out << " (" << report["partial_reason"].get<std::string>() << ")";
  out << ": " << workload["name"].get<std::string>() << ", timing only, "
      << count_of(workload["samples"].get<std::uint64_t>(), "training sample") << ", "
      << pipeline["schedule"].get<std::string>() << ", "
      << count_of(report["mapping"]["tiles_used"].get<std::uint64_t>(), "tile") << "\n\n";
  out << std::left;
  auto line = [&out](const std::string& label, const std::string& value) {
    out << "  " << std::setw(34) << label << value << '\n';
  };
  auto fixed = [](double value, int digits, const char* unit) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(digits) << value << unit;
    return text.str();
  };
  line("weights", fixed(workload["weights"].get<double>(), 0, ""));
  if (pipeline["steady_state_window"].is_null()) {
    line("time per sample (no steady state)", si(timing["per_sample_s"].get<double>(), "s"));
    line("", "mean over the whole run: simulate at least " +
                 std::to_string(pipeline["steady_state_min_samples"].get<std::uint64_t>()) +
                 " samples (timing.samples) for a steady state");
  } else {
    line("time per sample (steady state)", si(timing["per_sample_s"].get<double>(), "s"));
    if (!pipeline["steady_state_converged"].get<bool>()) {
      const double busy_s = pipeline["busiest_blocks"][0]["busy_per_sample_s"].get<double>();
      const auto needed = pipeline["converged_min_samples"].get<std::uint64_t>();
      std::string reason;
      const auto samples = workload["samples"].get<std::uint64_t>();
      if (samples < needed && report.value("status", "") == "partial") {
        reason = "the pipeline may still be filling: the run stopped after " +
                 std::to_string(samples) + " samples, and a steady state needs " +
                 std::to_string(needed) + ", 16 per pipeline stage plus 8";
      } else if (samples < needed) {
        reason = "the pipeline may still be filling: simulate at least " + std::to_string(needed) +
                 " samples (timing.samples), 16 per pipeline stage plus 8";
      } else {
        reason = "below the bottleneck's busy time per sample (" + si(busy_s, "s") +
                 "); simulate more samples (timing.samples)";
      }
      line("", "not converged: " + reason);
    }
  }
  line("latency per sample", si(timing["latency_per_sample_s"].get<double>(), "s"));
  line("bottleneck", pipeline["bottleneck"].get<std::string>());
  line("energy per sample", si(report["energy"]["per_sample_j"].get<double>(), "J"));
  line("average power", si(report["power"]["average_w"].get<double>(), "W"));
  line("throughput (1 MAC = 2 ops)", si(report["throughput"]["ops_per_s"].get<double>(), "Ops/s"));
  line("efficiency", format_significant(report["efficiency"]["gops_per_s_per_w"].get<double>(), 1) +
                         " GOps/s/W");
  line("area", square_mm(report["area"]["total_mm2"].get<double>()));
  const auto& acceleration = report["acceleration"];
  line("acceleration",
       format_significant(acceleration["factor"].get<double>(), 1) + " x vs " +
           acceleration["baseline"].get<std::string>() + " (energy " +
           format_significant(acceleration["energy_ratio"].get<double>(), 1) + " x, " +
           acceleration["baseline_bound"].get<std::string>() + "-bound roofline, mini-batch " +
           std::to_string(acceleration["baseline_minibatch"].get<int>()) + ")");
  line("wall time", format_significant(timing["simulated_samples_per_wall_s"].get<double>(), 0) +
                        " simulated samples per second of simulation (" +
                        format_significant(timing["wall_time_s"].get<double>(), 2) +
                        " s in all, set-up and mapping included)");
  if (timing.contains("peak_resident_mib")) {
    line("peak memory", fixed(timing["peak_resident_mib"].get<double>(), 1, " MiB resident"));
  }
  return out.str();
}

}  // namespace

std::string format_summary(const nlohmann::json& report) {
  if (report.value("mode", "functional") == "timing") return format_timing_summary(report);
  std::ostringstream out;
  const auto& workload = report["workload"];
  const auto& timing = report["timing"];
  const auto& energy = report["energy"];
  const double samples = workload["samples"].get<double>();
  out << "rpusim " << report["status"].get<std::string>();
  if (report.contains("partial_reason")) out << " (" << report["partial_reason"].get<std::string>() << ")";
  const std::string numerics = report["config"]["run.numerics"].get<std::string>();
  out << ": " << workload["name"].get<std::string>() << ", " << numerics << " numerics";
  if (numerics == "analog" && report["config"].contains("device.model")) {
    out << " (" << report["config"]["device.model"].get<std::string>() << " devices)";
  }
  out << ", " << count_of(workload["samples"].get<std::uint64_t>(), "training sample") << " over "
      << workload["epochs"].get<int>()
      << (workload["epochs"].get<int>() == 1 ? " epoch" : " epochs") << "\n\n";

  out << std::left;
  auto line = [&out](const std::string& label, const std::string& value) {
    out << "  " << std::setw(34) << label << value << '\n';
  };
  line("time per sample", si(timing["per_sample_s"].get<double>(), "s"));
  line("time per epoch", si(timing["per_epoch_s"].get<double>(), "s"));
  line("energy per sample", si(energy["per_sample_j"].get<double>(), "J"));
  line("energy per epoch", si(energy["per_epoch_j"].get<double>(), "J"));
  line("average power", si(report["power"]["average_w"].get<double>(), "W"));
  line("throughput (1 MAC = 2 ops)", si(report["throughput"]["ops_per_s"].get<double>(), "Ops/s"));
  line("efficiency", format_significant(report["efficiency"]["gops_per_s_per_w"].get<double>(), 1) +
                         " GOps/s/W");
  line("area", square_mm(report["area"]["total_mm2"].get<double>()));
  {
    const auto& acceleration = report["acceleration"];
    line("acceleration", format_significant(acceleration["factor"].get<double>(), 1) + " x vs " +
                             acceleration["baseline"].get<std::string>() + " (energy " +
                             format_significant(acceleration["energy_ratio"].get<double>(), 1) + " x, " +
                             acceleration["baseline_bound"].get<std::string>() +
                             "-bound roofline)");
  }
  if (!report["accuracy"]["test_error"].is_null()) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2)
         << 100.0 * report["accuracy"]["test_error"].get<double>() << " % on "
         << count_of(report["accuracy"]["test_samples"].get<std::uint64_t>(), "test sample");
    line("test error", text.str());
  }
  {
    std::ostringstream text;
    text << std::fixed << std::setprecision(3)
         << 1e3 * timing["wall_time_per_sample_s"].get<double>() << " ms per training sample ("
         << format_significant(timing["wall_time_s"].get<double>(), 1)
         << " s in all, data loading, set-up and tests included)";
    line("wall time", text.str());
  }

  out << "\n  " << std::setw(24) << "energy by component" << std::right << std::setw(14)
      << "per sample" << std::setw(10) << "share" << std::setw(16) << "area" << '\n'
      << std::left;
  const double total = energy["total_j"].get<double>();
  const auto& areas = report["area"]["by_component"];
  for (const auto& [name, joules] : energy["by_component"].items()) {
    const double value = joules.get<double>();
    std::ostringstream share;
    share << std::fixed << std::setprecision(1) << (total > 0 ? 100.0 * value / total : 0.0) << " %";
    out << "  " << std::setw(24) << name << std::right << std::setw(14)
        << si(samples > 0 ? value / samples : 0.0, "J") << std::setw(10) << share.str()
        << std::setw(16) << (areas.contains(name) ? square_mm(areas[name].get<double>()) : "-")
        << '\n'
        << std::left;
  }

  out << "\n  " << std::setw(10) << "layer" << std::right << std::setw(14) << "forward"
      << std::setw(14) << "backward" << std::setw(14) << "update" << std::setw(14) << "energy"
      << "   (per sample)\n"
      << std::left;
  for (const auto& row : timing["layers"]) {
    const double layer_j =
        row["forward_j"].get<double>() + row["backward_j"].get<double>() + row["update_j"].get<double>();
    out << "  " << std::setw(10) << row["name"].get<std::string>() << std::right << std::setw(14)
        << si(row["forward_s"].get<double>(), "s") << std::setw(14)
        << si(row["backward_s"].get<double>(), "s") << std::setw(14)
        << si(row["update_s"].get<double>(), "s") << std::setw(14) << si(layer_j, "J") << '\n'
        << std::left;
  }
  return out.str();
}

namespace {

// Searches depth-first for a NaN or infinite number and sets `path` to its dotted path.
bool find_non_finite(const nlohmann::json& node, const std::string& prefix, std::string& path) {
  if (node.is_number_float() && !std::isfinite(node.get<double>())) {
    path = prefix;
    return true;
  }
  if (!node.is_structured()) return false;
  for (auto item = node.begin(); item != node.end(); ++item) {
    const std::string key = node.is_object() ? item.key() : std::to_string(item - node.begin());
    if (find_non_finite(*item, prefix.empty() ? key : prefix + "." + key, path)) return true;
  }
  return false;
}

}  // namespace

std::string first_non_finite(const nlohmann::json& report) {
  std::string path;
  find_non_finite(report, "", path);
  return path;
}

}  // namespace rpusim
