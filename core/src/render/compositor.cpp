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
  fused_ = !particles_ && !visualizer_ && post_.can_fuse_grade();
  title_ = std::make_unique<AssTitle>(timeline, look.look, palette, vs.width, vs.height, post_.letterbox_px());
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
  if (fused_) {  // nothing drawn between the background and the effects: grade in their pass
    post_.apply_graded(canvas, f, grade_);
    lap(4);
    title_->draw(canvas, f.time_s);
    lap(5);
    return;
  }
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
