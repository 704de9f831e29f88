// Local SRAM buffer of a tile holding one vector (x or d) between a read and the update.
// Models energy per bit read and written, leakage and area per bit. Leaves out banking
// and access latency (accesses overlap the analog operations).
#pragma once

#include <systemc>
#include <vector>

#include "models/common/energy_ledger.hpp"
#include "models/common/transaction_tag.hpp"

namespace rpusim {

class Config;

struct BufferParams {
  double read_energy_per_bit_j = 0;
  double write_energy_per_bit_j = 0;
  double area_per_bit_um2 = 0;
  double leakage_per_bit_w = 0;

  static BufferParams from_config(const Config& config);
};

class VectorBuffer : public sc_core::sc_module {
 public:
  // A buffer of `words` 32-bit words.
  VectorBuffer(const sc_core::sc_module_name& name, const BufferParams& params, int words,
               EnergyLedger& ledger);

  float* data() { return m_words.data(); }
  const float* data() const { return m_words.data(); }
  int words() const { return static_cast<int>(m_words.size()); }

  double read_energy_j(double words) const;
  double write_energy_j(double words) const;
  void book_write(int words, const TransactionTag& tag);
  void book_read(int words, const TransactionTag& tag);

  double static_power_w() const;
  double area_um2() const;

 private:
  BufferParams m_params;
  std::vector<float> m_words;
  EnergyLedger& m_ledger;
};

}  // namespace rpusim
