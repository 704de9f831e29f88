#include "models/common/text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace rpusim {
namespace {

bool continuation(std::string_view text, std::size_t at, unsigned char low = 0x80,
                  unsigned char high = 0xBF) {
  if (at >= text.size()) return false;
  const auto byte = static_cast<unsigned char>(text[at]);
  return byte >= low && byte <= high;
}

// Length of the valid UTF-8 sequence that starts at `at` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 if the bytes there are not one.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(text, at + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(text, at + 1, low, high) && continuation(text, at + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(text, at + 1, low, high) && continuation(text, at + 2) &&
                   continuation(text, at + 3)
               ? 4
               : 0;
  }
  return 0;
}

// Code point of the valid UTF-8 sequence of `length` bytes at `at`.
char32_t code_point(std::string_view text, std::size_t at, std::size_t length) {
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t value = static_cast<unsigned char>(text[at]) & kLeadMask[length];
  for (std::size_t k = 1; k < length; ++k) {
    value = (value << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3F);
  }
  return value;
}

// True for a control character: C0, DEL and C1. Also true for the characters that move or
// reorder the text around them on a terminal, which are the separators U+2028 and U+2029
// and the bidirectional controls U+202A to U+202E and U+2066 to U+2069.
bool is_control(std::string_view text, std::size_t at, std::size_t length) {
  const char32_t c = code_point(text, at, length);
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

std::string hex_byte(char c) {
  char code[8];
  std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned char>(c));
  return code;
}

// Finds the first byte that is not valid UTF-8 or starts a control character (other than
// tab, CR and LF if `line_controls` is true). Returns the reason without its position, or "",
// and sets `offset`.
std::string first_problem(std::string_view text, bool line_controls, std::size_t& offset) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = sequence_length(text, at);
    offset = at;
    if (length == 0) return "byte " + hex_byte(text[at]) + " is not valid UTF-8";
    const bool line_control =
        length == 1 && (text[at] == '\t' || text[at] == '\r' || text[at] == '\n');
    if (is_control(text, at, length) && !(line_controls && line_control)) {
      char code[16];
      const char32_t c = code_point(text, at, length);
      if (length == 1) {
        std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(c));
      } else {
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      }
      return "control character " + std::string(code);
    }
    at += length;
  }
  return "";
}

}  // namespace

std::string text_problem(std::string_view text) {
  std::size_t offset = 0;
  const std::string problem = first_problem(text, false, offset);
  return problem.empty() ? problem : problem + " at offset " + std::to_string(offset);
}

std::string text_file_problem(std::string_view content) {
  std::size_t offset = 0;
  const std::string problem = first_problem(content, true, offset);
  if (problem.empty()) return problem;
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t at = 0; at < offset; ++at) {
    if (content[at] == '\n') {
      ++line;
      line_start = at + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1) + ": " + problem;
}

std::string escaped_text(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = sequence_length(text, at);
    if (length == 1 && text[at] == '\n') {
      result += "\\n";
    } else if (length == 1 && text[at] == '\t') {
      result += "\\t";
    } else if (length == 0 || is_control(text, at, length)) {
      // An invalid byte alone; a control character of several bytes as all of them.
      const std::size_t count = length == 0 ? 1 : length;
      for (std::size_t k = 0; k < count; ++k) result += "\\x" + hex_byte(text[at + k]).substr(2);
      at += count;
      continue;
    } else {
      result.append(text.substr(at, length));
    }
    at += length;
  }
  return result;
}

std::optional<double> parse_decimal_number(std::string_view text) {
  // Checking the characters first rejects what strtod would also read: white space, "0x1p3",
  // "inf" and "nan".
  if (text.empty() || text.find_first_not_of(kDecimalNumberCharacters) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string copy(text);
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace rpusim
