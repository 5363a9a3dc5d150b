// track-fit.cpp — the user's music for a clip (see track-fit.hpp). How an
// editor does it by hand: pick a track of the clip's pace and energy, start it
// where a phrase starts, put its downbeats on the cuts, and end it on a
// downbeat — or let the song's own ending close the clip.
#include "track-fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>

#include "grid.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

constexpr double kOnDownbeatS = 0.07;  // a cut this near a downbeat is on it
constexpr double kSpliceS = 0.02;      // the crossfade where a loop jumps back

std::string clock_text(double s) {
  char t[32];
  const int whole = static_cast<int>(std::lround(std::max(0.0, s)));
  std::snprintf(t, sizeof t, "%d:%02d", whole / 60, whole % 60);
  return t;
}

double median_interval(const std::vector<double>& cuts) {
  if (cuts.size() < 2) return 0.0;
  std::vector<double> d;
  for (std::size_t i = 1; i < cuts.size(); ++i) d.push_back(cuts[i] - cuts[i - 1]);
  std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
  return d[d.size() / 2];
}

/// The tempo the clip asks for (BPM) and the energy (0..1), from the mood or the cuts' pace.
std::pair<double, double> wanted_pace(const ClipPace& clip) {
  if (clip.mood) {
    const auto [lo, hi] = mood_tempo_range(*clip.mood);
    static const std::array<double, 5> kEnergy = {0.25, 0.8, 0.75, 0.35, 0.5};  // calm, upbeat, epic, lofi, dark
    return {0.5 * (lo + hi), kEnergy[static_cast<std::size_t>(*clip.mood)]};
  }
  const double m = median_interval(clip.cuts);
  const double x = m <= 0.0 ? 0.5 : std::clamp((m - 1.5) / 2.5, 0.0, 1.0);  // 0 at a cut every 1.5 s, 1 at every 4 s
  const double pace_energy = 0.8 - 0.5 * x;
  return {120.0 - 35.0 * x, clip.motion ? 0.5 * (pace_energy + *clip.motion) : pace_energy};
}

/// The track's energy: its onsets per second, 1/s → 0 … 5/s → 1.
double track_energy(const Analysis& a) {
  if (a.duration_s <= 0.0) return 0.0;
  return std::clamp((static_cast<double>(a.onsets.size()) / a.duration_s - 1.0) / 4.0, 0.0, 1.0);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// Scores one analysed track (rank_tracks's rule) and says why in words.
void score_track(TrackScore& t, const ClipPace& clip, const MediaInfo& info) {
  const Analysis& a = t.analysis;
  const double d = clip.duration_s;
  t.length_fit = a.duration_s >= d ? 1.0 : 0.4 + 0.4 * a.duration_s / d;
  const auto [want_bpm, want_energy] = wanted_pace(clip);
  double closeness = 0.0;
  for (double r : {a.tempo_bpm, a.tempo_bpm / 2.0, a.tempo_bpm * 2.0}) {
    const double l = std::log2(std::max(1.0, r) / want_bpm);
    closeness = std::max(closeness, std::exp(-l * l / (2.0 * 0.2 * 0.2)));
  }
  const double on_grid = clip.cuts.size() >= 2 && a.tempo_bpm > 0.0
                             ? best_phase(clip.cuts, 60.0 / a.tempo_bpm).second / static_cast<double>(clip.cuts.size())
                             : 0.5;
  t.tempo_fit = 0.6 * closeness + 0.4 * on_grid;
  t.energy = track_energy(a);
  t.energy_fit = 1.0 - std::abs(t.energy - want_energy);
  const std::string names = lower(t.path.stem().string() + " " + info.title + " " + info.artist);
  std::string matched;
  for (const std::string& w : clip.words) {
    if (names.find(w) != std::string::npos) {
      matched = w;
      break;
    }
  }
  t.name_fit = matched.empty() ? 0.0 : 1.0;
  t.score = 0.35 * t.length_fit + 0.30 * t.tempo_fit + 0.20 * t.energy_fit + 0.15 * t.name_fit;
  const double m = median_interval(clip.cuts);
  char pace[64];
  if (m > 0.0) {
    std::snprintf(pace, sizeof pace, "for cuts every %.1f s", m);
  } else {
    std::snprintf(pace, sizeof pace, "for a %s clip", clip.mood ? mood_id(*clip.mood) : "steady");
  }
  char text[400];
  std::snprintf(text, sizeof text, "%s long (%s), %.0f BPM %s, %s", clock_text(a.duration_s).c_str(),
                a.duration_s >= d ? "covers the clip without a loop" : "a section repeats to cover the clip", a.tempo_bpm,
                pace, t.energy >= 0.6 ? "busy" : (t.energy <= 0.3 ? "sparse" : "moderately busy"));
  t.reason = text;
  if (!matched.empty()) t.reason += ", its name has \"" + matched + "\"";
}

/// The track's downbeats: the analysis's, else every 4th beat.
std::vector<double> downbeats_of(const Analysis& a) {
  if (a.downbeats.size() >= 2) return a.downbeats;
  std::vector<double> out;
  for (std::size_t i = 0; i < a.beats.size(); i += 4) out.push_back(a.beats[i]);
  return out;
}

/// Cuts within kOnDownbeatS of a downbeat when the track starts at `start` (downbeats in track time, sorted).
int cuts_on(const std::vector<double>& cuts, const std::vector<double>& downbeats, double start) {
  int on = 0;
  for (double c : cuts) {
    const double t = c + start;
    const auto it = std::lower_bound(downbeats.begin(), downbeats.end(), t - kOnDownbeatS);
    if (it != downbeats.end() && *it <= t + kOnDownbeatS) ++on;
  }
  return on;
}

/// A stretch of the track placed in the clip.
struct Piece {
  double from_s, length_s, at_s;  // track time, length, clip time
};

/// The loop of a clip longer than the rest of the track: the loudest section of
/// at least 4 whole bars (else the last 8 bars), from downbeat to downbeat.
std::pair<double, double> loop_section(const Analysis& a, const std::vector<double>& db) {
  double best_energy = -1.0;
  std::pair<double, double> best{0.0, 0.0};
  const auto snap = [&](double t) {
    const auto it = std::min_element(db.begin(), db.end(), [&](double x, double y) { return std::abs(x - t) < std::abs(y - t); });
    return it == db.end() ? t : *it;
  };
  for (const Section& s : a.sections) {
    const double from = snap(s.start_s), to = snap(s.end_s);
    const auto bars = std::count_if(db.begin(), db.end(), [&](double d) { return d >= from - 1e-6 && d < to - 1e-6; });
    if (bars >= 4 && to <= a.duration_s - 0.5 && s.energy > best_energy) {
      best_energy = s.energy;
      best = {from, to};
    }
  }
  if (best.second > best.first) return best;
  if (db.size() >= 10) return {db[db.size() - 10], db[db.size() - 2]};
  return {a.duration_s * 0.25, a.duration_s * 0.75};
}

/// Decodes the pieces into one stereo buffer of `frames`, crossfading each splice over kSpliceS.
Pcm assemble(const fs::path& path, const std::vector<Piece>& pieces, int rate, std::size_t frames, const CancelToken* cancel) {
  Pcm pcm;
  pcm.rate = rate;
  pcm.channels = 2;
  const auto overlap = static_cast<std::size_t>(kSpliceS * rate);
  std::vector<float> chunk, part;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    const bool last = k + 1 == pieces.size();
    AudioReader reader(path, rate, 2, pieces[k].from_s, pieces[k].length_s + (last ? 0.0 : kSpliceS));
    part.clear();
    while (reader.read(chunk)) {
      part.insert(part.end(), chunk.begin(), chunk.end());
      chunk.clear();
    }
    std::size_t skip = 0;
    if (k > 0 && pcm.samples.size() >= 2 * overlap && part.size() >= 2 * overlap) {
      const std::size_t base = pcm.samples.size() - 2 * overlap;
      for (std::size_t i = 0; i < overlap; ++i) {
        const double x = (static_cast<double>(i) + 0.5) / static_cast<double>(overlap);
        const double out = std::cos(x * 1.5707963267948966), in = std::sin(x * 1.5707963267948966);  // equal power
        for (std::size_t c = 0; c < 2; ++c) {
          float& s = pcm.samples[base + 2 * i + c];
          s = static_cast<float>(s * out + part[2 * i + c] * in);
        }
      }
      skip = 2 * overlap;
    }
    pcm.samples.insert(pcm.samples.end(), part.begin() + static_cast<std::ptrdiff_t>(skip), part.end());
  }
  pcm.samples.resize(2 * frames, 0.0f);
  return pcm;
}

}  // namespace

std::vector<TrackScore> rank_tracks(const std::vector<fs::path>& candidates, const ClipPace& clip, const CancelToken* cancel) {
  const bool single = candidates.size() == 1;
  struct Probed {
    fs::path path;
    MediaInfo info;
    double distance;
  };
  std::vector<Probed> probed;
  for (const fs::path& p : candidates) {
    try {
      MediaInfo info = probe_media(p);
      if (!info.has_audio) throw Error(ErrorCode::InputInvalid, p.string() + " has no sound");
      const double d = info.duration_s > 0.0 ? info.duration_s : clip.duration_s;
      const double distance = d >= clip.duration_s ? 0.3 * (d - clip.duration_s) / clip.duration_s : (clip.duration_s - d) / clip.duration_s;
      probed.push_back({p, std::move(info), distance});
    } catch (const Error& e) {
      if (single) throw Error(ErrorCode::InputInvalid, "the music track cannot be read: " + std::string(e.what()));
    }
  }
  std::stable_sort(probed.begin(), probed.end(), [](const Probed& a, const Probed& b) { return a.distance < b.distance; });
  if (probed.size() > 16) probed.resize(16);
  std::vector<TrackScore> out;
  for (const Probed& p : probed) {
    if (cancel != nullptr) cancel->throw_if_requested();
    TrackScore t;
    t.path = p.path;
    try {
      t.analysis = analyze_file(p.path, AnalysisOptions{}, {}, cancel);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::Cancelled) throw;
      if (single) throw Error(ErrorCode::InputInvalid, "the music track cannot be read: " + std::string(e.what()));
      continue;
    }
    score_track(t, clip, p.info);
    out.push_back(std::move(t));
  }
  if (out.empty()) {
    throw Error(ErrorCode::InputInvalid, "none of the " + std::to_string(candidates.size()) + " music tracks can be read");
  }
  std::stable_sort(out.begin(), out.end(), [](const TrackScore& a, const TrackScore& b) { return a.score > b.score; });
  return out;
}

FittedTrack fit_track(const TrackScore& track, const ClipPace& clip, int rate, const CancelToken* cancel) {
  const Analysis& a = track.analysis;
  const double d = clip.duration_s, total = a.duration_s;
  const std::vector<double> db = downbeats_of(a);
  // Where it may start: the track's start, every 4th downbeat (a phrase), each section's start.
  std::set<double> starts = {0.0};
  for (std::size_t k = 0; k < db.size(); k += 4) starts.insert(db[k]);
  for (const Section& s : a.sections) {
    const auto it = std::lower_bound(db.begin(), db.end(), s.start_s - 0.2);
    if (it != db.end()) starts.insert(*it);
  }
  double best_start = 0.0, best = -1e9;
  for (double s0 : starts) {
    if (s0 > total - 2.0) continue;
    const double rest = total - s0;
    double score = cuts_on(clip.cuts, db, s0);
    if (rest >= d - 0.5) score += 3.0;                          // no loop
    if (rest >= d - 0.5 && rest <= d + 1.5) score += 2.0;       // its own ending closes the clip
    if (s0 == 0.0) score += 0.5;                                 // its own intro
    score -= 0.001 * s0;
    if (score > best) {
      best = score;
      best_start = s0;
    }
  }
  FittedTrack fit;
  fit.start_s = best_start;
  std::vector<Piece> pieces;
  const double rest = total - best_start;
  if (rest >= d - 0.5) {
    pieces.push_back({best_start, std::min(rest, d), 0.0});
    fit.own_ending = rest <= d + 1.5;
  } else {
    const auto [la, lb] = loop_section(a, db);
    double at = 0.0;
    pieces.push_back({best_start, std::max(0.1, lb - best_start), 0.0});
    at = pieces.back().length_s;
    while (at < d - 1e-3) {
      const double len = std::min(lb - la, d - at);
      pieces.push_back({la, len, at});
      at += len;
      ++fit.loops;
    }
  }
  for (const Piece& p : pieces) {
    for (double t : db) {
      if (t >= p.from_s - 1e-6 && t < p.from_s + p.length_s - 1e-6) fit.downbeats.push_back(p.at_s + t - p.from_s);
    }
  }
  const auto frames = static_cast<std::size_t>(std::llround(d * rate));
  fit.pcm = assemble(track.path, pieces, rate, frames, cancel);
  // The ending: the last downbeat at least 0.3 s before the clip's end, then a fade to silence.
  fit.ending_s = d;
  for (double t : fit.downbeats) {
    if (t <= d - 0.3) fit.ending_s = t;
  }
  const double fade_from = fit.own_ending ? std::max(fit.ending_s, d - 0.25) : fit.ending_s;
  const double fade_len = std::min(2.5, std::max(0.25, d - fade_from));
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    if (t <= fade_from) continue;
    const double g = std::pow(std::max(0.0, 1.0 - (t - fade_from) / fade_len), 2.0);
    fit.pcm.samples[2 * i] = static_cast<float>(fit.pcm.samples[2 * i] * g);
    fit.pcm.samples[2 * i + 1] = static_cast<float>(fit.pcm.samples[2 * i + 1] * g);
  }
  for (double c : clip.cuts) {
    if (std::any_of(fit.downbeats.begin(), fit.downbeats.end(), [&](double t) { return std::abs(t - c) <= kOnDownbeatS; })) {
      ++fit.cuts_on_downbeats;
    }
  }
  fit.how = "from " + clock_text(best_start) + (best_start == 0.0 ? " (its start)" : " (a phrase start)") + ", " +
            std::to_string(fit.cuts_on_downbeats) + " of " + std::to_string(clip.cuts.size()) + " cuts on its downbeats" +
            (fit.loops > 0 ? ", a section repeated " + std::to_string(fit.loops) + "×" : "") +
            (fit.own_ending ? ", its own ending closes the clip" : ", ends on the downbeat at " + clock_text(fit.ending_s) + " with a fade");
  return fit;
}

}  // namespace mv
