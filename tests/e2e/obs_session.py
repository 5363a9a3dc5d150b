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
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

import websockets

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

# obs-websocket v5 EventSubscription bits (src/eventhandler/types/EventSubscription.h).
EVENT_SUB_GENERAL = 1 << 0
EVENT_SUB_CONFIG = 1 << 1
EVENT_SUB_SCENES = 1 << 2
EVENT_SUB_INPUTS = 1 << 3
EVENT_SUB_TRANSITIONS = 1 << 4
EVENT_SUB_FILTERS = 1 << 5
EVENT_SUB_OUTPUTS = 1 << 6
EVENT_SUB_SCENE_ITEMS = 1 << 7
EVENT_SUB_MEDIA_INPUTS = 1 << 8
EVENT_SUB_VENDORS = 1 << 9
EVENT_SUB_UI = 1 << 10
# Every non-high-volume subscription (the protocol's "All" = 0x7FF).
EVENT_SUB_ALL = (1 << 11) - 1

# WebSocket op codes.
OP_HELLO, OP_IDENTIFY, OP_IDENTIFIED = 0, 1, 2
OP_EVENT, OP_REQUEST, OP_REQUEST_RESPONSE = 5, 6, 7

OBS_BIN = os.environ.get("OBS_BIN", "obs")
XVFB_BIN = os.environ.get("XVFB_BIN", "Xvfb")
FFMPEG_BIN = os.environ.get("FFMPEG_BIN", "ffmpeg")
PLUGIN_MODULE = "obs-music-video"


class ObsError(RuntimeError):
    pass


class ObsStartupError(ObsError):
    pass


class ObsTimeout(ObsError, TimeoutError):
    pass


class ObsConnectionClosed(ObsError):
    pass


class ObsRequestError(ObsError):
    def __init__(self, request_type: str, code: int, comment: str):
        super().__init__(f"{request_type} failed: code {code}: {comment}")
        self.request_type = request_type
        self.code = code
        self.comment = comment


# --------------------------------------------------------------------------- helpers


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


def _auth_string(password: str, salt: str, challenge: str) -> str:
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest()).decode()
    return base64.b64encode(hashlib.sha256((secret + challenge).encode()).digest()).decode()


def _semantic_version(text: str) -> int:
    """MAKE_SEMANTIC_VERSION(major, minor, patch) from libobs: (M << 24) | (m << 16) | p."""
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    major, minor, patch = (int(g) for g in m.groups()) if m else (29, 0, 2)
    return (major << 24) | (minor << 16) | patch


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


# ----------------------------------------------------------------- X11 (ctypes/libX11)


class _XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _XClientMessageEvent), ("pad", ctypes.c_long * 24)]


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
        ("height", ctypes.c_int), ("border_width", ctypes.c_int), ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p), ("root", ctypes.c_ulong), ("class_", ctypes.c_int),
        ("bit_gravity", ctypes.c_int), ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]


_IS_VIEWABLE = 2
_XA_CARDINAL = 6
_CLIENT_MESSAGE = 33


class _X11:
    """Just enough Xlib (through ctypes; libX11 is a dependency of OBS itself) to list a
    process's top-level windows and to close one the way a window manager does."""

    _lib = None

    @classmethod
    def lib(cls):
        if cls._lib is None:
            x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
            P, U, I, L = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long
            x.XOpenDisplay.restype, x.XOpenDisplay.argtypes = P, [ctypes.c_char_p]
            x.XDefaultRootWindow.restype, x.XDefaultRootWindow.argtypes = U, [P]
            x.XInternAtom.restype, x.XInternAtom.argtypes = U, [P, ctypes.c_char_p, I]
            x.XQueryTree.argtypes = [P, U, ctypes.POINTER(U), ctypes.POINTER(U),
                                     ctypes.POINTER(ctypes.POINTER(U)), ctypes.POINTER(ctypes.c_uint)]
            x.XGetWindowProperty.argtypes = [P, U, U, L, L, I, U, ctypes.POINTER(U),
                                             ctypes.POINTER(I), ctypes.POINTER(U),
                                             ctypes.POINTER(U), ctypes.POINTER(P)]
            x.XGetWindowAttributes.argtypes = [P, U, ctypes.POINTER(_XWindowAttributes)]
            x.XSendEvent.argtypes = [P, U, I, L, ctypes.POINTER(_XEvent)]
            for fn in ("XFree", "XFlush", "XCloseDisplay"):
                getattr(x, fn).argtypes = [P]
            x.XSync.argtypes = [P, I]
            cls._lib = x
        return cls._lib

    def __init__(self, display: str):
        self.x = self.lib()
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise ObsError(f"cannot open X display {display}")

    def close(self) -> None:
        if self.dpy:
            self.x.XCloseDisplay(self.dpy)
            self.dpy = None

    def __enter__(self) -> "_X11":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def atom(self, name: str) -> int:
        return self.x.XInternAtom(self.dpy, name.encode(), 0)

    def _prop(self, win: int, atom: int, typ: int, length: int):
        rtype, rfmt = ctypes.c_ulong(), ctypes.c_int()
        n, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        st = self.x.XGetWindowProperty(self.dpy, win, atom, 0, length, 0, typ, ctypes.byref(rtype),
                                       ctypes.byref(rfmt), ctypes.byref(n), ctypes.byref(after),
                                       ctypes.byref(data))
        if st != 0 or not data.value:
            return None
        try:
            if rfmt.value == 32:
                arr = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
                return [arr[i] for i in range(n.value)]
            return ctypes.string_at(data, n.value * rfmt.value // 8)
        finally:
            self.x.XFree(data)

    def toplevels(self, pid: int) -> list[dict]:
        """Top-level windows of `pid` (no window manager: the root's children), each as
        {"id", "title", "viewable", "x", "y", "width", "height"}, bottom to top."""
        root = self.x.XDefaultRootWindow(self.dpy)
        a_pid, a_name, a_utf8 = self.atom("_NET_WM_PID"), self.atom("_NET_WM_NAME"), self.atom("UTF8_STRING")
        r, p = ctypes.c_ulong(), ctypes.c_ulong()
        kids, nkids = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        if not self.x.XQueryTree(self.dpy, root, ctypes.byref(r), ctypes.byref(p),
                                 ctypes.byref(kids), ctypes.byref(nkids)):
            return []
        ids = [kids[i] for i in range(nkids.value)]
        if kids:
            self.x.XFree(kids)
        out = []
        for win in ids:
            wpid = self._prop(win, a_pid, _XA_CARDINAL, 1)
            if not wpid or wpid[0] != pid:
                continue
            attrs = _XWindowAttributes()
            if not self.x.XGetWindowAttributes(self.dpy, win, ctypes.byref(attrs)):
                continue
            title = (self._prop(win, a_name, a_utf8, 4096) or b"").decode("utf-8", "replace")
            out.append({"id": win, "title": title, "viewable": attrs.map_state == _IS_VIEWABLE,
                        "x": attrs.x, "y": attrs.y, "width": attrs.width, "height": attrs.height})
        return out

    def send_delete(self, win: int) -> None:
        """WM_DELETE_WINDOW: what a click on the title bar's close button sends."""
        ev = _XEvent()
        ev.xclient.type = _CLIENT_MESSAGE
        ev.xclient.window = win
        ev.xclient.message_type = self.atom("WM_PROTOCOLS")
        ev.xclient.format = 32
        ev.xclient.data[0] = self.atom("WM_DELETE_WINDOW")
        ev.xclient.data[1] = 0  # CurrentTime
        self.x.XSendEvent(self.dpy, win, 0, 0, ctypes.byref(ev))
        self.x.XSync(self.dpy, 0)


# ------------------------------------------------------------------ websocket client


class _WsClient:
    """obs-websocket v5 client: an asyncio loop in a daemon thread, synchronous API."""

    def __init__(self, port: int, password: str, subscriptions: int):
        self.port = port
        self.password = password
        self.subscriptions = subscriptions
        self.closed = False
        self.close_reason = ""
        self.negotiated_rpc = None
        self.hello: dict = {}
        self._ws = None
        self._pending: dict[str, asyncio.Future] = {}
        self._events: list[dict] = []
        self._consumed: list[bool] = []
        self._cond = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="obs-ws", daemon=True)
        self._thread.start()

    # -- lifecycle
    def connect(self, timeout: float) -> None:
        fut = asyncio.run_coroutine_threadsafe(self._connect(), self._loop)
        try:
            fut.result(timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise ObsTimeout(f"websocket handshake took over {timeout:.0f} s")

    async def _connect(self) -> None:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}", subprotocols=["obswebsocket.json"],
            max_size=None, ping_interval=None, open_timeout=10, close_timeout=2)
        try:
            hello = json.loads(await ws.recv())
            if hello.get("op") != OP_HELLO:
                raise ObsError(f"expected Hello, got {hello!r}")
            self.hello = hello["d"]
            ident: dict[str, Any] = {"rpcVersion": 1, "eventSubscriptions": self.subscriptions}
            auth = self.hello.get("authentication")
            if auth:
                ident["authentication"] = _auth_string(self.password, auth["salt"], auth["challenge"])
            await ws.send(json.dumps({"op": OP_IDENTIFY, "d": ident}))
            try:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
            except websockets.ConnectionClosed as e:
                raise ObsError(f"Identify refused: close code {e.code} {e.reason!r}") from None
            if reply.get("op") != OP_IDENTIFIED:
                raise ObsError(f"expected Identified, got {reply!r}")
            self.negotiated_rpc = reply["d"].get("negotiatedRpcVersion")
        except BaseException:
            await ws.close()
            raise
        self._ws = ws
        self._loop.create_task(self._reader())

    async def _reader(self) -> None:
        ws = self._ws
        try:
            async for raw in ws:
                msg = json.loads(raw)
                op, d = msg.get("op"), msg.get("d", {})
                if op == OP_EVENT:
                    with self._cond:
                        d["_received"] = time.monotonic()  # ours, for timing; not OBS's
                        self._events.append(d)
                        self._consumed.append(False)
                        self._cond.notify_all()
                elif op == OP_REQUEST_RESPONSE:
                    fut = self._pending.pop(d.get("requestId"), None)
                    if fut and not fut.done():
                        fut.set_result(d)
        except websockets.ConnectionClosed:
            pass
        except Exception as e:  # a bad frame: record it, drop the connection
            self.close_reason = f"reader failed: {e!r}"
        finally:
            if not self.close_reason:
                self.close_reason = f"closed: code {ws.close_code} {ws.close_reason!r}"
            self.closed = True
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ObsConnectionClosed(self.close_reason))
            self._pending.clear()
            with self._cond:
                self._cond.notify_all()

    def close(self) -> None:
        """Close the connection (abort it when OBS does not answer) and stop the loop."""
        if self._loop.is_closed():
            return

        async def shutdown() -> None:
            ws = self._ws
            if ws is not None:
                # A polite close handshake, but never wait long: OBS may be hung or gone.
                closing = asyncio.ensure_future(ws.close())
                await asyncio.wait([closing], timeout=2)
                if ws.transport is not None:
                    ws.transport.abort()
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            if tasks:
                _, pending = await asyncio.wait(tasks, timeout=3)
                for t in pending:
                    t.cancel()
                if pending:
                    await asyncio.wait(pending, timeout=1)

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(6)
        except Exception:
            pass
        self.closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(3)
        if not self._thread.is_alive():
            self._loop.close()

    # -- requests
    async def _send_request(self, request_type: str, data: Optional[dict]) -> dict:
        if self.closed or self._ws is None:
            raise ObsConnectionClosed(self.close_reason or "not connected")
        rid = uuid.uuid4().hex
        fut = self._loop.create_future()
        self._pending[rid] = fut
        d: dict[str, Any] = {"requestType": request_type, "requestId": rid}
        if data is not None:
            d["requestData"] = data
        try:
            await self._ws.send(json.dumps({"op": OP_REQUEST, "d": d}))
            return await fut
        finally:
            self._pending.pop(rid, None)

    def request_raw(self, request_type: str, data: Optional[dict], timeout: float) -> dict:
        fut = asyncio.run_coroutine_threadsafe(self._send_request(request_type, data), self._loop)
        try:
            return fut.result(timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise ObsTimeout(f"{request_type}: no response within {timeout:g} s") from None
        except websockets.ConnectionClosed:
            raise ObsConnectionClosed(self.close_reason or "connection closed") from None

    # -- events
    def wait_event(self, predicate: Callable[[dict], bool], timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            start = 0
            while True:
                for i in range(start, len(self._events)):
                    if not self._consumed[i] and predicate(self._events[i]):
                        self._consumed[i] = True
                        return self._events[i]
                start = len(self._events)
                if self.closed:
                    raise ObsConnectionClosed(f"while waiting for an event: {self.close_reason}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ObsTimeout(f"no matching event within {timeout:g} s "
                                     f"({len(self._events)} events received)")
                self._cond.wait(left)

    def events(self) -> list[dict]:
        with self._cond:
            return list(self._events)

    def clear_events(self) -> None:
        with self._cond:
            self._consumed = [True] * len(self._events)


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
                 verbose: bool = True):
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
        cfg = self.config_dir
        last_version = _semantic_version(self.obs_version)
        # global.ini. Key names from OBS 29.0.2 UI/obs-app.cpp + UI/window-basic-main.cpp
        # and obs-websocket 5.1.0 src/Config.cpp.
        _write_ini(cfg / "global.ini", {
            "General": {
                # OBSBasic::OBSInit opens the auto-config wizard only when FirstRun is
                # false AND LastVersion is absent; FirstRun=true means "already ran".
                "FirstRun": True,
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
                "geometry": _qt_geometry(*self.screen, self.screen[0]),
            },
            "OBSWebSocket": {
                "FirstLoad": False,             # no generated password, no dialog
                "ServerEnabled": True,
                "ServerPort": self.port,
                "AlertsEnabled": False,         # no tray notifications on connect
                "AuthRequired": True,
                "ServerPassword": self.password,
            },
        })
        w, h = self.canvas
        _write_ini(cfg / "basic" / "profiles" / "Test" / "basic.ini", {
            "General": {"Name": "Test"},
            "Video": {
                "BaseCX": w, "BaseCY": h, "OutputCX": w, "OutputCY": h,
                "FPSType": 0, "FPSCommon": str(self.fps),  # 0 = "common FPS values"
                "ScaleType": "bicubic", "ColorFormat": "NV12",
                "ColorSpace": "709", "ColorRange": "Partial",
            },
            "Audio": {"SampleRate": 48000, "ChannelSetup": "Stereo"},
            "Output": {"Mode": "Simple"},
            "SimpleOutput": {
                "FilePath": str(self.recording_dir),
                "RecFormat": self.rec_format,
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
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sw, sh = self.screen
        cmd = [FFMPEG_BIN, "-hide_banner", "-loglevel", "error", "-y", "-f", "x11grab",
               "-video_size", f"{sw}x{sh}", "-i", f"{self.display}.0", "-frames:v", "1",
               str(path)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                           env={**os.environ, "DISPLAY": self.display})
        if r.returncode != 0 or not path.exists():
            raise ObsError(f"screenshot failed ({r.returncode}): {r.stderr.strip()}")
        return path

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
