// Checks and escapes text that reaches reports and the terminal: configuration strings,
// paths and error messages. The JSON report is UTF-8 only, and a control character in a
// name could split a line of output or send an escape sequence to the terminal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rpusim {

// Returns "" if `text` is valid UTF-8 without control characters: U+0000 to U+001F, U+007F to
// U+009F, and the separators and bidirectional controls U+2028 to U+202E and U+2066 to
// U+2069, which reorder or break the text on a terminal. Otherwise returns why not, naming
// the first offending byte and its offset, for example "byte 0xE9 at offset 3 is not valid
// UTF-8".
std::string text_problem(std::string_view text);

// Checks the content of a text file the same way, except that tab, CR and LF are allowed.
// Returns "" or "LINE:COLUMN: reason" (column in bytes, from 1).
std::string text_file_problem(std::string_view content);

// Returns `text` with a line feed written as \n, a tab as \t, and every other control
// character and every byte that is not part of valid UTF-8 as \xNN. The result is valid
// UTF-8 on one line, without control characters.
std::string escaped_text(std::string_view text);

// The characters a decimal number may contain: digits, signs, a decimal point and an
// exponent letter.
inline constexpr std::string_view kDecimalNumberCharacters = "0123456789+-.eE";

// Returns the value of `text` if it is a finite decimal number as a user writes one in a
// configuration or on the command line ("0.01", "-3", "1e-3"), or nullopt. Unlike strtod it
// rejects leading or trailing white space, hexadecimal forms ("0x10"), "inf", "nan", and
// magnitudes outside the range of double.
std::optional<double> parse_decimal_number(std::string_view text);

// Returns the strings of `parts` (any range of std::string) in order, with ", " between them.
template <typename Range>
std::string join(const Range& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

}  // namespace rpusim
