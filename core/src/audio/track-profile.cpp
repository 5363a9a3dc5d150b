// track-profile.cpp — what each audio track holds (see track-profile.hpp).
#include "mv/audio/track-profile.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "mv/analysis/analysis.hpp"
#include "mv/audio/mix.hpp"
#include "mv/base/error.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

constexpr int kRate = kAnalysisRate;        // mono 22050 Hz
constexpr double kWholeUpToS = 120.0;       // tracks up to this long are read whole
constexpr int kWindows = 8;                 // else this many windows…
constexpr double kWindowS = 15.0;           // …of this length, spread over the track
constexpr double kSoundingDb = -50.0;       // a 10 ms step "sounds" above this level
constexpr double kSpeechShare = 0.25;       // speech: this share of the sounding time voiced
constexpr double kMusicLevel = 0.18;        // music: a pulse clarity at least this…
constexpr double kSteadyMusicLevel = 0.13;  // …or this, when the sound is continuous:
constexpr double kMaxLowEnergy = 0.15;      // at most this share of low-energy frames

/// The pieces of a track to read: [start, length) in s.
std::vector<std::pair<double, double>> windows_of(double duration_s) {
  if (!(duration_s > kWholeUpToS)) return {{0.0, duration_s > 0.0 ? duration_s : kWholeUpToS}};
  std::vector<std::pair<double, double>> w;
  w.reserve(kWindows);
  const double gap = (duration_s - kWindowS) / (kWindows - 1);
  for (int i = 0; i < kWindows; ++i) w.emplace_back(i * gap, kWindowS);
  return w;
}

/// The q-quantile (0..1) of `v`; 0 when empty.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const auto k = static_cast<std::ptrdiff_t>(std::lround(q * static_cast<double>(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

/// Pulse clarity of each 6 s window (hop 3 s) of an onset envelope that
/// sounds: the unbiased autocorrelation of the mean-removed envelope,
/// normalised by its value at lag 0, taken at the beat period L in 0.3–1.0 s
/// where it is highest, averaged with its values at 2L and 3L (each at least
/// 0) — a comb over the beat's multiples, as tempo estimators score a period
/// (Scheirer 1998; Percival & Tzanetakis 2014): music keeps its pulse over
/// the bar, speech and effects repeat once at most.
std::vector<double> pulse_clarity(const Features& f) {
  const double hop = f.hop_s;
  const auto n = static_cast<std::ptrdiff_t>(std::lround(6.0 / hop));
  const auto step = static_cast<std::ptrdiff_t>(std::lround(3.0 / hop));
  const auto lag0 = static_cast<std::ptrdiff_t>(std::lround(0.3 / hop)), lag1 = static_cast<std::ptrdiff_t>(std::lround(1.0 / hop));
  const auto hops = static_cast<std::ptrdiff_t>(f.onset_envelope.size());
  const double quiet = std::pow(10.0, kSoundingDb / 20.0);
  std::vector<double> clarity;
  for (std::ptrdiff_t a = 0; a + n <= hops; a += step) {
    double rms = 0.0;
    for (std::ptrdiff_t i = a; i < a + n; ++i) rms += f.rms[static_cast<std::size_t>(i)];
    if (rms / static_cast<double>(n) < quiet) continue;  // a silent stretch says nothing
    std::vector<double> e(static_cast<std::size_t>(n));
    for (std::ptrdiff_t i = 0; i < n; ++i) e[static_cast<std::size_t>(i)] = f.onset_envelope[static_cast<std::size_t>(a + i)];
    const double mean = std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(n);
    for (double& x : e) x -= mean;
    const auto r = [&](std::ptrdiff_t lag) {
      double sum = 0.0;
      for (std::ptrdiff_t i = 0; i + lag < n; ++i) sum += e[static_cast<std::size_t>(i)] * e[static_cast<std::size_t>(i + lag)];
      return sum / static_cast<double>(n - lag);
    };
    const double r0 = r(0);
    if (r0 <= 1e-12) continue;
    std::ptrdiff_t period = lag0;
    double best = -1.0;
    for (std::ptrdiff_t lag = lag0; lag <= lag1; ++lag) {
      const double v = r(lag);
      if (v > best) best = v, period = lag;
    }
    clarity.push_back((best + std::max(0.0, r(2 * period)) + std::max(0.0, r(3 * period))) / (3.0 * r0));
  }
  return clarity;
}

/// Scheirer & Slaney's "percentage of low-energy frames" ("Construction and
/// evaluation of a robust multifeature speech/music discriminator", ICASSP
/// 1997): over each second that sounds, the share of 50 ms frames whose RMS is
/// under half the second's mean RMS; speech (pauses between syllables and
/// words) is high, music (continuous) low. The mean over the seconds.
double low_energy_share(const std::vector<float>& mono) {
  const auto frame = static_cast<std::size_t>(kRate / 20);
  const double quiet = std::pow(10.0, kSoundingDb / 20.0);
  double sum = 0.0;
  int seconds = 0;
  for (std::size_t a = 0; a + 20 * frame <= mono.size(); a += 20 * frame) {
    std::array<double, 20> rms{};
    double mean = 0.0;
    for (std::size_t k = 0; k < 20; ++k) {
      double e = 0.0;
      for (std::size_t i = a + k * frame; i < a + (k + 1) * frame; ++i) e += static_cast<double>(mono[i]) * mono[i];
      rms[k] = std::sqrt(e / static_cast<double>(frame));
      mean += rms[k] / 20.0;
    }
    if (mean < quiet) continue;
    sum += static_cast<double>(std::count_if(rms.begin(), rms.end(), [&](double r) { return r < 0.5 * mean; })) / 20.0;
    ++seconds;
  }
  return seconds > 0 ? sum / seconds : 1.0;
}

/// The 100 ms energy envelope (mean square) of mono samples.
std::vector<double> energy_envelope(const std::vector<float>& mono) {
  const auto block = static_cast<std::size_t>(kRate / 10);
  std::vector<double> out;
  for (std::size_t a = 0; a + block <= mono.size(); a += block) {
    double e = 0.0;
    for (std::size_t i = a; i < a + block; ++i) e += static_cast<double>(mono[i]) * mono[i];
    out.push_back(e / static_cast<double>(block));
  }
  return out;
}

/// How well `target` is a non-negative sum of `parts` (equal lengths, cut to
/// the shortest): least squares with w ≥ 0 by cyclic coordinate descent
/// (Lawson & Hanson's problem; 200 sweeps suffice for six tracks). Returns R²
/// of the fit (1 − residual / variance of the target) and, in `shares`, each
/// part's share of the target's mean (w_j × mean(part_j) / mean(target)).
double nonnegative_fit(const std::vector<double>& target, const std::vector<const std::vector<double>*>& parts,
                       std::vector<double>& shares) {
  std::size_t n = target.size();
  for (const auto* p : parts) n = std::min(n, p->size());
  shares.assign(parts.size(), 0.0);
  if (n < 10 || parts.empty()) return 0.0;
  std::vector<double> w(parts.size(), 0.0), residual(target.begin(), target.begin() + static_cast<std::ptrdiff_t>(n));
  for (int sweep = 0; sweep < 200; ++sweep) {
    for (std::size_t j = 0; j < parts.size(); ++j) {
      const auto& x = *parts[j];
      double xr = 0.0, xx = 0.0;
      for (std::size_t i = 0; i < n; ++i) xr += x[i] * residual[i], xx += x[i] * x[i];
      if (xx <= 0.0) continue;
      const double next = std::max(0.0, w[j] + xr / xx);
      const double d = next - w[j];
      if (d == 0.0) continue;
      for (std::size_t i = 0; i < n; ++i) residual[i] -= d * x[i];
      w[j] = next;
    }
  }
  double mean = 0.0;
  for (std::size_t i = 0; i < n; ++i) mean += target[i];
  mean /= static_cast<double>(n);
  double var = 0.0, res = 0.0;
  for (std::size_t i = 0; i < n; ++i) var += (target[i] - mean) * (target[i] - mean), res += residual[i] * residual[i];
  for (std::size_t j = 0; j < parts.size(); ++j) {
    double m = 0.0;
    for (std::size_t i = 0; i < n; ++i) m += (*parts[j])[i];
    shares[j] = mean > 0.0 ? w[j] * m / static_cast<double>(n) / mean : 0.0;
  }
  return var > 0.0 ? 1.0 - res / var : 0.0;
}

/// One track read and measured; its energy envelope kept for the mix test.
struct Measured {
  TrackProfile profile;
  std::vector<double> envelope;
};

Measured measure(const fs::path& path, const AudioTrack& track, const CancelToken* cancel) {
  Measured m;
  m.profile.track = track;
  std::vector<double> clarity;
  std::size_t steps = 0, sounding = 0;
  double voiced = 0.0, low_energy = 0.0;
  int pieces = 0;
  for (const auto& [start, length] : windows_of(track.duration_s)) {
    if (cancel != nullptr) cancel->throw_if_requested();
    AudioReader reader(path, kRate, 1, start, length, track.number);
    std::vector<float> mono, chunk;
    while (reader.read(chunk)) {
      mono.insert(mono.end(), chunk.begin(), chunk.end());
      chunk.clear();
    }
    if (mono.size() < static_cast<std::size_t>(kRate)) continue;
    FeatureExtractor extractor;
    extractor.push(mono.data(), mono.size());
    const Features f = extractor.finish();
    const std::vector<double> c = pulse_clarity(f);
    clarity.insert(clarity.end(), c.begin(), c.end());
    const auto hop = static_cast<std::size_t>(kRate / 100);
    for (std::size_t a = 0; a + hop <= mono.size(); a += hop) {
      double e = 0.0;
      for (std::size_t i = a; i < a + hop; ++i) e += static_cast<double>(mono[i]) * mono[i];
      ++steps;
      if (10.0 * std::log10(e / static_cast<double>(hop) + 1e-20) > kSoundingDb) ++sounding;
    }
    voiced += find_voice(mono, kRate).voiced_s();
    low_energy += low_energy_share(mono);
    ++pieces;
    const std::vector<double> env = energy_envelope(mono);
    m.envelope.insert(m.envelope.end(), env.begin(), env.end());
  }
  TrackProfile& p = m.profile;
  p.sounding = steps > 0 ? static_cast<double>(sounding) / static_cast<double>(steps) : 0.0;
  const double sounding_s = static_cast<double>(sounding) * 0.01;
  p.speech = sounding_s > 0.0 ? std::min(1.0, voiced / sounding_s) : 0.0;
  p.music = std::clamp(quantile(clarity, 0.75), 0.0, 1.0);
  const bool speech = p.speech >= kSpeechShare;
  const bool continuous = pieces > 0 && low_energy / pieces <= kMaxLowEnergy;
  const bool music = p.music >= kMusicLevel || (p.music >= kSteadyMusicLevel && continuous && !speech);
  if (p.sounding < 0.05) {
    p.content = TrackContent::Silent;
  } else if (speech && music) {
    p.content = TrackContent::Both;
  } else {
    p.content = speech ? TrackContent::Speech : (music ? TrackContent::Music : TrackContent::Other);
  }
  return m;
}

std::string label(const TrackProfile& p) {
  return "track " + std::to_string(p.track.number) + " \"" + track_label(p.track) + "\"";
}

}  // namespace

const char* track_content_id(TrackContent content) {
  switch (content) {
    case TrackContent::Silent: return "silent";
    case TrackContent::Speech: return "speech";
    case TrackContent::Music: return "music";
    case TrackContent::Both: return "both";
    case TrackContent::Other: return "other";
  }
  return "other";
}

nlohmann::json TrackProfile::to_json() const {
  const auto r3 = [](double v) { return std::round(v * 1000.0) / 1000.0; };
  return {{"number", track.number}, {"name", track.name},           {"channels", track.channels},
          {"duration_s", r3(track.duration_s)}, {"content", track_content_id(content)},
          {"speech", r3(speech)}, {"music", r3(music)}, {"mix", mix}};
}

std::vector<TrackProfile> profile_tracks(const fs::path& path, const MediaInfo& info, const CancelToken* cancel) {
  std::vector<Measured> measured;
  measured.reserve(info.audio_tracks.size());
  for (const auto& t : info.audio_tracks) measured.push_back(measure(path, t, cancel));
  // A mix: its energy is a sum of two or more other sounding tracks' energies (R² ≥ 0.9, each ≥ 5 % of it).
  for (std::size_t i = 0; i < measured.size() && measured.size() >= 3; ++i) {
    if (measured[i].profile.content == TrackContent::Silent) continue;
    std::vector<const std::vector<double>*> parts;
    for (std::size_t j = 0; j < measured.size(); ++j) {
      if (j != i && measured[j].profile.content != TrackContent::Silent) parts.push_back(&measured[j].envelope);
    }
    std::vector<double> shares;
    const double r2 = nonnegative_fit(measured[i].envelope, parts, shares);
    const auto contributing = std::count_if(shares.begin(), shares.end(), [](double s) { return s >= 0.05; });
    TrackProfile& mix = measured[i].profile;
    mix.mix = r2 >= 0.9 && contributing >= 2;
    if (!mix.mix) continue;
    // A mix holds what its parts hold: speech and music heard under each other.
    bool speech = mix.content == TrackContent::Speech || mix.content == TrackContent::Both;
    bool music = mix.content == TrackContent::Music || mix.content == TrackContent::Both;
    for (std::size_t k = 0, j = 0; j < measured.size(); ++j) {
      if (j == i || measured[j].profile.content == TrackContent::Silent) continue;
      if (shares[k++] < 0.05) continue;
      const TrackContent c = measured[j].profile.content;
      speech = speech || c == TrackContent::Speech || c == TrackContent::Both;
      music = music || c == TrackContent::Music || c == TrackContent::Both;
    }
    if (speech || music) mix.content = speech && music ? TrackContent::Both : (speech ? TrackContent::Speech : TrackContent::Music);
  }
  std::vector<TrackProfile> out;
  out.reserve(measured.size());
  for (auto& m : measured) out.push_back(std::move(m.profile));
  return out;
}

int music_track(const std::vector<TrackProfile>& tracks, const MediaInfo& info) {
  if (tracks.size() <= 1) return tracks.empty() ? info.best_audio_track : tracks.front().track.number;
  const TrackProfile* best = nullptr;
  for (const auto& t : tracks) {
    if (t.mix || t.content != TrackContent::Music) continue;
    if (best == nullptr || t.music > best->music) best = &t;
  }
  if (best != nullptr) return best->track.number;
  for (const auto& t : tracks) {
    if (t.mix) return t.track.number;
  }
  return info.best_audio_track;
}

int music_track_of(const fs::path& path, const CancelToken* cancel) {
  const MediaInfo info = probe_media(path);
  if (info.audio_tracks.size() <= 1) return 0;
  return music_track(profile_tracks(path, info, cancel), info);
}

SoundChoice soundtrack_tracks(const std::vector<TrackProfile>& tracks, int forced) {
  SoundChoice c;
  if (forced > 0) {
    c.keep = {forced};
    c.speech = {forced};
    c.note = "the clip's sound from track " + std::to_string(forced) + " (--audio-track)";
    return c;
  }
  if (tracks.size() <= 1) {
    if (!tracks.empty()) c.keep = c.speech = {tracks.front().track.number};
    return c;
  }
  std::string kept, ducked, replaced;
  const auto add = [](std::string& list, const TrackProfile& t) { list += (list.empty() ? "" : ", ") + label(t); };
  for (const auto& t : tracks) {
    if (t.mix || t.content == TrackContent::Silent) continue;
    if (t.content == TrackContent::Music) {
      c.replaced.push_back(t.track.number);
      add(replaced, t);
      continue;
    }
    c.keep.push_back(t.track.number);
    add(kept, t);
    if (t.content == TrackContent::Speech || t.content == TrackContent::Both) {
      c.speech.push_back(t.track.number);
      add(ducked, t);
    }
  }
  if (c.keep.empty()) {  // only a mix (and music): the mix is the clip's sound
    for (const auto& t : tracks) {
      if (t.mix) {
        c.keep = c.speech = {t.track.number};
        kept = ducked = label(t);
        break;
      }
    }
  }
  if (c.keep.empty()) {
    c.keep = c.speech = {tracks.front().track.number};
    kept = ducked = label(tracks.front());
  }
  c.note = "the clip's sound: " + kept + (ducked.empty() ? "; no speech to duck under" : "; the music ducks under the speech of " + ducked) +
           (replaced.empty() ? "" : "; " + replaced + " is music: the new music replaces it");
  return c;
}

}  // namespace mv
