// planner.cpp — the local planner: turns the analysis and the user's choices
// into a timeline (look resolution, section segments, beat-cut montage shots).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/look.hpp"
#include "mv/media/media.hpp"
#include "mv/media/visual-source.hpp"
#include "shot-picker.hpp"

namespace mv {

namespace {

std::int64_t ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }

/// Montage cut times: every `step` beats (or downbeats), at least `min_shot_s`
/// apart, plus every section start; sorted, within (0, duration).
std::vector<double> montage_cuts(const Analysis& a, double min_shot_s) {
  std::vector<double> grid = a.beats;
  const double period = a.tempo_bpm > 0 ? 60.0 / a.tempo_bpm : 0.5;
  std::size_t step = 1;
  while (step < 8 && period * static_cast<double>(step) < min_shot_s) step *= 2;
  if (step >= 4 && a.downbeats.size() >= 2) {
    grid = a.downbeats;
    step /= 4;
  }
  std::vector<double> cuts;
  for (std::size_t i = step; i < grid.size(); i += step) cuts.push_back(grid[i]);
  for (std::size_t s = 1; s < a.sections.size(); ++s) cuts.push_back(a.sections[s].start_s);
  std::sort(cuts.begin(), cuts.end());
  std::vector<double> kept;
  for (double c : cuts) {
    if (c <= 0.3 || c >= a.duration_s - 0.3) continue;
    if (!kept.empty() && c - kept.back() < 0.5 * min_shot_s) {
      // Prefer the section start when a beat cut and a section start are close.
      const bool is_section = std::any_of(a.sections.begin(), a.sections.end(),
                                          [c](const Section& s) { return std::fabs(s.start_s - c) < 1e-9; });
      if (is_section) kept.back() = c;
      continue;
    }
    kept.push_back(c);
  }
  return kept;
}

}  // namespace

bool is_machine_name(const std::string& text) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto first = t.find_first_not_of(" \t"), last = t.find_last_not_of(" \t");
  if (first == std::string::npos) return true;
  t = t.substr(first, last - first + 1);
  // A copy's suffix: "~2", " (1)", "-1".
  if (const auto tilde = t.rfind('~'); tilde != std::string::npos && tilde + 1 < t.size() &&
      std::all_of(t.begin() + static_cast<std::ptrdiff_t>(tilde) + 1, t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    t.resize(tilde);
  }
  if (t.size() > 3 && t.back() == ')') {
    if (const auto open = t.rfind(" ("); open != std::string::npos) t.resize(open);
  }
  static const char* const kPrefixes[] = {"MVIMG", "TRACK", "VIDEO", "GOPR", "DSCF", "DSCN", "CIMG", "PANO", "IMG", "VID",
                                          "PXL", "DJI", "MVI", "DSC", "MOV", "MAH", "SAM", "GP", "GX", "GH", "WP"};
  std::size_t at = 0;
  for (const char* p : kPrefixes) {
    if (t.rfind(p, 0) == 0) {
      at = std::strlen(p);
      break;
    }
  }
  while (at < t.size() && (t[at] == '_' || t[at] == '-' || t[at] == ' ')) ++at;
  const std::string rest = t.substr(at);
  const auto digits = std::count_if(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool numbers = !rest.empty() && rest[0] >= '0' && rest[0] <= '9' && std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ' ' || c == '.' || c == ':';
  });
  // A known prefix and a number ("IMG_0042", "Track 1"), or a bare number of 8 digits or more ("20231105_142233").
  return numbers && (at > 0 ? digits >= 1 : digits >= 8);
}

std::pair<std::string, std::string> title_from_file_name(const std::filesystem::path& file) {
  std::string name = file.stem().string();
  std::replace(name.begin(), name.end(), '_', ' ');
  auto trim = [](const std::string& s) {
    const auto a = s.find_first_not_of(" .-");
    return a == std::string::npos ? std::string() : s.substr(a, s.find_last_not_of(" .-") - a + 1);
  };
  name = trim(name);
  // A date-and-time name: only digits and separators, after at most one word.
  auto date_time = [](const std::string& t) {
    const auto digits = std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits >= 8 && std::all_of(t.begin(), t.end(), [](char c) {
             return (c >= '0' && c <= '9') || c == '-' || c == ' ' || c == ':' || c == '.';
           });
  };
  const auto space = name.find(' ');
  const bool timestamp = date_time(name) || (space != std::string::npos && date_time(name.substr(space + 1)));
  if (timestamp || is_machine_name(name)) return {};  // a name a recorder or a camera gave, not a title
  for (const char* dash : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {  // hyphen, en dash, em dash
    if (const auto at = name.find(dash); at != std::string::npos) {
      const std::string artist = trim(name.substr(0, at)), title = trim(name.substr(at + std::strlen(dash)));
      if (!artist.empty() && !title.empty()) return {title, artist};
    }
  }
  return {name, ""};
}

ResolvedLook resolve_look(const VideoSettings& settings) {
  const PromptHints hints = parse_prompt(settings.prompt);
  ResolvedLook look;
  std::optional<std::string> name = settings.look.name;
  if (!settings.clips.empty() || name == "montage") {
    look.pictures = "montage";
  } else if (name == "footage" || (settings.input_has_video && settings.look.footage.value_or(true))) {
    look.pictures = "footage";  // a recording's own pictures come first
  }
  if (name == "montage" || name == "footage") name.reset();
  if (!name) name = hints.style;
  if (!name) name = look.pictures.empty() ? kDefaultAudioLook : kDefaultPicturesLook;
  look.look = look_library().find(*name);
  look.style = look.look.name;
  look.palette = settings.look.palette.value_or(hints.palette.value_or(look.look.palette));
  look.intensity = std::clamp(settings.look.intensity.value_or(hints.intensity.value_or(look.look.intensity)), 0.3, 2.0);
  (void)palette_by_name(look.palette);  // validates the name
  look.lut = settings.look.lut.empty() ? look.look.lut : settings.look.lut;
  if (look.pictures == "montage" && settings.clips.empty()) {
    throw Error(ErrorCode::Usage, "the montage style needs photos or clips: pass --clips FILE...");
  }
  return look;
}

namespace {

/// Where each shot of a video clip starts in it ("in_s", s): its liveliest
/// moments (shot-picker.hpp), for clips longer than their shots together;
/// shorter clips play on from shot to shot as before. A moment shown again
/// plays slower and closer ("speed", "zoom"). The picker's note, if any, goes
/// to `notes`.
void pick_moments(Track& video, std::vector<std::string>& notes) {
  std::map<std::string, std::vector<Segment*>> by_clip;
  for (auto& s : video.segments) by_clip[s.source].push_back(&s);
  for (auto& [clip, shots] : by_clip) {
    MediaInfo info;
    try {
      info = probe_media(clip);
    } catch (const Error&) {
      continue;  // generate() checked every clip before planning; a plan alone need not
    }
    if (!info.has_video || info.is_still_image) continue;
    const ClipActivity& activity = scanned_clip(clip);
    std::vector<double> durations;
    for (const Segment* s : shots) durations.push_back(static_cast<double>(s->duration_ms) / 1000.0);
    std::string note;
    const std::vector<ShotPick> picks = pick_shots(liveliness(activity), activity.duration_s, durations, &note);
    for (std::size_t i = 0; i < picks.size(); ++i) {
      shots[i]->extra["in_s"] = std::round(picks[i].in_s * 1000.0) / 1000.0;
      if (picks[i].reused) {
        shots[i]->extra["speed"] = picks[i].speed;
        shots[i]->extra["zoom"] = picks[i].zoom;
      }
    }
    if (!note.empty()) notes.push_back(std::filesystem::path(clip).filename().string() + ": " + note);
  }
}

/// Shot `i` of a montage cut at `bounds` (s, from 0 to the end): the clips in turn.
Segment montage_shot(const std::vector<double>& bounds, std::size_t i, const std::vector<std::filesystem::path>& clips) {
  Segment s;
  s.start_ms = ms(bounds[i]);
  s.duration_ms = ms(bounds[i + 1]) - s.start_ms;
  s.source = clips[i % clips.size()].string();
  s.name = std::filesystem::path(s.source).filename().string();
  return s;
}

/// A promo's shots: one per photo in order, changing at settings.shot_cuts (each
/// change a section: the look's transition plays there), photos zooming toward
/// their detail.
void plan_promo(const Analysis& a, const VideoSettings& settings, Track& video, std::vector<std::string>& notes) {
  std::vector<double> bounds = settings.shot_cuts;
  bounds.insert(bounds.begin(), 0.0);
  bounds.push_back(a.duration_s);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    Segment s = montage_shot(bounds, i, settings.clips);
    s.effect = i == 0 ? "" : "cut";
    const auto [fx, fy] = detail_focus(s.source, settings.width(), settings.height());
    s.extra["move"] = VisualSource::kMoveToFocus;
    s.extra["focus_x"] = std::round(fx * 1000.0) / 1000.0;
    s.extra["focus_y"] = std::round(fy * 1000.0) / 1000.0;
    video.segments.push_back(std::move(s));
  }
  pick_moments(video, notes);
}

/// The montage's shots: one per cut, cycling through the clips, crossfades at section changes.
void plan_montage(const Analysis& a, const VideoSettings& settings, const ResolvedLook& look, Track& video,
                  std::vector<std::string>& notes) {
  if (!settings.shot_cuts.empty()) {
    plan_promo(a, settings, video, notes);
    return;
  }
  const double min_shot = std::clamp(2.0 / look.intensity, 1.0, 5.0);
  std::vector<double> bounds = montage_cuts(a, min_shot);
  bounds.insert(bounds.begin(), 0.0);
  bounds.push_back(a.duration_s);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    Segment s = montage_shot(bounds, i, settings.clips);
    const bool section_change = std::any_of(a.sections.begin() + (a.sections.empty() ? 0 : 1), a.sections.end(),
                                            [&](const Section& sec) { return ms(sec.start_s) == s.start_ms; });
    s.effect = i == 0 ? "" : (section_change ? "crossfade" : "cut");
    s.extra["move"] = static_cast<int>(i % 4);
    video.segments.push_back(std::move(s));
  }
  pick_moments(video, notes);
}

/// One segment per section: the input's own footage (in sync with its sound),
/// or the look's layers.
void plan_sections(const Analysis& a, const VideoSettings& settings, const ResolvedLook& look,
                   const std::filesystem::path& input, Track& video) {
  const bool footage = look.pictures == "footage";
  for (std::size_t i = 0; i < a.sections.size(); ++i) {
    const auto& sec = a.sections[i];
    Segment s;
    s.start_ms = ms(sec.start_s);
    s.duration_ms = ms(sec.end_s) - s.start_ms;
    const std::string n = " (section " + std::to_string(i + 1) + ")";
    s.name = footage ? input.filename().string() + n : look.style + " " + look.palette + n;
    s.effect = i == 0 ? "" : "flash";
    if (footage) {
      s.source = input.string();
      s.extra["start_s"] = settings.footage_start_s + sec.start_s;
    }
    s.extra["energy"] = std::round(sec.energy * 100.0) / 100.0;
    video.segments.push_back(std::move(s));
  }
}

}  // namespace

std::vector<Section> sections_at_cuts(const Analysis& a, const std::vector<double>& cuts) {
  std::vector<double> bounds = {0.0};
  for (double c : cuts) {
    if (c > bounds.back() && c < a.duration_s) bounds.push_back(c);
  }
  bounds.push_back(a.duration_s);
  std::vector<Section> out;
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    Section s;
    s.start_s = bounds[i];
    s.end_s = bounds[i + 1];
    // The energy of the analysis's section at the shot's middle.
    const double mid = 0.5 * (s.start_s + s.end_s);
    s.energy = 1.0;
    for (const Section& old : a.sections) {
      if (mid >= old.start_s && mid < old.end_s) s.energy = old.energy;
    }
    s.label = std::string(1, static_cast<char>('A' + static_cast<int>(i % 26)));
    out.push_back(s);
  }
  return out;
}

Timeline plan_timeline(const Analysis& a, const VideoSettings& settings, const ResolvedLook& look,
                       const std::filesystem::path& input) {
  Timeline tl;
  tl.duration_ms = ms(a.duration_s);
  tl.meta = {{"title", settings.captions.title},     {"width", settings.width()},     {"height", settings.height()},
             {"fps", settings.fps()},         {"look", look.style},          {"palette", look.palette},
             {"intensity", look.intensity}, {"tempo_bpm", a.tempo_bpm},     {"generator", "mvgen"}};
  if (!settings.backdrop.empty()) tl.meta["backdrop"] = settings.backdrop.string();
  if (!look.pictures.empty()) tl.meta["pictures"] = look.pictures;
  Track video;
  video.type = static_cast<int>(TrackType::Video);
  video.name = "Video";
  if (look.pictures == "montage") {
    std::vector<std::string> notes;
    plan_montage(a, settings, look, video, notes);
    std::string joined;
    for (const auto& n : notes) joined += (joined.empty() ? "" : "\n") + n;
    if (!joined.empty()) tl.meta["note"] = joined;  // generate() passes it on to the user
  } else {
    plan_sections(a, settings, look, input, video);
  }
  tl.tracks.push_back(std::move(video));

  Track bgm;
  bgm.type = static_cast<int>(TrackType::Audio);
  bgm.name = "BGM";
  Segment song;
  song.start_ms = 0;
  song.duration_ms = tl.duration_ms;
  song.source = input.string();
  song.name = input.filename().string();
  song.volume = 100;
  bgm.segments.push_back(std::move(song));
  tl.tracks.push_back(std::move(bgm));

  if (!settings.captions.cta.empty()) {  // a promo: the call to action closes it, whatever its length
    Track card;
    card.type = static_cast<int>(TrackType::Text);
    card.name = "Call to action";
    Segment end;
    end.name = "end card";
    end.duration_ms = std::min<std::int64_t>(3000, tl.duration_ms / 3);
    end.start_ms = tl.duration_ms - end.duration_ms;
    end.text = settings.captions.cta;
    if (settings.captions.title_card && !settings.captions.title.empty()) end.extra["artist"] = settings.captions.title;
    end.effect = "end_card";
    card.segments.push_back(std::move(end));
    tl.tracks.push_back(std::move(card));
  }
  if (settings.captions.title_card && (!settings.captions.title.empty() || !settings.captions.artist.empty())) {
    Track title;
    title.type = static_cast<int>(TrackType::Text);
    title.name = "Title";
    Segment s;
    s.start_ms = 0;
    s.duration_ms = std::min<std::int64_t>(4000, tl.duration_ms);
    s.name = "title";
    s.text = settings.captions.title.empty() ? settings.captions.artist : settings.captions.title;
    if (!settings.captions.title.empty() && !settings.captions.artist.empty()) s.extra["artist"] = settings.captions.artist;
    s.effect = "fade";
    if (settings.captions.end_card && settings.captions.cta.empty() && tl.duration_ms >= 10000) {
      Segment end = s;
      end.name = "end card";
      end.duration_ms = 3000;
      end.start_ms = tl.duration_ms - end.duration_ms;
      end.effect = "end_card";
      title.segments.push_back(std::move(s));
      title.segments.push_back(std::move(end));
    } else {
      title.segments.push_back(std::move(s));
    }
    tl.tracks.push_back(std::move(title));
  }
  return tl;
}

}  // namespace mv
