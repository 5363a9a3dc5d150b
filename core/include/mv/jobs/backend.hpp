// backend.hpp — the one path every job takes: a JobSpec goes to a backend
// (the local engine or the cloud) through JobRunner::run, which reports
// JobEvents and returns a JobResult or throws. mvgen (single, --batch,
// --backend cloud) and the plugin (dock, hotkey, record-stop generation,
// obs-websocket requests) all call it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "mv/audio/soundtrack.hpp"
#include "mv/base/progress.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/flow.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/jobs/job.hpp"
#include "mv/render/generate.hpp"

namespace mv {

/// A backend: runs one job on the calling thread.
class JobBackend {
 public:
  virtual ~JobBackend() = default;
  /// Runs `spec` (already validated) and writes its output. `events` may be
  /// empty. Stops within a frame (local) or a second (cloud) once `cancel` is
  /// requested, by throwing Error{Cancelled}. Errors: mv::Error (CloudError
  /// for the cloud's failures), with the output untouched and no temporary
  /// file left behind (a cloud download's part file is kept for resuming).
  virtual JobResult run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) = 0;
};

/// The local engine's request for a spec: frame size, look, clips (inputs
/// after the first), excerpt and tempo options, encoder settings and the
/// output (spec.resolved_output()). A montage takes style "montage".
/// Errors: Error{Usage} for kinds the local engine does not make (promo,
/// background music, edit: "… is made by the cloud backend only; choose
/// Cloud"), a montage without clips.
GenerateRequest local_request(const JobSpec& spec);

/// The analysis options of a spec: its excerpt's start and duration, the
/// forced tempo, the tempo range and the audio track (0: chosen by the engine).
/// The one mapping from a job to the analysis (mvgen analyze, the dock's Short
/// range and local_request() use it).
AnalysisOptions analysis_options(const JobSpec& spec);

/// The frame's shape for a spec without an aspect: the shape of its first
/// moving picture (the input's footage, else the first clip) as shown, after
/// its display rotation (aspect_for_shape()); 16:9 when there is none or a
/// file cannot be read (the job reports that file itself).
Aspect aspect_for_input(const JobSpec& spec);

/// The soundtrack request of a background-music spec: its one input is the
/// clip; music, prompt, seed and output from the spec. Errors: Error{Usage}
/// without a clip or with more than one input.
SoundtrackRequest soundtrack_request(const JobSpec& spec);

/// The instruction a cloud job sends in its chat turn: the kind's request
/// ("Make a music video for this song.", "Make a montage of these clips and
/// photos, cut on the beat of the song.", …), then the style, the aspect
/// (unless 16:9) and the title when set, then the user's prompt. An edit
/// sends the prompt alone.
std::string cloud_instruction(const JobSpec& spec);

/// The local engine (render/generate.hpp).
class LocalBackend : public JobBackend {
 public:
  JobResult run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) override;
};

/// Where cloud jobs go: the client's settings and the cloud job file.
struct CloudBackendOptions {
  CloudSettings settings;               ///< base URL, identity folder, token, check of downloads, …
  std::filesystem::path job_file;       ///< the cloud job file (jobs.json): every job kept for resuming
  /// Runs of one backend share a session (a batch: several inputs, one
  /// session, one render each). Off: every job makes its own session.
  bool reuse_session = false;
};

/// The cloud: generate (upload → chat → render → download), edit (a chat turn
/// in an existing session → render → download) or resume an unfinished job
/// (poll + download, never submitted twice). Every job is kept in the job file.
class CloudBackend : public JobBackend {
 public:
  explicit CloudBackend(CloudBackendOptions options);
  JobResult run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel) override;

 private:
  CloudBackendOptions options_;
  CloudSession session_;  // kept between runs when reuse_session
};

/// The one entry point: runs a spec on the backend it names.
class JobRunner {
 public:
  /// `cloud`: for specs whose backend is Cloud (its settings may be replaced
  /// later with set_cloud()).
  explicit JobRunner(CloudBackendOptions cloud = {});
  /// Validates `spec` (JobSpec::validate) and runs it on its backend. Events
  /// end with {Stage::Done, 1}. Errors: those of the backend; Error{Usage} for
  /// an invalid spec.
  JobResult run(const JobSpec& spec, const JobEventFn& events, const CancelToken& cancel);
  /// Replaces the cloud options (not while a run is in progress).
  void set_cloud(CloudBackendOptions cloud);

 private:
  LocalBackend local_;
  std::unique_ptr<CloudBackend> cloud_;
};

}  // namespace mv
