// live-analyzer.cpp — see live-analyzer.hpp.
#include "mv/analysis/live-analyzer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <optional>

#include "live-beats.hpp"
#include "mv/analysis/auto-gain.hpp"
#include "mv/base/error.hpp"
#include "mv/media/resampler.hpp"
#include "spectral-frame.hpp"

namespace mv {

namespace {

constexpr double kHopS = static_cast<double>(kHopSize) / kAnalysisRate;
constexpr std::int64_t kBlockHops = kAutoGainBlockHops;  ///< ~0.5 s: section steps, as the auto-gain's
constexpr std::size_t kSectionHalf = 8;  ///< blocks on each side of the section novelty (4 s)
constexpr double kMinSectionS = 12.0;

/// First band index at or above `hz` (band b starts at 40 · (11025/40)^(b/48) Hz).
int band_at(double hz) {
  return std::clamp(static_cast<int>(std::floor(kBandCount * std::log(hz / 40.0) / std::log(11025.0 / 40.0))), 0, kBandCount);
}

/// The band a frequency falls in (the renderer's band groups, FrameFeeder's band_of).
int band_of(double hz) { return std::clamp(band_at(hz), 0, kBandCount - 1); }

}  // namespace

struct LiveAnalyzer::Impl {
  LiveAnalyzerOptions opt;
  int rate = 0, channels = 0;
  std::optional<Resampler> resampler;  ///< to kAnalysisRate, when the input has another rate
  std::vector<float> mono;
  // The mono kAnalysisRate stream, padded with kFftSize / 2 zeros in front so hop h is
  // centred on h · hop_s (as the offline extractor): pending[0] is padded sample pending_base.
  std::vector<float> pending;
  std::int64_t pending_base = 0, next_hop = 0, pushed = 0;
  SpectralFrame spectrum;
  LiveBeatTracker beats;
  // The input-rate mono samples of the recent past, for FrameInfo::waveform: wave[0] is sample wave_base.
  std::vector<float> wave;
  std::int64_t wave_base = 0;
  // Per-frame inputs gathered from the hops since the last frame.
  std::array<std::uint8_t, kBandCount> new_bands{}, last_bands{};
  float new_rms = 0.0f, last_rms = 0.0f;
  bool have_new = false, onset_now = false;
  // Auto-gain.
  AutoGain gain;
  // Onsets: the raw flux of the last second and its decaying peak.
  std::vector<float> flux;
  float flux_peak = 1e-6f;
  double last_onset_s = -1.0;
  // Sections: per 0.5 s block, the band profile and the RMS.
  std::array<double, kBandCount> block_sum{};
  double block_rms = 0.0;
  std::vector<std::array<double, kBandCount + 1>> blocks;  // profile, then level (dB)
  std::vector<double> novelty;
  double pending_section_s = -1.0, section_start_s = 0.0;
  std::int64_t section_frame = 0;
  std::vector<double> section_rms_sum, section_hops;
  // Output.
  FrameInfo info;
  std::int64_t last_k = -1, beat_frame = -1, downbeat_frame = -1, onset_frame = -1;
  float release = 0.9f;
  std::vector<double> beat_times, downbeat_times, section_times;
  std::vector<LiveBeatTracker::Beat> emitted;

  Impl(int sample_rate, int ch, const LiveAnalyzerOptions& o) : opt(o), rate(sample_rate), channels(ch), beats(o.min_bpm, o.max_bpm) {
    if (rate < 8000 || rate > 384000) throw Error(ErrorCode::Usage, "live analysis: sample rate " + std::to_string(rate) + " Hz is out of range (8000-384000)");
    if (channels < 1 || channels > 8) throw Error(ErrorCode::Usage, "live analysis: " + std::to_string(channels) + " channels is out of range (1-8)");
    if (!(opt.fps > 0.0 && opt.fps <= 240.0)) throw Error(ErrorCode::Usage, "live analysis: the frame rate must be above 0 and at most 240");
    if (rate != kAnalysisRate) resampler.emplace(rate, 1, kAnalysisRate, 1);
    pending.assign(kFftSize / 2, 0.0f);
    release = static_cast<float>(std::pow(0.5, 1.0 / (opt.fps * 0.1)));
    info.fps = opt.fps;
    info.intensity = opt.intensity;
    section_rms_sum.push_back(0.0);
    section_hops.push_back(0.0);
  }

  void push(const float* in, std::size_t frames) {
    mono.resize(frames);
    const auto ch = static_cast<std::size_t>(channels);
    for (std::size_t i = 0; i < frames; ++i) {
      float s = 0.0f;
      for (std::size_t c = 0; c < ch; ++c) s += in[i * ch + c];
      mono[i] = s / static_cast<float>(ch);
    }
    pushed += static_cast<std::int64_t>(frames);
    wave.insert(wave.end(), mono.begin(), mono.end());
    const auto keep = static_cast<std::int64_t>(std::max(4.0 * rate / opt.fps, 0.25 * rate));
    if (static_cast<std::int64_t>(wave.size()) > 2 * keep) {
      const auto drop = static_cast<std::int64_t>(wave.size()) - keep;
      wave.erase(wave.begin(), wave.begin() + static_cast<std::ptrdiff_t>(drop));
      wave_base += drop;
    }
    if (resampler) {
      resampler->convert(mono.data(), frames, pending);
    } else {
      pending.insert(pending.end(), mono.begin(), mono.end());
    }
  }

  /// Analyses every hop whose STFT window ends kLiveMarginS before `t` (s) and has arrived.
  void analyse_until(double t) {
    const auto limit = static_cast<std::int64_t>(std::floor((t - kLiveMarginS) * kAnalysisRate + 1e-6));
    const std::int64_t available = pending_base + static_cast<std::int64_t>(pending.size());
    while (next_hop * kHopSize + kFftSize <= available && next_hop * kHopSize + kFftSize / 2 <= limit) {
      hop(pending.data() + (next_hop * kHopSize - pending_base));
      ++next_hop;
    }
    const std::int64_t used = next_hop * kHopSize - pending_base;
    if (used > 8 * kFftSize) {
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(used));
      pending_base += used;
    }
  }

  void hop(const float* frame) {
    spectrum.analyse(frame);
    const auto& db = spectrum.band_db();
    double kick = 0.0;
    static const int kick_top = band_at(200.0);
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) {
      const std::uint8_t v = band_byte(db[b]);
      new_bands[b] = have_new ? std::max(new_bands[b], v) : v;
      last_bands[b] = v;
      if (static_cast<int>(b) < kick_top) kick += v / 255.0;
    }
    const float rms = spectrum.rms();
    new_rms = have_new ? std::max(new_rms, rms) : rms;
    last_rms = rms;
    have_new = true;
    gain.add_hop(last_bands.data(), rms);
    beats.add_hop(spectrum.flux(), static_cast<float>(kick / std::max(1, kick_top)), rms);
    pick_onset(spectrum.flux());
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) block_sum[b] += last_bands[b];
    block_rms += static_cast<double>(rms) * rms;
    section_rms_sum.back() += rms;
    section_hops.back() += 1.0;
    if ((next_hop + 1) % kBlockHops == 0) update_sections();
  }

  /// A hop is an onset when, 30 ms later, it is still the maximum within ±30 ms
  /// and stands 0.06 over the median of the last second (the envelope over its
  /// decaying peak), at least 50 ms after the previous one (as pick_onsets()).
  void pick_onset(float value) {
    static const auto decay = static_cast<float>(std::pow(0.5, kHopS / 10.0));
    flux_peak = std::max(value, flux_peak * decay);
    flux.push_back(value);
    const auto keep = static_cast<std::size_t>(1.0 / kHopS);
    if (flux.size() > 2 * keep) flux.erase(flux.begin(), flux.end() - static_cast<std::ptrdiff_t>(keep));
    constexpr std::size_t r = 3;  // ±30 ms
    if (flux.size() < 2 * r + 1) return;
    const std::size_t c = flux.size() - 1 - r;
    const float v = flux[c];
    if (v <= 0.0f || *std::max_element(flux.begin() + static_cast<std::ptrdiff_t>(c - r), flux.end()) > v) return;
    std::vector<float> recent(flux.size() > keep ? flux.end() - static_cast<std::ptrdiff_t>(keep) : flux.begin(), flux.end());
    auto mid = recent.begin() + static_cast<std::ptrdiff_t>(recent.size() / 2);
    std::nth_element(recent.begin(), mid, recent.end());
    if ((v - *mid) / flux_peak < 0.06f) return;
    const double t = static_cast<double>(next_hop - static_cast<std::int64_t>(r)) * kHopS + kOnsetLatencyS;
    if (last_onset_s >= 0.0 && t - last_onset_s < 0.05) return;
    last_onset_s = t;
    onset_now = true;
  }

  void update_sections() {
    std::array<double, kBandCount + 1> block{};
    double norm = 0.0;
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) norm += block_sum[b] * block_sum[b];
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) block[b] = norm > 0 ? block_sum[b] / std::sqrt(norm) : 0.0;
    block[kBandCount] = 10.0 * std::log10(block_rms / kBlockHops + 1e-12);
    block_sum.fill(0.0);
    block_rms = 0.0;
    blocks.push_back(block);
    if (blocks.size() > 2 * kSectionHalf) blocks.erase(blocks.begin());
    if (blocks.size() < 2 * kSectionHalf) return;
    std::array<double, kBandCount + 1> before{}, after{};
    for (std::size_t i = 0; i < kSectionHalf; ++i) {
      for (std::size_t b = 0; b <= static_cast<std::size_t>(kBandCount); ++b) {
        before[b] += blocks[i][b] / kSectionHalf;
        after[b] += blocks[i + kSectionHalf][b] / kSectionHalf;
      }
    }
    double dot = 0.0, na = 0.0, nb = 0.0;
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) {
      dot += before[b] * after[b];
      na += before[b] * before[b];
      nb += after[b] * after[b];
    }
    const double value = (na > 0 && nb > 0 ? 1.0 - dot / std::sqrt(na * nb) : 0.0) +
                         std::min(1.0, std::fabs(after[kBandCount] - before[kBandCount]) / 12.0) * 0.05;
    const double now = static_cast<double>(next_hop) * kHopS;
    if (novelty.size() >= 20 && pending_section_s < 0.0 && now - section_start_s >= kMinSectionS) {
      const double mean = std::accumulate(novelty.begin(), novelty.end(), 0.0) / static_cast<double>(novelty.size());
      double var = 0.0;
      for (double n : novelty) var += (n - mean) * (n - mean);
      const double sd = std::sqrt(var / static_cast<double>(novelty.size()));
      if (value > mean + 2.5 * sd && value > 0.01) pending_section_s = section_start_time(now);
    }
    novelty.push_back(value);
    if (novelty.size() > 60) novelty.erase(novelty.begin());
  }

  /// When a section decided at `now` starts: the next downbeat (else beat) at
  /// least 0.3 s after the frames already shown, else 0.5 s after them.
  [[nodiscard]] double section_start_time(double now) const {
    const double from = std::max(now, static_cast<double>(last_k) / opt.fps) + 0.3;
    const double tempo = beats.tempo_bpm();
    if (tempo <= 0.0 || beat_times.empty()) return from + 0.2;
    const double period = 60.0 / tempo;
    const double anchor = downbeat_times.empty() ? beat_times.back() : downbeat_times.back();
    const double step = downbeat_times.empty() ? period : 4.0 * period;
    double t = anchor;
    while (t < from) t += step;
    return t;
  }

  const FrameInfo& frame(std::int64_t k) {
    if (k < last_k) throw Error(ErrorCode::Usage, "live analysis: frames must be asked in order");
    FrameInfo& f = info;
    f.index = k;
    f.time_s = static_cast<double>(k) / opt.fps;
    const double half = 0.5 / opt.fps;
    analyse_until(f.time_s);
    fill_levels(f);
    // Beats: those predicted for this frame, shown now.
    emitted.clear();
    beats.emit_until(f.time_s + half, f.time_s - half, emitted);
    f.beat_frame = f.downbeat_frame = false;
    for (const auto& b : emitted) {
      beat_times.push_back(b.time_s);
      beat_frame = k;
      f.beat_frame = true;
      f.beat_index = b.index;
      if (b.downbeat) {
        downbeat_times.push_back(b.time_s);
        downbeat_frame = k;
        f.downbeat_frame = true;
      }
    }
    if (onset_now) onset_frame = k;
    onset_now = false;
    auto age = [&](std::int64_t at) { return at < 0 ? 1e9 : static_cast<double>(k - at) / opt.fps; };
    f.beat_age_s = age(beat_frame);
    f.downbeat_age_s = age(downbeat_frame);
    f.beat_pulse = static_cast<float>(std::exp(-f.beat_age_s / 0.12));
    f.bar_pulse = static_cast<float>(std::exp(-f.downbeat_age_s / 0.25));
    f.onset_pulse = static_cast<float>(std::exp(-age(onset_frame) / 0.06));
    f.beat_period_s = beats.shown_tempo_bpm() > 0.0 ? 60.0 / beats.shown_tempo_bpm() : 0.5;
    fill_section(f);
    fill_waveform(f);
    last_k = k;
    return f;
  }

  void fill_levels(FrameInfo& f) {
    const auto& bands = have_new ? new_bands : last_bands;
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) {
      const float level = AutoGain::band_level(gain.range(), b, bands[b]);
      f.bands[b] = std::max(level, f.bands[b] * release);
    }
    const float target = AutoGain::loudness(gain.range(), have_new ? new_rms : last_rms);
    f.level = std::max(target, f.level * release);
    have_new = false;
    auto group = [&](int lo, int hi) {
      float s = 0.0f;
      for (int b = lo; b <= hi; ++b) s += f.bands[static_cast<std::size_t>(b)];
      return s / static_cast<float>(hi - lo + 1);
    };
    f.bass = group(0, band_of(250.0));
    f.mid = group(band_of(250.0) + 1, band_of(2000.0));
    f.treble = group(band_of(2000.0) + 1, kBandCount - 1);
  }

  void fill_section(FrameInfo& f) {
    f.section_start = false;
    const std::int64_t k = f.index;
    if (pending_section_s >= 0.0 && std::llround(pending_section_s * opt.fps) <= k) {
      ++f.section;
      f.section_start = true;
      section_frame = k;
      section_start_s = f.time_s;
      section_times.push_back(f.time_s);
      pending_section_s = -1.0;
      section_rms_sum.push_back(0.0);
      section_hops.push_back(0.0);
    }
    f.section_age_s = f.section == 0 ? 1e9 : static_cast<double>(k - section_frame) / opt.fps;
    f.next_section_in_s = pending_section_s >= 0.0 ? static_cast<double>(std::llround(pending_section_s * opt.fps) - k) / opt.fps : 1e9;
    double loudest = 0.0;
    for (std::size_t i = 0; i < section_rms_sum.size(); ++i) {
      if (section_hops[i] > 0) loudest = std::max(loudest, section_rms_sum[i] / section_hops[i]);
    }
    const double current = section_hops.back() > 0 ? section_rms_sum.back() / section_hops.back() : 0.0;
    f.section_energy = loudest > 0.0 ? current / loudest : 1.0;
  }

  void fill_waveform(FrameInfo& f) const {
    const auto count = static_cast<std::int64_t>(std::llround(2.0 * rate / opt.fps));
    const auto end = static_cast<std::int64_t>(std::floor(f.time_s * rate + 1e-6));
    const float g = AutoGain::wave_gain(gain.range());
    f.waveform.resize(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t j = end - count + i - wave_base;
      f.waveform[static_cast<std::size_t>(i)] = j >= 0 && j < static_cast<std::int64_t>(wave.size()) ? g * wave[static_cast<std::size_t>(j)] : 0.0f;
    }
  }
};

LiveAnalyzer::LiveAnalyzer(int sample_rate, int channels, const LiveAnalyzerOptions& options)
    : impl_(std::make_unique<Impl>(sample_rate, channels, options)) {}
LiveAnalyzer::~LiveAnalyzer() = default;

void LiveAnalyzer::push(const float* interleaved, std::size_t frames) { impl_->push(interleaved, frames); }
double LiveAnalyzer::pushed_s() const { return static_cast<double>(impl_->pushed) / impl_->rate; }
const FrameInfo& LiveAnalyzer::frame(std::int64_t k) { return impl_->frame(k); }
void LiveAnalyzer::set_intensity(double intensity) {
  impl_->opt.intensity = intensity;
  impl_->info.intensity = intensity;
}
double LiveAnalyzer::tempo_bpm() const { return impl_->beats.shown_tempo_bpm(); }
const std::vector<double>& LiveAnalyzer::beats() const { return impl_->beat_times; }
const std::vector<double>& LiveAnalyzer::downbeats() const { return impl_->downbeat_times; }
const std::vector<double>& LiveAnalyzer::section_starts() const { return impl_->section_times; }

}  // namespace mv
