"""obs_config.py — the OBS 29 configuration the end-to-end harness (obs_session.py) writes
into its throw-away HOME so that OBS opens straight into its main window: global.ini (no
auto-configuration wizard, no websocket first-load dialog, no exit confirmation), the profile
"Test" and the scene collection "Test".
"""

from __future__ import annotations

import base64
import json
import re
import struct
from pathlib import Path
from typing import Any


def _semantic_version(text: str) -> int:
    """MAKE_SEMANTIC_VERSION(major, minor, patch) from libobs: (M << 24) | (m << 16) | p."""
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    major, minor, patch = (int(g) for g in m.groups()) if m else (29, 0, 2)
    return (major << 24) | (minor << 16) | patch


def _qt_geometry(w: int, h: int, screen_w: int) -> str:
    """QWidget::saveGeometry() blob (Qt 5.15, format 3.0) for a window at 0,0 of size w x h,
    so the main window fills the Xvfb screen (there is no window manager to size it).
    Without a window manager Qt still allows ~20 px for a title bar and moves the window
    down by that much, hence the shorter height (keeps the status bar on screen)."""
    rect = struct.pack(">iiii", 0, 0, w - 1, h - 21)
    blob = (struct.pack(">IHH", 0x1D9D0CB, 3, 0) + rect + rect
            + struct.pack(">iBBi", 0, 0, 0, screen_w) + rect)
    return base64.b64encode(blob).decode()


def _write_ini(path: Path, sections: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for section, values in sections.items():
        out.append(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            out.append(f"{key}={value}")
        out.append("")
    # OBS reads its ini files as UTF-8 (with or without BOM).
    path.write_text("\n".join(out), encoding="utf-8")


def write_obs_config(cfg: Path, *, obs_version: str, language: str, screen: tuple[int, int],
                     port: int, password: str, canvas: tuple[int, int], fps: int,
                     recording_dir: Path, rec_format: str) -> None:
    """Write OBS's config under `cfg` ($HOME/.config/obs-studio): global.ini (UI `language`,
    the main window filling the `screen`, the websocket on `port` with `password`), the
    profile "Test" (`canvas`, `fps`, simple output recording `rec_format` to
    `recording_dir`) and the scene collection "Test" (one empty scene). `obs_version` is
    OBS's --version text (its LastVersion keeps the auto-configuration wizard away)."""
    last_version = _semantic_version(obs_version)
    # global.ini. Key names from OBS 29.0.2 UI/obs-app.cpp + UI/window-basic-main.cpp
    # and obs-websocket 5.1.0 src/Config.cpp.
    _write_ini(cfg / "global.ini", {
        "General": {
            # OBSBasic::OBSInit opens the auto-config wizard only when FirstRun is
            # false AND LastVersion is absent; FirstRun=true means "already ran".
            "FirstRun": True,
            "Language": language,
            "LastVersion": last_version,
            "ConfirmOnExit": False,         # no "really exit?" box while recording
            "EnableAutoUpdates": False,
            "Pre19Defaults": False, "Pre21Defaults": False,
            "Pre23Defaults": False, "Pre24.1Defaults": False,
        },
        "Basic": {
            "Profile": "Test", "ProfileDir": "Test",
            "SceneCollection": "Test", "SceneCollectionFile": "Test",
            "ConfigOnNewProfile": False,
        },
        "BasicWindow": {
            "SysTrayEnabled": False,        # no tray icon / tray messages on Xvfb
            "SysTrayWhenStarted": False,
            "SaveProjectors": False,
            "PreviewEnabled": True,
            "geometry": _qt_geometry(*screen, screen[0]),
        },
        "OBSWebSocket": {
            "FirstLoad": False,             # no generated password, no dialog
            "ServerEnabled": True,
            "ServerPort": port,
            "AlertsEnabled": False,         # no tray notifications on connect
            "AuthRequired": True,
            "ServerPassword": password,
        },
    })
    w, h = canvas
    _write_ini(cfg / "basic" / "profiles" / "Test" / "basic.ini", {
        "General": {"Name": "Test"},
        "Video": {
            "BaseCX": w, "BaseCY": h, "OutputCX": w, "OutputCY": h,
            "FPSType": 0, "FPSCommon": str(fps),  # 0 = "common FPS values"
            "ScaleType": "bicubic", "ColorFormat": "NV12",
            "ColorSpace": "709", "ColorRange": "Partial",
        },
        "Audio": {"SampleRate": 48000, "ChannelSetup": "Stereo"},
        "Output": {"Mode": "Simple"},
        "SimpleOutput": {
            "FilePath": str(recording_dir),
            "RecFormat": rec_format,
            "StreamEncoder": "x264",      # SIMPLE_ENCODER_X264 -> obs_x264
            "RecEncoder": "x264",
            "RecQuality": "Stream",       # record with the stream encoder settings
            "VBitrate": 2500, "ABitrate": 160,
            "Preset": "veryfast",
            "RecRB": False,
        },
    })
    scene = {
        "id": "scene", "versioned_id": "scene", "name": "Scene",
        "settings": {"custom_size": False, "id_counter": 0, "items": []},
        "enabled": True, "flags": 0, "mixers": 0, "muted": False, "volume": 1.0,
        "private_settings": {}, "hotkeys": {},
    }
    collection = {
        "name": "Test",
        "current_scene": "Scene",
        "current_program_scene": "Scene",
        "scene_order": [{"name": "Scene"}],
        "sources": [scene],
        "groups": [],
        "transitions": [],
        "current_transition": "Fade",
        "transition_duration": 300,
        "quick_transitions": [],
        "saved_projectors": [],
        "preview_locked": False,
        "scaling_enabled": False,
        "modules": {},
    }
    scenes = cfg / "basic" / "scenes"
    scenes.mkdir(parents=True, exist_ok=True)
    (scenes / "Test.json").write_text(json.dumps(collection, indent=2))
