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
                                       const Track* video_track, int letterbox_px, const Reframe& reframe) {
  if (look.pictures == "montage" || look.pictures == "footage") {
    if (video_track == nullptr) throw Error(ErrorCode::Usage, "the " + look.pictures + " needs a planned video track");
    return look.pictures == "montage" ? make_montage_background(vs.width(), vs.height(), *video_track)
                                      : make_footage_background(vs.width(), vs.height(), *video_track, look.look.effects.punch,
                                                                letterbox_px, vs.framing.fit, reframe, vs.fps());
  }
  const double vignette = look.look.effects.vignette;
  if (!vs.backdrop.empty()) {
    return make_picture_background(vs.backdrop, palette, vs.width(), vs.height(), look.look.effects.pan, vignette);
  }
  if (look.look.background == "gradient") return make_gradient_background(palette, vs.width(), vs.height(), vignette);
  return make_generated_background(palette, vs.width(), vs.height(), vignette);
}

/// The look's effects for the post pass: a background that bakes the vignette
/// in (all but footage and clips) takes it out of the post effects.
LookEffects post_effects(const ResolvedLook& look, bool transparent) {
  LookEffects fx = look.look.effects;
  if (look.pictures.empty() || transparent) fx.vignette = 0.0;
  if (transparent) fx.grain = fx.letterbox = fx.flash = 0.0;  // they would cover the whole frame
  return fx;
}

}  // namespace

Compositor::Compositor(const ResolvedLook& look, const VideoSettings& vs, const Timeline& timeline, const Track* video_track,
                       const Lyrics* lyrics, const Reframe& reframe, bool transparent)
    : grade_(transparent ? Grade("none") : look.lut.empty() ? Grade(look.look.grade) : Grade::from_lut(look.lut)),
      post_(post_effects(look, transparent), palette_by_name(look.palette), vs.width(), vs.height()),
      transition_(transparent && look.look.transition == "flash" ? "none" : look.look.transition, vs.width(), vs.height()),
      timed_{{"background"}, {"grade"}, {"particles"}, {"visualizer"}, {"effects"}, {"title"}} {
  const Palette palette = palette_by_name(look.palette);
  if (!transparent) background_ = make_background(look, vs, palette, video_track, post_.letterbox_px(), reframe);
  if (look.look.effects.particles > 0) {
    particles_ = make_particle_layer(palette, vs.width(), vs.height(), look.look.effects.particles);
  }
  const std::string& visualizer = look.pictures.empty() ? look.look.visualizer : look.look.over_pictures;
  visualizer_ = make_visualizer(visualizer, palette, vs.width(), vs.height(), look.pictures.empty() ? vs.backdrop : std::filesystem::path{});
  fused_ = background_ && !particles_ && !visualizer_ && post_.can_fuse_grade();
  text_ = std::make_unique<AssText>(timeline, look.look, palette, lyrics, vs.width(), vs.height(), post_.letterbox_px());
  if (vs.captions.progress_bar && timeline.duration_ms > 0) {
    progress_ = ProgressBar{palette.highlight, static_cast<double>(timeline.duration_ms) / 1000.0, post_.letterbox_px()};
  }
}

void Compositor::draw_text(Canvas& canvas, const FrameInfo& f) {
  // The card's darkening (an end card's) is of the whole frame: not over a streamer's scene.
  if (const double dim = text_->card_dim(f.time_s); dim > 0 && background_) canvas.tint(Rgb{0, 0, 0}, dim);
  if (progress_) draw_progress(canvas, *progress_, f.time_s);
  text_->draw(canvas, f.time_s);
}

void Compositor::draw_progress(Canvas& canvas, const ProgressBar& bar, double t) {
  // Landscape: just above the bottom edge (or the letterbox bar); portrait: above
  // the platforms' bottom 20 % (their captions and buttons).
  const int w = canvas.width(), h = canvas.height();
  const int thick = std::max(2, h / 240) & ~1;
  const int margin = w / 14;
  const int y = (h > w ? h * 80 / 100 - h / 40 : h - std::max(bar.letterbox_px, h / 30) - h / 60) & ~1;
  const int length = w - 2 * margin;
  const double done = std::clamp(t / bar.duration_s, 0.0, 1.0) * length;
  canvas.blend_rect(margin, y, length, thick, Rgb{255, 255, 255}, 0.28);
  const int full = static_cast<int>(done);
  canvas.blend_rect(margin, y, full, thick, bar.colour, 0.95);
  // The partly covered pixel column, so the bar moves smoothly, and a round head.
  canvas.blend_rect(margin + full, y, 1, thick, bar.colour, 0.95 * (done - full));
  canvas.blend_disc(margin + done, y + thick / 2.0, thick * 1.6, bar.colour, 0.95);
}

void Compositor::draw(Canvas& canvas, const FrameInfo& f) {
  auto t0 = Clock::now();
  auto lap = [&](std::size_t i) {
    const auto now = Clock::now();
    timed_[i].seconds += std::chrono::duration<double>(now - t0).count();
    t0 = now;
  };
  if (background_) {
    if (canvas.tracks_coverage()) canvas.track_coverage(false);  // transparent before: no longer
    background_->draw(canvas, f);
  } else {  // transparent: black with nothing covered, what alpha_from_black() takes away
    if (!canvas.tracks_coverage()) canvas.track_coverage(true);
    canvas.clear();
  }
  lap(0);
  if (fused_) {  // nothing drawn between the background and the effects: grade in their pass
    post_.apply_graded(canvas, f, grade_);
    transition_.apply(canvas, f);
    lap(4);
    draw_text(canvas, f);
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
  transition_.apply(canvas, f);
  lap(4);
  draw_text(canvas, f);
  lap(5);
}

std::vector<std::pair<std::string, double>> Compositor::layer_seconds() const {
  std::vector<std::pair<std::string, double>> out;
  out.reserve(timed_.size());
  for (const auto& t : timed_) out.emplace_back(t.name, t.seconds);
  return out;
}

}  // namespace mv
