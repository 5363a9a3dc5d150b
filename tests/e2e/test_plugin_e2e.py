#!/usr/bin/python3
"""End-to-end test of the obs-music-video plugin in a real OBS 29 under Xvfb.

Drives OBS over obs-websocket (tests/e2e/obs_session.py) the way Stream Deck or a script
would: Generate on the sample song with the local backend and wait for the completion
event; check the current scene holds a media source playing a valid MP4 of the right
duration; Generate on a bad file and check the error comes back and OBS still runs;
record while a job runs and read OBS's skipped/lagged frame counts; screenshot OBS with
the dock showing the finished job; quit OBS mid-job and check it exits cleanly.

The cloud backend runs against tests/tools/fake-nemo-serve on loopback: a cloud video,
the credits and timeline of its session, and a chat edit rendered as a new version.

Usage: test_plugin_e2e.py PLUGIN_SO DATA_DIR SAMPLE_SONG FAKE_NEMO_SERVE
Exit 0 when every check passed, 1 otherwise, 77 when a prerequisite is missing;
the last line is "N passed, M failed". Artifacts go to $E2E_ARTIFACTS/plugin.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True

from test_obs_smoke import SKIP, check, failed, missing_prerequisites, passed  # noqa: E402

VENDOR = "obs-music-video"


def probe_duration(path: str) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                         capture_output=True, text=True, check=True).stdout.strip()
    return float(out)


def audio_levels(path: str) -> str:
    """A file's audio level every 0.25 s (RMS, dBFS), as FFmpeg's astats measures it."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:a:0", "-af",
                          "aresample=8000,asetnsamples=n=2000,astats=metadata=1:reset=1,"
                          "ametadata=mode=print:key=lavfi.astats.Overall.RMS_level:file=-",
                          "-f", "null", "-"], capture_output=True, text=True).stdout
    levels = [line.split("=", 1)[1] for line in out.splitlines() if "RMS_level=" in line]
    return "RMS every 0.25 s: " + " ".join(f"{float(v):.0f}" if v not in ("-inf", "inf") else v for v in levels)


def frame_luma(path: str, at_s: float) -> float:
    """The mean luma (Y', 0-255 as coded: black is 16) of a video's frame at `at_s`."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-ss", f"{at_s:.3f}", "-i", path, "-frames:v", "1", "-vf",
                          "signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=-", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stdout
    return float(out.split("YAVG=", 1)[1].split()[0])


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    plugin_so, data_dir, song, fake_cloud = (str(Path(a).resolve()) for a in sys.argv[1:5])
    if missing_prerequisites():
        print("SKIPPED: missing " + "; ".join(missing_prerequisites()))
        print("0 passed, 0 failed")
        return SKIP
    from obs_session import ObsSession

    artifacts = Path(os.environ.get("E2E_ARTIFACTS", HERE.parent.parent / "build" / "e2e-artifacts")) / "plugin"
    if artifacts.exists():
        shutil.rmtree(artifacts)
    artifacts.mkdir(parents=True)
    t_start = time.monotonic()
    # A small canvas: OBS renders with software OpenGL (llvmpipe) under Xvfb, and at 1280x720
    # it lags frames on a 2-core machine even with no plugin at all (measured: 73 in 4 s).
    obs = ObsSession(plugin_so, data_dir, canvas=(640, 360))
    try:
        check("OBS starts with the plugin loaded", obs.start)
        if obs.client is None:
            return finish(t_start, artifacts, obs)

        def generate(data: dict) -> str:
            answer = obs.call_vendor(VENDOR, "Generate", data)
            assert answer.get("ok") is True, answer
            return answer["jobId"]

        def completed(job_id: str, timeout: float = 240) -> dict:
            return obs.wait_event(lambda e: e.get("eventType") == "VendorEvent"
                                  and e["eventData"].get("vendorName") == VENDOR
                                  and e["eventData"].get("eventType") == "JobCompleted"
                                  and e["eventData"]["eventData"].get("jobId") == job_id,
                                  timeout=timeout)["eventData"]["eventData"]

        # Local renders run at the plugin's render priority. Its default, SCHED_IDLE, gets no
        # CPU while anything else runs, so on a loaded machine a job could wait for minutes:
        # the checks below run at normal priority, except the recording check, which is about
        # the default and sets it itself.
        def set_priority(priority: str) -> None:
            answer = obs.call_vendor(VENDOR, "SetSettings", {"render_priority": priority})
            assert answer.get("render_priority") == priority, answer

        set_priority("normal")

        # 0. A fresh profile: the dock sits docked on the right, narrow enough, never sideways.
        def dock_is_docked():
            check_dock_layout(obs, "en-US")
        check("on first run the dock is docked on the right, at most 320 px wide at its narrowest, "
              "with no sideways scrolling (EN)", dock_is_docked)

        # 0b. A streamer records a song, then makes a Short of it in two clicks.
        def short_in_two_clicks():
            make_short_by_clicks(obs, song, completed)
        check("a Short of the last recording takes two clicks in the dock (Short, then the button)",
              short_in_two_clicks)

        # 1. The sample song, local backend, an 8 s excerpt.
        state: dict = {}

        def local_job():
            job_id = generate({"input": [{"path": song}], "backend": "local", "start": 20, "duration": 8, "title": "E2E"})
            event = completed(job_id)
            assert event["state"] == "done", event
            state["job"] = event
        check("Generate (local) on the sample song answers a jobId and completes", local_job)

        def scene_has_the_video():
            job = state["job"]
            items = obs.request("GetSceneItemList", {"sceneName": "Scene"})["sceneItems"]
            names = [i["sourceName"] for i in items]
            assert job.get("sourceName") in names, (job, names)
            settings = obs.request("GetInputSettings", {"inputName": job["sourceName"]})
            assert settings["inputKind"] == "ffmpeg_source", settings
            path = settings["inputSettings"]["local_file"]
            assert path == job["output"] and Path(path).is_file(), (path, job)
            duration = probe_duration(path)
            assert abs(duration - 8.0) <= 1 / 30 + 0.03, duration
            transform = obs.request("GetSceneItemTransform", {"sceneName": "Scene",
                                                              "sceneItemId": items[names.index(job["sourceName"])]["sceneItemId"]})
            assert transform["sceneItemTransform"]["boundsType"] == "OBS_BOUNDS_SCALE_INNER", transform
        check("the current scene holds a media source playing the MP4 (8 s, fitted to the canvas)", scene_has_the_video)

        def jobs_are_listed():
            jobs = obs.call_vendor(VENDOR, "ListJobs")["jobs"]
            assert any(j["jobId"] == state["job"]["jobId"] and j["state"] == "done" for j in jobs), jobs
            job = obs.call_vendor(VENDOR, "GetJob", {"jobId": state["job"]["jobId"]})
            assert job["ok"] and job["output"] == state["job"]["output"], job
        check("ListJobs and GetJob report the finished job", jobs_are_listed)

        # 1b. A Short over obs-websocket: the song's highlight (15 s) in 9:16 with lyrics.
        def short_job():
            lrc = artifacts / "short.lrc"
            lrc.write_text("[00:30.00]<00:30.00>Chaos <00:31.00>god\n[00:45.00]\n", encoding="utf-8")
            job_id = generate({"input": [{"path": song}], "backend": "local", "highlight": 15, "aspect": "9:16",
                               "size": "180x320", "fit": "follow", "lyrics": str(lrc), "title": "E2E Short"})
            event = completed(job_id)
            assert event["state"] == "done", event
            start, end = event["highlight"]["start_s"], event["highlight"]["end_s"]
            assert 12 <= end - start <= 20, event["highlight"]
            duration = probe_duration(event["output"])
            assert abs(duration - (end - start)) <= 0.1, (duration, event["highlight"])
            assert event["request"].get("lyrics") == str(lrc), event["request"]
        check("Generate with highlight, 9:16, fit and lyrics makes a Short of the song's highlight", short_job)

        # 2. A bad file.
        def bad_file():
            job_id = generate({"input": "/nonexistent/song.mp3", "backend": "local"})
            event = completed(job_id, timeout=60)
            assert event["state"] == "failed" and "No such file" in event["error"], event
            assert event["errorId"] == "input_missing", event
            assert obs.request("GetVersion")["obsVersion"].startswith("29."), "OBS stopped answering"
            bad = obs.call_vendor(VENDOR, "Generate", {"input": 42})
            assert bad.get("ok") is False and bad.get("error"), bad
        check("Generate on a bad file reports the error and OBS keeps running", bad_file)

        # 3. Record while a job renders.
        def record_during_job():
            obs.request("StartRecord")
            time.sleep(1.0)
            # Baseline: the same machine recording with no job, for the report.
            base0 = obs.request("GetStats")
            t_base = time.monotonic()
            time.sleep(4.0)
            base1 = obs.request("GetStats")
            base_seconds = time.monotonic() - t_base
            base_lagged = base1["renderSkippedFrames"] - base0["renderSkippedFrames"]
            print(f"     baseline (recording, no job, {base_seconds:.1f} s): render lagged {base_lagged}, "
                  f"output skipped {base1['outputSkippedFrames'] - base0['outputSkippedFrames']}, "
                  f"cpu {base1['cpuUsage']:.0f} %", flush=True)
            before = obs.request("GetStats")
            t_job = time.monotonic()
            set_priority("idle")
            try:
                job_id = generate({"input": song, "backend": "local", "start": 60, "duration": 6})
            finally:
                set_priority("normal")
            event = completed(job_id, timeout=900)
            time.sleep(1.0)
            after = obs.request("GetStats")
            job_seconds = time.monotonic() - t_job
            record = obs.request("StopRecord")
            state["stats"] = (before, after)
            assert event["state"] == "done", event
            skipped = after["outputSkippedFrames"] - before["outputSkippedFrames"]
            lagged = after["renderSkippedFrames"] - before["renderSkippedFrames"]
            print(f"     during the job ({job_seconds:.1f} s): output skipped {skipped}, render lagged {lagged}, "
                  f"cpu {after['cpuUsage']:.0f} %; recording {record.get('outputPath')}", flush=True)
            # The encoder must not skip a frame that it did not skip without a job: 0 when the
            # baseline skipped none (an idle machine), else no worse than the baseline's rate
            # (another process loading the machine makes OBS skip on its own). Render lag: OBS
            # renders with software OpenGL under Xvfb here and lags even with no job (the
            # baseline above), so the job must not make it worse than that baseline rate (1.5x,
            # at least 1 frame/s of slack).
            base_skipped = base1["outputSkippedFrames"] - base0["outputSkippedFrames"]
            if base_skipped == 0:
                assert skipped == 0, f"the recording skipped {skipped} frames"
            else:
                assert skipped / job_seconds <= 1.5 * base_skipped / base_seconds, (skipped, base_skipped)
            base_rate = base_lagged / base_seconds
            job_rate = lagged / job_seconds
            assert job_rate <= max(1.0, 1.5 * base_rate), (job_rate, base_rate)
        check("a recording in progress skips no frame and lags no more than without a job", record_during_job)

        # 3b. The rolling audio buffer: the song that just played becomes a video.
        def rolling_buffer():
            obs.request("CreateInput", {"sceneName": "Scene", "inputName": "Song", "inputKind": "ffmpeg_source",
                                        "inputSettings": {"local_file": song, "looping": True, "is_local_file": True}})
            answer = obs.call_vendor(VENDOR, "SetAudioBuffer", {"source": "Song", "seconds": 30})
            assert answer.get("ok") is True, answer
            time.sleep(6.0)
            answer = obs.call_vendor(VENDOR, "GenerateFromBuffer", {"backend": "local", "aspect": "1:1"})
            assert answer.get("ok") is True and answer.get("jobId"), answer  # at once: the WAV is written by a worker
            event = completed(answer["jobId"])
            assert event["state"] == "done", event
            buffered = probe_duration(event["request"]["input"][0]["path"])
            video = probe_duration(event["output"])
            print(f"     buffered {buffered:.2f} s of audio, video {video:.2f} s", flush=True)
            assert 4.0 <= buffered <= 8.0, buffered
            assert abs(video - buffered) <= 1 / 30 + 0.03, (video, buffered)
        check("the rolling audio buffer turns the last seconds of a source into a video", rolling_buffer)

        def buffer_as_the_dock_source():
            # In the dock: Music video, then Change → the buffer (the menu's last entry, by
            # keyboard), then the button: the song that just played becomes a video.
            jobs_before = {j["jobId"] for j in obs.call_vendor(VENDOR, "ListJobs")["jobs"]}
            click(obs, settled_layout(obs), "kind.music_video")
            click(obs, settled_layout(obs), "source.change")
            time.sleep(0.5)
            env = dict(os.environ, DISPLAY=obs.display)
            subprocess.run(["xdotool", "key", "--delay", "150", "Up", "Return"], env=env, check=True, timeout=10)
            deadline = time.monotonic() + 20
            while True:
                layout = dock_layout(obs)
                if layout["sourceLabel"].startswith("Audio buffer") and " of the last 0:30" in layout["sourceDetail"]:
                    break
                assert time.monotonic() < deadline, (layout["sourceLabel"], layout["sourceDetail"])
                time.sleep(0.25)
            time.sleep(1.2)  # the outline is redrawn every second
            obs.screenshot(artifacts / "obs-dock-buffer.png")
            print(f"     source card: {layout['sourceLabel']} · {layout['sourceDetail']}", flush=True)
            click(obs, settled_layout(obs), "primary")
            deadline = time.monotonic() + 30
            new = []
            while not new:
                new = [j for j in obs.call_vendor(VENDOR, "ListJobs")["jobs"] if j["jobId"] not in jobs_before]
                assert time.monotonic() < deadline, "no job started after the click"
                time.sleep(0.25)
            event = completed(new[0]["jobId"], timeout=600)
            assert event["state"] == "done", event
            wav = event["request"]["input"][0]["path"]
            assert wav.endswith(".wav"), wav
            print(f"     {Path(wav).name} ({probe_duration(wav):.1f} s buffered) -> {Path(event['output']).name} "
                  f"({probe_duration(event['output']):.1f} s)", flush=True)
            obs.call_vendor(VENDOR, "SetAudioBuffer", {"source": ""})
            deadline = time.monotonic() + 10
            while not dock_layout(obs)["sourceDetail"].startswith("Last recording"):  # back to the last recording
                assert time.monotonic() < deadline, dock_layout(obs)["sourceDetail"]
                time.sleep(0.25)
        check("in the dock, the audio buffer is a source: its outline and length, then one click makes the video",
              buffer_as_the_dock_source)

        # 3c. "Generate when a recording stops" (the song source keeps playing meanwhile).
        def generate_on_stop():
            settings = obs.call_vendor(VENDOR, "SetSettings", {"generate_on_record_stop": True})
            assert settings["generate_on_record_stop"] is True, settings
            obs.clear_events()
            obs.request("StartRecord")
            time.sleep(1.0)
            # A scene change while recording makes the dock read its source again.
            obs.request("CreateScene", {"sceneName": "Break"})
            obs.request("SetCurrentProgramScene", {"sceneName": "Break"})
            time.sleep(0.5)
            obs.request("SetCurrentProgramScene", {"sceneName": "Scene"})
            time.sleep(2.5)
            during = dock_layout(obs)
            recording = obs.request("StopRecord")["outputPath"]
            obs.request("RemoveScene", {"sceneName": "Break"})
            print(f"     while recording {Path(recording).name}, the dock's source: {during['sourceLabel']}", flush=True)
            # While OBS writes a file, the dock's "last recording" is the one finished before it.
            assert during["sourceLabel"] != Path(recording).name, during
            if during["sourceLabel"].endswith(".mkv"):
                assert (Path(recording).parent / during["sourceLabel"]).exists(), during
            started = obs.wait_event(lambda e: e.get("eventType") == "VendorEvent"
                                     and e["eventData"].get("eventType") == "JobProgress", timeout=60)
            job_id = started["eventData"]["eventData"]["jobId"]
            job = obs.call_vendor(VENDOR, "GetJob", {"jobId": job_id})
            assert job["request"]["input"][0]["path"] == recording, (job, recording)
            event = completed(job_id)
            assert event["state"] == "done", event
            obs.call_vendor(VENDOR, "SetSettings", {"generate_on_record_stop": False})
            print(f"     {Path(recording).name} -> {Path(event['output']).name} ({probe_duration(event['output']):.2f} s)",
                  flush=True)
        check("with the option on, a stopped recording becomes a video", generate_on_stop)

        def token_stays_secret():
            secret = "e2e-secret-token-4711"
            obs.call_vendor(VENDOR, "SetSettings", {"token": secret})
            answer = obs.call_vendor(VENDOR, "GetSettings")
            assert secret not in json.dumps(answer) and answer["has_token"] is True, answer
            try:
                settings_file = obs.config_dir / "plugin_config" / "obs-music-video" / "settings.json"
                # The file is written by the settings' saver thread, not by the request: wait for it.
                deadline = time.monotonic() + 30
                while secret not in settings_file.read_text() and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert secret in settings_file.read_text(), "the token was not saved"
                assert (settings_file.stat().st_mode & 0o777) == 0o600, oct(settings_file.stat().st_mode)
                assert secret not in obs.obs_log(), "the token reached OBS's log"
            finally:
                obs.call_vendor(VENDOR, "SetSettings", {"token": ""})
        check("the cloud token is kept in a 0600 file and never answered or logged", token_stays_secret)
        obs.request("RemoveInput", {"inputName": "Song"})

        # 3b. The cloud backend against the fake vendor server on loopback.
        def cloud_video_credits_timeline_and_a_chat_edit():
            render = artifacts / "cloud-render.mp4"
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                            "-f", "lavfi", "-i", "sine=f=440", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast",
                            "-c:a", "aac", "-shortest", str(render)], check=True)
            # The vendor takes mp3/wav/m4a/… but not Ogg: a 10 s WAV excerpt of the sample.
            excerpt = artifacts / "cloud-input.wav"
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", "20", "-t", "10", "-i", song, str(excerpt)], check=True)
            server = subprocess.Popen([fake_cloud, str(render)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            try:
                url = server.stdout.readline().strip()
                assert url.startswith("http://127.0.0.1:"), url
                obs.call_vendor(VENDOR, "SetSettings", {"api_url": url})
                job_id = generate({"input": str(excerpt), "backend": "cloud", "prompt": "neon city"})
                first = completed(job_id, timeout=120)
                assert first["state"] == "done" and first["sessionId"], first
                assert probe_duration(first["output"]) > 2.5, first
                # Answered at once with what is known; the fresh figures follow as an event.
                obs.clear_events()
                answer = obs.call_vendor(VENDOR, "GetCloudInfo", {"jobId": job_id})
                assert answer["ok"] and answer["refreshing"] is True, answer
                info = obs.wait_vendor_event(VENDOR, "CloudInfo", timeout=60,
                                             predicate=lambda d: d.get("jobId") == job_id)
                assert info["ok"] and info["available"] == 100 and "Urban Dreams" in info["timeline"], info
                answer = obs.call_vendor(VENDOR, "EditJob", {"jobId": job_id, "message": "make the title red"})
                assert answer.get("ok") is True, answer
                edit = completed(answer["jobId"], timeout=120)
                assert edit["state"] == "done", edit
                assert edit["sessionId"] == first["sessionId"] and edit["output"] != first["output"], (first, edit)
                print(f"     cloud: {Path(first['output']).name} then {Path(edit['output']).name} in session "
                      f"{first['sessionId'][:8]}…; credits {info['available']}; {info['timeline']}", flush=True)
            finally:
                server.stdin.close()
                server.wait(timeout=10)
                obs.call_vendor(VENDOR, "SetSettings", {"api_url": ""})
        check("cloud: a video, its credits and timeline, and a chat edit rendered in the same session",
              cloud_video_credits_timeline_and_a_chat_edit)

        def screenshot():
            check_dock_layout(obs, "en-US")  # with the finished videos' cards too
            wait_for_pictures(obs)
            layout = dock_layout(obs)
            moments = sorted(set(round(t["s"], 2) for t in layout["looksAt"]))
            print(f"     look tiles of {layout['sourceLabel']} ({layout['sourceDetail']}) drawn at {moments} s "
                  f"({layout['looksDrawn']} of {layout['looks']} drawn)", flush=True)
            # Drawn where the recording plays (a tile at 0 s shows the look's first, black frame).
            recording = obs.recording_dir / layout["sourceLabel"]
            length = probe_duration(str(recording))
            shutil.copyfile(recording, artifacts / "last-recording.mkv")  # what the tiles were drawn from
            print(f"     that recording: {length:.2f} s, {audio_levels(str(recording))}", flush=True)
            assert moments and all(0.5 <= t <= length for t in moments), (moments, length)
            # ... and where it has a picture (the looks over its footage; black in its cut to "Break").
            luma = [frame_luma(str(recording), t) for t in moments]
            assert all(y > 20.0 for y in luma), (moments, luma)
            # The README's picture shows OBS as a streamer sees it: the first video (the sample
            # song's, a real look) playing alone in the scene, OBS's frame rate settled. Left as
            # the steps above leave it, all nine imported videos play at once and software
            # OpenGL under Xvfb spends a frame's time on each (5-8 fps in the status bar).
            first = state["job"]["sourceName"]
            items = obs.request("GetSceneItemList", {"sceneName": "Scene"})["sceneItems"]
            others = [i["sceneItemId"] for i in items if i["sceneItemEnabled"] and i["sourceName"] != first]

            def enable(ids: list, on: bool) -> None:
                for item in ids:
                    obs.request("SetSceneItemEnabled", {"sceneName": "Scene", "sceneItemId": item, "sceneItemEnabled": on})
            enable(others, False)
            try:
                obs.request("TriggerMediaInputAction", {"inputName": first,
                                                        "mediaAction": "OBS_WEBSOCKET_MEDIA_INPUT_ACTION_RESTART"})
                shot_at = time.monotonic() + 3.0  # its title has faded in, the look is moving
                settled = time.monotonic() + 30.0  # a bounded wait: the picture is taken either way
                steady_since = None  # OBS's status bar shows the rate of up to 2 s before: 3 s steady
                while True:
                    fps = obs.request("GetStats")["activeFps"]
                    now = time.monotonic()
                    steady_since = (steady_since or now) if fps >= 29.0 else None
                    if now >= settled or (now >= shot_at and steady_since is not None and now - steady_since >= 3.0):
                        break
                    time.sleep(0.25)
                obs.screenshot(artifacts / "obs-with-dock.png")
                print(f"     screenshot: {first} alone in the scene, OBS at {fps:.1f} fps", flush=True)
            finally:
                enable(others, True)
            if os.environ.get("E2E_UPDATE_DOCS") == "1":  # scripts/gallery.sh: the README's picture
                shutil.copyfile(artifacts / "obs-with-dock.png", HERE.parent.parent / "docs" / "obs-dock.png")
        check("screenshot of OBS with the dock and the finished jobs", screenshot)

        def ui_thread_never_stalled():
            # Every run of plugin code on OBS's UI thread so far (dock slots, queued job
            # updates, scene imports, frontend events) was timed by the plugin.
            d = obs.call_vendor(VENDOR, "GetDiagnostics")
            print(f"     UI thread: {d['uiCalls']} plugin runs, {d['uiTotalMs']:.1f} ms in all, longest "
                  f"{d['uiMaxMs']:.2f} ms ({d['uiMaxWhere']}); UI loop's worst lateness (all of OBS): "
                  f"{d['loopMaxGapMs']:.1f} ms", flush=True)
            print(f"     obs-websocket: {d['wsCalls']} requests, longest answer {d['wsMaxMs']:.2f} ms "
                  f"({d['wsMaxWhere']}); most CPU in one run: UI {d['uiCpuMaxMs']:.2f} ms "
                  f"({d['uiCpuMaxWhere']}), websocket {d['wsCpuMaxMs']:.2f} ms; over 50 ms: UI "
                  f"{d['uiOverBudget']} ({d['uiOverBudgetUnpreempted']} without preemption), websocket "
                  f"{d['wsOverBudget']} ({d['wsOverBudgetUnpreempted']} without preemption)", flush=True)
            assert d["uiCalls"] > 10 and d["wsCalls"] > 10, d
            # The plugin's own work stays under 50 ms per run (its thread's CPU time), and no run
            # over 50 ms of wall clock was the plugin's doing: a run that waited (disk, network, a
            # join) or worked that long without the kernel ever taking its core counts. A run that
            # only took longer because other processes had the CPU (a loaded machine) does not.
            assert d["uiCpuMaxMs"] < 50.0 and d["wsCpuMaxMs"] < 50.0, d
            assert d["uiOverBudgetUnpreempted"] == 0 and d["wsOverBudgetUnpreempted"] == 0, d
        check("plugin code never held OBS's UI thread, nor an obs-websocket request, for 50 ms or more",
              ui_thread_never_stalled)

        # 4. Quit mid-job.
        def quit_mid_job():
            job_id = generate({"input": song, "backend": "local"})
            obs.wait_event(lambda e: e.get("eventType") == "VendorEvent"
                           and e["eventData"].get("eventType") == "JobProgress"
                           and e["eventData"]["eventData"].get("jobId") == job_id
                           and e["eventData"]["eventData"].get("stage") == "render", timeout=60)
            code, seconds, how = obs.quit(timeout=10)
            print(f"     quit: exit code {code} after {seconds:.2f} s ({how})", flush=True)
            assert code == 0 and how == "wm_delete", (code, how)
            assert seconds < 3.0, seconds
            leftovers = [p.name for p in obs.recording_dir.iterdir() if p.name.endswith(".part")]
            assert not leftovers, leftovers
        check("quitting OBS mid-job cancels it and exits in under 3 s with no partial file", quit_mid_job)
    finally:
        try:
            log = obs.obs_log()
            (artifacts / "obs.log").write_text(log)
        except Exception:  # noqa: BLE001
            pass
        obs.close()

    # 5. The same dock in Chinese: as narrow, never sideways.
    zh = ObsSession(plugin_so, data_dir, canvas=(640, 360), language="zh-CN")
    try:
        check("OBS starts in Chinese with the plugin loaded", zh.start)
        if zh.client is not None:
            def dock_in_chinese():
                check_dock_layout(zh, "zh-CN")
                # Nothing recorded in this OBS yet: the looks play the composed demo song.
                wait_for_pictures(zh, source=False)
                zh.screenshot(artifacts / "obs-with-dock-zh.png")
            check("in Chinese the dock is as narrow (at most 320 px) with no sideways scrolling, and with "
                  "nothing recorded yet every look shows its picture", dock_in_chinese)
    finally:
        zh.close()
    return finish(t_start, artifacts, obs)


def dock_layout(obs, timeout: float = 20.0) -> dict:
    """The dock's published layout once it is shown (GetDockLayout)."""
    deadline = time.monotonic() + timeout
    while True:
        layout = obs.call_vendor(VENDOR, "GetDockLayout")
        if layout.get("visible") and layout.get("controls"):
            return layout
        if time.monotonic() > deadline:
            raise AssertionError(f"the dock never showed: {layout}")
        time.sleep(0.25)


def check_dock_layout(obs, language: str) -> None:
    layout = dock_layout(obs)
    print(f"     dock ({layout['language']}): area {layout['area']}, floating {layout['floating']}, "
          f"width {layout['width']} px, narrowest {layout['minimumWidth']} px "
          f"(parts: {layout.get('minimumWidths')}), sideways scrolling {layout['scrollsSideways']}", flush=True)
    assert layout["language"] == language, layout["language"]
    assert layout["area"] == "right" and not layout["floating"], layout
    assert layout["minimumWidth"] <= 320, layout["minimumWidth"]
    assert not layout["scrollsSideways"], layout


def wait_for_pictures(obs, timeout: float = 120.0, source: bool = True) -> None:
    """Waits until the source card (unless `source` is false: nothing recorded yet), every look
    thumbnail and every finished video's card show their pictures."""
    deadline = time.monotonic() + timeout
    while True:
        layout = dock_layout(obs)
        if layout["looks"] > 0 and layout["looksDrawn"] == layout["looks"] \
                and layout["cardsDrawn"] == layout["cards"] and (layout["sourceDrawn"] or not source):
            return
        assert time.monotonic() < deadline, (f"source card drawn: {layout['sourceDrawn']} ({layout['sourceDetail']}); "
                                             f"looks drawn: {layout['looksDrawn']} of {layout['looks']}, "
                                             f"cards drawn: {layout['cardsDrawn']} of {layout['cards']}")
        time.sleep(0.5)


def settled_layout(obs, timeout: float = 20.0) -> dict:
    """The dock's layout once two snapshots a second apart agree (nothing is still moving)."""
    deadline = time.monotonic() + timeout
    last = dock_layout(obs)
    while True:
        time.sleep(1.0)
        now = dock_layout(obs)
        if now["controls"] == last["controls"]:
            return now
        assert time.monotonic() < deadline, "the dock kept moving"
        last = now


def click(obs, layout: dict, control: str) -> None:
    """One left click in the middle of a control of the dock, with xdotool on OBS's screen."""
    r = layout["controls"][control]
    x, y = r["x"] + r["width"] // 2, r["y"] + r["height"] // 2
    env = dict(os.environ, DISPLAY=obs.display)
    subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"], env=env, check=True, timeout=10)


def make_short_by_clicks(obs, song: str, completed) -> None:
    """Records 12 s of a scene playing the song, then counts the clicks to a Short of it."""
    obs.request("CreateInput", {"sceneName": "Scene", "inputName": "Live song", "inputKind": "ffmpeg_source",
                                "inputSettings": {"local_file": song, "looping": True, "is_local_file": True}})
    obs.request("StartRecord")
    time.sleep(12.0)
    recording = obs.request("StopRecord")["outputPath"]
    obs.request("RemoveInput", {"inputName": "Live song"})
    deadline = time.monotonic() + 20
    while True:  # the dock picks up the new recording (RecordingStopped) and shows it
        layout = dock_layout(obs)
        jobs_before = {j["jobId"] for j in obs.call_vendor(VENDOR, "ListJobs")["jobs"]}
        if "kind.short" in layout["controls"] and "primary" in layout["controls"]:
            break
        assert time.monotonic() < deadline, layout
        time.sleep(0.5)
    time.sleep(1.0)
    clicks = 0
    for control in ("kind.short", "primary"):
        click(obs, settled_layout(obs), control)
        clicks += 1
        time.sleep(0.5)
    deadline = time.monotonic() + 30
    new = []
    while not new:
        new = [j for j in obs.call_vendor(VENDOR, "ListJobs")["jobs"] if j["jobId"] not in jobs_before]
        assert time.monotonic() < deadline, "no job started after the clicks"
        time.sleep(0.25)
    job = new[0]
    request = job["request"]
    assert request["input"][0]["path"] == recording, (request, recording)
    assert request.get("aspect") == "9:16" and request.get("highlight") == 30, request
    event = completed(job["jobId"], timeout=600)
    assert event["state"] == "done", event
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height",
                          "-of", "json", event["output"]], capture_output=True, text=True, check=True)
    stream = json.loads(out.stdout)["streams"][0]
    assert stream["height"] > stream["width"], stream
    print(f"     {clicks} clicks: a {probe_duration(event['output']):.1f} s Short of {Path(recording).name}, "
          f"{stream['width']}x{stream['height']}", flush=True)
    assert clicks <= 2, clicks


def finish(t_start: float, artifacts: Path, obs) -> int:
    print(f"artifacts: {artifacts} ({time.monotonic() - t_start:.1f} s in all)")
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 0 if not failed and passed else 1


if __name__ == "__main__":
    sys.exit(main())
