#include "models/common/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rpusim {
namespace {

TEST(TextProblem, AcceptsUtf8Text) {
  EXPECT_EQ(text_problem("mnist-mlp"), "");
  EXPECT_EQ(text_problem("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "");  // é, €, an emoji
  EXPECT_EQ(text_problem(""), "");
}

TEST(TextProblem, RejectsInvalidUtf8) {
  EXPECT_EQ(text_problem("caf\xE9"), "byte 0xE9 is not valid UTF-8 at offset 3");
  EXPECT_EQ(text_problem("\xC0\xAF"), "byte 0xC0 is not valid UTF-8 at offset 0");  // overlong
  EXPECT_EQ(text_problem("a\xED\xA0\x80"),
            "byte 0xED is not valid UTF-8 at offset 1");  // surrogate
  EXPECT_EQ(text_problem("\xF4\x90\x80\x80"),
            "byte 0xF4 is not valid UTF-8 at offset 0");                          // > U+10FFFF
  EXPECT_EQ(text_problem("ab\xC3"), "byte 0xC3 is not valid UTF-8 at offset 2");  // cut short
}

TEST(TextProblem, RejectsControlCharacters) {
  EXPECT_EQ(text_problem("a\x1b[31m"), "control character 0x1B at offset 1");
  EXPECT_EQ(text_problem("a\nb"), "control character 0x0A at offset 1");
  EXPECT_EQ(text_problem("tab\there"), "control character 0x09 at offset 3");
  EXPECT_EQ(text_problem("x\x7F"), "control character 0x7F at offset 1");
  EXPECT_EQ(text_problem("x\xC2\x9B"), "control character U+009B at offset 1");  // C1 CSI
  EXPECT_EQ(text_problem("a\xE2\x80\xAE"), "control character U+202E at offset 1");  // RLO
  EXPECT_EQ(text_problem("\xE2\x80\xA8"), "control character U+2028 at offset 0");
  EXPECT_EQ(text_problem("\xE2\x81\xA9x"), "control character U+2069 at offset 0");
  EXPECT_EQ(text_problem("\xE2\x80\xA7\xE2\x81\xAA"), "");  // U+2027 and U+206A are text
}

TEST(TextFileProblem, NamesLineAndColumn) {
  EXPECT_EQ(text_file_problem("a: 1\r\n\tb: 2\n"), "");
  EXPECT_EQ(text_file_problem("a: 1\nname: caf\xE9\n"), "2:10: byte 0xE9 is not valid UTF-8");
  EXPECT_EQ(text_file_problem(std::string("a\nb\nc\0", 6)), "3:2: control character 0x00");
}

TEST(EscapedText, WritesControlsAndInvalidBytesOut) {
  EXPECT_EQ(escaped_text("plain caf\xC3\xA9"), "plain caf\xC3\xA9");
  EXPECT_EQ(escaped_text("a\nb\tc"), "a\\nb\\tc");
  EXPECT_EQ(escaped_text("\x1b[31mred"), "\\x1B[31mred");
  EXPECT_EQ(escaped_text("caf\xE9"), "caf\\xE9");
  EXPECT_EQ(escaped_text("x\xC2\x9By"), "x\\xC2\\x9By");
  const std::string right_to_left_override = "\xE2\x80\xAE";
  EXPECT_EQ(escaped_text("a" + right_to_left_override + "b"), "a\\xE2\\x80\\xAEb");
  EXPECT_EQ(text_problem(escaped_text("\xFF\x01\xC2\x85\t")), "");
}

TEST(ParseDecimalNumber, AcceptsDecimalForms) {
  EXPECT_EQ(parse_decimal_number("0.01"), 0.01);
  EXPECT_EQ(parse_decimal_number("-3"), -3.0);
  EXPECT_EQ(parse_decimal_number("+1e-3"), 1e-3);
  EXPECT_EQ(parse_decimal_number("2E2"), 200.0);
  EXPECT_EQ(parse_decimal_number(".5"), 0.5);
}

TEST(ParseDecimalNumber, RejectsWhatStrtodWouldRead) {
  for (const char* text : {"", " 3", "  3", "3 ", "\t3", "0x10", "0x1p-4", "inf", "-inf", "nan",
                           "NAN", "1e400", "1e-400", "1,5", "3abc", "-", "e5", "1e"}) {
    EXPECT_FALSE(parse_decimal_number(text).has_value()) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace rpusim
