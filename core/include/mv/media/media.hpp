// media.hpp — probing media files and streaming their audio out as PCM,
// on FFmpeg's libavformat / libavcodec / libswresample.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <cstddef>
#include <string>
#include <vector>

namespace mv {

/// One audio track of a file. OBS records up to six, each named in the file
/// (the stream's "title" tag: "Track 1"… unless the user renamed them in
/// Settings → Output → Audio), the first usually the stream's mix.
struct AudioTrack {
  int number = 0;          ///< 1-based, in the file's order of audio streams (what --audio-track takes)
  int stream_index = -1;   ///< libavformat's index of the stream
  std::string name;        ///< its "title" tag, trimmed; may be empty
  int channels = 0;
  int sample_rate = 0;     ///< Hz
  double duration_s = 0.0; ///< s, the stream's own, else the container's (0 if unknown)
  std::string codec;       ///< e.g. "aac"
};

/// What a media file holds, as far as mvgen cares.
struct MediaInfo {
  std::string format_name;       ///< libavformat demuxer name, e.g. "mp3", "mov,mp4,m4a,3gp,3g2,mj2"
  double duration_s = 0.0;       ///< container duration in seconds (0 if unknown)
  bool has_audio = false;        ///< at least one decodable audio stream
  bool has_video = false;        ///< a video stream that is not an attached cover picture
  bool is_still_image = false;   ///< an image file (png, jpeg, webp...) or single-frame video
  bool has_cover_art = false;    ///< an attached picture (ID3 APIC, FLAC PICTURE, MP4 covr)
  int sample_rate = 0;           ///< of the best audio stream, Hz
  int channels = 0;              ///< of the best audio stream
  std::string audio_codec;       ///< e.g. "mp3", "aac", "vorbis"
  int width = 0, height = 0;     ///< of the best video stream as stored, pixels
  /// As shown: width and height swapped when a display matrix turns the
  /// picture a quarter turn (a phone held upright), pixels.
  int display_width = 0, display_height = 0;
  std::string video_codec;       ///< e.g. "h264", "png"
  /// The best video stream's colour: transfer ("bt709", "arib-std-b67" = HLG,
  /// "smpte2084" = PQ; empty when untagged), primaries ("bt709", "bt2020"),
  /// bits per sample, and full range (JPEG levels).
  std::string color_transfer, color_primaries;
  int bit_depth = 8;
  bool full_range = false;
  /// The audio tracks, in the file's order (empty when it has none).
  std::vector<AudioTrack> audio_tracks;
  /// Number (AudioTrack::number) of the track FFmpeg ranks best (the default
  /// track, else the first with the most channels); 0 when there is no audio.
  int best_audio_track = 0;
  /// The file's tags (ID3, Vorbis comments, MP4 atoms: FFmpeg's metadata keys
  /// "title" and "artist", else "album_artist"), from the container, else the
  /// best audio stream (Ogg, Opus); trimmed, empty when absent.
  std::string title, artist;
};

/// Text of an FFmpeg error number (AVERROR), e.g. "Invalid data found when processing input".
std::string av_error_text(int averror);

/// Lower-case extensions (no dot) of the files mvcore takes, by kind: audio
/// (mp3, wav, flac, ogg, opus, m4a, aac), video (mp4, mov, mkv, webm, avi,
/// flv) and images (png, jpg, jpeg, webp, bmp, gif). A song may be audio or a
/// video whose sound is used; clips and photos for a montage are video or
/// images. FFmpeg reads more; these are the ones front ends offer.
const std::vector<std::string>& audio_extensions();
const std::vector<std::string>& video_extensions();
const std::vector<std::string>& image_extensions();
/// The list as text, e.g. "mp3, wav, flac" (for messages and help).
std::string extension_list(const std::vector<std::string>& extensions);

/// Sets FFmpeg's own log output: none (the default for front ends: what goes
/// wrong reaches the user as our own messages, never as raw `[mov,mp4,… @
/// 0x…]` lines), or, with `verbose`, its warnings and errors on stderr
/// (mvgen --verbose). Front ends call it once at start-up.
void quiet_ffmpeg_log(bool verbose = false);

/// The largest single allocation FFmpeg may make in a front end that owns its
/// process (mvgen): 512 MiB, far above any frame or packet we decode (an 8K RGBA
/// frame is 133 MB) and far below what a hostile header can ask for (a 300-byte
/// WAV whose RIFF LIST chunk claims 1.95 GB made libavformat 5.1 zero-fill that
/// much; found by fuzz/fuzz-media-probe; ffprobe does the same).
inline constexpr std::size_t kMaxFfmpegAllocation = 512u << 20;

/// Caps every single FFmpeg allocation at `max_bytes` (av_max_alloc; process-wide,
/// so only for front ends that own the process — the OBS plugin shares libavutil
/// with OBS and leaves OBS's setting alone). Larger requests fail and the file is
/// reported unreadable.
void limit_ffmpeg_allocation(std::size_t max_bytes = kMaxFfmpegAllocation);

/// Opens `path` with libavformat and reads its stream layout.
/// Errors: Error{InputMissing} if the path is absent or not a regular file,
/// Error{InputInvalid} if it is empty or FFmpeg cannot read it as media — an
/// MP4/MOV whose index (moov atom) never came, as a recording cut off by a
/// crash or a full disk leaves it, says so and how to recover it.
MediaInfo probe_media(const std::filesystem::path& path);

/// The colour of a picture that is converted before it is drawn — HDR (HLG,
/// PQ) or wide gamut (BT.2020) into BT.709 SDR, with zscale and tonemap
/// (VisualSource does it) — as a note names it: "HLG BT.2020 10-bit"; empty
/// for pictures already BT.709 SDR (or untagged).
std::string picture_conversion(const MediaInfo& info);

/// The track `number` of `info` (1-based); Error{Usage} naming the tracks
/// there are when it has no such track ("… has 2 audio tracks: 1 \"Track 1\",
/// 2 \"Mic\"").
const AudioTrack& audio_track(const MediaInfo& info, int number, const std::filesystem::path& path);

/// A track's name as a person reads it: its tag, else "Track N".
std::string track_label(const AudioTrack& track);

/// Throws unless `path` is a media file with a video stream (probe_media):
/// the check of a downloaded render. Errors: as probe_media, plus
/// Error{InputInvalid} "<path> has no video".
void require_video_file(const std::filesystem::path& path);

/// Writes `frames` frames of interleaved float PCM (`channels` per frame, at
/// `rate` Hz) as a 32-bit float WAV file (WAVE_FORMAT_IEEE_FLOAT), replacing
/// `path`. Errors: Error{Output} naming the path when it cannot be written.
void write_float_wav(const std::filesystem::path& path, const float* interleaved, std::size_t frames, int rate,
                     int channels);

/// Streams the best audio track of a file as interleaved float PCM at a sample
/// rate and channel count of the caller's choosing (libswresample converts).
/// `start_s`/`duration_s` cut an excerpt (sample-exact: samples before the
/// start are dropped after seeking). Memory use is one packet's worth.
class AudioReader {
 public:
  /// Opens the file. `out_rate` in Hz (0 = the stream's own rate),
  /// `out_channels` 1 or 2 (0 = the stream's own count, capped at 2: more
  /// channels are downmixed to stereo by libswresample's default matrix, the
  /// centre and surrounds at −3 dB, ITU-R BS.775; the LFE left out).
  /// `track`: the audio track's number (AudioTrack::number, 1-based); 0 =
  /// FFmpeg's best. Errors: as probe_media, plus Error{InputInvalid} "has no
  /// audio track", Error{Usage} for a track the file does not have.
  AudioReader(const std::filesystem::path& path, int out_rate, int out_channels,
              double start_s = 0.0, std::optional<double> duration_s = std::nullopt, int track = 0);
  ~AudioReader();
  AudioReader(const AudioReader&) = delete;
  AudioReader& operator=(const AudioReader&) = delete;

  [[nodiscard]] int sample_rate() const;   ///< output rate, Hz
  [[nodiscard]] int channels() const;      ///< output channel count
  /// Expected output length in seconds from the container (0 if unknown);
  /// used for progress only, never trusted for timing.
  [[nodiscard]] double expected_duration_s() const;

  /// Decodes the next chunk and appends it (interleaved float, `channels()` per
  /// frame) to `out`. Returns false at end of stream. Corrupt packets are skipped
  /// and counted (see `skipped_packets()`), so a truncated file yields what it has.
  bool read(std::vector<float>& out);

  /// Packets that failed to decode and were skipped.
  [[nodiscard]] int skipped_packets() const;
  /// After read() returned false: true when the file ended before it should
  /// have — a recording cut off: the container promised more than was read
  /// (more than 0.5 s and 2 % short), a transport stream ends inside one of its
  /// 188-byte packets, or the last packets are flagged corrupt. Reading a
  /// requested excerpt to its end is not early.
  [[nodiscard]] bool ended_early() const;
  /// The container's length (s, 0 when unknown): what ended_early() compares with.
  [[nodiscard]] double claimed_duration_s() const;
  /// Seconds of input position reached so far (for progress).
  [[nodiscard]] double position_s() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
