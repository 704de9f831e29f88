// Helpers for memory-mapped targets: check a generic payload against what the target
// supports and copy words between the payload and a register or a vector buffer.
// Vectors travel as little-endian IEEE-754 binary32 words (docs/address-map.md).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include <tlm>

namespace rpusim {

constexpr std::uint32_t kWordBytes = 4;

// Returns false when the target has nothing more to do: for TLM_IGNORE_COMMAND (with an OK
// response) and, with an error response, if the payload uses byte enables, streaming or an
// unaligned address or length, which the targets do not support.
inline bool accept_payload(tlm::tlm_generic_payload& payload) {
  if (payload.get_command() == tlm::TLM_IGNORE_COMMAND) {
    payload.set_response_status(tlm::TLM_OK_RESPONSE);  // nothing to do, as the base protocol allows
    return false;
  }
  if (payload.get_byte_enable_ptr() != nullptr) {
    payload.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return false;
  }
  if (payload.get_streaming_width() < payload.get_data_length()) {
    payload.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  if (payload.get_address() % kWordBytes != 0 || payload.get_data_length() % kWordBytes != 0 ||
      payload.get_data_length() == 0) {
    payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  return true;
}

// Copies between the payload and `count` floats of `vector` starting at `byte_offset`
// inside a buffer. Sets TLM_ADDRESS_ERROR_RESPONSE if the access runs past `count`.
inline bool access_vector(tlm::tlm_generic_payload& payload, std::uint64_t byte_offset,
                          float* vector, std::size_t count) {
  const std::uint64_t length = payload.get_data_length();
  if (byte_offset + length > count * kWordBytes) {
    payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  auto* bytes = reinterpret_cast<unsigned char*>(vector) + byte_offset;
  if (payload.is_write()) {
    std::memcpy(bytes, payload.get_data_ptr(), length);
  } else {
    std::memcpy(payload.get_data_ptr(), bytes, length);
  }
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

// Copies one 32-bit register; registers accept single-word accesses only.
template <typename Word>
bool access_register(tlm::tlm_generic_payload& payload, Word& reg) {
  static_assert(sizeof(Word) == kWordBytes, "registers are 32 bits wide");
  if (payload.get_data_length() != kWordBytes) {
    payload.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  if (payload.is_write()) {
    std::memcpy(&reg, payload.get_data_ptr(), kWordBytes);
  } else {
    std::memcpy(payload.get_data_ptr(), &reg, kWordBytes);
  }
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

}  // namespace rpusim
