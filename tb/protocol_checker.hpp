// TLM-2.0 base-protocol checker: a pass-through module between an initiator socket and a target
// socket. It checks every b_transport call, and every nb_transport call on the forward and backward
// paths, against the rules of IEEE 1666-2011 for the generic payload under the base protocol, and
// forwards transport_dbg calls unchecked. A violation is counted and reported through
// SC_REPORT_ERROR with message type "rpusim/protocol", naming the checker, the transaction and the
// rule.
//
// Every request, blocking or not, is checked when it starts: the response status is
// TLM_INCOMPLETE_RESPONSE, read and write commands have a data pointer, and the data length is not
// 0. The streaming width is no smaller than the length, because this model's targets support no
// streaming. Byte enables, when given, have a length that is a multiple of the streaming width, and
// the access stays inside the checker's declared address range. When the response comes back
// (b_transport returns, BEGIN_RESP, or TLM_COMPLETED from the target), the response status is no
// longer incomplete, and the command, address, data pointer, data length and streaming width are as
// the initiator set them.
//
// On the non-blocking path the checker follows each transaction through its phases on this one hop.
// BEGIN_REQ and END_RESP go on the forward path only, END_REQ and BEGIN_RESP on the backward path
// only, in that order, and a BEGIN_RESP without END_REQ ends the request phase too. Each call
// returns a value the base protocol permits for its phase: TLM_UPDATED only with the next phase,
// and TLM_COMPLETED to end the transaction. It enforces the exclusion rules: no BEGIN_REQ while an
// earlier request has neither END_REQ nor BEGIN_RESP, and no BEGIN_RESP while an earlier response
// awaits END_RESP. A payload may not start again, on either path, while it is in progress. Leaves
// out timing rules (the order of annotated times across calls), ignorable phases (reported as
// violations, because no model here uses them), DMI and extension rules.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

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
    target_socket.register_nb_transport_fw(this, &ProtocolChecker::nb_transport_fw);
    target_socket.register_transport_dbg(this, &ProtocolChecker::transport_dbg);
    initiator_socket.register_nb_transport_bw(this, &ProtocolChecker::nb_transport_bw);
  }

  std::uint64_t transactions() const { return m_transactions; }
  std::uint64_t violations() const { return m_violations; }

 private:
  // Progress of a transaction on the non-blocking path of this hop.
  enum class Stage { kRequest, kRequestEnded, kResponse };

  // A transaction on the non-blocking path: its stage and the attributes the initiator set.
  struct Transaction {
    Stage stage = Stage::kRequest;
    tlm::tlm_command command = tlm::TLM_IGNORE_COMMAND;
    std::uint64_t address = 0;
    unsigned char* data = nullptr;
    unsigned int length = 0;
    unsigned int width = 0;
  };

  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    ++m_transactions;
    if (m_nb.count(&payload) != 0) {
      violation(payload, "b_transport with a payload still in progress on the non-blocking path");
    }
    check_request(payload);
    const Transaction sent = attributes(payload);

    initiator_socket->b_transport(payload, delay);

    check_response(sent, payload, "the target returned with TLM_INCOMPLETE_RESPONSE");
  }

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    const tlm::tlm_phase sent = phase;
    if (sent == tlm::BEGIN_REQ) {
      begin_request(payload);
    } else if (sent == tlm::END_RESP) {
      end_response(payload);
    } else {
      phase_violation(payload, sent, "on the forward path: only BEGIN_REQ and END_RESP go there");
    }

    const tlm::tlm_sync_enum status = initiator_socket->nb_transport_fw(payload, phase, delay);

    if (sent == tlm::BEGIN_REQ) {
      after_begin_request(payload, status, phase);
    } else if (sent == tlm::END_RESP && status == tlm::TLM_UPDATED) {
      phase_violation(payload, sent, "answered with TLM_UPDATED: END_RESP is the last phase");
    }
    return status;
  }

  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    const tlm::tlm_phase sent = phase;
    if (sent == tlm::END_REQ) {
      end_request(payload);
    } else if (sent == tlm::BEGIN_RESP) {
      begin_response(payload);
    } else {
      phase_violation(payload, sent, "on the backward path: only END_REQ and BEGIN_RESP go there");
    }

    const tlm::tlm_sync_enum status = target_socket->nb_transport_bw(payload, phase, delay);

    if (sent == tlm::END_REQ) {
      if (status == tlm::TLM_UPDATED) {
        phase_violation(payload, sent,
                        "answered with TLM_UPDATED: the initiator cannot take the next phase");
      }
      if (status == tlm::TLM_COMPLETED) forget(payload);  // the initiator ended it early
    } else if (sent == tlm::BEGIN_RESP) {
      if (status == tlm::TLM_UPDATED && phase != tlm::END_RESP) {
        phase_violation(payload, sent, "answered with TLM_UPDATED and a phase other than END_RESP");
      }
      if (status == tlm::TLM_COMPLETED || status == tlm::TLM_UPDATED) forget(payload);
    }
    return status;
  }

  unsigned int transport_dbg(tlm::tlm_generic_payload& payload) {
    return initiator_socket->transport_dbg(payload);
  }

  // Phase bookkeeping of the non-blocking path. Each call updates the state before the
  // payload moves on, because the next hop may call back before it returns.

  void begin_request(tlm::tlm_generic_payload& payload) {
    ++m_transactions;
    if (m_nb.count(&payload) != 0) {
      phase_violation(payload, tlm::BEGIN_REQ, "for a payload already in progress on this hop");
    }
    if (m_open_request != nullptr) {
      phase_violation(payload, tlm::BEGIN_REQ,
                      "before END_REQ or BEGIN_RESP of the previous request (request exclusion "
                      "rule)");
    }
    check_request(payload);
    m_nb[&payload] = attributes(payload);
    m_open_request = &payload;
  }

  void after_begin_request(tlm::tlm_generic_payload& payload, tlm::tlm_sync_enum status,
                           const tlm::tlm_phase& phase) {
    switch (status) {
      case tlm::TLM_ACCEPTED:
        if (phase != tlm::BEGIN_REQ) {
          phase_violation(payload, tlm::BEGIN_REQ,
                          "answered with TLM_ACCEPTED but the target changed the phase");
        }
        return;
      case tlm::TLM_UPDATED:
        if (phase == tlm::END_REQ) {
          end_request(payload);
        } else if (phase == tlm::BEGIN_RESP) {
          begin_response(payload);
        } else {
          phase_violation(payload, tlm::BEGIN_REQ,
                          "answered with TLM_UPDATED and a phase other than END_REQ or BEGIN_RESP");
        }
        return;
      case tlm::TLM_COMPLETED: {
        // The target ended the transaction at once: its response must be complete.
        auto found = m_nb.find(&payload);
        if (found != m_nb.end()) {
          check_response(found->second, payload,
                         "the target returned TLM_COMPLETED with TLM_INCOMPLETE_RESPONSE");
        }
        forget(payload);
        return;
      }
    }
  }

  void end_request(tlm::tlm_generic_payload& payload) {
    auto found = m_nb.find(&payload);
    if (found == m_nb.end()) {
      phase_violation(payload, tlm::END_REQ, "for a transaction not in progress on this hop");
      return;
    }
    if (found->second.stage != Stage::kRequest) {
      phase_violation(payload, tlm::END_REQ, "after END_REQ or BEGIN_RESP of the same transaction");
      return;
    }
    found->second.stage = Stage::kRequestEnded;
    if (m_open_request == &payload) m_open_request = nullptr;
  }

  void begin_response(tlm::tlm_generic_payload& payload) {
    auto found = m_nb.find(&payload);
    if (found == m_nb.end()) {
      phase_violation(payload, tlm::BEGIN_RESP, "for a transaction not in progress on this hop");
      return;
    }
    Transaction& transaction = found->second;
    if (transaction.stage == Stage::kResponse) {
      phase_violation(payload, tlm::BEGIN_RESP, "sent twice for the same transaction");
      return;
    }
    if (m_open_response != nullptr) {
      phase_violation(payload, tlm::BEGIN_RESP,
                      "before END_RESP of the previous response (response exclusion rule)");
    }
    check_response(transaction, payload,
                   "BEGIN_RESP with TLM_INCOMPLETE_RESPONSE: the target sets the response status "
                   "before the response phase");
    // BEGIN_RESP ends the request phase if END_REQ was left out.
    if (m_open_request == &payload) m_open_request = nullptr;
    transaction.stage = Stage::kResponse;
    m_open_response = &payload;
  }

  void end_response(tlm::tlm_generic_payload& payload) {
    auto found = m_nb.find(&payload);
    if (found == m_nb.end() || found->second.stage != Stage::kResponse) {
      phase_violation(payload, tlm::END_RESP, "without BEGIN_RESP of the same transaction");
      return;
    }
    forget(payload);
  }

  void forget(tlm::tlm_generic_payload& payload) {
    m_nb.erase(&payload);
    if (m_open_request == &payload) m_open_request = nullptr;
    if (m_open_response == &payload) m_open_response = nullptr;
  }

  static Transaction attributes(const tlm::tlm_generic_payload& payload) {
    Transaction transaction;
    transaction.command = payload.get_command();
    transaction.address = payload.get_address();
    transaction.data = payload.get_data_ptr();
    transaction.length = payload.get_data_length();
    transaction.width = payload.get_streaming_width();
    return transaction;
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

  // Checks a response against the attributes `sent` by the initiator; `incomplete_rule` is
  // the violation to report if the response status is still incomplete.
  void check_response(const Transaction& sent, const tlm::tlm_generic_payload& payload,
                      const char* incomplete_rule) {
    if (payload.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE) {
      violation(sent, incomplete_rule);
    }
    if (payload.get_command() != sent.command || payload.get_address() != sent.address ||
        payload.get_data_ptr() != sent.data || payload.get_data_length() != sent.length ||
        payload.get_streaming_width() != sent.width) {
      violation(sent, "the target changed an attribute that only the initiator may set");
    }
  }

  void phase_violation(const tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase,
                       const std::string& rule) {
    std::ostringstream text;
    text << phase << ' ' << rule;
    violation(payload, text.str());
  }

  void violation(const tlm::tlm_generic_payload& payload, const std::string& rule) {
    violation(attributes(payload), rule);
  }

  // Reports `rule` for the transaction as the initiator issued it.
  void violation(const Transaction& transaction, const std::string& rule) {
    ++m_violations;
    std::ostringstream message;
    message << name() << ": " << (transaction.command == tlm::TLM_WRITE_COMMAND ? "write" : "read")
            << " at 0x" << std::hex << transaction.address << std::dec << " (" << transaction.length
            << " bytes): " << rule;
    SC_REPORT_ERROR("rpusim/protocol", message.str().c_str());
  }

  std::uint64_t m_address_limit;
  std::uint64_t m_transactions = 0;
  std::uint64_t m_violations = 0;
  std::unordered_map<const tlm::tlm_generic_payload*, Transaction> m_nb;
  const tlm::tlm_generic_payload* m_open_request = nullptr;   // neither END_REQ nor BEGIN_RESP yet
  const tlm::tlm_generic_payload* m_open_response = nullptr;  // BEGIN_RESP sent, END_RESP awaited
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
