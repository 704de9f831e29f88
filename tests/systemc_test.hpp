// Base fixture of the SystemC tests (tests/model, tests/system). A SystemC design can be
// elaborated and simulated once per process, so each TEST must run in a fresh process, as
// ctest does through gtest_discover_tests. Running several TESTs of one executable in one
// process fails here with a message instead of with a SystemC error.
#pragma once

#include <gtest/gtest.h>

#include <systemc>

namespace rpusim::testing {

class SystemCTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* kOneTestPerProcess =
        "a SystemC design elaborates once per process: run each TEST in its own process "
        "(ctest does, or pass --gtest_filter=Suite.Name)";
    ASSERT_EQ(sc_core::sc_get_status(), sc_core::SC_ELABORATION) << kOneTestPerProcess;
    ASSERT_TRUE(sc_core::sc_get_top_level_objects().empty()) << kOneTestPerProcess;
  }
};

}  // namespace rpusim::testing
