// test-docs.cpp — the README and docs/ say only what exists (issue 26): every
// file they name in `code spans`, every mvgen option, and every function
// (`name()`, `a::b`) is found in the repository; the README stays a front page.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
const fs::path kRoot = MV_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The README and every docs/*.md.
std::vector<fs::path> documents() {
  std::vector<fs::path> out{kRoot / "README.md"};
  for (const auto& e : fs::directory_iterator(kRoot / "docs")) {
    if (e.path().extension() == ".md") out.push_back(e.path());
  }
  return out;
}

/// The `code spans` of a Markdown text, outside ``` fences.
std::vector<std::string> code_spans(const std::string& text) {
  std::vector<std::string> out;
  bool fenced = false;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    for (std::size_t i = line.find('`'); i != std::string::npos;) {
      const auto j = line.find('`', i + 1);
      if (j == std::string::npos) break;
      out.push_back(line.substr(i + 1, j - i - 1));
      i = line.find('`', j + 1);
    }
  }
  return out;
}

/// Every file of the repository's own folders, by name (for spans that give a bare file name).
const std::set<std::string>& file_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> n;
    for (const char* dir : {"core", "cli", "plugin", "tests", "scripts", "data", "cmake", "docs", "fuzz", ".ci"}) {
      if (!fs::exists(kRoot / dir)) continue;
      for (const auto& e : fs::recursive_directory_iterator(kRoot / dir)) n.insert(e.path().filename().string());
    }
    return n;
  }();
  return names;
}

/// All our sources as one text (for names of functions and types).
const std::string& sources() {
  static const std::string all = [] {
    std::string s;
    for (const char* dir : {"core", "cli", "plugin", "tests"}) {
      for (const auto& e : fs::recursive_directory_iterator(kRoot / dir)) {
        const auto ext = e.path().extension();
        if (ext == ".cpp" || ext == ".hpp" || ext == ".py") s += slurp(e.path());
      }
    }
    return s;
  }();
  return all;
}

/// A span that names a file of ours: a path with a known extension or a folder of the repository.
bool names_a_file(const std::string& s) {
  static const std::regex file(R"(^[A-Za-z0-9_.\-/]+\.(cpp|hpp|h|sh|py|md|json|ini|cube|cmake|txt|in|supp)$)");
  static const std::regex folder(R"(^(core|cli|plugin|tests|scripts|data|cmake|docs|fuzz|third_party)/[A-Za-z0-9_.\-/]*$)");
  return std::regex_match(s, file) || std::regex_match(s, folder);
}

bool file_exists(const std::string& s) {
  // Files the programs write on a user's machine (the plugin's and the cloud client's), and the
  // header the build generates from core/version.hpp.in.
  static const std::set<std::string> written = {"settings.json", "jobs.json", "cloud.json", "hotkeys.json", "version.hpp",
                                                "mv/base/version.hpp"};
  if (written.count(s) != 0) return s.find("version") == std::string::npos || fs::exists(kRoot / "core" / "version.hpp.in");
  if (s.find('/') == std::string::npos) return file_names().count(s) != 0;
  for (const fs::path& base : {kRoot, kRoot / "core" / "src", kRoot / "core" / "include" / "mv", kRoot / "core" / "include",
                               kRoot / "tests", kRoot / "plugin", kRoot / "plugin" / "src", kRoot / "docs", kRoot / "data"}) {
    if (fs::exists(base / s)) return true;
  }
  return false;
}

TEST(Docs, EveryFileTheyNameExists) {
  for (const auto& doc : documents()) {
    for (const auto& span : code_spans(slurp(doc))) {
      // Paths of a build, a user's machine or the system, and patterns, are not ours to check.
      if (!names_a_file(span) || span.rfind("build", 0) == 0 || span.rfind("out/", 0) == 0 || span.find('*') != std::string::npos ||
          span.rfind("../", 0) == 0) {
        continue;
      }
      EXPECT_TRUE(file_exists(span)) << doc.filename() << " names `" << span << "`, which does not exist";
    }
  }
}

/// mvgen's options: the keys of the option table in cli/args.cpp.
std::set<std::string> mvgen_options() {
  std::set<std::string> out;
  const std::string args = slurp(kRoot / "cli" / "args.cpp");
  static const std::regex option(R"re(\{"(--[a-z][a-z0-9-]*)",\s*-?\d\})re");
  for (auto it = std::sregex_iterator(args.begin(), args.end(), option); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

TEST(Docs, EveryMvgenOptionTheyNameExists) {
  const auto options = mvgen_options();
  ASSERT_GT(options.size(), 40u) << "the option table of cli/args.cpp was not found";
  static const std::regex token(R"((^|\s)(--[a-z][a-z0-9-]*))");
  for (const auto& doc : documents()) {
    for (const auto& span : code_spans(slurp(doc))) {
      // An mvgen option on its own (`--look NAME`) or in an mvgen command line.
      const bool own = span.rfind("--", 0) == 0, command = span.rfind("mvgen ", 0) == 0;
      if (!own && !command) continue;
      for (auto it = std::sregex_iterator(span.begin(), span.end(), token); it != std::sregex_iterator(); ++it) {
        const std::string o = (*it)[2];
        if (o == "--help" || o == "--version") continue;
        EXPECT_TRUE(options.count(o) != 0) << doc.filename() << " names the mvgen option " << o << " (in `" << span
                                           << "`), which mvgen does not have";
        if (own) break;  // the rest of `--opt VALUE` is the value
      }
    }
  }
}

TEST(Docs, EveryFunctionTheyNameExists) {
  // `name()`, `name(args)`, `a::b`, `a::b()`: the last name must be in our sources.
  static const std::regex call(R"(^(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)\([^()]*\)$)");
  static const std::regex qualified(R"(^(?:[A-Za-z_]\w*::)+([A-Za-z_]\w*)$)");
  for (const auto& doc : documents()) {
    for (const auto& span : code_spans(slurp(doc))) {
      std::smatch m;
      if (!std::regex_match(span, m, call) && !std::regex_match(span, m, qualified)) continue;
      const std::string name = m[1];
      const std::regex word("\\b" + name + "\\b");
      EXPECT_TRUE(std::regex_search(sources(), word)) << doc.filename() << " names `" << span << "`: no " << name
                                                      << " in core/, cli/, plugin/ or tests/";
    }
  }
}

TEST(Docs, TheReadmeIsAFrontPage) {
  const std::string readme = slurp(kRoot / "README.md");
  const auto lines = std::count(readme.begin(), readme.end(), '\n');
  EXPECT_LE(lines, 250) << "README.md has " << lines << " lines: reference material goes to docs/";
  for (const char* doc : {"cli.md", "looks.md", "plugin.md", "cloud.md", "architecture.md", "hardening.md", "benchmark.md"}) {
    EXPECT_TRUE(fs::exists(kRoot / "docs" / doc)) << doc;
    EXPECT_NE(readme.find(std::string("docs/") + doc), std::string::npos) << "the README links docs/" << doc;
  }
}

}  // namespace
