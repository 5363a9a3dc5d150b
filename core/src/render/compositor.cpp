// compositor.cpp — see compositor.hpp.
#include "compositor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "mv/base/error.hpp"

namespace mv {

namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<Layer> make_background(const ResolvedLook& look, const VideoSettings& vs, const Palette& palette,
                                       const Track* video_track) {
  if (look.pictures == "montage" || look.pictures == "footage") {
    if (video_track == nullptr) throw Error(ErrorCode::Usage, "the " + look.pictures + " needs a planned video track");
    return look.pictures == "montage" ? make_montage_background(vs.width, vs.height, *video_track)
                                      : make_footage_background(vs.width, vs.height, *video_track, look.look.effects.punch);
  }
  const double vignette = look.look.effects.vignette;
  if (!vs.backdrop.empty()) {
    return make_picture_background(vs.backdrop, palette, vs.width, vs.height, look.look.effects.pan, vignette);
  }
  if (look.look.background == "gradient") return make_gradient_background(palette, vs.width, vs.height, vignette);
  return make_generated_background(palette, vs.width, vs.height, vignette);
}

/// The look's effects for the post pass: a background that bakes the vignette
/// in (all but footage and clips) takes it out of the post effects.
LookEffects post_effects(const ResolvedLook& look) {
  LookEffects fx = look.look.effects;
  if (look.pictures.empty()) fx.vignette = 0.0;
  return fx;
}

}  // namespace

TitleOverlay::TitleOverlay(const Timeline& tl, const Look& look, const Palette& palette, int width, int height,
                           int letterbox_px)
    : color_(palette.highlight) {
  if (look.title == "none") return;
  for (const auto& t : tl.tracks) {
    if (t.type != static_cast<int>(TrackType::Text) || t.segments.empty()) continue;
    const auto& s = t.segments.front();
    if (s.text.empty()) continue;
    TextRenderer font;
    const bool portrait = height > width;
    const int size = std::min(width, height) / (look.title == "centre" ? 8 : 12);
    mask_ = font.render(s.text, size, width * 86 / 100);
    start_s_ = static_cast<double>(s.start_ms) / 1000.0;
    end_s_ = static_cast<double>(s.start_ms + s.duration_ms) / 1000.0;
    x_ = (width - mask_.width) / 2;
    // Safe areas: 9:16 keeps clear of the platforms' buttons (top 12 %, bottom 20 %).
    const int safe_top = std::max(letterbox_px, portrait ? height * 12 / 100 : height / 20);
    const int safe_bottom = height - std::max(letterbox_px, portrait ? height * 20 / 100 : height / 20);
    int centre = height * 42 / 100;
    if (look.title == "top") centre = safe_top + mask_.height / 2 + height / 40;
    if (look.title == "lower") centre = portrait ? height * 70 / 100 : safe_bottom - mask_.height / 2 - height / 40;
    y_ = std::clamp(centre - mask_.height / 2, safe_top, std::max(safe_top, safe_bottom - mask_.height));
    shadow_ = std::max(2, height / 270);
    break;
  }
}

void TitleOverlay::draw(Canvas& canvas, double t) const {
  if (mask_.pixels.empty() || t < start_s_ || t >= end_s_) return;
  const double alpha = std::clamp(std::min((t - start_s_) / 0.5, (end_s_ - t) / 0.7), 0.0, 1.0);
  canvas.blend_mask(mask_.pixels.data(), mask_.width, mask_.height, x_ + shadow_, y_ + shadow_, Rgb{0, 0, 0}, 0.55 * alpha);
  canvas.blend_mask(mask_.pixels.data(), mask_.width, mask_.height, x_, y_, color_, alpha);
}

Compositor::Compositor(const ResolvedLook& look, const VideoSettings& vs, const Timeline& timeline, const Track* video_track)
    : grade_(look.look.grade),
      post_(post_effects(look), palette_by_name(look.palette), vs.width, vs.height),
      timed_{{"background"}, {"grade"}, {"particles"}, {"visualizer"}, {"effects"}, {"title"}} {
  const Palette palette = palette_by_name(look.palette);
  background_ = make_background(look, vs, palette, video_track);
  if (look.look.effects.particles > 0) {
    particles_ = make_particle_layer(palette, vs.width, vs.height, look.look.effects.particles);
  }
  const std::string& visualizer = look.pictures.empty() ? look.look.visualizer : look.look.over_pictures;
  visualizer_ = make_visualizer(visualizer, palette, vs.width, vs.height, look.pictures.empty() ? vs.backdrop : std::filesystem::path{});
  title_ = std::make_unique<TitleOverlay>(timeline, look.look, palette, vs.width, vs.height, post_.letterbox_px());
}

void Compositor::draw(Canvas& canvas, const FrameInfo& f) {
  auto t0 = Clock::now();
  auto lap = [&](std::size_t i) {
    const auto now = Clock::now();
    timed_[i].seconds += std::chrono::duration<double>(now - t0).count();
    t0 = now;
  };
  background_->draw(canvas, f);
  lap(0);
  grade_.apply(canvas);
  lap(1);
  if (particles_) particles_->draw(canvas, f);
  lap(2);
  if (visualizer_) visualizer_->draw(canvas, f);
  lap(3);
  post_.apply(canvas, f);
  lap(4);
  title_->draw(canvas, f.time_s);
  lap(5);
}

std::vector<std::pair<std::string, double>> Compositor::layer_seconds() const {
  std::vector<std::pair<std::string, double>> out;
  out.reserve(timed_.size());
  for (const auto& t : timed_) out.emplace_back(t.name, t.seconds);
  return out;
}

}  // namespace mv
