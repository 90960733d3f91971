// SPDX-License-Identifier: Apache-2.0
// `nwbpf config import`: the seed's nante-wan.conf printed as TOML that
// loads back, errors as file:line:col lines with exit 1, and its --help.
#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "config/config.h"

namespace nwbpf::cli {
namespace {

using testing::run_nwbpf;

constexpr const char* kSeed = NWBPF_SOURCE_DIR "/config/nante-wan/nante-wan.conf";

TEST(CliConfigImport, PrintsTomlThatLoadsBack) {
  auto r = run_nwbpf({"config", "import", kSeed});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(r.out.starts_with(std::string("# nwbpf config imported from ") + kSeed)) << r.out;
  Config loaded = parse_config(r.out, "imported.toml");
  EXPECT_EQ(loaded.node.overlay_address, *Ipv4::parse("10.0.0.10"));
  ASSERT_TRUE(loaded.fetch && loaded.fetch->portconfig);
  EXPECT_EQ(loaded.fetch->portconfig->json_url_prefix, "http://10.0.0.100/portconfig");

  // nwbpfd takes the file as it is, too; check names what it leaves unused.
  auto check = run_nwbpf({"config", "check", kSeed});
  EXPECT_EQ(check.code, 0);
  EXPECT_TRUE(check.out.starts_with(std::string(kSeed) +
                                    ":27: routing.dmvpn_interface: not used: nwbpf needs no GRE"))
      << check.out;
  EXPECT_EQ(check.out.find("ipsec_secret"), std::string::npos)
      << "ipsec_secret is used: it turns encryption on\n"
      << check.out;
  EXPECT_TRUE(check.out.ends_with("\n" + std::string(kSeed) + ": OK\n")) << check.out;
}

TEST(CliConfigImport, ErrorsAreFileLineLinesAndExitOne) {
  auto missing = run_nwbpf({"config", "import", "/nonexistent/nante-wan.conf"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "/nonexistent/nante-wan.conf: cannot open: No such file or directory\n");

  // Not INI at all: every line is reported.
  auto toml = run_nwbpf({"config", "import", NWBPF_SOURCE_DIR "/config/ce1.toml"});
  EXPECT_EQ(toml.code, 1);
  EXPECT_EQ(toml.out, "");
  EXPECT_NE(toml.err.find(NWBPF_SOURCE_DIR "/config/ce1.toml:"), std::string::npos) << toml.err;
  EXPECT_EQ(toml.err.find("nwbpf: "), std::string::npos) << "config errors name their file";
}

TEST(CliConfigImport, Help) {
  auto config = run_nwbpf({"config", "--help"});
  EXPECT_EQ(config.code, 0);
  EXPECT_NE(config.out.find("import"), std::string::npos) << config.out;
  auto help = run_nwbpf({"config", "import", "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* s : {"Usage: nwbpf config import [OPTIONS] FILE", "FILE TEXT REQUIRED",
                        "nante-wan.conf", "dmvpn_addr is one of its rr_addr*"})
    EXPECT_NE(help.out.find(s), std::string::npos) << s << "\n" << help.out;
  EXPECT_EQ(run_nwbpf({"config", "import"}).code, 2);
}

}  // namespace
}  // namespace nwbpf::cli
