#!/usr/bin/python3
"""Smoke test of the e2e harness itself: a real OBS 29 under Xvfb, no plugin.

Exit status 0 when every check passed, 1 otherwise; the last line is "N passed, M failed".
Artifacts (screenshots, the OBS log) go to $E2E_ARTIFACTS (default build/e2e-artifacts).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

SKIP = 77  # ctest SKIP_RETURN_CODE: a prerequisite is missing (nothing was tested)


def missing_prerequisites() -> list[str]:
    missing = []
    for tool, pkg in (("obs", "obs-studio"), ("Xvfb", "xvfb"), ("ffmpeg", "ffmpeg"),
                      ("ffprobe", "ffmpeg"), ("xdotool", "xdotool")):
        if not shutil.which(os.environ.get(f"{tool.upper()}_BIN", tool)):
            missing.append(f"{tool} (Debian package {pkg})")
    try:
        import websockets  # noqa: F401
    except ImportError:
        missing.append(f"the websockets module for {sys.executable} (python3-websockets; "
                       "run with /usr/bin/python3)")
    return missing


if __name__ == "__main__" and missing_prerequisites():
    print("SKIPPED: missing " + "; ".join(missing_prerequisites()))
    print("0 passed, 0 failed")
    sys.exit(SKIP)

from obs_session import ObsRequestError, ObsSession  # noqa: E402

REPO = HERE.parent.parent
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", REPO / "build" / "e2e-artifacts")) / "smoke"

passed: list[str] = []
failed: list[str] = []


def check(name: str, fn) -> object:
    """Run one check; a failed assert or any exception counts as a failure."""
    t0 = time.monotonic()
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001 - report and go on
        failed.append(name)
        detail = str(e) or type(e).__name__
        print(f"FAIL {name} ({time.monotonic() - t0:.2f} s): {detail}", flush=True)
        if not isinstance(e, AssertionError):
            traceback.print_exc()
        return None
    passed.append(name)
    print(f"ok   {name} ({time.monotonic() - t0:.2f} s)", flush=True)
    return result


def main() -> int:
    t_start = time.monotonic()
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    obs = ObsSession()
    try:
        check("OBS starts under Xvfb and accepts an authenticated Identify", obs.start)
        if obs.client is None:
            return finish(t_start)

        def version():
            v = obs.request("GetVersion")
            print(f"     obsVersion {v['obsVersion']}, obs-websocket {v['obsWebSocketVersion']}, "
                  f"rpc {v['rpcVersion']}, {v['platformDescription']}")
            assert v["obsVersion"].startswith("29."), f"obsVersion is {v['obsVersion']!r}"
            assert "CallVendorRequest" in v["availableRequests"]
        check("GetVersion reports OBS 29.x", version)

        def windows():
            wins = obs.windows()
            titles = [w["title"] for w in wins]
            assert len(wins) == 1, f"viewable OBS windows: {titles}"
            assert titles[0].startswith("OBS 29") and titles[0].endswith(
                "Profile: Test - Scenes: Test"), titles
            print(f"     main window {wins[0]['width']}x{wins[0]['height']}: {titles[0]!r}")
        check("straight into the main window: no wizard or dialog open", windows)

        def scenes():
            s = obs.request("GetSceneList")
            names = [x["sceneName"] for x in s["scenes"]]
            assert names == ["Scene"], f"scenes are {names}"
            assert s["currentProgramSceneName"] == "Scene"
        check("GetSceneList has exactly the configured scene 'Scene'", scenes)

        def stats():
            st = obs.request("GetStats")
            for key in ("cpuUsage", "memoryUsage", "activeFps", "renderTotalFrames",
                        "outputTotalFrames"):
                assert key in st, f"GetStats lacks {key}: {st}"
            print(f"     activeFps {st['activeFps']:.1f}, cpu {st['cpuUsage']:.1f}%, "
                  f"memory {st['memoryUsage']:.0f} MB")
        check("GetStats works", stats)

        def video():
            v = obs.request("GetVideoSettings")
            got = (v["baseWidth"], v["baseHeight"], v["outputWidth"], v["outputHeight"],
                   v["fpsNumerator"] / v["fpsDenominator"])
            assert got == (1280, 720, 1280, 720, 30), f"video settings {got}"
            p = obs.request("GetProfileParameter",
                            {"parameterCategory": "Output", "parameterName": "Mode"})
            assert p["parameterValue"] == "Simple", p
        check("profile 'Test' is active: 1280x720 @ 30 fps, simple output", video)

        def custom_event():
            obs.clear_events()
            obs.request("BroadcastCustomEvent", {"eventData": {"probe": "e2e-smoke"}})
            ev = obs.wait_event(lambda e: e["eventType"] == "CustomEvent"
                                and e["eventData"].get("probe") == "e2e-smoke", timeout=10)
            assert ev["eventIntent"] == 1, ev  # General
        check("events arrive (BroadcastCustomEvent -> CustomEvent)", custom_event)

        def vendor_missing():
            try:
                obs.call_vendor("no-such-vendor", "Ping", {})
            except ObsRequestError as e:
                assert e.code == 600, e  # ResourceNotFound: "No vendor was found by that name."
                return
            raise AssertionError("CallVendorRequest to a missing vendor succeeded")
        check("CallVendorRequest plumbing (unknown vendor -> ResourceNotFound 600)", vendor_missing)

        def record():
            obs.clear_events()
            obs.request("StartRecord")
            obs.wait_event(lambda e: e["eventType"] == "RecordStateChanged"
                           and e["eventData"]["outputState"] == "OBS_WEBSOCKET_OUTPUT_STARTED",
                           timeout=20)
            time.sleep(2)
            out = obs.request("StopRecord")["outputPath"]
            obs.wait_event(lambda e: e["eventType"] == "RecordStateChanged"
                           and e["eventData"]["outputState"] == "OBS_WEBSOCKET_OUTPUT_STOPPED",
                           timeout=20)
            path = Path(out)
            assert path.parent == obs.recording_dir, f"recorded to {path}"
            assert path.suffix == ".mkv" and path.stat().st_size > 0, path
            probe = subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries",
                 "stream=codec_type,codec_name,width,height:format=duration", "-of", "json",
                 str(path)], capture_output=True, text=True, timeout=30)
            info = json.loads(probe.stdout or "{}")
            kinds = {s["codec_type"]: s for s in info.get("streams", [])}
            v = kinds.get("video", {})
            assert (v.get("codec_name"), v.get("width"), v.get("height")) == ("h264", 1280, 720), info
            assert kinds.get("audio", {}).get("codec_name") == "aac", info
            print(f"     {path.name}: {float(info['format']['duration']):.1f} s h264 1280x720 + aac")
        check("recording: x264 .mkv inside the temp HOME", record)

        def shots():
            obs.screenshot(ARTIFACTS / "obs-main-window.png")
            obs.source_screenshot(ARTIFACTS / "scene.png", "Scene", width=640)
            size = (ARTIFACTS / "obs-main-window.png").stat().st_size
            assert size > 10_000, f"screen shot is only {size} bytes"
        check(f"screenshots written to {ARTIFACTS}", shots)

        def quit_ok():
            code, seconds, how = obs.quit(timeout=15)
            print(f"     OBS exited with code {code} after {seconds:.2f} s ({how})")
            assert code == 0, f"exit code {code} ({how})"
            assert seconds <= 5, f"took {seconds:.1f} s to exit"
            assert how == "wm_delete", f"closed by {how}"
            log = obs.obs_log()
            assert "==== Shutting down" in log and "Freeing OBS context data" in log, \
                "the OBS log shows no orderly shutdown"
        check("OBS quits politely (WM_DELETE_WINDOW) within 5 s with exit code 0", quit_ok)
    finally:
        log = obs.obs_log_path()
        if log:
            shutil.copy(log, ARTIFACTS / "obs-log.txt")
        obs.close()
    return finish(t_start)


def finish(t_start: float) -> int:
    print(f"smoke test took {time.monotonic() - t_start:.1f} s")
    for name in failed:
        print(f"failed: {name}")
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 0 if not failed and passed else 1


if __name__ == "__main__":
    sys.exit(main())
