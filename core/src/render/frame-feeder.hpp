// frame-feeder.hpp — turns the analysis into per-frame drawing inputs
// (FrameInfo), frame by frame: band levels mapped through the recent range of
// the song (AutoGain, as the live source) and smoothed (fast attack, slow
// release), loudness, the waveform's gain, band groups, and the beat,
// downbeat, onset and section events on frame round(t · fps). Used by
// generate() and render_preview().
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "layers.hpp"
#include "mv/analysis/auto-gain.hpp"

namespace mv {

namespace feeder_detail {
/// Band index of a frequency (Hz) on the analysis band scale.
inline int band_of(double hz) {
  const double b = kBandCount * std::log(hz / 40.0) / std::log(11025.0 / 40.0);
  return std::clamp(static_cast<int>(b), 0, kBandCount - 1);
}

}  // namespace feeder_detail

/// Turns the analysis into per-frame drawing inputs (FrameInfo), frame by frame.
class FrameFeeder {
 public:
  /// `a`: the song's analysis (its features' band bytes and RMS per hop); `fps` > 0; `intensity` as FrameInfo's.
  FrameFeeder(const Analysis& a, double fps, double intensity) : a_(a), fps_(fps) {
    // The live source's auto-gain (AutoGain: a loudness envelope, each band through its
    // range over the last ~10 s relative to it), primed with the song's first 10 s so the
    // first frame is already gained; one range per 43-hop block, read after its last hop.
    const Features& f = a.features;
    const std::size_t hops = f.hops();
    AutoGain gain;
    const auto block = static_cast<std::size_t>(kAutoGainBlockHops);
    const std::size_t prime = std::min(hops, static_cast<std::size_t>(kAutoGainMemoryS / f.hop_s)) / block * block;
    for (std::size_t h = 0; h < prime; ++h) gain.add_hop(&f.bands[h * kBandCount], f.rms[h]);
    ranges_.reserve(hops / block + 1);
    for (std::size_t h = 0; h < hops; ++h) {
      gain.add_hop(&f.bands[h * kBandCount], f.rms[h]);
      if ((h + 1) % block == 0) ranges_.push_back(gain.range());
    }
    if (hops % block != 0 || hops == 0) {
      if (!gain.range().ready) gain.read();  // a song shorter than one block
      ranges_.push_back(gain.range());
    }
    for (double b : a.beats) beat_frames_.push_back(std::llround(b * fps));
    for (double d : a.downbeats) downbeat_frames_.push_back(std::llround(d * fps));
    for (double o : a.onsets) onset_frames_.push_back(std::llround(o * fps));
    release_ = static_cast<float>(std::pow(0.5, 1.0 / (fps * 0.1)));
    info_.fps = fps;
    info_.intensity = intensity;
    info_.beat_period_s = a.tempo_bpm > 0 ? 60.0 / a.tempo_bpm : 0.5;
  }

  FrameInfo& next(std::int64_t k) {
    FrameInfo& f = info_;
    const Features& feat = a_.features;
    f.index = k;
    f.time_s = static_cast<double>(k) / fps_;
    // Bands: max over the hops this frame covers, then attack/release smoothing.
    const auto h0 = static_cast<std::size_t>(std::max(0.0, (f.time_s - 0.5 / fps_) / feat.hop_s));
    const auto h1 = std::min(feat.hops(), static_cast<std::size_t>((f.time_s + 0.5 / fps_) / feat.hop_s) + 1);
    const AutoGainRange& range = ranges_[std::min(h0 / static_cast<std::size_t>(kAutoGainBlockHops), ranges_.size() - 1)];
    for (int b = 0; b < kBandCount; ++b) {
      std::uint8_t v = 0;
      for (std::size_t h = h0; h < h1; ++h) v = std::max(v, feat.bands[h * kBandCount + static_cast<std::size_t>(b)]);
      const auto bi = static_cast<std::size_t>(b);
      auto& s = f.bands[bi];
      s = std::max(AutoGain::band_level(range, bi, v), s * release_);
    }
    double rms = 0.0;
    for (std::size_t h = h0; h < h1; ++h) rms = std::max(rms, static_cast<double>(feat.rms[h]));
    f.level = std::max(AutoGain::loudness(range, rms), f.level * release_);
    wave_gain_ = AutoGain::wave_gain(range);
    auto group = [&](int lo, int hi) {
      float s = 0.0f;
      for (int b = lo; b <= hi; ++b) s += f.bands[static_cast<std::size_t>(b)];
      return s / static_cast<float>(hi - lo + 1);
    };
    f.bass = group(0, feeder_detail::band_of(250.0));
    f.mid = group(feeder_detail::band_of(250.0) + 1, feeder_detail::band_of(2000.0));
    f.treble = group(feeder_detail::band_of(2000.0) + 1, kBandCount - 1);
    // Beat, downbeat and onset events land on frame round(t · fps).
    f.beat_frame = advance(beat_frames_, beat_pos_, k);
    f.downbeat_frame = advance(downbeat_frames_, downbeat_pos_, k);
    advance(onset_frames_, onset_pos_, k);
    f.beat_index = static_cast<std::int64_t>(beat_pos_) - 1;
    f.beat_pulse = pulse(beat_frames_, beat_pos_, k, 0.12);
    f.bar_pulse = pulse(downbeat_frames_, downbeat_pos_, k, 0.25);
    f.onset_pulse = pulse(onset_frames_, onset_pos_, k, 0.06);
    f.beat_age_s = age(beat_frames_, beat_pos_, k);
    f.downbeat_age_s = age(downbeat_frames_, downbeat_pos_, k);
    // Section.
    const std::size_t before = f.section;
    while (f.section + 1 < a_.sections.size() && a_.sections[f.section + 1].start_s <= f.time_s + 0.5 / fps_) ++f.section;
    f.section_start = f.section != before;
    f.section_energy = a_.sections.empty() ? 1.0 : a_.sections[f.section].energy;
    // Section changes land on frame round(start · fps), as the switch above.
    auto frame_of = [this](double s) { return static_cast<double>(std::llround(s * fps_)) / fps_; };
    const double now = static_cast<double>(k) / fps_;
    f.section_age_s = f.section == 0 ? 1e9 : now - frame_of(a_.sections[f.section].start_s);
    f.next_section_in_s = f.section + 1 < a_.sections.size() ? frame_of(a_.sections[f.section + 1].start_s) - now : 1e9;
    return f;
  }

  /// The factor for the waveform of the frame next() returned last (AutoGain::wave_gain()).
  [[nodiscard]] float wave_gain() const { return wave_gain_; }

 private:
  /// Moves `pos` past events at or before frame k; true if one is exactly at k.
  static bool advance(const std::vector<std::int64_t>& frames, std::size_t& pos, std::int64_t k) {
    bool hit = false;
    while (pos < frames.size() && frames[pos] <= k) hit = frames[pos++] == k || hit;
    return hit;
  }
  double age(const std::vector<std::int64_t>& frames, std::size_t pos, std::int64_t k) const {
    return pos == 0 ? 1e9 : static_cast<double>(k - frames[pos - 1]) / fps_;
  }
  float pulse(const std::vector<std::int64_t>& frames, std::size_t pos, std::int64_t k, double tau) const {
    return static_cast<float>(std::exp(-age(frames, pos, k) / tau));
  }

  const Analysis& a_;
  double fps_;
  std::vector<AutoGainRange> ranges_;  ///< per 43-hop block (at least one)
  float wave_gain_ = 1.0f;
  float release_ = 0.9f;
  std::vector<std::int64_t> beat_frames_, downbeat_frames_, onset_frames_;
  std::size_t beat_pos_ = 0, downbeat_pos_ = 0, onset_pos_ = 0;
  FrameInfo info_;
};


}  // namespace mv
