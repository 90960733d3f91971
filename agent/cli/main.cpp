// SPDX-License-Identifier: Apache-2.0
// nwbpf: the operator's view of an nwbpf node (see app.h).
#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) { return nwbpf::cli::run(argc, argv, std::cout, std::cerr); }
