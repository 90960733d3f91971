// SPDX-License-Identifier: Apache-2.0
// GoogleTest fixture over the standard BPF test bench (support/testbed.h):
// every test gets a fresh namespace and data plane.
#pragma once

#include <gtest/gtest.h>

#include "support/testbed.h"

namespace nwbpf::test {

class DataplaneTest : public ::testing::Test, public Testbed {
 protected:
  void SetUp() override { setup(); }
};

}  // namespace nwbpf::test
