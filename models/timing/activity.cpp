#include "models/timing/activity.hpp"

#include <iomanip>
#include <sstream>

#include "models/common/config.hpp"

namespace rpusim {

namespace {

ReadActivity read_activity(const Config& config, const std::string& direction) {
  ReadActivity activity;
  const std::string prefix = "activity." + direction + ".";
  activity.mean_abs = config.get_real(prefix + "mean_abs");
  activity.mean_square = config.get_real(prefix + "mean_square");
  activity.nonzero = config.get_real(prefix + "nonzero");
  activity.saturation = config.get_real(prefix + "saturation");
  return activity;
}

void write_read_activity(std::ostringstream& out, const char* direction,
                         const ReadActivity& activity) {
  out << "  " << direction << ":\n"
      << "    mean_abs: " << activity.mean_abs << "\n"
      << "    mean_square: " << activity.mean_square << "\n"
      << "    nonzero: " << activity.nonzero << "\n"
      << "    saturation: " << activity.saturation << "\n";
}

}  // namespace

ActivityFactors ActivityFactors::from_config(const Config& config) {
  ActivityFactors factors;
  factors.forward = read_activity(config, "forward");
  factors.backward = read_activity(config, "backward");
  factors.x_pulse_probability = config.get_real("activity.x_pulse_probability");
  factors.d_pulse_probability = config.get_real("activity.d_pulse_probability");
  factors.coincidence_probability = config.get_real("activity.coincidence_probability");
  return factors;
}

std::string ActivityFactors::to_yaml(const std::string& comment) const {
  std::ostringstream out;
  out << std::setprecision(6);
  std::istringstream lines(comment);
  for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
  out << "activity:\n";
  write_read_activity(out, "forward", forward);
  write_read_activity(out, "backward", backward);
  out << "  x_pulse_probability: " << x_pulse_probability << "\n"
      << "  d_pulse_probability: " << d_pulse_probability << "\n"
      << "  coincidence_probability: " << coincidence_probability << "\n";
  return out.str();
}

}  // namespace rpusim
