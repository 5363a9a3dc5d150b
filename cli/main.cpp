// main.cpp — mvgen, the command-line front end of mvcore.
//
//   mvgen generate INPUT -o OUT.mp4 [options]   make a music video
//   mvgen analyze INPUT [options]               print the analysis as JSON
//   mvgen bench [options]                       benchmark against the ffmpeg CLI
//
// Exit codes (README "Exit codes"): 0 done, 1 internal or FFmpeg failure,
// 2 usage, 3 bad input, 4 output refused or not writable, 130 cancelled.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "bench.hpp"
#include "cloud-commands.hpp"
#include "generate-command.hpp"
#include "mv/analysis/analysis.hpp"
#include "mv/audio/track-profile.hpp"
#include "mv/base/error.hpp"
#include "mv/base/version.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/jobs/job.hpp"
#include "mv/render/look.hpp"
#include "mv/media/media.hpp"
#include "progress-printer.hpp"

namespace {

namespace fs = std::filesystem;

mv::CancelToken g_cancel;

extern "C" void on_interrupt(int /*signal*/) {
  g_cancel.request();
  // A second Ctrl-C kills at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

constexpr const char* kUsage = R"(mvgen — turn a song into a beat-synced music video (local engine)

Usage:
  mvgen generate INPUT -o OUT.mp4 [options]
  mvgen generate --batch INPUT... -o FOLDER [--jobs N] [options]   (one MP4 per input: FOLDER/<name>.mp4)
  mvgen soundtrack VIDEO -o OUT.mp4 [--music FILE|FOLDER] [--prompt TEXT] [--seed N] [--force]
                                               background music for a clip: your track (or the one of
                                               a folder that fits it best) fitted to its cuts and
                                               length, else music composed for it (mood from the
                                               prompt: calm, upbeat, epic, lofi, dark); ducked under
                                               speech, -14 LUFS; the video copied untouched
  mvgen generate VOICE --kind promo --clips PHOTO... -o OUT.mp4 [--cta TEXT] [--music FILE|FOLDER] [--duration S]
                                               a promo: the photos change at the voice-over's pauses,
                                               zooming toward their detail, with the look's transitions,
                                               a title card, an end card with the call to action and a
                                               music bed ducked under the voice
  mvgen analyze INPUT [--start S] [--duration S] [--bpm BPM] [--tempo-range MIN-MAX] [--highlight S] [--audio-track N]
                                               the analysis as JSON, with the 3 best highlights of
                                               S seconds (default 30), labelled segments, and every
                                               audio track: its name and whether it holds speech, music
                                               or both, and which is the mix
  mvgen looks                                  the looks, one per line: name, then what it does
  mvgen preview INPUT -o FRAME.png [--at S] [--look NAME] [generate's look and frame options]
                                               one frame of the video, as a PNG, in about a second
  mvgen bench [--song FILE] [--seconds 180] [--preset veryfast] [--long FILE] [--charts DIR] [--live]
                                               (--charts alone: only our beats and QM's against known beats)
                                               (--live: every look drawn live at 720p and 1080p, ms per frame)
  mvgen generate --backend cloud INPUT... --prompt TEXT -o OUT.mp4   (--batch: one render per input, -o FOLDER)
  mvgen cloud credits | status | chat TEXT [FILE...] | export -o OUT.mp4   [--api-url URL] [--json]
  mvgen jobs list | resume [JOB_ID]
  mvgen --version | --help

INPUT: %AUDIO%, or a video (%VIDEO%) whose audio is used; photos for --clips: %IMAGES%.

generate options:
  -o, --output FILE       the MP4 to write (required)
  --aspect A              %ASPECTS% (default: the input's shape:
                          9:16 for a vertical video, 1:1 for a square one, else 16:9)
  --audio-track N         the input's audio track, as `mvgen analyze` lists them (default: the
                          track that holds the music; soundtrack: every track but the mix and music)
  --analysis song|live    song (default): every frame from the whole song's analysis; live: from
                          the audio up to each frame only, as the live look in OBS draws it
  --resolution 720p|1080p (default 1080p; 720p scales the aspect's size by 2/3)
  --size WxH              any even size, e.g. 320x180 (overrides --aspect/--resolution)
  --fps 24|30|60          (default 30)
  --look NAME             %STYLES%
                          (default: bars; cinema for a video input or --clips; `mvgen looks`
                          describes each; add your own in %LOOKS_DIR%)
  --style NAME            the older name of --look
  --palette NAME          %PALETTES% (default: the look's)
  --intensity X           0.3 … 2 (default 1; prompt words: calm 0.6, intense 1.5)
  --prompt TEXT           keywords pick look, palette, intensity (see README)
  --title TEXT            title drawn over the first 4 s (default: the file's tags, else its
                          name; "Artist - Title" names are split)
  --artist TEXT           artist under the title (default: the file's tags, else its name)
  --no-title              no title (nor end card)
  --end-card              title and artist over the darkened last 3 s
  --progress-bar          a thin bar along the bottom that fills with the song
  --lut NAME|FILE         grade with a 3D LUT: %LUTS% or a .cube/.3dl file
                          (default: the look's grade; none: no grade)
  --lyrics FILE|none      synced lyrics or captions (.lrc with optional word times, .srt, .ass),
                          the sung word highlighted (default: SONG.lrc/.srt/.ass next to the
                          song, if there is one; none: no lyrics)
  --clips FILE...         photos and video clips for a montage cut on the beat
  --image FILE            artwork, logo or photo behind the visualizer, blurred and darkened
                          (default: the song's embedded cover art, if any)
  --footage on|off        a video input's own pictures, in sync with its sound (default on;
                          off: the audio-reactive styles only)
  --kind KIND             %KINDS% (default: the first)
  --music FILE|FOLDER     background_music / soundtrack / promo: your music (default: composed)
  --seed N                background_music / soundtrack / promo: another composition (default: from the clip)
  --cta TEXT              a call to action on the end card over the last 3 s ("Shop now - link in bio");
                          a promo's closing line
  --start S --duration S  use an excerpt of the input (seconds)
  --highlight [S]         use the song's best S seconds (15-60, default 30): its chorus or hook,
                          found from repetition and energy, on downbeats, with short fades
  --short                 a Short: --aspect 9:16 --highlight 30 --fit follow
  --highlight-start S     move the highlight to start near S s (on the nearest bar; implies --highlight)
  --fit follow|blur|letterbox
                          a video input's footage in a frame of another aspect (a 16:9
                          recording in 9:16): a crop that follows the subject (the region of
                          motion; default), the whole picture over a blurred copy, or bars
  --bpm BPM               force the tempo
  --tempo-range MIN-MAX   tempo search range in BPM (default 60-200)
  --preset NAME           x264 preset (default veryfast)
  --encoder E             auto, x264 (default), nvenc, vaapi or qsv; auto tries the hardware
                          H.264 encoders and falls back to libx264 with a note
  --crf N                 x264 quality, lower is better (default 23)
  --threads N             encoder threads (default: all cores)
  --force                 replace an existing output
  --batch                 several INPUTs, -o names a folder; each input → FOLDER/<input name>.mp4
  --jobs N                with --batch: at most N renders at a time (default 2)
  --backend local|cloud   the local engine (default, offline) or the vendor cloud
  --json                  progress and result as JSON lines on stdout
  --quiet                 no progress output
  --verbose               also FFmpeg's own warnings and errors (off by default)

Exit codes: 0 done, 1 internal/FFmpeg failure, 2 usage, 3 bad input, 4 output refused, 130 cancelled.
)";

/// The help text with the lists filled in from core (extensions, aspects, styles, palettes, kinds).
std::string usage() {
  std::string text = kUsage;
  auto fill = [&](const std::string& key, const std::string& value) { text.replace(text.find(key), key.size(), value); };
  fill("%AUDIO%", mv::extension_list(mv::audio_extensions()));
  fill("%VIDEO%", mv::extension_list(mv::video_extensions()));
  fill("%IMAGES%", mv::extension_list(mv::image_extensions()));
  std::string aspects, kinds;
  for (const auto& a : mv::aspects()) {
    aspects += (aspects.empty() ? "" : ", ") + std::string(a.id) + " (" + std::to_string(a.width) + "x" + std::to_string(a.height) + ")";
  }
  for (const auto& k : mv::job_kinds()) {
    if (k.offered) kinds += (kinds.empty() ? "" : ", ") + std::string(k.id) + (k.local ? "" : " (cloud)");
  }
  fill("%ASPECTS%", aspects);
  fill("%KINDS%", kinds);
  fill("%STYLES%", mv::extension_list(mv::style_names()));
  fill("%LUTS%", mv::extension_list(mv::bundled_lut_names()));
  fill("%LOOKS_DIR%", mv::user_looks_dir().string());
  fill("%PALETTES%", mv::extension_list(mv::palette_names()));
  return text;
}

int cmd_analyze(const mvcli::Args& args) {
  if (args.positional.size() != 1) throw mv::Error(mv::ErrorCode::Usage, "mvgen analyze takes exactly one INPUT file");
  const fs::path input = args.positional.front();
  double length = mv::kDefaultHighlightS;
  mv::AnalysisOptions options = mvcli::analysis_from_args(args, &length);
  // Every audio track, what it holds, and the one analysed: the user's, else the music's.
  const mv::MediaInfo info = mv::probe_media(input);
  if (!info.has_audio) throw mv::Error(mv::ErrorCode::InputInvalid, input.string() + " has no audio track to analyse");
  const std::vector<mv::TrackProfile> tracks = mv::profile_tracks(input, info, &g_cancel);
  if (options.audio_track > 0) {
    (void)mv::audio_track(info, options.audio_track, input);
  } else {
    options.audio_track = mv::music_track(tracks, info);
  }
  const auto analysis = mv::analyze_file(input, options, {}, &g_cancel);
  auto json = mv::analysis_to_json(analysis);
  json["audio_track"] = options.audio_track;
  json["audio_tracks"] = nlohmann::json::array();
  for (const auto& t : tracks) json["audio_tracks"].push_back(t.to_json());
  json["highlights"] = mv::highlights_to_json(mv::find_highlights(analysis, length));
  std::cout << json.dump(2) << "\n";
  return 0;
}

/// Prints every look, one per line: its name, two spaces, its description. A
/// user look file that failed to load is reported on stderr (its name and
/// field) and skipped.
int cmd_looks() {
  const auto& library = mv::look_library();
  std::size_t width = 0;
  for (const auto& l : library.looks()) width = std::max(width, l.name.size());
  for (const auto& l : library.looks()) {
    std::printf("%-*s  %s\n", static_cast<int>(width), l.name.c_str(), l.description.c_str());
  }
  for (const auto& p : library.problems()) std::fprintf(stderr, "mvgen: warning: %s; skipped\n", p.c_str());
  return 0;
}

/// Runs a command; errors are thrown for main() to print and map to exit codes.
int dispatch(const std::string& command, const mvcli::Args& args, const char* self, mvcli::ProgressPrinter& printer) {
  if (command == "generate") return mvcli::generate_command(args, g_cancel, printer);
  if (command == "cloud" || command == "jobs") {
    if (args.positional.empty()) throw mv::Error(mv::ErrorCode::Usage, "mvgen " + command + " needs a sub-command (see mvgen --help)");
    const std::string verb = args.positional.front();
    return command == "cloud" ? mvcli::cloud_command(verb, args, g_cancel) : mvcli::jobs_command(verb, args, g_cancel);
  }
  if (command == "soundtrack") return mvcli::soundtrack_command(args, g_cancel, printer);
  if (command == "analyze") return cmd_analyze(args);
  if (command == "looks") return cmd_looks();
  if (command == "preview") return mvcli::preview_command(args, g_cancel);
  if (command == "bench") {
    return mvcli::run_bench(self, args.get("--song"), args.get("--long"), args.get("--seconds").value_or("180"),
                            args.get("--preset").value_or("veryfast"), args.get("--charts"), args.has("--live"));
  }
  throw mv::Error(mv::ErrorCode::Usage, "unknown command \"" + command + "\" (see mvgen --help)");
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::fputs(usage().c_str(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::printf("mvgen %s (%s)\n", mv::kVersion, mv::kProjectName);
    return 0;
  }
  bool json = false, quiet = false, verbose = false;
  for (int i = 2; i < argc; ++i) {
    json = json || std::strcmp(argv[i], "--json") == 0;
    quiet = quiet || std::strcmp(argv[i], "--quiet") == 0;
    verbose = verbose || std::strcmp(argv[i], "--verbose") == 0;
  }
  mv::quiet_ffmpeg_log(verbose);  // FFmpeg's own lines only with --verbose
  mv::limit_ffmpeg_allocation();  // a hostile header must not make FFmpeg claim gigabytes
  install_signal_handlers();
  mvcli::ProgressPrinter printer(json, quiet);
  try {
    return dispatch(argv[1], mvcli::parse_args(argc, argv, 2), argv[0], printer);
  } catch (const std::exception& e) {
    printer.finish();
    const mv::JobError error = mv::job_error_from(e);
    if (printer.json()) printer.json_line({{"error", error.to_json()}});
    if (error.code == mv::ErrorCode::Internal && dynamic_cast<const mv::Error*>(&e) == nullptr) {
      std::fprintf(stderr, "mvgen: internal error: %s\n", e.what());
    } else {
      std::fprintf(stderr, "mvgen: %s\n", error.code == mv::ErrorCode::Cancelled ? "cancelled; no output was written" : e.what());
    }
    return mv::exit_code(error.code);
  }
}
