// test-sound-placement.cpp — where a source's sound lands in a mix that holds
// it (mv/analysis/sound-placement.hpp), on a real song: found to a fraction of
// a millisecond under other sound, and nothing claimed for a source that is
// not in the mix, for silence or for a pure tone.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <vector>

#include "mv/analysis/sound-placement.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace {

constexpr int kRate = 48000;
constexpr std::size_t kBlock = 1024;  // OBS's block, both for a source and for the mix
constexpr std::uint64_t kStartNs = 5'000'000'000'000ULL;

/// `seconds` of the sample song from `from_s`, 48 kHz stereo interleaved.
std::vector<float> song(double from_s, double seconds) {
  const std::filesystem::path path = mvtest::sample_dir() / "chaos-god.ogg";
  EXPECT_TRUE(std::filesystem::exists(path)) << "no sample song: scripts/fetch-sample.sh fetches it (the test command runs it)";
  std::vector<float> all, chunk;
  mv::AudioReader reader(path, kRate, 2, from_s, seconds);
  while (reader.read(chunk)) {
    all.insert(all.end(), chunk.begin(), chunk.end());
    chunk.clear();
  }
  return all;
}

std::uint64_t ns_of(std::int64_t samples) { return static_cast<std::uint64_t>(samples * 1000000000LL / kRate); }

/// Feeds `source` (stereo interleaved) as a source sends it, block by block from kStartNs, and
/// a mix that plays it `delay` samples later at `gain` over `other` (stereo, played as it
/// is) in the mix's own blocks, which start `mix_phase` samples after the source's and reach
/// OBS 200 ms after they sound; measures once a second. Returns every measurement made.
std::vector<std::optional<std::int64_t>> run(const std::vector<float>& source, const std::vector<float>& other, std::int64_t delay,
                                             float gain, std::int64_t mix_phase = 144) {
  mv::SoundPlacement placement(kRate);
  const auto frames = static_cast<std::int64_t>(source.size() / 2);
  std::vector<float> block(kBlock * 2);
  std::int64_t mixed = 0;  // mix samples added (from kStartNs + mix_phase)
  std::vector<std::optional<std::int64_t>> out;
  std::int64_t next_measure = kRate;
  for (std::int64_t at = 0; at + static_cast<std::int64_t>(kBlock) <= frames; at += static_cast<std::int64_t>(kBlock)) {
    placement.add_source(source.data() + at * 2, 2, kBlock, kStartNs + ns_of(at));
    // The mix blocks that have sounded 200 ms ago by now.
    while (mix_phase + mixed + static_cast<std::int64_t>(kBlock) + kRate / 5 <= at + static_cast<std::int64_t>(kBlock)) {
      for (std::size_t j = 0; j < kBlock; ++j) {
        const std::int64_t t = mix_phase + mixed + static_cast<std::int64_t>(j);  // source samples since kStartNs
        const std::int64_t from = t - delay;
        const float l = from >= 0 && from < frames ? source[static_cast<std::size_t>(from) * 2] : 0.0F;
        const float r = from >= 0 && from < frames ? source[static_cast<std::size_t>(from) * 2 + 1] : 0.0F;
        const std::size_t o = other.empty() ? 0 : static_cast<std::size_t>(t % static_cast<std::int64_t>(other.size() / 2)) * 2;
        block[2 * j] = gain * l + (other.empty() ? 0.0F : 0.5F * other[o]);
        block[2 * j + 1] = gain * r + (other.empty() ? 0.0F : 0.5F * other[o + 1]);
      }
      placement.add_mix(block.data(), 2, kBlock, kStartNs + ns_of(mix_phase + mixed));
      mixed += static_cast<std::int64_t>(kBlock);
    }
    if (at >= next_measure) {
      out.push_back(placement.measure());
      next_measure += kRate;
    }
  }
  return out;
}

}  // namespace

// A media source whose sound OBS's mix moved later (it ran short at a tick, or
// restarted), under other sound (a microphone, a game) and at a lower volume:
// every measurement once there is enough audio gives the delay to 0.2 ms.
TEST(SoundPlacement, FindsHowMuchLaterTheMixPlaysASongUnderOtherSound) {
  const std::vector<float> source = song(40.0, 8.0), other = song(120.0, 8.0);
  for (const std::int64_t delay : {std::int64_t{1791}, std::int64_t{0}, std::int64_t{-480}, std::int64_t{9000}}) {
    const auto measured = run(source, other, delay, 0.4F);
    ASSERT_GE(measured.size(), 6U);
    int found = 0;
    for (std::size_t i = 1; i < measured.size(); ++i) {  // the first second: not yet enough of the mix
      ASSERT_TRUE(measured[i].has_value()) << "delay " << delay << " samples, measurement " << i;
      EXPECT_NEAR(static_cast<double>(*measured[i]) / 1e6, static_cast<double>(delay) * 1000.0 / kRate, 0.2) << "delay " << delay;
      ++found;
    }
    EXPECT_GE(found, 5);
  }
}

// The real-OBS sync test's click track (80 Hz + 1.5 kHz, 25 ms decay, every 0.5 s): a tonal
// sound whose correlation peaks again 1.3 ms away; measured every time all the same.
TEST(SoundPlacement, FindsHowMuchLaterTheMixPlaysAClickTrack) {
  std::vector<float> clicks(static_cast<std::size_t>(8 * kRate) * 2, 0.0F);
  for (std::size_t from = 0; from < clicks.size() / 2; from += kRate / 2) {
    for (std::size_t i = 0; i < kRate * 6 / 100 && from + i < clicks.size() / 2; ++i) {
      const double t = static_cast<double>(i) / kRate;
      const double v = (0.6 * std::sin(2 * M_PI * 80 * t) + 0.4 * std::sin(2 * M_PI * 1500 * t)) * std::exp(-t * 40);
      clicks[(from + i) * 2] = clicks[(from + i) * 2 + 1] = static_cast<float>(v);
    }
  }
  const auto measured = run(clicks, {}, 1024, 1.0F);
  ASSERT_GE(measured.size(), 6U);
  for (std::size_t i = 1; i < measured.size(); ++i) {
    ASSERT_TRUE(measured[i].has_value()) << "measurement " << i;
    EXPECT_NEAR(static_cast<double>(*measured[i]) / 1e6, 1024 * 1000.0 / kRate, 0.2);
  }
}

// Nothing is claimed when the source is not in the mix (a source on another
// track, or muted in OBS's mixer), when it is silent, or when it holds one
// pure tone (every period would fit).
TEST(SoundPlacement, ClaimsNothingForASoundNotInTheMixSilenceOrAPureTone) {
  const std::vector<float> source = song(40.0, 6.0), other = song(120.0, 6.0);
  for (const auto& m : run(source, other, 1791, 0.0F)) EXPECT_FALSE(m.has_value()) << *m;
  const std::vector<float> silence(source.size(), 0.0F);
  for (const auto& m : run(silence, other, 1791, 1.0F)) EXPECT_FALSE(m.has_value()) << *m;
  std::vector<float> tone(source.size());
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = 0.3F * static_cast<float>(std::sin(2.0 * M_PI * 440.0 * static_cast<double>(i / 2) / kRate));
  for (const auto& m : run(tone, {}, 1791, 1.0F)) EXPECT_FALSE(m.has_value()) << *m;
}

TEST(SoundPlacement, ARateOutOfRangeIsAUsageError) {
  try {
    mv::SoundPlacement bad(4000);
    FAIL() << "accepted 4000 Hz";
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Usage);
  }
}
