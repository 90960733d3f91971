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
using ::testing::Not;
using ::testing::StartsWith;

constexpr bpf_insn mov_r1(int imm) { return {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, imm}; }
constexpr bpf_insn kExit = {BPF_JMP | BPF_EXIT, 0, 0, 0, 0};

class LoaderLibbpfLog : public test::NamespacedTest {
 protected:
  // Loads the embedded object with xdp_edge's code replaced by `insns` (which
  // never set r0, so the verifier rejects them) and the other programs off.
  std::string load_rejected(const std::vector<bpf_insn>& insns) {
    auto bytes = nwbpf_embedded_object();
    std::string pins = bpffs_ + "/log";
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "nwbpf", .pin_root_path = pins.c_str());
    bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), &opts);
    if (!obj) throw std::runtime_error("cannot open the embedded object");
    bpf_program* prog;
    bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, false);
    prog = bpf_object__find_program_by_name(obj, "xdp_edge");
    bpf_program__set_autoload(prog, true);
    bpf_program__set_insns(prog, const_cast<bpf_insn*>(insns.data()), insns.size());
    LibbpfMessages messages(true);
    int err = bpf_object__load(obj);
    bpf_object__close(obj);
    EXPECT_NE(err, 0);
    return messages.summary();
  }
};

TEST_F(LoaderLibbpfLog, VerifierRejectionIsInTheSummary) {
  std::string said = load_rejected({kExit});
  EXPECT_THAT(said, StartsWith("prog 'xdp_edge': BPF program load failed: Permission denied\n"));
  EXPECT_THAT(said, HasSubstr("prog 'xdp_edge': -- BEGIN PROG LOAD LOG --\n"));
  EXPECT_THAT(said, HasSubstr("R0 !read_ok"));
  EXPECT_THAT(said, EndsWith("failed to load object 'nwbpf'"));
}

TEST_F(LoaderLibbpfLog, LongVerifierLogKeepsItsLastLines) {
  std::vector<bpf_insn> insns;
  for (int i = 0; i < 50; ++i) insns.push_back(mov_r1(1000 + i));
  insns.push_back(kExit);
  std::string said = load_rejected(insns);
  EXPECT_THAT(said, HasSubstr("prog 'xdp_edge': -- BEGIN PROG LOAD LOG --\n...\n"));
  EXPECT_THAT(said, Not(HasSubstr("0: (b7) r1 = 1000")));  // the first instructions are cut
  EXPECT_THAT(said, HasSubstr("49: (b7) r1 = 1049"));      // the last ones stay, with the verdict
  EXPECT_THAT(said, HasSubstr("R0 !read_ok"));
  EXPECT_THAT(said, HasSubstr("-- END PROG LOAD LOG --"));
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
