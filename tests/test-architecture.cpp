// test-architecture.cpp — the shape of core/: every domain includes only the
// domains below it (core/src/<domain>/README.md, core/CMakeLists.txt), and
// third-party libraries stay in the domain that owns them (FFmpeg in media,
// its FFT also in analysis, libcurl in net, libass (and FreeType/fontconfig) in render,
// libebur128 and libqm-dsp in analysis (libebur128 also in audio, for the mix), FluidSynth in
// audio, OpenCV in media).
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mv/jobs/job-spec.hpp"
#include "mv/media/media.hpp"
#include "mv/render/look.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = MV_SOURCE_DIR;

/// The domains each domain may include (itself always allowed).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"base", {}},
    {"media", {"base"}},
    {"analysis", {"base", "media"}},
    {"audio", {"base", "media", "analysis"}},
    {"timeline", {"base"}},
    {"render", {"base", "media", "analysis", "audio", "timeline"}},
    {"net", {"base"}},
    {"cloud", {"base", "net", "timeline"}},
    {"jobs", {"base", "media", "analysis", "audio", "timeline", "render", "net", "cloud"}},
};

/// System headers that only some domains may include: prefix → the domains that own it.
/// FFmpeg's demuxers, decoders, scalers and resamplers are media's; libavutil's FFT
/// (av_tx) is also analysis's spectral front end.
const std::vector<std::pair<std::string, std::set<std::string>>> kOwnedLibraries = {
    {"libavformat", {"media"}},  {"libavcodec", {"media"}},      {"libsw", {"media"}}, {"libavfilter", {"media"}},
    {"libavutil", {"media", "analysis"}}, {"curl/", {"net"}},    {"ft2build", {"render"}},
    {"freetype", {"render"}},    {"fontconfig", {"render"}},     {"ass/ass.h", {"render"}},     {"ebur128", {"analysis", "audio"}},
    {"fluidsynth", {"audio"}},  // the generated soundtracks
    {"dsp/", {"analysis"}},  // libqm-dsp: the second beat tracker
    {"opencv2/", {"media"}},  // OpenCV: faces in the subject scan
};

/// Every source and header file of a domain (private and public).
std::vector<fs::path> files_of(const std::string& domain) {
  std::vector<fs::path> out;
  for (const auto& dir : {kRoot / "core" / "src" / domain, kRoot / "core" / "include" / "mv" / domain}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const auto ext = e.path().extension();
      if (ext == ".cpp" || ext == ".hpp") out.push_back(e.path());
    }
  }
  return out;
}

/// The include lines of a file: {"\"mv/media/media.hpp\"", "<curl/curl.h>", …}.
std::vector<std::string> includes_of(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  static const std::regex kInclude(R"(^\s*#\s*include\s+(["<][^">]+[">]))");
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, kInclude)) out.push_back(m[1]);
  }
  return out;
}

TEST(Architecture, EveryFileOfCoreBelongsToADomain) {
  for (const auto& top : {kRoot / "core" / "src", kRoot / "core" / "include" / "mv"}) {
    for (const auto& e : fs::directory_iterator(top)) {
      if (e.is_directory()) {
        EXPECT_TRUE(kAllowed.count(e.path().filename().string()) == 1) << e.path() << " is not a known domain";
      } else {
        ADD_FAILURE() << e.path() << " lies outside every domain folder";
      }
    }
  }
  for (const auto& [domain, allowed] : kAllowed) {
    EXPECT_TRUE(fs::exists(kRoot / "core" / "src" / domain / "README.md")) << domain << " has no README";
    EXPECT_FALSE(files_of(domain).empty()) << domain;
  }
}

TEST(Architecture, DomainsIncludeOnlyTheDomainsBelowThem) {
  static const std::regex kDomainInclude(R"("mv/([a-z]+)/)");
  int checked = 0;
  for (const auto& [domain, allowed] : kAllowed) {
    for (const auto& file : files_of(domain)) {
      for (const auto& inc : includes_of(file)) {
        ++checked;
        std::smatch m;
        if (!std::regex_search(inc, m, kDomainInclude)) continue;
        const std::string target = m[1];
        EXPECT_TRUE(target == domain || allowed.count(target) == 1)
            << file << " (" << domain << ") includes " << inc << " (" << target << "), a domain it may not use";
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(Architecture, ThirdPartyLibrariesStayInTheirDomain) {
  for (const auto& [domain, allowed] : kAllowed) {
    for (const auto& file : files_of(domain)) {
      for (const auto& inc : includes_of(file)) {
        if (inc.front() != '<') continue;
        for (const auto& [prefix, owners] : kOwnedLibraries) {
          if (inc.compare(1, prefix.size(), prefix) == 0) {
            EXPECT_EQ(owners.count(domain), 1u) << file << " includes " << inc << ", which belongs to " << *owners.begin();
          }
        }
      }
    }
  }
}

TEST(Architecture, FrontEndsUseOnlyPublicHeaders) {
  // cli/ and plugin/ reach core through core/include/mv/<domain>/ only.
  for (const auto& dir : {kRoot / "cli", kRoot / "plugin" / "src"}) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
      for (const auto& inc : includes_of(e.path())) {
        if (inc.front() != '"' || inc.find('/') == std::string::npos) continue;
        EXPECT_EQ(inc.rfind("\"mv/", 0), 0u) << e.path() << " includes " << inc;
      }
    }
  }
}

TEST(Architecture, FrontEndsRepeatNoListOfCore) {
  // Styles, palettes, aspects, kinds and accepted extensions live once, in core
  // (issue 9, point 3): no string literal in cli/ or plugin/ names one of them.
  std::set<std::string> listed(mv::style_names().begin(), mv::style_names().end());
  listed.insert(mv::palette_names().begin(), mv::palette_names().end());
  for (const auto& a : mv::aspects()) listed.insert(a.id);
  for (const auto& k : mv::job_kinds()) listed.insert(k.id);
  for (const auto* list : {&mv::audio_extensions(), &mv::video_extensions(), &mv::image_extensions()}) {
    for (const auto& e : *list) listed.insert(e);
  }
  static const std::regex kLiteral(R"re("([^"\\]*)")re");
  int scanned = 0;
  for (const auto& dir : {kRoot / "cli", kRoot / "plugin" / "src"}) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        const auto comment = line.find("//");
        const std::string code = line.substr(0, comment);
        if (code.find("#include") != std::string::npos) continue;
        // A literal that only looks like a list entry says so: "// not core's list: <why>".
        if (comment != std::string::npos && line.find("not core's list:", comment) != std::string::npos) continue;
        for (std::sregex_iterator it(code.begin(), code.end(), kLiteral), end; it != end; ++it) {
          ++scanned;
          EXPECT_EQ(listed.count((*it)[1]), 0u) << e.path() << ":" << n << " repeats core's list entry \"" << (*it)[1] << "\"";
        }
      }
    }
  }
  EXPECT_GT(scanned, 100);
}

}  // namespace
