// SPDX-License-Identifier: Apache-2.0
// The `nwbpf` command line: the CLI11 command tree and the one place errors
// become output. Takes streams, not std::cout/cerr, so tests run it whole.
#pragma once

#include <ostream>

namespace nwbpf::cli {

// Exit status: 0 success (and --help), 1 the command failed (one line per
// problem on err, prefixed "nwbpf: " unless it is a config error that
// already names its file), 2 the command line itself is wrong.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace nwbpf::cli
