// Simulation-only metadata carried by a generic payload as an ignorable TLM-2.0 extension:
// which layer, phase and context (training or evaluation) a transaction serves, so each
// block books its energy to the right line of the report. Hardware would not carry it;
// a target that finds no tag books to layer -1, phase kNone.
#pragma once

#include <tlm>

#include "models/common/energy_ledger.hpp"

namespace rpusim {

struct TransactionTag : tlm::tlm_extension<TransactionTag> {
  int layer = -1;
  Phase phase = Phase::kNone;
  bool evaluation = false;

  tlm::tlm_extension_base* clone() const override { return new TransactionTag(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const TransactionTag&>(other);
  }
};

// Returns the payload's tag, or a default tag if it carries none.
inline TransactionTag tag_of(const tlm::tlm_generic_payload& payload) {
  TransactionTag* tag = nullptr;
  payload.get_extension(tag);
  return tag ? *tag : TransactionTag{};
}

}  // namespace rpusim
