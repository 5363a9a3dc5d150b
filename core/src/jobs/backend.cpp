// backend.cpp — the local and cloud backends and the runner (see mv/jobs/backend.hpp).
#include "mv/jobs/backend.hpp"

#include <system_error>

#include "mv/audio/soundtrack.hpp"
#include "mv/base/error.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/cloud/router.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace {

constexpr int kJobThumbnailWidth = 320;  // a running job's picture in a front end, pixels

JobEvent event(Stage stage, double fraction, std::string message = {}, std::shared_ptr<const RgbPicture> frame = nullptr) {
  JobEvent e;
  e.stage = stage;
  e.fraction = fraction;
  e.message = std::move(message);
  e.frame = std::move(frame);
  return e;
}

/// A local render's progress and, every 2 s of video, its frame as a thumbnail, passed on to `events`.
void watch_render(GenerateRequest& request, const JobEventFn& events, double& fraction) {
  if (!events) return;
  request.watch = [&events, &fraction](const Canvas& frame, double) {
    events(event(Stage::Render, fraction, {}, std::make_shared<const RgbPicture>(thumbnail(frame, kJobThumbnailWidth))));
  };
}

}  // namespace

namespace fs = std::filesystem;

GenerateRequest local_request(const JobSpec& spec) {
  if (!local_kind(spec.kind)) {
    throw Error(ErrorCode::Usage, std::string("this kind of video (") + kind_id(spec.kind) +
                                      ") is made by the cloud backend only; choose Cloud");
  }
  if (spec.inputs.empty()) throw Error(ErrorCode::Usage, "no input file given");
  GenerateRequest g;
  g.input = spec.inputs.front();
  g.output = spec.resolved_output();
  g.force = spec.force;
  VideoSettings& v = g.video;
  v.framing = spec.framing;
  if (!v.framing.aspect && !v.framing.size) v.framing.aspect = aspect_for_input(spec);
  v.look = spec.look;
  v.captions = spec.captions;
  v.prompt = spec.prompt;
  for (std::size_t i = 1; i < spec.inputs.size(); ++i) v.clips.push_back(spec.inputs[i]);
  if (spec.kind == JobKind::Montage) {
    if (v.clips.empty()) throw Error(ErrorCode::Usage, "a montage needs clips or photos besides the song");
    v.look.name = "montage";
  }
  v.preset = spec.preset;
  v.crf = spec.crf;
  v.threads = spec.threads;
  v.encoder = spec.encoder;
  g.excerpt = spec.excerpt;
  g.analysis = analysis_options(spec);
  g.live_analysis = spec.live_analysis;
  return g;
}

AnalysisOptions analysis_options(const JobSpec& spec) {
  AnalysisOptions o;
  o.start_s = spec.excerpt.start_s.value_or(0.0);
  o.duration_s = spec.excerpt.duration_s;
  o.bpm = spec.bpm;
  if (spec.tempo_range) std::tie(o.min_bpm, o.max_bpm) = *spec.tempo_range;
  o.audio_track = spec.audio_track.value_or(0);
  return o;
}

Aspect aspect_for_input(const JobSpec& spec) {
  // The moving pictures that fill the frame: the input's own footage, else the first clip.
  for (const auto& path : spec.inputs) {
    try {
      const MediaInfo info = probe_media(path);
      if (info.has_video && !info.is_still_image) return aspect_for_shape(info.display_width, info.display_height);
    } catch (const Error&) {
      return Aspect::Wide;  // the job itself reports the bad file
    }
  }
  return Aspect::Wide;
}

std::string cloud_instruction(const JobSpec& spec) {
  if (spec.kind == JobKind::Edit) return spec.prompt;
  std::string text;
  switch (spec.kind) {
    case JobKind::Montage: text = "Make a montage of these clips and photos, cut on the beat of the song."; break;
    case JobKind::Promo: text = "Make a promo video from these photos with the voice-over."; break;
    case JobKind::BackgroundMusic: text = "Add fitting background music to this clip."; break;
    default: text = "Make a music video for this song.";
  }
  if (spec.look.name) text += " Style: " + *spec.look.name + ".";
  if (spec.framing.aspect && *spec.framing.aspect != Aspect::Wide) {
    text += std::string(" Aspect ratio ") + aspect_id(*spec.framing.aspect) + ".";
  }
  if (!spec.captions.title.empty()) text += " Title: \"" + spec.captions.title + "\".";
  if (!spec.captions.artist.empty()) text += " Artist: \"" + spec.captions.artist + "\".";
  if (!spec.prompt.empty()) text += " " + spec.prompt;
  return text;
}

SoundtrackRequest soundtrack_request(const JobSpec& spec) {
  if (spec.inputs.empty()) throw Error(ErrorCode::Usage, "no clip given");
  if (spec.inputs.size() > 1) throw Error(ErrorCode::Usage, "background music takes one clip (give the music with --music)");
  SoundtrackRequest r;
  r.video = spec.inputs.front();
  r.output = spec.resolved_output();
  r.force = spec.force;
  r.music = spec.music;
  r.prompt = spec.prompt;
  r.seed = spec.seed;
  r.audio_track = spec.audio_track.value_or(0);
  return r;
}

namespace {

JobResult run_soundtrack(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) {
  const SoundtrackResult r = make_soundtrack(
      soundtrack_request(spec), [&](Stage stage, double fraction) { if (events) events(event(stage, fraction)); }, &cancel);
  JobResult out;
  out.output = r.output;
  out.duration_s = r.duration_s;
  out.size_bytes = r.size_bytes;
  out.tempo_bpm = r.tempo_bpm;
  out.note = r.tracks_note.empty() ? r.reason : r.reason + "\n" + r.tracks_note;
  out.soundtrack = r.to_json();
  (*out.soundtrack)["note"] = out.note;
  if (events) events(event(Stage::Done, 1.0, out.output.string()));
  return out;
}

/// The job's result from the local engine's.
JobResult local_result(const GenerateResult& r) {
  JobResult out;
  out.output = r.output;
  out.duration_s = r.duration_s;
  out.size_bytes = r.size_bytes;
  out.tempo_bpm = r.tempo_bpm;
  out.frames = r.frames;
  out.style = r.style;
  out.palette = r.palette;
  out.encoder = r.encoder;
  for (const auto& line : r.notes) out.note += (out.note.empty() ? "" : "\n") + line;
  if (!r.encoder_note.empty()) out.note += (out.note.empty() ? "" : "\n") + r.encoder_note;
  out.lyrics = r.lyrics;
  out.highlight = r.highlight;
  out.timeline = r.timeline.summary();
  out.timings = r.timings;
  return out;
}

PromoRequest promo_request(const JobSpec& spec) {
  PromoRequest p;
  p.video = local_request(spec);
  p.video.analysis = AnalysisOptions{};
  p.video.excerpt = Excerpt{};
  p.music = spec.music;
  p.seed = spec.seed;
  p.duration_s = spec.excerpt.duration_s;
  return p;
}

JobResult run_promo(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) {
  PromoRequest request = promo_request(spec);
  double last_fraction = 0.0;
  watch_render(request.video, events, last_fraction);
  const PromoResult r = generate_promo(
      request,
      [&](Stage stage, double fraction) {
        if (stage == Stage::Render) last_fraction = fraction;
        if (events) events(event(stage, fraction));
      },
      &cancel);
  JobResult out = local_result(r.video);
  nlohmann::json speech = nlohmann::json::array();
  for (const auto& [a, b] : r.speech) speech.push_back({a, b});
  out.soundtrack = nlohmann::json{{"cuts", r.cuts}, {"speech", speech}, {"photos_used", r.photos_used},
                                  {"music", {{"reason", r.music}}}, {"loudness_lufs", r.loudness_lufs},
                                  {"true_peak_dbtp", r.true_peak_dbtp}};
  if (!r.note.empty()) out.note = out.note.empty() ? r.note : r.note + "; " + out.note;
  if (events) events(event(Stage::Done, 1.0, out.output.string()));
  return out;
}

}  // namespace

JobResult LocalBackend::run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) {
  if (spec.kind == JobKind::BackgroundMusic) return run_soundtrack(spec, events, cancel);
  if (spec.kind == JobKind::Promo) return run_promo(spec, events, cancel);
  GenerateRequest request = local_request(spec);
  double last_fraction = 0.0;
  watch_render(request, events, last_fraction);
  const GenerateResult r = generate(
      request,
      [&](Stage stage, double fraction) {
        if (stage == Stage::Render) last_fraction = fraction;
        if (events) events(event(stage, fraction));
      },
      &cancel);
  JobResult out = local_result(r);
  if (events) events(event(Stage::Done, 1.0, out.output.string()));
  return out;
}

CloudBackend::CloudBackend(CloudBackendOptions options) : options_(std::move(options)) {}

namespace {

/// The result of a finished cloud job: its file's size and duration.
JobResult cloud_result(const CloudJob& job) {
  JobResult out;
  out.output = job.output;
  std::error_code ec;
  out.size_bytes = fs::file_size(out.output, ec);
  try {
    out.duration_s = probe_media(out.output).duration_s;
  } catch (const Error&) {
    out.duration_s = 0.0;  // checked when downloaded; a later probe failure only loses the figure
  }
  out.session_id = job.session_id;
  out.user_id = job.user_id;
  out.render_id = job.render_id;
  out.cloud_job_id = job.id;
  return out;
}

}  // namespace

JobResult CloudBackend::run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) {
  CloudClient client(options_.settings, &cancel);
  const CloudJobStore store(options_.job_file);
  const CloudProgressFn progress = [&](Stage stage, double fraction, const std::string& message) {
    // The backend talks as if the user had its web editor ("click Export"): say it our way.
    if (events) events(event(stage, fraction, stage == Stage::Generate ? rewrite_gui_language(message) : message));
  };
  CloudJob job;
  if (!spec.resume_cloud_job.empty()) {
    const auto saved = store.find(spec.resume_cloud_job);
    if (!saved) throw Error(ErrorCode::Internal, "the cloud job is no longer in the job file");
    job = resume_cloud_job(client, store, *saved, progress);
    if (job.state != "done") {
      throw Error(ErrorCode::Media, job.error.empty() ? "the cloud job could not be finished" : job.error);
    }
  } else if (spec.kind == JobKind::Edit) {
    job = cloud_edit(client, store, spec.session_id, spec.user_id, spec.prompt, spec.resolved_output(), progress);
  } else {
    const CloudGenerateRequest request{spec.inputs, cloud_instruction(spec), spec.resolved_output(), spec.force};
    job = cloud_generate(client, store, request, progress, options_.reuse_session ? &session_ : nullptr);
  }
  return cloud_result(job);
}

JobRunner::JobRunner(CloudBackendOptions cloud) : cloud_(std::make_unique<CloudBackend>(std::move(cloud))) {}

void JobRunner::set_cloud(CloudBackendOptions cloud) { cloud_ = std::make_unique<CloudBackend>(std::move(cloud)); }

JobResult JobRunner::run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) {
  spec.validate();
  if (spec.backend == Backend::Cloud || spec.kind == JobKind::Edit || !spec.resume_cloud_job.empty()) {
    return cloud_->run(spec, events, cancel);
  }
  return local_.run(spec, events, cancel);
}

}  // namespace mv
