// TLM-2.0 base-protocol checker for the blocking transport interface: a pass-through module
// between an initiator socket and a target socket. It checks every b_transport call against
// the rules of IEEE 1666-2011 for the generic payload under the base protocol, and forwards
// transport_dbg calls unchecked. A violation is counted and reported through
// SC_REPORT_ERROR with message type "rpusim/protocol", naming the checker, the transaction
// and the rule.
//
// Checked before the call: the response status is TLM_INCOMPLETE_RESPONSE, read and write
// commands have a data pointer, and the data length is not 0. The streaming width is no
// smaller than the length, because this model's targets support no streaming. Byte enables,
// when given, have a length that is a multiple of the streaming width, and the access stays
// inside the checker's declared address range. Checked after: the response status is no
// longer incomplete, and the command, address, data pointer, data length and streaming
// width are as the initiator set them. Leaves out the non-blocking path (phases), DMI and
// extension rules, because the models use b_transport only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>
#include <sstream>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace rpusim {

class ProtocolChecker : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ProtocolChecker> target_socket;
  tlm_utils::simple_initiator_socket<ProtocolChecker> initiator_socket;

  // `address_limit` is the size of the address range the target decodes; 0 disables the
  // address check.
  ProtocolChecker(const sc_core::sc_module_name& name, std::uint64_t address_limit)
      : sc_module(name),
        target_socket("target_socket"),
        initiator_socket("initiator_socket"),
        m_address_limit(address_limit) {
    target_socket.register_b_transport(this, &ProtocolChecker::b_transport);
    target_socket.register_transport_dbg(this, &ProtocolChecker::transport_dbg);
  }

  std::uint64_t transactions() const { return m_transactions; }
  std::uint64_t violations() const { return m_violations; }

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    ++m_transactions;
    check_request(payload);
    const tlm::tlm_command command = payload.get_command();
    const std::uint64_t address = payload.get_address();
    unsigned char* const data = payload.get_data_ptr();
    const unsigned int length = payload.get_data_length();
    const unsigned int width = payload.get_streaming_width();

    initiator_socket->b_transport(payload, delay);

    if (payload.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE) {
      violation(command, address, length, "the target returned with TLM_INCOMPLETE_RESPONSE");
    }
    if (payload.get_command() != command || payload.get_address() != address ||
        payload.get_data_ptr() != data || payload.get_data_length() != length ||
        payload.get_streaming_width() != width) {
      violation(command, address, length,
                "the target changed an attribute that only the initiator may set");
    }
  }

  unsigned int transport_dbg(tlm::tlm_generic_payload& payload) {
    return initiator_socket->transport_dbg(payload);
  }

  void check_request(const tlm::tlm_generic_payload& payload) {
    if (payload.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE) {
      violation(payload, "the initiator did not set TLM_INCOMPLETE_RESPONSE");
    }
    if (payload.get_command() != tlm::TLM_IGNORE_COMMAND && payload.get_data_ptr() == nullptr) {
      violation(payload, "a read or write has no data pointer");
    }
    if (payload.get_data_length() == 0) violation(payload, "the data length is 0");
    if (payload.get_streaming_width() < payload.get_data_length()) {
      violation(payload, "the streaming width is smaller than the data length");
    }
    if (payload.get_byte_enable_ptr() != nullptr &&
        (payload.get_byte_enable_length() == 0 ||
         payload.get_byte_enable_length() % payload.get_streaming_width() != 0)) {
      violation(payload, "the byte-enable length is not a multiple of the streaming width");
    }
    if (m_address_limit != 0 &&
        payload.get_address() + payload.get_data_length() > m_address_limit) {
      violation(payload, "the access runs past the target's address range");
    }
  }

  void violation(const tlm::tlm_generic_payload& payload, const char* rule) {
    violation(payload.get_command(), payload.get_address(), payload.get_data_length(), rule);
  }

  // Reports `rule` for the transaction as the initiator issued it.
  void violation(tlm::tlm_command command, std::uint64_t address, unsigned int length,
                 const char* rule) {
    ++m_violations;
    std::ostringstream message;
    message << name() << ": " << (command == tlm::TLM_WRITE_COMMAND ? "write" : "read")
            << " at 0x" << std::hex << address << std::dec << " (" << length
            << " bytes): " << rule;
    SC_REPORT_ERROR("rpusim/protocol", message.str().c_str());
  }

  std::uint64_t m_address_limit;
  std::uint64_t m_transactions = 0;
  std::uint64_t m_violations = 0;
};

// Owns one ProtocolChecker per binding that its connector() places in between.
class ProtocolCheckers {
 public:
  // Returns a connector for Chip that inserts a checker named "checker_NAME" before each
  // target. Call it during elaboration only.
  std::function<tlm::tlm_target_socket<>&(tlm::tlm_target_socket<>&, const std::string&,
                                          std::uint64_t)>
  connector() {
    return [this](tlm::tlm_target_socket<>& target, const std::string& name,
                  std::uint64_t region_size) -> tlm::tlm_target_socket<>& {
      m_checkers.push_back(
          std::make_unique<ProtocolChecker>(("checker_" + name).c_str(), region_size));
      m_checkers.back()->initiator_socket.bind(target);
      return m_checkers.back()->target_socket;
    };
  }

  std::size_t size() const { return m_checkers.size(); }
  std::uint64_t transactions() const {
    std::uint64_t total = 0;
    for (const auto& checker : m_checkers) total += checker->transactions();
    return total;
  }
  std::uint64_t violations() const {
    std::uint64_t total = 0;
    for (const auto& checker : m_checkers) total += checker->violations();
    return total;
  }

 private:
  std::vector<std::unique_ptr<ProtocolChecker>> m_checkers;
};

}  // namespace rpusim
