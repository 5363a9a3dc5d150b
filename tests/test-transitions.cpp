// test-transitions.cpp — the looks' transitions at section changes (issue 10,
// point 5): each of crossfade, zoom, whip and flash changes the frames only
// around the section's first frame (a downbeat), with its strongest moment
// within one frame of it; a look without one draws the same frames as before.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

/// Mean absolute difference of two grey frames.
double difference(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b) {
  return mvtest::frame_differences({a, b})[1];
}

class Transitions : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new mvtest::TempDir();
    // Soft clicks for 16 s, then loud drums: one section change near 16 s.
    auto soft = mvtest::synth_rhythm(mvtest::Rhythm::Click, 120, 16.0, 44100, nullptr);
    for (auto& x : soft) x *= 0.1f;
    const auto loud = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 16.0, 44100, nullptr);
    soft.insert(soft.end(), loud.begin(), loud.end());
    mvtest::write_wav(*dir_ / "two-parts.wav", soft, 44100, 1);
    const fs::path looks = *dir_ / "config" / "obs-music-video" / "looks";
    fs::create_directories(looks);
    for (const char* t : {"none", "crossfade", "zoom", "whip", "flash"}) {
      std::ofstream(looks / (std::string("t-") + t + ".json"))
          << R"({"name": "t-)" << t << R"(", "description": "bars with a transition", "visualizer": "bars",
                "transition": ")" << t << R"(", "title": "none"})";
    }
    const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " +
                                      shell_quote((*dir_ / "two-parts.wav").string()) + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto sections = nlohmann::json::parse(r.output).at("sections");
    ASSERT_GE(sections.size(), 2u);
    change_s_ = sections[1].at("start_s").get<double>();
  }
  static void TearDownTestSuite() { delete dir_; }

  /// The grey 64×36 frames of the song rendered with look t-`name`, 320x180.
  static std::vector<std::vector<unsigned char>> render(const std::string& name) {
    const fs::path out = *dir_ / (name + ".mp4");
    const auto r = mvtest::run_command("XDG_CONFIG_HOME=" + shell_quote((*dir_ / "config").string()) + " " +
                                       shell_quote(mvtest::mvgen_path()) + " generate " +
                                       shell_quote((*dir_ / "two-parts.wav").string()) + " -o " + shell_quote(out.string()) +
                                       " --look t-" + name + " --size 320x180 --preset ultrafast --crf 8 --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return mvtest::grey_frames(out, 64, 36);
  }

  static mvtest::TempDir* dir_;
  static double change_s_;
};

mvtest::TempDir* Transitions::dir_ = nullptr;
double Transitions::change_s_ = 0.0;

TEST_F(Transitions, EachActsAroundTheSectionChangeOnlyAndPeaksOnItsFirstFrame) {
  ASSERT_NEAR(change_s_, 16.0, 2.0);
  const auto plain = render("none");
  ASSERT_GT(plain.size(), 900u);
  const auto k = static_cast<std::size_t>(std::llround(change_s_ * 30.0));  // the section's first frame
  for (const std::string t : {"crossfade", "zoom", "whip", "flash"}) {
    SCOPED_TRACE(t);
    const auto with = render(t);
    ASSERT_EQ(with.size(), plain.size());
    // What the transition adds: the difference from the same look without one.
    std::vector<double> effect(with.size());
    for (std::size_t i = 0; i < with.size(); ++i) effect[i] = difference(with[i], plain[i]);
    if (t == "whip") {
      // It pans out over the frames before the change: the fastest, most
      // displaced frame is the section's first.
      const auto peak = static_cast<std::size_t>(std::max_element(effect.begin(), effect.end()) - effect.begin());
      EXPECT_LE(peak <= k ? k - peak : peak - k, 1u) << "peak at frame " << peak << ", section at " << k;
      EXPECT_GT(effect[peak], 4.0);
    } else {
      // The others start on the section's first frame, not a frame early or late.
      EXPECT_LT(effect[k - 1], 0.5) << "frame before the change";
      EXPECT_GT(effect[k], 4.0) << "the change's frame";
    }
    EXPECT_LT(effect[k + 20], 0.5) << "over within 20 frames";
    // Nothing changes a second away from the change.
    for (std::size_t i = 0; i < with.size(); ++i) {
      if (i + 30 < k || i > k + 30) {
        ASSERT_LT(effect[i], 0.5) << "frame " << i;
      }
    }
  }
}

}  // namespace
