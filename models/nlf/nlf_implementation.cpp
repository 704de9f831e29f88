#include "models/nlf/nlf_implementation.hpp"

#include <string>

#include "models/common/config.hpp"
#include "models/common/error.hpp"

#if RPUSIM_HAVE_RTL
#include "models/nlf/rtl_nlf_unit.hpp"
#endif

namespace rpusim {

bool rtl_nlf_available() {
  return RPUSIM_HAVE_RTL != 0;
}

NlfUnit* make_nlf_unit(const char* name, const Config& config, EnergyLedger& ledger) {
  const NlfParams params = NlfParams::from_config(config);
  if (config.get_string("nlf.implementation") != "rtl") return new NlfUnit(name, params, ledger);

  const std::string setting = config.origin("nlf.implementation") + ": nlf.implementation = rtl";
#if RPUSIM_HAVE_RTL
  if (params.lanes != RtlNlfUnit::datapath_lanes()) {
    throw ConfigError(
        setting + " needs nlf.lanes = " + std::to_string(RtlNlfUnit::datapath_lanes()) +
        ", the lanes of the Verilated datapath, but nlf.lanes = " + std::to_string(params.lanes) +
        " (from " + config.origin("nlf.lanes") +
        "); set nlf.lanes to match, or rebuild with -DRPUSIM_RTL_NLF_LANES=" +
        std::to_string(params.lanes));
  }
  return new RtlNlfUnit(name, params, ledger);
#else
  throw ConfigError(setting +
                    " is unavailable: this build has no RTL co-simulation, because CMake "
                    "did not find Verilator 5 or RPUSIM_WITH_RTL was OFF; install Verilator "
                    "(Debian: apt-get install verilator), then reconfigure with "
                    "-DRPUSIM_WITH_RTL=ON and rebuild");
#endif
}

}  // namespace rpusim
