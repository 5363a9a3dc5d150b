// promo.cpp — a promo from photos and a voice-over (see generate.hpp): the
// pictures change where the speaker pauses, the music bed sits under the
// voice, and generate() draws it as a montage cut there.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <system_error>
#include <unistd.h>

#include "mv/audio/mix.hpp"
#include "mv/audio/soundtrack.hpp"
#include "mv/base/error.hpp"
#include "mv/base/output-file.hpp"
#include "mv/media/media.hpp"
#include "mv/render/generate.hpp"
#include "mv/timeline/lyrics.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;

/// A pause between two words: its middle and length, s.
struct Pause {
  double at_s, length_s;
};

/// A folder of our own under the system's temporary folder, removed with its files.
class ScratchDir {
 public:
  ScratchDir() : path_(fresh_name()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (!fs::create_directories(path_, ec)) throw Error(ErrorCode::Output, "cannot make a temporary folder " + path_.string());
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  static fs::path fresh_name() {
    static std::atomic<int> counter{0};
    return fs::temp_directory_path() / ("mvgen-promo-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  fs::path path_;
};

/// The title and artist of the voice-over: its tags, else its file name.
void default_titles(const fs::path& voice, const MediaInfo& info, VideoSettings& vs) {
  if (!vs.captions.title_card) return;
  const auto [name_title, name_artist] = title_from_file_name(voice);
  const bool tagged = !info.title.empty() && !is_machine_name(info.title);
  if (vs.captions.title.empty()) vs.captions.title = tagged ? info.title : name_title;
  if (vs.captions.artist.empty()) vs.captions.artist = !info.artist.empty() ? info.artist : (tagged ? "" : name_artist);
}

}  // namespace

std::vector<double> promo_cuts(const std::vector<std::pair<double, double>>& speech, double duration_s, std::size_t shots,
                               double min_shot_s) {
  std::vector<Pause> pauses;
  for (std::size_t i = 0; i + 1 < speech.size(); ++i) {
    const double a = speech[i].second, b = speech[i + 1].first;
    const double mid = 0.5 * (a + b);
    if (b > a && mid >= min_shot_s && mid <= duration_s - min_shot_s) pauses.push_back({mid, b - a});
  }
  if (shots < 2 || pauses.empty()) return {};
  // How many cuts fit at all (greedy from the start), then the best that many.
  std::size_t most = 0;
  double last = 0.0;
  for (const Pause& p : pauses) {
    if (p.at_s - last >= min_shot_s) {
      ++most;
      last = p.at_s;
    }
  }
  const std::size_t k = std::min(shots - 1, most);
  const std::size_t m = pauses.size();
  const double inf = std::numeric_limits<double>::infinity();
  // cost[j][i]: the best cost with cut j (0-based) at pause i; from[j][i]: the pause of cut j − 1.
  std::vector<std::vector<double>> cost(k, std::vector<double>(m, inf));
  std::vector<std::vector<std::size_t>> from(k, std::vector<std::size_t>(m, 0));
  const auto own = [&](std::size_t j, std::size_t i) {
    const double ideal = duration_s * static_cast<double>(j + 1) / static_cast<double>(k + 1);
    const double d = (pauses[i].at_s - ideal) / duration_s;
    return d * d - 0.002 * std::min(1.0, pauses[i].length_s);
  };
  for (std::size_t i = 0; i < m; ++i) cost[0][i] = own(0, i);
  for (std::size_t j = 1; j < k; ++j) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t p = 0; p < i; ++p) {
        if (cost[j - 1][p] == inf || pauses[i].at_s - pauses[p].at_s < min_shot_s) continue;
        const double c = cost[j - 1][p] + own(j, i);
        if (c < cost[j][i]) {
          cost[j][i] = c;
          from[j][i] = p;
        }
      }
    }
  }
  std::size_t end = m;
  for (std::size_t i = 0; i < m; ++i) {
    if (cost[k - 1][i] < inf && (end == m || cost[k - 1][i] < cost[k - 1][end])) end = i;
  }
  std::vector<double> cuts(k);
  for (std::size_t j = k; j-- > 0;) {
    cuts[j] = pauses[end].at_s;
    end = from[j][end];
  }
  return cuts;
}

PromoResult generate_promo(const PromoRequest& req, const ProgressFn& progress, const CancelToken* cancel) {
  const fs::path& voice_path = req.video.input;
  const std::vector<fs::path>& photos = req.video.video.clips;
  if (photos.empty()) throw Error(ErrorCode::Usage, "a promo needs photos (or clips): give them with --clips");
  {
    std::vector<fs::path> inputs = photos;
    inputs.insert(inputs.end(), {voice_path, req.music, req.video.video.look.image, req.video.video.captions.lyrics});
    if (req.video.video.captions.lyrics.empty()) inputs.push_back(lyrics_next_to(voice_path).value_or(fs::path()));
    check_output(inputs, req.video.output, req.video.force);  // generate() checks the look's LUT file too
  }
  if (progress) progress(Stage::Probe, 0.0);
  const MediaInfo info = probe_media(voice_path);
  if (!info.has_audio) {
    throw Error(ErrorCode::InputInvalid, voice_path.string() + " has no sound: a promo needs a voice-over (mp3, wav, m4a, …)");
  }
  const double duration = req.duration_s.value_or(info.duration_s + kPromoTailS);
  if (!(duration >= 2.0)) throw Error(ErrorCode::Usage, "a promo needs at least 2 s");
  const auto frames = static_cast<std::size_t>(std::llround(duration * kRate));
  Pcm mix = read_sound(voice_path, kRate, frames, cancel);  // silence after it; cut with a fade when --duration is shorter
  const VoiceActivity voice = find_voice(mono_of(mix), kRate);

  PromoResult out;
  out.speech = voice.intervals();
  out.cuts = promo_cuts(out.speech, duration, photos.size());
  if (photos.size() > 1 && out.cuts.empty()) {
    throw Error(ErrorCode::InputInvalid,
                voice_path.string() + " has no pause to change photos at (a cut never falls inside a word; a shot lasts at "
                                      "least 1.5 s): record it with short pauses between sentences, or give one photo");
  }
  out.photos_used = out.cuts.size() + 1;
  if (out.photos_used < photos.size()) {
    out.note = std::to_string(photos.size() - out.photos_used) + " of " + std::to_string(photos.size()) +
               " photos left out: the voice-over pauses only " + std::to_string(out.cuts.size()) +
               " times at least 1.5 s apart";
  }
  if (progress) progress(Stage::Analyze, 0.5);

  MusicBedRequest bed_request;
  bed_request.duration_s = duration;
  bed_request.cuts = out.cuts;
  bed_request.prompt = req.video.video.prompt;
  bed_request.music = req.music;
  bed_request.seed = req.seed;
  const MusicBed bed = make_music_bed(bed_request, cancel);
  out.music = bed.reason;
  // Between the sentences the bed comes up to 6 LU under the voice; under the words 12 dB lower still.
  const Loudness l = mix_under(mix, bed.pcm, voice, 6.0);
  out.loudness_lufs = l.integrated_lufs;
  out.true_peak_dbtp = l.true_peak_dbtp;

  ScratchDir scratch;
  GenerateRequest g = req.video;
  // Named as the voice-over, so a title read from a file name is the voice-over's.
  g.input = scratch.path() / (voice_path.stem().string() + ".wav");
  write_float_wav(g.input, mix.samples.data(), mix.frames(), mix.rate, mix.channels);
  g.video.clips.assign(photos.begin(), photos.begin() + static_cast<std::ptrdiff_t>(out.photos_used));
  g.video.shot_cuts = out.cuts;
  g.analysis = AnalysisOptions{};
  g.excerpt = Excerpt{};
  if (g.video.captions.lyrics.empty()) g.video.captions.lyrics = lyrics_next_to(voice_path).value_or("none");  // captions beside the voice-over
  default_titles(voice_path, info, g.video);
  out.video = generate(g, progress, cancel);
  out.video.tempo_bpm = bed.tempo_bpm;  // the music's, not the voice's
  return out;
}

}  // namespace mv
