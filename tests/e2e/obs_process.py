"""obs_process.py — process helpers of the end-to-end harness (obs_session.py): the
executables it runs (OBS_BIN, XVFB_BIN, FFMPEG_BIN from the environment), a free loopback
port, OBS's version, and the tail of a log file for error messages.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Optional


OBS_BIN = os.environ.get("OBS_BIN", "obs")
XVFB_BIN = os.environ.get("XVFB_BIN", "Xvfb")
FFMPEG_BIN = os.environ.get("FFMPEG_BIN", "ffmpeg")


def _free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _obs_version_string() -> str:
    try:
        out = subprocess.run([OBS_BIN, "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _tail(path: Optional[Path], lines: int = 60) -> str:
    if not path or not path.exists():
        return f"(no file {path})"
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])
