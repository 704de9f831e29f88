// Selects the NLF unit's implementation from nlf.implementation: the transaction-level
// NlfUnit ("tlm"), or RtlNlfUnit ("rtl"), which runs the sigmoid and its derivative on the
// Verilated RTL datapath and exists only in builds that found Verilator (docs/cosim.md).
#pragma once

#include "models/nlf/nlf_unit.hpp"

namespace rpusim {

class Config;
class EnergyLedger;

// Whether this build contains RtlNlfUnit.
bool rtl_nlf_available();

// Builds the NLF unit `name` that nlf.implementation selects. The caller owns it. Throws
// ConfigError for "rtl" in a build without Verilator, or when nlf.lanes differs from the
// lanes of the Verilated datapath.
NlfUnit* make_nlf_unit(const char* name, const Config& config, EnergyLedger& ledger);

}  // namespace rpusim
