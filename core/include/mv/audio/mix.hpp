// mix.hpp — a soundtrack's mix: where someone speaks in the clip (voice
// activity), the music ducked under them, and the sum brought to the
// platforms' loudness (−14 LUFS integrated, true peak ≤ −1 dBTP).
#pragma once

#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

#include "mv/audio/music.hpp"
#include "mv/base/progress.hpp"

namespace mv {

/// The sound of `path` (audio track `track`, 1-based; 0: its best) as stereo
/// PCM at `rate` Hz, exactly `frames` long: silence after its end, a 50 ms
/// fade-out where it is cut short. Errors: as AudioReader; Error{Cancelled}.
Pcm read_sound(const std::filesystem::path& path, int rate, std::size_t frames, const CancelToken* cancel = nullptr,
               int track = 0);

/// The mean of `pcm`'s channels.
std::vector<float> mono_of(const Pcm& pcm);

/// Where a voice is heard, in steps of `step_s`.
struct VoiceActivity {
  double step_s = 0.01;                ///< 10 ms
  std::vector<std::uint8_t> voiced;    ///< 1 where someone speaks
  /// The voiced stretches as [start, end) seconds, in order.
  [[nodiscard]] std::vector<std::pair<double, double>> intervals() const;
  /// Seconds voiced in all.
  [[nodiscard]] double voiced_s() const;
};

/// Finds speech in mono PCM at `rate` Hz: per 10 ms, the level of the speech
/// band (300–3400 Hz, a 2nd-order Butterworth high-pass and low-pass, RBJ
/// cookbook biquads) against the recording's noise floor (its 10th percentile
/// level): voiced when the band is 12 dB over the floor, above −55 dBFS, and
/// holds most of the frame's energy (≥ 40 %, so rumble and hiss are not
/// voice), and when the band's level moves by syllables (a 3 dB standard
/// deviation over 400 ms: speech rises and falls 3–8 times a second, a steady
/// drone does not). Gaps under 250 ms are closed (the pauses inside a phrase),
/// stretches under 150 ms dropped (a click).
VoiceActivity find_voice(const std::vector<float>& mono, int rate);

/// The music's gain (linear, 0..1) for every frame of `frames` at `rate`: 1
/// where nobody speaks, 10^(−depth_db/20) while they do; it starts falling
/// `attack_s` before the voice (the mix is offline: it looks ahead) and rises
/// again over `release_s` after it, both as raised-cosine ramps.
std::vector<float> duck_gain(const VoiceActivity& voice, std::size_t frames, int rate, double depth_db = 12.0,
                             double attack_s = 0.12, double release_s = 0.45);

/// EBU R128 measures (ITU-R BS.1770-4, with libebur128): integrated loudness
/// (LUFS; −70 for silence) and true peak (dBTP, 4× oversampled; −inf as −100).
struct Loudness {
  double integrated_lufs = -70.0;
  double true_peak_dbtp = -100.0;
};
/// Measures `pcm`.
Loudness measure_loudness(const Pcm& pcm);

/// Brings `pcm` to `target_lufs` integrated with a true peak at most
/// `ceiling_dbtp`: a gain, then a look-ahead peak limiter (5 ms look-ahead:
/// the gain is the running minimum of what each sample allows, smoothed by a
/// 5 ms moving average so it never rises above that minimum, then released
/// over 80 ms — the standard brick-wall design, e.g. Giannoulis, Massberg &
/// Reiss, "Digital Dynamic Range Compressor Design", JAES 2012), measured
/// again with libebur128 and repeated (at most 4 times) until both hold to
/// 0.3 LU and 0.05 dB. Silence is left alone. Returns the final measures.
Loudness normalize_loudness(Pcm& pcm, double target_lufs = -14.0, double ceiling_dbtp = -1.0);

/// The platforms' loudness (YouTube, Spotify and TikTok normalise to about
/// −14 LUFS) and the true-peak ceiling mixes are limited to: −1.5 dBTP in PCM,
/// because AAC's quantisation adds up to about half a decibel of peak
/// (measured here: −1.2 dBTP PCM → −0.9 dBTP decoded), so the file stays ≤ −1 dBTP.
inline constexpr double kTargetLufs = -14.0, kMixCeilingDbtp = -1.5;

/// Mixes `music` (same rate and channels, at least as long) under `sound` in
/// place: the music brought to `below_lu` under the sound's integrated
/// loudness (or to the target itself when the sound is silent), ducked where
/// `voice` speaks (duck_gain), then the sum normalised to kTargetLufs with a
/// true peak ≤ kMixCeilingDbtp. Returns the final measures.
Loudness mix_under(Pcm& sound, const Pcm& music, const VoiceActivity& voice, double below_lu);

}  // namespace mv
