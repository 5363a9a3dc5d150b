"""obs_x11.py — just enough Xlib for the end-to-end harness (obs_session.py), through ctypes
(libX11 is a dependency of OBS itself): list a process's top-level windows and close one the
way a window manager does (WM_DELETE_WINDOW).
"""

from __future__ import annotations

import ctypes
import ctypes.util

from obs_ws import ObsError


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


_X_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


class _X11:
    """Just enough Xlib (through ctypes; libX11 is a dependency of OBS itself) to list a
    process's top-level windows and to close one the way a window manager does."""

    _lib = None
    _ignore_errors = _X_ERROR_HANDLER(lambda display, event: 0)  # kept here: Xlib holds only the pointer

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
            # A window may close between XQueryTree and the calls that read it (a dialog the
            # test just closed): Xlib's default error handler then exits the whole process.
            # Ignored instead: the calls return a failed status, and the window is skipped.
            x.XSetErrorHandler.restype = P
            x.XSetErrorHandler.argtypes = [_X_ERROR_HANDLER]
            x.XSetErrorHandler(cls._ignore_errors)
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
