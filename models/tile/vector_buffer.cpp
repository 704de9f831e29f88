#include "models/tile/vector_buffer.hpp"

#include "models/common/config.hpp"
#include "models/common/payload.hpp"

namespace rpusim {

namespace {
constexpr double kBitsPerWord = 8.0 * kWordBytes;
}

BufferParams BufferParams::from_config(const Config& config) {
  BufferParams params;
  params.read_energy_per_bit_j = config.get_real("tile.buffer_read_energy_pj_per_bit") * 1e-12;
  params.write_energy_per_bit_j = config.get_real("tile.buffer_write_energy_pj_per_bit") * 1e-12;
  params.area_per_bit_um2 = config.get_real("tile.buffer_area_um2_per_bit");
  params.leakage_per_bit_w = config.get_real("tile.buffer_leakage_nw_per_bit") * 1e-9;
  return params;
}

VectorBuffer::VectorBuffer(const sc_core::sc_module_name& name, const BufferParams& params,
                           int words, EnergyLedger& ledger)
    : sc_module(name), m_params(params), m_words(static_cast<std::size_t>(words), 0.0f),
      m_ledger(ledger) {}

double VectorBuffer::write_energy_j(double words) const {
  return m_params.write_energy_per_bit_j * kBitsPerWord * words;
}

void VectorBuffer::book_write(int words, const TransactionTag& tag) {
  m_ledger.add(Component::kBuffers, tag.layer, tag.phase, tag.evaluation, write_energy_j(words));
}

double VectorBuffer::read_energy_j(double words) const {
  return m_params.read_energy_per_bit_j * kBitsPerWord * words;
}

void VectorBuffer::book_read(int words, const TransactionTag& tag) {
  m_ledger.add(Component::kBuffers, tag.layer, tag.phase, tag.evaluation, read_energy_j(words));
}

double VectorBuffer::static_power_w() const {
  return m_params.leakage_per_bit_w * kBitsPerWord * static_cast<double>(m_words.size());
}

double VectorBuffer::area_um2() const {
  return m_params.area_per_bit_um2 * kBitsPerWord * static_cast<double>(m_words.size());
}

}  // namespace rpusim
