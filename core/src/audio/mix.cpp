// mix.cpp — voice activity, ducking and loudness (see mix.hpp).
#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <numeric>

#include "mv/audio/mix.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace {

constexpr double kPi = 3.14159265358979323846;

/// A biquad (RBJ Audio EQ Cookbook, Q = 1/√2: Butterworth), direct form I.
class Biquad {
 public:
  static Biquad high_pass(double hz, int rate) { return make(hz, rate, true); }
  static Biquad low_pass(double hz, int rate) { return make(hz, rate, false); }
  double run(double x) {
    const double y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
    x2_ = x1_;
    x1_ = x;
    y2_ = y1_;
    y1_ = y;
    return y;
  }

 private:
  static Biquad make(double hz, int rate, bool high) {
    const double w = 2.0 * kPi * hz / rate, cw = std::cos(w), alpha = std::sin(w) / (2.0 * std::sqrt(0.5));
    const double a0 = 1.0 + alpha;
    Biquad q;
    q.b0_ = (high ? (1.0 + cw) / 2.0 : (1.0 - cw) / 2.0) / a0;
    q.b1_ = (high ? -(1.0 + cw) : (1.0 - cw)) / a0;
    q.b2_ = q.b0_;
    q.a1_ = -2.0 * cw / a0;
    q.a2_ = (1.0 - alpha) / a0;
    return q;
  }
  double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0, x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

double db(double power) { return 10.0 * std::log10(std::max(power, 1e-12)); }

/// Runs of `flag` shorter than `min_steps` set to !flag (closing gaps or dropping blips).
void drop_short_runs(std::vector<std::uint8_t>& v, std::uint8_t flag, std::size_t min_steps) {
  std::size_t i = 0;
  while (i < v.size()) {
    if (v[i] != flag) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < v.size() && v[j] == flag) ++j;
    const bool inner = i > 0 && j < v.size();  // a gap at the very start or end is not "inside"
    if (j - i < min_steps && (flag == 1 || inner)) std::fill(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(j), static_cast<std::uint8_t>(!flag));
    i = j;
  }
}

struct Ebur128Deleter {
  void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};

/// The brick-wall limiter of normalize_loudness on the whole buffer.
void limit_peaks(Pcm& pcm, double ceiling) {
  const std::size_t frames = pcm.frames();
  const auto ch = static_cast<std::size_t>(pcm.channels);
  const auto look = static_cast<std::size_t>(std::max(1.0, 0.005 * pcm.rate));
  std::vector<float> allowed(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    float peak = 0.0f;
    for (std::size_t c = 0; c < ch; ++c) peak = std::max(peak, std::abs(pcm.samples[i * ch + c]));
    allowed[i] = peak > ceiling ? static_cast<float>(ceiling / peak) : 1.0f;
  }
  // Running minimum over [i, i + look) (a monotonic deque), then the mean of the last `look` minima.
  std::vector<float> minimum(frames);
  std::deque<std::size_t> window;
  for (std::size_t i = frames + look; i-- > 0;) {
    if (i < frames) {
      while (!window.empty() && allowed[window.back()] >= allowed[i]) window.pop_back();
      window.push_back(i);
    }
    while (!window.empty() && window.front() >= i + look) window.pop_front();
    if (i < frames) minimum[i] = window.empty() ? 1.0f : allowed[window.front()];
  }
  const double release = 1.0 - std::exp(-1.0 / (0.08 * pcm.rate));
  double sum = 0.0, gain = 1.0;
  for (std::size_t i = 0; i < frames; ++i) {
    sum += minimum[i];
    if (i >= look) sum -= minimum[i - look];
    const double smooth = i >= look ? sum / static_cast<double>(look) : std::min<double>(minimum[i], sum / static_cast<double>(i + 1));
    gain = std::min(smooth, gain + (1.0 - gain) * release);
    for (std::size_t c = 0; c < ch; ++c) pcm.samples[i * ch + c] = static_cast<float>(pcm.samples[i * ch + c] * gain);
  }
}

void scale(Pcm& pcm, double gain) {
  for (float& s : pcm.samples) s = static_cast<float>(s * gain);
}

}  // namespace

Pcm read_sound(const std::filesystem::path& path, int rate, std::size_t frames, const CancelToken* cancel, int track) {
  Pcm pcm;
  pcm.rate = rate;
  pcm.channels = 2;
  AudioReader reader(path, rate, 2, 0.0, std::nullopt, track);
  std::vector<float> chunk;
  while (pcm.samples.size() < 2 * frames && reader.read(chunk)) {
    if (cancel != nullptr) cancel->throw_if_requested();
    pcm.samples.insert(pcm.samples.end(), chunk.begin(), chunk.end());
    chunk.clear();
  }
  const bool cut = pcm.samples.size() > 2 * frames;
  pcm.samples.resize(2 * frames, 0.0f);
  if (cut) {
    const std::size_t fade = std::min<std::size_t>(frames, static_cast<std::size_t>(rate / 20));
    for (std::size_t i = 0; i < fade; ++i) {
      const auto g = static_cast<float>(static_cast<double>(i) / static_cast<double>(fade));
      pcm.samples[2 * (frames - 1 - i)] *= g;
      pcm.samples[2 * (frames - 1 - i) + 1] *= g;
    }
  }
  return pcm;
}

std::vector<float> mono_of(const Pcm& pcm) {
  const auto ch = static_cast<std::size_t>(pcm.channels);
  std::vector<float> mono(pcm.frames());
  for (std::size_t i = 0; i < mono.size(); ++i) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < ch; ++c) sum += pcm.samples[i * ch + c];
    mono[i] = sum / static_cast<float>(ch);
  }
  return mono;
}

std::vector<std::pair<double, double>> VoiceActivity::intervals() const {
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < voiced.size();) {
    if (voiced[i] == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < voiced.size() && voiced[j] != 0) ++j;
    out.emplace_back(static_cast<double>(i) * step_s, static_cast<double>(j) * step_s);
    i = j;
  }
  return out;
}

double VoiceActivity::voiced_s() const {
  return static_cast<double>(std::count(voiced.begin(), voiced.end(), 1)) * step_s;
}

VoiceActivity find_voice(const std::vector<float>& mono, int rate) {
  VoiceActivity va;
  const auto hop = static_cast<std::size_t>(std::max(1.0, va.step_s * rate));
  const std::size_t steps = mono.size() / hop;
  std::vector<double> band_db(steps), total_db(steps);
  Biquad hp = Biquad::high_pass(300.0, rate), lp = Biquad::low_pass(std::min(3400.0, 0.45 * rate), rate);
  for (std::size_t s = 0; s < steps; ++s) {
    double band = 0.0, total = 0.0;
    for (std::size_t i = s * hop; i < (s + 1) * hop; ++i) {
      const double x = mono[i];
      const double y = lp.run(hp.run(x));
      band += y * y;
      total += x * x;
    }
    band_db[s] = db(band / static_cast<double>(hop));
    total_db[s] = db(total / static_cast<double>(hop));
  }
  va.voiced.assign(steps, 0);
  if (steps == 0) return va;
  std::vector<double> sorted = band_db;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(steps / 10), sorted.end());
  const double floor_db = sorted[steps / 10];
  // The band level's spread over ±200 ms (prefix sums of x and x²).
  constexpr std::size_t kHalf = 20;
  std::vector<double> s1(steps + 1, 0.0), s2(steps + 1, 0.0);
  for (std::size_t s = 0; s < steps; ++s) {
    const double v = std::max(band_db[s], floor_db);
    s1[s + 1] = s1[s] + v;
    s2[s + 1] = s2[s] + v * v;
  }
  for (std::size_t s = 0; s < steps; ++s) {
    const std::size_t a = s > kHalf ? s - kHalf : 0, b = std::min(steps, s + kHalf + 1);
    const auto n = static_cast<double>(b - a);
    const double mean = (s1[b] - s1[a]) / n;
    const double spread = std::sqrt(std::max(0.0, (s2[b] - s2[a]) / n - mean * mean));
    const bool loud = band_db[s] > floor_db + 12.0 && band_db[s] > -55.0;
    const bool speechy = band_db[s] > total_db[s] + db(0.4);
    va.voiced[s] = loud && speechy && spread > 3.0 ? 1 : 0;
  }
  drop_short_runs(va.voiced, 0, static_cast<std::size_t>(0.25 / va.step_s));
  drop_short_runs(va.voiced, 1, static_cast<std::size_t>(0.15 / va.step_s));
  return va;
}

std::vector<float> duck_gain(const VoiceActivity& voice, std::size_t frames, int rate, double depth_db, double attack_s,
                             double release_s) {
  std::vector<float> gain(frames, 1.0f);
  const double low = std::pow(10.0, -depth_db / 20.0);
  const auto ramp = [](double x) { return 0.5 - 0.5 * std::cos(kPi * std::clamp(x, 0.0, 1.0)); };  // 0 → 1
  for (const auto& [start, end] : voice.intervals()) {
    const double from = start - attack_s, to = end + release_s;
    const auto a = static_cast<std::size_t>(std::max(0.0, from * rate));
    const auto b = std::min(frames, static_cast<std::size_t>(std::max(0.0, to * rate)));
    for (std::size_t i = a; i < b; ++i) {
      const double t = static_cast<double>(i) / rate;
      double depth = 1.0;  // 1 = fully ducked
      if (t < start) depth = ramp((t - from) / attack_s);
      if (t > end) depth = 1.0 - ramp((t - end) / release_s);
      gain[i] = std::min(gain[i], static_cast<float>(1.0 - depth * (1.0 - low)));
    }
  }
  return gain;
}

Loudness measure_loudness(const Pcm& pcm) {
  std::unique_ptr<ebur128_state, Ebur128Deleter> st(
      ebur128_init(static_cast<unsigned>(pcm.channels), static_cast<unsigned long>(pcm.rate), EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
  if (!st) throw Error(ErrorCode::Internal, "libebur128 could not start");
  if (ebur128_add_frames_float(st.get(), pcm.samples.data(), pcm.frames()) != EBUR128_SUCCESS) {
    throw Error(ErrorCode::Internal, "libebur128 refused the samples");
  }
  Loudness l;
  double integrated = 0.0;
  if (ebur128_loudness_global(st.get(), &integrated) == EBUR128_SUCCESS && std::isfinite(integrated)) {
    l.integrated_lufs = integrated;
  }
  double peak = 0.0;
  for (unsigned c = 0; c < static_cast<unsigned>(pcm.channels); ++c) {
    double p = 0.0;
    if (ebur128_true_peak(st.get(), c, &p) == EBUR128_SUCCESS) peak = std::max(peak, p);
  }
  l.true_peak_dbtp = peak > 0.0 ? 20.0 * std::log10(peak) : -100.0;
  return l;
}

Loudness normalize_loudness(Pcm& pcm, double target_lufs, double ceiling_dbtp) {
  Loudness l = measure_loudness(pcm);
  if (l.integrated_lufs <= -69.0) return l;  // silence: nothing to bring up
  double ceiling = std::pow(10.0, (ceiling_dbtp - 0.3) / 20.0);  // sample peaks a little under the true-peak ceiling
  for (int round = 0; round < 4; ++round) {
    if (std::abs(l.integrated_lufs - target_lufs) > 0.3) scale(pcm, std::pow(10.0, (target_lufs - l.integrated_lufs) / 20.0));
    limit_peaks(pcm, ceiling);
    l = measure_loudness(pcm);
    const bool loud_ok = std::abs(l.integrated_lufs - target_lufs) <= 0.3;
    const bool peak_ok = l.true_peak_dbtp <= ceiling_dbtp + 0.05;
    if (loud_ok && peak_ok) break;
    if (!peak_ok) ceiling *= std::pow(10.0, (ceiling_dbtp - l.true_peak_dbtp - 0.1) / 20.0);
  }
  if (l.true_peak_dbtp > ceiling_dbtp + 0.05) {  // never over the ceiling, even a little under the loudness
    scale(pcm, std::pow(10.0, (ceiling_dbtp - 0.05 - l.true_peak_dbtp) / 20.0));
    l = measure_loudness(pcm);
  }
  return l;
}

Loudness mix_under(Pcm& sound, const Pcm& music, const VoiceActivity& voice, double below_lu) {
  const std::size_t frames = sound.frames();
  const auto ch = static_cast<std::size_t>(sound.channels);
  if (music.channels != sound.channels || music.rate != sound.rate || music.frames() < frames) {
    throw Error(ErrorCode::Internal, "the music and the sound to mix differ in rate, channels or length");
  }
  const Loudness own = measure_loudness(sound);
  const Loudness bed = measure_loudness(music);
  double level = 1.0;
  if (bed.integrated_lufs > -69.0) {
    const double want = own.integrated_lufs > -60.0 ? own.integrated_lufs - below_lu : kTargetLufs;
    level = std::pow(10.0, (want - bed.integrated_lufs) / 20.0);
  }
  const std::vector<float> duck = duck_gain(voice, frames, sound.rate);
  for (std::size_t i = 0; i < frames; ++i) {
    const auto g = static_cast<float>(level * duck[i]);
    for (std::size_t c = 0; c < ch; ++c) sound.samples[i * ch + c] += g * music.samples[i * ch + c];
  }
  return normalize_loudness(sound, kTargetLufs, kMixCeilingDbtp);
}

}  // namespace mv
