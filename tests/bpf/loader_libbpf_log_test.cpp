// SPDX-License-Identifier: Apache-2.0
// LibbpfMessages: what libbpf and the verifier said ends up in the summary an
// exception carries, with the verifier log cut to the lines that matter.
#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>

#include <vector>

#include "dataplane/embedded_object.h"
#include "dataplane/libbpf_log.h"
#include "loader_support.h"

namespace nwbpf {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class LoaderLibbpfLog : public test::NamespacedTest {
 protected:
  // Loads the embedded object with xdp_edge's first instruction turned into
  // a context read far out of bounds (the program keeps its length, so its
  // BTF line info stays valid), the other programs off. Returns what
  // LibbpfMessages collected.
  std::string load_rejected() {
    auto bytes = nwbpf_embedded_object();
    std::string pins = bpffs_ + "/log";
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "nwbpf", .pin_root_path = pins.c_str());
    bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), &opts);
    if (!obj) throw std::runtime_error("cannot open the embedded object");
    bpf_program* prog;
    bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, false);
    prog = bpf_object__find_program_by_name(obj, "xdp_edge");
    bpf_program__set_autoload(prog, true);
    std::vector<bpf_insn> insns(bpf_program__insns(prog),
                                bpf_program__insns(prog) + bpf_program__insn_cnt(prog));
    insns[0] = {BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 9999,
                0};  // r2 = *(u32 *)(r1 + 9999)
    bpf_program__set_insns(prog, insns.data(), insns.size());
    LibbpfMessages messages(true);
    int err = bpf_object__load(obj);
    bpf_object__close(obj);
    EXPECT_NE(err, 0);
    return messages.summary();
  }
};

TEST_F(LoaderLibbpfLog, VerifierRejectionIsInTheSummary) {
  std::string said = load_rejected();
  EXPECT_THAT(said, StartsWith("prog 'xdp_edge': BPF program load failed: Permission denied\n"
                               "prog 'xdp_edge': -- BEGIN PROG LOAD LOG --\n"));
  EXPECT_THAT(said, HasSubstr("invalid bpf_context access off=9999 size=4"));
  EXPECT_THAT(said, HasSubstr("-- END PROG LOAD LOG --\n"));
  EXPECT_THAT(said, EndsWith("failed to load object 'nwbpf'"));
}

TEST(VerifierLogExcerpt, KeepsTheProgramLineAndTheLastLines) {
  std::string log = "prog 'p': -- BEGIN PROG LOAD LOG --";
  for (int i = 0; i < 30; ++i) log += "\n" + std::to_string(i) + ": insn";
  log += "\nR0 !read_ok\n-- END PROG LOAD LOG --";
  EXPECT_EQ(verifier_log_excerpt(log, 4),
            "prog 'p': -- BEGIN PROG LOAD LOG --\n...\n28: insn\n29: insn\nR0 !read_ok\n-- END "
            "PROG LOAD LOG --");
  // Short logs stay whole.
  EXPECT_EQ(verifier_log_excerpt(log, 40), log);
  EXPECT_EQ(verifier_log_excerpt("one line", 4), "one line");
}

TEST_F(LoaderLibbpfLog, ScopesNestAndEndWithTheirLifetime) {
  LibbpfMessages outer(true);
  {
    LibbpfMessages inner(true);
    bpf_object__open_file((dir_ + "/missing.o").c_str(), nullptr);
    EXPECT_THAT(inner.summary(), HasSubstr("missing.o"));
  }
  EXPECT_EQ(outer.summary(), "");
  bpf_object__open_file((dir_ + "/gone.o").c_str(), nullptr);
  EXPECT_THAT(outer.summary(), HasSubstr("gone.o"));
}

}  // namespace
}  // namespace nwbpf
