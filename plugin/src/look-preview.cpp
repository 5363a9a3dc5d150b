// look-preview.cpp — see look-preview.hpp.
#include "look-preview.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <tuple>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/audio/music.hpp"
#include "mv/audio/track-profile.hpp"
#include "mv/base/error.hpp"
#include "mv/jobs/backend.hpp"
#include "mv/media/canvas.hpp"
#include "mv/media/media.hpp"
#include "mv/media/visual-source.hpp"
#include "mv/media/picture-out.hpp"
#include "mv/render/generate.hpp"

namespace mvplugin {

namespace {

/// The spec as the local engine renders it, with no output.
mv::GenerateRequest preview_request(const mv::JobSpec& spec) {
  if (spec.inputs.empty()) throw mv::Error(mv::ErrorCode::Usage, "no input chosen");
  mv::JobSpec local = spec;
  local.backend = mv::Backend::Local;
  local.output.clear();
  local.output_dir.clear();
  mv::GenerateRequest req = mv::local_request(local);
  req.output.clear();
  return req;
}

/// True when a frame has nothing to show: nine pixels in ten or more dark (their brightest
/// R'G'B' channel below 24 of 255), as OBS records a scene whose only source is a song, or a
/// dark look's frame with a thin line in a quiet moment (95 % dark in an e2e recording: mean 8,
/// standard deviation 7, which "dark and flat" alone took for a picture). The caller then
/// draws from another moment that has a picture, or from this one when none has.
bool blank_picture(const std::vector<std::uint8_t>& rgb) {
  const std::size_t pixels = rgb.size() / 3;
  if (pixels == 0) return true;
  std::size_t dark = 0;
  for (std::size_t i = 0; i < pixels; ++i) {
    if (std::max({rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]}) < 24) ++dark;
  }
  return dark * 10 >= pixels * 9;
}

/// True when `input`'s video frame at `at_s` (s) is blank_picture() (checked at 64x36).
bool blank_frame_at(const std::filesystem::path& input, double at_s) {
  constexpr int kW = 64, kH = 36;
  const auto source = mv::VisualSource::open(input, kW, kH, at_s);
  mv::Canvas canvas(kW, kH);
  source->draw(canvas, 0.0, 1.0, 0);
  return blank_picture(mv::canvas_to_rgb(canvas));
}

}  // namespace

std::optional<double> look_preview_moment(const mv::JobSpec& spec, const mv::CancelToken* cancel) {
  try {
    const mv::GenerateRequest req = preview_request(spec);
    const mv::MediaInfo info = mv::probe_media(req.input);
    if (info.is_still_image) return 0.0;
    const double start = req.excerpt.start_s.value_or(0.0);
    const double length = std::min(req.excerpt.duration_s.value_or(info.duration_s), info.duration_s - start);
    if (!(length > 0.0)) return std::nullopt;  // no length (yet): nothing to draw from
    auto sounding = [&](double fraction) {  // the moment with sound nearest `fraction` of the way in
      const double preferred = std::min(60.0, fraction * length);
      const double found = mv::audible_moment(req.input, start + preferred, start, std::min(120.0, length),
                                              req.analysis.audio_track, cancel);
      return std::clamp(found - start, 0.0, length);
    };
    const double first = sounding(0.4);
    if (!info.has_video) return first;
    // A recording's picture can be black where its sound is not: the cut to an empty scene,
    // with the sound of the scene before it still playing (OBS's audio buffering under load
    // put it 0.6 s after the picture in an e2e recording). The looks that draw over the
    // footage would show black there: 70 %, then 20 % in, when they have a picture.
    if (!blank_frame_at(req.input, start + first)) return first;
    for (const double fraction : {0.7, 0.2}) {
      const double at = sounding(fraction);
      if (!blank_frame_at(req.input, start + at)) return at;
    }
    return first;  // no picture anywhere (a scene with only a song): the look draws on its own
  } catch (const mv::Error& e) {
    if (e.code() == mv::ErrorCode::Cancelled) throw;
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

PreviewPicture render_look_preview(const mv::JobSpec& spec, int width, const mv::CancelToken* cancel,
                                   std::optional<double> at_s) {
  PreviewPicture out;
  try {
    mv::GenerateRequest req = preview_request(spec);
    const auto [w, h] = req.video.framing.frame_size();  // the aspect resolved to the input's shape
    req.video.framing.size = std::make_pair(std::max(16, width / 2 * 2),
                                            std::max(16, static_cast<int>(static_cast<double>(width) * h / w) / 2 * 2));
    out.at_s = at_s ? *at_s : look_preview_moment(spec, cancel).value_or(0.0);
    const mv::Canvas frame = mv::render_preview(req, out.at_s, cancel);
    out.rgb = mv::canvas_to_rgb(frame);
    out.width = frame.width();
    out.height = frame.height();
  } catch (const std::exception& e) {
    out.rgb.clear();
    out.error = e.what();
  }
  return out;
}

std::string file_identity(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return {};
  const auto time = std::filesystem::last_write_time(path, ec);
  if (ec) return {};
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  return std::to_string(size) + ":" + std::to_string(ns);
}

std::filesystem::path demo_song(const std::filesystem::path& dir) {
  std::filesystem::path path = dir / "look-demo.wav";
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return path;
  try {
    mv::ComposeRequest request;
    request.duration_s = 12.0;
    request.mood = mv::Mood::Upbeat;
    request.seed = 7;
    const mv::Pcm pcm = mv::render_arrangement(mv::compose(request));
    std::filesystem::create_directories(dir, ec);
    const std::filesystem::path temporary = dir / "look-demo.wav.part";
    mv::write_float_wav(temporary, pcm.samples.data(), pcm.frames(), pcm.rate, pcm.channels);
    std::filesystem::rename(temporary, path);
    return path;
  } catch (const std::exception&) {
    return {};
  }
}

ShortRange find_short_range(const mv::JobSpec& spec, double length_s, const std::function<bool()>& superseded,
                            const mv::CancelToken* cancel) {
  ShortRange out;
  try {
    if (spec.inputs.empty()) throw mv::Error(mv::ErrorCode::Usage, "no input chosen");
    mv::AnalysisOptions whole = mv::analysis_options(spec);  // the whole song: no excerpt
    whole.start_s = 0.0;
    whole.duration_s.reset();
    if (whole.audio_track == 0) whole.audio_track = mv::music_track_of(spec.inputs.front(), cancel);  // as the job will
    // The analysis reports progress every few hundred milliseconds of audio: the place to stop.
    const mv::ProgressFn check = [&](mv::Stage, double) {
      if ((superseded && superseded()) || (cancel != nullptr && cancel->requested())) {
        throw mv::Error(mv::ErrorCode::Cancelled, "cancelled");
      }
    };
    const mv::Analysis song = mv::analyze_file(spec.inputs.front(), whole, check, cancel);
    out.song_s = song.duration_s;
    const auto found = mv::find_highlights(song, length_s, 1);
    if (found.empty()) throw mv::Error(mv::ErrorCode::InputInvalid, "the song is too short for a Short");
    out.start_s = found.front().start_s;
    out.end_s = found.front().end_s;
    out.repeats = found.front().repeats;
  } catch (const std::exception& e) {
    out = ShortRange{};
    out.error = e.what();
  }
  return out;
}

std::vector<TrackChoice> audio_track_choices(const std::filesystem::path& input, const mv::CancelToken* cancel) {
  std::vector<TrackChoice> out;
  try {
    const mv::MediaInfo info = mv::probe_media(input);
    if (info.audio_tracks.size() <= 1) return out;
    const std::vector<mv::TrackProfile> tracks = mv::profile_tracks(input, info, cancel);
    const int music = mv::music_track(tracks, info);
    for (const auto& t : tracks) {
      std::string label = std::to_string(t.track.number);
      label += " \u00b7 ";
      label += mv::track_label(t.track);
      label += t.mix ? " (mix: " : " (";
      label += mv::track_content_id(t.content);
      label += ")";
      out.push_back({t.track.number, std::move(label), t.track.number == music});
    }
  } catch (const std::exception&) {
    out.clear();  // unreadable or cancelled: the dock lists no tracks
  }
  return out;
}

InputSummary summarize_input(const std::filesystem::path& input, int width, const mv::CancelToken* cancel) {
  InputSummary out;
  try {
    const mv::MediaInfo info = mv::probe_media(input);
    out.duration_s = info.duration_s;
    out.has_video = info.has_video && !info.is_still_image;
    if (out.has_video || info.has_cover_art || info.is_still_image) {
      const int w = std::max(16, width / 2 * 2);
      const double shape = info.display_width > 0 && info.display_height > 0
                               ? static_cast<double>(info.display_height) / info.display_width
                               : 9.0 / 16.0;
      const int h = std::clamp(static_cast<int>(w * shape) / 2 * 2, 16, 2 * w);
      // A video's frame 30 % in, or 70 % when that one is blank (a title card fading in).
      for (const double at : out.has_video ? std::vector<double>{0.3, 0.7} : std::vector<double>{0.0}) {
        const auto source = mv::VisualSource::open(input, w, h, at * info.duration_s);
        mv::Canvas canvas(w, h);
        source->draw(canvas, 0.0, 1.0, 0);
        out.picture.rgb = mv::canvas_to_rgb(canvas);
        out.picture.width = w;
        out.picture.height = h;
        out.picture.at_s = at * info.duration_s;
        if (!blank_picture(out.picture.rgb)) return out;
      }
    }
    // A song without art, or a recording of a scene with no picture: its default look, as
    // the video would start.
    mv::JobSpec spec;
    spec.inputs = {input};
    PreviewPicture look = render_look_preview(spec, width, cancel);
    if (!look.rgb.empty() || out.picture.rgb.empty()) out.picture = std::move(look);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace mvplugin
