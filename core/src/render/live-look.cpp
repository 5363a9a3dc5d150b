// live-look.cpp — see live-look.hpp.
#include "mv/render/live-look.hpp"

#include "compositor.hpp"
#include "mv/base/error.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace mv {

namespace {

/// The timeline of a live look: only the title card (4 s from `title_from_ms`, fading), when there is one.
Timeline live_timeline(const VideoSettings& vs, std::int64_t title_from_ms = 0) {
  Timeline tl;
  tl.duration_ms = title_from_ms + 4000;
  const Captions& c = vs.captions;
  if (!c.title_card || (c.title.empty() && c.artist.empty())) return tl;
  Track title;
  title.type = static_cast<int>(TrackType::Text);
  title.name = "Title";
  Segment s;
  s.start_ms = title_from_ms;
  s.duration_ms = 4000;
  s.name = "title";
  s.text = c.title.empty() ? c.artist : c.title;
  if (!c.title.empty() && !c.artist.empty()) s.extra["artist"] = c.artist;
  s.effect = "fade";
  title.segments.push_back(std::move(s));
  tl.tracks.push_back(std::move(title));
  return tl;
}

/// The settings a live look draws with: no progress bar, end card or call to action (no end is known).
VideoSettings live_settings(VideoSettings vs) {
  vs.captions.progress_bar = false;
  vs.captions.end_card = false;
  vs.captions.cta.clear();
  return vs;
}

LiveAnalyzerOptions analyzer_options(const ResolvedLook& look, const VideoSettings& vs, std::pair<double, double> tempo) {
  const auto [lo, hi] = tempo;
  if (!valid_tempo_range(lo, hi)) {
    throw Error(ErrorCode::Usage, "the tempo range must lie in 20-400 BPM and span at least a factor 1.5");
  }
  LiveAnalyzerOptions o;
  o.fps = vs.fps();
  o.intensity = look.intensity;
  o.min_bpm = lo;
  o.max_bpm = hi;
  return o;
}

}  // namespace

struct LiveLook::Impl {
  VideoSettings settings;
  Timeline timeline;
  LiveAnalyzer analyzer;
  std::unique_ptr<Compositor> compositor;

  Impl(const ResolvedLook& look, const VideoSettings& vs, int rate, int channels, std::pair<double, double> tempo, bool transparent)
      : settings(live_settings(vs)),
        timeline(live_timeline(settings)),
        analyzer(rate, channels, analyzer_options(look, settings, tempo)),
        compositor(std::make_unique<Compositor>(look, settings, timeline, nullptr, nullptr, Reframe{}, transparent)) {}
};

namespace {

const ResolvedLook& drawable(const ResolvedLook& look) {
  if (!look.pictures.empty()) {
    throw Error(ErrorCode::Usage, "the look \"" + look.style + "\" draws the input's own " +
                                      (look.pictures == "montage" ? "clips" : "footage") +
                                      ", which a live look does not have; choose an audio-reactive look");
  }
  return look;
}

}  // namespace

LiveLook::LiveLook(const ResolvedLook& look, const VideoSettings& settings, int sample_rate, int channels,
                   std::pair<double, double> tempo_range_bpm, bool transparent)
    : impl_(std::make_unique<Impl>(drawable(look), settings, sample_rate, channels, tempo_range_bpm, transparent)) {}
LiveLook::~LiveLook() = default;

void LiveLook::push(const float* interleaved, std::size_t frames) { impl_->analyzer.push(interleaved, frames); }
double LiveLook::pushed_s() const { return impl_->analyzer.pushed_s(); }
const LiveAnalyzer& LiveLook::analyzer() const { return impl_->analyzer; }

const FrameInfo& LiveLook::draw(std::int64_t k, Canvas& canvas) {
  const FrameInfo& f = impl_->analyzer.frame(k);
  impl_->compositor->draw(canvas, f);
  return f;
}

void LiveLook::advance(std::int64_t k) { (void)impl_->analyzer.frame(k); }

void LiveLook::restyle(const ResolvedLook& look, const VideoSettings& settings, double title_from_s, bool transparent) {
  if (settings.fps() != impl_->settings.fps()) {
    throw Error(ErrorCode::Usage, "a live look keeps its frame rate when restyled (" + std::to_string(impl_->settings.fps()) +
                                      " fps, asked " + std::to_string(settings.fps()) + ")");
  }
  VideoSettings vs = live_settings(settings);
  Timeline tl = live_timeline(vs, std::llround(std::max(0.0, title_from_s) * 1000.0));
  // Built before anything is replaced: a look that cannot be drawn leaves the old one running.
  auto compositor = std::make_unique<Compositor>(drawable(look), vs, tl, nullptr, nullptr, Reframe{}, transparent);
  impl_->settings = std::move(vs);
  impl_->timeline = std::move(tl);
  impl_->compositor = std::move(compositor);
  impl_->analyzer.set_intensity(look.intensity);
}

}  // namespace mv
