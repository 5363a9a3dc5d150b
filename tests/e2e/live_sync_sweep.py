#!/usr/bin/env python3
"""Where the live look's beat flashes land, source after source, in one real OBS session.

Not a ctest: a measurement (docs/plugin.md quotes it). For each of N rounds a media source
starts the click track and a "Music Video Look" source (pulse, 640x360) listens to it; after
8 s OBS records 12 s. Each round prints the flashes' median offset from the clicks in that
recording and the offset of the frame nearest the clicks ("nearest"): a look in sync flashes
on that frame. Restarting the click track each round gives it another phase.

    /usr/bin/python3 tests/e2e/live_sync_sweep.py build/plugin/obs-music-video.so data [N] [MVGEN]

With MVGEN (the mvgen executable), the media source plays an mvgen render of the click track
(a video with its sound) instead of the bare sound, under the look: OBS places a source's
sound by its video frames then.

With SWEEP_RESTART=1 each round also restarts the media source (TriggerMediaInputAction) after
its first recording and records again 9 s later: the look then hears the song from its start,
as when a streamer restarts a song or plays the next. (2026-12-07: before the runner placed
a block over 10 ms late at its own time, 3 of 3 rounds after the restart were a frame early,
all 3 before it on the nearest frame; after that change, 7 rounds after a restart: 4 on the
nearest frame, 1 a frame early, 2 a frame late.)

With SWEEP_JOIN_S=S the look source is made S seconds after the media source started: it
joins the song mid-way, as a streamer adds it while music plays. Each line also gives where
the look measured OBS's mix to play the source's sound (placement_ms, LiveLookRunner::push_mix).

With SWEEP_AUDIO_OFFSET_MS=M the media source gets OBS's own audio sync offset of M ms (its
Advanced Audio Properties): OBS's mix then plays its sound M ms later, and so should the look.
"""
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import test_live_look_e2e as t  # noqa: E402
from obs_session import ObsSession  # noqa: E402


def main() -> int:
    if len(sys.argv) not in (3, 4, 5):
        print(__doc__)
        return 2
    plugin_so, data_dir = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) >= 4 else 8
    mvgen = sys.argv[4] if len(sys.argv) == 5 else None
    with tempfile.TemporaryDirectory() as tmp:
        clicks = Path(tmp) / "clicks.wav"
        t.make_click_track(clicks, 300.0)
        if mvgen:
            video = Path(tmp) / "clicks.mp4"
            t.run([mvgen, "generate", str(clicks), "-o", str(video), "--look", t.SYNC_LOOK, "--size", "640x360",
                   "--no-title", "--quiet", "--duration", "40", "--preset", "ultrafast"])
            clicks = video
        obs = ObsSession(plugin_so, data_dir, canvas=t.CANVAS, fps=t.FPS, verbose=False)
        obs.start()
        try:
            for _ in range(rounds):
                obs.request("CreateInput", {"sceneName": "Scene", "inputName": "Clicks", "inputKind": "ffmpeg_source",
                                            "inputSettings": {"local_file": str(clicks), "is_local_file": True,
                                                              "looping": False, "restart_on_activate": True}})
                if os.environ.get("SWEEP_AUDIO_OFFSET_MS"):
                    obs.request("SetInputAudioSyncOffset", {"inputName": "Clicks",
                                                            "inputAudioSyncOffset": int(os.environ["SWEEP_AUDIO_OFFSET_MS"])})
                time.sleep(float(os.environ.get("SWEEP_JOIN_S", "0")))
                obs.request("CreateInput", {"sceneName": "Scene", "inputName": "Look", "inputKind": "music_video_look",
                                            "inputSettings": {"audio_source": "Clicks", "look": t.SYNC_LOOK,
                                                              "size": t.kCustom, "width": t.CANVAS[0],
                                                              "height": t.CANVAS[1], "title": "Sync", "artist": "Sweep"}})
                time.sleep(8.0)  # the beat tracker locks
                for restarted in ((False, True) if os.environ.get("SWEEP_RESTART") == "1" else (False,)):
                    if restarted:
                        obs.request("TriggerMediaInputAction", {"inputName": "Clicks",
                                                                "mediaAction": "OBS_WEBSOCKET_MEDIA_INPUT_ACTION_RESTART"})
                        time.sleep(9.0)
                    obs.request("StartRecord")
                    time.sleep(12.0)
                    path = Path(obs.request("StopRecord")["outputPath"])
                    t.wait_for(lambda: path.exists() and path.stat().st_size > 0, 30, f"the recording {path}")
                    time.sleep(1.0)
                    offsets = t.offsets(path, t.disc(0, *t.CANVAS))
                    nearest = t.nearest_frame_ms(path)
                    look = next(x for x in obs.call_vendor(t.VENDOR, "GetLiveLooks")["sources"] if x["sourceName"] == "Look")
                    print(json.dumps({"median_ms": round(statistics.median(offsets) * 1000.0, 1) if offsets else None,
                                      "nearest_ms": round(nearest, 1), "restarted": restarted,
                                      "placement_ms": round(look.get("placementMs", 0.0), 2)}), flush=True)
                    path.unlink(missing_ok=True)
                obs.request("RemoveInput", {"inputName": "Look"})
                obs.request("RemoveInput", {"inputName": "Clicks"})
                time.sleep(1.0)
        finally:
            obs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
