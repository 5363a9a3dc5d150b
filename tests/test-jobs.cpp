// test-jobs.cpp — the one job model (mv/jobs): the JobSpec's JSON form (the
// obs-websocket Generate shape among them) and its errors naming the field,
// validation, frame sizes, output naming, the cloud instruction, the local
// engine's request, error values, exit codes, the stage ids every front end
// shares, and a real local job through JobRunner.
#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mv/base/error.hpp"
#include "mv/base/progress.hpp"
#include "mv/cloud/errors.hpp"
#include "mv/jobs/backend.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/jobs/job.hpp"
#include "mv/media/media.hpp"
#include "mv/render/look.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

/// The message of the mv::Error that `fn` throws ("" when it throws none).
template <typename Fn>
std::string usage_error(Fn&& fn) {
  try {
    fn();
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Usage) << e.what();
    return e.what();
  }
  return "";
}

TEST(JobSpec, ReadsTheWebsocketGenerateShape) {
  const auto s = mv::JobSpec::from_json({{"input", {"/a/song.mp3", "/a/photo.jpg"}}, {"backend", "local"},
                                         {"prompt", "neon"}, {"style", "bars"}, {"aspect", "9:16"},
                                         {"title", "Hi"}, {"start", 5}, {"duration", 30.5}});
  EXPECT_EQ(s.inputs, (std::vector<fs::path>{"/a/song.mp3", "/a/photo.jpg"}));
  EXPECT_EQ(s.framing.aspect, mv::Aspect::Tall);
  EXPECT_EQ(s.look.name.value_or(""), "bars");
  EXPECT_DOUBLE_EQ(s.excerpt.start_s.value_or(0), 5.0);
  EXPECT_DOUBLE_EQ(s.excerpt.duration_s.value_or(0), 30.5);
  EXPECT_EQ(mv::JobSpec::from_json({{"input", "/x.wav"}}).inputs, std::vector<fs::path>{"/x.wav"});
  // Through obs-websocket (obs_data) only arrays of objects survive.
  EXPECT_EQ(mv::JobSpec::from_json({{"input", {{{"path", "/a.wav"}}, {{"path", "/b.png"}}}}}).inputs,
            (std::vector<fs::path>{"/a.wav", "/b.png"}));
  // An empty style is "automatic".
  EXPECT_FALSE(mv::JobSpec::from_json({{"input", "/x.wav"}, {"style", ""}}).look.name.has_value());
  // No aspect, or "auto": the input's own shape; an audio track by number.
  EXPECT_FALSE(mv::JobSpec::from_json({{"input", "/x.wav"}}).framing.aspect.has_value());
  EXPECT_FALSE(mv::JobSpec::from_json({{"input", "/x.wav"}, {"aspect", "auto"}}).framing.aspect.has_value());
  const auto tracked = mv::JobSpec::from_json({{"input", "/rec.mkv"}, {"audio_track", 4}});
  EXPECT_EQ(tracked.audio_track, 4);
  EXPECT_EQ(tracked.to_json()["audio_track"], 4);
  EXPECT_FALSE(tracked.to_json().contains("aspect"));
  mv::JobSpec bad = tracked;
  bad.audio_track = 0;
  EXPECT_NE(usage_error([&] { bad.validate(); }).find("\"audio_track\""), std::string::npos);
  EXPECT_EQ(mv::aspect_for_shape(1080, 1920), mv::Aspect::Tall);
  EXPECT_EQ(mv::aspect_for_shape(1000, 1030), mv::Aspect::Square);
  EXPECT_EQ(mv::aspect_for_shape(1920, 1080), mv::Aspect::Wide);
  EXPECT_EQ(mv::aspect_for_shape(0, 0), mv::Aspect::Wide);
}

TEST(JobSpec, SizeForAnAspectKeepsTheShortSide) {
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Tall, 1080), std::make_pair(1080, 1920));
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Wide, 1080), std::make_pair(1920, 1080));
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Square, 720), std::make_pair(720, 720));
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Tall, 720), std::make_pair(720, 1280));
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Tall, 361), std::make_pair(360, 640));  // made even
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Wide, 4320), std::make_pair(7680, 4320));
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Wide, 7680), std::make_pair(7680, 4320));  // the long side at most 7680
  EXPECT_EQ(mv::size_for_aspect(mv::Aspect::Tall, 2), std::make_pair(16, 28));  // at least 16
}

TEST(JobSpec, JsonRoundTripKeepsEveryField) {
  mv::JobSpec s;
  s.backend = mv::Backend::Cloud;
  s.kind = mv::JobKind::Montage;
  s.inputs = {"/s.mp3", "/c.mp4"};
  s.look.name = "wave";
  s.look.palette = "fire";
  s.look.intensity = 1.5;
  s.prompt = "neon city";
  s.captions.title = "Title";
  s.look.footage = false;
  s.captions.lyrics = "/s.lrc";
  s.excerpt.highlight_start_s = 42.5;  // not valid with start (validate() says so), but its JSON round-trips
  s.excerpt.start_s = 1.5;
  s.excerpt.duration_s = 20;
  s.bpm = 128;
  s.tempo_range = std::make_pair(80.0, 160.0);
  s.framing.aspect = mv::Aspect::Square;
  s.framing.resolution = mv::Resolution::P720;
  s.framing.size = std::make_pair(320, 180);
  s.framing.fps = 60;
  s.preset = "ultrafast";
  s.crf = 30;
  s.threads = 2;
  s.priority = mv::RenderPriority::Low;
  s.output = "/o/x.mp4";
  s.output_dir = "/o";
  s.force = true;
  s.session_id = "sess";
  s.user_id = "me";
  s.resume_cloud_job = "job";
  const auto j = s.to_json();
  const auto back = mv::JobSpec::from_json(j);
  EXPECT_EQ(back.to_json(), j);
  EXPECT_EQ(back.tempo_range, s.tempo_range);
  EXPECT_EQ(back.framing.size, s.framing.size);
  EXPECT_EQ(back.priority, mv::RenderPriority::Low);
  EXPECT_EQ(back.captions.lyrics, fs::path("/s.lrc"));
  EXPECT_EQ(j.value("lyrics", std::string()), "/s.lrc");
  EXPECT_EQ(back.excerpt.highlight_start_s, std::optional<double>(42.5));
  EXPECT_EQ(back.look.footage, std::optional<bool>(false));
  EXPECT_TRUE(j["input"][0].is_object()) << "obs_data keeps arrays of objects only";
}

TEST(JobSpec, BadFieldsGiveAUsageErrorNamingTheField) {
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json({{"input", 3}}); }).find("\"input\""), std::string::npos);
  const auto backend = usage_error([] { mv::JobSpec::from_json({{"input", "/x.wav"}, {"backend", "gpu"}}); });
  EXPECT_NE(backend.find("\"backend\" must be local or cloud"), std::string::npos) << backend;
  const auto aspect = usage_error([] { mv::JobSpec::from_json({{"input", "/x.wav"}, {"aspect", "4:3"}}); });
  EXPECT_NE(aspect.find("\"aspect\" must be auto, 16:9, 9:16 or 1:1 (got \"4:3\")"), std::string::npos) << aspect;
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json({{"start", "soon"}}); }).find("\"start\""), std::string::npos);
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json({{"kind", "karaoke"}}); }).find("\"kind\""), std::string::npos);
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json({{"fps", 29.97}}); }).find("\"fps\""), std::string::npos);
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json({{"size", "12x12"}}); }).find("\"size\""), std::string::npos);
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json({{"force", "yes"}}); }).find("\"force\""), std::string::npos);
  EXPECT_NE(usage_error([] { mv::JobSpec::from_json(json::array()); }).find("object"), std::string::npos);
}

TEST(JobSpec, ValidateChecksWhatEachKindNeeds) {
  mv::JobSpec none;
  EXPECT_NE(usage_error([&] { none.validate(); }).find("\"input\""), std::string::npos);
  mv::JobSpec edit;
  edit.kind = mv::JobKind::Edit;
  edit.prompt = "make it red";
  EXPECT_NE(usage_error([&] { edit.validate(); }).find("\"session_id\""), std::string::npos);
  edit.session_id = "s";
  EXPECT_NO_THROW(edit.validate());
  mv::JobSpec montage;
  montage.kind = mv::JobKind::Montage;
  montage.inputs = {"/song.mp3"};
  EXPECT_NE(usage_error([&] { montage.validate(); }).find("montage"), std::string::npos);
  mv::JobSpec ok;
  ok.inputs = {"/song.mp3"};
  EXPECT_NO_THROW(ok.validate());
  ok.framing.fps = 25;
  EXPECT_NE(usage_error([&] { ok.validate(); }).find("\"fps\""), std::string::npos);
  ok.framing.fps = 30;
  ok.excerpt.duration_s = 0;
  EXPECT_NE(usage_error([&] { ok.validate(); }).find("\"duration\""), std::string::npos);
}

TEST(JobSpec, FrameSizesComeFromTheAspectList) {
  mv::JobSpec s;
  EXPECT_EQ(s.framing.frame_size(), std::make_pair(1920, 1080));
  s.framing.aspect = mv::Aspect::Tall;
  EXPECT_EQ(s.framing.frame_size(), std::make_pair(1080, 1920));
  s.framing.resolution = mv::Resolution::P720;
  EXPECT_EQ(s.framing.frame_size(), std::make_pair(720, 1280));
  s.framing.size = std::make_pair(320, 180);
  EXPECT_EQ(s.framing.frame_size(), std::make_pair(320, 180));
  ASSERT_EQ(mv::aspects().size(), 3u);
  EXPECT_STREQ(mv::aspects().front().id, "16:9");
  for (const auto& a : mv::aspects()) EXPECT_EQ(mv::aspect_from_id(a.id), a.aspect);
}

TEST(JobSpec, AnUnnamedOutputGetsAFreeNameNextToTheInputOrInTheFolder) {
  mvtest::TempDir dir;
  mv::JobSpec s;
  s.inputs = {"/in/My Song.mp3"};
  s.output_dir = dir.path();
  EXPECT_EQ(s.resolved_output(), dir / "My Song music video.mp4");
  std::ofstream(dir / "My Song music video.mp4") << "x";
  EXPECT_EQ(s.resolved_output(), dir / "My Song music video (2).mp4");
  s.output = dir / "named.mp4";
  EXPECT_EQ(s.resolved_output(), dir / "named.mp4");
  mv::JobSpec next_to_input;
  next_to_input.inputs = {dir / "track.wav"};
  EXPECT_EQ(next_to_input.resolved_output(), dir / "track music video.mp4");
  mv::short_preset(next_to_input);  // a Short is named for what it is
  EXPECT_EQ(next_to_input.resolved_output(), dir / "track short.mp4");
  next_to_input.kind = mv::JobKind::Promo;
  EXPECT_EQ(next_to_input.resolved_output(), dir / "track promo.mp4");
}

TEST(JobSpec, ListsLiveInCoreWithStableIds) {
  std::set<std::string> kinds;
  for (const auto& k : mv::job_kinds()) {
    EXPECT_TRUE(kinds.insert(k.id).second);
    EXPECT_EQ(mv::kind_from_id(k.id), k.kind);
    EXPECT_STREQ(mv::kind_id(k.kind), k.id);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"music_video", "montage", "promo", "background_music", "edit"}));
  EXPECT_TRUE(mv::local_kind(mv::JobKind::MusicVideo));
  EXPECT_TRUE(mv::local_kind(mv::JobKind::Montage));
  EXPECT_TRUE(mv::local_kind(mv::JobKind::BackgroundMusic));
  EXPECT_TRUE(mv::local_kind(mv::JobKind::Promo));
  EXPECT_FALSE(mv::local_kind(mv::JobKind::Edit));  // a chat turn in a cloud session
  for (auto p : {mv::RenderPriority::Idle, mv::RenderPriority::Low, mv::RenderPriority::Normal}) {
    EXPECT_EQ(mv::priority_from_id(mv::priority_id(p)), p);
  }
  EXPECT_FALSE(mv::backend_from_id("gpu").has_value());
  EXPECT_EQ(mv::audio_extensions().front(), "mp3");
  EXPECT_NE(std::find(mv::image_extensions().begin(), mv::image_extensions().end(), "png"), mv::image_extensions().end());
}

TEST(JobModel, StageIdsAreOneListSharedByEveryFrontEnd) {
  std::set<std::string> ids;
  for (auto s : mv::all_stages()) {
    const std::string id = mv::stage_name(s);
    EXPECT_TRUE(ids.insert(id).second) << id;
    EXPECT_EQ(mv::stage_from_name(id), s);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"prepare", "probe", "analyze", "plan", "render", "finalize", "session",
                                        "upload", "generate", "download", "done"}));
  for (auto st : {mv::JobState::Queued, mv::JobState::Running, mv::JobState::Done, mv::JobState::Failed,
                  mv::JobState::Cancelled, mv::JobState::Interrupted}) {
    EXPECT_EQ(mv::job_state_from_name(mv::job_state_name(st)), st);
  }
  EXPECT_FALSE(mv::job_finished(mv::JobState::Running));
  EXPECT_TRUE(mv::job_finished(mv::JobState::Interrupted));
}

TEST(JobModel, TheCloudInstructionSaysWhatToMakeAndCarriesTheLook) {
  mv::JobSpec r;
  r.kind = mv::JobKind::Promo;
  r.look.name = "neon";
  r.framing.aspect = mv::Aspect::Tall;
  r.captions.title = "Launch";
  r.prompt = "Keep it short.";
  EXPECT_EQ(mv::cloud_instruction(r),
            "Make a promo video from these photos with the voice-over. Style: neon. Aspect ratio 9:16. "
            "Title: \"Launch\". Keep it short.");
  EXPECT_EQ(mv::cloud_instruction(mv::JobSpec{}), "Make a music video for this song.");
  mv::JobSpec edit;
  edit.kind = mv::JobKind::Edit;
  edit.prompt = "make the title red";
  EXPECT_EQ(mv::cloud_instruction(edit), "make the title red");
}

TEST(JobModel, TheLocalRequestCarriesTheSpecAndRefusesCloudKinds) {
  mv::JobSpec s;
  s.inputs = {"/song.mp3", "/clip.mp4"};
  s.kind = mv::JobKind::Montage;
  s.framing.aspect = mv::Aspect::Square;
  s.excerpt.start_s = 3;
  s.tempo_range = std::make_pair(70.0, 140.0);
  s.output = "/out/v.mp4";
  const auto g = mv::local_request(s);
  EXPECT_EQ(g.input, "/song.mp3");
  EXPECT_EQ(g.video.clips, std::vector<fs::path>{"/clip.mp4"});
  EXPECT_EQ(g.video.look.name.value_or(""), "montage");
  EXPECT_EQ(g.video.width(), 1080);
  EXPECT_EQ(g.video.height(), 1080);
  EXPECT_DOUBLE_EQ(g.analysis.start_s, 3.0);
  EXPECT_DOUBLE_EQ(g.analysis.min_bpm, 70.0);
  EXPECT_EQ(g.output, "/out/v.mp4");
  s.kind = mv::JobKind::Edit;
  EXPECT_NE(usage_error([&] { (void)mv::local_request(s); }).find("cloud backend only"), std::string::npos);
}

TEST(JobSpec, PromptWordsChooseTheKindWhenTheInputsAllowIt) {
  EXPECT_EQ(mv::kind_from_prompt("a promo for my bakery"), mv::JobKind::Promo);
  EXPECT_EQ(mv::kind_from_prompt("给这个片段配乐"), mv::JobKind::BackgroundMusic);
  EXPECT_EQ(mv::kind_from_prompt("Soundtrack, chill"), mv::JobKind::BackgroundMusic);
  EXPECT_EQ(mv::kind_from_prompt("做一个宣传片"), mv::JobKind::Promo);
  EXPECT_EQ(mv::kind_from_prompt("混剪"), mv::JobKind::Montage);
  EXPECT_FALSE(mv::kind_from_prompt("neon, fast cuts").has_value());
  mv::JobSpec s;
  s.prompt = "promo, upbeat";
  s.inputs = {"/voice.mp3"};
  EXPECT_EQ(mv::kind_for_prompt(s, mv::JobKind::MusicVideo), mv::JobKind::MusicVideo) << "a promo needs photos";
  s.inputs.push_back("/a.jpg");
  EXPECT_EQ(mv::kind_for_prompt(s, mv::JobKind::MusicVideo), mv::JobKind::Promo);
  s.prompt = "background music please";
  s.inputs = {"/song.mp3"};
  EXPECT_EQ(mv::kind_for_prompt(s, mv::JobKind::MusicVideo), mv::JobKind::MusicVideo) << "music for a song is not a clip";
  s.inputs = {"/clip.MP4"};
  EXPECT_EQ(mv::kind_for_prompt(s, mv::JobKind::MusicVideo), mv::JobKind::BackgroundMusic);
  EXPECT_EQ(mv::JobSpec::from_json({{"input", "/clip.mkv"}, {"prompt", "配乐"}}).kind, mv::JobKind::BackgroundMusic);
  EXPECT_EQ(mv::JobSpec::from_json({{"input", "/clip.mkv"}, {"prompt", "配乐"}, {"kind", "music_video"}}).kind,
            mv::JobKind::MusicVideo);
}

TEST(JobSpec, BackgroundMusicRunsLocallyWithItsMusicAndSeed) {
  mv::JobSpec s;
  s.kind = mv::JobKind::BackgroundMusic;
  s.inputs = {"/clips/goal.mp4"};
  s.music = "/music";
  s.seed = 4000000000u;
  s.prompt = "calm";
  const auto round = mv::JobSpec::from_json(s.to_json());
  EXPECT_EQ(round.music, "/music");
  EXPECT_EQ(round.seed, 4000000000u);
  EXPECT_EQ(round.kind, mv::JobKind::BackgroundMusic);
  const mv::SoundtrackRequest r = mv::soundtrack_request(round);
  EXPECT_EQ(r.video, "/clips/goal.mp4");
  EXPECT_EQ(r.music, "/music");
  EXPECT_EQ(r.seed, 4000000000u);
  EXPECT_EQ(r.output, "/clips/goal with music.mp4");
  EXPECT_NE(usage_error([&] { (void)mv::JobSpec::from_json({{"seed", -1}}); }).find("\"seed\""), std::string::npos);
  EXPECT_NE(usage_error([&] { (void)mv::JobSpec::from_json({{"seed", 1.5}}); }).find("whole number"), std::string::npos);
  s.inputs.push_back("/clips/other.mp4");
  EXPECT_NE(usage_error([&] { (void)mv::soundtrack_request(s); }).find("one clip"), std::string::npos);
}

TEST(JobModel, ErrorValuesCarryIdMessageAndLink) {
  mv::CloudErrorContext ctx;
  ctx.bind_id = "user-1";
  ctx.registration_url = "https://example.test/register";
  const auto credits = mv::job_error_from(mv::CloudError(mv::CloudErrorKind::NoCredits, ctx));
  EXPECT_EQ(credits.id, "no_credits");
  EXPECT_EQ(credits.link, "https://example.test/register?bind=user-1");
  EXPECT_EQ(credits.code, mv::ErrorCode::Media);
  EXPECT_EQ(credits.to_json()["link"], credits.link);
  const auto missing = mv::job_error_from(mv::Error(mv::ErrorCode::InputMissing, "gone"));
  EXPECT_EQ(missing.id, "input_missing");
  EXPECT_EQ(missing.message, "gone");
  EXPECT_TRUE(missing.link.empty());
  const auto other = mv::job_error_from(std::runtime_error("boom"));
  EXPECT_EQ(other.id, "internal");
  // A local file the upload cannot read is not the vendor's "unsupported file".
  const auto unreadable = mv::job_error_from(
      mv::cloud_error_from_http(mv::HttpError(mv::HttpErrorKind::ReadFailed, "cannot read", 0, "/x/a.wav"), {}));
  EXPECT_EQ(unreadable.id, "file_unreadable");
  EXPECT_EQ(unreadable.code, mv::ErrorCode::InputInvalid);
  EXPECT_NE(unreadable.message.find("a.wav"), std::string::npos) << unreadable.message;
}

TEST(JobModel, EveryBatchPathSharesOneExitCodeRule) {
  using O = std::optional<mv::ErrorCode>;
  EXPECT_EQ(mv::batch_exit_code({}), 0);
  EXPECT_EQ(mv::batch_exit_code({O(), O()}), 0);
  EXPECT_EQ(mv::batch_exit_code({O(), O(mv::ErrorCode::InputInvalid)}), 3);
  EXPECT_EQ(mv::batch_exit_code({O(mv::ErrorCode::InputMissing), O(mv::ErrorCode::InputInvalid)}), 3);
  EXPECT_EQ(mv::batch_exit_code({O(mv::ErrorCode::Output), O(mv::ErrorCode::InputInvalid)}), 1);
  EXPECT_EQ(mv::batch_exit_code({O(mv::ErrorCode::Output), O(mv::ErrorCode::Cancelled)}), 130);
  EXPECT_EQ(mv::exit_code(mv::ErrorCode::Usage), 2);
  EXPECT_EQ(mv::exit_code(mv::ErrorCode::Output), 4);
}

TEST(JobRunner, ALocalJobRunsThroughTheOnePathWithEventsAndAResult) {
  mvtest::TempDir dir;
  const auto mono = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 2.0, 44100, nullptr);
  mvtest::write_wav(dir / "song.wav", mono, 44100, 1);
  mv::JobSpec spec;
  spec.inputs = {dir / "song.wav"};
  spec.framing.size = std::make_pair(160, 90);
  spec.preset = "ultrafast";
  spec.output_dir = dir.path();
  std::vector<mv::Stage> stages;
  mv::CancelToken cancel;
  mv::JobRunner runner;
  const auto result = runner.run(spec, [&](const mv::JobEvent& e) {
    if (stages.empty() || stages.back() != e.stage) stages.push_back(e.stage);
  }, cancel);
  EXPECT_EQ(result.output, dir / "song music video.mp4");
  EXPECT_TRUE(fs::exists(result.output));
  EXPECT_NEAR(result.duration_s, 2.0, 0.05);
  EXPECT_GT(result.size_bytes, 0u);
  ASSERT_TRUE(result.timings.has_value());
  EXPECT_EQ(result.to_json()["path"], result.output.string());
  ASSERT_FALSE(stages.empty());
  EXPECT_EQ(stages.front(), mv::Stage::Probe);
  EXPECT_EQ(stages.back(), mv::Stage::Done);
  // The same spec again gets a new name, never the first video's.
  EXPECT_EQ(runner.run(spec, {}, cancel).output, dir / "song music video (2).mp4");
  // A promo without photos fails before any work, with a plain message.
  spec.kind = mv::JobKind::Promo;
  EXPECT_NE(usage_error([&] { runner.run(spec, {}, cancel); }).find("needs photos"), std::string::npos);
}

}  // namespace
