"""Drive a real OBS Studio 29 under Xvfb over obs-websocket v5 (end-to-end tests).

Standard library + python3-websockets (Debian 12 ships 10.4) only. Run it with
/usr/bin/python3, the interpreter that sees Debian's python3-websockets.

    from obs_session import ObsSession

    with ObsSession(plugin_so="build/plugin/obs-music-video.so", plugin_data="data") as obs:
        print(obs.request("GetVersion")["obsVersion"])
        jobs = obs.call_vendor("obs-music-video", "ListJobs")
        ev = obs.wait_vendor_event("obs-music-video", "JobCompleted", timeout=300)
        obs.screenshot("build/e2e-artifacts/after-render.png")
        code, seconds, how = obs.quit()

Every session gets a throw-away HOME (removed on exit unless KEEP_E2E=1) holding an
OBS config written so that OBS 29 opens straight into its main window: no
auto-configuration wizard, no websocket first-load dialog, no missing-files dialog,
no exit confirmation. One Xvfb per session (display picked by Xvfb itself through
-displayfd), one OBS, one websocket port picked free on 127.0.0.1.

The harness's parts: obs_ws.py (the obs-websocket client, protocol constants, exceptions),
obs_x11.py (top-level windows over libX11), obs_process.py (executables, ports, logs) and
obs_config.py (the OBS config files). Their public names are re-exported here.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

import websockets

from obs_config import write_obs_config
from obs_process import FFMPEG_BIN, OBS_BIN, XVFB_BIN, _free_tcp_port, _obs_version_string, _port_open, _tail
from obs_ws import (  # noqa: F401 - EVENT_SUB_* are re-exported
    EVENT_SUB_ALL,
    EVENT_SUB_CONFIG,
    EVENT_SUB_FILTERS,
    EVENT_SUB_GENERAL,
    EVENT_SUB_INPUTS,
    EVENT_SUB_MEDIA_INPUTS,
    EVENT_SUB_OUTPUTS,
    EVENT_SUB_SCENE_ITEMS,
    EVENT_SUB_SCENES,
    EVENT_SUB_TRANSITIONS,
    EVENT_SUB_UI,
    EVENT_SUB_VENDORS,
    ObsConnectionClosed,
    ObsError,
    ObsRequestError,
    ObsStartupError,
    ObsTimeout,
    _WsClient,
)
from obs_x11 import _X11

__all__ = [
    "ObsSession",
    "ObsError",
    "ObsStartupError",
    "ObsRequestError",
    "ObsTimeout",
    "ObsConnectionClosed",
    "EVENT_SUB_ALL",
    "EVENT_SUB_GENERAL",
    "EVENT_SUB_VENDORS",
]

PLUGIN_MODULE = "obs-music-video"


# ---------------------------------------------------------------------- the session


class ObsSession:
    """A real OBS (29.x) on its own Xvfb with its own throw-away HOME.

    Use as a context manager; on exit everything still running is killed and the
    temp HOME is removed (kept when KEEP_E2E=1 or keep=True; its path is printed).
    """

    def __init__(self, plugin_so: Optional[os.PathLike | str] = None,
                 plugin_data: Optional[os.PathLike | str] = None, *,
                 canvas: tuple[int, int] = (1280, 720), fps: int = 30,
                 screen: tuple[int, int] = (1920, 1080),
                 rec_format: str = "mkv",
                 subscriptions: int = EVENT_SUB_ALL,
                 startup_timeout: float = 60.0,
                 extra_args: tuple[str, ...] = (),
                 extra_env: Optional[dict[str, str]] = None,
                 require_plugin: bool = True,
                 keep: Optional[bool] = None,
                 verbose: bool = True,
                 language: str = "en-US",
                 extra_modules: tuple[os.PathLike | str, ...] = ()):
        if plugin_data is not None and plugin_so is None:
            raise ValueError("plugin_data given without plugin_so")
        self.plugin_so = Path(plugin_so).resolve() if plugin_so else None
        self.plugin_data = Path(plugin_data).resolve() if plugin_data else None
        self.canvas = canvas
        self.fps = fps
        self.screen = screen
        self.rec_format = rec_format
        self.subscriptions = subscriptions
        self.startup_timeout = startup_timeout
        self.extra_args = tuple(extra_args)
        self.extra_env = dict(extra_env or {})
        self.require_plugin = require_plugin
        self.keep = (os.environ.get("KEEP_E2E") == "1") if keep is None else keep
        self.verbose = verbose
        self.language = language  # OBS's UI language (global.ini General/Language), e.g. "zh-CN"
        # Other OBS modules to load (test fixtures such as sync-pair/), each NAME.so as module NAME.
        self.extra_modules = tuple(Path(m).resolve() for m in extra_modules)

        self.home: Optional[Path] = None
        self.config_dir: Optional[Path] = None
        self.recording_dir: Optional[Path] = None
        self.stdout_log: Optional[Path] = None
        self.display: Optional[str] = None
        self.port: Optional[int] = None
        self.password = secrets.token_urlsafe(18)
        self.obs: Optional[subprocess.Popen] = None
        self.xvfb: Optional[subprocess.Popen] = None
        self.client: Optional[_WsClient] = None
        self.startup_seconds: Optional[float] = None
        self.obs_version = ""

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> "ObsSession":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _log(self, msg: str) -> None:
        if self.verbose:
            print(f"[obs-e2e] {msg}", flush=True)

    def start(self) -> None:
        t0 = time.monotonic()
        self.home = Path(tempfile.mkdtemp(prefix="obs-e2e-"))
        self.config_dir = self.home / ".config" / "obs-studio"
        self.recording_dir = self.home / "recordings"
        self.recording_dir.mkdir()
        self.port = _free_tcp_port()
        self.obs_version = _obs_version_string()
        self._write_config()
        if self.plugin_so:
            self._install_plugin()
        for module in self.extra_modules:
            self._install_module(module)
        self._start_xvfb()
        self._start_obs()
        self._connect(t0)
        if self.plugin_so and self.require_plugin:
            self._check_plugin_loaded()
        self.startup_seconds = time.monotonic() - t0
        self._log(f"OBS up in {self.startup_seconds:.1f} s (display {self.display}, "
                  f"port {self.port}, HOME {self.home})")

    # ----------------------------------------------------------------- config
    def _write_config(self) -> None:
        write_obs_config(self.config_dir, obs_version=self.obs_version, language=self.language,
                         screen=self.screen, port=self.port, password=self.password,
                         canvas=self.canvas, fps=self.fps, recording_dir=self.recording_dir,
                         rec_format=self.rec_format)

    def _install_plugin(self) -> None:
        root = self.config_dir / "plugins" / PLUGIN_MODULE
        bin_dir = root / "bin" / "64bit"
        bin_dir.mkdir(parents=True)
        if not self.plugin_so.is_file():
            raise ObsStartupError(f"plugin_so {self.plugin_so} does not exist")
        # Symlinks: a rebuilt .so or edited data is picked up without copying.
        (bin_dir / f"{PLUGIN_MODULE}.so").symlink_to(self.plugin_so)
        if self.plugin_data:
            if not self.plugin_data.is_dir():
                raise ObsStartupError(f"plugin_data {self.plugin_data} is not a directory")
            (root / "data").symlink_to(self.plugin_data, target_is_directory=True)
        else:
            (root / "data").mkdir()

    def _install_module(self, so: Path) -> None:
        if not so.is_file():
            raise ObsStartupError(f"module {so} does not exist")
        root = self.config_dir / "plugins" / so.stem
        (root / "bin" / "64bit").mkdir(parents=True)
        (root / "bin" / "64bit" / so.name).symlink_to(so)
        (root / "data").mkdir()

    # ---------------------------------------------------------------- processes
    def _start_xvfb(self) -> None:
        r, w = os.pipe()
        xlog = open(self.home / "xvfb.log", "wb")
        sw, sh = self.screen
        try:
            self.xvfb = subprocess.Popen(
                [XVFB_BIN, "-displayfd", str(w), "-screen", "0", f"{sw}x{sh}x24",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(w,), stdout=xlog, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            os.close(w)
            xlog.close()
        buf = b""
        deadline = time.monotonic() + 15
        try:
            while not buf.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or self.xvfb.poll() is not None:
                    raise ObsStartupError("Xvfb did not start:\n" + _tail(self.home / "xvfb.log"))
                ready, _, _ = select.select([r], [], [], left)
                if ready:
                    chunk = os.read(r, 64)
                    if not chunk:
                        raise ObsStartupError("Xvfb closed -displayfd:\n" + _tail(self.home / "xvfb.log"))
                    buf += chunk
        finally:
            os.close(r)
        self.display = ":" + buf.decode().strip()

    def obs_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "XAUTHORITY", "SESSION_MANAGER",
                            "DBUS_SESSION_BUS_ADDRESS", "OBS_PLUGINS_PATH",
                            "OBS_PLUGINS_DATA_PATH")}
        runtime = self.home / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env.update({
            "DISPLAY": self.display,
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_SESSION_TYPE": "x11",
            "QT_QPA_PLATFORM": "xcb",
            "LIBGL_ALWAYS_SOFTWARE": "1",
            # A bus address that does not exist: no autolaunched dbus-daemon left behind,
            # no talking to the developer's own session bus.
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={runtime}/no-bus",
        })
        env.setdefault("LANG", "C.UTF-8")
        env.update(self.extra_env)
        return env

    def _start_obs(self) -> None:
        self.stdout_log = self.home / "obs-stdout.log"
        args = [OBS_BIN, "--multi", "--disable-updater", "--disable-missing-files-check",
                *self.extra_args]
        with open(self.stdout_log, "wb") as out:
            self.obs = subprocess.Popen(args, env=self.obs_env(), cwd=self.home,
                                        stdout=out, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def _connect(self, t0: float) -> None:
        deadline = t0 + self.startup_timeout
        last_err: Optional[BaseException] = None
        while True:
            if self.obs.poll() is not None:
                raise ObsStartupError(
                    f"OBS exited with code {self.obs.returncode} before the websocket came up\n"
                    + self.diagnostics())
            if time.monotonic() > deadline:
                raise ObsStartupError(
                    f"OBS websocket not ready within {self.startup_timeout:.0f} s "
                    f"(last error: {last_err!r})\n" + self.diagnostics())
            if not _port_open(self.port):
                time.sleep(0.25)
                continue
            client = _WsClient(self.port, self.password, self.subscriptions)
            try:
                client.connect(timeout=max(1.0, min(15.0, deadline - time.monotonic())))
                self.client = client
                return
            except (OSError, ObsError, websockets.WebSocketException, asyncio.TimeoutError) as e:
                client.close()
                last_err = e
                if "4009" in str(e):  # AuthenticationFailed: retrying will not help
                    raise ObsStartupError(f"websocket authentication failed: {e}\n" + self.diagnostics())
                time.sleep(0.5)

    # ------------------------------------------------------------------- logs
    def obs_log_path(self) -> Optional[Path]:
        """The newest OBS log file ($HOME/.config/obs-studio/logs/*.txt)."""
        logs = sorted((self.config_dir / "logs").glob("*.txt"),
                      key=lambda p: p.stat().st_mtime) if self.config_dir else []
        return logs[-1] if logs else None

    def obs_log(self) -> str:
        p = self.obs_log_path()
        return p.read_text(errors="replace") if p else ""

    def loaded_modules(self) -> list[str]:
        """Module file names from the log's "Loaded Modules:" block (e.g. "obs-x264.so")."""
        mods, inside = [], False
        for line in self.obs_log().splitlines():
            text = line.split(": ", 1)[1] if re.match(r"^\d\d:\d\d:\d\d\.\d+: ", line) else line
            if text.strip() == "Loaded Modules:":
                inside, mods = True, []
            elif inside:
                if text.strip().startswith("---"):
                    inside = False
                elif text.strip():
                    mods.append(text.strip())
        return mods

    def _check_plugin_loaded(self) -> None:
        name = f"{PLUGIN_MODULE}.so"
        if name in self.loaded_modules():
            return
        lines = [l for l in self.obs_log().splitlines() if PLUGIN_MODULE in l]
        raise ObsStartupError(f"{name} is not among OBS's loaded modules; log lines naming it:\n"
                              + "\n".join(lines or ["(none)"]))

    def diagnostics(self, lines: int = 60) -> str:
        return (f"--- OBS log {self.obs_log_path()} (tail) ---\n{_tail(self.obs_log_path(), lines)}\n"
                f"--- OBS stdout/stderr (tail) ---\n{_tail(self.stdout_log, 30)}")

    # --------------------------------------------------------------- protocol
    def _client(self) -> _WsClient:
        if not self.client:
            raise ObsError("not connected")
        return self.client

    def request(self, request_type: str, data: Optional[dict] = None, timeout: float = 30) -> dict:
        """Send one request; return its responseData ({} when none) or raise ObsRequestError
        carrying requestStatus.code and .comment."""
        d = self._client().request_raw(request_type, data, timeout)
        status = d.get("requestStatus", {})
        if not status.get("result"):
            raise ObsRequestError(request_type, status.get("code", -1), status.get("comment", ""))
        return d.get("responseData") or {}

    def call_vendor(self, vendor: str, request_type: str, data: Optional[dict] = None,
                    timeout: float = 30) -> dict:
        """CallVendorRequest; returns the vendor's own responseData. obs-websocket always
        reports success once the vendor and request exist (code 600 ResourceNotFound
        otherwise), so a vendor must report its own errors inside responseData.
        An empty requestData object is refused by obs-websocket 5.1 (code 403 "must not be
        empty"), so it is left out when `data` is empty; the vendor then gets an empty
        obs_data_t."""
        payload: dict[str, Any] = {"vendorName": vendor, "requestType": request_type}
        if data:
            payload["requestData"] = data
        reply = self.request("CallVendorRequest", payload, timeout=timeout)
        return reply.get("responseData") or {}

    def wait_event(self, predicate: Callable[[dict], bool] | str, timeout: float = 30) -> dict:
        """Wait for the first not-yet-consumed event matching `predicate` (a callable taking
        the event's d = {eventType, eventIntent, eventData}, or an eventType string), mark
        it consumed and return it. Events are buffered from Identify on, so an event that
        arrived before this call is found too; call clear_events() first to ignore those."""
        if isinstance(predicate, str):
            name = predicate
            predicate = lambda e: e.get("eventType") == name  # noqa: E731
        return self._client().wait_event(predicate, timeout)

    def wait_vendor_event(self, vendor: str, event_type: str, timeout: float = 30,
                          predicate: Optional[Callable[[dict], bool]] = None) -> dict:
        """Wait for a VendorEvent {vendorName, eventType, eventData}; returns the vendor's
        eventData."""
        def match(e: dict) -> bool:
            if e.get("eventType") != "VendorEvent":
                return False
            d = e.get("eventData", {})
            return (d.get("vendorName") == vendor and d.get("eventType") == event_type
                    and (predicate is None or predicate(d.get("eventData", {}))))
        return self.wait_event(match, timeout)["eventData"].get("eventData", {})

    def events(self) -> list[dict]:
        return self._client().events()

    def clear_events(self) -> None:
        self._client().clear_events()

    # -------------------------------------------------------------- screenshots
    def screenshot(self, path: os.PathLike | str) -> Path:
        """PNG of the whole X screen (ffmpeg x11grab)."""
        sw, sh = self.screen
        return self._grab(path, 0, 0, sw, sh)

    def window_screenshot(self, path: os.PathLike | str, window: dict) -> Path:
        """PNG of one of OBS's windows (a dict of windows()), cut from the X screen."""
        sw, sh = self.screen
        x, y = max(0, window["x"]), max(0, window["y"])
        return self._grab(path, x, y, min(window["width"], sw - x) // 2 * 2, min(window["height"], sh - y) // 2 * 2)

    def _grab(self, path: os.PathLike | str, x: int, y: int, w: int, h: int) -> Path:
        """PNG of the w x h pixels of the X screen at (x, y) (ffmpeg x11grab), without the
        mouse pointer (it sits where the last click or the screen's middle left it, over the
        text of a dialog or the preview)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [FFMPEG_BIN, "-hide_banner", "-loglevel", "error", "-y", "-f", "x11grab", "-draw_mouse", "0",
               "-video_size", f"{w}x{h}", "-i", f"{self.display}.0+{x},{y}", "-frames:v", "1",
               str(path)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                           env={**os.environ, "DISPLAY": self.display})
        if r.returncode != 0 or not path.exists():
            raise ObsError(f"screenshot failed ({r.returncode}): {r.stderr.strip()}")
        return path

    def close_window(self, window: dict) -> None:
        """Closes one of OBS's windows as its title bar's close button would."""
        with _X11(self.display) as x:
            x.send_delete(window["id"])

    def source_screenshot(self, path: os.PathLike | str, source: str = "Scene",
                          width: Optional[int] = None, fmt: str = "png") -> Path:
        """GetSourceScreenshot of a source/scene (rendered by OBS itself, no X involved)."""
        data: dict[str, Any] = {"sourceName": source, "imageFormat": fmt}
        if width:
            data["imageWidth"] = width
        b64 = self.request("GetSourceScreenshot", data, timeout=60)["imageData"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(b64.split(",", 1)[1]))
        return path

    # ------------------------------------------------------------------ windows
    def windows(self, viewable_only: bool = True) -> list[dict]:
        """OBS's top-level X windows: [{"id", "title", "viewable", "x", "y", "width",
        "height"}]. Use it to assert that no dialog is open (the main window's title starts
        with "OBS 29"; dialogs have other titles, e.g. "Plugin Load Error")."""
        with _X11(self.display) as x:
            wins = x.toplevels(self.obs.pid)
        return [w for w in wins if w["viewable"] or not viewable_only]

    def main_window(self) -> Optional[dict]:
        for w in self.windows():
            if w["title"].startswith("OBS "):
                return w
        return None

    # --------------------------------------------------------------------- quit
    def quit(self, timeout: float = 15.0, method: str = "auto") -> tuple[Optional[int], float, str]:
        """Close OBS and wait for it to exit. Returns (exit code, seconds, how); the exit code
        is negative for a death by signal.

        method "auto" (default) closes it the way a user does: WM_DELETE_WINDOW to the main
        window, so Qt runs OBSBasic::closeEvent (save, unload modules, exit 0). If OBS has
        not exited after `timeout` (e.g. a modal dialog blocks the close), it escalates to
        SIGINT (OBS 29's handler calls main->close()) for 5 s more, then SIGKILL; `how` then
        reads "wm_delete+sigint" or "wm_delete+sigint+sigkill".
        method "sigint" / "sigterm" send just that signal (then SIGKILL after `timeout`).
        SIGTERM is not handled by OBS 29: it dies at once (-15) with no shutdown at all."""
        if not self.obs:
            return None, 0.0, "not started"
        if self.client:
            self.client.close()
            self.client = None
        t0 = time.monotonic()
        if self.obs.poll() is not None:
            return self.obs.returncode, 0.0, "already exited"
        steps = []
        if method == "auto":
            try:
                main = self.main_window()
                if main:
                    with _X11(self.display) as x:
                        x.send_delete(main["id"])
                    steps.append("wm_delete")
                else:
                    self._log("no OBS main window found; sending SIGINT")
            except Exception as e:  # no libX11, display gone...
                self._log(f"WM_DELETE_WINDOW failed ({e}); sending SIGINT")
            if not steps:
                self.obs.send_signal(signal.SIGINT)
                steps.append("sigint")
        elif method in ("sigint", "sigterm"):
            self.obs.send_signal(signal.SIGINT if method == "sigint" else signal.SIGTERM)
            steps.append(method)
        else:
            raise ValueError(f"unknown quit method {method!r}")
        try:
            code = self.obs.wait(timeout)
        except subprocess.TimeoutExpired:
            code = None
            if steps == ["wm_delete"]:
                self._log(f"OBS still running {timeout:g} s after WM_DELETE_WINDOW; sending SIGINT")
                self.obs.send_signal(signal.SIGINT)
                steps.append("sigint")
                try:
                    code = self.obs.wait(5)
                except subprocess.TimeoutExpired:
                    pass
            if code is None:
                self._log("OBS did not exit; SIGKILL")
                steps.append("sigkill")
                self._kill_group(self.obs)
                code = self.obs.wait(10)
        return code, time.monotonic() - t0, "+".join(steps)

    # -------------------------------------------------------------------- close
    @staticmethod
    def _kill_group(proc: Optional[subprocess.Popen]) -> None:
        if proc and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: OBS + its helpers
            except ProcessLookupError:
                pass
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def close(self) -> None:
        if self.client:
            self.client.close()
            self.client = None
        if self.obs and self.obs.poll() is None:
            self._log("OBS still running at teardown: killing it")
            self._kill_group(self.obs)
        if self.obs:
            # Helpers OBS started (obs-ffmpeg-mux...) share its process group.
            try:
                os.killpg(self.obs.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.xvfb and self.xvfb.poll() is None:
            self.xvfb.terminate()
            try:
                self.xvfb.wait(5)
            except subprocess.TimeoutExpired:
                self._kill_group(self.xvfb)
        if self.home and self.home.exists():
            if self.keep:
                self._log(f"KEEP_E2E=1: leaving {self.home}")
            else:
                shutil.rmtree(self.home, ignore_errors=True)
