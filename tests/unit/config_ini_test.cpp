// SPDX-License-Identifier: Apache-2.0
// The INI reader under nante-wan.conf: configparser's syntax rules, each
// error with its line and column, and configparser's view of a section
// ([DEFAULT] inheritance, interpolation).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/ini_reader.h"

namespace nwbpf::config {
namespace {

// "line:col: path: message" per problem, in the order found.
std::string format(const std::vector<IniProblem>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += std::to_string(p.at.line) + ":" + std::to_string(p.at.column) + ": " +
           (p.path.empty() ? "" : p.path + ": ") + p.message + "\n";
  return out;
}

// Parses text that must have no syntax problem.
IniFile parse_ok(std::string_view text) {
  std::vector<IniProblem> problems;
  IniFile file = IniFile::parse(text, problems);
  EXPECT_EQ(format(problems), "") << text;
  return file;
}

std::string problems_of(std::string_view text) {
  std::vector<IniProblem> problems;
  IniFile::parse(text, problems);
  return format(problems);
}

// "key=value" per entry of a section (interpolated), and the problems.
std::string entries_of(IniFile& file, size_t section, std::string* problems_out = nullptr) {
  std::vector<IniProblem> problems;
  std::string out;
  for (const auto& e : file.entries(file.sections().at(section), problems))
    out += e.key + "=" + e.value + (e.inherited ? " (DEFAULT)" : "") + "\n";
  if (problems_out)
    *problems_out = format(problems);
  else
    EXPECT_EQ(format(problems), "");
  return out;
}

TEST(ConfigIni, SectionsKeysAndBothDelimiters) {
  IniFile file = parse_ok(
      "[general]\n"
      "dmvpn_addr\t= 10.0.0.10\n"
      "Mixed_Case: a value : with colons = and equals  \n"
      "[Routing]\n"
      "  indented = first key line may be indented\n"
      "empty =\n");
  ASSERT_EQ(file.sections().size(), 2u);
  const auto& general = file.sections()[0];
  EXPECT_EQ(general.name, "general");
  EXPECT_EQ(general.at.line, 1u);
  ASSERT_EQ(general.values.size(), 2u);
  EXPECT_EQ(general.values[0].key, "dmvpn_addr");
  EXPECT_EQ(general.values[0].raw, "10.0.0.10");
  EXPECT_EQ(general.values[0].at.line, 2u);
  EXPECT_EQ(general.values[0].at.column, 14u);  // after "dmvpn_addr\t= "
  EXPECT_EQ(general.values[0].key_at.column, 1u);
  // Keys are lower-cased; the first '=' or ':' splits.
  EXPECT_EQ(general.values[1].key, "mixed_case");
  EXPECT_EQ(general.values[1].raw, "a value : with colons = and equals");
  // Section names keep their case.
  EXPECT_EQ(file.sections()[1].name, "Routing");
  EXPECT_EQ(file.sections()[1].values[0].key, "indented");
  EXPECT_EQ(file.sections()[1].values[0].key_at.column, 3u);
  // An empty value sits just past its delimiter.
  EXPECT_EQ(file.sections()[1].values[1].raw, "");
  EXPECT_EQ(file.sections()[1].values[1].at.column, 8u);
}

TEST(ConfigIni, CommentsAreWholeLinesOnly) {
  IniFile file = parse_ok(
      "# comment\n"
      "; comment\n"
      "[s]\n"
      "   # indented comment\n"
      "a = 1 # not a comment: configparser has no inline comments by default\n"
      "b = 2 ; neither\n");
  const auto& values = file.sections()[0].values;
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].raw, "1 # not a comment: configparser has no inline comments by default");
  EXPECT_EQ(values[1].raw, "2 ; neither");
}

TEST(ConfigIni, ContinuationLines) {
  IniFile file = parse_ok(
      "[s]\n"
      "a = one\n"
      "  two\n"
      "# a comment inside the value is skipped\n"
      "\n"
      "\tthree\n"
      "\n"
      "\n"
      "b = next\n"
      "c =\n"
      "  starts on the next line\n");
  const auto& values = file.sections()[0].values;
  ASSERT_EQ(values.size(), 3u);
  // A blank line inside the value stays (empty_lines_in_values), trailing
  // blank lines do not.
  EXPECT_EQ(values[0].raw, "one\ntwo\n\nthree");
  EXPECT_EQ(values[1].raw, "next");
  EXPECT_EQ(values[2].raw, "\nstarts on the next line");
  // A line indented no deeper than the key starts a new key.
  IniFile same_indent = parse_ok("[s]\n  a = 1\n  b = 2\n");
  EXPECT_EQ(same_indent.sections()[0].values.size(), 2u);
}

TEST(ConfigIni, CrLfLineEndings) {
  IniFile file = parse_ok("[s]\r\na = 1\r\n");
  EXPECT_EQ(file.sections()[0].values[0].raw, "1");
}

TEST(ConfigIni, HeaderNameRunsToTheLastBracket) {
  IniFile file = parse_ok("[a]b] trailing text is ignored, as configparser does\n");
  EXPECT_EQ(file.sections()[0].name, "a]b");
}

TEST(ConfigIni, DefaultIsInheritedByEverySection) {
  IniFile file = parse_ok(
      "[DEFAULT]\n"
      "br_interface = bridge\n"
      "bind_port = 1\n"
      "[portconfig]\n"
      "bind_port = 8080\n"
      "[ebconfig]\n"
      "json_url_prefix = x\n"
      "[DEFAULT]\n"
      "timeout = 5\n");
  EXPECT_EQ(file.defaults().at.line, 1u);
  EXPECT_EQ(file.defaults().values.size(), 3u) << "a second [DEFAULT] adds to the first";
  // Own keys first in file order, then [DEFAULT]'s that are not overridden.
  EXPECT_EQ(entries_of(file, 0),
            "bind_port=8080\nbr_interface=bridge (DEFAULT)\ntimeout=5 (DEFAULT)\n");
  EXPECT_EQ(entries_of(file, 1),
            "json_url_prefix=x\nbr_interface=bridge (DEFAULT)\nbind_port=1 (DEFAULT)\n"
            "timeout=5 (DEFAULT)\n");
}

TEST(ConfigIni, Interpolation) {
  IniFile file = parse_ok(
      "[DEFAULT]\n"
      "server = 10.0.0.100\n"
      "[portconfig]\n"
      "prefix = /portconfig\n"
      "json_url_prefix = http://%(SERVER)s%(prefix)s\n"
      "literal = 100%% sure\n"
      "chain = %(json_url_prefix)s/x\n");
  EXPECT_EQ(entries_of(file, 0),
            "prefix=/portconfig\n"
            "json_url_prefix=http://10.0.0.100/portconfig\n"
            "literal=100% sure\n"
            "chain=http://10.0.0.100/portconfig/x\n"
            "server=10.0.0.100 (DEFAULT)\n");
  EXPECT_TRUE(file.referenced("DEFAULT", "server"));
  EXPECT_TRUE(file.referenced("portconfig", "prefix"));
  EXPECT_TRUE(file.referenced("portconfig", "json_url_prefix"));
  EXPECT_FALSE(file.referenced("portconfig", "literal"));
}

TEST(ConfigIni, InterpolationErrorsAreAtTheValue) {
  IniFile file = parse_ok(
      "[DEFAULT]\n"
      "bad = 50%\n"
      "[s]\n"
      "missing = %(nowhere)s\n"
      "open = %(name\n"
      "nos = %(name)d\n"
      "loop = %(loop)s\n"
      "fine = ok\n"
      "[t]\n");
  std::vector<IniProblem> problems;
  std::string fine;
  for (const auto& e : file.entries(file.sections()[0], problems)) fine += e.key + "=" + e.value;
  EXPECT_EQ(fine, "fine=ok");
  EXPECT_EQ(format(problems),
            "4:11: s.missing: %(nowhere)s: no key \"nowhere\" in [s] or [DEFAULT]\n"
            "5:8: s.open: bad interpolation \"%(name\" (expected %(key)s)\n"
            "6:7: s.nos: bad interpolation \"%(name)d\" (expected %(key)s)\n"
            "7:8: s.loop: interpolation deeper than 10 levels (does a %(key)s refer back to "
            "itself?)\n"
            "2:7: s.bad: '%' must be followed by '%' or '(' (write %% for a '%')\n");
  // An inherited value that fails is reported once, not per section.
  file.entries(file.sections()[1], problems);
  EXPECT_EQ(problems.size(), 5u);
}

TEST(ConfigIni, SyntaxErrorsWithLineAndColumn) {
  EXPECT_EQ(problems_of("a = 1\n"),
            "1:1: a key before any [section] header (a file starts with one, e.g. [general])\n");
  EXPECT_EQ(problems_of("[s]\n  just words\n"),
            "2:3: expected \"key = value\", \"key: value\", a [section] header or a comment, found "
            "\"just words\"\n");
  EXPECT_EQ(problems_of("[s]\n= 1\n: 2\n"), "2:1: no key before '='\n3:1: no key before ':'\n");
  EXPECT_EQ(problems_of("[s]\nkey = 1\nKEY = 2\n"),
            "3:1: s.key: key is already at line 2 (keys are case-insensitive)\n");
  EXPECT_EQ(problems_of("[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n"),
            "4:1: DEFAULT.a: key is already at line 2 (keys are case-insensitive)\n");
  // The repeated section's keys are not reported again.
  EXPECT_EQ(problems_of("[s]\na = 1\n [s]\n[s]\na = 2\n"),
            "4:1: [s]: section is already at line 1\n");
  // An indented line after a blank one still continues a value.
  IniFile continued = parse_ok("[s]\na = 1\n\n [s]\n");
  EXPECT_EQ(continued.sections()[0].values[0].raw, "1\n\n[s]");
  EXPECT_EQ(problems_of("[]\n"), "1:1: empty section name\n");
  // Every problem, not just the first.
  EXPECT_EQ(problems_of("x\n[s]\ny\nz\n"),
            "1:1: a key before any [section] header (a file starts with one, e.g. [general])\n"
            "3:1: expected \"key = value\", \"key: value\", a [section] header or a comment, found "
            "\"y\"\n"
            "4:1: expected \"key = value\", \"key: value\", a [section] header or a comment, found "
            "\"z\"\n");
}

TEST(ConfigIni, EmptyFileHasNoSections) {
  IniFile file = parse_ok("");
  EXPECT_TRUE(file.sections().empty());
  EXPECT_TRUE(file.defaults().values.empty());
}

}  // namespace
}  // namespace nwbpf::config
