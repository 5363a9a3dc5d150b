// live-look.hpp — a look drawn live: audio blocks in, frames out. The
// compositor runs without a planned timeline (only the title card, over the
// first 4 s) and reads each frame's FrameInfo from the causal LiveAnalyzer,
// so the live source in OBS and `mvgen generate --analysis live` draw the
// same picture from the same audio.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "mv/analysis/frame-info.hpp"
#include "mv/analysis/live-analyzer.hpp"
#include "mv/media/canvas.hpp"
#include "mv/render/generate.hpp"

namespace mv {

/// One live look: push audio, draw frames in increasing order. Not
/// thread-safe: one thread pushes and draws (a live source's drawing thread).
class LiveLook {
 public:
  /// `look`: resolve_look(settings), resolved once by the caller. `settings`:
  /// the frame (size, fps), the captions (a title card with the title and
  /// artist over the first 4 s unless title_card is off; no end card and no
  /// progress bar: a live stream has no end) and the backdrop (the picture
  /// behind the look; empty: the look's own generated background).
  /// `sample_rate` (Hz) and `channels` of the pushed audio. `tempo_range_bpm`:
  /// where the beat tracker looks for the tempo (min, max BPM; as
  /// JobSpec::tempo_range and --tempo-range: a narrower range settles a
  /// half/double choice, e.g. 58–115 for music felt slow). `transparent`:
  /// the look without its ground, drawn over black (Compositor's transparent:
  /// no background, grade, vignette, grain, letterbox or flash), for
  /// alpha_from_black() to lay over the streamer's scene.
  /// Errors: Error{Usage} for a look that draws the input's own footage or
  /// clips (look.pictures not empty: there is no footage live), for a tempo
  /// range outside 20–400 BPM or narrower than a factor 1.5, and those of
  /// LiveAnalyzer and Compositor (a backdrop that cannot be read).
  LiveLook(const ResolvedLook& look, const VideoSettings& settings, int sample_rate, int channels,
           std::pair<double, double> tempo_range_bpm = {kDefaultMinBpm, kDefaultMaxBpm}, bool transparent = false);
  ~LiveLook();
  LiveLook(const LiveLook&) = delete;
  LiveLook& operator=(const LiveLook&) = delete;

  /// Appends `frames` frames of interleaved samples (LiveAnalyzer::push).
  void push(const float* interleaved, std::size_t frames);
  /// Seconds of audio pushed so far.
  [[nodiscard]] double pushed_s() const;
  /// Draws frame `k` (time k / fps; not below the previous call's) into
  /// `canvas` (the settings' size; it holds the previous frame, which the
  /// effects read) from the audio pushed up to that time. Returns the frame's
  /// drawing inputs (valid until the next call).
  const FrameInfo& draw(std::int64_t k, Canvas& canvas);
  /// Runs the analysis up to frame `k` without drawing (a source that is not
  /// showing): the tempo stays locked and the audio does not pile up.
  void advance(std::int64_t k);
  /// Changes what is drawn from the next frame on, keeping the analysis (the
  /// tempo and beats stay locked): another look, palette, intensity, size,
  /// picture or title. The title card (when the captions have one) shows for
  /// 4 s from `title_from_s` (s, the time of frames; a new song's title comes
  /// in again); `transparent` as the constructor's. Errors: as the
  /// constructor's, and Error{Usage} for another frame rate; on an error the
  /// previous look keeps drawing.
  void restyle(const ResolvedLook& look, const VideoSettings& settings, double title_from_s, bool transparent = false);
  /// The analysis behind the frames (tempo, the beats shown so far).
  [[nodiscard]] const LiveAnalyzer& analyzer() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
